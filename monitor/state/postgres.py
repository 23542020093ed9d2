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

No call waits for ever. A network cut does not fail a call that waits for its reply: no
error ever comes, the query is simply never answered (nor is one sent to a server that hangs,
or to a proxy in front of a dead one). So the pool's check of a connection before use has a
deadline (`CHECK_TIMEOUT`), a store may be given one for each call (`call_timeout`: the
heartbeat's is half a lease), and a node that has lost the database abandons every call in
flight (`abandon_calls`): a call past its deadline has its connection shut, and fails as
unavailable like any other. TCP keepalives and `tcp_user_timeout` (unless the URL sets its
own) end connections a real cut left dangling in the pool or in the CLI. The server, which
sees no cut either, ends a node's transaction left waiting on its client after a lease
(`_configurer`), so the rows it locked are free when other nodes take its claims over.

The URL is a secret (it may carry a password); it is shown only as `where`, without one.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import itertools
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import unquote

import psycopg
from psycopg import conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

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

CHECK_TIMEOUT = 1.0
"""Seconds the check of a pooled connection before use (an empty query) may take: one that a
network cut left dangling never answers, and would hold its caller for ever."""

RECONNECT_TIMEOUT = 10.0
"""Seconds the pool keeps trying, with growing delays, to replace a lost connection before
it drops the attempt; the next call that needs a connection starts a new one at once.
(psycopg-pool's own five minutes of doubling delays kept a node waiting, once the database
was back, for up to as long again as the outage had lasted.)"""

TCP_SETTINGS: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 15,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
"""For a URL that sets none of its own: a pooled connection a network cut left dangling is
found dead within about half a minute, not the two hours TCP waits by default."""

TCP_USER_TIMEOUT = 30_000
"""Milliseconds data sent may go unacknowledged before the connection is given up (libpq
12 or later): a call a real network cut caught fails, where TCP would retry for 15 minutes."""

DEFAULT_LEASE = 10.0
"""Seconds a node's claims outlive its last heartbeat (`[state] lease`)."""


def redacted(url: str) -> str:
    """The URL as it may be shown: without a password in the authority or the query."""
    if not readable(url):
        head, at, tail = url.rpartition("@")
        if at:  # whatever came before the last @ may hold the password, or pieces of it
            return f"{head.split('//', 1)[0]}//***@{tail.split('?', 1)[0]}"
        return re.sub(r"//[^@/]*@", "//***@", url.split("?", 1)[0])
    params = conninfo.conninfo_to_dict(url)
    user = str(params.get("user") or "")
    host = str(params.get("host") or "")
    port = str(params.get("port") or "")
    dbname = str(params.get("dbname") or "")
    where = host if not host.startswith("/") else f"[{host}]"
    if port:
        where += f":{port}"
    return f"postgresql://{f'{user}@' if user else ''}{where}/{dbname}"


@functools.lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (and a literal `%` doubled)."""
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


class _Call:
    """One call in flight on a borrowed connection; `ended` says why it was cut short."""

    __slots__ = ("conn", "deadline", "ended", "seconds", "url")

    def __init__(
        self, url: str, conn: psycopg.Connection[Any], seconds: float | None, since: float
    ) -> None:
        self.url = url
        self.conn = conn
        self.seconds = seconds
        self.deadline = None if seconds is None else since + seconds
        self.ended = ""


class _Calls:
    """The calls in flight on this process's connections: one past its deadline, or every
    one when a node has lost the database (`abandon`), has its connection shut down, so
    that the wait for a reply that will never come ends at once with an error.

    Shutting the socket down (not closing it: the connection still owns the descriptor)
    is the one thing another thread may safely do to a connection in use; the pool then
    discards it. The registry's lock is held while a call is cut short and while one
    ends, so a connection is never shut after its call has ended and it went back to the
    pool."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._calls: dict[int, _Call] = {}
        self._keys = itertools.count()
        self._reaper: threading.Thread | None = None

    @contextmanager
    def watched(
        self,
        url: str,
        conn: psycopg.Connection[Any],
        seconds: float | None,
        since: float | None = None,
    ) -> Iterator[_Call]:
        """A call on `conn`, to be over `seconds` after `since` (default: now), or never."""
        call = _Call(url, conn, seconds, time.monotonic() if since is None else since)
        with self._lock:
            key = next(self._keys)
            self._calls[key] = call
            if seconds is not None:
                if self._reaper is None:
                    self._reaper = threading.Thread(
                        target=self._reap, name="state-deadlines", daemon=True
                    )
                    self._reaper.start()
                self._lock.notify()
        try:
            yield call
        finally:
            with self._lock:
                self._calls.pop(key, None)

    def abandon(self, url: str, why: str) -> int:
        """Cut short every call in flight to the database at `url`; how many there were."""
        with self._lock:
            keys = [key for key, call in self._calls.items() if call.url == url]
            for key in keys:
                _hang_up(self._calls.pop(key), why)
        return len(keys)

    def _reap(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                late = [k for k, c in self._calls.items() if c.deadline and c.deadline <= now]
                for key in late:
                    call = self._calls.pop(key)
                    _hang_up(call, f"no answer within {call.seconds:g} s")
                soonest = min((c.deadline for c in self._calls.values() if c.deadline), default=0)
                self._lock.wait(max(0.01, soonest - now) if soonest else None)


def _hang_up(call: _Call, why: str) -> None:
    call.ended = why
    with contextlib.suppress(OSError, psycopg.Error):
        fd = call.conn.pgconn.socket  # raises once libpq has dropped the connection itself
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as sock:  # a duplicate
            sock.shutdown(socket.SHUT_RDWR)


_calls = _Calls()

_pools: dict[tuple[str, str | None], tuple[ConnectionPool[Any], int]] = {}
"""Per (URL, node): one process is one node, but the tests run several in one process, and
a node's connections carry its name (`application_name`)."""
log = logging.getLogger("monitor.state")
_pools_lock = threading.Lock()
_idle: dict[tuple[str, str | None], float | None] = {}  # each pool's `idle`, for a renewal
_starving: dict[tuple[str, str | None], float] = {}  # since when a pool gives no connection

RENEW_AFTER = 30.0
"""Seconds a pool may give no connection at all before it is replaced (`_starved`): longer
than its own reconnection (`RECONNECT_TIMEOUT`) and one connect timeout together."""


def application_name(node: str) -> str:
    """The `application_name` a node's connections carry: how other nodes find the sessions
    a dead node left on the server (`pgcluster._beat`, which computes the same in SQL).

    PostgreSQL keeps 63 bytes of printable ASCII. Cut to that, the ids of two nodes on one
    long host name (a node restarted there: same host, often the same pid in a container)
    would be one name, and a live node would end its own sessions as the dead one's, at
    every heartbeat, for a day. An id that does not fit as it is goes by its md5 instead."""
    name = f"monitor {node}"
    if len(name) <= 63 and name.isascii() and name.isprintable():
        return name
    return f"monitor {hashlib.md5(node.encode(), usedforsecurity=False).hexdigest()}"


def _configurer(
    url: str, idle: float | None, node: str | None = None
) -> Callable[[psycopg.Connection[Any]], None]:
    """What each new connection is set up with: autocommit, and for a node, a server-side
    end to a transaction left waiting on its client for `idle` seconds (unless the URL
    sets its own).

    A node cut off in the middle of a transaction (its COMMIT never arrives) leaves the
    server holding that transaction's row locks, for hours if nothing ends it: the server
    sees no cut either. Other nodes take over a dead node's alerts with `SKIP LOCKED`, and
    would skip those for as long; they wait to claim its inbox files. Ended after a lease,
    the transaction is rolled back and its rows are free when the node's claims lapse."""
    own = "idle_in_transaction_session_timeout" in _given(url).get("options", "")

    def configure(conn: psycopg.Connection[Any]) -> None:
        conn.autocommit = True
        if node is not None:
            conn.execute(
                "SELECT set_config('application_name', %s, false)", (application_name(node),)
            )
        if idle is not None and not own:
            conn.execute(
                "SELECT set_config('idle_in_transaction_session_timeout', %s, false)",
                (str(max(1, round(idle * 1000))),),
            )

    return configure


def _given(url: str) -> dict[str, str]:
    """The connection settings the URL itself gives (none if libpq cannot read it: the
    connection then says what is wrong)."""
    try:
        return {k: str(v) for k, v in conninfo.conninfo_to_dict(url).items() if v is not None}
    except psycopg.Error:
        return {}


def _checker(url: str) -> Callable[[psycopg.Connection[Any]], None]:
    """The pool's check of a connection before use, which fails if not answered at once."""

    def check(conn: psycopg.Connection[Any]) -> None:
        with _calls.watched(url, conn, CHECK_TIMEOUT):
            ConnectionPool.check_connection(conn)

    return check


def _connection_settings(url: str) -> dict[str, Any]:
    """Settings for each connection that the URL does not set itself (the URL's win)."""
    settings: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "monitor"}
    settings.update(TCP_SETTINGS)
    if psycopg.pq.version() >= 120000:
        settings["tcp_user_timeout"] = TCP_USER_TIMEOUT
    given = _given(url)
    return {key: value for key, value in settings.items() if key not in given}


def _new_pool(url: str, idle: float | None, node: str | None) -> ConnectionPool[Any]:
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=1,
        max_size=POOL_MAX,
        kwargs=_connection_settings(url),
        configure=_configurer(url, idle, node),
        check=_checker(url),
        timeout=POOL_WAIT,
        reconnect_timeout=RECONNECT_TIMEOUT,
        name="monitor-state",
        open=False,
    )
    pool.open(wait=False)
    return pool


