"""Language codes: which ones exist, the one form articles and rules compare, and spelling help.

An article's language (`Article.lang`) and a rule's `languages:` / `lang:` are compared as
plain strings, so both sides must name a language the same way: the ISO 639-1 two-letter code
where the language has one (`de`, `zh`), else its ISO 639-3 code (`yue`, `fil`), always in
lower case. That is what BCP 47 language tags use as their primary subtag (`de-AT`,
`zh-Hant-TW`) and what the language detector reports.

The table (`monitor/data/iso639.json`) is generated from pycountry by
`tools/build_iso639.py`; pycountry itself is only a test dependency.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data" / "iso639.json"

_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
"""A language tag as sources write it: a primary subtag, then any subtags (`de-DE`,
`zh-Hant-TW`, `en_US`). What follows the primary subtag is not looked at."""

_NOT_A_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})
"""ISO 639 codes that name no language: undetermined, multiple, uncoded, no content."""

_RETIRED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
"""Withdrawn ISO 639-1 codes that old systems (Java locales, old CMSs) still write."""

MERGED = {
    "nb": "no", "nn": "no",  # Norwegian Bokmål and Nynorsk: the detector says `no`
    "fil": "tl",  # Filipino: the detector says `tl` (Tagalog, its base)
    "yue": "zh", "wuu": "zh", "cmn": "zh",  # Cantonese, Wu, Mandarin: Chinese (macrolanguage)
    "ary": "ar", "arz": "ar",  # Moroccan and Egyptian Arabic: news is in standard Arabic
    "uzs": "uz",  # Southern Uzbek
}  # fmt: skip
"""Languages the detector, sources and rule writers name differently, each compared as one:
a page declaring `nb` is Norwegian to a rule with `languages: [no]`, as is one detected as
`no`; a rule with `languages: [nb]` means the same."""


def canonical(code: str) -> str:
    """`code` as articles and rules compare it (`MERGED`)."""
    return MERGED.get(code, code)


_AUTONYMS = {
    "deutsch": "de", "francais": "fr", "espanol": "es", "castellano": "es", "italiano": "it",
    "portugues": "pt", "nederlands": "nl", "svenska": "sv", "polski": "pl", "turkce": "tr",
    "russkij": "ru", "russkiy": "ru", "ukrainska": "uk", "farsi": "fa", "persian": "fa",
    "bahasa": "id", "hebrew": "he", "chinese": "zh", "mandarin": "zh", "japanese": "ja",
    "korean": "ko", "hindi": "hi", "arabic": "ar", "norsk": "no", "dansk": "da", "suomi": "fi",
}  # fmt: skip
"""Names a rule writer may type instead of a code, beyond the English names of the table."""


@cache
def _table() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return data["two"], data["three_to_two"], frozenset(data["three"].split())


def known(code: str) -> bool:
    """Whether `code` is a language code in the form articles carry (lower case, the
    two-letter code where one exists)."""
    two, _, three = _table()
    return code in two or code in three


def primary(tag: object) -> str | None:
    """The language a declared tag names, in the compared form; None for anything else.

    `de-DE` -> `de`, `zh-Hant-TW` -> `zh`, `EN_us` -> `en`, `deu` -> `de`, `iw` -> `he`;
    `und`, `english`, `x-klingon`, `12`, a non-string: None (then the text decides).
    """
    if not isinstance(tag, str):
        return None
    text = tag.strip()
    if len(text) > 100 or not _TAG.fullmatch(text):
        return None
    code = re.split(r"[-_]", text, maxsplit=1)[0].lower()
    code = _RETIRED.get(code, code)
    if code in _NOT_A_LANGUAGE:
        return None
    code = _table()[1].get(code, code)
    return canonical(code) if known(code) else None


def name(code: str) -> str | None:
    """The English name of a two-letter code (`de` -> `German`), else None."""
    return _table()[0].get(code)


def checked(code: str) -> str:
    """A code of a rule's `languages:` or a `lang:` query in the compared form (`DE` ->
    `de`); ValueError with `problem`'s message for anything else."""
    found = problem(code)
    if found is not None:
        raise ValueError(found)
    return canonical(code.strip().lower())


def problem(code: str) -> str | None:
    """Why `code` cannot be in a rule's `languages:` or a `lang:` query, or None if it can.

    Codes are ISO 639-1 where the language has a two-letter code, ISO 639-3 otherwise, in
    any case (`de`, `DE`). The message suggests the code to write instead.
    """
    if code.strip().lower() in _NOT_A_LANGUAGE:
        return f"`{code[:40]}` names no language; give the codes of the languages to match"
    if known(code.strip().lower()):
        return None
    fix = suggest(code)
    if fix is not None and code.strip().lower() in _table()[1]:
        return (
            f"`{code[:40]}` is a three-letter code of {name(fix)}; articles carry the "
            f"two-letter code where a language has one: write `{fix}`"
        )
    if fix is not None and re.fullmatch(r"[A-Za-z]{2,3}[-_].+", code.strip()):
        return (
            f"`{code[:40]}` is a language tag with a region or script; rules match the "
            f"language alone: write `{fix}`"
        )
    if fix is not None:
        return f"`{code[:40]}` is not a language code: write `{fix}` ({name(fix) or fix})"
    return (
        f"`{code[:40]}` is not an ISO 639 language code: use two letters such as `de` "
        "(German) or `fr` (French), or three for a language with no two-letter code"
    )


def suggest(text: str) -> str | None:
    """The code someone typing `text` most likely meant: `german`, `Deutsch`, `DE`, `deu`,
    `de-AT` -> `de`; None when nothing is close."""
    declared = primary(text)
    if declared is not None:
        return declared
    word = _ascii_fold(text.strip().lower())
    if word in _AUTONYMS:
        return _AUTONYMS[word]
    two, _, _ = _table()
    names: dict[str, str] = {}
    for code, english in two.items():
        for part in re.split(r"[;,(]", english):
            cleaned = part.strip().lower()
            if cleaned:
                names.setdefault(cleaned, code)
                names.setdefault(cleaned.split(" ")[-1], code)  # "modern greek": greek
    if word in names:
        return names[word]
    close = difflib.get_close_matches(word, [*names, *_AUTONYMS], n=1, cutoff=0.8)
    if close:
        return names.get(close[0]) or _AUTONYMS[close[0]]
    return None


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
