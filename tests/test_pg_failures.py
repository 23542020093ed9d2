"""What the PostgreSQL state does when the database fails a call, on a real server: a
statement timeout, a serialization failure, a connection killed in the middle of a batch, a
network cut (through a TCP proxy, tests/helpers/tcpproxy.py) that refuses or never answers.

Each failure is a `StoreUnavailable` for the caller to retry (none waits for ever), and the
retry records once: nothing lost, nothing doubled. The pipeline leaves a batch whose commit
failed wholly to be tried again, and one item the database failed alone to its source.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers.pgserver import PgServer
from helpers.stories import other_story
from helpers.tcpproxy import TcpProxy
from pydantic import SecretStr

from monitor.articles import Article, read_bytes_article
from monitor.channels.file import FileChannelConfig
from monitor.config import InboxConfig
from monitor.engine import load_engine
from monitor.membership import Membership, new_node_id
from monitor.pipeline import Pipeline
from monitor.silences import SilenceCheck
from monitor.sources import FolderSource
from monitor.state import QueuedAlert, StoreUnavailable
from monitor.state.postgres import PostgresStore, _connection_settings

RULE = "rules:\n  - id: nato\n    entities: [NATO]\n"


def _with(url: str, option: str) -> str:
    """The URL with `-c option` for the server (libpq's `options`, URL-encoded)."""
    encoded = option.replace(" ", "%20").replace("=", "%3D")
    return f"{url}{'&' if '?' in url else '?'}options=-c%20{encoded}"


def _count(url: str, sql: str) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
        assert row is not None
        return row[0]


def _hold_article(url: str, article_id: str) -> psycopg.Connection[Any]:
    """A competing transaction that inserted the article `article_id` and holds it,
    uncommitted: a writer of the same row waits for it."""
    conn = psycopg.connect(url)
    conn.execute(
        "INSERT INTO articles (id, path, title, first_seen, last_seen, source) "
        "VALUES (%s, '/elsewhere', 't', 'z', 'z', 'inbox')",
        (article_id,),
    )
    return conn


ALERT = [QueuedAlert("r1", "c1", {"rule": "r1"})]


def test_a_statement_timeout_fails_the_call_and_the_retry_records_once(pg_url: str) -> None:
    PostgresStore(pg_url).close()  # the schema
    store = PostgresStore(_with(pg_url, "statement_timeout=200"), migrate=False)
    competitor = _hold_article(pg_url, "a1")
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="statement timeout"):
            store.record_article("a1", "/in/a", "T", ALERT)
        assert time.monotonic() - started < 5
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 0  # rolled back whole
        competitor.rollback()
        assert store.record_article("a1", "/in/a", "T", ALERT) == 1
        assert store.record_article("a1", "/in/a", "T", ALERT) == 0  # a retry after a lost ack
        assert _count(pg_url, "SELECT COUNT(*) FROM articles") == 1
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 1
    finally:
        competitor.close()
        store.close()


