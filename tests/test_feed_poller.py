"""The feed poller against a real feed server and a real state database: validators kept
only once a poll's entries are committed, no second poll while entries are on their way,
the first poll without backfill, and the backoff schedule."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from helpers.feed_server import FeedServer, Page, rss

from monitor.config import FeedSourceConfig
from monitor.sources.base import Item, Outcome
from monitor.sources.feedparse import MAX_ENTRIES
from monitor.sources.feeds import MAX_BACKOFF, FeedPoller, backoff
from monitor.sources.fetch import Fetcher
from monitor.state import Store, open_store


def _poller(store: Store, url: str, **keys: object) -> FeedPoller:
    conf = FeedSourceConfig.model_validate({"type": "feed", "url": url, "interval": 1, **keys})
    return FeedPoller({"wire": conf}, store, fetcher=Fetcher(host_spacing=0))


def _take(poller: FeedPoller, count: int, timeout: float = 10) -> list[Item]:
    items: list[Item] = []
    deadline = time.monotonic() + timeout
    while len(items) < count and time.monotonic() < deadline:
        items += poller.take(0, 100)
        time.sleep(0.02)
    assert len(items) == count, items
    return items


def test_validators_wait_until_every_entry_is_committed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", [("a", "A", "text a"), ("b", "B", "text b")]))
        poller = _poller(store, f"{server.base}/rss.xml", backfill=True)
        poller.start()
        try:
            items = _take(poller, 2)
            # A guid that reads as a relative link is resolved against the feed's URL.
            assert {i.key.rsplit("/", 1)[-1] for i in items} == {"a", "b"}
            assert items[0].article is not None and items[0].article.source == "Wire"
            state = store.source_states()["wire"]
            assert state.primed and state.etag is None  # not before the entries commit
            # No second poll while the first poll's entries are on their way.
            time.sleep(2.5)
            assert poller.take(0, 100) == [] and len(server.seen("/rss.xml")) == 1
            items.sort(key=lambda i: i.key)
            # What the pipeline does for a committed entry: remember it, then finish.
            store.remember_item("wire", items[0].key, items[0].fingerprint, None)
            poller.finished([Outcome(items[0], "processed"), Outcome(items[1], "skipped")])
            # One entry failed: it is not remembered, and the validators are not kept.
            assert store.source_states()["wire"].etag is None
            again = _take(poller, 1)
            assert again[0].key.endswith("/b")
            poller.finished([Outcome(again[0], "processed")])
            assert store.source_states()["wire"].etag is not None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                poller.take(0, 100)
                if any(r.headers.get("If-None-Match") for r in server.seen("/rss.xml")):
                    break
                time.sleep(0.05)
            assert any(r.headers.get("If-None-Match") for r in server.seen("/rss.xml"))
        finally:
            poller.stop()
    store.close()


def test_first_poll_without_backfill_marks_entries_seen(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", [("a", "A", "text a"), ("b", "B", "text b")]))
        poller = _poller(store, f"{server.base}/rss.xml")
        poller.start()
        try:
            deadline = time.monotonic() + 10
            while not store.source_states().get("wire") and time.monotonic() < deadline:
                assert poller.take(0, 100) == []
                time.sleep(0.05)
            state = store.source_states()["wire"]
            assert state.primed and state.etag is not None
            assert store.item_counts()["wire"] == 2
            server.pages["/rss.xml"] = Page(
                rss("Wire", [("c", "C", "text c"), ("a", "A", "text a"), ("b", "B", "text b")])
            )
            assert [i.key.rsplit("/", 1)[-1] for i in _take(poller, 1)] == ["c"]
        finally:
            poller.stop()
    store.close()


def test_an_error_is_counted_and_backs_off(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(b"oops", "text/plain", status=500)
        poller = _poller(store, f"{server.base}/rss.xml")
        poller.start()
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                poller.take(0, 100)
                state = store.source_states().get("wire")
                if state is not None and state.errors:
                    break
                time.sleep(0.05)
            assert state is not None and state.errors == 1 and state.last_status == 500
            assert state.last_error and "500" in state.last_error
            assert state.next_poll is not None and state.last_poll is not None
        finally:
            poller.stop()
    store.close()


def test_backoff_doubles_with_jitter_up_to_a_cap() -> None:
    assert backoff(300, 0) == 300
    for _ in range(50):
        assert 480 <= backoff(300, 1) <= 720
        assert 960 <= backoff(300, 2) <= 1440
        assert backoff(300, 30) <= MAX_BACKOFF * 1.2
        assert 7200 * 0.8 <= backoff(7200, 5) <= 7200 * 1.2  # a long interval is its own cap


def test_full_text_decodes_by_the_http_charset(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state")
    text = "Россия и НАТО обсудили поставки оружия в Южную Корею. " * 20
    page = f"<html><body><article><h1>НАТО</h1><p>{text}</p></article></body></html>"
    with FeedServer() as server:
        server.pages["/story.html"] = Page(page.encode("cp1251"), "text/html; charset=windows-1251")
        doc = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<item><guid>t1</guid><title>NATO</title><link>{server.base}/story.html</link>"
            "<description>teaser</description></item></channel></rss>"
        ).encode()
        server.pages["/rss.xml"] = Page(doc)
        poller = _poller(
            store, f"{server.base}/rss.xml", backfill=True, full_text=True, allow_private=True
        )
        poller.start()
        try:
            (item,) = _take(poller, 1)
        finally:
            poller.stop()
    assert item.article is not None
    assert "Россия и НАТО обсудили" in item.article.body
    store.close()


def test_a_feed_without_an_xml_declaration_is_decoded_by_the_http_charset(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "state")
    doc = (
        '<rss version="2.0"><channel><title>Лента</title><item><guid>x1</guid>'
        "<title>НАТО и Южная Корея</title><description>Поставки оружия</description>"
        "</item></channel></rss>"
    )
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(doc.encode("cp1251"), "text/xml; charset=windows-1251")
        poller = _poller(store, f"{server.base}/rss.xml", backfill=True)
        poller.start()
        try:
            (item,) = _take(poller, 1)
        finally:
            poller.stop()
    assert item.article is not None
    assert (item.article.title, item.article.source) == ("НАТО и Южная Корея", "Лента")


def test_a_removed_feeds_queued_entries_are_still_its_own(tmp_path: Path) -> None:
    """A reload that removes a feed while its entries are queued (or their full text is
    being fetched): they still go through the poller, never to the inbox folder source,
    which the SourceSet falls back to for an item no other source owns."""
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", [("a", "A", "text a")]))
        poller = _poller(store, f"{server.base}/rss.xml", backfill=True)
        poller.start()
        try:
            items = _take(poller, 1)
            poller.reconfigure({})
            assert poller.owns("wire")
            store.remember_item("wire", items[0].key, items[0].fingerprint, None)
            poller.finished([Outcome(items[0], "processed")])  # no error for a removed feed
        finally:
            poller.stop()
    store.close()


def test_many_feeds_on_one_host_do_not_starve_another_host(tmp_path: Path) -> None:
    """Requests to one host are spaced; 20 feeds due on one host used to fill every worker
    with a poll asleep in that host's queue, so a feed on another host waited for all of
    them (50 feeds at 1 s spacing: not polled at all in 40 s). One poll per host at a time
    leaves the other workers free."""
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        feeds: dict[str, FeedSourceConfig] = {}
        for i in range(20):
            server.pages[f"/f{i}.xml"] = Page(rss("Wire", [(f"g{i}", "A", "text a")]))
            feeds[f"f{i}"] = FeedSourceConfig.model_validate(
                {"type": "feed", "url": f"{server.base}/f{i}.xml", "interval": 60}
            )
        server.pages["/other.xml"] = Page(rss("Other", [("o", "O", "text o")]))
        port = server.base.rsplit(":", 1)[1]
        feeds["other"] = FeedSourceConfig.model_validate(
            {"type": "feed", "url": f"http://localhost:{port}/other.xml", "interval": 60}
        )
        poller = FeedPoller(feeds, store, fetcher=Fetcher(host_spacing=0.5))
        poller.start()
        try:
            deadline = time.monotonic() + 3
            while not server.seen("/other.xml") and time.monotonic() < deadline:
                poller.take(0, 100)
                time.sleep(0.05)
            assert server.seen("/other.xml"), "the feed on another host was not polled"
            assert len(server.seen("/f0.xml")) + len(server.seen("/f1.xml")) >= 1
        finally:
            poller.stop()
    store.close()


def test_a_long_feed_is_said_to_be_cut_once_not_on_every_poll(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A feed with more than MAX_ENTRIES entries logged a warning on every poll (every
    second with interval = 1s); once per run is enough, until the count changes."""
    store = open_store(tmp_path / "state")
    items = [(f"g{i}", f"T{i}", f"text {i}") for i in range(MAX_ENTRIES + 5)]
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", items), headers={"ETag": '"never-matches"'})
        poller = _poller(store, f"{server.base}/rss.xml")
        poller.start()
        try:
            with caplog.at_level(logging.WARNING, logger="monitor.feeds"):
                deadline = time.monotonic() + 15
                while len(server.seen("/rss.xml")) < 3 and time.monotonic() < deadline:
                    poller.take(0, 2000)
                    time.sleep(0.05)
                time.sleep(0.5)
                poller.take(0, 2000)
        finally:
            poller.stop()
    assert len(server.seen("/rss.xml")) >= 3
    cut = [r for r in caplog.records if "were left out" in r.getMessage()]
    assert len(cut) == 1, [r.getMessage() for r in cut]
    store.close()


