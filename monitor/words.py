"""What a word is, for the matcher and for the gazetteer's name keys alike.

The matcher compares the words of rules and articles (`monitor.matching.normalize`), and the
gazetteer looks names up by their words (`monitor.gazetteer.catalog.name_key`): both must
cut a text into the same words and fold them the same way, or a name would be found by the
one and never by the other. This module has both rules and depends on nothing, so that
both can use it (the matcher depends on the gazetteer, not the other way round).

A word is a run of letters, digits and combining marks, except in scripts written without
spaces (`CHARACTER_SCRIPTS`), where each character is a word, and where scripts meet inside
a run: a Katakana run, a Hangul run and the letters around them are words of their own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _mark_ranges() -> str:
    """The combining marks of the Basic Multilingual Plane, as a regex character-class body.

    Python's `re` has no `\\p{M}`, so they are listed from this Python's Unicode database.
    """
    ranges: list[str] = []
    start: int | None = None
    for cp in [*range(0x10000), 0x10FFFF]:
        is_mark = unicodedata.category(chr(cp)).startswith("M")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return "".join(ranges)


_MARKS = _mark_ranges()

SPLITTER = re.compile(f"([\\w{_MARKS}\\U00010000-\\U0010FFFF]+)")
"""Runs of word characters: `\\w`, combining marks, and astral characters.

`\\w` leaves out combining marks, so decomposed text ("u" + U+0308) would fall apart into
two words without them. Characters beyond the Basic Multilingual Plane are all taken as word
characters (one range keeps the regex fast; listing astral marks one by one made it five
times slower): `fold` then drops what is not a letter, digit or mark, so an emoji alone is
no word, and one glued to a word ("Korea\U0001f1f0\U0001f1f7") disappears from it. The
capturing group makes `split` return gaps and words alternately."""

CHARACTER_SCRIPTS = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u309f"  # Hiragana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han, its extension A, compatibility
    "\U00020000-\U0003134f"  # Han extensions B to G
)
"""Scripts written without spaces between words, where each character is a word of its own.

Chinese, Japanese, Thai, Lao, Khmer and Burmese do not mark where words end, and splitting
them into dictionary words needs a dictionary per language and still errs. So a keyword or
name in them matches as a sequence of characters: `台湾` is the two words `台 湾`, found
inside `台湾半导体出口创新高`, and `NEAR/5` there counts characters. Katakana is the
exception (`_KATAKANA`)."""

_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
"""Katakana, full and half width: a run of it is one word. Japanese writes foreign names and
loanwords in it, and the run ends where the word does (the next character is Kanji,
Hiragana or punctuation), so `タイ` (Thailand) is not found in `タイヤ` (tyre)."""

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
"""Hangul: written with spaces, but Korean glues particles to a Latin word (`NATO가`)."""

_MIXED = re.compile(f"[{CHARACTER_SCRIPTS}{_KATAKANA}{_HANGUL}]")
_PIECE = re.compile(
    f"([{CHARACTER_SCRIPTS}][{_MARKS}]*|[{_KATAKANA}][{_KATAKANA}{_MARKS}]*"
    f"|[{_HANGUL}][{_HANGUL}{_MARKS}]*)"
)
"""A word cut out of a run of mixed scripts: one character, a Katakana run or a Hangul run."""


def split(text: str) -> list[str]:
    """`text` as gaps and words alternately, starting and ending with a gap (maybe empty).

    An underscore is a word character to `\\w` but a separator here. The parts join to
    `text` with underscores made spaces, so offsets can be summed from their lengths.
    """
    spaced = text.replace("_", " ") if "_" in text else text
    parts = SPLITTER.split(spaced)
    if _MIXED.search(spaced) is None:
        return parts
    split = [parts[0]]
    for k in range(1, len(parts), 2):
        word, gap = parts[k], parts[k + 1]
        if _MIXED.search(word) is None:
            split += (word, gap)
            continue
        pieces = [piece for piece in _PIECE.split(word) if piece]
        for piece in pieces[:-1]:
            split += (piece, "")
        split += (pieces[-1], gap)
    return split


@lru_cache(maxsize=1 << 17)  # the gazetteer's names: looked up, then filtered (compile)
def folded_words(text: str) -> tuple[str, ...]:
    """The folded words of `text` (`split`, then `fold`), leaving out those that fold to
    nothing (a stray mark or symbol)."""
    folded = (word.lower() if word.isascii() else fold(word) for word in split(text)[1::2])
    return tuple(word for word in folded if word)


@lru_cache(maxsize=1 << 16)  # words repeat: in an article, and across the gazetteer's names
def fold(word: str) -> str:
    """The normalised form of one word: what case- and accent-insensitive comparison sees.

    NFKC first (ligatures, full-width letters), then case folding ("ß" -> "ss"), then a
    compatibility decomposition to drop non-spacing accents, keeping letters, digits,
    spacing marks and the Indic vowel signs and viramas that are non-spacing (`_INDIC_SIGNS`:
    they are letters, not accents), and NFC to recompose. Letters that one language's press
    writes for another are one (`_SPELLINGS`).
    """
    if word.isascii():
        lowered = word.lower()
        return lowered if lowered.isalnum() else "".join(ch for ch in lowered if ch.isalnum())
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word).casefold())
    kept = "".join(
        ch
        for ch in folded.translate(_SPELLINGS)
        if ch.isalnum()
        or ch in _KANA_VOICING
        or ch in _INDIC_SIGNS
        or unicodedata.category(ch) == "Mc"
    )
    return unicodedata.normalize("NFC", kept)


_SPELLINGS = str.maketrans(
    {
        "\u0131": "i",  # Turkish dotless ı: `MISIR` is `Mısır`, as `ISTANBUL` is `İstanbul`
        "\u06cc": "\u064a",  # Persian yeh: `ایران` is `ايران`
        "\u0649": "\u064a",  # alef maksura, written for a final yeh
        "\u06a9": "\u0643",  # Persian keheh: `کره` is `كره`
        "\u0640": None,  # the Arabic tatweel stretches a word (`الـناتو`), it is no letter
    }
)
"""Letters written for one another in one language's news, as accents are in another."""

_INDIC_SIGNS = frozenset(
    ch
    for ch in map(chr, range(0x0900, 0x0E00))
    if unicodedata.category(ch) == "Mn"
    and ("VOWEL SIGN" in unicodedata.name(ch, "") or "VIRAMA" in unicodedata.name(ch, ""))
)
"""The non-spacing vowel signs and viramas of the Indic scripts (Devanagari to Sinhala).

Unicode calls them marks, but each is a vowel or the absence of one: dropping them as
accents would make Hindi `पेरू` (Peru) the word `पर` (on), and `चीन` (China) `चन`. The nukta
and the nasal signs (anusvara, candrabindu) are still dropped: news spells `इज़राइल` and
`इजराइल`, `हिंदी` and `हिँदी` alike."""

_KANA_VOICING = frozenset("\u3099\u309a")
"""Kana's voicing marks: combining, but no accent (`バス`, bus, is not `ハス`, lotus)."""


def case_key(word: str) -> str:
    """Like `fold` but keeping case: how an `exact` alias ("US", "ROK") is compared."""
    if word.isascii():
        return word if word.isalnum() else "".join(ch for ch in word if ch.isalnum())
    decomposed = unicodedata.normalize("NFKD", word)
    kept = "".join(
        ch
        for ch in decomposed
        if ch.isalnum() or ch in _INDIC_SIGNS or unicodedata.category(ch) == "Mc"
    )
    return unicodedata.normalize("NFC", kept)
