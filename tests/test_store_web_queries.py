"""The state queries behind the web page (issue 18), on both backends: stories a page at a
time and filtered, their count, the values of the filters, each rule's activity per day and
the outbox depth.

Every test runs on SQLite and on a real PostgreSQL; one scenario also runs on both at once
and must answer alike, call for call. Times are set by hand (the store stamps an article
with the clock), so that ties, day boundaries and paging across them are exact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from monitor.state import ArticleFacts, QueuedAlert
from monitor.state.base import StoriesPage, StoryFilter
from monitor.state.postgres import PostgresStore
from monitor.state.sql import SqlStore
from monitor.state.sqlite import DB_NAME, SqliteStore

DAY = "2026-03-10"


def at(hms: str, day: str = DAY) -> str:
    return f"{day}T{hms}Z"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    made: SqliteStore | PostgresStore
    if request.param == "sqlite":
        made = SqliteStore(tmp_path / "state")
    else:
        made = PostgresStore(request.getfixturevalue("pg_url"))
    yield made
    made.close()


def story_record(story: str, rules: Sequence[str], excerpt: Any = None) -> dict[str, Any]:
    """A story message as the pipeline stores it (the parts the page reads)."""
    return {
        "story": story,
        "rules": [
            {"rule": r, "hits": [{"term": r, "text": r, "field": "body", "start": 10, "end": 14}]}
            for r in rules
        ],
        "excerpt": excerpt,
    }


def add(
    store: SqlStore,
    article: str,
    when: str,
    rules: Sequence[str],
    *,
    story: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    source: str = "inbox",
    channels: Sequence[str] = (),
    status: str = "delivered",
) -> None:
    """Record a matched article (a story's first copy, or a copy of `story`) that arrived
    `when`, with a story message on each of `channels` for a first copy."""
    story = story or article
    alerts = [
        QueuedAlert(
            "",
            channel,
            story_record(story, rules, {"text": "one two three", "field": "body", "start": 8}),
            article_id=story,
            kind="story",
            status=status,
        )
        for channel in channels
    ]
    store.record_article(
        article,
        f"/in/{article}.txt",
        title or f"Title of {article}",
        alerts,
        source=source,
        facts=ArticleFacts(story=story, rules=list(rules), outlet=outlet, url=f"u/{article}"),
    )
    with store._tx() as db:
        db.execute(
            "UPDATE articles SET first_seen = ?, last_seen = ? WHERE id = ?", (when, when, article)
        )


def ids(page: StoriesPage) -> list[str]:
    return [s.id for s in page.stories]


def flat(pages: list[list[str]]) -> list[str]:
    return [story for page in pages for story in page]


def every_page(store: SqlStore, f: StoryFilter, limit: int) -> list[list[str]]:
    pages = []
    before = None
    while True:
        page = store.stories_page(f, limit, before)
        pages.append(ids(page))
        assert len(page.stories) <= limit
        if page.next is None:
            return pages
        assert page.next == (page.stories[-1].first_seen, page.stories[-1].id)
        before = page.next


def newsroom(store: SqlStore) -> None:
    """Six stories over two days, with copies, channels, outlets and rule ids that a LIKE
    would confuse (`_` for any character, case)."""
    add(store, "s1", at("08:00:00"), ["eu_sanctions"], outlet="Reuters", channels=["slack"])
    add(store, "c1", at("08:05:00"), ["eu_sanctions", "korea"], story="s1", outlet="AP")
    add(store, "s2", at("09:00:00"), ["euXsanctions"], outlet="AP", channels=["slack", "log"])
    add(store, "s3", at("09:00:00"), ["EU_SANCTIONS"], source="wire", channels=["log"])
    add(store, "s4", at("10:00:00"), ["korea"], outlet="Reuters")
    add(store, "c4", at("00:10:00", "2026-03-11"), ["nato"], story="s4", outlet="BBC")
    add(store, "s5", at("12:00:00", "2026-03-11"), ["nato", "korea"], channels=["slack"])
    add(store, "s6", at("23:59:59", "2026-03-11"), ["eu-sanctions"], outlet="Reuters")
    store.record_article(  # the same text as s2 again, from another outlet: a sighting
        "s2", "/in/again.txt", "Title of s2", [], facts=ArticleFacts(story="s2", outlet="DPA")
    )


NEWEST_FIRST = ["s6", "s5", "s4", "s2", "s3", "s1"]  # s2 and s3 tie: by id


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (StoryFilter(), NEWEST_FIRST),
        (StoryFilter(rule="eu_sanctions"), ["s1"]),  # not euXsanctions, EU_SANCTIONS
        (StoryFilter(rule="EU_SANCTIONS"), ["s3"]),
        (StoryFilter(rule="eu-sanctions"), ["s6"]),
        (StoryFilter(rule="korea"), ["s5", "s4", "s1"]),  # s1 by its copy
        (StoryFilter(rule="nato"), ["s5", "s4"]),
        (StoryFilter(rule="eu%"), []),
        (StoryFilter(rule="eu_sanction"), []),
        (StoryFilter(rule='korea", "eu_sanctions'), []),
        (StoryFilter(channel="slack"), ["s5", "s2", "s1"]),
        (StoryFilter(channel="log"), ["s2", "s3"]),
        (StoryFilter(channel="nowhere"), []),
        (StoryFilter(source="Reuters"), ["s6", "s4", "s1"]),
        (StoryFilter(source="AP"), ["s2", "s1"]),  # s1 by its copy
        (StoryFilter(source="BBC"), ["s4"]),
        (StoryFilter(source="DPA"), ["s2"]),  # a sighting's outlet
        (StoryFilter(source="wire"), ["s3"]),  # no outlet: the monitor's source
        (StoryFilter(source="inbox"), ["s5"]),
        (StoryFilter(source="Reut%"), []),
        (StoryFilter(since=at("09:00:00")), ["s6", "s5", "s4", "s2", "s3"]),
        (StoryFilter(until=at("09:00:00")), ["s1"]),
        (StoryFilter(since=at("09:00:00"), until=at("10:00:00")), ["s2", "s3"]),
        (StoryFilter(since="2026-03-11T00:00:00Z"), ["s6", "s5"]),
        (StoryFilter(rule="korea", channel="slack"), ["s5", "s1"]),
        (StoryFilter(rule="korea", source="Reuters"), ["s4", "s1"]),
        (StoryFilter(rule="korea", channel="slack", source="AP"), ["s1"]),
        (StoryFilter(rule="korea", since=at("09:00:00"), until="2026-03-11T12:00:00Z"), ["s4"]),
        (StoryFilter(channel="log", source="wire", since=at("09:00:00")), ["s3"]),
    ],
)
def test_each_filter_alone_and_combined(
    store: SqlStore, f: StoryFilter, expected: list[str]
) -> None:
    newsroom(store)
    assert ids(store.stories_page(f)) == expected
    assert store.stories_count(f) == len(expected)
    # a page at a time, through every slice boundary (a slice of one story)
    store.SLICE = 1  # type: ignore[misc]
    store.COUNT_SLICE = 1  # type: ignore[misc]
    assert flat(every_page(store, f, 1)) == expected
    assert store.stories_count(f) == len(expected)


def test_a_story_row_has_its_rules_copies_deliveries_and_excerpt(store: SqlStore) -> None:
    newsroom(store)
    [s1] = store.stories_page(StoryFilter(rule="eu_sanctions")).stories
    assert s1.first_seen == at("08:00:00")
    assert s1.article == {
        "id": "s1",
        "title": "Title of s1",
        "path": "/in/s1.txt",
        "url": "u/s1",
        "source": "Reuters",
    }
    assert s1.rules == ["eu_sanctions", "korea"]  # in the order the copies matched them
    assert [(c["article_id"], c["source"], c["sighting"]) for c in s1.copies] == [
        ("c1", "AP", False)
    ]
    assert [(d["channel"], d["rule"], d["status"]) for d in s1.deliveries] == [
        ("slack", "", "delivered")
    ]
    assert s1.excerpt == {"text": "one two three", "field": "body", "start": 8}
    assert s1.hits == [{"field": "body", "start": 10, "end": 14}]
    assert s1.more_copies == 0
    s2 = store.stories_page(StoryFilter(rule="euXsanctions")).stories[0]
    assert [(c["article_id"], c["source"], c["sighting"]) for c in s2.copies] == [
        ("s2", "DPA", True)  # the same text again: listed, as `monitor stories` lists it
    ]
    assert [d["channel"] for d in s2.deliveries] == ["log", "slack"]
    s3 = store.stories_page(StoryFilter(rule="EU_SANCTIONS")).stories[0]
    assert s3.article["source"] == "wire" and s3.copies == []


def test_copies_past_the_limit_are_counted(store: SqlStore) -> None:
    add(store, "s", at("08:00:00"), ["r"])
    for i in range(5):
        add(store, f"c{i}", at(f"08:0{i + 1}:00"), ["r"], story="s", outlet=f"O{i}")
    [row] = store.stories_page(StoryFilter(), copies=2).stories
    assert [c["article_id"] for c in row.copies] == ["c0", "c1"] and row.more_copies == 3
    [row] = store.stories_page(StoryFilter(), copies=0).stories
    assert row.copies == [] and row.more_copies == 5
    [row] = store.stories_page(StoryFilter(), copies=10).stories
    assert len(row.copies) == 5 and row.more_copies == 0


def test_paging_loses_and_repeats_nothing_across_equal_times(store: SqlStore) -> None:
    """30 stories, 10 to a second: every page size, filtered or not, through slices of
    every size, visits each once in the page's order; a story arriving meanwhile is newer
    than every cursor and changes nothing."""
    names = []
    for i in range(30):
        story = f"s{(i * 7) % 30:02d}"  # ids not in arrival order
        add(store, story, at(f"08:00:0{i // 10}"), ["even" if i % 2 == 0 else "odd", "all"])
        names.append((at(f"08:00:0{i // 10}"), story))
    order = [story for _, story in sorted(names, key=lambda n: (-int(n[0][-3:-1]), n[1]))]
    for limit in (1, 3, 10, 30, 31):
        for slice_size in (1, 200):
            store.SLICE = slice_size  # type: ignore[misc]
            pages = every_page(store, StoryFilter(), limit)
            assert flat(pages) == order
            assert all(len(p) == limit for p in pages[:-1])
            pages = every_page(store, StoryFilter(rule="all"), limit)
            assert flat(pages) == order
            odd = [s for s in order if json.loads(_rules(store, s)) == ["odd", "all"]]
            assert flat(every_page(store, StoryFilter(rule="odd"), limit)) == odd
    first = store.stories_page(StoryFilter(rule="all"), 5)
    add(store, "late", at("09:00:00"), ["all"])
    second = store.stories_page(StoryFilter(rule="all"), 5, first.next)
    assert ids(first) + ids(second) == order[:10]


def _rules(store: SqlStore, story: str) -> str:
    row = store._db.execute("SELECT rules FROM articles WHERE id = ?", (story,)).fetchone()
    return str(row[0])


HOSTILE = [
    'O\'Brien "quoted" %_ 100% _under_ \\back\\slash',
    "nul\x00inside",
    "<img src=x onerror=alert(1)>",
    "\u202eevil\u202c rtl \U0001f600 \ufffd \x1b[31mred\x1b[0m \x7f",
    "' OR 1=1; DROP TABLE articles; --",
    "%",
    "_",
]


def test_hostile_titles_and_sources_are_kept_and_match_only_themselves(store: SqlStore) -> None:
    for i, text in enumerate(HOSTILE):
        add(store, f"h{i}", at(f"08:00:0{i}"), ["r"], title=text, outlet=text)
    add(store, "plain", at("07:00:00"), ["r"], outlet="Plain")
    nul = isinstance(store, PostgresStore)  # PostgreSQL text keeps a NUL as U+FFFD

    def kept(text: str) -> str:
        return text.replace("\x00", "\ufffd") if nul else text

    page = store.stories_page(StoryFilter())
    assert [s.article["title"] for s in page.stories] == [kept(t) for t in reversed(HOSTILE)] + [
        "Title of plain"
    ]
    assert store.story_sources() == sorted({kept(t) for t in HOSTILE} | {"Plain"})
    for i, text in enumerate(HOSTILE):
        assert ids(store.stories_page(StoryFilter(source=text))) == [f"h{i}"], text
        assert store.stories_count(StoryFilter(source=text)) == 1
        # a rule filter of hostile text matches nothing, and breaks nothing
        assert ids(store.stories_page(StoryFilter(rule=text))) == []


def test_an_empty_database_answers_empty(store: SqlStore) -> None:
    assert store.stories_page(StoryFilter()) == StoriesPage([], None)
    assert store.stories_page(StoryFilter(rule="r", channel="c", source="s")).stories == []
    assert store.stories_count(StoryFilter()) == 0
    assert store.story_sources(at("00:00:00")) == [] and store.story_sources() == []
    assert store.outbox_channels() == []
    assert store.outbox_depth() == {}
    activity = store.rule_activity(DAY, 3)
    assert activity.days == ["2026-03-10", "2026-03-11", "2026-03-12"]
    assert (activity.stories, activity.rules) == (0, [])


def test_rule_activity_counts_each_story_on_its_first_day(store: SqlStore) -> None:
    add(store, "before", at("23:59:59", "2026-03-09"), ["a"])  # the day before: not counted
    add(store, "copy-in", at("00:00:00"), ["a", "b"], story="before")  # its copy: neither
    add(store, "first", at("00:00:00"), ["a"])  # the period's first second
    add(store, "first-copy", at("23:59:59"), ["a", "b"], story="first")
    add(store, "late-copy", at("00:00:01", "2026-03-11"), ["c_d"], story="first")
    add(store, "second", at("00:00:00", "2026-03-11"), ["b", "a"])
    add(store, "third", at("23:59:59", "2026-03-12"), ["cXd"])  # the period's last second
    add(store, "after", at("00:00:00", "2026-03-13"), ["a"])  # the day after: not counted
    activity = store.rule_activity(DAY, 3)
    assert activity.days == ["2026-03-10", "2026-03-11", "2026-03-12"]
    assert activity.stories == 3
    got = {
        r.rule: (r.stories_per_day, r.stories, r.matches_per_day, r.matches, r.last_match)
        for r in activity.rules
    }
    assert got == {
        "a": ([1, 1, 0], 2, [2, 1, 0], 3, at("00:00:00", "2026-03-11")),
        "b": ([1, 1, 0], 2, [1, 1, 0], 2, at("00:00:00", "2026-03-11")),
        "c_d": ([1, 0, 0], 1, [1, 0, 0], 1, at("00:00:01", "2026-03-11")),
        "cXd": ([0, 0, 1], 1, [0, 0, 1], 1, at("23:59:59", "2026-03-12")),
    }
    # noisiest first: most stories, then most matches, then by id
    assert [r.rule for r in activity.rules] == ["a", "b", "cXd", "c_d"]
    assert [r.rule for r in store.rule_activity("2026-03-11", 1).rules] == ["a", "b"]
    for bad in ("2026-3-10", "yesterday", ""):
        with pytest.raises(ValueError):
            store.rule_activity(bad, 1)
    for days in (0, -1, 367):
        with pytest.raises(ValueError):
            store.rule_activity(DAY, days)


def test_the_excerpt_is_a_story_message_s_else_a_rule_record_s(store: SqlStore) -> None:
    rule_excerpt = {"text": "rule window", "field": "title", "start": 0}
    rule_record = {
        "rule": "r",
        "hits": [
            {"field": "title", "start": 0, "end": 4},
            {"field": "title", "start": 0, "end": 4},  # the same hit twice: once
            {"field": "body", "start": "1", "end": 2},  # not offsets: left out
            "not a hit",
        ],
        "excerpt": rule_excerpt,
    }
    cases: list[tuple[str, list[QueuedAlert], Any, list[dict[str, Any]]]] = [
        (  # a story message beside a rule record: the story message's
            "both",
            [
                QueuedAlert("r", "log", rule_record),
                QueuedAlert(
                    "",
                    "slack",
                    story_record("both", ["r", "q"], {"text": "t", "field": "body", "start": 3}),
                    kind="story",
                ),
            ],
            {"text": "t", "field": "body", "start": 3},
            [{"field": "body", "start": 10, "end": 14}],
        ),
        (  # the story message quoted nothing: the rule record's
            "bare",
            [
                QueuedAlert("", "slack", story_record("bare", ["r"]), kind="story"),
                QueuedAlert("r", "log", rule_record),
            ],
            rule_excerpt,
            [{"field": "title", "start": 0, "end": 4}],
        ),
        ("none", [QueuedAlert("", "slack", story_record("none", ["r"]), kind="story")], None, []),
        ("odd", [QueuedAlert("r", "log", {"excerpt": {"text": 1}, "hits": 7})], None, []),
        ("list", [QueuedAlert("r", "log", [1, 2])], None, []),  # type: ignore[arg-type]
    ]
    for i, (story, alerts, excerpt, hits) in enumerate(cases):
        store.record_article(
            story, f"/{story}", story, alerts, facts=ArticleFacts(story, rules=["r"])
        )
        with store._tx() as db:
            db.execute(
                "UPDATE articles SET first_seen = ? WHERE id = ?", (at(f"08:00:0{i}"), story)
            )
        [row] = store.stories_page(
            StoryFilter(since=at(f"08:00:0{i}"), until=at(f"08:00:0{i + 1}"))
        ).stories
        assert (row.excerpt, row.hits) == (excerpt, hits), story


def test_outbox_depth_and_channels(store: SqlStore) -> None:
    for i, (channel, status) in enumerate(
        [("slack", "pending"), ("slack", "pending"), ("slack", "held"), ("slack", "delivered"),
         ("log", "dead"), ("mail", "delivered"), ("mail", "silenced")]
    ):  # fmt: skip
        store.record_article(
            f"a{i}", f"/a{i}", "t", [QueuedAlert("r", channel, {"rule": "r"}, status=status)]
        )
    assert store.outbox_depth() == {
        "slack": {"pending": 2, "held": 1, "dead": 0},
        "log": {"pending": 0, "held": 0, "dead": 1},
    }
    assert store.outbox_channels() == ["log", "mail", "slack"]


def _scenario(store: SqlStore) -> list[Any]:
    """Every web query over the newsroom, as they answer it."""
    newsroom(store)
    for i, text in enumerate(HOSTILE):
        add(
            store,
            f"h{i}",
            at(f"07:00:0{i}"),
            ["r_1", "R_1"],
            title=text,
            outlet=text,
            channels=["x"],
        )
    got: list[Any] = []
    for f in (
        StoryFilter(),
        StoryFilter(rule="korea"),
        StoryFilter(rule="r_1", channel="x"),
        StoryFilter(source="AP", since=at("08:00:00")),
        StoryFilter(channel="slack", until="2026-03-11T23:00:00Z"),
    ):
        before = None
        while True:
            page = store.stories_page(f, 2, before, copies=1)
            got.append(
                [
                    (
                        s.id, s.first_seen, s.article, s.rules,
                        [{k: v for k, v in c.items() if k != "arrived"} for c in s.copies],
                        s.deliveries, s.excerpt, s.hits, s.more_copies,
                    )
                    for s in page.stories
                ]
            )  # fmt: skip
            if page.next is None:
                break
            before = page.next
        got.append(store.stories_count(f))
    got.append(store.story_sources(at("00:00:00")))
    got.append(store.outbox_channels())
    got.append(store.outbox_depth())
    got.append(store.rule_activity("2026-03-09", 4))
    same: list[Any] = json.loads(json.dumps(got, default=repr).replace("\\u0000", "\\ufffd"))
    return same


def test_both_backends_answer_alike(tmp_path: Path, pg_url: str) -> None:
    lite = SqliteStore(tmp_path / "state")
    pg = PostgresStore(pg_url)
    try:
        assert _scenario(pg) == _scenario(lite)
    finally:
        lite.close()
        pg.close()


def test_sqlite_reads_through_indexes_only(tmp_path: Path) -> None:
    """No web query scans a table: each searches an index, or walks the stories' own
    (`articles_stories`, in the page's order: a page without filters stops when full), so
    the page does not slow down as the articles that matched nothing, the copies of older
    stories or the delivered alerts pile up."""
    store = SqliteStore(tmp_path / "state")
    newsroom(store)
    executed: list[str] = []
    store._conn.set_trace_callback(executed.append)
    every = StoryFilter(rule="korea", channel="slack", source="AP", since=at("00:00:00"))
    store.stories_page(every, 1)
    store.stories_page(every, 1, ("2026-03-10T08:00:00Z", "s1"))
    store.stories_page(StoryFilter(), 50)
    store.stories_count(every)
    store.story_sources(at("00:00:00"))
    store.outbox_channels()
    store.outbox_depth()
    store.rule_activity(DAY, 2)
    store._conn.set_trace_callback(None)
    assert executed
    for statement in executed:
        plan = [row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {statement}")]
        inner = ("SCAN x", "SCAN y", "SCAN found", "SCAN (subquery")  # subqueries' own rows
        scans = [
            step
            for step in plan
            if step.startswith("SCAN")
            and "VIRTUAL TABLE" not in step
            and "USING INDEX articles_stories" not in step
            and not step.startswith(inner)
        ]
        assert scans == [], (statement, plan)
        # stories through their own index, copies through theirs and nothing else
        for step in plan:
            if step.startswith(("SEARCH s ", "SCAN s ")):
                assert "INDEX articles_stories" in step or "autoindex_articles" in step, plan
            if step.startswith("SEARCH c "):
                assert "COVERING INDEX articles_story " in step, (statement, plan)
    store.close()


def test_a_database_from_before_stories_has_none(tmp_path: Path) -> None:
    """The page on a database a newer schema has not reached (opened without migrating)."""
    tmp_path.mkdir(exist_ok=True)
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, "
        "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);"
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL, "
        "rule TEXT NOT NULL, channel TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL "
        "DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL, "
        "last_error TEXT, created_at TEXT NOT NULL, delivered_at TEXT, "
        "UNIQUE (article_id, rule, channel));"
        "INSERT INTO outbox (article_id, rule, channel, payload, next_at, created_at) "
        "VALUES ('a1', 'r1', 'console', '{}', 0, '2026-01-01T00:00:00Z');"
    )
    db.close()
    store = SqliteStore(tmp_path, migrate=False)
    try:
        assert store.stories_page(StoryFilter(rule="r1")) == StoriesPage([], None)
        assert store.stories_count(StoryFilter()) == 0
        assert store.story_sources() == []
        assert store.rule_activity(DAY, 1).rules == []
        assert store.outbox_depth() == {"console": {"pending": 1, "held": 0, "dead": 0}}
        assert store.outbox_channels() == ["console"]
    finally:
        store.close()
