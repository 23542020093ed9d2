"""Silences: "send nothing for this rule (or these articles) on this channel until then".

An editor who already knows about a story, or a rule that is noisy during an event, needs to
stop alerts for a while without editing rule files or restarting the daemon. A silence names
either a rule id or a Boolean query (the rules' query language), optionally one channel, and
an end time. Silenced matches are still recorded (the pipeline marks them `silenced`), so they
are counted and never sent later, even once the silence is over.

Silences live in the state database (`Store.add_silence` and friends); `SilenceWatch` polls
the database's cheap `silences_stamp()` at most once a second and rebuilds the
`ActiveSilences` it hands out only when something changed, so a new silence applies within
about a second, without a restart. This module holds no database code: it only needs the two
store methods named in `SilenceSource`, which also keeps `monitor.state` free to import the
`Silence` value from here.
"""

from __future__ import annotations

import difflib
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from monitor.articles.model import Article
from monitor.engine import Engine
from monitor.errors import QueryError, RuleError
from monitor.gazetteer import EntityCatalog, load_builtin
from monitor.gazetteer.model import Entity
from monitor.matching import Matcher
from monitor.rules import messages
from monitor.rules import query as q
from monitor.rules.model import Rule, RuleSet
from monitor.textsafe import printable, shorten

log = logging.getLogger("monitor.silences")

POLL_SECONDS = 1.0
"""How often `SilenceWatch` asks the database whether silences changed: the issue promises a
new silence applies within 2 s, and one indexed COUNT per second costs nothing."""


def iso_utc(epoch: float) -> str:
    """`epoch` as ISO-8601 UTC text with second precision, as `2026-11-30T22:00:00Z`."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """A short id for a silence: 12 hex digits of a random UUID (2^48 values; silences number
    in the thousands at most, so a collision is not a practical concern, and the primary key
    would refuse one rather than overwrite)."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, slots=True)
class Silence:
    """One silence as stored: a `rule` id or a `query` (exactly one), optionally a channel.

    `until` is seconds since the epoch; `created_at` and `expired_at` are ISO UTC text, like
    every other timestamp in the state database. `expired_at` is set by `monitor silence
    expire`; a silence past `until` is over as well, without anyone touching it.
    """

    id: str
    rule: str | None
    query: str | None
    channel: str | None
    until: float
    comment: str = ""
    created_at: str = ""
    expired_at: str | None = None

    @classmethod
    def create(
        cls,
        *,
        rule: str | None = None,
        query: str | None = None,
        channel: str | None = None,
        seconds: float,
        comment: str = "",
        now: float | None = None,
    ) -> Silence:
        """A new silence lasting `seconds` from `now` (default: the current time)."""
        if (rule is None) == (query is None):
            raise ValueError("a silence names exactly one of a rule or a query")
        start = time.time() if now is None else now
        return cls(
            id=new_id(),
            rule=rule,
            query=query,
            channel=channel,
            until=start + seconds,
            comment=comment,
            created_at=iso_utc(start),
        )

    def active(self, now: float) -> bool:
        """Whether the silence still applies at `now`: not expired by hand, not past `until`."""
        return self.expired_at is None and self.until > now

    @property
    def what(self) -> str:
        """What it silences, for people: `rule ID` or `query TEXT`."""
        return f"rule {self.rule}" if self.rule is not None else f"query {self.query}"

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        """The contract's fields (`id`, `rule`, `query`, `channel`, `until`, `comment`) and
        `created_at` and `expired` (whether it is over, by hand or by time)."""
        moment = time.time() if now is None else now
        return {
            "id": self.id,
            "rule": self.rule,
            "query": self.query,
            "channel": self.channel,
            "until": iso_utc(self.until),
            "comment": self.comment,
            "created_at": self.created_at,
            "expired": not self.active(moment),
        }


class SilenceSource(Protocol):
    """The part of `monitor.state.Store` silences are read through."""

    def silences(
        self, include_expired: bool = False, now: float | None = None
    ) -> list[Silence]: ...

    def silences_stamp(self) -> tuple[Any, ...]: ...


# -- compiling queries -------------------------------------------------------------------------
def _catalog(engine: Engine) -> EntityCatalog:
    """The entities a query silence may name: the built-in ones and the user's own that the
    loaded rules use (the engine keeps no other user entity)."""
    return EntityCatalog(e for e in engine.ruleset.entities.values() if e.kind == "custom")


