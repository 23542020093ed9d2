"""The PostgreSQL state backend: the shared state of a cluster (`[state] url`).

The queries are `monitor.state.sql`'s, shared with SQLite; this module owns the connections.
Each process keeps one psycopg pool per database URL (a few connections, checked before use,
so a connection that a database restart broke is replaced instead of failing a call); a
store, one per thread as with SQLite, borrows a connection for each call, or holds one for a
transaction or a `batch()`. Connections run in autocommit: a write is one explicit
transaction, a read one statement.

Every driver error becomes `StoreUnavailable`: a database restart, a network cut, a statement
timeout, a serialization failure or a deadlock all may pass, and the callers back off and try
again, as they do when SQLite is locked. A transaction that failed was rolled back whole, and
every write is idempotent under the tables' unique keys, so a retry after a commit whose
acknowledgement was lost doubles nothing.

The URL is a secret (it may carry a password); it is shown only as `where`, without one.
"""

from __future__ import annotations

import atexit
import functools
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg
from psycopg import conninfo
from psycopg_pool import ConnectionPool

from monitor.errors import StoreError
from monitor.state.base import Cluster, NodeRow, OutboxRow, StoreUnavailable
from monitor.state.sql import Db, SqlStore, _unavailable

SCHEMA_LOCK = 0x6D6F6E69746F72  # "monitor": the advisory lock migrations are applied under

POOL_MAX = 16
"""Connections per process and database: the pipeline, one sender per channel, the feeds'
thread, the CLI; each borrows one for a call and gives it back."""

POOL_WAIT = 10.0
"""Seconds a call waits for a connection before it fails as unavailable (the caller backs
off): a database that is down must not hold the pipeline for longer than this per call."""

CONNECT_TIMEOUT = 10
"""Seconds libpq waits for a server to answer a connection attempt."""

DEFAULT_LEASE = 10.0
"""Seconds a node's claims outlive its last heartbeat (`[state] lease`)."""


def redacted(url: str) -> str:
    """The URL as it may be shown: without a password in the authority or the query."""
    try:
        params = conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return re.sub(r"//[^@/]*@", "//***@", url.split("?", 1)[0])
    user = str(params.get("user") or "")
    host = str(params.get("host") or "")
    port = str(params.get("port") or "")
    dbname = str(params.get("dbname") or "")
    where = host if not host.startswith("/") else f"[{host}]"
    if port:
        where += f":{port}"
    return f"postgresql://{f'{user}@' if user else ''}{where}/{dbname}"


def _placeholders(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (and a literal `%` doubled)."""
    return _converted(sql)


@functools.lru_cache(maxsize=512)
def _converted(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: one in a hostile title or name would make the
    article unrecordable, retried for ever. It is stored as U+FFFD, as SQLite would not
    need (it keeps NUL)."""
    if type(value) is str and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _params(params: Sequence[Any]) -> list[Any]:
    return [_clean(v) for v in params]


class _Rows(list[Any]):
    """A read's rows, fetched before its connection went back to the pool."""

    rowcount: int = -1

    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list[Any]:
        return list(self)


class _Conn:
    """One borrowed connection, speaking the shared queries' dialect (`Db`)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = (), /) -> Any:
        return self.conn.execute(_placeholders(sql), _params(params))

    def executemany(self, sql: str, rows: Any, /) -> Any:
        with self.conn.cursor() as cur:
            cur.executemany(_placeholders(sql), (_params(r) for r in rows))
            return cur


class _Reader:
    """Reads outside a transaction: each borrows a connection for one statement."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, params: Any = (), /) -> _Rows:
        with self.store._connection() as conn:
            cur = _Conn(conn).execute(sql, params)
            rows = _Rows(cur.fetchall() if cur.description is not None else [])
            rows.rowcount = cur.rowcount
            return rows

    def executemany(self, sql: str, rows: Any, /) -> Any:
        with self.store._connection() as conn:
            return _Conn(conn).executemany(sql, rows)


_pools: dict[str, tuple[ConnectionPool[Any], int]] = {}
_pools_lock = threading.Lock()


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.autocommit = True


def _acquire_pool(url: str) -> ConnectionPool[Any]:
    """The process's pool for `url`. A new one first makes one plain connection, so that a
    wrong URL, password or host fails at once with libpq's reason, not after the pool's
    wait; psycopg.Error if it cannot."""
    with _pools_lock:
        entry = _pools.get(url)
        if entry is None:
            _redact.urls.add(url)
            if not readable(url):
                raise psycopg.ProgrammingError(UNREADABLE_URL)
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
            pool: ConnectionPool[Any] = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_MAX,
                kwargs={"connect_timeout": CONNECT_TIMEOUT, "application_name": "monitor"},
                configure=_configure,
                check=ConnectionPool.check_connection,
                timeout=POOL_WAIT,
                name="monitor-state",
                open=False,
            )
            pool.open(wait=False)
            entry = (pool, 0)
        _pools[url] = (entry[0], entry[1] + 1)
        return entry[0]


