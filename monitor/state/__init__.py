"""Where the daemon keeps what it must not forget: the `Store` interface and its backends.

Callers open a store with `open_store` and program against `monitor.state.base.Store`; only
this package knows which database is behind it (SQLite today; the cluster issue adds
PostgreSQL with the same interface and its own migrations folder).
"""

from __future__ import annotations

from pathlib import Path

from monitor.state.base import (
    ArticleFacts,
    DigestBuilder,
    HeldRow,
    OutboxRow,
    QueuedAlert,
    SchemaState,
    SourceState,
    Store,
    StoreUnavailable,
    TermCounts,
)
from monitor.state.sqlite import DB_NAME, SqliteStore, schema_status

__all__ = [
    "ArticleFacts",
    "DigestBuilder",
    "HeldRow",
    "OutboxRow",
    "QueuedAlert",
    "SchemaState",
    "SourceState",
    "Store",
    "StoreUnavailable",
    "TermCounts",
    "exists",
    "open_store",
    "schema_status",
]


def open_store(folder: Path, *, migrate: bool = True) -> Store:
    """The state in `[state] path`, its schema brought up to date unless `migrate` is false."""
    return SqliteStore(folder, migrate=migrate)


def exists(folder: Path) -> bool:
    """Whether a state database was ever created there (read-only commands stop early if not)."""
    return (folder / DB_NAME).exists()
