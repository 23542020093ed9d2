"""Log and console injection in a running daemon (the daemon test of tests/test_injection.py).

Hostile files (newlines, terminal escapes and bidi overrides in file names, titles and bodies)
are dropped into a real `monitor run` with console, file, Slack stand-in and a real SMTP server
all configured: no forged line and no raw control character may reach the daemon's output,
Slack or the mail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from helpers.injection_shared import EML_NAME, FORGED, TXT_NAME, unsafe_in, write_hostile_files
from helpers.mail import HOST
from helpers.slack_server import SlackServer
from helpers.workspace import Workspace
from test_email import Recorder, free_port

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ [\w.]+: ")
ALERT_LINE = "ALERT [nato-south-korea] "


def assert_one_line_per_record(output: str, *, json_log: bool = False) -> list[str]:
    """Every line is a whole log record, a console alert, or one of a story alert's indented
    detail lines right after it (which start with spaces, so cannot pass for an alert);
    returns the lines."""
    assert unsafe_in(output, allow="\n") == [], repr(output)
    lines = [line for line in output.split("\n") if line]
    in_alert = False
    for line in lines:
        assert not line.startswith("ALERT [fake]"), line
        if line.startswith(ALERT_LINE):
            in_alert = True
            continue
        if in_alert and line.startswith("    "):
            continue
        in_alert = False
        if json_log:
            assert isinstance(json.loads(line), dict), line
        else:
            assert LOG_LINE.match(line), line
    return lines


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