def _acquire_pool(
    url: str, idle: float | None = None, node: str | None = None
) -> ConnectionPool[Any]:
    """The process's pool for `url`; the first store to ask sets it up (`idle`: see
    `_configurer`). A new one first makes one plain connection, so that a wrong URL, password
    or host fails at once with libpq's reason, not after the pool's wait; psycopg.Error if
    it cannot."""
    with _pools_lock:
        entry = _pools.get((url, node))
        if entry is None:
            _redact.urls.add(url)
            if not readable(url):
                raise psycopg.ProgrammingError(UNREADABLE_URL)
            psycopg.connect(url, **_connection_settings(url)).close()
            entry = (_new_pool(url, idle, node), 0)
            _idle[url, node] = idle
        _pools[url, node] = (entry[0], entry[1] + 1)
        return entry[0]


def _pool_of(url: str, node: str | None) -> ConnectionPool[Any]:
    with _pools_lock:
        return _pools[url, node][0]


def _starved(url: str, node: str | None, since: float | None) -> None:
    """Note that a call got no connection (`since`: when that began; None: one did).

    psycopg-pool's own reconnection gives up after `RECONNECT_TIMEOUT` and then relies on
    a waiting caller to grow the pool again; once, after a database restart of about that
    length, a node's pool never made another connection, and the node stayed cut off with
    the database back (found by a break-it run). A pool that has given no connection for
    `RENEW_AFTER` seconds is replaced by a new one, whatever wedged it."""
    key = (url, node)
    with _pools_lock:
        if since is None:
            _starving.pop(key, None)
            return
        first = _starving.setdefault(key, since)
        entry = _pools.get(key)
        if entry is None or time.monotonic() - first < RENEW_AFTER:
            return
        old = entry[0]
        _pools[key] = (_new_pool(url, _idle.get(key), node), entry[1])
        _starving.pop(key, None)
    log.warning(
        "the state database's connection pool gave no connection for %g s: replaced",
        RENEW_AFTER,
    )
    threading.Thread(target=old.close, kwargs={"timeout": 1.0}, daemon=True).start()


