"""Feed polls leased per source, on a real PostgreSQL and a real feed server: one node holds
`feed:NAME` while its heartbeat lives; another takes it once that node stops beating or
leaves, and carries on from the state the holder saved (validators, first poll, schedule)."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import pytest
from helpers.feed_server import FeedServer, Page, rss

from monitor.config import FeedSourceConfig
from monitor.sources.base import Item, Outcome
from monitor.sources.feeds import FeedPoller
from monitor.sources.fetch import Fetcher
from monitor.sources.leases import FeedLeases
from monitor.sources.listing import feed_holders
from monitor.state import StoreUnavailable
from monitor.state.postgres import PostgresStore

LEASE = 2.0  # below the config's minimum of 3 s, to keep the tests short; not 1 s: a call
# after a node's connections were ended as a dead node's takes about a second (the pool's
# check), and a 1 s lease lapsed on a live node meanwhile


def _wait(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout}s")


def test_a_lease_is_one_live_nodes_until_it_stops_beating_or_leaves(pg_url: str) -> None:
    a = PostgresStore(pg_url, node="a", lease=LEASE)
    b = PostgresStore(pg_url, node="b", lease=LEASE)
    try:
        ca, cb = a.cluster(), b.cluster()
        assert ca is not None and cb is not None
        ca.join("host-a", 1, "t")
        cb.join("host-b", 2, "t")
        assert ca.hold("feed:x")
        assert not cb.hold("feed:x")
        left = cb.lease_left("feed:x")
        assert left is not None and 0 < left <= LEASE
        assert ca.hold("feed:x")  # kept
        assert ca.lease_left("feed:x") is None  # none other holds it
        assert feed_holders(a.nodes()) == {"x": "a"}
        # A stops beating: once its heartbeat is older than its lease, B takes the feed.
        deadline = time.monotonic() + LEASE + 2
        while not cb.hold("feed:x"):
            assert time.monotonic() < deadline, "B never took the lease"
            cb.beat()
            time.sleep(0.05)
        assert feed_holders(b.nodes()) == {"x": "b"}
        ca.beat()  # A comes back: the feed stays B's while B lives
        cb.beat()
        assert not ca.hold("feed:x")
        # B leaves (a clean stop): its leases go at once.
        cb.leave()
        assert ca.hold("feed:x")
        assert feed_holders(a.nodes()) == {"x": "a"}
        ca.let_go("feed:x")
        assert feed_holders(a.nodes()) == {}
    finally:
        a.close()
        b.close()


class _Counts:
    """The poller's counters: how many polls this node made."""

    def __init__(self) -> None:
        self.polls = 0

    def polled(self, source: str, ok: bool) -> None:
        self.polls += 1

    def took_in(self, source: str, entries: int) -> None:
        pass


