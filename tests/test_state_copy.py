"""`monitor state copy --to URL`: a single node's SQLite state into PostgreSQL, idempotently.

A state is built through the Store API on SQLite, copied into a real PostgreSQL database,
and read back through the same calls on `PostgresStore`: every table must answer alike. A
copy again gives the same; a copy after the daemon worked on brings over what changed.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers.pgserver import PgServer

from monitor.cli import main
from monitor.silences import Silence
from monitor.state import ArticleFacts, QueuedAlert, SourceState, Store
from monitor.state.copy import TABLES, CopyError, copy_state
from monitor.state.migrations import migrations, statements
from monitor.state.postgres import PostgresStore
from monitor.state.sqlite import DB_NAME, SqliteStore

NOW = 1_900_000_000.0
STATUSES = ("pending", "dead", "delivered", "held", "digested", "silenced", "suppressed")
LONG_AGO = "2000-01-01T00:00:00Z"


def _alert(rule: str, channel: str, **kw: Any) -> QueuedAlert:
    return QueuedAlert(rule, channel, {"rule": rule, "title": "ü ☃"}, **kw)


def _build(store: Store) -> None:
    """Something of everything the daemon keeps."""
    story = [QueuedAlert("", "c1", {"story": "a1", "rules": [{"rule": "r1"}]}, kind="story")]
    store.record_article(
        "a1",
        "/in/a",
        "NATO and Korea",
        [*story, _alert("r1", "c2"), _alert("r2", "c2"), _alert("r3", "c2")],
        facts=ArticleFacts(story="a1", url="https://x/a", rules=["r1", "r2"], outlet="Wire"),
    )
    store.record_article(
        "a2",
        "/in/b",
        "A copy\x00with NUL",
        [_alert("r9", "c1", article_id="a1", status="silenced", silence="s-1")],
        source="feed",
        facts=ArticleFacts(story="a1", rules=["r1"], similarity=0.75, outlet="Other"),
    )
    store.record_article("a2", "/in/c", "A copy", [], facts=ArticleFacts(story="a1"))  # sighting
    store.record_article(
        "a3", "/in/d", "Flood", [_alert("r1", "c2", status="suppressed")], facts=ArticleFacts()
    )
    held = [
        _alert("r1", "d", article_id=f"h{i}", status="held", release_at=NOW + i) for i in range(4)
    ]
    store.record_article("h", "/in/h", "Held", held)
    rows = store.due("c2", NOW * 2)
    store.mark_delivered([rows[0].seq])
    store.mark_dead([rows[1].seq], "HTTP 400")
    store.mark_retry([rows[2].seq], NOW + 60, "HTTP 503")

    def build(key: str, rows: Any, when: str) -> tuple[dict[str, Any], dict[int, str]]:
        return {"digest": key, "count": len(rows), "when": when}, {}

    assert store.make_digests("d", NOW + 1, build) == 2  # two held rows stay held
    first = store.add_story("a1", NOW - 100, b"\x00sketch", b"\x00keys")
    store.add_story("a3", NOW - 50, b"sk3", b"k3")
    assert store.add_story("a1", NOW - 10, b"sk1b", b"k1b") > first  # started over
    store.add_story("old", NOW - 5000, b"sk", b"k")
    store.forget_sketches(NOW - 1000)
    store.add_story_rule("a1", "r1", "a1", "alerted")
    store.add_story_rule("a3", "r1", "a3", "suppressed")
    store.add_silence(Silence("s-1", "r9", None, None, NOW + 60, "noisy", "2026-01-01T00:00:00Z"))
    store.add_silence(Silence("s-2", None, "nato", "c1", NOW + 30, "", "2026-01-01T00:00:01Z"))
    store.add_silence(Silence("s-3", "r2", None, None, NOW - 1, "", "2026-01-01T00:00:02Z"))
    assert store.expire_silence("s-2", now=NOW)
    store.save_source_states(
        [
            SourceState("wire", target="t", etag='"e"', primed=True, polls=3, last_status=200),
            SourceState("blog", errors=2, last_error="HTTP 500"),
        ]
    )
    store.remember_item("inbox", "a.txt", "1:2", "a1")
    store.remember_items("wire", [("g1", "f1"), ("g2", "f2")])
    store.add_term_counts({" nato ": 2, " rare ": 1}, 10, [" nato ", " never "])


def _view(store: Store) -> str:
    """Everything the Store API tells of a state, as one comparable text."""
    numbers = list(range(1, store.next_story_number() + 1))
    got: list[Any] = [
        store.stories_since(LONG_AGO),
        store.pending(STATUSES),
        sorted(store.counts().items()),
        sorted(store.depth().items()),
        sorted(store.suppressed().items()),
        store.story_copies("a1"),
        sorted(store.story_deliveries("a1").items()),
        [(n, keys.hex()) for n, keys in store.window_stories(0)],  # bytes shown as hex: the
        [(i, sketch.hex()) for i, sketch in store.story_sketches(numbers)],  # \x00 is text's
        store.next_story_number(),
        store.first_story_since(NOW - 60),
        store.story_rule("a1", "r1"),
        store.story_rule("a3", "r1"),
        store.alerted_stories("r1", LONG_AGO),
        store.silences(include_expired=True, now=NOW),
        store.silences(now=NOW),
        store.silences_stamp(),
        store.next_release_at("d"),
        sorted(store.source_states().items()),
        sorted(store.item_counts().items()),
        store.item_unchanged("inbox", "a.txt", "1:2"),
        store.new_items("wire", [("g1", "f1"), ("g2", "x")]),
        store.term_counts(),
        [store.seen(a) for a in ("a1", "a2", "a3", "h", "zz")],
    ]
    return repr(got)


def _same(lite: Store, pg: Store) -> None:
    """PostgreSQL text holds no NUL: the copy has U+FFFD where SQLite kept one."""
    assert _view(pg) == _view(lite).replace("\\x00", "\ufffd")


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t.name: conn.execute(f"SELECT COUNT(*) FROM {t.name}").fetchone()[0] for t in TABLES
        }


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "state")
    _build(store)
    yield store
    store.close()


def test_every_table_comes_over_and_reads_back_alike(lite: SqliteStore, pg_url: str) -> None:
    report = copy_state(lite.path, pg_url)
    assert report.rows == _counts(lite.path)
    assert all(report.rows[t] for t in ("articles", "outbox", "stories", "silences"))
    pg = PostgresStore(pg_url)
    try:
        _same(lite, pg)
        with psycopg.connect(pg_url) as conn:
            title = conn.execute("SELECT title FROM articles WHERE id = 'a2'").fetchone()
        assert title == ("A copy\ufffdwith NUL",)
        # New rows on PostgreSQL are numbered after every copied one.
        top = max(r.seq for r in lite.pending(STATUSES))
        pg.record_article("n1", "/in/n", "New", [_alert("r1", "c9")])
        (row,) = [r for r in pg.pending(("pending",)) if r.article_id == "n1"]
        assert row.seq == top + 1
        assert pg.add_story("n1", NOW, b"s", b"k") == lite.next_story_number()
    finally:
        pg.close()


def test_a_copy_again_changes_nothing_and_one_later_brings_the_changes(
    lite: SqliteStore, pg_url: str
) -> None:
    copy_state(lite.path, pg_url, chunk=3)  # several chunks per table
    pg = PostgresStore(pg_url)
    try:
        first = _view(pg)
        copy_state(lite.path, pg_url, chunk=3)
        assert _view(pg) == first
        # Meanwhile the daemon worked on: delivered, took an article, ended a silence, a
        # story started over, the term counts were halved (a row gone).
        (waiting,) = lite.due("c1", NOW * 2)
        lite.mark_delivered([waiting.seq])
        lite.record_article("a4", "/in/e", "Later", [_alert("r1", "c1")], facts=ArticleFacts())
        assert lite.expire_silence("s-1", now=NOW)
        lite.add_story("a3", NOW, b"sk3b", b"k3b")
        with sqlite3.connect(lite.path) as conn:
            conn.execute("DELETE FROM term_counts WHERE pattern = ' rare '")
        copy_state(lite.path, pg_url, chunk=3)
        _same(lite, pg)
        assert [s.id for s in pg.silences(now=NOW)] == []
        assert waiting.seq in [r.seq for r in pg.pending(("delivered",))]
    finally:
        pg.close()


def test_a_database_with_a_history_of_its_own_is_refused_untouched(
    lite: SqliteStore, pg_url: str
) -> None:
    pg = PostgresStore(pg_url)
    try:
        pg.record_article("x1", "/in/x", "Theirs", [_alert("rx", "cx"), _alert("ry", "cx")])
        pg.add_story("x1", NOW, b"s", b"k")
        before = _view(pg)
        with pytest.raises(CopyError) as refused:
            copy_state(lite.path, pg_url)
        said = str(refused.value)
        assert "has state of its own" in said and "outbox row 1" in said
        assert "empty database" in said and "nothing was copied" in said
        assert _view(pg) == before
    finally:
        pg.close()


def test_a_database_a_daemon_ran_on_is_refused(lite: SqliteStore, pg_url: str) -> None:
    PostgresStore(pg_url).close()
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO nodes (id, host, pid, lease) VALUES ('n-1', 'h', 1, 15)")
    with pytest.raises(CopyError, match="a daemon, node n-1, has run on it"):
        copy_state(lite.path, pg_url)


def test_a_source_behind_the_newest_schema_is_refused(tmp_path: Path, pg_url: str) -> None:
    db = tmp_path / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    for m in migrations("sqlite")[:-1]:
        for statement in statements(m.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '')", (m.version, m.name))
    conn.commit()
    conn.close()
    newest = len(migrations("sqlite"))
    with pytest.raises(CopyError, match=f"version {newest - 1} of {newest}: run `monitor migrate`"):
        copy_state(db, pg_url)


def test_every_table_of_the_sqlite_schema_is_copied(lite: SqliteStore) -> None:
    with sqlite3.connect(lite.path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables - {t.name for t in TABLES} == {"schema_migrations", "sqlite_sequence"}


# -- the command -------------------------------------------------------------------------------
CONFIG = """\
[inbox]
path = "inbox"

