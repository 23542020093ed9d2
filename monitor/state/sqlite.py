"""The SQLite state backend: one file in the state folder, the embedded default.

WAL mode lets the dispatcher threads read while the pipeline writes; `synchronous=FULL`
because a committed alert must survive power loss, which NORMAL does not promise in WAL.
Every public method turns `sqlite3.Error` into `StoreUnavailable` (see `_unavailable`), so
callers handle one backend-neutral error.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from monitor.clock import utc_now
from monitor.errors import StoreError
from monitor.state.base import (
    DigestBuilder,
    HeldRow,
    OutboxRow,
    QueuedAlert,
    SchemaState,
    StoreUnavailable,
    digest_key,
    iso,
)
from monitor.state.migrations import migrations, statements

DB_NAME = "monitor.db"

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _unavailable(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """The method with SQLite's errors raised as `StoreUnavailable`, message kept."""

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"state database: {exc}") from exc

    return guarded


def _too_new(path: Path, state: SchemaState) -> str:
    return (
        f"the state database {path} is at schema version {state.version}, newer than this "
        f"monitor knows (up to {state.newest}): it was written by a newer release; run that "
        "release, or restore a backup taken before the upgrade"
    )


def schema_status(folder: Path) -> SchemaState:
    """The schema version of the database in `folder`, read without writing anything (no
    journal mode change, no table created): for `monitor migrate --status`. StoreError if it
    cannot be read or is newer than this release."""
    path = folder / DB_NAME
    newest = len(migrations("sqlite"))
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        try:
            known = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
            row = (
                db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
                if known
                else None
            )
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the state database {path}: {exc}") from None
    state = SchemaState(str(path), int(row[0] or 0) if row else 0, newest)
    if state.version > newest:
        raise StoreError(_too_new(path, state))
    return state