def _release_pool(url: str, node: str | None) -> None:
    with _pools_lock:
        entry = _pools.get((url, node))
        if entry is None:
            return
        pool, users = entry
        if users > 1:
            _pools[url, node] = (pool, users - 1)
            return
        del _pools[url, node]
        _idle.pop((url, node), None)
        _starving.pop((url, node), None)
    pool.close(timeout=5.0)


@atexit.register
def _close_pools() -> None:
    with _pools_lock:
        pools = [pool for pool, _ in _pools.values()]
        _pools.clear()
    for pool in pools:
        pool.close(timeout=1.0)


URL_HINT = (
    "check its percent-encoding (a % in the password is %25, a / %2F, an @ %40), the "
    "brackets around an IPv6 address and the names of its ?parameters"
)
UNREADABLE_URL = f"libpq cannot read [state] url: {URL_HINT}"


def url_problem(url: str) -> str | None:
    """What is wrong with a PostgreSQL URL as the user gave it (`[state] url`, `monitor state
    copy --to`), in words that never quote it; None if libpq reads it as written."""
    if not re.match(r"postgres(ql)?://", url):
        return (
            'not a PostgreSQL URL: write e.g. "postgresql://monitor@db.example.org/monitor" '
            "(the password from ${VAR} or a passfile; TLS options such as "
            "?sslmode=verify-full are passed to libpq as they are)"
        )
    if not readable(url):  # libpq's own message may quote the password: not shown
        return f"libpq cannot read this URL: {URL_HINT}"
    return None