def test_a_feed_pointed_at_another_url_starts_as_a_new_feed(tmp_path: Path) -> None:
    """Without backfill, a feed's first poll only marks its entries seen. A reload (or a
    restart) that points a configured feed at another URL kept the old 'primed' state, so
    the new document's whole backlog came through as new entries and was alerted."""
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/a.xml"] = Page(rss("A", [("a1", "A", "text a")]))
        server.pages["/b.xml"] = Page(rss("B", [(f"b{i}", "B", f"text b{i}") for i in range(5)]))
        poller = _poller(store, f"{server.base}/a.xml")
        poller.start()
        try:
            deadline = time.monotonic() + 10
            while not store.item_counts().get("wire") and time.monotonic() < deadline:
                assert poller.take(0, 100) == []
                time.sleep(0.05)
            conf = FeedSourceConfig.model_validate(
                {"type": "feed", "url": f"{server.base}/b.xml", "interval": 1}
            )
            poller.reconfigure({"wire": conf})
            deadline = time.monotonic() + 10
            while store.item_counts().get("wire", 0) < 6 and time.monotonic() < deadline:
                assert poller.take(0, 100) == []  # marked seen, not offered
                time.sleep(0.05)
            assert store.item_counts()["wire"] == 6
        finally:
            poller.stop()
    store.close()


def test_full_text_stops_fetching_when_the_polls_time_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import monitor.sources.feeds as feeds

    monkeypatch.setattr(feeds, "FULL_TEXT_SECONDS", 0.5)
    store = open_store(tmp_path / "state")
    with FeedServer() as server:
        server.pages["/slow.html"] = Page(kind="hang")
        items = "".join(
            f"<item><guid>s{i}</guid><title>T{i}</title><link>{server.base}/slow.html?{i}</link>"
            f"<description>own text {i}</description></item>"
            for i in range(3)
        )
        server.pages["/rss.xml"] = Page(
            f'<rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()
        )
        poller = _poller(
            store,
            f"{server.base}/rss.xml",
            backfill=True,
            full_text=True,
            allow_private=True,
            timeout=1,
        )
        started = time.monotonic()
        poller.start()
        try:
            got = _take(poller, 3, timeout=10)
        finally:
            poller.stop()
    assert time.monotonic() - started < 5  # one 1 s fetch, not three
    assert all(i.article is not None and "own text" in i.article.body for i in got)
    assert len(server.seen("/slow.html")) == 1
    assert "full text of 2 entries not fetched" in caplog.text
    store.close()
