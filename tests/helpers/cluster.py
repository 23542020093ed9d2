"""Several real `monitor run` processes sharing one inbox folder and one PostgreSQL state.

Each node has a folder of its own (its config, its `[state] path`: the lock, the file in
flight, its log) and the shared parts are absolute paths: the inbox, archive, quarantine and
rules under `shared/`, as a shared mount would be on several machines.
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.slack_server import SlackServer
from helpers.stories import filler
from helpers.workspace import NATO_RULE

PART = re.compile(rb"part (\d+)")


def article(i: int) -> bytes:
    """A story of its own for each `i` (not a copy of another), named `part i` in its title,
    which the `nato-south-korea` rule matches."""
    return (
        f"NATO presses S Korea on ammunition, part {i}\n\n"
        f"NATO asked South Korea for more ammunition and weapons. {filler(i, 80)}\n"
    ).encode()


def taken(receiver: SlackServer) -> collections.Counter[int]:
    """How many messages naming each article (`part N`) the receiver took (answered 200)."""
    counts: collections.Counter[int] = collections.Counter()
    for request in list(receiver.received):
        found = PART.search(request.body)
        if found and request.rejected is None and request.status == 200:
            counts[int(found.group(1))] += 1
    return counts


CONFIG = """\
[inbox]
path = "{shared}/inbox"
after = "archive"
archive = "{shared}/archive"
quarantine = "{shared}/quarantine"
rescan_seconds = 2

[rules]
path = "{shared}/rules"

[state]
path = "state"
url = "${{MONITOR_PG}}"
lease = "{lease}"

{channels}
"""


def slack_channel(url: str) -> str:
    return f'[channels.newsroom]\ntype = "slack"\nwebhook_url = "{url}"\n'


def webhook_channel(url: str) -> str:
    """A webhook: one JSON record per (story, rule), sent one by one with no pacing (Slack
    keeps to one message a second per node, too slow for a burst of hundreds)."""
    return f'[channels.hook]\ntype = "webhook"\nurl = "{url}"\n'


class Node:
    """One daemon of the cluster: `start()`, `kill()`, `stop()`, its log."""

    def __init__(self, root: Path, name: str, url: str) -> None:
        self.name = name
        self.folder = root / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config = self.folder / "config.toml"
        self.log_path = self.folder / "daemon.log"
        self.url = url
        self.extra_env: dict[str, str] = {}  # NOTIFY_SOCKET, say
        self.proc: subprocess.Popen[str] | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONUNBUFFERED": "1", "MONITOR_PG": self.url, **self.extra_env}

    def start(self, wait: bool = True) -> None:
        self._since = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "run", "--config", str(self.config)],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env(),
        )
        log.close()
        if wait:
            self.wait_for_log("watching", timeout=30)

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def wait_for_log(self, needle: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log_path.read_bytes()[self._since :].decode("utf-8", "replace"):
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"node {self.name} exited early:\n{self.log()}")
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not logged by {self.name} in {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)
        self.proc = None

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        self.proc = None
        return code

    def monitor(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "monitor.cli", *args, "--config", str(self.config)],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=60,
            env=self.env(),
        )

    def cluster(self) -> list[dict[str, Any]]:
        done = self.monitor("cluster", "--json")
        assert done.returncode == 0, done.stderr
        nodes: list[dict[str, Any]] = json.loads(done.stdout)
        return nodes


class Cluster:
    """`n` nodes on one shared folder and one database."""

    def __init__(self, root: Path, url: str, channels: str, n: int = 2, lease: str = "3s"):
        self.shared = root / "shared"
        self.inbox = self.shared / "inbox"
        self.archive = self.shared / "archive"
        for folder in (self.inbox, self.shared / "rules", self.archive):
            folder.mkdir(parents=True, exist_ok=True)
        (self.shared / "rules" / "nato.yaml").write_text(NATO_RULE, encoding="utf-8")
        self.staging = root / "staging"
        self.staging.mkdir()
        self.nodes = [Node(root, f"node{i}", url) for i in range(n)]
        for node in self.nodes:
            node.config.write_text(
                CONFIG.format(shared=self.shared, lease=lease, channels=channels),
                encoding="utf-8",
            )

    def start(self) -> None:
        for node in self.nodes:
            node.start(wait=False)
        for node in self.nodes:
            node.wait_for_log("watching", timeout=30)

    def drop(self, files: dict[str, bytes]) -> None:
        """Write each file beside the inbox, then rename them all in: a burst."""
        for name, data in files.items():
            (self.staging / name).write_bytes(data)
        for name in files:
            os.rename(self.staging / name, self.inbox / name)

    def archived(self) -> int:
        return sum(1 for _ in self.archive.rglob("*.txt"))

    def inbox_empty(self) -> bool:
        return not any(p for p in self.inbox.iterdir() if not p.name.startswith("."))

    def logs(self) -> str:
        return "\n".join(f"--- {n.name}\n{n.log()[-6000:]}" for n in self.nodes)

    def wait_until(self, predicate: Callable[[], bool], timeout: float, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{what or 'condition'} not met within {timeout}s\n{self.logs()}")

    def stop(self) -> None:
        for node in self.nodes:
            if node.proc is not None and node.proc.poll() is None:
                node.proc.kill()
                node.proc.wait()
