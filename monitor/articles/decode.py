"""Bytes to text for every article format.

Inbox files come from many tools: modern UTF-8 editors, Windows exports with a UTF-16
byte-order mark, and legacy wire feeds in cp1252. Decoding must never fail on real text, so
the order is: byte-order mark, UTF-8, the charset the document declares (if any), cp1252 and
finally latin-1 (which maps every byte, so something legible always comes out). Binary files
and empty files are refused here, once, with a message the admin can act on.
"""

from __future__ import annotations

import codecs
import re

from monitor.errors import ArticleError

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

_BINARY_FIX = (
    "save articles as UTF-8 text (.txt, .md, .json, .html or .eml); "
    "UTF-16 text needs a byte-order mark"
)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, so offsets mean the same whatever tool wrote the file."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode without judging the content: BOM, UTF-8, `declared`, cp1252, then latin-1.

    Used directly for raw header bytes and as the fallback for e-mail parts, where an empty
    result is fine.
    Raises ArticleError only when a byte-order mark promises an encoding the bytes break.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], encoding)
    for encoding in _candidates(declared):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):  # LookupError: a label like "base64"
            continue
    return data.decode("latin-1")


def decode_declared(data: bytes, charset: str | None) -> str:
    """Decode by a charset declared per part (e-mail), falling back to the chain.

    Mail declares charsets explicitly, so the declaration comes first, unlike in
    `decode_bytes` where UTF-8 goes first; a wrong or unknown declaration is survived.
    """
    label = (charset or "").strip().lower()
    if label in _LATIN1_LABELS:
        label = "cp1252"
    if label and label not in _VACUOUS_LABELS:
        try:
            return data.decode(label)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def decode_document(data: bytes, declared: str | None = None) -> str:
    """Decode a whole article file, refusing empty and binary input, with LF line endings."""
    if not data.strip():
        raise ArticleError("empty file")
    if b"\x00" in data and not _has_wide_bom(data):
        raise ArticleError(f"binary file: {_describe(data)} contains NUL bytes; {_BINARY_FIX}")
    text = decode_bytes(data, declared)
    if not text.strip():
        raise ArticleError("empty file")
    # Without a declared charset or a wide byte-order mark the decodings tried (UTF-8,
    # cp1252, latin-1) keep bytes below 0x80 as the same characters, so a file without
    # control bytes has no control characters: one C call instead of a regex scan.
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
    return normalise_newlines(text)


def control_share(text: str) -> float:
    """The fraction of characters that are control codes no prose contains."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _decode_with_bom(payload: bytes, encoding: str) -> str:
    """Trust the byte-order mark, falling back to the plain chain only for UTF-8.

    A UTF-8 mark in front of cp1252 bytes happens (editors add it blindly); a UTF-16 mark in
    front of bytes that are not UTF-16 means a damaged file, and guessing would yield noise.
    """
    if encoding == "utf-8":
        return decode_bytes(payload)
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the file starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} ({exc.reason} at byte {exc.start}); re-save it as UTF-8"
        ) from exc


def _candidates(declared: str | None) -> list[str]:
    """The strict encodings to try in order, with a usable declared charset after UTF-8."""
    label = (declared or "").strip().lower()
    if _usable_declaration(label):
        return ["utf-8", label, "cp1252"]
    return ["utf-8", "cp1252"]


def _usable_declaration(label: str) -> bool:
    """Whether a declared charset should be tried before the cp1252 guess.

    Latin-1 labels are served better by cp1252 (see `_LATIN1_LABELS`); wide encodings
    declared without a byte-order mark are wrong by construction (the file had no NUL
    bytes), and decoding it as UTF-16 would "succeed" with nonsense.
    """
    if not label or label in _LATIN1_LABELS or label in _VACUOUS_LABELS:
        return False
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return False
    return not name.startswith(("utf-16", "utf-32"))


def _has_wide_bom(data: bytes) -> bool:
    """UTF-16/32 text is full of NUL bytes by design; only its byte-order mark tells it apart."""
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))


def _describe(data: bytes) -> str:
    """Name a well-known binary format, so the admin knows what was dropped in the inbox."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"this looks like {name} and"
    return "the file"
