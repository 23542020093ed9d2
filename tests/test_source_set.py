"""The SourceSet: items routed back to their own source, and a fair share for each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from monitor.config import InboxConfig
from monitor.sources import FolderSource, Item, Outcome, Verdict
from monitor.sources.mux import SourceSet


class _Queue:
    """A source of `count` ready items that records what comes back to it."""

    def __init__(self, name: str, count: int) -> None:
        self.name = name
        self.ready = [Item(name, f"{name}-{i}", f"{name}-{i}") for i in range(count)]
        self.settled: list[str] = []
        self.finished_keys: list[str] = []

    max_seconds = 10.0

    def owns(self, source_name: str) -> bool:
        return source_name == self.name

    def take(self, timeout: float, limit: int) -> list[Item]:
        taken, self.ready = self.ready[:limit], self.ready[limit:]
        return taken

    def give_back(self, items: list[Item]) -> None:
        self.ready = items + self.ready

    def open(self, item: Item) -> Item | Outcome:
        return item

    def read_done(self, item: Item) -> None:
        pass

    def settle(self, item: Item, verdict: Verdict, outcome: Outcome) -> Outcome:
        self.settled.append(item.key)
        return outcome

    def finished(self, outcomes: list[Outcome]) -> None:
        self.finished_keys += [o.item.key for o in outcomes]

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def alive(self) -> bool:
        return True

    def wake_with(self, callback: Callable[[], None]) -> None:
        self.wake = callback


def _folder(tmp_path: Path, files: int) -> FolderSource:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(files):
        (inbox / f"{i}.txt").write_text(f"title {i}\n\nbody\n", encoding="utf-8")
    folder = FolderSource(
        InboxConfig(path=inbox, archive=tmp_path / "a", quarantine=tmp_path / "q")
    )
    for path in sorted(inbox.iterdir()):
        folder.work.put(path)
    return folder


def test_a_backlog_of_posts_leaves_half_of_each_batch_to_the_inbox(tmp_path: Path) -> None:
    api = _Queue("api", 500)
    sources = SourceSet(_folder(tmp_path, 100), [api])
    batch = sources.take(0.2, 64)
    assert len(batch) == 64
    assert sum(i.source == "api" for i in batch) == 32
    assert sum(i.source == "inbox" for i in batch) == 32


def test_others_fill_what_the_folder_leaves(tmp_path: Path) -> None:
    api = _Queue("api", 500)
    sources = SourceSet(_folder(tmp_path, 3), [api])
    batch = sources.take(0.2, 64)
    assert len(batch) == 64 and sum(i.source == "inbox" for i in batch) == 3


def test_items_go_back_to_their_own_source(tmp_path: Path) -> None:
    api, feed = _Queue("api", 2), _Queue("wire", 2)
    sources = SourceSet(_folder(tmp_path, 0), [api, feed])
    batch = sources.take(0.01, 64)
    assert {i.source for i in batch} == {"api", "wire"}
    for item in batch:
        sources.settle(item, Verdict.PROCESSED, Outcome(item, "processed"))
    sources.finished([Outcome(item, "ignored") for item in batch])
    assert api.settled == api.finished_keys == ["api-0", "api-1"]
    assert feed.settled == feed.finished_keys == ["wire-0", "wire-1"]
    sources.give_back(batch[:1])
    assert [i.key for i in api.ready] == ["api-0"]


def test_a_waiting_take_wakes_when_any_source_has_an_item(tmp_path: Path) -> None:
    import threading
    import time

    api = _Queue("api", 0)
    folder = _folder(tmp_path, 0)
    sources = SourceSet(folder, [api])

    def post_later() -> None:
        time.sleep(0.3)
        api.ready.append(Item("api", "late", "late"))
        api.wake()

    threading.Thread(target=post_later, daemon=True).start()
    started = time.monotonic()
    batch = sources.take(5.0, 64)
    assert [i.key for i in batch] == ["late"]
    assert time.monotonic() - started < 1.0

    (tmp_path / "inbox" / "new.txt").write_text("t\n\nb\n", encoding="utf-8")
    threading.Timer(0.3, folder.work.put, [tmp_path / "inbox" / "new.txt"]).start()
    started = time.monotonic()
    batch = sources.take(5.0, 64)
    assert [i.source for i in batch] == ["inbox"]
    assert time.monotonic() - started < 1.0
    assert sources.take(0.2, 64) == []  # nothing: returns at its timeout
