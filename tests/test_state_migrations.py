"""Numbered schema migrations: an old database joins the history, a newer one is refused."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from helpers.workspace import Workspace

from monitor.errors import StoreError
from monitor.state import open_store
from monitor.state.migrations import migrations, statements
from monitor.state.sqlite import DB_NAME

# The schema every release before numbered migrations created, with one handled file.
_OLD = """
CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    article_id TEXT);
CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL,
    rule TEXT NOT NULL, channel TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL, last_error TEXT, created_at TEXT NOT NULL, delivered_at TEXT,
    UNIQUE (article_id, rule, channel));
INSERT INTO articles VALUES ('a1', '/in/a.txt', 'Old news', '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z');
INSERT INTO files VALUES ('/in/a.txt', 120, 1700000000000000000, 'a1');
INSERT INTO outbox (article_id, rule, channel, payload, next_at, created_at)
    VALUES ('a1', 'r1', 'console', '{}', 0, '2026-01-01T00:00:00Z');
"""

_N = len(migrations("sqlite"))
_NAMES = ", ".join(f"{m.version:04d}_{m.name}" for m in migrations("sqlite"))


def _old_database(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / DB_NAME)
    db.executescript(_OLD)
    db.close()


def test_a_database_from_before_migrations_is_brought_up_to_date(tmp_path: Path) -> None:
    _old_database(tmp_path)
    store = open_store(tmp_path)
    try:
        schema = store.schema()
        assert schema.version == schema.newest == len(migrations("sqlite"))
        assert schema.applied == tuple(f"{m.version:04d}_{m.name}" for m in migrations("sqlite"))
        # The handled file became an item of the inbox source, with its size and mtime.
        assert store.item_unchanged("inbox", "/in/a.txt", "120:1700000000000000000")
        assert not store.item_unchanged("inbox", "/in/a.txt", "121:1700000000000000000")
        assert store.seen("a1")
        assert [row.rule for row in store.pending()] == ["r1"]  # the outbox is untouched
    finally:
        store.close()
    again = open_store(tmp_path)
    try:
        assert again.schema().applied == ()  # nothing left to do the second time
    finally:
        again.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema version 99, newer than this monitor knows"):
        open_store(tmp_path)


def test_concurrent_opens_apply_each_migration_once(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            open_store(tmp_path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_close) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = sqlite3.connect(tmp_path / DB_NAME)
    versions = [v for (v,) in db.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    db.close()
    assert versions == list(range(1, len(migrations("sqlite")) + 1))


def test_statements_split_at_semicolons_outside_quotes() -> None:
    create, insert = "CREATE TABLE t (x TEXT DEFAULT 'a;b');", "INSERT INTO t VALUES ('c');"
    sql = f"-- a comment; not a statement\n{create}\n{insert}"
    assert statements(sql) == [create, insert]


def test_monitor_migrate_reports_and_applies(workspace: Workspace) -> None:
    status = workspace.monitor("migrate", "--status")
    assert status.returncode == 0, status.stderr
    assert "no state database yet" in status.stdout
    _old_database(workspace.root / "state")
    status = workspace.monitor("migrate", "--status")
    assert status.returncode == 0, status.stderr
    assert f"schema version 0 of {_N}, {_N} migration(s) pending" in status.stdout
    done = workspace.monitor("migrate")
    assert done.returncode == 0, done.stderr
    assert f"schema version {_N}; applied {_NAMES}" in done.stdout
    again = workspace.monitor("migrate")
    assert f"schema version {_N}, up to date" in again.stdout


def test_status_and_outbox_leave_an_old_database_as_it_is(workspace: Workspace) -> None:
    """`migrate --status` switched an old database to WAL and created a table, and `monitor
    outbox` applied the pending migrations without a word (review of issue 12): only
    `migrate` and `run` change the schema."""
    state = workspace.root / "state"
    _old_database(state)
    before = (state / DB_NAME).read_bytes()
    status = workspace.monitor("migrate", "--status")
    assert f"{_N} migration(s) pending" in status.stdout
    assert (state / DB_NAME).read_bytes() == before
    assert sorted(p.name for p in state.iterdir()) == [DB_NAME]
    outbox = workspace.monitor("outbox")
    assert outbox.returncode == 0, outbox.stderr
    assert "r1" in outbox.stdout
    assert f"schema is at version 0 of {_N}; `monitor migrate`" in outbox.stderr
    db = sqlite3.connect(state / DB_NAME)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert "files" in tables and "items" not in tables


def test_status_refuses_a_database_from_a_newer_release(workspace: Workspace) -> None:
    """It said `schema version 7 of 2, up to date` and exited 0 (review of issue 12)."""
    state = workspace.root / "state"
    open_store(state).close()
    db = sqlite3.connect(state / DB_NAME)
    db.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')")
    db.commit()
    db.close()
    for args in (("migrate", "--status"), ("migrate",), ("outbox",)):
        result = workspace.monitor(*args)
        assert result.returncode != 0, args
        assert "schema version 99, newer than this monitor knows" in result.stderr, args


def test_state_commands_refuse_an_unset_variable_in_the_state_path(workspace: Workspace) -> None:
    """`monitor migrate` created a folder named `${STATE_DIR}` and `outbox` reported on it
    (review of issue 12): a command that works on the state needs its path resolved."""
    config = workspace.config.read_text("utf-8").replace('path = "state"', 'path = "${STATE_DIR}"')
    workspace.config.write_text(config, encoding="utf-8")
    for args in (("migrate",), ("migrate", "--status"), ("outbox",)):
        result = workspace.monitor(*args)
        assert result.returncode == 2, args
        assert "environment variable STATE_DIR is not set (used by `state.path`)" in result.stderr
    assert not list(workspace.root.glob("$*"))


def test_a_state_file_that_is_no_database_is_named_as_such(tmp_path: Path) -> None:
    """The fix offered was to make the folder writable, which it was (review of issue 12)."""
    (tmp_path / DB_NAME).write_bytes(b"not sqlite at all, " * 100)
    with pytest.raises(StoreError, match=r"is not an SQLite database .*: move it away"):
        open_store(tmp_path)
    other = tmp_path / "other"
    (other / DB_NAME).mkdir(parents=True)
    with pytest.raises(StoreError, match="it is a folder: move"):
        open_store(other)


def test_silence_commands_on_a_database_from_before_silences(workspace: Workspace) -> None:
    """`silence list` printed `error: state database: no such table: silences` (exit 2) on
    a database not yet migrated (break-it review of issue 13): it holds no silences."""
    _old_database(workspace.root / "state")
    listing = workspace.monitor("silence", "list")
    assert listing.returncode == 0 and "no silences in force" in listing.stdout
    assert "monitor migrate" in listing.stderr
    assert workspace.monitor("silence", "list", "--json").stdout.strip() == "[]"
    expire = workspace.monitor("silence", "expire", "abc")
    assert expire.returncode == 1 and "no silence `abc`" in expire.stderr
    assert "no such table" not in listing.stderr + expire.stderr
