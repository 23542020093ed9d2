"""The SQLite state backend: one file in the state folder, the embedded default.

WAL mode lets the dispatcher threads read while the pipeline writes; `synchronous=FULL`
because a committed alert must survive power loss, which NORMAL does not promise in WAL.
The queries are `monitor.state.sql`'s, shared with PostgreSQL; this module owns the file,
its connection and its transactions.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from monitor.errors import StoreError
from monitor.state.base import SchemaState, StoreUnavailable
from monitor.state.migrations import migrations
from monitor.state.sql import Db, SqlStore, too_new

__all__ = ["DB_NAME", "SqliteStore", "schema_status"]

DB_NAME = "monitor.db"


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
        raise StoreError(too_new(str(path), state))
    return state


class SqliteStore(SqlStore):
    """One SQLite connection to the state database, for one thread."""

    backend = "sqlite"
    errors = (sqlite3.Error,)
    features: ClassVar[dict[str, int]] = {
        "items": 2,
        "outbox.kind": 3,
        "stories": 3,
        "source_state": 4,
        "term_counts": 5,
        "term_counts.since": 6,
        "cluster": 10**9,  # never: one daemon per SQLite file
    }

    def __init__(self, folder: Path, *, migrate: bool = True) -> None:
        self.path = folder / DB_NAME
        self.where = str(self.path)
        self._depth = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._wal()
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._identity = self._file_identity()
            self._schema = self._migrate() if migrate else self._checked(self._version_state())
            self._set_row_columns()
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

    def _wal(self) -> None:
        """Switch to WAL, unless the database is in WAL already (a file setting, kept).

        SQLite does not call the busy handler for the journal-mode change: several processes
        or threads creating a new database at once got "database is locked" at once, with
        the 30 s timeout unused. So the switch is retried here for as long.
        """
        deadline = time.monotonic() + 30.0
        while True:
            try:
                if str(self._db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                    self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @property
    def _db(self) -> Db:
        return self._conn

    def _rule_ids(self, column: str) -> str:
        return f"json_each({column}) AS j"

    def _has_table(self, name: str) -> bool:
        return (
            self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            ).fetchone()
            is not None
        )

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
        self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[Db]:
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
