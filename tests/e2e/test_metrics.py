"""/metrics and /healthz over real HTTP from a running daemon."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers.workspace import SEED, Workspace

from monitor import metrics as metrics_module
from monitor.metrics import IDLE_TIMEOUT, MAX_CONNECTIONS, Metrics, MetricsServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_metrics_and_health(workspace: Workspace) -> None:
    port = _free_port()
    workspace.write_config(extra=f'[metrics]\nlisten = "127.0.0.1:{port}"\n')
    workspace.start()
    base = f"http://127.0.0.1:{port}"
    assert _get(f"{base}/healthz") == (200, "ok\n")
    (workspace.inbox / "seed.txt").write_bytes(SEED.read_bytes())
    (workspace.inbox / "empty.txt").write_bytes(b"")
    workspace.wait_for_alerts(1)
    workspace.wait_for_log("quarantined")

    def scraped() -> str:
        return _get(f"{base}/metrics")[1]

    workspace.wait_until(lambda: 'monitor_alerts_sent_total{channel="log"} 1.0' in scraped())
    text = scraped()
    assert "monitor_articles_processed_total 1.0" in text
    assert "monitor_articles_quarantined_total 1.0" in text
    assert 'monitor_rule_matches_total{rule="nato-south-korea"} 1.0' in text
    assert "monitor_rules_loaded 1.0" in text
    assert "monitor_processing_seconds_count 1.0" in text
    assert "monitor_last_article_timestamp_seconds" in text
    workspace.wait_until(
        lambda: 'monitor_outbox_depth{channel="log",state="pending"} 0.0' in scraped()
    )
    assert _get(f"{base}/nope")[0] == 404
    assert workspace.stop() == 0


def test_metrics_port_in_use_is_a_clear_fatal_error(workspace: Workspace) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        workspace.write_config(extra=f'[metrics]\nlisten = "127.0.0.1:{port}"\n')
        result = workspace.monitor("run")
    assert result.returncode != 0
    assert "[metrics] listen" in result.stderr and "choose a free address" in result.stderr


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_metrics_and_health_over_ipv6(workspace: Workspace) -> None:
    with socket.socket(socket.AF_INET6) as sock:
        sock.bind(("::1", 0))
        port = sock.getsockname()[1]
    workspace.write_config(extra=f'[metrics]\nlisten = "[::1]:{port}"\n')
    assert workspace.monitor("check").returncode == 0
    workspace.start()
    workspace.wait_for_log(f"metrics on http://[::1]:{port}/metrics")
    base = f"http://[::1]:{port}"
    assert _get(f"{base}/healthz") == (200, "ok\n")
    status, text = _get(f"{base}/metrics")
    assert status == 200 and "monitor_rules_loaded 1.0" in text
    assert workspace.stop() == 0


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_idle_connections_cannot_exhaust_the_daemon(workspace: Workspace) -> None:
    port = _free_port()
    workspace.write_config(extra=f'[metrics]\nlisten = "127.0.0.1:{port}"\n')
    workspace.start()
    assert workspace.proc is not None
    pid = workspace.proc.pid
    assert _get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
    time.sleep(0.5)
    before = _threads(pid)
    idle: list[socket.socket] = []
    try:
        for _ in range(100):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(1.0)  # let the server accept them all
        during = _threads(pid)
        assert during <= before + MAX_CONNECTIONS + 2, (before, during)
        # /healthz still answers within a few seconds while the idle sockets stay open:
        # the slots they hold are freed by the idle timeout, the rest were refused at once.
        started = time.monotonic()
        answer: tuple[int, str] | None = None
        while time.monotonic() - started < IDLE_TIMEOUT + 5:
            try:
                answer = _get(f"http://127.0.0.1:{port}/healthz")
            except OSError:  # refused mid-flight: the server is full; try again
                answer = None
            if answer == (200, "ok\n"):
                break
            time.sleep(0.2)
        assert answer == (200, "ok\n"), answer
        assert time.monotonic() - started < IDLE_TIMEOUT + 5
        assert _threads(pid) <= before + MAX_CONNECTIONS + 2
    finally:
        for sock in idle:
            sock.close()
    assert workspace.stop() == 0


def test_a_trickling_client_is_cut_after_the_connection_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A byte every second never trips the per-read timeout; the total deadline ends it."""
    monkeypatch.setattr(metrics_module, "IDLE_TIMEOUT", 2.5)
    monkeypatch.setattr(metrics_module, "MAX_CONNECTION_SECONDS", 3.0)
    deadline = metrics_module.MAX_CONNECTION_SECONDS
    port = _free_port()
    server = MetricsServer(f"127.0.0.1:{port}", Metrics(), lambda: True)
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            started = time.monotonic()
            closed = False
            for byte in b"GET /healthz HTTP/1.0\r\nX-Slow: " + b"a" * 30:
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                time.sleep(1.0)
                if time.monotonic() - started > deadline + 3:
                    break
            if not closed:
                sock.settimeout(3)
                try:
                    closed = sock.recv(100) == b""
                except OSError:
                    closed = True
            assert closed
            assert time.monotonic() - started < deadline + 3
    finally:
        server.stop()
