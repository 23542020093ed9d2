"""Bytes to text for every article format.

Inbox files come from many tools: modern UTF-8 editors, Windows exports with a UTF-16
byte-order mark, legacy wire feeds in cp1252, and the Russian, Japanese, Chinese or Korean
press in their own legacy charsets (cp1251, KOI8-R, Shift_JIS, EUC-JP, GB18030, Big5,
EUC-KR ...). Decoding must never fail on real text, so the order is: byte-order mark,
UTF-8, the charset the document declares (if any), the charset charset-normalizer detects
in the first `DETECT_BYTES` bytes from the first non-ASCII one, cp1252 and finally latin-1
(which maps every byte, so something legible always comes out). Binary files and empty
files are refused here, once, with a message the admin can act on.

These functions are pure: they return the text and a `Decoding` saying which charset was
used and how it was chosen; the readers, which know the file's name, log the guesses
(`Decoding.guessed`), at INFO when detection was sure and at WARNING when it was not.

Detection is bounded: charset-normalizer sees at most `DETECT_BYTES` (64 KB, about 20 ms
at worst; a whole 10 MB file took up to 0.4 s), and only a short list of charsets news is
written in (`_DETECTABLE`). It tells scripts apart well, but among the Latin-script
code pages (cp1252, cp1250, cp1254, ISO-8859-2 ...) it often ties; `_pick` breaks ties by
the language it found, by whether the bytes use the C1 range (0x80-0x9F: letters in
windows-125x, never text in ISO-8859-x), and otherwise in favour of cp1252, which is what
Western wires use and what was read before detection existed.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

import charset_normalizer
from charset_normalizer.models import CharsetMatch

from monitor.errors import ArticleError
from monitor.textsafe import shorten

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of files people drop into an inbox by mistake, so the error can name them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)

# Labels that in practice mean cp1252: mail and web tools write "iso-8859-1" for text that
# carries Windows curly quotes (0x93/0x94), which latin-1 would turn into invisible controls.
_LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1"})
# Labels that say nothing useful: 8-bit bytes under them are usually UTF-8.
_VACUOUS_LABELS = frozenset({"us-ascii", "ascii", "unknown-8bit", "x-unknown"})

# C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape
# (escape is legitimate in ISO-2022 text), plus DEL. Real prose has essentially none of them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_SHARE_LIMIT = 0.05
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
"""The characters `_CONTROL` matches, as bytes in UTF-8, cp1252 and latin-1."""

_NEWLINES = re.compile(r"\r\n?")
_XML_DECLARATION = re.compile(
    rb"""((?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}?encoding\s*=\s*["'])([A-Za-z0-9_.:-]{1,40})["']"""
)

DETECT_BYTES = 64 * 1024
"""Bytes charset-normalizer looks at, from just before the first non-ASCII byte.

Its cost grows with the input (up to 0.4 s for 10 MB, 20 ms for 64 KB, measured on the
two-core development machine); 64 KB is a whole news story, and a file does not change
charset halfway. Starting at the first non-ASCII byte keeps a page's ASCII head (scripts,
styles) from filling the sample."""
MIN_EVIDENCE = 32
"""Fewer non-ASCII bytes than this in the sample make any guess unsure (a 20-byte headline
in Hebrew reads as Russian just as well, for all detection can tell)."""
_MAX_CHAOS = 0.1
"""A guess whose text is more than this share odd characters is unsure."""
_TIE = 0.01
"""Detection scores closer than this are a tie."""

# What detection may choose: the charsets news is written in, each with its Windows
# superset where there is one (cp932 for Shift_JIS, cp949 for EUC-KR). Every one is
# ASCII-compatible, which `decode_document`'s control-byte shortcut relies on.
_DETECTABLE = [
    *(f"cp{n}" for n in range(1250, 1259)),
    *(f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)),
    "koi8_r", "koi8_u", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "gb18030", "big5",
    "cp950", "big5hkscs", "euc_kr", "cp949",
]  # fmt: skip

