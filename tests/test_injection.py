"""Log and console injection: file names and titles that carry newlines, terminal escapes
or bidi overrides must reach no human-facing output raw.

The tests here run a real `monitor test` on hostile files, and test the pieces; the
end-to-end test, which drops the files into a real `monitor run` (console, file, Slack
stand-in and a real SMTP server all configured), is in tests/e2e/test_injection_daemon.py. A
newline in a file name or a title would otherwise forge a line such as `ALERT [fake] ...`
in the daemon's output or the journal; `ESC ]0;...BEL` would retitle the admin's terminal
and `ESC [2J` clear it; U+202E would make a line display in another order than it reads.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from helpers.injection_shared import (
    BAD_NAME,
    EML_NAME,
    FORGED,
    TXT_NAME,
    TXT_TITLE,
    UNSAFE,
    unsafe_in,
    write_hostile_files,
)
from helpers.records import typed
from helpers.workspace import Workspace

from monitor.channels.console import ConsoleChannel
from monitor.logs import JsonFormatter, PlainFormatter
from monitor.textsafe import blank, json_safe, printable, printable_lines

# --- monitor test -----------------------------------------------------------------------------


@pytest.fixture
def hostile(workspace: Workspace) -> Path:
    folder = workspace.root / "articles"
    folder.mkdir()
    write_hostile_files(folder)
    return folder


@pytest.mark.parametrize("flags", [[], ["--explain"], ["--rule", "nato-south-korea"]])
def test_monitor_test_text_output_is_escaped(
    workspace: Workspace, hostile: Path, flags: list[str]
) -> None:
    result = workspace.monitor("test", *flags, str(hostile))
    assert result.returncode == 1  # the empty file cannot be read
    assert unsafe_in(result.stdout + result.stderr, allow="\n") == []
    for line in result.stdout.splitlines():
        # an article's first line starts with its path; the rest are indented
        assert line.startswith((str(hostile), "  ")), line
    assert result.stdout.count(f"evil\\n{FORGED}\\x1b]0;pwned\\x07.txt: ") == 1
    assert "nato-south-korea" in result.stdout
    [error] = result.stderr.splitlines()
    assert error.startswith(f"{hostile}/bad\\n{FORGED} quarantine\\x1b[2J\\u202e.txt: error:")
    if "--explain" in flags or "--rule" in flags:
        assert "\\x1b[2J" in result.stdout  # the context around a hit, escaped


def test_monitor_test_json_stays_exact(workspace: Workspace, hostile: Path) -> None:
    """`--json` is for programs and left as it was: the exact title and path, with newlines
    and C0 controls JSON-escaped (C1 and bidi characters stay raw, as json.dumps writes them)."""
    result = workspace.monitor("test", "--json", str(hostile))
    assert [c for c in result.stdout if c < " " and c != "\n"] == []
    assert "\\n" + FORGED in result.stdout and "\\u001b" in result.stdout
    objects = {Path(o["path"]).name: o for o in map(json.loads, result.stdout.split("\n")[:-1])}
    assert set(objects) == {TXT_NAME, EML_NAME, BAD_NAME}
    assert objects[TXT_NAME]["title"] == TXT_TITLE
    assert objects[EML_NAME]["title"].startswith("NATO urges S Korea to send ammunition\nALERT")


# --- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize("char", sorted(UNSAFE))
def test_every_unsafe_character_is_escaped_visibly_or_blanked(char: str) -> None:
    text = f"a{char}b"
    shown = printable(text)
    assert unsafe_in(shown) == [] and shown.startswith("a\\") and shown.endswith("b")
    assert blank(text) == "a b"
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text
    assert unsafe_in(json_safe(json.dumps(text, ensure_ascii=False))) == []
    if char not in "\n\t":
        assert unsafe_in(printable_lines(text)) == []


def test_printable_leaves_ordinary_text_alone() -> None:
    for text in (
        "plain ASCII",
        "Zürich: Gipfel — „quotes“ 🇰🇷",
        "שלום עולם",
        "مرحبا",
        "back\\slash",
        "nbsp\u00a0and zwsp\u200b",
    ):
        assert printable(text) == text
    assert printable("a\nb\tc\r") == "a\\nb\\tc\\r"
    assert printable_lines("a\nb\tc\r\x1b") == "a\nb\tc\\r\\x1b"
    assert printable("lone \udcff byte") == "lone \\udcff byte"


def _logger(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"test_injection.{id(formatter)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_plain_log_escapes_the_message_and_keeps_tracebacks_readable() -> None:
    logger, stream = _logger(PlainFormatter("%(levelname)s %(name)s: %(message)s"))
    logger.info("processed %s", f"x\n{FORGED}\x1b]0;t\x07\u202e")
    try:
        try:
            raise OSError(f"inner\n{FORGED} cause")
        except OSError as exc:
            raise ValueError(f"cannot read x\n{FORGED} exc\x1b[2J") from exc
    except ValueError:
        logger.exception("failed on %s", f"x\n{FORGED} message")
    logger.warning("stack", stack_info=True)
    out = stream.getvalue()
    assert unsafe_in(out, allow="\n") == []
    lines = out.splitlines()
    assert lines[0] == f"INFO {logger.name}: processed x\\n{FORGED}\\x1b]0;t\\x07\\u202e"
    assert not any(line.startswith("ALERT") for line in lines)
    assert f"ERROR {logger.name}: failed on x\\n{FORGED} message" in lines
    # the traceback is still several lines, with its exception messages escaped
    assert lines.count("Traceback (most recent call last):") == 2
    assert any(line.startswith('  File "') for line in lines)
    assert f"OSError: inner\\n{FORGED} cause" in lines
    assert f"ValueError: cannot read x\\n{FORGED} exc\\x1b[2J" in lines
    assert "Stack (most recent call last):" in lines


def test_json_log_keeps_values_exact_but_escapes_bidi() -> None:
    logger, stream = _logger(JsonFormatter())
    path = f"x\n{FORGED}\x1b]0;t\x07\u202e\x85"
    logger.info("processed %s", path, extra={"file": path})
    [line] = stream.getvalue().splitlines()
    assert unsafe_in(line) == []
    record: dict[str, Any] = json.loads(line)
    assert record["file"] == path and record["message"] == f"processed {path}"


def test_console_channel_writes_one_escaped_line() -> None:
    stream = io.StringIO()
    record = {
        "rule": "r",
        "article": {"title": f"T\r\n{FORGED}\x1b[2J\u202e", "path": f"/in/evil\n{FORGED}\x07.txt"},
        "hits": [{"text": "S\nKorea"}, {"text": "S Korea"}, {"text": "x\x1b[2J"}],
    }
    ConsoleChannel("console", stream).send(typed(record))
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.startswith("ALERT [r] ")
    assert unsafe_in(out, allow="\n") == []
    assert f"T\\r\\n{FORGED}\\x1b[2J\\u202e" in out
    assert out.endswith("; hits: S Korea, x\\x1b[2J)\n")
