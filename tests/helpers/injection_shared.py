"""What tests/test_injection.py and tests/e2e/test_injection_daemon.py share: the hostile
file names, titles and bodies, the files made of them, and what counts as unsafe."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from helpers.stories import filler
from helpers.workspace import SEED

# Independent of monitor.textsafe: what no human-facing output may carry raw.
BIDI = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}
UNSAFE = (
    {chr(c) for c in range(0x20)}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | {"\u2028", "\u2029"}
    | BIDI
)

FORGED = "ALERT [fake] forged"
TXT_NAME = f"evil\n{FORGED}\x1b]0;pwned\x07.txt"
EML_NAME = f"evil\n{FORGED} by mail\x1b]0;pwned\x07.eml"
BAD_NAME = f"bad\n{FORGED} quarantine\x1b[2J\u202e.txt"  # empty: quarantined

SEED_BODY = SEED.read_text("utf-8").split("\n", 1)[1]
TXT_TITLE = "NATO chief \x1b[2J urges S Korea \u202eto step up\u202c military support \x9b31m"
EML_SUBJECT = (
    f"NATO urges S Korea to send ammunition\r\n{FORGED} by subject"
    "\x1b]0;pwned\x07 \u2067gnilior\u2069 \u200f\u061c\u2028end"
)
# Another story than the text file's (a copy of it would be filed under that story and
# alert nothing new), so that both reach the channels.
EML_BODY = (
    "NATO Secretary-General Jens Stoltenberg \x1b[2J\u202e urged South Korea \u202c"
    "to increase military support to Ukraine.\r\n\r\n" + filler(7, 200)
)


def unsafe_in(text: str, allow: str = "") -> list[str]:
    return sorted({c for c in text if c in UNSAFE and c not in allow})


def eml(subject: str, body: str) -> bytes:
    encoded = base64.b64encode(subject.encode("utf-8")).decode("ascii")
    return (
        f"From: Wire <wire@example.org>\r\nSubject: =?utf-8?b?{encoded}?=\r\n"
        "Date: Mon, 30 Jan 2023 10:00:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
        "\r\n" + base64.encodebytes(body.encode("utf-8")).decode("ascii")
    ).encode("ascii")


def write_hostile_files(folder: Path) -> None:
    """The three files, each written under a temporary name and renamed into place."""
    files = {
        TXT_NAME: f"{TXT_TITLE}\n\n{SEED_BODY}".encode(),
        EML_NAME: eml(EML_SUBJECT, EML_BODY),
        BAD_NAME: b"",
    }
    for name, data in files.items():
        tmp = folder / f".drop-{len(name)}.tmp"
        tmp.write_bytes(data)
        os.rename(tmp, folder / name)