# Languages whose legacy text is not in cp1252, with their charsets: the Windows one first
# (used when the bytes have any in 0x80-0x9F), the ISO one second (used when they have none).
_LANGUAGE_CHARSETS = {
    **dict.fromkeys(
        ("Polish", "Czech", "Slovak", "Hungarian", "Slovene", "Croatian", "Romanian"),
        ("cp1250", "iso8859_2"),
    ),
    "Turkish": ("cp1254", "iso8859_9"),
    **dict.fromkeys(("Lithuanian", "Estonian"), ("cp1257", "iso8859_13")),
    "Vietnamese": ("cp1258", "cp1258"),
}
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_HIGH_RUN = re.compile(r"(?<=[\x80-\xff])[\x80-\xff]|[\x80-\xff](?=[\x80-\xff])")
_SAFE_CUT = re.compile(rb"[\x00-\x2f](?=[^\x00-\x2f]*\Z)")
# cp1252's Icelandic letters where cp1254 has Turkish ş ğ Ş Ğ (ý/ı is Czech too, so not it).
_TURKISH_IN_CP1252 = re.compile("[þðÞÐ]")
_MIN_COHERENCE = 0.3
"""A short sample (below `MIN_EVIDENCE`) makes a guess sure only if its letters fit a
language at least this well (a Russian headline does; CJK text has no such score)."""
# Alphabets (Greek, Cyrillic, Hebrew, Arabic) whose letters in a real text sit next to each
# other, not inside Latin words: "naпve" is Western text read in the wrong charset.
_ALPHABET = "\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff"
_OTHER_LETTER = re.compile(f"[{_ALPHABET}]")
_IN_LATIN_WORD = re.compile(f"(?<=[A-Za-z])[{_ALPHABET}]|[{_ALPHABET}](?=[A-Za-z])")

_BINARY_FIX = (
    "save articles as UTF-8 text (.txt, .md, .json, .html or .eml); "
    "UTF-16 text needs a byte-order mark"
)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, so offsets mean the same whatever tool wrote the file."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


How = Literal["bom", "utf-8", "declared", "detected", "fallback", "repaired"]

UTF8_REPAIR_RATIO = 1
"""Characters UTF-8 decodes beyond ASCII per broken sequence (and at least
`UTF8_REPAIR_MIN`), from which a text that is not quite UTF-8 is read as UTF-8 with the
broken bytes replaced (`_mostly_utf8`). Legacy text has many broken sequences for each
accidental valid one (cp1251's letters are all lead bytes, cp1252's `Ã¤` pairs never occur
in real prose)."""
UTF8_REPAIR_MIN = 2


