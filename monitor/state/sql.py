"""The state store written once in SQL for every backend: what SQLite and PostgreSQL share.

Every query of the `Store` interface is here, in the SQL both databases speak (upserts as
`ON CONFLICT`, `RETURNING`, `?` placeholders that the PostgreSQL backend turns into its own),
so the two backends cannot drift apart in what they store or answer. A backend provides the
connection (`_db`, which reads, and `_tx()`, one transaction; inside `batch()` a savepoint),
its migrations folder, the errors that mean "try again" and the schema lock that makes
migrating safe from several processes at once.

Every public method turns the backend's database errors into `StoreUnavailable` (see
`_unavailable`), so callers handle one backend-neutral error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any, ClassVar, Concatenate, ParamSpec, Protocol, TypeVar

from monitor.clock import utc_now
from monitor.errors import StoreError
from monitor.silences import Silence
from monitor.state.base import (
    ArticleFacts,
    Cluster,
    DigestBuilder,
    HeldRow,
    NodeRow,
    OutboxRow,
    QueuedAlert,
    RuleActivity,
    RuleDays,
    SchemaState,
    SourceState,
    StoreUnavailable,
    StoriesPage,
    StoryCursor,
    StoryFilter,
    StoryRow,
    TermCounts,
    digest_key,
    iso,
)
from monitor.state.migrations import migrations, statements

TERM_COUNTS_HALVED_AT = 1_000_000
"""Articles counted in `term_counts` past which every count is halved (old feeds fade)."""

_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="SqlStore")

_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(SourceState))
"""The columns of `source_state`, named as `SourceState`'s fields."""
_SOURCE_COLUMNS = ", ".join(_SOURCE_FIELDS)
_SOURCE_UPDATE = ", ".join(f"{name} = excluded.{name}" for name in _SOURCE_FIELDS[1:])


def _source_row(state: SourceState) -> tuple[Any, ...]:
    """A `source_state` row: `primed` as 0/1, the column's type on both backends."""
    row = dataclasses.astuple(state)
    at = _SOURCE_FIELDS.index("primed")
    return (*row[:at], int(state.primed), *row[at + 1 :])


def _like(text: str) -> str:
    """`text` as a LIKE pattern that matches only itself, with `!` as the escape character
    (not a backslash, which a PostgreSQL string literal may read as one itself)."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def alert_excerpt(payload: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The excerpt ({text, field, start}) a stored alert record quoted, and the hits of
    all its rules ({field, start, end}, each once, in order); (None, []) if it quoted
    none. Whatever in the record is not of the expected shape is left out."""
    try:
        record = json.loads(payload)
    except ValueError:
        return None, []
    if not isinstance(record, dict):
        return None, []
    excerpt = record.get("excerpt")
    if not (
        isinstance(excerpt, dict)
        and isinstance(excerpt.get("text"), str)
        and isinstance(excerpt.get("field"), str)
        and type(excerpt.get("start")) is int
    ):
        return None, []
    groups = [record.get("hits")]  # a rule record's; a story message's per rule
    rules = record.get("rules")
    if isinstance(rules, list):
        groups += [rule.get("hits") for rule in rules if isinstance(rule, dict)]
    hits: set[tuple[str, int, int]] = set()
    for group in groups:
        for hit in group if isinstance(group, list) else ():
            if not isinstance(hit, dict):
                continue
            field, start, end = hit.get("field"), hit.get("start"), hit.get("end")
            if isinstance(field, str) and type(start) is int and type(end) is int and start < end:
                hits.add((field, start, end))
    return (
        {"text": excerpt["text"], "field": excerpt["field"], "start": excerpt["start"]},
        [{"field": f, "start": s, "end": e} for f, s, e in sorted(hits)],
    )