def _resolve(ast: q.QueryNode, engine: Engine, catalog: EntityCatalog) -> dict[str, Entity]:
    """Every `entity:NAME` of the query resolved as the rules resolve them; QueryError (with
    the name's column and a suggestion) for one that is unknown or ambiguous."""
    resolved: dict[str, Entity] = {}
    for reference in q.entities(ast):
        entity = engine.ruleset.entities.get(reference.name) or catalog.resolve(reference.name)
        if entity is None:
            raise QueryError(messages.unknown_entity(reference.name, catalog), reference.column)
        resolved[reference.name] = entity
    return resolved


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    ast: q.QueryNode
    entities: dict[str, Entity] = field(default_factory=dict)


def _compile_query(
    rule_id: str, text: str, engine: Engine, catalog: EntityCatalog | None = None
) -> _Compiled:
    """A query as a synthetic rule with only `query`, checked the way the matcher will use
    it; QueryError or RuleError (ValueError for what the matcher refuses) says why not."""
    ast = q.parse_query(text)
    entities = _resolve(ast, engine, catalog or _catalog(engine))
    compiled = _Compiled(Rule(id=rule_id, query=text), ast, entities)
    # No blockers: compiling one rule alone is cheap and finds a keyword the matcher refuses.
    Matcher(RuleSet(rules=(compiled.rule,), entities=entities, queries={rule_id: ast}))
    return compiled


def query_problem(text: str, engine: Engine) -> str | None:
    """Why `text` cannot be a query silence (`column N: message`, as rule files report query
    errors), or None when it parses, its entities resolve and it compiles."""
    try:
        _compile_query("silence", text, engine)
    except (RuleError, ValueError) as exc:  # QueryError is both
        return str(exc)
    return None


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to `name`, if any is close enough (for "did you mean")."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return close[0] if close else None


MAX_COMMENT = 2000
"""Characters of a silence's comment: a sentence or two for the others, not a document."""


