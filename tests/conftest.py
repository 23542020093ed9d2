"""Shared fixtures: a temporary workspace with a config, rules and a real `monitor run`."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.alerts import AlertRecord

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_9738bd22683e892a.txt"

NATO_RULE = """\
rules:
  - id: nato-south-korea
    description: NATO engages South Korea
    entities: [NATO, South Korea]
    keywords:
      any: [weapon*, ammunition, "military support"]
"""

BASE_CONFIG = """\
[inbox]
path = "inbox"
after = "{after}"
archive = "archive"
quarantine = "quarantine"
rescan_seconds = {rescan}

[rules]
path = "rules"

[state]
path = "state"

[channels.log]
type = "file"
path = "alerts.jsonl"
"""


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> None:
    """Poll `predicate` every 20 ms until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout}s")


class Workspace:
    """A folder laid out like a deployment: config.toml, rules/, inbox/, and the daemon."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inbox = root / "inbox"
        self.rules = root / "rules"
        self.alerts = root / "alerts.jsonl"
        self.config = root / "config.toml"
        self.proc: subprocess.Popen[str] | None = None
        self._since = 0
        self.log_path = root / "daemon.log"
        self.rules.mkdir()
        self.write_config()
        (self.rules / "nato.yaml").write_text(NATO_RULE, encoding="utf-8")

    def write_config(self, after: str = "archive", rescan: float = 30, extra: str = "") -> None:
        self.config.write_text(
            BASE_CONFIG.format(after=after, rescan=rescan) + extra, encoding="utf-8"
        )

    def monitor(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "monitor.cli", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=60,
            check=check,
        )

    def start(self, *extra: str, env: dict[str, str] | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self._log = self.log_path.open("a")
        self._since = self.log_path.stat().st_size  # wait only for this run's lines
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "run", "--config", str(self.config), *extra],
            cwd=self.root,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.wait_for_log("watching", timeout=30, this_run=True)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""

    def wait_for_log(self, needle: str, timeout: float = 10, this_run: bool = False) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if this_run:
                text = self.log_path.read_bytes()[self._since :].decode("utf-8", "replace")
            else:
                text = self.log()
            if needle in text:
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"daemon exited early:\n{self.log()}")
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not logged within {timeout}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        self._log.close()
        self.proc = None
        return code

    def alert_records(self) -> list[dict[str, Any]]:
        if not self.alerts.exists():
            return []
        # Only complete lines: the daemon may be appending right now (or was killed mid-line).
        text = self.alerts.read_text("utf-8")
        complete = text[: text.rfind("\n") + 1]
        return [
            json.loads(line)
            for line in complete.splitlines()
            if line.startswith("{") and line.endswith("}")
        ]

    def wait_for_alerts(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            records = self.alert_records()
            if len(records) >= count:
                return records
            time.sleep(0.02)
        raise AssertionError(f"expected {count} alerts, got {self.alert_records()}\n{self.log()}")

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        raise AssertionError(f"condition not met within {timeout}s\n{self.log()}")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path)
    yield ws
    if ws.proc is not None and ws.proc.poll() is None:
        ws.proc.kill()
        ws.proc.wait()


def typed(record: dict[str, Any]) -> AlertRecord:
    """A test's record dict as the typed record channels take (`AlertRecord.parse`), with
    what a short test record leaves out filled in: tests state only what they are about."""
    full = copy.deepcopy(record)
    full.setdefault("channel", "test")
    article = full.setdefault("article", {})
    for key in ("id", "title", "path"):
        article.setdefault(key, "")
    for hit in full.setdefault("hits", []):
        if isinstance(hit, dict):
            for key, default in (("term", ""), ("text", ""), ("field", "body")):
                hit.setdefault(key, default)
            hit.setdefault("start", 0)
            hit.setdefault("end", 0)
    return AlertRecord.parse(full)