class Cursor(Protocol):
    """What the shared queries need of a cursor: both drivers' cursors are one."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """What the shared queries need of a connection: `?` placeholders, rows as tuples."""

    def execute(self, sql: str, params: Any = ..., /) -> Cursor: ...
    def executemany(self, sql: str, rows: Any, /) -> Any: ...


def too_new(where: str, state: SchemaState) -> str:
    return (
        f"the state database {where} is at schema version {state.version}, newer than this "
        f"monitor knows (up to {state.newest}): it was written by a newer release; run that "
        "release, or restore a backup taken before the upgrade"
    )


def _unavailable(
    method: Callable[Concatenate[_S, _P], _R],
) -> Callable[Concatenate[_S, _P], _R]:
    """The method with the backend's database errors raised as `StoreUnavailable`."""

    def guarded(store: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        self = store
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except self.errors as exc:
            raise StoreUnavailable(f"state database: {self.why(exc)}") from exc

    functools.update_wrapper(guarded, method)
    return guarded


class SqlStore:
    """The queries of every backend; a subclass owns the connection."""

    backend: ClassVar[str]
    """The migrations folder (`monitor/state/migrations/BACKEND`)."""
    errors: ClassVar[tuple[type[Exception], ...]]
    """The driver's errors: each becomes `StoreUnavailable`."""
    features: ClassVar[dict[str, int]]
    """The schema version each optional table or column arrived with: read-only commands
    open a database they must not migrate, and ask `_has` before reading those."""
    where: str
    _schema: SchemaState
    _row_columns: str

    @property
    def _db(self) -> Db:
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[Db]:
        raise NotImplementedError

    def batch(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _has_table(self, name: str) -> bool:
        raise NotImplementedError

    def _lock_schema(self, db: Db) -> None:
        """Hold the schema lock for the rest of the transaction (no-op where the write
        transaction itself is the lock)."""

    def _lock_named(self, db: Db, name: str) -> None:
        """Hold a lock named `name` until the transaction ends: where several processes
        may write at once (PostgreSQL), the work it guards is done by one at a time."""

    def why(self, exc: Exception) -> str:
        """An error's message for `StoreUnavailable`: never with a password in it."""
        return str(exc)

    def has(self, feature: str) -> bool:
        """Whether the database's schema has a table or column that arrived with a
        migration (`features`): "stories" (stories, silences, digests), "source_state" ...
        A read-only command asks before reading a database it must not migrate."""
        return self._schema.version >= self.features.get(feature, 1)

    def cluster(self) -> Cluster | None:
        """This node's part in a cluster: None where the database is this node's alone."""
        return None

    def nodes(self) -> list[NodeRow]:
        """The cluster's nodes (none on a database only one daemon may use)."""
        return []

    def _set_row_columns(self) -> None:
        # The columns of an `OutboxRow`. `monitor outbox` reads a database it must not
        # migrate: before stories every row was a rule alert.
        kind = "kind" if self.has("outbox.kind") else "'rule'"
        self._row_columns = (
            "seq, article_id, rule, channel, payload, status, attempts, next_at, "
            f"last_error, {kind}"
        )

    def _version_state(self, create: bool = True) -> SchemaState:
        """The database's schema version (0 if it has none yet; the version table is made
        unless `create` is false: a read-only command writes nothing)."""
        if not self._has_table("schema_migrations"):  # a read-only file stays unwritten
            if not create:
                return SchemaState(self.where, 0, len(migrations(self.backend)))
            with self._tx() as db:
                self._lock_schema(db)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                    "KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
        row = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        newest = len(migrations(self.backend))
        return SchemaState(self.where, int(row[0] or 0), newest)

    def _checked(self, state: SchemaState) -> SchemaState:
        """`state`, unless the database was written by a newer release: then StoreError."""
        if state.version > state.newest:
            raise StoreError(too_new(self.where, state))
        return state

    def _migrate(self) -> SchemaState:
        """Apply the migrations this database lacks, each in its own transaction.

        The version is read again inside each migration's transaction, under the backend's
        schema lock (SQLite's write lock, a PostgreSQL advisory lock), so two processes (or a
        daemon's threads, or the nodes of a cluster) opening a new database apply each
        migration exactly once.
        """
        state = self._checked(self._version_state())
        applied: list[str] = []
        for migration in migrations(self.backend)[state.version :]:
            with self._tx() as db:
                self._lock_schema(db)
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
        return SchemaState(self.where, state.newest, state.newest, tuple(applied))

    def schema(self) -> SchemaState:
        """The schema version at open and the migrations this connection applied."""
        return self._schema

    @_unavailable
    def record_article(
        self,
        article_id: str,
        path: str,
        title: str,
        alerts: Iterable[QueuedAlert],
        source: str = "inbox",
        facts: ArticleFacts | None = None,
    ) -> int:
        """Record an article and queue its alerts in one transaction; return how many are new.

        An alert already queued for the same (story, rule, channel), in any state, is not
        queued again: a near-duplicate of a story adds nothing where the story was alerted.
        """
        now, stamp = time.time(), utc_now()
        f = facts or ArticleFacts()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO articles (id, path, title, first_seen, last_seen, source, "
                "story_id, url, rules, similarity, archived, outlet) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    article_id,
                    path,
                    title,
                    stamp,
                    stamp,
                    source,
                    f.story,
                    f.url,
                    json.dumps(list(f.rules)) if f.rules else None,
                    f.similarity,
                    f.archived,
                    f.outlet,
                ),
            )
            if cur.rowcount == 0:  # this text was seen before: a sighting, unless the same file
                db.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (stamp, article_id))
                if f.story is not None:
                    db.execute(
                        "INSERT INTO sightings (article_id, story_id, outlet, url, "
                        "path, title, seen_at) SELECT ?, ?, ?, ?, ?, ?, ? "
                        "WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = ? AND path = ?) "
                        "ON CONFLICT DO NOTHING",
                        (
                            article_id,
                            f.story,
                            f.outlet or source,
                            f.url,
                            f.archived or path,
                            title,
                            stamp,
                            article_id,
                            path,
                        ),
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
                    "INSERT INTO outbox (article_id, rule, channel, payload, status, "
                    "next_at, created_at, kind, release_at, silence) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (
                        alert.article_id or article_id,
                        alert.rule,
                        alert.channel,
                        payload,
                        alert.status,
                        now,
                        stamp,
                        alert.kind,
                        alert.release_at,
                        alert.silence,
                    ),
                )
                if alert.status in ("pending", "held"):
                    new += cur.rowcount
        return new

    # -- stories -------------------------------------------------------------------------------
    @_unavailable
    def add_story(self, story_id: str, arrived: float, sketch: bytes, keys: bytes) -> int:
        """Start a story; its number (what the in-memory index files it under)."""
        with self._tx() as db:
            # The same text again after its story left the window: the story starts over,
            # under a new number (the index files it as the newest).
            db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            # Another node of a cluster may start the same story meanwhile (one article
            # posted to two nodes): its commit wins, and this one files the story under
            # that number rather than failing on the key.
            row = db.execute(
                "INSERT INTO stories (id, arrived, sketch, keys) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET id = excluded.id RETURNING seq",
                (story_id, arrived, sketch, keys),
            ).fetchone()
            return int(row[0])

    @_unavailable
    def story_deliveries(self, story_id: str) -> dict[str, set[str]]:
        """Per channel, what it has of the story in any state: the rules of its rule records,
        and "" plus the rules of its story message. A copy adds nothing a channel has, even
        after a reload changed the channel's `group`."""
        had: dict[str, set[str]] = {}
        for channel, rule, kind, payload in self._db.execute(
            "SELECT channel, rule, kind, payload FROM outbox WHERE article_id = ?", (story_id,)
        ):
            rules = had.setdefault(str(channel), set())
            rules.add(str(rule))
            if kind == "story":  # a malformed message: its channel still has the story ("")
                with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
                    rules.update(str(r["rule"]) for r in json.loads(payload).get("rules", []))
        return had

    @_unavailable
    def story_sketches(self, numbers: Sequence[int], since: float = 0.0) -> list[tuple[str, bytes]]:
        """(story id, sketch) of these stories that arrived since `since` (in the window)."""
        marks = ",".join("?" * len(numbers))
        rows = self._db.execute(
            f"SELECT id, sketch FROM stories WHERE seq IN ({marks}) AND sketch IS NOT NULL "
            "AND arrived >= ?",
            [*numbers, since],
        ).fetchall()
        return [(str(r[0]), bytes(r[1])) for r in rows]

    @_unavailable
    def window_count(self, since: float) -> int:
        """How many stories arrived since `since` (and still have their keys)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM stories WHERE arrived >= ? AND keys IS NOT NULL", (since,)
        ).fetchone()
        return int(row[0])

    def window_stories(self, since: float) -> Iterator[tuple[int, bytes]]:
        """Number and index keys of each story that arrived since `since`, oldest first,
        read a page at a time as they are used: a million rows never sit in memory at once,
        and no cursor stays open on a connection between pages."""
        after = 0
        while True:
            page = self._story_page(since, after)
            yield from page
            if len(page) < self.PAGE:
                return
            after = page[-1][0]

    PAGE: ClassVar[int] = 5000

    @_unavailable
    def _story_page(self, since: float, after: int) -> list[tuple[int, bytes]]:
        rows = self._db.execute(
            "SELECT seq, keys FROM stories WHERE arrived >= ? AND keys IS NOT NULL "
            "AND seq > ? ORDER BY seq LIMIT ?",
            (since, after, self.PAGE),
        ).fetchall()
        return [(int(number), bytes(keys)) for number, keys in rows]

    @_unavailable
    def first_story_since(self, since: float) -> int:
        """The number of the oldest story that arrived since `since` (or the next number)."""
        row = self._db.execute(
            "SELECT MIN(seq) FROM stories WHERE arrived >= ?", (since,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else self.next_story_number()

    @_unavailable
    def next_story_number(self) -> int:
        row = self._db.execute("SELECT MAX(seq) FROM stories").fetchone()
        return int(row[0] or 0) + 1

    @_unavailable
    def forget_sketches(self, before: float) -> int:
        """Drop the sketches of stories that arrived before `before`; the stories stay."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE stories SET sketch = NULL, keys = NULL "
                "WHERE arrived < ? AND sketch IS NOT NULL",
                (before,),
            )
            return cur.rowcount

    @_unavailable
    def story_copies(self, story_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """The story's articles and their sightings (the same text again, from another outlet
        or under another name), its first copy first, then by arrival: "also in" lists."""
        rows = self._db.execute(
            "SELECT id, COALESCE(outlet, source), url, COALESCE(archived, path), title, "
            "first_seen, similarity, CASE WHEN id = ? THEN 1 ELSE 0 END, 0 "
            "FROM articles WHERE story_id = ? "
            "UNION ALL SELECT article_id, outlet, url, path, title, seen_at, 1.0, 0, 1 "
            "FROM sightings WHERE story_id = ? "
            "ORDER BY 8 DESC, 6, 1 LIMIT ?",
            (story_id, story_id, story_id, limit),
        ).fetchall()
        return [
            {
                "article_id": str(r[0]),
                "source": r[1],
                "url": r[2],
                "path": r[3],
                "title": r[4],
                "arrived": r[5],
                "similarity": r[6],
                "first": bool(r[7]),  # the story's own first article
                "sighting": bool(r[8]),  # the same text as `article_id`, seen again
            }
            for r in rows
        ]

    @_unavailable
    def stories_since(self, since: str, rule: str | None = None) -> list[StoryRow]:
        """Stories whose first copy arrived at or after `since` (ISO UTC), newest first."""
        rows = self._db.execute(
            "SELECT id, title, path, url, COALESCE(outlet, source), first_seen, archived "
            "FROM articles "
            "WHERE story_id = id AND first_seen >= ? ORDER BY first_seen DESC, id",
            (since,),
        ).fetchall()
        out: list[StoryRow] = []
        for story_id, title, path, url, source, first_seen, archived in rows:
            rules = self._story_rules(str(story_id))
            if rule is not None and rule not in rules:
                continue
            deliveries = [
                {
                    "channel": str(c),
                    "rule": str(r),
                    "status": str(st),
                    "silence": sil,
                    "release_at": rel,
                    "digest": dig,
                }
                for c, r, st, sil, rel, dig in self._db.execute(
                    "SELECT channel, rule, status, silence, release_at, digest FROM outbox "
                    "WHERE article_id = ? ORDER BY channel, rule",
                    (story_id,),
                ).fetchall()
            ]
            out.append(
                StoryRow(
                    id=str(story_id),
                    first_seen=str(first_seen),
                    article={
                        "id": str(story_id),
                        "title": str(title),
                        "path": str(archived or path),
                        "url": url,
                        "source": source,
                    },
                    rules=rules,
                    copies=[c for c in self.story_copies(str(story_id)) if not c["first"]],
                    deliveries=deliveries,
                )
            )
        return out

    def _story_rules(self, story_id: str) -> list[str]:
        """Every rule any copy of the story matched, in the order they first did."""
        found: dict[str, None] = {}
        for (listed,) in self._db.execute(
            "SELECT rules FROM articles WHERE story_id = ? AND rules IS NOT NULL "
            "ORDER BY first_seen",
            (story_id,),
        ):
            for rule in json.loads(listed):
                found.setdefault(str(rule), None)
        return list(found)

    # -- the web page: stories a page at a time, rule activity, filter values -------------------
    # The page must stay fast with 10,000 stories in its window and add nothing to matching:
    # everything is read with the indexes of migration 0008 (SQLite) / 0003 (PostgreSQL), a
    # page's details in a few queries for all its stories at once (not three per story, as
    # `stories_since`), and a rule's matches counted in the database, never by parsing every
    # article's list of rules here.

    PAGE_MAX: ClassVar[int] = 500
    """The most stories one page may ask for (its ids are bound parameters)."""

    def _rule_ids(self, column: str) -> str:
        """A FROM item listing the rule ids in a JSON list column (`articles.rules`), one row
        each as `j.value`: SQLite's `json_each`, PostgreSQL's `jsonb_array_elements_text`."""
        raise NotImplementedError

    @staticmethod
    def _story_span(f: StoryFilter) -> tuple[list[str], list[Any]]:
        """WHERE terms on stories (`s`: first articles) that the index `articles_stories`
        answers by itself: being a story, and the time filters."""
        where = ["s.story_id = s.id"]  # as written in the index's WHERE
        args: list[Any] = []
        if f.since is not None:
            where.append("s.first_seen >= ?")
            args.append(f.since)
        if f.until is not None:
            where.append("s.first_seen < ?")
            args.append(f.until)
        return where, args

    def _story_tests(self, f: StoryFilter) -> tuple[list[str], list[Any]]:
        """WHERE terms for the filters asked of each story: rule, channel, source.

        Each is a question asked per story, through an index (`articles_story`: its
        copies, and in SQLite their rules and sources; the outbox's key; `sightings_story`),
        so that a page stops reading once it is full; nothing else is read for it."""
        where: list[str] = []
        args: list[Any] = []
        if f.channel is not None:
            where.append(
                "EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = s.id AND o.channel = ?)"
            )
            args.append(f.channel)
        if f.source is not None:  # its copies include the story's first article
            where.append(
                "(EXISTS (SELECT 1 FROM articles c WHERE c.story_id = s.id "
                "AND COALESCE(c.outlet, c.source) = ?) "
                "OR EXISTS (SELECT 1 FROM sightings g WHERE g.story_id = s.id AND g.outlet = ?))"
            )
            args += [f.source, f.source]
        if f.rule is not None:
            # The LIKE finds the lists whose text holds the id as stored (its JSON string,
            # wildcards escaped), cheaply; the elements compared whole decide (SQLite's
            # LIKE ignores case, and a text match is not an element).
            where.append(
                f"EXISTS (SELECT 1 FROM articles c, {self._rule_ids('c.rules')} "
                "WHERE c.story_id = s.id AND c.rules LIKE ? ESCAPE '!' AND j.value = ?)"
            )
            args += [f"%{_like(json.dumps(f.rule))}%", f.rule]
        return where, args

    @_unavailable
    def stories_page(
        self,
        filter: StoryFilter,
        limit: int = 50,
        before: StoryCursor | None = None,
        copies: int = 10,
    ) -> StoriesPage:
        """Up to `limit` stories that pass `filter`, newest first (by when their first copy
        arrived, then by id), after `before` (the previous page's `next`), each with its
        rules, its first `copies` copies ("also in", by arrival; `more_copies` counts the
        others), its deliveries and the excerpt and hits one of its alerts quoted (a story
        message's, else a rule record's). Keyset paging: a story is never shown twice nor
        skipped, whatever arrives meanwhile (new stories are newer than every cursor)."""
        if not self.has("stories"):  # a database from before stories has none
            return StoriesPage([], None)
        limit = max(1, min(limit, self.PAGE_MAX))
        span, span_args = self._story_span(filter)
        tests, test_args = self._story_tests(filter)
        rows: list[Any] = []
        # With per-story filters, the stories are read a slice at a time (`SLICE` stories,
        # or a page if more, then 4 times as many each time), each slice filtered in one
        # query: a page stops reading once it is full, and how it reads cannot depend on
        # the planner's guess of how many stories pass (PostgreSQL keeps no statistics on
        # `story_id = id`, and read the whole table for a common rule's first page).
        sizes = (max(limit + 1, self.SLICE) * 4**i for i in itertools.count())
        for terms, args in self._slices(span, span_args, before, sizes if tests else None):
            rows += self._db.execute(
                "SELECT s.id, s.first_seen, s.title, COALESCE(s.archived, s.path), s.url, "
                "COALESCE(s.outlet, s.source) FROM articles s "
                f"WHERE {' AND '.join(span + terms + tests)} "
                "ORDER BY s.first_seen DESC, s.id LIMIT ?",
                [*span_args, *args, *test_args, limit + 1 - len(rows)],
            ).fetchall()
            if len(rows) > limit:
                break
        more = len(rows) > limit
        rows = rows[:limit]
        ids = [str(r[0]) for r in rows]
        rules = self._rules_of(ids)
        listed, extra = self._copies_of(ids, max(0, copies))
        deliveries = self._deliveries_of(ids)
        quoted = self._quotes_of(ids)
        stories = [
            StoryRow(
                id=story,
                first_seen=str(first_seen),
                article={
                    "id": story,
                    "title": str(title),
                    "path": str(path),
                    "url": url,
                    "source": source,
                },
                rules=rules.get(story, []),
                copies=listed.get(story, []),
                deliveries=deliveries.get(story, []),
                excerpt=quoted.get(story, (None, []))[0],
                hits=quoted.get(story, (None, []))[1],
                more_copies=extra.get(story, 0),
            )
            for (story, (_, first_seen, title, path, url, source)) in zip(ids, rows, strict=True)
        ]
        last = stories[-1] if more else None
        return StoriesPage(stories, (last.first_seen, last.id) if last else None)

    @_unavailable
    def stories_count(self, filter: StoryFilter) -> int:
        """How many stories pass `filter` (the page's "N stories")."""
        if not self.has("stories"):
            return 0
        span, span_args = self._story_span(filter)
        tests, test_args = self._story_tests(filter)
        sizes = itertools.repeat(self.COUNT_SLICE) if tests else None
        total = 0
        for terms, args in self._slices(span, span_args, None, sizes):
            row = self._db.execute(
                f"SELECT COUNT(*) FROM articles s WHERE {' AND '.join(span + terms + tests)}",
                [*span_args, *args, *test_args],
            ).fetchone()
            total += int(row[0])
        return total

    SLICE: ClassVar[int] = 200
    """Stories in the first slice a filtered page reads (see `stories_page`)."""
    COUNT_SLICE: ClassVar[int] = 5000
    """Stories per query when counting with per-story filters (see `stories_page`)."""

    def _slices(
        self,
        span: list[str],
        span_args: list[Any],
        after: StoryCursor | None,
        sizes: Iterator[int] | None,
    ) -> Iterator[tuple[list[str], list[Any]]]:
        """WHERE terms (and values) for consecutive slices of the stories in `span` after
        `after`, in the page's order, of `sizes` stories each (by the index alone: one
        query finds where a slice ends); None: all of them at once."""
        while True:
            terms, args = self._after(after)
            size = next(sizes) if sizes is not None else 0
            row = None
            if size:
                row = self._db.execute(
                    f"SELECT s.first_seen, s.id FROM articles s "
                    f"WHERE {' AND '.join(span + terms)} "
                    "ORDER BY s.first_seen DESC, s.id LIMIT 1 OFFSET ?",
                    [*span_args, *args, size - 1],
                ).fetchone()
            if row is None:
                yield terms, args
                return
            end = (str(row[0]), str(row[1]))
            yield (
                [*terms, "s.first_seen >= ? AND (s.first_seen > ? OR s.id <= ?)"],
                [*args, end[0], end[0], end[1]],
            )
            after = end

    @staticmethod
    def _after(cursor: StoryCursor | None) -> tuple[list[str], list[Any]]:
        """The WHERE term for the stories after `cursor` in the page's order (the index
        range is `first_seen <= ?`; ties on first_seen go on by id)."""
        if cursor is None:
            return [], []
        return ["s.first_seen <= ? AND (s.first_seen < ? OR s.id > ?)"], [
            cursor[0],
            cursor[0],
            cursor[1],
        ]

    @staticmethod
    def _marks(ids: Sequence[str]) -> str:
        return ",".join("?" * len(ids))

    def _rules_of(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """Per story, every rule any copy matched, in the order they first did."""
        if not ids:
            return {}
        # One row per distinct list: a story's copies mostly matched the same rules.
        rows = self._db.execute(
            "SELECT story_id, rules, MIN(first_seen) FROM articles "
            f"WHERE story_id IN ({self._marks(ids)}) AND rules IS NOT NULL "
            "GROUP BY story_id, rules",
            ids,
        ).fetchall()
        found: dict[str, dict[str, None]] = {}
        for story, listed, _ in sorted(rows, key=lambda r: (str(r[0]), str(r[2]), str(r[1]))):
            into = found.setdefault(str(story), {})
            with contextlib.suppress(ValueError, TypeError):
                for rule in json.loads(listed):
                    into.setdefault(str(rule), None)
        return {story: list(rules) for story, rules in found.items()}

    def _copies_of(
        self, ids: Sequence[str], limit: int
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
        """Per story, its first `limit` copies and sightings by arrival (as `story_copies`
        gives them, the story's first article left out), and how many more there are."""
        if not ids:
            return {}, {}
        marks = self._marks(ids)
        # `name` orders the same on both backends (a COALESCE of two collations would not).
        rows = self._db.execute(
            "SELECT story_id, article_id, source, url, shown, title, arrived, similarity, "
            "sighting, total FROM (SELECT x.*, ROW_NUMBER() OVER (PARTITION BY story_id "
            "ORDER BY arrived, sighting, article_id, name) AS n, "
            "COUNT(*) OVER (PARTITION BY story_id) AS total FROM ("
            "SELECT story_id, id AS article_id, COALESCE(outlet, source) AS source, url, "
            "COALESCE(archived, path) AS shown, path AS name, title, first_seen AS arrived, "
            f"similarity, 0 AS sighting FROM articles WHERE story_id IN ({marks}) "
            "AND id <> story_id UNION ALL SELECT story_id, article_id, outlet, url, path, path, "
            f"title, seen_at, 1.0, 1 FROM sightings WHERE story_id IN ({marks})) AS x) AS y "
            "WHERE n <= ? ORDER BY story_id, n",
            [*ids, *ids, limit],
        ).fetchall()
        listed: dict[str, list[dict[str, Any]]] = {}
        extra: dict[str, int] = {}
        for story, article, source, url, path, title, arrived, similarity, sighting, total in rows:
            listed.setdefault(str(story), []).append(
                {
                    "article_id": str(article),
                    "source": source,
                    "url": url,
                    "path": path,
                    "title": title,
                    "arrived": arrived,
                    "similarity": similarity,
                    "first": False,
                    "sighting": bool(sighting),
                }
            )
            extra[str(story)] = int(total) - len(listed[str(story)])
        if limit == 0:  # none listed, but the page may say how many there are
            for story, n in self._db.execute(
                "SELECT story_id, COUNT(*) FROM (SELECT story_id FROM articles "
                f"WHERE story_id IN ({marks}) AND id <> story_id UNION ALL SELECT story_id "
                f"FROM sightings WHERE story_id IN ({marks})) AS x GROUP BY story_id",
                [*ids, *ids],
            ).fetchall():
                extra[str(story)] = int(n)
        return listed, extra

    def _deliveries_of(self, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Per story, what became of each of its alerts (as `stories_since` lists them)."""
        if not ids:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for story, channel, rule, status, silence, release_at, digest in self._db.execute(
            "SELECT article_id, channel, rule, status, silence, release_at, digest FROM outbox "
            f"WHERE article_id IN ({self._marks(ids)}) ORDER BY article_id, channel, rule",
            ids,
        ).fetchall():
            out.setdefault(str(story), []).append(
                {
                    "channel": str(channel),
                    "rule": str(rule),
                    "status": str(status),
                    "silence": silence,
                    "release_at": release_at,
                    "digest": digest,
                }
            )
        return out

    _PREFERRED = "CASE WHEN kind = 'story' THEN 0 ELSE 1 END, seq"
    """The alert whose excerpt a story shows: its first story message, else rule record."""

    def _quotes_of(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
        """Per story, the excerpt and hits of its first alert that has an excerpt."""
        if not ids:
            return {}
        marks = self._marks(ids)
        # One payload per story (a few KB each): its preferred alert's, chosen by number.
        rows = self._db.execute(
            "SELECT article_id, payload FROM outbox WHERE seq IN (SELECT seq FROM ("
            f"SELECT seq, ROW_NUMBER() OVER (PARTITION BY article_id ORDER BY {self._PREFERRED}) "
            f"AS n FROM outbox WHERE article_id IN ({marks}) AND kind IN ('story', 'rule')) "
            "AS x WHERE n = 1)",
            ids,
        ).fetchall()
        out = {str(story): alert_excerpt(payload) for story, payload in rows}
        lacking = [story for story, (excerpt, _) in out.items() if excerpt is None]
        if lacking:  # its first alert quoted nothing (hits in no field): any other that did
            for story, payload in self._db.execute(
                "SELECT article_id, payload FROM outbox "
                f"WHERE article_id IN ({self._marks(lacking)}) AND kind IN ('story', 'rule') "
                f"ORDER BY article_id, {self._PREFERRED}",
                lacking,
            ).fetchall():
                if out[str(story)][0] is None:
                    out[str(story)] = alert_excerpt(payload)
        return out

    @_unavailable
    def story_sources(self, since: str | None = None) -> list[str]:
        """Every source of the stories whose first copy arrived since `since` (ISO UTC; None:
        ever), sorted: what the source filter can be set to (a copy's outlet, else the
        monitor's source, and a sighting's outlet, as "also in" names them)."""
        if not self.has("stories"):
            return []
        rows = self._db.execute(
            "SELECT DISTINCT COALESCE(c.outlet, c.source) FROM articles s "
            "JOIN articles c ON c.story_id = s.id WHERE s.story_id = s.id AND s.first_seen >= ? "
            "UNION SELECT DISTINCT g.outlet FROM articles s JOIN sightings g ON g.story_id = s.id "
            "WHERE s.story_id = s.id AND s.first_seen >= ?",
            (since or "", since or ""),
        ).fetchall()
        return sorted({str(r[0]) for r in rows if r[0] is not None})

    @_unavailable
    def outbox_channels(self) -> list[str]:
        """Every channel with an alert in the outbox, in any state: the channel filter's
        values (one index seek per channel, not a scan of the outbox)."""
        rows = self._db.execute(
            "WITH RECURSIVE found (channel) AS (SELECT MIN(channel) FROM outbox UNION ALL "
            "SELECT (SELECT MIN(o.channel) FROM outbox o WHERE o.channel > found.channel) "
            "FROM found WHERE found.channel IS NOT NULL) "
            "SELECT channel FROM found WHERE channel IS NOT NULL"
        ).fetchall()
        return [str(r[0]) for r in rows]

    @_unavailable
    def rule_activity(self, since_day: str, days: int) -> RuleActivity:
        """What each rule matched among the stories whose first copy arrived in the `days`
        UTC days from `since_day` (`YYYY-MM-DD`): per day, the stories it matched (any copy
        of them) and their copies it matched, and its newest match; counted in the
        database, never by reading every article's list of rules here. ValueError for a
        day that is not one, or a number of days outside 1-366 (one query per day).

        A story counts on the day its first copy arrived, so a rule's days add up to its
        stories in the period, the stories page shows the same stories for that rule and
        time, and `RuleActivity.stories` (every story of the period) is what its share is
        of. One query per day (bench/web_queries.py): SQLite groups by sorting, not with a
        hash table, and 14 small sorts took less time than one large one."""
        if not 1 <= days <= 366:
            raise ValueError(f"days must be from 1 to 366, not {days}")
        first = date.fromisoformat(since_day)
        names = [(first + timedelta(days=i)).isoformat() for i in range(days + 1)]
        bounds = [f"{day}T00:00:00Z" for day in names]
        names.pop()
        if not self.has("stories"):
            return RuleActivity(names, 0, [])
        stories: dict[str, list[int]] = {}
        matches: dict[str, list[int]] = {}
        last: dict[str, str] = {}
        for i in range(days):
            for rule, n, copies, newest in self._db.execute(
                "SELECT j.value, COUNT(DISTINCT s.id), COUNT(*), MAX(c.first_seen) "
                f"FROM articles s JOIN articles c ON c.story_id = s.id, "
                f"{self._rule_ids('c.rules')} WHERE s.story_id = s.id AND s.first_seen >= ? "
                "AND s.first_seen < ? AND c.rules IS NOT NULL GROUP BY j.value",
                (bounds[i], bounds[i + 1]),
            ).fetchall():
                key = str(rule)
                stories.setdefault(key, [0] * days)[i] = int(n)
                matches.setdefault(key, [0] * days)[i] = int(copies)
                last[key] = max(last.get(key, ""), str(newest))
        row = self._db.execute(
            "SELECT COUNT(*) FROM articles s WHERE s.story_id = s.id AND s.first_seen >= ? "
            "AND s.first_seen < ?",
            (bounds[0], bounds[-1]),
        ).fetchone()
        rules = [
            RuleDays(
                rule=rule,
                stories_per_day=per_day,
                stories=sum(per_day),
                matches_per_day=matches[rule],
                matches=sum(matches[rule]),
                last_match=last[rule],
            )
            for rule, per_day in stories.items()
        ]
        rules.sort(key=lambda r: (-r.stories, -r.matches, r.rule))
        return RuleActivity(names, int(row[0]), rules)

    @_unavailable
    def outbox_depth(self) -> dict[str, dict[str, int]]:
        """Per channel with alerts waiting, held for a digest or dead: how many of each
        (every key there, 0 if none). Delivered alerts are not read."""
        out: dict[str, dict[str, int]] = {}
        for channel, status, n in self._db.execute(
            "SELECT channel, status, COUNT(*) FROM outbox "
            "WHERE status IN ('pending', 'held', 'dead') GROUP BY channel, status"
        ).fetchall():
            out.setdefault(str(channel), dict.fromkeys(("pending", "held", "dead"), 0))[
                str(status)
            ] = int(n)
        return out

    # -- the flood guard: stories alerted per rule ---------------------------------------------
    @_unavailable
    def story_rule(self, story_id: str, rule: str) -> str | None:
        """How the rule alerted on the story (`alerted` or `suppressed`), or None if not yet."""
        row = self._db.execute(
            "SELECT status FROM story_rules WHERE story_id = ? AND rule = ?", (story_id, rule)
        ).fetchone()
        return None if row is None else str(row[0])

    @_unavailable
    def add_story_rule(self, story_id: str, rule: str, article_id: str, status: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO story_rules (story_id, rule, article_id, status, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (story_id, rule, article_id, status, utc_now()),
            )

    @_unavailable
    def alerted_stories(self, rule: str, since: str) -> int:
        """Stories the rule alerted on (not suppressed) since an ISO UTC time: flood guard."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM story_rules WHERE rule = ? AND created_at >= ? "
            "AND status = 'alerted'",
            (rule, since),
        ).fetchone()
        return int(row[0])

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
                "INSERT INTO items (source, key, fingerprint, article_id, seen_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET "
                "fingerprint = excluded.fingerprint, article_id = excluded.article_id, "
                "seen_at = excluded.seen_at",
                (source, key, fingerprint, article_id, utc_now()),
            )

    @_unavailable
    def new_items(self, source: str, items: Sequence[tuple[str, str]]) -> list[int]:
        """The positions in `items` ((key, fingerprint) pairs) of versions not yet handled:
        a feed poll's entries, looked up together instead of one query per entry."""
        fresh: list[int] = []
        for start in range(0, len(items), 400):  # under SQLite's 999 bound parameters
            chunk = items[start : start + 400]
            marks = ",".join("?" * len(chunk))
            known = {
                (key, fp)
                for key, fp in self._db.execute(
                    f"SELECT key, fingerprint FROM items WHERE source = ? AND key IN ({marks})",
                    (source, *(key for key, _ in chunk)),
                )
            }
            fresh += [start + i for i, pair in enumerate(chunk) if pair not in known]
        return fresh

    @_unavailable
    def remember_items(self, source: str, items: Sequence[tuple[str, str]]) -> None:
        """Mark versions handled without an article: a feed's entries before its first poll
        (`backfill = false`). A version already recorded keeps its article."""
        now = utc_now()
        with self._tx() as db:
            db.executemany(
                "INSERT INTO items (source, key, fingerprint, article_id, seen_at) "
                "VALUES (?, ?, ?, NULL, ?) ON CONFLICT (source, key) DO UPDATE SET "
                "fingerprint = excluded.fingerprint, seen_at = excluded.seen_at "
                "WHERE items.fingerprint != excluded.fingerprint",
                [(source, key, fp, now) for key, fp in items],
            )

    @_unavailable
    def item_counts(self) -> dict[str, int]:
        """Items remembered per source: a feed's entries seen."""
        if not self.has("items"):  # read by `monitor sources` without migrating
            return {}
        return dict(self._db.execute("SELECT source, COUNT(*) FROM items GROUP BY source"))

    @_unavailable
    def add_term_counts(
        self, counts: Mapping[str, int], articles: int, patterns: Iterable[str] = ()
    ) -> bool:
        """Add what scanning `articles` articles saw (articles per pattern), in one
        transaction; past `TERM_COUNTS_HALVED_AT` articles every count is halved first.

        `patterns` are the patterns those articles were searched for that have no row yet
        (the whole automaton, once per rule set): each gets one, counted from these
        articles on, so that one never seen is known to be rare rather than never counted.
        A pattern first seen here is counted from these articles on too. True if the counts
        were halved: the rows of patterns never seen are gone then, to be given again."""
        if articles <= 0:
            return False
        halved = False
        with self._tx() as db:
            self._lock_named(db, "term_counts")  # nodes of a cluster: one halving, not two
            row = db.execute("SELECT articles FROM term_counts WHERE pattern = ''").fetchone()
            total = row[0] if row is not None and type(row[0]) is int else 0  # see term_counts
            if total + articles > TERM_COUNTS_HALVED_AT:
                db.execute("UPDATE term_counts SET articles = articles / 2, since = since / 2")
                db.execute("DELETE FROM term_counts WHERE articles = 0")
                total //= 2
                halved = True
            db.executemany(
                "INSERT INTO term_counts (pattern, articles, since) VALUES (?, 0, ?) "
                "ON CONFLICT (pattern) DO NOTHING",
                ((key, total) for key in patterns if key),
            )
            db.executemany(
                "INSERT INTO term_counts (pattern, articles, since) VALUES (?, ?, ?) "
                "ON CONFLICT (pattern) DO UPDATE SET "
                "articles = term_counts.articles + excluded.articles",
                [
                    ("", articles, 0),
                    *((key, n, total) for key, n in counts.items() if key and n > 0),
                ],
            )
        return halved

    @_unavailable
    def term_counts(self) -> TermCounts:
        """The articles counted, and per pattern counted: in how many it occurred, and how
        many it was counted in (those since it was first counted).

        SQLite keeps whatever a row was given (text, a fraction, a negative number, put
        there by hand or by a bad copy); such a row is left out and counted in `skipped`,
        and without a usable total (the '' row) no row is used."""
        if not self.has("term_counts"):  # `monitor check --stats` on one not migrated
            return TermCounts()
        since = "since" if self.has("term_counts.since") else "0"
        rows = self._db.execute(f"SELECT pattern, articles, {since} FROM term_counts").fetchall()
        total = next((n for pattern, n, _ in rows if pattern == ""), 0)
        if type(total) is not int or total < 0:
            return TermCounts(skipped=len(rows))
        counts: dict[str, int] = {}
        counted: dict[str, int] = {}
        for pattern, n, first in rows:
            if (
                type(pattern) is str
                and pattern
                and type(n) is int
                and type(first) is int
                and 0 <= first <= total
                and 0 <= n <= total - first
            ):
                counts[pattern] = n
                counted[pattern] = total - first
        patterns = sum(1 for pattern, _, _ in rows if pattern != "")
        return TermCounts(total, counts, patterns - len(counts), counted)

    @_unavailable
    def source_states(self) -> dict[str, SourceState]:
        if not self.has("source_state"):  # `monitor sources` on one it must not migrate
            return {}
        rows = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM source_state").fetchall()
        states = [SourceState(*row) for row in rows]
        for state in states:
            state.primed = bool(state.primed)  # stored as 0/1
        return {state.source: state for state in states}

    @_unavailable
    def save_source_states(self, states: Sequence[SourceState]) -> None:
        """Save polled sources' states, all in one transaction (one commit per loop turn)."""
        marks = ",".join("?" * len(_SOURCE_FIELDS))
        with self._tx() as db:
            db.executemany(
                f"INSERT INTO source_state ({_SOURCE_COLUMNS}) VALUES ({marks}) "
                f"ON CONFLICT (source) DO UPDATE SET {_SOURCE_UPDATE}",
                [_source_row(state) for state in states],
            )

    @_unavailable
    def due(self, channel: str, now: float, limit: int = 100) -> list[OutboxRow]:
        """A channel's pending alerts whose next attempt time has come, in queue order.

        The batch's numbers are chosen from the index `outbox_channel_queue` alone (channel,
        status, seq, next_at: queue order, stopping at the batch's end), then its rows read.
        Asked for the whole rows at once, SQLite preferred `outbox_due` and sorted every
        pending alert of every channel: 8-12 ms a call with a backlog of 100,000.
        """
        rows = self._db.execute(
            f"SELECT {self._row_columns} FROM outbox WHERE seq IN ("
            "SELECT seq FROM outbox WHERE status = 'pending' AND channel = ? AND next_at <= ? "
            "ORDER BY seq LIMIT ?) ORDER BY seq",
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
            f"SELECT {self._row_columns} "
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
            kind=r[9],
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

    # A row is marked only while pending: in a cluster, a node that was taken for dead may
    # report on a row another node has delivered since.
    @_unavailable
    def mark_retry(self, seqs: Sequence[int], next_at: float, error: str) -> None:
        """Schedule alerts for another attempt; one `next_at` for all keeps their order."""
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?, "
                "last_error = ? WHERE seq = ? AND status = 'pending'",
                [(next_at, error, seq) for seq in seqs],
            )

    @_unavailable
    def mark_dead(self, seqs: Sequence[int], error: str) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE outbox SET status = 'dead', attempts = attempts + 1, "
                "last_error = ? WHERE seq = ? AND status = 'pending'",
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

    # silences
    _SILENCE_COLUMNS = "id, rule, query, channel, until, comment, created_at, expired_at"

    @_unavailable
    def add_silence(self, silence: Silence) -> None:
        """Store a new silence; its id must be new (the primary key refuses a duplicate)."""
        with self._tx() as db:
            db.execute(
                f"INSERT INTO silences ({self._SILENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    silence.id,
                    silence.rule,
                    silence.query,
                    silence.channel,
                    silence.until,
                    silence.comment,
                    silence.created_at or utc_now(),
                    silence.expired_at,
                ),
            )

    @_unavailable
    def silences(self, include_expired: bool = False, now: float | None = None) -> list[Silence]:
        """The silences in force at `now` (default: the current time), soonest to end first;
        with `include_expired`, every silence ever added, those over after those in force."""
        moment = time.time() if now is None else now
        rows = self._db.execute(
            f"SELECT {self._SILENCE_COLUMNS} FROM silences "
            "WHERE ? OR (expired_at IS NULL AND until > ?) "
            "ORDER BY (expired_at IS NULL AND until > ?) DESC, until, created_at, id",
            (include_expired, moment, moment),
        ).fetchall()
        return [Silence(*row) for row in rows]

    @_unavailable
    def expire_silence(self, silence_id: str, now: float | None = None) -> bool:
        """End a silence now; False if there is no such silence or it is already over."""
        moment = time.time() if now is None else now
        with self._tx() as db:
            cur = db.execute(
                "UPDATE silences SET expired_at = ? "
                "WHERE id = ? AND expired_at IS NULL AND until > ?",
                (utc_now(), silence_id, moment),
            )
            return cur.rowcount == 1

    @_unavailable
    def silences_stamp(self) -> tuple[int, str, int]:
        """Changes whenever a silence is added or expired (rows are never deleted): the
        daemon reads it every second and reloads the silences only when it moved."""
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(MAX(created_at), ''), COUNT(expired_at) FROM silences"
        ).fetchone()
        return int(row[0]), str(row[1]), int(row[2])

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
            self._lock_named(db, f"digest:{channel}")  # nodes of a cluster: one at a time
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
                        "INSERT INTO outbox (article_id, rule, channel, payload, "
                        "status, next_at, created_at, kind) "
                        "VALUES (?, '', ?, ?, 'pending', ?, ?, 'digest') ON CONFLICT DO NOTHING",
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
