"""Feed sources through a real `monitor run`: RSS 2.0, Atom and JSON Feed from a server on
127.0.0.1; backfill off and on; conditional GET; no duplicate after kill -9; hostile feeds
reported by `monitor sources` while a good feed keeps its schedule; full text and SSRF."""

from __future__ import annotations

import json
import signal
from typing import Any

from helpers.feed_server import FeedServer, Page, atom, json_feed, rss
from helpers.stories import filler
from helpers.workspace import Workspace


def _text(i: int) -> str:
    """An entry the workspace's nato-south-korea rule matches, a story of its own per `i`."""
    return f"NATO asked South Korea for weapons and ammunition. {filler(i, 120)}"


def _feed(name: str, url: str, **keys: Any) -> str:
    lines = [f"\n[sources.{name}]", 'type = "feed"', f'url = "{url}"', 'interval = "1s"']
    for key, value in keys.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def _sources(ws: Workspace) -> dict[str, dict[str, Any]]:
    out = ws.monitor("sources", "--json", "--config", str(ws.config), check=True)
    return {row["name"]: row for row in json.loads(out.stdout)}


def test_rss_atom_and_json_feed_alert_once_each(workspace: Workspace) -> None:
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire RSS", [("r1", "NATO and Seoul", _text(1))]))
        server.pages["/atom.xml"] = Page(
            atom("Wire Atom", [("urn:a1", "NATO and Seoul", _text(2))]), "application/atom+xml"
        )
        server.pages["/feed.json"] = Page(
            json_feed("Wire JSON", [("j1", "NATO and Seoul", _text(3))]), "application/feed+json"
        )
        workspace.write_config(
            extra=_feed("rss", f"{server.base}/rss.xml", backfill=True)
            + _feed("atom", f"{server.base}/atom.xml", backfill=True)
            + _feed("json", f"{server.base}/feed.json", backfill=True)
        )
        workspace.start()
        records = workspace.wait_for_alerts(3, timeout=20)
        assert sorted(r["article"]["source"] for r in records) == [
            "Wire Atom",
            "Wire JSON",
            "Wire RSS",
        ]
        assert {r["article"]["url"] for r in records} == {
            "http://example.org/r1",
            "http://example.org/urn:a1",
            "http://example.org/j1",
        }
        rss_record = next(r for r in records if r["article"]["source"] == "Wire RSS")
        assert rss_record["article"]["language"] == "en"
        # Polled again and again (interval 1 s): still one alert each.
        workspace.wait_until(lambda: len(server.seen("/rss.xml")) >= 3, timeout=15)
        assert len(workspace.alert_records()) == 3
        # The server's ETag came back as If-None-Match, and a 304 cost nothing.
        later = server.seen("/rss.xml")[1:]
        assert any(r.headers.get("If-None-Match") for r in later)
        assert all("monitor/" in r.headers.get("User-Agent", "") for r in later)
        rows = _sources(workspace)
        assert rows["rss"]["last_status"] == 304
        assert rows["rss"]["entries_seen"] == 1 and rows["rss"]["errors"] == 0
        # A new entry appears: it alone alerts.
        server.pages["/rss.xml"] = Page(
            rss(
                "Wire RSS",
                [("r1", "NATO and Seoul", _text(1)), ("r2", "NATO and Seoul again", _text(4))],
            )
        )
        records = workspace.wait_for_alerts(4, timeout=15)
        assert records[-1]["article"]["url"] == "http://example.org/r2"
        workspace.stop()
    assert len(workspace.alert_records()) == 4


def test_backfill_off_marks_the_first_poll_seen(workspace: Workspace) -> None:
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(
            rss("Wire", [("old1", "NATO old", _text(10)), ("old2", "NATO old 2", _text(11))])
        )
        workspace.write_config(extra=_feed("wire", f"{server.base}/rss.xml"))
        workspace.start()
        workspace.wait_for_log("marked seen (backfill = false)", timeout=15)
        server.pages["/rss.xml"] = Page(
            rss(
                "Wire",
                [
                    ("new1", "NATO new", _text(12)),
                    ("old1", "NATO old", _text(10)),
                    ("old2", "NATO old 2", _text(11)),
                ],
            )
        )
        records = workspace.wait_for_alerts(1, timeout=15)
        assert records[0]["article"]["url"] == "http://example.org/new1"
        workspace.stop()
        # A restart never backfills again.
        workspace.start()
        workspace.wait_until(lambda: len(server.seen("/rss.xml")) >= 4, timeout=15)
        workspace.stop()
    assert len(workspace.alert_records()) == 1
    assert _sources(workspace)["wire"]["entries_seen"] == 3


def test_no_duplicate_after_kill_and_restart(workspace: Workspace) -> None:
    with FeedServer() as server:
        items = [(f"g{i}", f"NATO story {i}", _text(100 + i)) for i in range(30)]
        server.pages["/rss.xml"] = Page(rss("Wire", items))
        workspace.write_config(extra=_feed("wire", f"{server.base}/rss.xml", backfill=True))
        workspace.start()
        workspace.wait_for_alerts(1, timeout=20)
        workspace.stop(signal.SIGKILL)
        workspace.start()
        workspace.wait_for_alerts(30, timeout=30)
        workspace.wait_until(lambda: len(server.seen("/rss.xml")) >= 4, timeout=15)
        workspace.stop()
    urls = [r["article"]["url"] for r in workspace.alert_records()]
    assert sorted(urls) == sorted(f"http://example.org/g{i}" for i in range(30))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rss version="2.0"><channel><title>&f;</title>
