"""The cluster's claims at the store level, on a real PostgreSQL: two nodes racing.

Each test runs two `PostgresStore`s with different node ids against one database, from
threads, as two daemons would: an outbox row is taken by one node only, a dead node's rows
and files are taken over after its lease and not before, a digest is made once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from monitor.state import Cluster, HeldRow, QueuedAlert
from monitor.state.postgres import PostgresStore

LEASE = 3.0
"""Short, but longer than a node's call may take after its connections were ended as a dead
node's (the pool waits about a second before it replaces a connection that failed its
check): with 1 s, a live node counted as dead by the time the other asked."""


@pytest.fixture
def nodes(pg_url: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    a = PostgresStore(pg_url, node="a", lease=LEASE)
    b = PostgresStore(pg_url, node="b", lease=LEASE)
    for store in (a, b):
        _cluster(store).join("host", 1, "test")
    yield a, b
    a.close()
    b.close()


def _cluster(store: PostgresStore) -> Cluster:
    cluster = store.cluster()
    assert cluster is not None
    return cluster


def _queue(store: PostgresStore, n: int, channel: str = "c") -> None:
    with store.batch():
        for i in range(n):
            store.record_article(f"a{i}", f"/in/{i}", "T", [QueuedAlert("r", channel, {"i": i})])


def test_two_nodes_sending_at_once_take_each_alert_once(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    a, b = nodes
    _queue(a, 300)
    taken: dict[str, list[int]] = {"a": [], "b": []}

    def send(store: PostgresStore, name: str) -> None:
        while True:
            rows = store.due("c", time.time() + 1, limit=7)
            if not rows:
                return
            taken[name] += [r.seq for r in rows]
            store.mark_delivered([r.seq for r in rows])

    threads = [threading.Thread(target=send, args=(s, s.node)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    both = taken["a"] + taken["b"]
    assert len(both) == len(set(both)) == 300
    assert taken["a"] and taken["b"], "both nodes sent"
    assert a.counts() == {"delivered": 300}


def test_a_dead_nodes_alerts_are_taken_over_after_its_lease_only(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    a, b = nodes
    _queue(a, 5)
    held = a.due("c", time.time() + 1)
    assert len(held) == 5
    assert b.due("c", time.time() + 1) == []  # a is alive: its rows are its own
    assert b.next_due_at("c") is None  # nothing for b to wake up for
    a.mark_retry([held[0].seq], time.time() - 1, "HTTP 503")  # retries stay with a
    assert b.due("c", time.time() + 1) == []
    time.sleep(LEASE + 0.3)  # a stops beating
    _cluster(b).beat()
    assert sorted(r.seq for r in b.due("c", time.time() + 1)) == sorted(r.seq for r in held)
    # a comes back after b took over: it does not get them back while b lives
    _cluster(a).beat()
    _cluster(b).beat()
    assert a.due("c", time.time() + 1) == []


def test_leaving_lets_everything_go_at_once(nodes: tuple[PostgresStore, PostgresStore]) -> None:
    a, b = nodes
    _queue(a, 3)
    assert len(a.due("c", time.time() + 1)) == 3
    assert _cluster(a).claim_items("inbox", ["x", "y"]) == {"x", "y"}
    assert _cluster(a).hold("feed:wire")
    _cluster(a).leave()
    assert len(b.due("c", time.time() + 1)) == 3  # no lease to wait for
    assert _cluster(b).claim_items("inbox", ["x", "y"]) == {"x", "y"}
    assert _cluster(b).hold("feed:wire")
    listed = {n.id: n for n in b.nodes()}
    assert listed["a"].stopped and not listed["a"].alive
    assert listed["b"].alive and listed["b"].leases == ["feed:wire"]
    assert listed["b"].claims == 2 and listed["b"].sending == {"c": 3}


def test_inbox_files_are_claimed_by_one_node_and_released(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    a, b = nodes
    ca, cb = _cluster(a), _cluster(b)
    assert ca.claim_items("inbox", ["1", "2", "2"]) == {"1", "2"}
    assert cb.claim_items("inbox", ["2", "3"]) == {"3"}
    assert ca.claim_items("inbox", ["1"]) == {"1"}  # a node's own claim is its own again
    ca.release_items("inbox", ["1", "2"])
    assert cb.claim_items("inbox", ["1", "2"]) == {"1", "2"}
    assert cb.claim_items("feeds", ["1"]) == {"1"}  # keys are per source


def test_claims_racing_from_threads_never_overlap(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    a, b = nodes
    keys = [f"f{i}" for i in range(400)]
    got: dict[str, set[str]] = {}

    def claim(store: PostgresStore) -> None:
        mine: set[str] = set()
        for start in range(0, len(keys), 25):
            mine |= _cluster(store).claim_items("inbox", keys[start : start + 25][::-1])
        got[str(store.node)] = mine

    threads = [threading.Thread(target=claim, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not (got["a"] & got["b"])
    assert got["a"] | got["b"] == set(keys)


def test_two_nodes_making_digests_at_once_make_each_once(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    a, b = nodes
    release = time.time() - 1
    held = [
        QueuedAlert(
            "r", "d", {"rule": "r", "i": i}, article_id=f"h{i}", status="held", release_at=release
        )
        for i in range(50)
    ]
    a.record_article("h", "/in/h", "H", held)
    built: list[str] = []

    def build(key: str, rows: Any, when: str) -> tuple[dict[str, Any] | None, dict[int, str]]:
        built.append(key)
        time.sleep(0.05)  # a slow builder widens the race
        return {"digest": key, "n": len([r for r in rows if isinstance(r, HeldRow)])}, {}

    made: list[int] = []
    barrier = threading.Barrier(2)

    def make(store: PostgresStore) -> None:
        barrier.wait()
        made.append(store.make_digests("d", time.time(), build))

    threads = [threading.Thread(target=make, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(made) == [0, 1]
    digests = [r for r in a.pending(("pending",)) if r.kind == "digest"]
    assert len(digests) == 1 and digests[0].record["n"] == 50
    assert a.counts() == {"digested": 50, "pending": 1}


def test_a_node_ends_the_dead_nodes_sessions_not_its_own_on_a_long_host_name(
    pg_url: str,
) -> None:
    """Node ids of one long host name (a node restarted on it) must not share a session
    name: the live node would end its own sessions as the dead one's at every heartbeat."""
    from monitor.state.postgres import application_name

    host = "media-monitoring-alert-daemon-production-7d9f8b6c5d-x7k2p"
    dead = PostgresStore(pg_url, node=f"{host}:1:aaaaaa", lease=LEASE)
    live = PostgresStore(pg_url, node=f"{host}:1:bbbbbb", lease=LEASE)
    try:
        assert dead.node is not None and live.node is not None
        assert application_name(dead.node) != application_name(live.node)
        _cluster(dead).join(host, 1, "test")
        _cluster(live).join(host, 1, "test")
        time.sleep(LEASE + 0.3)  # dead stops beating; its pooled session stays open
        for _ in range(3):
            _cluster(live).beat()  # ended its own session (StoreUnavailable) before
        row = live._db.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?",
            (application_name(dead.node),),
        ).fetchone()
        assert row[0] == 0, "the dead node's sessions were left on the server"
    finally:
        dead.close()
        live.close()


def test_two_nodes_starting_one_story_at_once_both_file_it(
    nodes: tuple[PostgresStore, PostgresStore],
) -> None:
    """One article posted to two nodes at once: each starts its story; the node whose
    insert waited on the other's commit files the story under that number, where it failed
    on the key (the ingest client got a 503, the log a traceback)."""
    a, b = nodes
    got: list[int | Exception] = []
    with a.batch():
        mine = a.add_story("s1", time.time(), b"sk", b"k")

        def start() -> None:
            try:
                with b.batch():
                    got.append(b.add_story("s1", time.time(), b"sk", b"k"))
            except Exception as exc:
                got.append(exc)

        racer = threading.Thread(target=start)
        racer.start()
        time.sleep(0.5)  # b's insert waits on a's uncommitted row
    racer.join(timeout=30)
    assert got == [mine]
