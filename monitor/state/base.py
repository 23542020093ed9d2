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

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from monitor.errors import StoreError


class StoreUnavailable(StoreError):
    """The database failed in a way that may pass (locked past the timeout, I/O error)."""


@dataclass(frozen=True, slots=True)
class QueuedAlert:
    """One alert to queue: the record (without channel and send time) and its channel."""

    rule: str
    channel: str
    record: dict[str, Any]
    article_id: str | None = None  # default: the article being recorded
    status: str = "pending"  # or "suppressed" (flood guard: kept, never sent)


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


class Store(Protocol):
    """What every state backend provides. Timestamps are ISO-8601 UTC text; `next_at` is
    seconds since the epoch."""

    def schema(self) -> SchemaState: ...
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
    ) -> int: ...
    def seen(self, article_id: str) -> bool: ...
    def item_unchanged(self, source: str, key: str, fingerprint: str) -> bool: ...
    def remember_item(
        self, source: str, key: str, fingerprint: str, article_id: str | None
    ) -> None: ...

    # flood guard
    def alerted_articles(self, rule: str, since: str) -> int: ...
    def already_alerted(self, article_id: str, rule: str) -> bool: ...

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
    def counts(self) -> dict[str, int]: ...
    def suppressed(self) -> dict[str, int]: ...

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
