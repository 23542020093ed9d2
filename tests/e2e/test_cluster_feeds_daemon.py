"""Two real `monitor run` nodes on one PostgreSQL share a feed: one polls it at a time, and
when that node is killed (-9) the other takes it over within the lease, carrying on from its
state: a new entry alerts once across both nodes, nothing is backfilled."""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from helpers.feed_server import FeedServer, Page, rss
from helpers.stories import filler
from helpers.workspace import BASE_CONFIG, Workspace

LEASE = 3.0
PG_STATE = f'[state]\npath = "state"\nurl = "${{MONITOR_PG}}"\nlease = "{LEASE:g}s"\n'


def _text(i: int) -> str:
    """An entry the workspace's nato-south-korea rule matches, a story of its own per `i`."""
    return f"NATO asked South Korea for weapons and ammunition. {filler(i, 120)}"


def _node(root: Path, feed_url: str) -> Workspace:
    root.mkdir()
    ws = Workspace(root)
    config = BASE_CONFIG.format(after="archive", rescan=30).replace(
        '[state]\npath = "state"\n', PG_STATE
    )
    feed = f'\n[sources.wire]\ntype = "feed"\nurl = "{feed_url}"\ninterval = "1s"\n'
    ws.config.write_text(config + feed, encoding="utf-8")
    return ws


def _node_id(ws: Workspace) -> str:
    found = re.findall(r"joined the cluster as node (\S+)", ws.log())
    assert found, ws.log()
    return str(found[-1])


def _wire(ws: Workspace) -> dict[str, Any]:
    out = ws.monitor("sources", "--json", "--config", str(ws.config), check=True)
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    return dict(rows["wire"])


def test_one_node_polls_a_feed_and_another_takes_it_over_when_it_dies(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_PG", pg_url)
    old = [("old1", "NATO old", _text(1)), ("old2", "NATO old 2", _text(2))]
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", old))
        a = _node(tmp_path / "a", f"{server.base}/rss.xml")
        b = _node(tmp_path / "b", f"{server.base}/rss.xml")
        try:
            a.start()
            a.wait_for_log("feed wire: this node polls it now", timeout=10)
            a.wait_for_log("marked seen (backfill = false)", timeout=10)
            b.start()
            node_a, node_b = _node_id(a), _node_id(b)
            # Both run; only A polls: about one request a second, not two.
            time.sleep(1.0)  # B has asked for the lease by now
            before = len(server.seen("/rss.xml"))
            time.sleep(4.0)
            polled = len(server.seen("/rss.xml")) - before
            assert 2 <= polled <= 5, polled
            assert "this node polls it now" not in b.log()
            assert _wire(b)["node"] == node_a
            assert _wire(a)["node"] == node_a
            text = b.monitor("sources", "--config", str(b.config), check=True).stdout
            assert f"polled by node {node_a}" in text
            # A dies. B takes the feed over within the lease and a few seconds, from A's
            # state: its first request is conditional (A's ETag), and nothing is backfilled.
            requests = len(server.seen("/rss.xml"))
            a.stop(signal.SIGKILL)
            died = time.monotonic()
            b.wait_for_log("feed wire: this node polls it now", timeout=LEASE + 4)
            assert time.monotonic() - died < LEASE + 4
            b.wait_until(lambda: len(server.seen("/rss.xml")) > requests, timeout=5)
            assert server.seen("/rss.xml")[requests].headers.get("If-None-Match")
            assert _wire(b)["node"] == node_b
            # A new entry alerts exactly once, across both nodes.
            server.pages["/rss.xml"] = Page(rss("Wire", [("new1", "NATO new", _text(3)), *old]))
            records = b.wait_for_alerts(1, timeout=10)
            time.sleep(2.0)  # a second alert would have come by now
            records = b.alert_records() + a.alert_records()
            assert [r["article"]["url"] for r in records] == ["http://example.org/new1"]
            assert "marked seen (backfill = false)" not in b.log()
            assert b.stop() == 0
            # A clean stop lets the feed go at once.
            assert _wire(b)["node"] is None
        finally:
            for ws in (a, b):
                if ws.proc is not None and ws.proc.poll() is None:
                    ws.proc.kill()
                    ws.proc.wait()