[rules]
path = "rules"

[state]
path = "state"

[channels.log]
type = "file"
path = "alerts.jsonl"
"""


def _monitor(tmp_path: Path, *args: str) -> int:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return main(["state", "copy", "--config", str(config), *args])


def test_the_command_copies_and_never_shows_the_password(
    lite: SqliteStore, pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    name = pg_server.create_db()
    try:
        url = pg_server.url(name, tcp=True).replace("monitor@", "monitor:hunter2secret@")
        assert _monitor(lite.path.parent.parent, "--to", url) == 0
        out, err = capsys.readouterr()
        assert "hunter2secret" not in out + err
        assert "note: a password in --to shows in the process list" in err
        shown = f"postgresql://monitor@127.0.0.1:{pg_server.port}/{name}"
        assert out.splitlines()[0] == f"copying {lite.path} into {shown}"
        assert f"  outbox: {_counts(lite.path)['outbox']} rows" in out.splitlines()
        assert out.splitlines()[-1].startswith(f"copied {sum(_counts(lite.path).values())} ")
        assert shown in out.splitlines()[-1]
    finally:
        pg_server.drop_db(name)


def test_an_unreachable_target_is_one_line_without_the_password(
    lite: SqliteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the socket is
    url = f"postgresql://monitor:hunter2secret@127.0.0.1:{port}/none"
    assert _monitor(lite.path.parent.parent, "--to", url) == 1
    out, err = capsys.readouterr()
    assert "hunter2secret" not in out + err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: cannot connect to postgresql://monitor@127.0.0.1:{port}/none")
    assert "~/.pgpass" in line and err.count("\n") == 2  # the note on the password, the error


def test_usage_errors_exit_2(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _monitor(tmp_path, "--to", "mysql://u:pw@db/x") == 2
    assert _monitor(tmp_path, "--to", "postgresql://u:pw@[broken/x") == 2
    assert _monitor(tmp_path, "--to", pg_url) == 2  # no monitor.db in [state] path
    _, err = capsys.readouterr()
    assert "pw" not in err
    assert "no SQLite state database to copy" in err and "state/monitor.db" in err
