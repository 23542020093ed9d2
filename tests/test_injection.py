"""Log and console injection: file names and titles that carry newlines, terminal escapes
or bidi overrides must reach no human-facing output raw.

The end-to-end tests drop hostile files into a real `monitor run` (console, file, Slack
stand-in and a real SMTP server all configured) and run a real `monitor test` on them. A
newline in a file name or a title would otherwise forge a line such as `ALERT [fake] ...`
in the daemon's output or the journal; `ESC ]0;...BEL` would retitle the admin's terminal
and `ESC [2J` clear it; U+202E would make a line display in another order than it reads.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from helpers.records import typed
from helpers.slack_server import SlackServer
from helpers.workspace import SEED, Workspace
from test_email import HOST, Recorder, free_port

from monitor.channels.console import ConsoleChannel
from monitor.logs import JsonFormatter, PlainFormatter
from monitor.textsafe import blank, json_safe, printable, printable_lines

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
EML_BODY = (
    "NATO Secretary-General Jens Stoltenberg \x1b[2J\u202e urged South Korea \u202c"
    "to increase military support to Ukraine.\r\n\r\n" + SEED_BODY
)

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ [\w.]+: ")
ALERT_LINE = "ALERT [nato-south-korea] "


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


def assert_one_line_per_record(output: str, *, json_log: bool = False) -> list[str]:
    """Every line is a whole log record or a console alert; returns the lines."""
    assert unsafe_in(output, allow="\n") == [], repr(output)
    lines = [line for line in output.split("\n") if line]
    for line in lines:
        assert not line.startswith("ALERT [fake]"), line
        if line.startswith(ALERT_LINE):
            continue
        if json_log:
            assert isinstance(json.loads(line), dict), line
        else:
            assert LOG_LINE.match(line), line
    return lines


# --- the daemon --------------------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[tuple[int, Recorder]]:
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname=HOST, port=port, ready_timeout=5)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_daemon_output_has_no_raw_controls_and_no_forged_lines(
    workspace: Workspace, smtp: tuple[int, Recorder], log_format: str
) -> None:
    port, mail = smtp
    with SlackServer() as slack:
        workspace.write_config(
            extra=f"""
[channels.console]
type = "console"

[channels.newsroom]
type = "slack"
webhook_url = "${{SLACK_WEBHOOK_URL}}"

[channels.desk]
type = "email"
host = "{HOST}"
port = {port}
security = "none"
from = "monitor@example.org"
to = ["desk@example.org"]
"""
        )
        workspace.start("--log-format", log_format, env={"SLACK_WEBHOOK_URL": slack.url})
        write_hostile_files(workspace.inbox)
        workspace.wait_until(
            lambda: (
                workspace.log().count(ALERT_LINE) == 2
                and len(slack.received) == 2
                and len(mail.received) == 2
                and "quarantined" in workspace.log()
            ),
            timeout=20,
        )
        assert workspace.stop() == 0
        output = workspace.log()

        # The daemon's output (stdout with the console channel, stderr with the log).
        lines = assert_one_line_per_record(output, json_log=log_format == "json")
        alerts = [line for line in lines if line.startswith(ALERT_LINE)]
        assert len(alerts) == 2
        processed = [line for line in lines if "processed" in line]
        assert len(processed) == 2
        # What was there stays visible, escaped.
        assert any("\\x1b[2J" in line and "\\u202e" in line for line in alerts)
        assert any(f"\\n{FORGED} by subject\\x1b]0;pwned\\x07" in line for line in alerts)
        if log_format == "plain":
            assert any(f"evil\\n{FORGED}\\x1b]0;pwned\\x07.txt" in line for line in processed)
            assert any(
                f"bad\\n{FORGED} quarantine\\x1b[2J\\u202e.txt" in line
                for line in lines
                if "quarantined" in line
            )
        else:  # JSON keeps the exact value; only its spelling is escaped
            files = {json.loads(line)["file"] for line in processed}
            assert {Path(f).name for f in files} == {TXT_NAME, EML_NAME}

        # Slack: no control or bidi character anywhere; the header and fallback on one line.
        for received in slack.received:
            assert received.rejected is None
            payload = received.json
            assert unsafe_in(json.dumps(payload, ensure_ascii=False), allow="\n") == []
            header = payload["blocks"][0]
            assert header["type"] == "header"
            assert unsafe_in(header["text"]["text"] + payload["text"]) == []
        headers = {r.json["blocks"][0]["text"]["text"] for r in slack.received}
        assert any(h.startswith("NATO urges S Korea to send ammunition ALERT") for h in headers)

        # Email: a one-line subject without controls, and bodies without ESC or bidi.
        for got in mail.received:
            assert got.rcpt_tos == ["desk@example.org"]
            head = got.content.split(b"\r\n\r\n", 1)[0].decode("ascii")
            assert all(line.startswith(" ") or ":" in line for line in head.split("\r\n"))
            msg = got.message()
            assert unsafe_in(msg["Subject"]) == [], msg["Subject"]
            for kind in ("plain", "html"):
                part = msg.get_body((kind,))
                assert part is not None
                # CRLF is the wire's line ending; any other CR would be the article's
                content = part.get_content().replace("\r\n", "\n")
                assert unsafe_in(content, allow="\n") == []


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