def test_a_serialization_failure_fails_the_call_and_the_retry_records_once(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    store = PostgresStore(
        _with(pg_url, "default_transaction_isolation=serializable"), migrate=False
    )
    competitor = _hold_article(pg_url, "a1")
    got: list[object] = []

    def record() -> None:
        try:
            got.append(store.record_article("a1", "/in/a", "T", ALERT))
        except StoreUnavailable as exc:
            got.append(exc)

    try:
        writer = threading.Thread(target=record)
        writer.start()
        time.sleep(0.5)  # waiting for the competitor's row
        competitor.commit()
        writer.join(10)
        [failed] = got
        assert isinstance(failed, StoreUnavailable) and "serialize" in str(failed), failed
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 0
        assert store.record_article("a1", "/in/a", "T", ALERT) == 1
        assert _count(pg_url, "SELECT COUNT(*) FROM articles") == 1
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 1
    finally:
        competitor.close()
        store.close()


# -- the pipeline ---------------------------------------------------------------------------


class _Inbox:
    """Three articles in an inbox, a pipeline on a PostgreSQL store, a file channel."""

    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        self.inbox = root / "inbox"
        self.inbox.mkdir()
        (root / "rules").mkdir()
        (root / "rules" / "r.yaml").write_text(RULE, encoding="utf-8")
        channels = {"out": FileChannelConfig(type="file", path=root / "alerts.jsonl")}
        engine, _ = load_engine(root / "rules", list(channels))
        self.store = PostgresStore(url, migrate=False)
        self.pipeline = Pipeline(self.store, engine, channels)
        self.names = [f"a{i}.txt" for i in range(3)]
        self.ids = []
        for i, name in enumerate(self.names):
            data = other_story(i)
            (self.inbox / name).write_bytes(data)
            self.ids.append(read_bytes_article(data, name).id)
        self.source = self.new_source()

    def new_source(self) -> FolderSource:
        """The inbox as a daemon started afresh would see it (no memory of failures)."""
        return FolderSource(
            InboxConfig(path=self.inbox, after="delete", quarantine=self.root / "q")
        )

    def run(self, source: FolderSource | None = None) -> list[tuple[str, str]]:
        source = source or self.source
        items = [
            source.item(self.inbox / name) for name in sorted(p.name for p in self.inbox.iterdir())
        ]
        return [
            (o.name.rsplit("/", 1)[-1], o.status)
            for o in self.pipeline.process_batch(source, items)
        ]


def test_a_batch_whose_connection_dies_before_its_commit_is_tried_again_whole(
    tmp_path: Path, pg_url: str
) -> None:
    PostgresStore(pg_url).close()
    setup = _Inbox(tmp_path, pg_url)
    killed: list[int] = []
    asked: list[str] = []

    def kill_once(article: Article) -> SilenceCheck:
        # Called inside the batch's transaction, once per matched article: at the second,
        # with the first one written, the server ends the connection the batch is on.
        asked.append(article.id)
        if len(asked) == 2 and not killed:
            with psycopg.connect(pg_url, autocommit=True) as admin:
                row = admin.execute(
                    "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'monitor' AND state LIKE 'idle in transaction%'"
                ).fetchone()
                killed.append(int(row[0]) if row else 0)
        return SilenceCheck({}, [], time.time())

    setup.pipeline.silences = kill_once
    try:
        with pytest.raises(StoreUnavailable):
            setup.run()
        assert killed == [1]
        # Nothing was committed, so nothing is settled: the first file is not archived as
        # if its alert were recorded (psycopg ends a transaction on a lost connection
        # silently), and none is marked as failed (held back 30 s and more).
        assert sorted(p.name for p in setup.inbox.iterdir()) == setup.names
        assert _count(pg_url, "SELECT COUNT(*) FROM articles") == 0
        assert setup.run() == [(name, "processed") for name in setup.names]
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 3
        assert not any(setup.inbox.iterdir())
    finally:
        setup.store.close()


def test_an_item_whose_statement_times_out_is_tried_again_while_the_rest_commit(
    tmp_path: Path, pg_url: str
) -> None:
    PostgresStore(pg_url).close()
    setup = _Inbox(tmp_path, _with(pg_url, "statement_timeout=300"))
    competitor = _hold_article(pg_url, setup.ids[1])
    try:
        assert setup.run() == [
            ("a0.txt", "processed"),
            ("a1.txt", "skipped"),
            ("a2.txt", "processed"),
        ]
        assert sorted(p.name for p in setup.inbox.iterdir()) == ["a1.txt"]
        competitor.rollback()
        assert setup.run(setup.new_source()) == [("a1.txt", "processed")]
        assert _count(pg_url, "SELECT COUNT(*) FROM articles") == 3
        assert _count(pg_url, "SELECT COUNT(DISTINCT article_id) FROM outbox") == 3
        assert _count(pg_url, "SELECT COUNT(*) FROM outbox") == 3
    finally:
        competitor.close()
        setup.store.close()


# -- a network cut --------------------------------------------------------------------------


@pytest.fixture
def db(pg_server: PgServer) -> Iterator[str]:
    name = pg_server.create_db()
    PostgresStore(pg_server.url(name)).close()  # the schema
    yield name
    pg_server.drop_db(name)


@pytest.fixture
def proxy(pg_server: PgServer) -> Iterator[TcpProxy]:
    with TcpProxy(pg_server.port) as made:
        yield made


def _in_flight(store: PostgresStore, cut: threading.Event) -> tuple[threading.Thread, list[object]]:
    """A thread whose call is in flight when the network is cut: it holds a batch's
    connection, waits for the cut, then writes (and waits for a reply that never comes)."""
    got: list[object] = []
    holding = threading.Event()

    def run() -> None:
        started = 0.0
        try:
            with store.batch():
                store.record_article("a0", "/in/0", "T", [])
                holding.set()
                cut.wait(10)
                started = time.monotonic()
                store.record_article("a1", "/in/a", "T", ALERT)
            got.append("committed")
        except StoreUnavailable as exc:
            got.append(exc)
        got.append(time.monotonic() - started)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert holding.wait(10)
    return thread, got


def test_a_call_with_a_deadline_ends_in_a_black_hole(
    pg_server: PgServer, db: str, proxy: TcpProxy
) -> None:
    store = PostgresStore(
        pg_server.url(db, tcp=True, port=proxy.port), migrate=False, call_timeout=2.0
    )
    cut = threading.Event()
    try:
        thread, got = _in_flight(store, cut)
        proxy.cut("blackhole")
        cut.set()
        thread.join(10)
        assert not thread.is_alive(), "the call waited past its deadline"
        failed, seconds = got
        assert isinstance(failed, StoreUnavailable) and "no answer within 2 s" in str(failed)
        assert isinstance(seconds, float) and seconds < 3
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):  # the check of a pooled connection ends too
            store.depth()
        assert time.monotonic() - started < 4
        proxy.heal()
        assert store.record_article("a1", "/in/a", "T", ALERT) == 1
        assert _count(pg_server.url(db), "SELECT COUNT(*) FROM outbox") == 1
    finally:
        proxy.heal()
        store.close()