@dataclass(frozen=True, slots=True)
class Decoding:
    """How bytes became text: the codec used and how it was chosen.

    `how` is "bom", "utf-8" or "declared" when the bytes said so, "detected" when
    charset-normalizer chose, "fallback" when nothing fitted and cp1252 (or latin-1) was
    used. `sure` is false for a guess the admin should look at (`note` says why): too
    little non-ASCII text to tell, candidates that read differently with nothing to choose
    between them, or a declared charset (`declared`) the bytes break.
    """

    charset: str
    how: How
    sure: bool = True
    language: str | None = None  # what detection found the text to be in ("Russian")
    chaos: float | None = None  # detection's share of odd characters, 0..1
    coherence: float | None = None  # detection's fit to the language's letter frequencies
    note: str = ""  # why the guess is unsure
    declared: str | None = None  # a declared charset the bytes did not fit

    @property
    def guessed(self) -> bool:
        """Whether the charset was guessed (detected, the fallback, or UTF-8 repaired), or
        declared but doubted: worth a log line."""
        return self.how in ("detected", "fallback", "repaired") or not self.sure

    def describe(self) -> str:
        """One phrase for the log line about a guess."""
        if self.how == "repaired":
            return f"not valid UTF-8; read as UTF-8, {self.note}"
        if self.how == "declared":
            return f"read as {self.charset} as declared, but {self.note}"
        if self.declared:
            start = f"not {self.declared} as declared"
        else:
            start = "not UTF-8 and no charset declared"
        if self.how == "fallback":
            return f"{start}; read as {self.charset}, unsure ({self.note or 'no charset fits'})"
        found = [self.language] if self.language and self.language != "Unknown" else []
        if self.chaos is not None:
            found.append(f"{self.chaos:.0%} odd characters")
        if self.coherence is not None:
            found.append(f"{self.coherence:.0%} language fit")
        verdict = "guessed" if self.sure else "guessed, unsure"
        why = f"; {self.note}" if self.note else ""
        return f"{start}; read as {self.charset}, {verdict} (detected {', '.join(found)}{why})"


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, Decoding]:
    """Decode without judging the content: BOM, UTF-8, `declared`, detection, cp1252, latin-1.

    Used directly for raw header bytes and as the fallback for e-mail parts, where an empty
    result is fine.
    Raises ArticleError only when a byte-order mark promises an encoding the bytes break.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], encoding)
    try:
        return data.decode("utf-8"), Decoding("utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired
    label = (declared or "").strip().lower()
    if label in _LATIN1_LABELS:  # declared, so not guessed: cp1252 (see _LATIN1_LABELS)
        return _doubted(data, *_western(data, "declared"))
    wrong = None
    if label and label not in _VACUOUS_LABELS:
        name = text_codec(label) if _usable_declaration(label) else None
        if name is not None:
            try:
                return _doubted(data, data.decode(name), Decoding(name, "declared"))
            except UnicodeDecodeError:
                pass
        wrong = shorten(label, 40)
    text, decoding = _guess(data)
    if wrong is None:
        return text, decoding
    return text, replace(decoding, sure=False, declared=wrong)


_ONE_BYTE = ("cp125", "cp437", "cp850", "iso8859", "koi8", "mac", "latin")
"""Prefixes of Python's names of one-byte charsets: any bytes decode under them, so a wrong
declaration never fails and reads as garbage (`Ðîññèÿ` for Russian declared latin-1)."""


def _doubted(data: bytes, text: str, decoding: Decoding) -> tuple[str, Decoding]:
    """A declared one-byte charset, kept, but doubted (logged) when detection is sure the
    bytes are another charset that reads them differently. A declaration wins, as in
    browsers; a wrong one in a page template is still worth a line for the admin."""
    if not decoding.charset.startswith(_ONE_BYTE) or _HIGH_BYTE.search(data) is None:
        return text, decoding
    other, found = _guess(data)
    if not found.sure or found.how != "detected" or other == text:
        return text, decoding
    family = _family(decoding.charset)
    if family == _family(found.charset) != "cyrillic":
        return text, decoding  # Latin code pages read each other's text nearly alike
    language = f", {found.language}" if found.language and found.language != "Unknown" else ""
    note = f"the text reads as {found.charset}{language}: check the declaration"
    return text, replace(decoding, sure=False, note=note)


_FAMILIES = {
    **dict.fromkeys(
        ("cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "cp437", "cp850", "mac-roman",
         "mac-latin2", *(f"iso8859-{n}" for n in (1, 2, 3, 4, 9, 10, 13, 14, 15, 16))),
        "latin",
    ),
    **dict.fromkeys(
        ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"), "cyrillic"
    ),
}  # fmt: skip
"""Code pages by the alphabet they are for. Detection tells alphabets apart well, but not
the Latin code pages (French text reads as ISO-8859-14 as well as cp1252): a declaration is
doubted only when detection finds another alphabet, or, among the Cyrillic code pages,
another one (KOI8-R and cp1251 put every letter elsewhere)."""


def _family(charset: str) -> str:
    name = codecs.lookup(charset).name
    return _FAMILIES.get(name, name)


def _mostly_utf8(data: bytes) -> tuple[str, Decoding] | None:
    """UTF-8 with a few bytes that are not, those replaced by U+FFFD; None if it is not that.

    A stray cp1252 dash pasted into a UTF-8 article, or a file cut inside its last
    character, made the whole text fall to detection and then to latin-1: every letter of a
    Russian or Chinese article garbled and no rule matching. UTF-8's multi-byte sequences
    almost never occur by chance in legacy text, so many of them and few broken bytes
    (`UTF8_REPAIR_RATIO`) say it is UTF-8 with damage, which costs only the damaged bytes.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    if broken <= 0 or wide < max(UTF8_REPAIR_MIN, UTF8_REPAIR_RATIO * broken):
        return None
    note = f"{broken} byte sequence{'s' if broken > 1 else ''} replaced by U+FFFD"
    return text, Decoding("utf-8", "repaired", sure=False, note=note)


