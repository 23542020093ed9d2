"""SQLite state: articles seen, files handled, and the alert outbox.

One transaction records an article and queues its alerts, so a crash either loses the whole
article (it is still in the inbox and is processed again) or keeps all of it. The unique key
(article, rule, channel) is what makes "each alert at most once, ever" hold across restarts
and across the same story arriving under another file name.

Each thread opens its own `Store` (SQLite connections are not shared between threads);
WAL mode lets the dispatcher read while the article pipeline writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.errors import StoreError

DB_NAME = "monitor.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id         TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    title      TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    article_id TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   TEXT NOT NULL,
    rule         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      REAL NOT NULL,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    delivered_at TEXT,
    UNIQUE (article_id, rule, channel)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_at);
CREATE INDEX IF NOT EXISTS outbox_rule_time ON outbox (rule, created_at);
"""


_last_stamp: tuple[int, str] = (-1, "")


def utc_now() -> str:
    """An ISO-8601 UTC timestamp with second precision, as alert records carry it.

    Formatted once per second: a burst asks for it three times per file. The cache is one
    tuple, replaced whole, so threads never see a second paired with another's text.
    """
    global _last_stamp
    second = int(time.time())
    if _last_stamp[0] != second:
        text = datetime.fromtimestamp(second, UTC).isoformat().replace("+00:00", "Z")
        _last_stamp = (second, text)
    return _last_stamp[1]


@dataclass(frozen=True, slots=True)
class QueuedAlert:
    """One alert to queue: the record (without channel and send time) and its channel."""

    rule: str
    channel: str
    record: dict[str, Any]
    article_id: str | None = None  # default: the article being recorded
    status: str = "pending"  # or "suppressed" (flood guard: kept, never sent)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """An alert waiting in the outbox."""

    seq: int
    article_id: str
    rule: str
    channel: str
    payload: str  # the stored record as JSON; the file channel writes it nearly as is
    status: str
    attempts: int
    next_at: float
    last_error: str | None

    @property
    def record(self) -> dict[str, Any]:
        """The stored record (without channel and send time), parsed on each call."""
        record: dict[str, Any] = json.loads(self.payload)
        return record


class Store:
    """One SQLite connection to the state database, for one thread."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DB_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed alert survives power loss, which NORMAL does not promise in WAL.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
            self._identity = self._file_identity()
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(
                f"cannot open the state database {self.path}: {why}; make {folder} a "
                "folder the monitor's user can write (or set [state] path)"
            ) from None
        self._depth = 0

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
        with self._tx():
            yield

    def record_article(
        self, article_id: str, path: str, title: str, alerts: Iterable[QueuedAlert]
    ) -> int:
        """Record an article and queue its alerts in one transaction; return how many are new.

        An alert already queued for the same (article, rule, channel), in any state, is not
        queued again.
        """
        now, stamp = time.time(), utc_now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO articles (id, path, title, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
                (article_id, path, title, stamp, stamp),
            )
            new = 0
            for alert in alerts:
                cur = db.execute(
                    "INSERT OR IGNORE INTO outbox "
                    "(article_id, rule, channel, payload, status, next_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        alert.article_id or article_id,
                        alert.rule,
                        alert.channel,
                        json.dumps(alert.record, ensure_ascii=False),
                        alert.status,
                        now,
                        stamp,
                    ),
                )
                if alert.status == "pending":
                    new += cur.rowcount
        return new

    def alerted_articles(self, rule: str, since: str) -> int:
        """Articles the rule alerted on (not suppressed) since an ISO UTC time: flood guard."""
        row = self._db.execute(
            "SELECT COUNT(DISTINCT article_id) FROM outbox WHERE rule = ? AND created_at >= ? "
            "AND status != 'suppressed' AND article_id NOT LIKE 'flood:%'",
            (rule, since),
        ).fetchone()
        return int(row[0])

    def already_alerted(self, article_id: str, rule: str) -> bool:
        """Whether this article already alerted (or was suppressed) for this rule."""
        row = self._db.execute(
            "SELECT 1 FROM outbox WHERE article_id = ? AND rule = ? LIMIT 1", (article_id, rule)
        ).fetchone()
        return row is not None

    def seen(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def file_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        """Whether this exact file (same size and mtime) was handled already (`after = keep`)."""
        row = self._db.execute(
            "SELECT 1 FROM files WHERE path = ? AND size = ? AND mtime_ns = ?",
            (path, size, mtime_ns),
        ).fetchone()
        return row is not None

    def remember_file(self, path: str, size: int, mtime_ns: int, article_id: str | None) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, article_id) "
                "VALUES (?, ?, ?, ?)",
                (path, size, mtime_ns, article_id),
            )

    def due(self, channel: str, now: float, limit: int = 100) -> list[OutboxRow]:
        """A channel's pending alerts whose next attempt time has come, in queue order."""
        rows = self._db.execute(
            "SELECT seq, article_id, rule, channel, payload, status, attempts, next_at, last_error "
            "FROM outbox WHERE status = 'pending' AND channel = ? AND next_at <= ? "
            "ORDER BY seq LIMIT ?",
            (channel, now, limit),
        ).fetchall()
        return [self._row(r) for r in rows]

    def next_due_at(self, channel: str) -> float | None:
        """When the channel's next pending alert is due, or None if nothing waits."""
        row = self._db.execute(
            "SELECT MIN(next_at) FROM outbox WHERE status = 'pending' AND channel = ?", (channel,)
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

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

    def mark_delivered(self, seqs: Sequence[int]) -> None:
        """Mark alerts sent, in one transaction: one fsync for a whole batch of alerts."""
        stamp = utc_now()
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                "delivered_at = ?, last_error = NULL WHERE seq = ?",
                [(stamp, seq) for seq in seqs],
            )

    def mark_retry(self, seqs: Sequence[int], next_at: float, error: str) -> None:
        """Schedule alerts for another attempt; one `next_at` for all keeps their order."""
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?, "
                "last_error = ? WHERE seq = ?",
                [(next_at, error, seq) for seq in seqs],
            )

    def mark_dead(self, seqs: Sequence[int], error: str) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET status = 'dead', attempts = attempts + 1, "
                "last_error = ? WHERE seq = ?",
                [(error, seq) for seq in seqs],
            )

    def requeue_dead(self) -> int:
        """Put every dead alert back in the queue, due now; return how many."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE outbox SET status = 'pending', next_at = ? WHERE status = 'dead'",
                (time.time(),),
            )
            return cur.rowcount

    def depth(self) -> dict[tuple[str, str], int]:
        """Alerts not delivered, per (channel, state): the outbox depth for metrics."""
        rows = self._db.execute(
            "SELECT channel, status, COUNT(*) FROM outbox WHERE status != 'delivered' "
            "GROUP BY channel, status"
        ).fetchall()
        return {(str(c), str(s)): int(n) for c, s, n in rows}

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {str(s): int(n) for s, n in rows}

    def suppressed(self) -> dict[str, int]:
        """Alerts held back by the flood guard, per rule."""
        rows = self._db.execute(
            "SELECT rule, COUNT(*) FROM outbox WHERE status = 'suppressed' GROUP BY rule"
        ).fetchall()
        return {str(r): int(n) for r, n in rows}
