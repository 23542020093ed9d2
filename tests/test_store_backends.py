"""The two state backends answer alike: the same calls on SQLite and on a real PostgreSQL
give the same results, call for call (a differential test), and the writes that must be
idempotent are, on both.

The shared queries (monitor/state/sql.py) are the same text on both; what differs is the
database underneath: types (REAL vs double precision, BLOB vs bytea, booleans), collation,
upsert resolution, NUL in text, identity numbers. Each scenario below exercises every method
of the `Store` interface and returns what the calls gave, times taken out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError, StoreError
from monitor.silences import Silence
from monitor.state import ArticleFacts, HeldRow, QueuedAlert, SourceState, Store, open_store
from monitor.state.postgres import PostgresStore, redacted
from monitor.state.sqlite import SqliteStore

NOW = 1_900_000_000.0


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        made: Store = SqliteStore(tmp_path / "state")
    else:
        made = PostgresStore(request.getfixturevalue("pg_url"))
    yield made
    made.close()


def _both(tmp_path: Path, pg_url: str, scenario: Callable[[Store], Any]) -> None:
    lite = SqliteStore(tmp_path / "state")
    pg = PostgresStore(pg_url)
    try:
        assert scenario(pg) == scenario(lite)
    finally:
        lite.close()
        pg.close()


def _alerts(story: str, rules: list[str], channels: list[str]) -> list[QueuedAlert]:
    out = []
    for channel in channels:
        out.append(
            QueuedAlert(
                "", channel, {"story": story, "rules": [{"rule": r} for r in rules]}, kind="story"
            )
        )
        out += [QueuedAlert(r, channel, {"rule": r, "title": "ü \x00 ☃"}) for r in rules]
    return out


def _outbox_scenario(store: Store) -> list[Any]:
    got: list[Any] = []
    got.append(store.record_article("a1", "/in/a", "Títle", _alerts("a1", ["r1", "r2"], ["c1"])))
    got.append(store.record_article("a1", "/in/a", "Títle", _alerts("a1", ["r1", "r2"], ["c1"])))
    got.append(
        store.record_article(
            "a2",
            "/in/b",
            "Copy\x00with NUL",
            _alerts("a1", ["r1", "r3"], ["c1", "c2"]),
            source="feed",
            facts=ArticleFacts(
                story="a1", url="https://x/1", rules=["r1", "r3"], similarity=0.7, outlet="Wire"
            ),
        )
    )
    # the same text under another name: a sighting
    got.append(
        store.record_article(
            "a2", "/in/c", "Copy", [], facts=ArticleFacts(story="a1", outlet="Other")
        )
    )
    got.append(store.seen("a1"))
    got.append(store.seen("zz"))
    due = store.due("c1", time.time() + 1, limit=3)
    got.append([(r.seq, r.article_id, r.rule, r.channel, r.status, r.kind, r.record) for r in due])
    got.append(store.next_due_at("c2") is not None)
    got.append(store.next_due_at("nothing"))
    store.mark_delivered([due[0].seq])
    store.mark_retry([due[1].seq], NOW, "HTTP 503")
    store.mark_dead([due[2].seq], "HTTP 400")
    got.append(sorted(store.depth().items()))
    got.append(sorted(store.counts().items()))
    got.append(
        [(r.seq, r.status, r.attempts, r.next_at == NOW, r.last_error) for r in store.pending()]
    )
    got.append(store.requeue_dead())
    got.append(store.orphaned_channels(["c1"]))
    got.append(sorted((k, sorted(v)) for k, v in store.story_deliveries("a1").items()))
    got.append(store.suppressed())
    return got


def test_outbox_calls_answer_alike(tmp_path: Path, pg_url: str) -> None:
    _both(tmp_path, pg_url, _outbox_scenario)


def _stories_scenario(store: Store) -> list[Any]:
    got: list[Any] = []
    got.append(store.add_story("s1", NOW - 100, b"\x00\x01sk", b"\x00k1"))
    got.append(store.add_story("s2", NOW - 50, b"sk2", b"k2"))
    got.append(store.add_story("s1", NOW - 10, b"sk1b", b"k1b"))  # starts over, new number
    got.append(store.story_sketches([1, 2, 3], since=NOW - 60))
    got.append(store.window_count(NOW - 60))
    got.append(list(store.window_stories(0)))
    got.append(store.first_story_since(NOW - 60))
    got.append(store.next_story_number())
    got.append(store.forget_sketches(NOW - 20))
    got.append(store.window_count(0))
    store.record_article(
        "s2", "/in/s2", "Two", [], facts=ArticleFacts(story="s2", rules=["b", "a"], url="u")
    )
    store.record_article(
        "c2", "/in/c2", "Two copy", [], facts=ArticleFacts(story="s2", rules=["c", "a"])
    )
    copies = store.story_copies("s2")
    got.append([{k: v for k, v in c.items() if k != "arrived"} for c in copies])
    rows = store.stories_since("2000-01-01T00:00:00Z")
    got.append([(r.id, r.rules, r.article, len(r.copies), r.deliveries) for r in rows])
    got.append(len(store.stories_since("2000-01-01T00:00:00Z", rule="c")))
    got.append(len(store.stories_since("2000-01-01T00:00:00Z", rule="zz")))
    store.add_story_rule("s2", "a", "s2", "alerted")
    store.add_story_rule("s2", "a", "s2", "suppressed")  # the first stays
    store.add_story_rule("s1", "a", "s1", "suppressed")
    got.append(store.story_rule("s2", "a"))
    got.append(store.story_rule("s2", "zz"))
    got.append(store.alerted_stories("a", "2000-01-01T00:00:00Z"))
    return got


def test_story_calls_answer_alike(tmp_path: Path, pg_url: str) -> None:
    _both(tmp_path, pg_url, _stories_scenario)


def _items_and_counts_scenario(store: Store) -> list[Any]:
    got: list[Any] = []
    store.remember_item("inbox", "a.txt", "1:2", "a1")
    store.remember_item("inbox", "a.txt", "1:3", "a1")  # replaced
    got.append(store.item_unchanged("inbox", "a.txt", "1:3"))
    got.append(store.item_unchanged("inbox", "a.txt", "1:2"))
    store.remember_items("feed", [("g1", "f1"), ("g2", "f2")])
    store.remember_items("feed", [("g1", "f1b")])
    got.append(store.new_items("feed", [("g1", "f1b"), ("g2", "f2"), ("g3", "f3"), ("g1", "x")]))
    got.append(sorted(store.item_counts().items()))
    got.append(store.add_term_counts({" nato ": 2, " rare ": 1}, 10, [" nato ", " never "]))
    got.append(store.add_term_counts({" nato ": 3}, 5))
    got.append(store.term_counts())
    states = [
        SourceState("wire", target="t", etag='"e"', primed=True, polls=3, last_status=200),
        SourceState("blog", errors=2, last_error="HTTP 500"),
    ]
    store.save_source_states(states)
    states[0].polls = 4
    store.save_source_states(states[:1])
    got.append(sorted(store.source_states().items()))
    return got


def test_items_term_counts_and_sources_answer_alike(tmp_path: Path, pg_url: str) -> None:
    _both(tmp_path, pg_url, _items_and_counts_scenario)


def _silences_and_digests_scenario(store: Store) -> list[Any]:
    got: list[Any] = []
    first = Silence("s-1", "r1", None, None, NOW + 60, "noisy", "2026-01-01T00:00:00Z")
    second = Silence("s-2", None, "nato AND korea", "c1", NOW + 30, "", "2026-01-01T00:00:01Z")
    over = Silence("s-3", "r2", None, None, NOW - 1, "", "2026-01-01T00:00:02Z")
    for silence in (first, second, over):
        store.add_silence(silence)
    got.append(store.silences(now=NOW))
    got.append(store.silences(include_expired=True, now=NOW))
    got.append(store.expire_silence("s-2", now=NOW))
    got.append(store.expire_silence("s-2", now=NOW))
    got.append(store.expire_silence("nope", now=NOW))
    stamp = store.silences_stamp()
    got.append((stamp[0], stamp[2]))
    held = [
        QueuedAlert(
            "r1", "d", {"rule": "r1"}, article_id=f"h{i}", status="held", release_at=NOW + (i % 2)
        )
        for i in range(4)
    ]
    store.record_article("h", "/in/h", "H", held)
    got.append(store.next_release_at("d"))

    def build(key: str, rows: Any, when: str) -> tuple[dict[str, Any] | None, dict[int, str]]:
        seqs = [r.seq for r in rows if isinstance(r, HeldRow)]
        return {"digest": key, "seqs": seqs, "when": when}, {seqs[-1]: "bad"} if seqs else {}

    got.append(store.make_digests("d", NOW, build))
    got.append(store.make_digests("d", NOW, build))
    got.append(store.make_digests("d", NOW + 5, build))
    got.append([(r.article_id, r.kind, r.record) for r in store.pending(("pending",))])
    got.append(sorted(store.counts().items()))
    return got


def test_silences_and_digests_answer_alike(tmp_path: Path, pg_url: str) -> None:
    _both(tmp_path, pg_url, _silences_and_digests_scenario)


def test_a_batch_commits_together_and_a_failure_inside_undoes_only_itself(
    store: Store,
) -> None:
    with store.batch():
        store.record_article("b1", "/in/1", "One", [QueuedAlert("r", "c", {"rule": "r"})])
        with pytest.raises(ZeroDivisionError), store.batch():
            store.record_article("b2", "/in/2", "Two", [])
            raise ZeroDivisionError
        store.remember_item("inbox", "1", "f", "b1")
    assert store.seen("b1") and not store.seen("b2")
    assert store.item_unchanged("inbox", "1", "f")
    with pytest.raises(ZeroDivisionError), store.batch():
        store.record_article("b3", "/in/3", "Three", [])
        raise ZeroDivisionError
    assert not store.seen("b3")


def test_reopening_migrates_nothing_and_keeps_everything(store: Store, tmp_path: Path) -> None:
    store.record_article("k1", "/in/k", "Kept", [QueuedAlert("r", "c", {"rule": "r"})])
    again = (
        open_store(tmp_path / "state")
        if isinstance(store, SqliteStore)
        else PostgresStore(store.url)  # type: ignore[attr-defined]
    )
    try:
        assert again.schema().applied == ()
        assert again.schema().version == again.schema().newest
        assert again.seen("k1") and len(again.due("c", time.time() + 1)) == 1
    finally:
        again.close()


def test_the_url_is_shown_without_its_password() -> None:
    assert redacted("postgresql://mon:s3cret@db.example.org:6432/monitor?sslmode=verify-full") == (
        "postgresql://mon@db.example.org:6432/monitor"
    )
    assert "pw" not in redacted("postgresql://db/monitor?password=pw&user=u")
    assert "s3cret" not in redacted("postgresql://mon:s3cret@[bad")


@pytest.mark.parametrize("password", ["sEcr/et99", "sEcr@et99"])
def test_a_password_libpq_would_split_is_refused_and_never_shown(
    password: str, tmp_path: Path
) -> None:
    """An unencoded / or @ in the password: libpq reads the URL all the same, with the
    password's pieces as the host, the port or the database, and every message quoted them
    (`cannot use the state database postgresql://monitor:sEcr/et99@db/monitor`)."""
    url = f"postgresql://monitor:{password}@127.0.0.1:1/monitor"
    assert "et99" not in redacted(url)
    with pytest.raises(StoreError) as caught:
        PostgresStore(url)
    assert "et99" not in str(caught.value) and "%2F" in str(caught.value)
    (tmp_path / "config.toml").write_text(f'[state]\nurl = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path / "config.toml")
    assert "et99" not in str(refused.value) and "%40" in str(refused.value)
    encoded = f"postgresql://monitor:{quote(password, safe='')}@db/monitor"
    assert redacted(encoded) == "postgresql://monitor@db/monitor"