def readable(url: str) -> bool:
    """Whether libpq can parse the URL (its own message may quote the password), and reads
    its `user:password@` as written.

    A `/` or an `@` left unencoded in a password ends the authority (or the user)
    before it: libpq reads the URL all the same, with the password's pieces as the host,
    the port or the database, which messages show (`failed to resolve host 'et99@db'`)."""
    try:
        params = conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return False
    head, at, _ = url.rpartition("@")
    if not at:
        return True
    user, colon, password = head.split("//", 1)[-1].partition(":")
    if not colon:
        return True
    given = (str(params.get("user") or ""), str(params.get("password") or ""))
    return given == (unquote(user), unquote(password))


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
        call_timeout: float | None = None,
    ) -> None:
        self.url = url
        self.where = redacted(url)
        self.node = node
        self.lease = lease
        # Each call (a statement, or a transaction with its wait for a connection) fails
        # past this many seconds; None: it waits as long as the connection lasts.
        self.call_timeout = call_timeout
        self._held: psycopg.Connection[Any] | None = None
        self._call: _Call | None = None  # the call in flight on the borrowed connection
        self._closed = True  # until the pool is ours to release
        try:
            _acquire_pool(url, lease if node is not None else None, node)
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
            try:
                yield self._held
            except psycopg.Error as exc:
                self._explain(exc)
                raise
            return
        since = time.monotonic()
        limit = self.call_timeout
        pool = _pool_of(self.url, self.node)  # the registry's: a renewal replaces it
        try:
            borrowed = pool.connection(
                timeout=POOL_WAIT if limit is None else min(POOL_WAIT, limit)
            )
            conn = borrowed.__enter__()
        except PoolTimeout:
            _starved(self.url, self.node, since)
            raise
        _starved(self.url, self.node, None)
        with contextlib.ExitStack() as stack:
            stack.push(borrowed)  # the connection goes back to its pool on the way out
            self._call = stack.enter_context(_calls.watched(self.url, conn, limit, since))
            try:
                yield conn
            except psycopg.Error as exc:
                self._explain(exc)
                raise
            finally:
                self._call = None

    def _explain(self, exc: psycopg.Error) -> None:
        """A call cut short (its deadline, or the node lost the database) says so, rather
        than "server closed the connection unexpectedly"."""
        call = self._call
        if call is not None and call.ended:
            raise psycopg.OperationalError(call.ended) from exc

    def abandon_calls(self, why: str) -> int:
        """Cut short every call this process has in flight to this database (they fail as
        unavailable): what a node does once it has lost the database, so that no thread
        waits for ever on a reply a network cut will never bring. How many there were."""
        return _calls.abandon(self.url, why)

    @property
    def _db(self) -> Db:
        if self._held is not None:
            return _Conn(self._held)
        return _Reader(self)

    def _rule_ids(self, column: str) -> str:
        return f"jsonb_array_elements_text({column}::jsonb) AS j (value)"

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
                if conn.pgconn.status != psycopg.pq.ConnStatus.OK:
                    # psycopg leaves a transaction on a lost connection without a word
                    # when no error is on its way out (the writes inside it failed, and
                    # were caught by a caller that went on): nothing was committed, and
                    # whoever counts on the commit must hear so.
                    raise psycopg.OperationalError(
                        "the connection was lost before the transaction committed"
                    )
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
            _release_pool(self.url, self.node)


def has_schema(url: str) -> bool:
    """Whether the database has the monitor's schema (True if it cannot be reached: the
    caller then opens it and reports why)."""
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=True) as conn:
            row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return True
