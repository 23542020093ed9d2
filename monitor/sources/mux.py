"""Several sources as one, for the pipeline: the inbox folder, the feeds, the ingest API.

The pipeline and the daemon's loop deal with one `Source`; `SourceSet` is that source. It
takes from every source in turn and hands each item back to the source it came from (by the
item's `source` name) to open, settle and finish. Sources other than the folder are asked
first (for up to half a batch) and never block: a feed entry or an ingest request (whose
client is waiting for its 202) goes into the next batch even while a burst of inbox files
is being worked through.
While they have nothing, the folder's wait is cut short, so their items wait 50 ms at most.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.sources.base import Item, Outcome, Source, Verdict
from monitor.sources.folder import FolderSource

OTHERS_WAIT = 0.05
"""Longest the folder's `take` blocks while other sources could offer something."""


class SourceSet:
    """The folder source plus any number of others, behind the one `Source` interface."""

    name = "sources"

    def __init__(self, folder: FolderSource, others: Sequence[Source] = ()) -> None:
        self.folder = folder
        self.others = list(others)

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
        """Up to `limit` items: the other sources' first, but at most half the batch while
        the folder has files too, so neither a backlog of posted articles nor a burst of
        files starves the other."""
        items = self._from_others(max(1, limit // 2))
        wait = 0.0 if items else (min(timeout, OTHERS_WAIT) if self.others else timeout)
        items += self.folder.take(wait, limit - len(items))
        return items + self._from_others(limit - len(items))

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