def decode_declared(data: bytes, charset: str | None) -> tuple[str, Decoding]:
    """Decode by a charset declared per part (e-mail), falling back to the chain.

    Mail declares charsets explicitly, so the declaration comes first, unlike in
    `decode_bytes` where UTF-8 goes first; a wrong or unknown declaration is survived.
    """
    label = (charset or "").strip().lower()
    name = text_codec(label) if label and label not in _VACUOUS_LABELS else None
    if label in _LATIN1_LABELS or (name is not None and name.startswith(_ONE_BYTE)):
        # A one-byte label on bytes that are UTF-8 (mail clients mislabel it often): legacy
        # text with letters beyond ASCII is valid UTF-8 by accident almost never.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not text.isascii():
                return text, Decoding("utf-8", "utf-8")
    if label in _LATIN1_LABELS:
        return _doubted(data, *_western(data, "declared"))
    if name is not None:
        try:
            return _doubted(data, data.decode(name), Decoding(name, "declared"))
        except UnicodeDecodeError:
            pass
    return decode_bytes(data, charset)


def decode_document(data: bytes, declared: str | None = None) -> tuple[str, Decoding]:
    """Decode a whole article file, refusing empty and binary input, with LF line endings."""
    if not data.strip():
        raise ArticleError("empty file")
    if b"\x00" in data and not _has_wide_bom(data):
        raise ArticleError(f"binary file: {_describe(data)} contains NUL bytes; {_BINARY_FIX}")
    text, decoding = decode_bytes(data, declared)
    if not text.strip():
        raise ArticleError("empty file")
    # Without a declared charset or a wide byte-order mark the decodings tried (UTF-8, the
    # detected ones, cp1252, latin-1: all ASCII-compatible, and no multi-byte charset of
    # `_DETECTABLE` has a byte below 0x30 inside a character) keep control bytes as the same
    # characters, so a file without control bytes has no control characters: one C call
    # instead of a regex scan.
    clean = (
        declared is None
        and not _has_wide_bom(data)
        and len(data.translate(None, _CONTROL_BYTES)) == len(data)
    )
    share = 0.0 if clean else control_share(text)
    if share > _CONTROL_SHARE_LIMIT:
        raise ArticleError(
            f"binary file: {_describe(data)} is {share:.0%} control characters; {_BINARY_FIX}"
        )
    return normalise_newlines(text), decoding


def xml_declared(data: bytes) -> str | None:
    """The encoding an XML declaration at the very start of `data` names, if any."""
    found = _XML_DECLARATION.match(data, 0, 512)
    return found.group(2).decode("ascii") if found else None


def xml_redeclared(data: bytes, encoding: str) -> bytes:
    """`data` with the encoding its XML declaration names (if it has one) made `encoding`:
    for a document re-encoded before an XML parser reads it."""
    found = _XML_DECLARATION.match(data, 0, 512)
    if found is None:
        return data
    return data[: found.start(2)] + encoding.encode("ascii") + data[found.end(2) :]


