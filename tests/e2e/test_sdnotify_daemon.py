"""sd_notify from a running daemon (the daemon test of tests/test_sdnotify.py): a real unix
datagram socket stands in for systemd's NOTIFY_SOCKET and receives READY, STATUS, WATCHDOG,
RELOADING and STOPPING."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.workspace import Workspace


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    yield sock, path
    sock.close()


def _messages(sock: socket.socket, until: str, timeout: float = 10) -> list[str]:
    got: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
        if until in got[-1]:
            return got
    raise AssertionError(f"{until!r} never arrived; got {got}")


def test_daemon_lifecycle_notifications(
    workspace: Workspace, notify_socket: tuple[socket.socket, str]
) -> None:
    sock, path = notify_socket
    workspace.start(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "600000"})
    first = _messages(sock, "READY=1")
    assert any("STATUS=1 rules" in m for m in first)
    _messages(sock, "WATCHDOG=1")  # every 0.3 s while healthy
    assert workspace.proc is not None
    workspace.proc.send_signal(signal.SIGHUP)
    reload_msgs = _messages(sock, "RELOADING=1")
    assert "MONOTONIC_USEC=" in reload_msgs[-1]
    _messages(sock, "READY=1")
    assert workspace.stop() == 0
    _messages(sock, "STOPPING=1", timeout=2)
