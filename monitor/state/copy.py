"""`monitor state copy`: a single node's SQLite state into a PostgreSQL database.

Moving a running install over to PostgreSQL must lose nothing and send nothing twice, yet
the daemon may go on writing to the SQLite file while the copy runs. So the copy is built to
be run again and again until the daemon is stopped for the final one:

- The source is read in one read transaction: in WAL mode that is a consistent snapshot,
  taken without blocking the daemon's writes (it only keeps the WAL from being checkpointed
  past it until the copy ends).
- Every row is upserted under its table's key (`ON CONFLICT ... DO UPDATE` of every other
  column): a second copy writes the same rows again, and one run later brings the rows added
  and changed since (an alert delivered since, a silence expired since). `seq` numbers are
  kept, so the outbox's queue order and the story numbers of the near-duplicate index hold;
  a story that started over under a new number in the source moves to it. `term_counts` is
  replaced whole (halving deletes rows there), in one transaction, since its counts only make
  sense together with their total.
- The rest goes in chunks of `CHUNK` rows, each one transaction: a million-row outbox never
  sits in memory, and a copy that fails half-way leaves whole chunks, which the next run
  completes.
- A database with a history of its own (a daemon ran on it, or its outbox or stories number
  other rows with the source's numbers) is refused before anything is written: merging two
  histories under one numbering would corrupt both.
- Afterwards the identity sequences of `outbox` and `stories` are set past every number the
  source ever used, so the daemon's next rows on PostgreSQL follow on.

The source must be at the newest SQLite schema (the PostgreSQL schema is its twin, so the
columns line up); the target is migrated on opening. Text goes through the PostgreSQL
backend's connection, which stores a NUL as U+FFFD. The target URL is shown only without its
password (`redacted`), in every message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from monitor.errors import StoreError
from monitor.state.base import SchemaState
from monitor.state.migrations import migrations
from monitor.state.postgres import CONNECT_TIMEOUT, PostgresStore, _clean, _why, redacted
from monitor.state.sql import Db, too_new

CHUNK = 5000
"""Rows per transaction on the target (and per read from the source)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table to copy and the key its rows are upserted under."""

    name: str
    key: tuple[str, ...]


TABLES = (
    Table("articles", ("id",)),
    Table("sightings", ("article_id", "path")),
    Table("items", ("source", "key")),
    Table("stories", ("id",)),
    Table("story_rules", ("story_id", "rule")),
    Table("outbox", ("article_id", "rule", "channel")),
    Table("silences", ("id",)),
    Table("source_state", ("source",)),
    Table("term_counts", ("pattern",)),
)
"""Every table of the SQLite schema but `schema_migrations` (each database has its own)."""

NUMBERED = ("outbox", "stories")
"""Tables whose `seq` is kept: an identity on PostgreSQL, AUTOINCREMENT in SQLite."""


class CopyError(StoreError):
    """The copy cannot be made or did not finish; the message says why and what to do."""


@dataclass(slots=True)
class CopyReport:
    """What a copy did: rows written per table, and rows left out as unusable."""

    target: str  # the URL without its password
    rows: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)


def one_line(text: str) -> str:
    """A driver's message (libpq's span several lines) as one line."""
    return " ".join(text.split())


def copy_state(
    source: Path,
    url: str,
    *,
    chunk: int = CHUNK,
    done: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy the SQLite database `source` (a `monitor.db`) into the PostgreSQL database at
    `url`; `done(table, rows)` after each table. CopyError if it cannot be made or fails."""
    target = redacted(url)
    _reach(url, target)
    with closing(_open_source(source)) as src:
        try:
            store = PostgresStore(url)
        except StoreError as exc:
            raise CopyError(one_line(str(exc))) from None
        try:
            return _copy(src, store, target, chunk, done)
        except psycopg.errors.UniqueViolation as exc:  # checked before: written meanwhile
            raise CopyError(
                f"copying into {target} failed: {one_line(_why(exc, url))}: another process "
                "writes to it while it is copied into (a daemon with it as [state] url?); stop "
                "that, and copy into an empty database"
            ) from None
        except psycopg.Error as exc:
            raise CopyError(
                f"copying into {target} failed: {one_line(_why(exc, url))}; what was copied "
                "so far stays, and running the copy again completes it"
            ) from None
        except sqlite3.Error as exc:
            raise CopyError(f"cannot read the state database {source}: {exc}") from None
        finally:
            store.close()