def _release_pool(url: str) -> None:
    with _pools_lock:
        entry = _pools.get(url)
        if entry is None:
            return
        pool, users = entry
        if users > 1:
            _pools[url] = (pool, users - 1)
            return
        del _pools[url]
    pool.close(timeout=5.0)


@atexit.register
def _close_pools() -> None:
    with _pools_lock:
        pools = [pool for pool, _ in _pools.values()]
        _pools.clear()
    for pool in pools:
        pool.close(timeout=1.0)


UNREADABLE_URL = (
    "libpq cannot read [state] url: check its percent-encoding (a % in the password is "
    "%25), the brackets around an IPv6 address and the names of its ?parameters"
)


def readable(url: str) -> bool:
    """Whether libpq can parse the URL at all (its own message may quote the password)."""
    try:
        conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return False
    return True


def _why(exc: BaseException, url: str) -> str:
    """An error's text, safe to show: the password taken out; for a URL libpq cannot parse,
    none of libpq's text (which quotes the offending part, the password perhaps)."""
    if not readable(url):
        return UNREADABLE_URL
    text = str(exc).strip() or type(exc).__name__
    password = _password(url)
    if password:
        text = text.replace(password, "***")
    return text.replace(url, redacted(url))


class _Redact(logging.Filter):
    """psycopg's pool logs each failed connection attempt with libpq's message, which for
    a URL it cannot parse quotes the URL (password and all): those lines are rewritten."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for url in list(self.urls):
            if not readable(url) and url.split("@")[0][:12] in text:
                text = f"error connecting to the state database: {UNREADABLE_URL}"
                continue
            password = _password(url)
            if password and password in text:
                text = text.replace(password, "***")
        record.msg, record.args = text, None
        return True


_redact = _Redact()
logging.getLogger("psycopg.pool").addFilter(_redact)


def _password(url: str) -> str | None:
    try:
        password = conninfo.conninfo_to_dict(url).get("password")
        return str(password) if password else None
    except psycopg.Error:
        return None


class PostgresStore(SqlStore):
    """The state in a PostgreSQL database; one per thread, connections from the pool."""

    backend = "postgresql"
    errors = (psycopg.Error,)  # the pool's PoolTimeout is an OperationalError too
    features: ClassVar[dict[str, int]] = {"cluster": 2}  # nodes, leases, claims (0002)

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = True,
        node: str | None = None,
        lease: float = DEFAULT_LEASE,
    ) -> None:
        self.url = url
        self.where = redacted(url)
        self.node = node
        self.lease = lease
        self._held: psycopg.Connection[Any] | None = None
        self._closed = True  # until the pool is ours to release
        try:
            self._pool = _acquire_pool(url)
            self._closed = False
            if migrate:
                self._schema = self._migrate()
            else:
                self._schema = self._checked(self._version_state(create=False))
            self._set_row_columns()
        except psycopg.Error as exc:
            self.close()
            raise StoreError(
                f"cannot use the state database {self.where}: {_why(exc, url)}; check "
                "[state] url (host, port, database, user; the password from ${VAR} or a "
                "passfile), that the server runs and that the user may create tables in it"
            ) from None
        except BaseException:
            self.close()
            raise

    # -- connections -----------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._held is not None:
            yield self._held
            return
        with self._pool.connection() as conn:
            yield conn

    @property
    def _db(self) -> Db:
        if self._held is not None:
            return _Conn(self._held)
        return _Reader(self)

    def _has_table(self, name: str) -> bool:
        row = self._db.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
        return bool(row[0])

    def _lock_schema(self, db: Db) -> None:
        db.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))

    def _lock_named(self, db: Db, name: str) -> None:
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (name,))

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        """A transaction on one connection; inside another (a `batch()`), a savepoint."""
        with self._connection() as conn:
            outer = self._held is None
            self._held = conn
            try:
                with conn.transaction():
                    yield _Conn(conn)
            finally:
                if outer:
                    self._held = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes into one transaction (one commit): bursts of articles."""
        try:
            with self._tx():
                yield
        except psycopg.Error as exc:  # BEGIN or COMMIT; the methods inside convert their own
            raise StoreUnavailable(f"state database: {self.why(exc)}") from exc

    # -- the cluster ---------------------------------------------------------------------------
    def cluster(self) -> Cluster | None:
        """This node's part in the cluster; None for a store opened without a node (the
        CLI), which claims nothing."""
        if self.node is None:
            return None
        from monitor.state.pgcluster import PgCluster

        return PgCluster(self, self.node, self.lease)

    def nodes(self) -> list[NodeRow]:
        if not self.has("cluster"):  # `monitor sources` on one it must not migrate
            return []
        from monitor.state.pgcluster import nodes

        return nodes(self)

    @_unavailable
    def due(self, channel: str, now: float, limit: int = 100) -> list[OutboxRow]:
        """A channel's due alerts, taken for this node: rows no other live node has taken,
        locked while taking (`FOR UPDATE SKIP LOCKED`: two nodes asking at once get
        different rows, neither waits) and marked `claimed_by` it. A row stays with its node
        through retries; once that node is dead (its heartbeat older than its lease) any
        node takes it. Without a node (the CLI) nothing is taken."""
        if self.node is None:
            return SqlStore.due(self, channel, now, limit)
        with self._tx() as db:
            rows = db.execute(
                f"UPDATE outbox SET claimed_by = ? WHERE seq IN ("
                "SELECT seq FROM outbox WHERE status = 'pending' AND channel = ? "
                "AND next_at <= ? AND (claimed_by IS NULL OR claimed_by = ? "
                "OR NOT monitor_node_alive(claimed_by)) "
                "ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED) "
                f"RETURNING {self._row_columns}",
                (self.node, channel, now, self.node, limit),
            ).fetchall()
        return sorted((self._row(r) for r in rows), key=lambda row: row.seq)

    @_unavailable
    def next_due_at(self, channel: str) -> float | None:
        """When the next alert this node may take is due (not those another live node
        has taken: waking for them would spin)."""
        if self.node is None:
            return SqlStore.next_due_at(self, channel)
        row = self._db.execute(
            "SELECT MIN(next_at) FROM outbox WHERE status = 'pending' AND channel = ? "
            "AND (claimed_by IS NULL OR claimed_by = ? OR NOT monitor_node_alive(claimed_by))",
            (channel, self.node),
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def why(self, exc: Exception) -> str:
        return _why(exc, self.url)

    def intact(self) -> bool:
        """Always: a server's database cannot be deleted from under a node unseen (a
        dropped database fails every call, which callers already handle)."""
        return True

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release_pool(self.url)


def has_schema(url: str) -> bool:
    """Whether the database has the monitor's schema (True if it cannot be reached: the
    caller then opens it and reports why)."""
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=True) as conn:
            row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return True