<item><guid>x</guid><title>&f;</title><description>&f;</description></item>
</channel></rss>"""


def test_hostile_feeds_are_reported_and_cost_the_good_feed_nothing(
    workspace: Workspace,
) -> None:
    with FeedServer() as server:
        server.pages["/good.xml"] = Page(rss("Good", [("g0", "NATO first", _text(200))]))
        server.pages["/broken.xml"] = Page(b"<rss><channel><item><title>unclosed")
        server.pages["/laughs.xml"] = Page(BILLION_LAUGHS)
        server.pages["/huge.xml"] = Page(kind="huge")
        server.pages["/loop.xml"] = Page(kind="redirect-loop")
        server.pages["/dribble.xml"] = Page(kind="dribble")
        server.pages["/down.xml"] = Page(
            b"down", "text/plain", status=503, headers={"Retry-After": "120"}
        )
        server.pages["/html.xml"] = Page(b"<html><body>not a feed</body></html>", "text/html")
        hostile = ["broken", "laughs", "huge", "loop", "dribble", "down", "html"]
        extra = _feed("good", f"{server.base}/good.xml", backfill=True)
        for name in hostile:
            extra += _feed(name, f"{server.base}/{name}.xml", timeout="3s")
        workspace.write_config(extra=extra)
        workspace.start()
        workspace.wait_for_alerts(1, timeout=20)
        # The good feed keeps its 1 s schedule while the others fail.
        server.pages["/good.xml"] = Page(
            rss("Good", [("g0", "NATO first", _text(200)), ("g1", "NATO second", _text(201))])
        )
        workspace.wait_for_alerts(2, timeout=10)

        def all_failed() -> bool:
            rows = _sources(workspace)
            return all(rows[name]["errors"] >= 1 for name in hostile)

        workspace.wait_until(all_failed, timeout=30)
        rows = _sources(workspace)
        assert rows["good"]["errors"] == 0 and rows["good"]["entries_seen"] == 2
        for name in hostile:
            assert rows[name]["last_error"], name
        assert rows["down"]["last_status"] == 503
        assert "redirect" in rows["loop"]["last_error"].lower()
        assert workspace.proc is not None and workspace.proc.poll() is None
        log = workspace.log()
        for name in hostile:
            assert f"feed {name}:" in log, name
        workspace.stop()
    assert len(workspace.alert_records()) == 2


def test_full_text_fetches_the_link_and_refuses_private_addresses(
    workspace: Workspace,
) -> None:
    page = (
        "<html><head><title>Story</title></head><body><article><h1>Defence talks</h1>"
        f"<p>NATO asked South Korea for weapons and ammunition. {filler(300, 200)}</p>"
        "</article></body></html>"
    ).encode()
    with FeedServer() as server:
        server.pages["/story.html"] = Page(page, "text/html; charset=utf-8")
        link = f"{server.base}/story.html"
        doc = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
            f"<item><guid>t1</guid><title>Defence talks</title><link>{link}</link>"
            "<description>Ministers met on Monday.</description></item></channel></rss>"
        ).encode()
        server.pages["/open.xml"] = Page(doc)
        server.pages["/strict.xml"] = Page(doc.replace(b"t1", b"t2"))
        workspace.write_config(
            extra=_feed(
                "open",
                f"{server.base}/open.xml",
                backfill=True,
                full_text=True,
                allow_private=True,
            )
            + _feed("strict", f"{server.base}/strict.xml", backfill=True, full_text=True)
        )
        workspace.start()
        records = workspace.wait_for_alerts(1, timeout=20)
        # Only the page's text names NATO: the alert proves it was fetched and extracted.
        assert records[0]["article"]["url"] == link
        workspace.wait_for_log("full text of", timeout=15)
        workspace.wait_until(lambda: len(server.seen("/strict.xml")) >= 2, timeout=15)
        workspace.stop()
    assert "feed strict: full text of" in workspace.log()
    assert "is not a public address" in workspace.log()
    # The strict feed's entry was never fetched from 127.0.0.1 for it: one page request.
    assert len(server.seen("/story.html")) == 1
    assert len(workspace.alert_records()) == 1


def test_reload_adds_and_removes_sources_and_metrics_count_polls(workspace: Workspace) -> None:
    import socket

    import requests

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    metrics = f'\n[metrics]\nlisten = "127.0.0.1:{port}"\n'
    with FeedServer() as server:
        server.pages["/a.xml"] = Page(rss("A", [("a1", "NATO a", _text(700))]))
        server.pages["/b.xml"] = Page(rss("B", [("b1", "NATO b", _text(701))]))
        workspace.write_config(extra=metrics + _feed("a", f"{server.base}/a.xml", backfill=True))
        workspace.start()
        workspace.wait_for_alerts(1, timeout=20)
        assert workspace.proc is not None
        workspace.write_config(extra=metrics + _feed("b", f"{server.base}/b.xml", backfill=True))
        workspace.proc.send_signal(signal.SIGHUP)
        records = workspace.wait_for_alerts(2, timeout=20)
        assert records[-1]["article"]["source"] == "B"
        polls_of_a = len(server.seen("/a.xml"))
        workspace.wait_until(lambda: len(server.seen("/b.xml")) >= 3, timeout=15)
        assert len(server.seen("/a.xml")) <= polls_of_a + 1  # removed: no longer polled
        text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert 'monitor_source_polls_total{source="b"}' in text
        assert 'monitor_source_entries_total{source="b"} 1.0' in text
        assert 'monitor_source_last_success_timestamp_seconds{source="b"}' in text
        workspace.stop()
    assert "sources now: inbox, b" in workspace.log()