def _reach(url: str, target: str) -> None:
    """Connect once first: the pool of `PostgresStore` would retry a refused connection
    for its whole wait, and its message speaks of `[state] url`."""
    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=True).close()
    except psycopg.Error as exc:
        raise CopyError(
            f"cannot connect to {target}: {one_line(_why(exc, url))}; check the URL given to "
            "--to (host, port, database, user), that the server runs and accepts this "
            "client, and the password in ~/.pgpass or PGPASSWORD"
        ) from None


def _open_source(path: Path) -> sqlite3.Connection:
    """The SQLite database, read-only, its read transaction begun (the snapshot pinned by
    its first read) and its schema checked."""
    try:
        src = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise CopyError(f"cannot read the state database {path}: {exc}") from None
    try:
        src.execute("BEGIN")
        known = src.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        row = (
            src.execute("SELECT MAX(version) FROM schema_migrations").fetchone() if known else None
        )
    except sqlite3.Error as exc:
        src.close()
        raise CopyError(f"cannot read the state database {path}: {exc}") from None
    state = SchemaState(str(path), int(row[0] or 0) if row else 0, len(migrations("sqlite")))
    if state.version > state.newest:
        src.close()
        raise CopyError(too_new(str(path), state))
    if state.version < state.newest:
        src.close()
        raise CopyError(
            f"the state database {path} is at schema version {state.version} of "
            f"{state.newest}: run `monitor migrate` first (the daemon may keep running; a "
            "restart of the new release does it too), then copy again"
        )
    return src


def _copy(
    src: sqlite3.Connection,
    store: PostgresStore,
    target: str,
    chunk: int,
    done: Callable[[str, int], None] | None,
) -> CopyReport:
    _check_unused(store, target)
    _check_numbers(src, store, target, chunk)
    report = CopyReport(target)
    for table in TABLES:
        if table.name == "term_counts":
            rows, left_out = _replace_term_counts(src, store, chunk)
            if left_out:
                report.left_out[table.name] = left_out
        else:
            rows = _upsert(src, store, table, chunk)
        report.rows[table.name] = rows
        if done is not None:
            done(table.name, rows)
    with store._tx() as db:
        for name in NUMBERED:
            _advance(src, db, name)
    src.execute("COMMIT")
    return report


def _foreign(target: str, what: str) -> str:
    return (
        f"{target} has state of its own ({what}): copying into it would merge two histories "
        "under one numbering; nothing was copied. Copy into an empty database (create a new "
        "one, or drop and create this one, then copy again)"
    )


def _check_unused(store: PostgresStore, target: str) -> None:
    """Refuse a database a daemon has run on: its state is its own from then on."""
    row = store._db.execute("SELECT id FROM nodes ORDER BY started_at LIMIT 1").fetchone()
    if row is not None:
        raise CopyError(_foreign(target, f"a daemon, node {row[0]}, has run on it"))