class SqliteStore:
    """One SQLite connection to the state database, for one thread."""

    def __init__(self, folder: Path, *, migrate: bool = True) -> None:
        self.path = folder / DB_NAME
        self._depth = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._identity = self._file_identity()
            self._schema = self._migrate() if migrate else self._checked(self._version_state())
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if self.path.is_dir():
                fix = f"it is a folder: move {self.path} away"
            elif isinstance(exc, sqlite3.DatabaseError) and "not a database" in why:
                fix = (
                    "it is not an SQLite database (damaged, or another program's file): move "
                    "it away and restore a backup, or set [state] path to another folder"
                )
            else:
                fix = f"make {folder} a folder the monitor's user can write (or set [state] path)"
            raise StoreError(f"cannot open the state database {self.path}: {why}; {fix}") from None

    def _version_state(self) -> SchemaState:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        row = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        newest = len(migrations("sqlite"))
        return SchemaState(str(self.path), int(row[0] or 0), newest)

    def _checked(self, state: SchemaState) -> SchemaState:
        """`state`, unless the database was written by a newer release: then StoreError."""
        if state.version > state.newest:
            raise StoreError(_too_new(self.path, state))
        return state

    def _migrate(self) -> SchemaState:
        """Apply the migrations this database lacks, each in its own transaction.

        BEGIN IMMEDIATE takes the write lock before reading the version, so two processes
        (or a daemon's threads) opening a new database apply each migration exactly once.
        """
        state = self._checked(self._version_state())
        applied: list[str] = []
        for migration in migrations("sqlite")[state.version :]:
            with self._tx() as db:
                row = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
                if int(row[0] or 0) >= migration.version:
                    continue  # another connection applied it meanwhile
                for statement in statements(migration.sql):
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now()),
                )
            applied.append(f"{migration.version:04d}_{migration.name}")
        return SchemaState(str(self.path), state.newest, state.newest, tuple(applied))

    def schema(self) -> SchemaState:
        """The schema version at open and the migrations this connection applied."""
        return self._schema

    def _file_identity(self) -> tuple[int, int]:
        st = os.stat(self.path)
        return st.st_ino, st.st_dev

    def intact(self) -> bool:
        """Whether the database file is still where it was opened (not deleted or replaced):
        SQLite would go on writing into a deleted file, and every alert be lost at restart."""
        try:
            return self._file_identity() == self._identity
        except OSError:
            return False

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A transaction; inside `batch()` a savepoint, so one failure undoes only itself."""
        if self._depth:
            self._depth += 1
            name = f"sp{self._depth}"
            self._db.execute(f"SAVEPOINT {name}")
            try:
                yield self._db
            except BaseException:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            finally:
                self._depth -= 1
            self._db.execute(f"RELEASE {name}")
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self._db.execute("COMMIT")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes into one commit (one fsync): used for bursts of articles."""
        try:
            with self._tx():
                yield
        except sqlite3.Error as exc:  # BEGIN or COMMIT; the methods inside convert their own
            raise StoreUnavailable(f"state database: {exc}") from exc

    @_unavailable
    def record_article(
        self,
        article_id: str,
        path: str,
        title: str,
        alerts: Iterable[QueuedAlert],
        source: str = "inbox",
    ) -> int:
        """Record an article and queue its alerts in one transaction; return how many are new.

        An alert already queued for the same (article, rule, channel), in any state, is not
        queued again.
        """
        now, stamp = time.time(), utc_now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO articles (id, path, title, first_seen, last_seen, source) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
                (article_id, path, title, stamp, stamp, source),
            )
            new = 0
            # One record is queued for each of its channels: encoded once, not per channel.
            payloads: dict[int, str] = {}
            for alert in alerts:
                payload = payloads.get(id(alert.record))
                if payload is None:
                    payload = json.dumps(alert.record, ensure_ascii=False)
                    payloads[id(alert.record)] = payload
                cur = db.execute(
                    "INSERT OR IGNORE INTO outbox "
                    "(article_id, rule, channel, payload, status, next_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        alert.article_id or article_id,
                        alert.rule,
                        alert.channel,
                        payload,
                        alert.status,
                        now,
                        stamp,
                    ),
                )
                if alert.status == "pending":
                    new += cur.rowcount
        return new

    @_unavailable
    def alerted_articles(self, rule: str, since: str) -> int:
        """Articles the rule alerted on (not suppressed) since an ISO UTC time: flood guard."""
        row = self._db.execute(
            "SELECT COUNT(DISTINCT article_id) FROM outbox WHERE rule = ? AND created_at >= ? "
            "AND status != 'suppressed' AND article_id NOT LIKE 'flood:%'",
            (rule, since),
        ).fetchone()
        return int(row[0])

    @_unavailable
    def already_alerted(self, article_id: str, rule: str) -> bool:
        """Whether this article already alerted (or was suppressed) for this rule."""
        row = self._db.execute(
            "SELECT 1 FROM outbox WHERE article_id = ? AND rule = ? LIMIT 1", (article_id, rule)
        ).fetchone()
        return row is not None

    @_unavailable
    def seen(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    @_unavailable
    def item_unchanged(self, source: str, key: str, fingerprint: str) -> bool:
        """Whether this exact version of a source's item was handled already."""
        row = self._db.execute(
            "SELECT 1 FROM items WHERE source = ? AND key = ? AND fingerprint = ?",
            (source, key, fingerprint),
        ).fetchone()
        return row is not None

    @_unavailable
    def remember_item(
        self, source: str, key: str, fingerprint: str, article_id: str | None
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO items (source, key, fingerprint, article_id, seen_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (source, key, fingerprint, article_id, utc_now()),
            )

    @_unavailable
    def due(self, channel: str, now: float, limit: int = 100) -> list[OutboxRow]:
        """A channel's pending alerts whose next attempt time has come, in queue order."""
        rows = self._db.execute(
            "SELECT seq, article_id, rule, channel, payload, status, attempts, next_at, last_error "
            "FROM outbox WHERE status = 'pending' AND channel = ? AND next_at <= ? "
            "ORDER BY seq LIMIT ?",
            (channel, now, limit),
        ).fetchall()
        return [self._row(r) for r in rows]

    @_unavailable
    def next_due_at(self, channel: str) -> float | None:
        """When the channel's next pending alert is due, or None if nothing waits."""
        row = self._db.execute(
            "SELECT MIN(next_at) FROM outbox WHERE status = 'pending' AND channel = ?", (channel,)
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    @_unavailable
    def orphaned_channels(self, configured: Iterable[str]) -> list[str]:
        """Channels with pending alerts that the config no longer defines."""
        names = list(configured)
        marks = ",".join("?" * len(names)) or "''"
        rows = self._db.execute(
            f"SELECT DISTINCT channel FROM outbox WHERE status = 'pending' "
            f"AND channel NOT IN ({marks})",
            names,
        ).fetchall()
        return [str(r[0]) for r in rows]

    @_unavailable
    def pending(self, statuses: tuple[str, ...] = ("pending", "dead")) -> list[OutboxRow]:
        marks = ",".join("?" * len(statuses))
        rows = self._db.execute(
            "SELECT seq, article_id, rule, channel, payload, status, attempts, next_at, last_error "
            f"FROM outbox WHERE status IN ({marks}) ORDER BY channel, seq",
            statuses,
        ).fetchall()
        return [self._row(r) for r in rows]

    @staticmethod
    def _row(r: tuple[Any, ...]) -> OutboxRow:
        return OutboxRow(
            seq=r[0],
            article_id=r[1],
            rule=r[2],
            channel=r[3],
            payload=r[4],
            status=r[5],
            attempts=r[6],
            next_at=r[7],
            last_error=r[8],
        )

    @_unavailable
    def mark_delivered(self, seqs: Sequence[int]) -> None:
        """Mark alerts sent, in one transaction: one fsync for a whole batch of alerts."""
        stamp = utc_now()
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                "delivered_at = ?, last_error = NULL WHERE seq = ?",
                [(stamp, seq) for seq in seqs],
            )

    @_unavailable
    def mark_retry(self, seqs: Sequence[int], next_at: float, error: str) -> None:
        """Schedule alerts for another attempt; one `next_at` for all keeps their order."""
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?, "
                "last_error = ? WHERE seq = ?",
                [(next_at, error, seq) for seq in seqs],
            )

    @_unavailable
    def mark_dead(self, seqs: Sequence[int], error: str) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET status = 'dead', attempts = attempts + 1, "
                "last_error = ? WHERE seq = ?",
                [(error, seq) for seq in seqs],
            )

    @_unavailable
    def requeue_dead(self) -> int:
        """Put every dead alert back in the queue, due now; return how many."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE outbox SET status = 'pending', next_at = ? WHERE status = 'dead'",
                (time.time(),),
            )
            return cur.rowcount

    @_unavailable
    def depth(self) -> dict[tuple[str, str], int]:
        """Alerts not delivered, per (channel, state): the outbox depth for metrics."""
        rows = self._db.execute(
            "SELECT channel, status, COUNT(*) FROM outbox WHERE status != 'delivered' "
            "GROUP BY channel, status"
        ).fetchall()
        return {(str(c), str(s)): int(n) for c, s, n in rows}

    @_unavailable
    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {str(s): int(n) for s, n in rows}

    @_unavailable
    def suppressed(self) -> dict[str, int]:
        """Alerts held back by the flood guard, per rule."""
        rows = self._db.execute(
            "SELECT rule, COUNT(*) FROM outbox WHERE status = 'suppressed' GROUP BY rule"
        ).fetchall()
        return {str(r): int(n) for r, n in rows}

    # digests
    @_unavailable
    def next_release_at(self, channel: str) -> float | None:
        """When the channel's next held alerts are due for a digest, or None if none wait."""
        row = self._db.execute(
            "SELECT MIN(release_at) FROM outbox WHERE status = 'held' AND channel = ?",
            (channel,),
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    @_unavailable
    def make_digests(self, channel: str, now: float, build: DigestBuilder) -> int:
        """Turn the channel's held alerts due by `now` into digests; return how many were made.

        One transaction for all of it: for each release time, the digest row is inserted and
        its held rows marked `digested` together, so a crash leaves them all held (made again
        next time) or all digested, and a second call finds nothing left to make. Rows held
        for a release time whose digest was made already get a second one (`KEY#2`), never
        joining a digest that may have been sent. A digest due while the daemon was down is
        made at its start.
        """
        # A read first: the dispatcher asks every turn, and the write lock is not free.
        if not self._db.execute(
            "SELECT 1 FROM outbox WHERE status = 'held' AND channel = ? AND release_at <= ? "
            "LIMIT 1",
            (channel, now),
        ).fetchone():
            return 0
        made = 0
        with self._tx() as db:
            times = db.execute(
                "SELECT DISTINCT release_at FROM outbox WHERE status = 'held' AND channel = ? "
                "AND release_at <= ? ORDER BY release_at",
                (channel, now),
            ).fetchall()
            for (release_at,) in times:
                rows = [
                    HeldRow(seq, kind, rule, payload, created_at)
                    for seq, kind, rule, payload, created_at in db.execute(
                        "SELECT seq, kind, rule, payload, created_at FROM outbox "
                        "WHERE status = 'held' AND channel = ? AND release_at = ? ORDER BY seq",
                        (channel, release_at),
                    ).fetchall()
                ]
                key = base = digest_key(channel, release_at)
                # A held row committed just after its release time's digest was made (the
                # pipeline's clock a hair behind this thread's) gets a digest of its own.
                n = 1
                while db.execute(
                    "SELECT 1 FROM outbox WHERE article_id = ? AND rule = '' AND channel = ?",
                    (key, channel),
                ).fetchone():
                    n += 1
                    key = f"{base}#{n}"
                record, bad = build(key, rows, iso(release_at))
                if record is not None:
                    cur = db.execute(
                        "INSERT OR IGNORE INTO outbox (article_id, rule, channel, payload, "
                        "status, next_at, created_at, kind) "
                        "VALUES (?, '', ?, ?, 'pending', ?, ?, 'digest')",
                        (key, channel, json.dumps(record, ensure_ascii=False), now, utc_now()),
                    )
                    made += cur.rowcount
                db.executemany(
                    "UPDATE outbox SET status = 'dead', last_error = ? WHERE seq = ?",
                    [(why, seq) for seq, why in bad.items()],
                )
                db.executemany(
                    "UPDATE outbox SET status = 'digested', digest = ? WHERE seq = ?",
                    [(key, row.seq) for row in rows if row.seq not in bad],
                )
        return made
