"""Where the daemon keeps what it must not forget: the `Store` interface and its backends.

Callers open a store with `open_store` and program against `monitor.state.base.Store`; only
this package knows which database is behind it: SQLite in the `[state] path` folder, the
embedded default, or PostgreSQL at `[state] url`, the shared state of a cluster. Both run the
same queries (`sql.py`) and each has its own migrations folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pydantic import SecretStr

from monitor.state.base import (
    ArticleFacts,
    Cluster,
    DigestBuilder,
    HeldRow,
    NodeRow,
    OutboxRow,
    QueuedAlert,
    SchemaState,
    SourceState,
    Store,
    StoreUnavailable,
    TermCounts,
)
from monitor.state.sqlite import DB_NAME, SqliteStore
from monitor.state.sqlite import schema_status as _sqlite_status

__all__ = [
    "ArticleFacts",
    "Cluster",
    "DigestBuilder",
    "HeldRow",
    "NodeRow",
    "OutboxRow",
    "QueuedAlert",
    "SchemaState",
    "SourceState",
    "StatePlace",
    "Store",
    "StoreUnavailable",
    "TermCounts",
    "exists",
    "open_store",
    "schema_status",
]


class StatePlace(Protocol):
    """Where the state is: `[state]` (`monitor.config.StateConfig`) is one."""

    @property
    def path(self) -> Path: ...
    @property
    def url(self) -> SecretStr | None: ...
    @property
    def lease(self) -> float: ...


def _url(where: Path | StatePlace) -> str | None:
    if isinstance(where, Path) or where.url is None:
        return None
    return where.url.get_secret_value()


def _folder(where: Path | StatePlace) -> Path:
    return where if isinstance(where, Path) else where.path


def open_store(
    where: Path | StatePlace,
    *,
    migrate: bool = True,
    node: str | None = None,
    call_timeout: float | None = None,
) -> Store:
    """The state at `[state]` (a bare path: SQLite in that folder), its schema brought up to
    date unless `migrate` is false. On PostgreSQL, `node` (a running daemon's id) makes the
    store take work for that node (`Store.cluster()`, `due`); the CLI opens without one; and
    each call fails (as unavailable) after `call_timeout` seconds, if given."""
    url = _url(where)
    if url is not None:
        from monitor.state.postgres import DEFAULT_LEASE, PostgresStore  # psycopg if used

        lease = where.lease if not isinstance(where, Path) else DEFAULT_LEASE
        return PostgresStore(
            url, migrate=migrate, node=node, lease=lease, call_timeout=call_timeout
        )
    return SqliteStore(_folder(where), migrate=migrate)


def exists(where: Path | StatePlace) -> bool:
    """Whether a state database was ever created there (read-only commands stop early if
    not). A PostgreSQL database exists once it has a schema; one that cannot be reached
    counts as existing, so that the command opening it reports why."""
    url = _url(where)
    if url is None:
        return (_folder(where) / DB_NAME).exists()
    from monitor.state.postgres import has_schema

    return has_schema(url)


def schema_status(where: Path | StatePlace) -> SchemaState:
    """The schema version, read without writing anything: `monitor migrate --status`."""
    url = _url(where)
    if url is None:
        return _sqlite_status(_folder(where))
    store = open_store(where, migrate=False)
    try:
        return store.schema()
    finally:
        store.close()