def control_share(text: str) -> float:
    """The fraction of characters that are control codes no prose contains."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _decode_with_bom(payload: bytes, encoding: str) -> tuple[str, Decoding]:
    """Trust the byte-order mark, falling back to the plain chain only for UTF-8.

    A UTF-8 mark in front of cp1252 bytes happens (editors add it blindly); a UTF-16 mark in
    front of bytes that are not UTF-16 means a damaged file, and guessing would yield noise.
    """
    if encoding == "utf-8":
        text, decoding = decode_bytes(payload)
        return text, Decoding("utf-8", "bom") if decoding.how == "utf-8" else decoding
    try:
        return payload.decode(encoding), Decoding(encoding, "bom")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the file starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} ({exc.reason} at byte {exc.start}); re-save it as UTF-8"
        ) from exc


def _western(data: bytes, how: How, note: str = "", sure: bool = True) -> tuple[str, Decoding]:
    """cp1252, or latin-1 for the bytes cp1252 leaves undefined (0x81, 0x8D ...)."""
    try:
        return data.decode("cp1252"), Decoding("cp1252", how, sure, note=note)
    except UnicodeDecodeError:
        return data.decode("latin-1"), Decoding("latin-1", how, sure, note=note)


def _guess(data: bytes) -> tuple[str, Decoding]:
    """Bytes that are not UTF-8 and declare nothing usable: detect, else cp1252/latin-1."""
    sample = detection_sample(data)
    matches = charset_normalizer.from_bytes(
        sample, cp_isolation=_DETECTABLE, preemptive_behaviour=False
    )
    picked = _pick(sample, list(matches))
    if picked is None:
        return _western(data, "fallback", "no charset fits", sure=False)
    match, charset, reason = picked
    evidence = len(_HIGH_BYTE.findall(sample))
    if not reason and evidence < MIN_EVIDENCE and match.coherence < _MIN_COHERENCE:
        reason = f"only {evidence} non-ASCII bytes to judge by"
    if not reason and match.chaos > _MAX_CHAOS:
        reason = "its text looks odd in every charset"
    if reason and charset not in ("cp1252", "cp1254") and _looks_western(sample):
        # Unsure, and cp1252 reads it as Western text rather than mojibake: keep cp1252,
        # as before detection existed, rather than a guess that may well be worse.
        why = f"{charset} was detected, unsure: {reason}"
        return _western(data, "fallback", why, sure=False)
    decoding = Decoding(
        charset,
        "detected",
        sure=not reason,
        language=match.language,
        chaos=match.chaos,
        coherence=match.coherence,
        note=reason,
    )
    if charset == "cp1252":
        text, western = _western(data, "detected")
        return text, replace(decoding, charset=western.charset)
    try:
        return data.decode(charset), decoding
    except UnicodeDecodeError as exc:  # past the sample: keep the guess, mark the bytes
        text = data.decode(charset, "replace")
        where = f"bytes past the first {len(sample):,} do not fit it (byte {exc.start:,})"
        return text, replace(
            decoding, sure=False, note="; ".join(n for n in (decoding.note, where) if n)
        )


def detection_sample(data: bytes) -> bytes:
    """At most `DETECT_BYTES` of `data`, from shortly before its first non-ASCII byte, cut
    after a byte below 0x30, which no charset of `_DETECTABLE` uses inside a character (so
    a multi-byte character is never split: a split one would rule its charset out)."""
    first = _HIGH_BYTE.search(data)
    start = max(0, first.start() - 256) if first else 0  # all ASCII before: any cut is clean
    sample = data[start : start + DETECT_BYTES]
    if start + DETECT_BYTES < len(data):
        cut = _SAFE_CUT.search(sample, len(sample) // 2)
        if cut is not None:
            sample = sample[: cut.end()]
    return sample


def _pick(sample: bytes, matches: list[CharsetMatch]) -> tuple[CharsetMatch, str, str] | None:
    """The detected match to use, its codec, and why the pick is unsure ("" if it is not).

    charset-normalizer ranks by chaos (odd characters), then coherence (letter frequencies
    of a language); Latin-script code pages often tie, reading the same bytes as different
    letters (cp1250's "ŕ" is cp1252's "à"). A tie is broken by the language found (Polish
    in cp1250 or ISO-8859-2, Turkish in cp1254 ...), else cp1252 wins, as before detection.
    """
    c1 = _C1_BYTES.search(sample) is not None
    if c1:  # 0x80-0x9F are C1 controls in ISO-8859-x: never text
        matches = [m for m in matches if any(not c.startswith("iso8859") for c in _charsets(m))]
    matches = [m for m in matches if not _latin_misread(str(m))]
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    tied = [
        m for m in matches if m.chaos <= best.chaos + _TIE and m.coherence >= best.coherence - _TIE
    ]
    texts = {str(m) for m in tied}
    if len(texts) == 1:
        return best, _codec(best, c1), ""
    languages = Counter(m.language for m in tied if m.language != "Unknown")
    language = languages.most_common(1)[0][0] if languages else None
    wanted = _LANGUAGE_CHARSETS.get(language or "")
    if wanted is not None:
        order = wanted if c1 else wanted[::-1]
        for charset in order:
            for m in tied:
                if charset in _charsets(m):
                    # cp1252 when it reads the sample alike: the language (its guess is
                    # weak: a long French text came out "Turkish") gave no reason to leave it
                    return m, "cp1252" if "cp1252" in _charsets(m) else charset, ""
    differ = f"{len(texts)} charsets read it differently"
    western = next((m for m in tied if "cp1252" in _charsets(m)), None)
    if western is None:
        return best, _codec(best, c1), differ
    turkish = next((m for m in tied if "cp1254" in _charsets(m)), None)
    if turkish is not None and _TURKISH_IN_CP1252.search(str(western)):
        # ý þ ð (Icelandic letters) are what cp1252 makes of Turkish ı ş ğ
        return turkish, "cp1254", f"{differ}; Turkish letters in cp1252's place"
    western_language = language is not None and language not in _LANGUAGE_CHARSETS
    return western, "cp1252", "" if western_language else differ


def _looks_western(sample: bytes) -> bool:
    """Whether cp1252 reads `sample` as Western text: accented letters alone among ASCII
    ones ("café", "Maßnahmen"), not in runs ("Ðîññèÿ", what it makes of other scripts)."""
    text = sample.decode("latin-1")
    high = len(_HIGH_BYTE.findall(sample))
    return 2 * len(_HIGH_RUN.findall(text)) < high


def _latin_misread(text: str) -> bool:
    """Whether half or more of the Greek, Cyrillic, Hebrew or Arabic letters of `text` touch
    a Latin one: accented Western letters read in another script's code page ("naпve")."""
    other = len(_OTHER_LETTER.findall(text))
    return other > 0 and 2 * len(_IN_LATIN_WORD.findall(text)) >= other


