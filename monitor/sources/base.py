"""What a source of articles is to the rest of the daemon: items in, outcomes back.

A source (the inbox folder today; feeds and an ingest API next) offers `Item`s, each with a
key that is stable within the source (an inbox file's path, a feed entry's guid), a name for
people (logs, alert records) and, once opened, its content: the raw bytes of a document,
which the pipeline reads with `monitor.articles`, or an `Article` the source built itself.
The pipeline matches and records each item, then tells the source the outcome (`settle`), so
the source decides what "done" means for it: archive the file, remember the entry's guid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Protocol

from monitor.articles import Article
from monitor.textsafe import shorten

# skipped: left alone for a reason the admin should see (logged as a warning);
# ignored: nothing to do, e.g. a second event for a file already processed (debug).
Status = Literal["processed", "quarantined", "skipped", "ignored"]


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a source offers. Before `Source.open`, only the identity is set."""

    source: str  # the source's name, as in the state database ("inbox", a feed's name)
    key: str  # stable within the source: what the state database remembers it by
    name: str  # for people: an inbox path, a URL
    data: bytes | None = None  # the document, read by the reader its `format` picks
    format: str = ""  # a file name whose extension picks the reader ("a.html")
    article: Article | None = None  # or the article itself, for sources that parse
    size: int = 0  # bytes, if known before reading: big items are committed apart
    location: str = ""  # where it will be once processed, if not at `name` (an archive path)
    fingerprint: str = ""  # this version of the item; set when the source asks to be told
    # whether it saw this exact version already (the inbox with `after = keep`)
    handle: object = field(default=None, compare=False)  # the source's own bookkeeping


def article_item(source: str, key: str, article: Article, fingerprint: str, handle: object) -> Item:
    """The item of a source that parses its own articles (a feed entry, an ingested one):
    named by the article's path, sized by its body."""
    return Item(
        source=source,
        key=key,
        name=shorten(article.path, 300),
        article=article,
        size=len(article.body),
        fingerprint=fingerprint,
        handle=handle,
    )


@dataclass(frozen=True)
class Outcome:
    """What happened to one item, for the log line, the metrics and the tests."""

    item: Item
    status: Status
    article_id: str | None = None
    rules: tuple[str, ...] = ()
    new_alerts: int = 0
    ms: float = 0.0
    reason: str = ""
    moved_to: str | None = None  # where the item went (an archive path), if it moved

    @property
    def name(self) -> str:
        return self.item.name


class Verdict(Enum):
    """What the pipeline tells a source about an item it opened."""

    PROCESSED = "processed"  # matched, and its article and alerts are committed
    UNREADABLE = "unreadable"  # bad input (the outcome's reason says why): never retry as is
    FAILED = "failed"  # a bug, not bad input: logged; worth another try later


class Source(Protocol):
    """An origin of articles. The pipeline calls everything but `start`/`stop` on its own
    thread, one item at a time; `take` may block up to `timeout` waiting for work."""

    name: str

    @property
    def max_seconds(self) -> float:
        """The time budget of one item: opening, reading and matching it."""
        ...

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def alive(self) -> bool: ...
    def take(self, timeout: float, limit: int) -> list[Item]: ...
    def give_back(self, items: list[Item]) -> None: ...
    def open(self, item: Item) -> Item | Outcome: ...
    def read_done(self, item: Item) -> None: ...
    def settle(self, item: Item, verdict: Verdict, outcome: Outcome) -> Outcome: ...
    def owns(self, source_name: str) -> bool:
        """Whether items named with this `Item.source` are this source's."""
        ...

    def finished(self, outcomes: list[Outcome]) -> None:
        """Every outcome of the source's items once committed, `ignored` ones too (the
        pipeline settles only what it opened): a waiting ingest client is answered here."""
        ...

    def wake_with(self, callback: Callable[[], None]) -> None:
        """Call `callback` (from any thread) whenever an item becomes ready to `take`, so
        a loop waiting on several sources wakes at once instead of polling them."""
        ...


class ParsedItems:
    """`open`, `read_done` and `settle` for sources whose items carry their `Article`
    (feeds, the ingest API): nothing to open or read, nothing to dispose of; an item the
    pipeline could not take is only logged, as `KIND SOURCE: NAME ...` (`kind` below). What
    happens next is the source's `finished`: a feed polls the entry again, an ingest client
    is answered."""

    kind = "source"
    _wake: Callable[[], None] | None = None

    def wake_with(self, callback: Callable[[], None]) -> None:
        self._wake = callback

    def _signal_ready(self) -> None:
        """An item is ready to take (call after queueing it)."""
        if self._wake is not None:
            self._wake()

    def open(self, item: Item) -> Item | Outcome:
        return item

    def read_done(self, item: Item) -> None:
        """Nothing: the article is in memory."""

    def settle(self, item: Item, verdict: Verdict, outcome: Outcome) -> Outcome:
        log = logging.getLogger(f"monitor.{self.kind}")
        if verdict is Verdict.UNREADABLE:
            log.warning(
                "%s %s: %s not taken: %s", self.kind, item.source, item.name, outcome.reason
            )
        elif verdict is Verdict.FAILED:
            log.exception("%s %s: %s failed; it is tried again", self.kind, item.source, item.name)
        return outcome
