"""The state interface the pipeline, the dispatcher and the CLI use, whatever the backend.

Three kinds of state, one transaction boundary: the articles seen, the items each source has
handled (an inbox file, later a feed entry), and the alert outbox. `record_article` writes an
article and queues its alerts in one transaction, so a crash loses all of it or none; the
unique (article, rule, channel) key is what makes "each alert at most once, ever" hold across
restarts and across copies of a story under other names.

A backend raises `StoreUnavailable` for a failure that may pass (the database busy or
unreachable): callers back off and try again. Each thread opens its own store.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from monitor.errors import StoreError
from monitor.silences import Silence


class StoreUnavailable(StoreError):
    """The database failed in a way that may pass (locked past the timeout, I/O error)."""


@dataclass(frozen=True, slots=True)
class QueuedAlert:
    """One alert to queue: the record (without channel and send time) and its channel."""

    rule: str  # "" for a story message (one per story and channel, whatever the rules)
    channel: str
    record: dict[str, Any]
    article_id: str | None = None  # the key's story id; default: the article being recorded
    status: str = "pending"  # or suppressed (flood guard), silenced, held (for a digest)
    kind: str = "rule"  # "rule" (a rule record) or "story" (a story record)
    release_at: float | None = None  # held: when its digest is due
    silence: str | None = None  # silenced: by which silence


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """An alert waiting in the outbox."""

    seq: int
    article_id: str
    rule: str
    channel: str
    payload: str  # the stored record as JSON; the file channel writes it nearly as is
    status: str
    attempts: int
    next_at: float
    last_error: str | None
    kind: str = "rule"  # "rule", "story" (rule is ""), or a kind later issues add

    @property
    def key(self) -> str:
        """What the record must start with: its rule, or for a story message its story."""
        return self.article_id if self.kind == "story" else self.rule

    @property
    def record(self) -> dict[str, Any]:
        """The stored record (without channel and send time), parsed on each call."""
        record: dict[str, Any] = json.loads(self.payload)
        return record


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database's schema stands: its version and the newest this build knows."""

    where: str  # the database, for messages (a path; a URL without its password)
    version: int
    newest: int
    applied: tuple[str, ...] = ()  # migrations applied by the call that returned this


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the store keeps about a matched article beyond its id, path and title: its
    story, its link, the rules it matched, where it went and who published it."""

    story: str | None = None  # the story it was filed under
    url: str | None = None
    rules: Sequence[str] = ()
    similarity: float | None = None  # to its story's first copy, when it is a copy
    archived: str | None = None  # where the file went (`after = "archive"`)
    outlet: str | None = None  # the article's own `source` (a feed's title, ninjs)


@dataclass(frozen=True, slots=True)
class TermCounts:
    """What matching saw, as stored: `articles` articles scanned; per pattern counted, in
    how many it occurred (`counts`) and in how many it was looked for (`counted`: a pattern
    is counted only while a rule has it). A pattern in neither was never counted.

    `skipped` counts the rows left out because they cannot be counts (text, a fraction, a
    negative number or more than `articles`, put there by hand or by a bad copy): the caller
    says so. A bad row must never cost the rules, only its own evidence.
    """

    articles: int = 0
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    skipped: int = 0
    counted: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclass(slots=True)
class SourceState:
    """A polled source's memory between polls (`source_state`): validators, schedule, health.

    Times are ISO-8601 UTC text. `target` is a digest of the URL the validators belong to.
    """

    source: str
    target: str = ""
    etag: str | None = None
    last_modified: str | None = None
    primed: bool = False  # the first poll's entries were taken in
    polls: int = 0
    errors: int = 0  # consecutive
    last_poll: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_success: str | None = None
    last_new: str | None = None
    next_poll: str | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as `monitor stories` lists it: its first article, copies and deliveries.

    The web page's listing (`Store.stories_page`) adds what one of the story's alerts
    quoted: `excerpt` ({text, field, start}: a window of the article's `field`, `start` its
    offset there) and the hits to highlight ({field, start, end}, offsets into the field,
    end exclusive: minus `start` they fall in `text`), and `more_copies`, the copies past
    the ones listed."""

    id: str
    first_seen: str
    article: dict[str, Any]  # id, title, path, url, source of the first copy
    rules: list[str]
    copies: list[dict[str, Any]]  # the other articles: source, url, path, title, arrived, ...
    deliveries: list[dict[str, Any]]  # channel, rule ("" = story message), status, ...
    excerpt: dict[str, Any] | None = None  # text, field, start; None: no alert quoted one
    hits: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # field, start, end
    more_copies: int = 0  # copies not in `copies` (the page lists the first few)