def test_rows_locked_by_a_node_cut_off_midway_are_freed_for_the_others(
    pg_server: PgServer, db: str, proxy: TcpProxy
) -> None:
    """A node cut off between a statement and its COMMIT leaves the server holding the
    transaction, and its row locks: the server sees no cut either. Other nodes, which take a
    dead node's alerts over with SKIP LOCKED, must get them once its lease has passed."""
    lease = 2.0
    a = PostgresStore(
        pg_server.url(db, tcp=True, port=proxy.port), migrate=False, node="a", lease=lease
    )
    b = PostgresStore(pg_server.url(db), migrate=False, node="b", lease=lease)
    taken, cut = threading.Event(), threading.Event()

    def take_then_get_cut_off() -> None:
        with contextlib.suppress(StoreUnavailable), a.batch():
            assert [row.seq for row in a.due("c1", time.time() + 1)]
            taken.set()
            cut.wait(10)  # the COMMIT goes out into the cut

    try:
        ca, cb = a.cluster(), b.cluster()
        assert ca is not None and cb is not None
        ca.join("host-a", 1, "t")
        cb.join("host-b", 2, "t")
        a.record_article("a1", "/in/a", "T", ALERT)
        threading.Thread(target=take_then_get_cut_off, daemon=True).start()
        assert taken.wait(10)
        proxy.cut("blackhole")
        cut.set()
        started = time.monotonic()
        while not b.due("c1", time.time() + 1):
            assert time.monotonic() - started < lease * 3 + 2, "the rows stayed locked"
            cb.beat()
            time.sleep(0.1)
    finally:
        proxy.heal()
        a.close()
        b.close()


