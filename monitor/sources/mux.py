"""Several sources as one, for the pipeline: the inbox folder, the feeds, the ingest API.

The pipeline and the daemon's loop deal with one `Source`; `SourceSet` is that source. It
takes from every source in turn and hands each item back to the source it came from (by the
item's `source` name) to open, settle and finish. Sources other than the folder are asked
first (for up to half a batch) and never block: a feed entry or an ingest request (whose
client is waiting for its 202) goes into the next batch even while a burst of inbox files
is being worked through.
While nothing is ready the set waits on one event that every source sets when it queues
an item (`wake_with`), so an item waits for no poll interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from monitor.sources.base import Item, Outcome, Source, Verdict
from monitor.sources.folder import FolderSource


class SourceSet:
    """The folder source plus any number of others, behind the one `Source` interface."""

    name = "sources"

    def __init__(self, folder: FolderSource, others: Sequence[Source] = ()) -> None:
        self.folder = folder
        self.others = list(others)
        self._wake = threading.Event()

    @property
    def max_seconds(self) -> float:
        # One budget for every item: `[inbox] max_seconds` (feeds and ingest hand over
        # articles already parsed; the budget is then mostly matching).
        return self.folder.max_seconds

    def _owner(self, item: Item) -> Source:
        for source in self.others:
            if source.owns(item.source):
                return source
        return self.folder

    def wake_with(self, callback: Callable[[], None]) -> None:
        """Not needed: the set is the one waiting."""

    def owns(self, source_name: str) -> bool:
        return self.folder.owns(source_name) or any(s.owns(source_name) for s in self.others)

    def start(self) -> None:
        """Start the other sources (the folder is started by the daemon, after recovery)."""
        started: list[Source] = []
        try:
            for source in self.others:
                source.start()
                started.append(source)
        except BaseException:
            for source in started:
                source.stop()
            raise

    def stop(self) -> None:
        for source in self.others:
            source.stop()
        self.folder.stop()

    def alive(self) -> bool:
        return self.folder.alive() and all(source.alive() for source in self.others)

    def problems(self) -> list[str]:
        """What is not running, in words, for `/healthz` and the log."""
        parts = [] if self.folder.alive() else ["the inbox observer is not running"]
        parts += [f"source {s.name} is not running" for s in self.others if not s.alive()]
        return parts

    def take(self, timeout: float, limit: int) -> list[Item]:
        """Up to `limit` items, waiting up to `timeout` for the first: the other sources'
        first, but at most half the batch while the folder has files too, so neither a
        backlog of posted articles nor a burst of files starves the other. Every source
        wakes the wait the moment it has something (`wake_with`)."""
        if not self.others:
            return self.folder.take(timeout, limit)
        deadline = time.monotonic() + timeout
        while True:
            self._wake.clear()  # before looking: a wake-up from now on is not lost
            for source in (self.folder, *self.others):
                source.wake_with(self._wake.set)
            items = self._from_others(max(1, limit // 2))
            items += self.folder.take(0.0, limit - len(items))
            items += self._from_others(limit - len(items))
            left = deadline - time.monotonic()
            if items or left <= 0:
                return items
            self._wake.wait(left)

    def _from_others(self, limit: int) -> list[Item]:
        items: list[Item] = []
        for source in self.others:
            if len(items) >= limit:
                break
            items += source.take(0.0, limit - len(items))
        return items

    def give_back(self, items: list[Item]) -> None:
        for source, mine in self._by_owner(items):
            source.give_back(mine)

    def open(self, item: Item) -> Item | Outcome:
        return self._owner(item).open(item)

    def read_done(self, item: Item) -> None:
        self._owner(item).read_done(item)

    def settle(self, item: Item, verdict: Verdict, outcome: Outcome) -> Outcome:
        return self._owner(item).settle(item, verdict, outcome)

    def finished(self, outcomes: list[Outcome]) -> None:
        for source, mine in self._by_owner([o.item for o in outcomes]):
            keys = {(i.source, i.key) for i in mine}
            source.finished([o for o in outcomes if (o.item.source, o.item.key) in keys])

    def _by_owner(self, items: list[Item]) -> list[tuple[Source, list[Item]]]:
        groups: dict[int, tuple[Source, list[Item]]] = {}
        for item in items:
            owner = self._owner(item)
            groups.setdefault(id(owner), (owner, []))[1].append(item)
        return list(groups.values())