class SilenceProblem(ValueError):
    """Why a silence cannot be added; `field` is what to fix: `rule`, `query`, `channel`,
    `duration` or `comment` (the CLI shows it as the option, the page next to the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def checked_silence(
    *,
    rule: str | None,
    query: str | None,
    channel: str | None,
    duration: str,
    comment: str,
    channels: Iterable[str],
    engine: Callable[[], Engine],
) -> Silence:
    """A new silence, checked as `monitor silence add` and the page both check it before
    anything is stored: a silence on a misspelled rule or channel would silence nothing while
    the editor believes the noise is handled. `engine` is called only when needed (the CLI
    loads the rules for it). `SilenceProblem` says what is wrong."""
    from monitor.durations import parse_duration

    if (rule is None) == (query is None):
        raise SilenceProblem("rule", "name a rule or a query to silence (one of them)")
    try:
        seconds = parse_duration(duration)
    except ValueError as exc:
        raise SilenceProblem("duration", str(exc)) from None
    known = sorted(channels)
    if channel is not None and channel not in known:
        raise SilenceProblem(
            "channel",
            f"no channel `{channel}` is configured (configured: {', '.join(known) or 'none'})",
        )
    if len(comment) > MAX_COMMENT:
        raise SilenceProblem("comment", f"keep the comment under {MAX_COMMENT} characters")
    loaded = engine()
    if rule is not None and rule not in loaded.rules:
        close = nearest(rule, loaded.rules)
        hint = f"did you mean `{close}`?" if close else f"loaded: {', '.join(sorted(loaded.rules))}"
        raise SilenceProblem("rule", f"no rule `{rule}` is loaded; {hint}")
    if query is not None:
        problem = query_problem(query, loaded)
        if problem is not None:
            raise SilenceProblem("query", problem)
    return Silence.create(rule=rule, query=query, channel=channel, seconds=seconds, comment=comment)


# -- applying silences -------------------------------------------------------------------------
class SilenceCheck:
    """The silences that apply to one article: ask per (rule, channel) with `silenced`."""

    __slots__ = ("_by_rule", "_matched", "_now")

    def __init__(
        self, by_rule: dict[str, list[Silence]], matched: Sequence[Silence], now: float
    ) -> None:
        self._by_rule = by_rule
        self._matched = matched
        self._now = now

    def silenced(self, rule_id: str, channel: str) -> str | None:
        """The id of a silence covering this rule's alert on `channel`, or None.

        A rule silence covers its rule; a query silence whose query holds for the article
        covers every rule. A silence without a channel covers every channel.
        """
        for group in (self._by_rule.get(rule_id, ()), self._matched):
            for silence in group:
                if silence.channel in (None, channel) and silence.active(self._now):
                    return silence.id
        return None

    def __bool__(self) -> bool:
        """False when nothing can be silenced for this article (callers may skip asking)."""
        return bool(self._by_rule or self._matched)


class ActiveSilences:
    """The silences in force, compiled against one engine (rule set and entities).

    Rule silences are a dict lookup. Query silences are compiled together, each as a rule
    with only its `query`, into one `Matcher` built like the engine's (the built-in gazetteer
    as blockers, so "North Korea" does not count as "Korea" here either): one extra match pass
    per article, and only while a query silence exists. A query that no longer compiles (its
    entity was removed from the rules) is logged and skipped: a silence must never stop the
    daemon. Never changes once built, so threads may share one.
    """

    def __init__(
        self, silences: Iterable[Silence], engine: Engine, now: float | None = None
    ) -> None:
        moment = time.time() if now is None else now
        live = sorted((s for s in silences if s.active(moment)), key=lambda s: s.until)
        self.engine = engine
        self.silences: tuple[Silence, ...] = tuple(live)
        self._by_rule: dict[str, list[Silence]] = {}
        for silence in live:
            if silence.rule is not None:
                self._by_rule.setdefault(silence.rule, []).append(silence)
        queried = [s for s in live if s.query is not None]
        self._by_query: dict[str, Silence] = {}
        self._matcher = self._query_matcher(queried, engine) if queried else None

    @property
    def next_end(self) -> float | None:
        """When the first of these silences ends by time (to rebuild without it), or None."""
        return min((s.until for s in self.silences), default=None)

    def _query_matcher(self, queried: list[Silence], engine: Engine) -> Matcher | None:
        catalog = _catalog(engine)
        compiled: list[_Compiled] = []
        for index, silence in enumerate(queried):
            assert silence.query is not None
            rule_id = f"q{index}"
            try:
                compiled.append(_compile_query(rule_id, silence.query, engine, catalog))
            except (RuleError, ValueError) as exc:
                log.warning(
                    "silence %s skipped: its query %s no longer compiles: %s",
                    silence.id,
                    printable(shorten(silence.query)),
                    printable(str(exc)),
                )
                continue
            self._by_query[rule_id] = silence
        if not compiled:
            return None
        entities = dict(engine.ruleset.entities)
        for one in compiled:
            entities.update(one.entities)
        ruleset = RuleSet(
            rules=tuple(c.rule for c in compiled),
            entities=entities,
            queries={c.rule.id: c.ast for c in compiled},
        )
        try:
            return Matcher(ruleset, blockers=load_builtin()).with_prominence(
                engine.matcher.prominence
            )
        except Exception:  # each compiled alone above, so a bug: never stop the daemon for it
            log.exception("query silences skipped: they could not be compiled together")
            self._by_query.clear()
            return None

    def for_article(self, article: Article, now: float | None = None) -> SilenceCheck:
        """What is silenced for `article`: matches its query silences (when there are any)."""
        moment = time.time() if now is None else now
        matched: list[Silence] = []
        if self._matcher is not None:
            matched = [self._by_query[m.rule] for m in self._matcher.match(article)]
        return SilenceCheck(self._by_rule, matched, moment)

    def __bool__(self) -> bool:
        return bool(self.silences)


class SilenceWatch:
    """Hands out the current `ActiveSilences`, rebuilt only when something changed.

    `current(store, engine)` costs nothing between polls; at most every `POLL_SECONDS` it
    reads `store.silences_stamp()` and rebuilds when the stamp moved (a silence added or
    expired), when `engine` is another object (rules reloaded: a query's entity may be gone,
    or back), or when a silence ran out (so its query stops costing a match pass).
    One per thread that asks (it keeps the last answer unlocked); each passes its own store.
    """

    def __init__(self, interval: float = POLL_SECONDS) -> None:
        self.interval = interval
        self._polled = float("-inf")  # time.monotonic(): a wall clock set back must not stop polls
        self._stamp: tuple[Any, ...] | None = None
        self._active: ActiveSilences | None = None

    def current(
        self, store: SilenceSource, engine: Engine, now: float | None = None
    ) -> ActiveSilences:
        """The silences in force for `engine`; StoreUnavailable from `store` propagates (the
        caller backs off as for any other database failure)."""
        moment = time.time() if now is None else now
        active = self._active
        stale = (
            active is None
            or active.engine is not engine
            or (active.next_end is not None and active.next_end <= moment)
        )
        tick = time.monotonic()
        if not stale and tick - self._polled < self.interval:
            assert active is not None
            return active
        self._polled = tick
        stamp = store.silences_stamp()
        if stale or stamp != self._stamp or active is None:
            active = ActiveSilences(store.silences(now=moment), engine, moment)
            self._active, self._stamp = active, stamp
        return active
