"""What tests/test_config_hostile.py (`monitor check`) and
tests/e2e/test_config_hostile_daemon.py (`monitor check` and `monitor run`) share: writing a
config, finding a line in it, and running a command that must refuse it."""

from __future__ import annotations

import subprocess
import sys

from helpers.workspace import Workspace

SHOWN = "config.toml"  # `monitor check` runs in the workspace with this relative path


def _config(
    ws: Workspace,
    inbox: str = "",
    state: str = "",
    rules: str = "",
    channels: str = "",
    metrics: str = "",
) -> None:
    """A config with the usual folders unless a section is given in full."""
    ws.config.write_text(
        (inbox or '[inbox]\npath = "inbox"\narchive = "archive"\nquarantine = "quarantine"\n')
        + (rules or '[rules]\npath = "rules"\n')
        + (state or '[state]\npath = "state"\n')
        + metrics
        + (channels or '[channels.log]\ntype = "file"\npath = "alerts.jsonl"\n'),
        encoding="utf-8",
    )


def _line(ws: Workspace, needle: str) -> int:
    lines = ws.config.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


EMAIL = """[channels.desk]
type = "email"
host = "{host}"
port = 25
security = "none"
username = "desk"
password = "${{SMTP_PASSWORD}}"
from = "monitor@example.org"
to = ["desk@example.org"]
"""


def _refused(ws: Workspace, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`monitor COMMAND` that must end at once with an error: not a daemon left running (a
    config that used to pass would start one), and never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", command, *args],
        cwd=ws.root,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result