class _Node:
    """One node as the daemon wires it: a heartbeat thread and a loop thread each with a
    store of its own, and a feed poller whose scheduler takes leases through another."""

    def __init__(self, url: str, name: str, conf: FeedSourceConfig) -> None:
        self.name = name
        self.counts = _Counts()
        self.items: list[Item] = []
        self._stop = threading.Event()
        self._beats = PostgresStore(url, node=name, lease=LEASE)
        cluster = self._beats.cluster()
        assert cluster is not None
        self.cluster = cluster
        cluster.join("test", os.getpid(), "t")
        self.store = PostgresStore(url, migrate=False, node=name, lease=LEASE)
        leases = FeedLeases(
            lambda: PostgresStore(url, migrate=False, node=name, lease=LEASE), LEASE
        )
        self.poller = FeedPoller(
            {"x": conf}, self.store, self.counts, fetcher=Fetcher(host_spacing=0), leases=leases
        )
        self._threads = [
            threading.Thread(target=self._beat, daemon=True),
            threading.Thread(target=self._loop, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.poller.start()

    def _beat(self) -> None:
        while not self._stop.wait(LEASE / 4):
            self.cluster.beat()

    def _loop(self) -> None:
        """What the daemon's loop does with a feed's entries: record each, then finish."""
        while not self._stop.is_set():
            for item in self.poller.take(0, 100):
                self.store.remember_item(item.source, item.key, item.fingerprint, None)
                self.items.append(item)
                self.poller.finished([Outcome(item, "processed")])
            time.sleep(0.02)

    def die(self) -> None:
        """As kill -9 would: no more beats, polls or saves, and no leave."""
        self._stop.set()
        self.poller.stop()
        for thread in self._threads:
            thread.join(5)
        self.store.close()

    def close(self, leave: bool = False) -> None:
        if not self._stop.is_set():
            self.die()
        if leave:
            self.cluster.leave()
        self._beats.close()


def test_one_node_polls_a_feed_and_another_takes_over_with_its_state(pg_url: str) -> None:
    with FeedServer() as server:
        old = [("a", "A", "text a"), ("b", "B", "text b")]
        server.pages["/rss.xml"] = Page(rss("Wire", old))
        conf = FeedSourceConfig.model_validate(
            {"type": "feed", "url": f"{server.base}/rss.xml", "interval": 1}
        )
        first = _Node(pg_url, "node-a", conf)
        second: _Node | None = None
        try:
            # A's first poll: the entries there are marked seen (backfill = false).
            _wait(lambda: first.counts.polls >= 1)
            second = _Node(pg_url, "node-b", conf)
            time.sleep(2.5)
            # A polled at its interval; B not once, however often it asked for the lease.
            assert second.counts.polls == 0
            assert first.counts.polls >= 3
            assert first.items == [] and second.items == []
            holders = feed_holders(first.store.nodes())
            assert holders == {"x": "node-a"}
            etag = first.store.source_states()["x"].etag
            assert etag
            # A dies. B takes the feed over within the lease (plus a poll), carrying A's
            # validators: its first request is conditional, and answered 304.
            first.die()
            died = time.monotonic()
            requests = len(server.seen("/rss.xml"))
            _wait(lambda: second.counts.polls >= 1, timeout=LEASE * 3 + 2)
            assert time.monotonic() - died < LEASE * 2 + 1
            taken_over = server.seen("/rss.xml")[requests:]
            assert taken_over and taken_over[0].headers.get("If-None-Match") == etag
            assert feed_holders(second.store.nodes()) == {"x": "node-b"}
            # A new entry: B alerts on it alone (A's entries were seen; no backfill).
            server.pages["/rss.xml"] = Page(rss("Wire", [("c", "C", "text c"), *old]))
            _wait(lambda: len(second.items) >= 1)
            time.sleep(1.0)
            assert [i.key.rsplit("/", 1)[-1] for i in second.items] == ["c"]
        finally:
            first.close()
            if second is not None:
                second.close(leave=True)


def test_a_node_that_leaves_hands_its_feeds_over_at_once(pg_url: str) -> None:
    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", [("a", "A", "text a")]))
        conf = FeedSourceConfig.model_validate(
            {"type": "feed", "url": f"{server.base}/rss.xml", "interval": 10}
        )
        first = _Node(pg_url, "node-a", conf)
        second: _Node | None = None
        try:
            _wait(lambda: first.counts.polls >= 1)
            second = _Node(pg_url, "node-b", conf)
            time.sleep(0.5)
            first.close(leave=True)
            # B asks again within half a lease; it takes A's schedule over too: the feed
            # was polled moments ago, so B waits for its next poll time, not polls at once.
            _wait(lambda: feed_holders(second.store.nodes()) == {"x": "node-b"}, timeout=2)
            assert second.counts.polls == 0
            state = second.store.source_states()["x"]
            assert state.primed and state.polls == 1
        finally:
            first.close()
            if second is not None:
                second.close(leave=True)


def test_a_node_cut_off_from_the_database_polls_nothing_and_says_so_once(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = PostgresStore(pg_url, node="n", lease=LEASE)
    cluster = store.cluster()
    assert cluster is not None
    cluster.join("test", os.getpid(), "t")

    def unreachable() -> PostgresStore:
        raise StoreUnavailable("state database: connection refused")

    with FeedServer() as server:
        server.pages["/rss.xml"] = Page(rss("Wire", [("a", "A", "text a")]))
        conf = FeedSourceConfig.model_validate(
            {"type": "feed", "url": f"{server.base}/rss.xml", "interval": 1}
        )
        leases = FeedLeases(unreachable, LEASE)
        poller = FeedPoller({"x": conf}, store, fetcher=Fetcher(host_spacing=0), leases=leases)
        caplog.set_level(logging.INFO, logger="monitor.feeds")
        poller.start()
        try:
            time.sleep(1.5)  # asked three times or more
            assert server.seen("/rss.xml") == []
            assert poller.alive()
            said = [r for r in caplog.records if "cannot take feed leases" in r.getMessage()]
            assert len(said) == 1
        finally:
            poller.stop()
        # A heartbeat that does not go through: no database call, no poll either.
        stale = FeedLeases(lambda: pytest.fail("no call expected"), LEASE, fresh=lambda: False)
        assert stale.check(["x"]) == {"x": LEASE / 2}
    # The database back: the lease is taken, and the recovery said once.
    tries: list[int] = []

    def flaky() -> PostgresStore:
        tries.append(1)
        if len(tries) == 1:
            unreachable()
        return PostgresStore(pg_url, migrate=False, node="n", lease=LEASE)

    back = FeedLeases(flaky, LEASE)
    caplog.clear()
    assert back.check(["x"]) == {"x": LEASE / 2}
    assert back.check(["x"]) == {"x": None}
    assert back.check(["x"]) == {"x": None}
    assert sum("answers again" in r.getMessage() for r in caplog.records) == 1
    assert sum("cannot take feed leases" in r.getMessage() for r in caplog.records) == 1
    back.close()
    store.close()


def test_leases_need_a_store_opened_for_a_node(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    leases = FeedLeases(lambda: PostgresStore(pg_url), LEASE)
    assert leases.check(["x"]) == {"x": LEASE / 2}  # refused, not a crash
    assert "a store opened for this node" in caplog.text