def _charsets(match: CharsetMatch) -> list[str]:
    """The codecs that read the sample as `match` does."""
    return list(match.could_be_from_charset)


def _codec(match: CharsetMatch, c1: bool) -> str:
    """Among the codecs that read the sample alike, the one to read the whole file with:
    cp1252 (as before detection), else the Windows code page (its 0x80-0x9F are letters
    and quotes), else the ISO one, else detection's own."""
    charsets = _charsets(match)
    for prefix in ("cp1252", "cp125", "iso8859"):
        for charset in charsets:
            if charset.startswith(prefix):
                return charset
    return str(match.encoding)


def _usable_declaration(label: str) -> bool:
    """Whether a declared charset should be tried before the cp1252 guess.

    Latin-1 labels are served better by cp1252 (see `_LATIN1_LABELS`); wide encodings
    declared without a byte-order mark are wrong by construction (the file had no NUL
    bytes), and decoding it as UTF-16 would "succeed" with nonsense.
    """
    if not label or label in _LATIN1_LABELS or label in _VACUOUS_LABELS:
        return False
    name = text_codec(label)
    return name is not None and not name.startswith(("utf-16", "utf-32"))


_NOT_CHARSETS = frozenset(
    {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7"}
    | {"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"}  # EBCDIC
)
"""Python codecs (as `codecs.lookup` names them) that decode bytes to text but are no
charset news is written in: `undefined` always fails, the escape codecs turn `\\x1b` in a
page into a real escape character, UTF-7 hides any character behind `+...-`."""


def text_codec(label: str) -> str | None:
    """Python's name for the charset a document declares, or None if it names none.

    Python's codec registry also answers to `base64`, `quoted-printable`, `rot13` or
    `zlib`, which are no charsets and cannot decode bytes to text: such a label in a broken
    mail made the article unreadable."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _has_wide_bom(data: bytes) -> bool:
    """UTF-16/32 text is full of NUL bytes by design; only its byte-order mark tells it apart."""
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))


def _describe(data: bytes) -> str:
    """Name a well-known binary format, so the admin knows what was dropped in the inbox."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"this looks like {name} and"
    return "the file"
