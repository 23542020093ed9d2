"""/metrics and /healthz over real HTTP from a running daemon."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from conftest import SEED, Workspace


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
        lambda: 'monitor_outbox_depth{channel="log",state="pending"} 0.0' in scraped())
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