StoryCursor = tuple[str, str]
"""Where a page of stories ended: (first_seen, id) of its last story."""


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories the web page lists; each field left None filters nothing.

    `rule`: a copy of the story matched it; `channel`: the story has an alert (in any state)
    on that channel; `source`: a copy came from it (its outlet, else the monitor's source,
    as "also in" names it; a sighting's outlet counts); `since` (inclusive) and `until`
    (exclusive): ISO UTC times (`YYYY-MM-DDTHH:MM:SSZ`) the story's first copy arrived
    between."""

    rule: str | None = None
    channel: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class StoriesPage:
    """One page of stories, newest first, and where the next one starts (None: no more)."""

    stories: list[StoryRow]
    next: StoryCursor | None


@dataclass(frozen=True, slots=True)
class RuleDays:
    """What one rule matched in a run of UTC days (`Store.rule_activity`): among the
    stories whose first copy arrived each day, how many it matched (any copy of them) and
    how many of their copies it matched."""

    rule: str
    stories_per_day: list[int]  # oldest first
    stories: int  # their sum: the stories of the period it matched
    matches_per_day: list[int]  # the copies (articles) it matched, by their story's day
    matches: int
    last_match: str  # ISO UTC: when the newest article it matched arrived


@dataclass(frozen=True, slots=True)
class RuleActivity:
    """Every rule that matched a story of `days` (UTC days, `YYYY-MM-DD`, oldest first),
    noisiest first (most stories, then most matches, then by id), and `stories`: every
    story whose first copy arrived in those days, what a rule's `stories` is a share of."""

    days: list[str]
    stories: int
    rules: list[RuleDays]


@dataclass(frozen=True, slots=True)
class NodeRow:
    """A node of a cluster, as `monitor cluster` lists it."""

    id: str
    host: str
    pid: int
    version: str
    started_at: str  # ISO UTC
    heartbeat_age: float  # seconds since its last heartbeat, by the database's clock
    lease: float
    alive: bool
    stopped: bool
    status: str
    leases: list[str]  # the named leases it holds (feed:NAME)
    claims: int  # inbox files it is reading
    sending: dict[str, int]  # per channel, the pending outbox rows it has taken


class Cluster(Protocol):
    """This node's part in a cluster of daemons on one PostgreSQL database.

    A claim (an inbox file, a named lease such as one feed's polling, an outbox row) names
    its node and holds while the node is alive: while its heartbeat is younger than its
    lease. `beat` is what keeps them; `leave` lets them all go at once."""

    node: str
    lease: float

    def join(self, host: str, pid: int, version: str) -> None: ...
    def beat(self, status: str = "") -> None: ...
    def leave(self) -> None: ...
    def hold(self, name: str) -> bool: ...
    def let_go(self, name: str) -> None: ...
    def lease_left(self, name: str) -> float | None: ...
    def claim_items(self, source: str, keys: Sequence[str]) -> set[str]: ...
    def release_items(self, source: str, keys: Sequence[str]) -> None: ...
    def abandon(self, why: str) -> int: ...


class Store(Protocol):
    """What every state backend provides. Timestamps are ISO-8601 UTC text; `next_at` is
    seconds since the epoch."""

    def schema(self) -> SchemaState: ...
    def has(self, feature: str) -> bool: ...
    def cluster(self) -> Cluster | None: ...
    def nodes(self) -> list[NodeRow]: ...
    def intact(self) -> bool: ...
    def close(self) -> None: ...
    def batch(self) -> AbstractContextManager[None]: ...

    # articles and source items
    def record_article(
        self,
        article_id: str,
        path: str,
        title: str,
        alerts: Iterable[QueuedAlert],
        source: str = "inbox",
        facts: ArticleFacts | None = None,
    ) -> int: ...
    def seen(self, article_id: str) -> bool: ...
    def item_unchanged(self, source: str, key: str, fingerprint: str) -> bool: ...
    def remember_item(
        self, source: str, key: str, fingerprint: str, article_id: str | None
    ) -> None: ...
    def new_items(self, source: str, items: Sequence[tuple[str, str]]) -> list[int]: ...
    def remember_items(self, source: str, items: Sequence[tuple[str, str]]) -> None: ...
    def item_counts(self) -> dict[str, int]: ...

    # what matching saw (term weights)
    def add_term_counts(
        self, counts: Mapping[str, int], articles: int, patterns: Iterable[str] = ()
    ) -> bool: ...
    def term_counts(self) -> TermCounts: ...

    # polled sources
    def source_states(self) -> dict[str, SourceState]: ...
    def save_source_states(self, states: Sequence[SourceState]) -> None: ...

    # stories
    def add_story(self, story_id: str, arrived: float, sketch: bytes, keys: bytes) -> int: ...
    def story_deliveries(self, story_id: str) -> dict[str, set[str]]: ...
    def story_sketches(
        self, numbers: Sequence[int], since: float = 0.0
    ) -> list[tuple[str, bytes]]: ...
    def window_count(self, since: float) -> int: ...
    def window_stories(self, since: float) -> Iterator[tuple[int, bytes]]: ...
    def first_story_since(self, since: float) -> int: ...
    def next_story_number(self) -> int: ...
    def forget_sketches(self, before: float) -> int: ...
    def story_copies(self, story_id: str, limit: int = 50) -> list[dict[str, Any]]: ...
    def stories_since(self, since: str, rule: str | None = None) -> list[StoryRow]: ...

    # the web page: stories by page, rule activity, filter values
    def stories_page(
        self, filter: StoryFilter, limit: int = 50, before: StoryCursor | None = None
    ) -> StoriesPage: ...
    def stories_count(self, filter: StoryFilter) -> int: ...
    def story_sources(self, since: str | None = None) -> list[str]: ...
    def outbox_channels(self) -> list[str]: ...
    def rule_activity(self, since_day: str, days: int) -> RuleActivity: ...

    # flood guard: stories alerted per rule
    def story_rule(self, story_id: str, rule: str) -> str | None: ...
    def add_story_rule(self, story_id: str, rule: str, article_id: str, status: str) -> None: ...
    def alerted_stories(self, rule: str, since: str) -> int: ...

    # outbox
    def due(self, channel: str, now: float, limit: int = 100) -> list[OutboxRow]: ...
    def next_due_at(self, channel: str) -> float | None: ...
    def orphaned_channels(self, configured: Iterable[str]) -> list[str]: ...
    def pending(self, statuses: tuple[str, ...] = ("pending", "dead")) -> list[OutboxRow]: ...
    def mark_delivered(self, seqs: Sequence[int]) -> None: ...
    def mark_retry(self, seqs: Sequence[int], next_at: float, error: str) -> None: ...
    def mark_dead(self, seqs: Sequence[int], error: str) -> None: ...
    def requeue_dead(self) -> int: ...
    def depth(self) -> dict[tuple[str, str], int]: ...
    def outbox_depth(self) -> dict[str, dict[str, int]]: ...
    def counts(self) -> dict[str, int]: ...
    def suppressed(self) -> dict[str, int]: ...

    # silences
    def add_silence(self, silence: Silence) -> None: ...
    def silences(
        self, include_expired: bool = False, now: float | None = None
    ) -> list[Silence]: ...
    def expire_silence(self, silence_id: str, now: float | None = None) -> bool: ...
    def silences_stamp(self) -> tuple[int, str, int]: ...

    # digests
    def next_release_at(self, channel: str) -> float | None: ...
    def make_digests(self, channel: str, now: float, build: DigestBuilder) -> int: ...


# -- digests ---------------------------------------------------------------------------------------
# Held rows (status `held`, with `release_at`) wait for their digest. `make_digests` turns the
# held rows of each due release time into one `digest` outbox row, in one transaction, and
# marks them `digested` with that row's key: each held alert is in exactly one digest.


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A held alert as `make_digests` hands it to the digest builder."""

    seq: int
    kind: str  # 'rule' or 'story'
    rule: str
    payload: str
    created_at: str  # ISO UTC: when it was held


DigestBuilder = Callable[
    [str, Sequence[HeldRow], str], tuple[dict[str, Any] | None, dict[int, str]]
]
"""(digest key, held rows, release time ISO) -> (the digest record or None if there is
nothing to send, {seq: why} for rows that cannot be in any digest: they become dead)."""


def iso(epoch: float) -> str:
    """An epoch time as ISO-8601 UTC (`Z`), with microseconds only when it has them."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def digest_key(channel: str, release_at: float) -> str:
    """The outbox article id of a channel's digest for one release time: unique, so a
    second attempt to make the same digest inserts nothing."""
    return f"digest:{channel}:{iso(release_at)}"