def _check_numbers(src: sqlite3.Connection, store: PostgresStore, target: str, chunk: int) -> None:
    """Before anything is written: each outbox row and story the target has under a number
    or a key of the source's must be the source's own, copied before.

    An outbox row keeps its number and key for ever (rows are never deleted), so any
    difference is another history's. A story that starts over is deleted and added under
    a new, higher number, so the target may have a story's id under a lower number (copied
    before the restart), never under a higher one, and never another story's number."""
    outbox = (
        'WITH s AS (SELECT seq, a COLLATE "C" AS article_id, r COLLATE "C" AS rule, '
        'c COLLATE "C" AS channel FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) '
        "AS u(seq, a, r, c)) "
        "SELECT s.seq, t.seq FROM s JOIN outbox t ON t.seq = s.seq "
        "WHERE (t.article_id, t.rule, t.channel) <> (s.article_id, s.rule, s.channel) "
        "UNION ALL SELECT s.seq, t.seq FROM s JOIN outbox t "
        "ON (t.article_id, t.rule, t.channel) = (s.article_id, s.rule, s.channel) "
        "WHERE t.seq <> s.seq LIMIT 1"
    )
    stories = (
        'WITH s AS (SELECT seq, i COLLATE "C" AS id FROM unnest(?::bigint[], ?::text[]) '
        "AS u(seq, i)) "
        "SELECT s.seq, t.seq FROM s JOIN stories t ON t.seq = s.seq WHERE t.id <> s.id "
        "UNION ALL SELECT s.seq, t.seq FROM s JOIN stories t ON t.id = s.id "
        "WHERE t.seq > s.seq LIMIT 1"
    )
    checks = (
        ("outbox", "SELECT seq, article_id, rule, channel FROM outbox ORDER BY seq", outbox),
        ("stories", "SELECT seq, id FROM stories ORDER BY seq", stories),
    )
    for name, read, check in checks:
        for rows in _chunks(src, read, chunk):
            columns = [[_clean(v) for v in column] for column in zip(*rows, strict=True)]
            found = store._db.execute(check, columns).fetchone()
            if found is not None:
                mine, theirs = found
                what = (
                    f"its {name} row {theirs} is not the source's row {mine}"
                    if mine == theirs
                    else f"it has the source's {name} row {mine} as its row {theirs}"
                )
                raise CopyError(_foreign(target, what))


def _chunks(src: sqlite3.Connection, sql: str, chunk: int) -> Iterator[list[Any]]:
    cursor = src.execute(sql)
    while rows := cursor.fetchmany(chunk):
        yield rows


def _columns(src: sqlite3.Connection, table: str) -> list[str]:
    """The table's columns in the source, all of which its twin on PostgreSQL has."""
    return [str(row[1]) for row in src.execute(f"PRAGMA table_info({table})")]


def _upsert(src: sqlite3.Connection, store: PostgresStore, table: Table, chunk: int) -> int:
    columns = _columns(src, table.name)
    names = ", ".join(columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in table.key)
    sql = (
        f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET {updates}"
    )
    order = " ORDER BY seq" if table.name in NUMBERED else ""
    copied = 0
    for rows in _chunks(src, f"SELECT {names} FROM {table.name}{order}", chunk):
        with store._tx() as db:
            db.executemany(sql, rows)
        copied += len(rows)
    return copied


def _replace_term_counts(
    src: sqlite3.Connection, store: PostgresStore, chunk: int
) -> tuple[int, int]:
    """The counts replaced whole, in one transaction: rows the source dropped (at halving)
    go, and the counts never stand beside a total they were not taken with. A row SQLite
    kept with a value that is not a count (text, a fraction: put there by hand) is left out,
    as the store's own reader leaves it out."""
    copied = left_out = 0
    with store._tx() as db:
        db.execute("DELETE FROM term_counts")
        for rows in _chunks(src, "SELECT pattern, articles, since FROM term_counts", chunk):
            usable = [
                row
                for row in rows
                if type(row[0]) is str and type(row[1]) is int and type(row[2]) is int
            ]
            left_out += len(rows) - len(usable)
            if usable:
                db.executemany(
                    "INSERT INTO term_counts (pattern, articles, since) VALUES (?, ?, ?) "
                    "ON CONFLICT (pattern) DO UPDATE SET articles = excluded.articles, "
                    "since = excluded.since",
                    usable,
                )
            copied += len(usable)
    return copied, left_out


def _advance(src: sqlite3.Connection, db: Db, table: str) -> None:
    """Set the table's identity past every number used: the source's highest ever (SQLite's
    AUTOINCREMENT never gives one again), the target's rows and its sequence so far."""
    row = src.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    used = int(row[0]) if row is not None and type(row[0]) is int else 0
    top = db.execute(
        f"SELECT GREATEST(COALESCE(MAX(seq), 0), ?, COALESCE(pg_sequence_last_value("
        f"pg_get_serial_sequence('{table}', 'seq')::regclass), 0)) FROM {table}",
        (used,),
    ).fetchone()
    if int(top[0]) > 0:
        db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'seq'), ?)", (int(top[0]),))
