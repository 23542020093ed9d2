"""Article- and file-name-derived text made safe for people's screens: terminals, logs, chat.

Anyone who can drop a file into the inbox chooses its name, its title and its body. Shown
raw, a newline in a file name forges a whole log line (`ALERT [fake] ...`, or a fake
`ERROR` that sends an admin chasing ghosts; under systemd every line is its own journal
entry), an ESC starts a terminal control sequence (`ESC [2J` clears the screen,
`ESC ]0;...BEL` retitles the window, others once wrote files or answered back into the
shell's input), a C1 control (U+0080-U+009F) does the same on terminals that honour 8-bit
controls, and a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and friends) makes a line
display in another order than it reads. So every human-facing output passes text through
one of these functions, which all treat the same set of characters as unsafe:

* C0 controls U+0000-U+001F (CR, LF, TAB, ESC, BEL ...), DEL and the C1 controls
  U+007F-U+009F (NEL U+0085, CSI U+009B ...);
* the Unicode line and paragraph separators U+2028 and U+2029 (line breaks to some
  viewers);
* the bidi controls: U+061C ALM, U+200E LRM, U+200F RLM, U+202A-U+202E embeddings and
  overrides, U+2066-U+2069 isolates;
* lone surrogates U+D800-U+DFFF, which is how Python holds a file name's undecodable
  bytes; written to a UTF-8 stream they raise instead of printing.

For admins (log lines, the console channel, `monitor test`, `monitor outbox`) each unsafe
character becomes a visible escape (`\\n`, `\\x1b`, `\\u202e`), so the admin sees that
something odd was there and what. For readers of an alert (Slack, email) `blank` turns them
into spaces, one for one, so that hit offsets into the text stay valid. A backslash is
left as it is: the escapes only need to be harmless, not reversible.

These run on every log line, so text with nothing unsafe costs one `str.isprintable` call
(C, and true for ordinary text); only the rest goes through the compiled pattern.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: The bidi formatting characters, as a regex class body.
_BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Unsafe everywhere, even in multi-line text.
_ALWAYS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI

_ONE_LINE = re.compile(rf"[\t\n{_ALWAYS}]")
_MULTI_LINE = re.compile(rf"[{_ALWAYS}]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` as one harmless line: every unsafe character (newlines and tabs included)
    becomes a visible escape such as `\\n`, `\\x1b` or `\\u202e`."""
    if text.isprintable():
        return text
    return _ONE_LINE.sub(_visible, text)


def printable_lines(text: str) -> str:
    """Like `printable`, but newlines and tabs stay: for output that is several lines
    by design (a traceback), where each line is then harmless on its own."""
    if text.isprintable():
        return text
    return _MULTI_LINE.sub(_visible, text)


def blank(text: str) -> str:
    """`text` with every unsafe character (newlines and tabs included) replaced by a space,
    one for one, so offsets into the text still hold: for what alert readers see."""
    if text.isprintable():
        return text
    return _ONE_LINE.sub(" ", text)


def blank_lines(text: str) -> str:
    """Like `blank`, but newlines and tabs stay: for a message body."""
    if text.isprintable():
        return text
    return _MULTI_LINE.sub(" ", text)


def json_safe(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the unsafe characters
    that json leaves raw (DEL, C1, U+2028/U+2029, bidi controls, lone surrogates) written
    as `\\uXXXX` escapes: the same JSON value, but a line that is harmless on a terminal."""
    if encoded.isprintable():
        return encoded
    # Structural whitespace (an `indent=` layout) is not touched; compact JSON has none.
    return _MULTI_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def shown_path(path: Path) -> str:
    """`path` as text that can be stored, logged and sent: undecodable bytes as `\\xNN`.

    A file name need not be UTF-8; Python keeps its stray bytes as lone surrogates, which
    SQLite, JSON files and mail cannot encode. The escapes are what `ls -b` shows, so the
    admin can still find the file.
    """
    text = str(path)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


QUOTED = 60
"""Longest piece of a user's file quoted back in a message; more is cut (`abc…`)."""


def shorten(text: str, most: int = QUOTED) -> str:
    """`text` as quoted back in a message: at most `most` characters, then `…`.

    A rule file or a name can hold anything, a megabyte on one line included; a message
    names it, it does not repeat it.
    """
    return text if len(text) <= most else f"{text[:most]}…"