@dataclass
class _Place:
    path: Path
    url: SecretStr | None
    lease: float


@pytest.mark.parametrize("mode", ["blackhole", "refuse"])
def test_a_node_that_loses_the_database_abandons_its_calls_says_so_and_comes_back(
    tmp_path: Path,
    pg_server: PgServer,
    db: str,
    proxy: TcpProxy,
    mode: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="monitor.cluster")
    lease = 2.0
    url = pg_server.url(db, tcp=True, port=proxy.port)
    node = new_node_id()
    membership = Membership(_Place(tmp_path, SecretStr(url), lease), node)
    store = PostgresStore(url, migrate=False, node=node, lease=lease)  # the loop's: no deadline
    cut = threading.Event()
    try:
        membership.start()
        thread, got = _in_flight(store, cut)
        proxy.cut(mode)  # type: ignore[arg-type]
        cut_at = time.time()
        cut.set()
        thread.join(lease * 2 + 2)
        assert not thread.is_alive(), "a call of the node waited on after it lost the database"
        assert isinstance(got[0], StoreUnavailable), got
        if mode == "blackhole":  # no error ever came: the node gave the call up
            assert "abandoned: this node lost the state database" in str(got[0])

        def lost() -> list[logging.LogRecord]:
            return [r for r in caplog.records if "lost the state database" in r.getMessage()]

        deadline = time.monotonic() + lease * 2
        while not lost() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(lost()) == 1
        assert lost()[0].created - cut_at < lease
        assert not membership.fresh()
        problem = membership.problem()
        assert problem is not None and "state database" in problem
        time.sleep(lease)  # longer than the lease: another node could take over meanwhile
        assert len(lost()) == 1  # said once
        proxy.heal()
        deadline = time.monotonic() + 15
        while not membership.fresh():
            assert time.monotonic() < deadline, "the node never came back"
            time.sleep(0.05)
        assert membership.problem() is None
        assert any("state database is back" in r.getMessage() for r in caplog.records)
        # What failed is written by the retry, once.
        assert store.record_article("a1", "/in/a", "T", ALERT) == 1
        assert _count(pg_server.url(db), "SELECT COUNT(*) FROM outbox") == 1
    finally:
        proxy.heal()
        membership.stop()
        store.close()


def test_the_urls_own_connection_settings_win() -> None:
    given = _connection_settings("postgresql://m@db/x?connect_timeout=3&keepalives_idle=60")
    assert "connect_timeout" not in given and "keepalives_idle" not in given
    assert given["keepalives"] == 1 and given["application_name"] == "monitor"
    default = _connection_settings("postgresql://m@db/x")
    assert default["connect_timeout"] == 10 and default["keepalives_idle"] == 15


def test_a_pool_that_gives_no_connection_for_long_is_replaced(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A break-it run once saw a node's pool make no connection again after a database
    restart, the database back: the node stayed cut off for good. Whatever wedges a pool, one
    that gives no connection for RENEW_AFTER seconds is replaced."""
    from monitor.state import postgres

    monkeypatch.setattr(postgres, "RENEW_AFTER", 1.0)
    store = postgres.PostgresStore(pg_url, node="w", lease=3.0, call_timeout=0.3)
    try:
        wedged = postgres._pool_of(pg_url, "w")
        held = [wedged.getconn() for _ in range(postgres.POOL_MAX)]  # nothing left to give
        with pytest.raises(StoreUnavailable):
            store.seen("x")
        time.sleep(1.1)
        with pytest.raises(StoreUnavailable):
            store.seen("x")  # starved past RENEW_AFTER: this one replaces the pool
        assert postgres._pool_of(pg_url, "w") is not wedged
        assert store.seen("x") is False  # the new pool answers
        for conn in held:
            wedged.putconn(conn)
    finally:
        store.close()
