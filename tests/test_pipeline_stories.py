"""The pipeline's story decisions against a real store: what a copy adds after a channel is
regrouped, and how silences, the flood guard and held channels meet."""

from __future__ import annotations

from pathlib import Path

from helpers.stories import filler

from monitor.channels.console import ConsoleChannelConfig
from monitor.channels.file import FileChannelConfig
from monitor.config import InboxConfig
from monitor.engine import load_engine
from monitor.pipeline import Pipeline
from monitor.sources import FolderSource
from monitor.state import open_store
from monitor.stories.tracker import StoryTracker

RULES = """\
rules:
  - id: nato
    entities: [NATO]
  - id: noisy
    keywords:
      any: [summit]
    max_alerts_per_hour: 1
"""


class _Setup:
    def __init__(self, root: Path, channels: dict[str, object]) -> None:
        self.inbox = root / "inbox"
        self.inbox.mkdir()
        (root / "rules").mkdir()
        (root / "rules" / "r.yaml").write_text(RULES, encoding="utf-8")
        engine, _ = load_engine(root / "rules", list(channels))
        self.store = open_store(root / "state")
        tracker = StoryTracker(self.store, 72, 0.38)
        tracker.load()
        self.pipeline = Pipeline(self.store, engine, channels, tracker)  # type: ignore[arg-type]
        self.source = FolderSource(
            InboxConfig(path=self.inbox, after="delete", quarantine=root / "q")
        )

    def drop(self, name: str, text: str) -> int:
        (self.inbox / name).write_text(text, encoding="utf-8")
        [outcome] = self.pipeline.process_batch(self.source, [self.source.item(self.inbox / name)])
        assert outcome.status == "processed", outcome
        return outcome.new_alerts or 0


STORY = f"NATO summit in Vilnius\n\nNATO leaders met at the summit. {filler(1, 150)}\n"


def test_a_copy_adds_nothing_to_a_channel_regrouped_by_a_reload(tmp_path: Path) -> None:
    """A story sent as one message, then the channel made `group = "rule"` (a SIGHUP): the
    copy's rule records were new keys and alerted again (break-it review of issue 13)."""
    setup = _Setup(tmp_path, {"desk": ConsoleChannelConfig(type="console")})  # a story channel
    assert setup.drop("a.txt", STORY) == 1
    setup.pipeline.channels = {"desk": ConsoleChannelConfig(type="console", group="rule")}
    assert setup.drop("b.txt", "WIRE - " + STORY) == 0
    setup.pipeline.channels = {"desk": ConsoleChannelConfig(type="console", group="story")}
    assert setup.drop("c.txt", STORY + " Updated.") == 0


def test_silenced_matches_neither_count_nor_bring_a_flood_summary(tmp_path: Path) -> None:
    setup = _Setup(tmp_path, {"log": FileChannelConfig(type="file", path=tmp_path / "a.jsonl")})

    class Silenced:
        def silenced(self, rule: str, channel: str) -> str | None:
            return "s1" if rule == "noisy" else None

    setup.pipeline.silences = lambda article: Silenced()
    setup.drop("a.txt", f"Summit one\n\nThe summit met. {filler(2, 150)}")
    setup.drop("b.txt", f"Summit two\n\nThe summit met again. {filler(3, 150)}")
    counts = setup.store.counts()
    assert counts == {"silenced": 2}, counts  # no summary, nothing suppressed


def test_a_flood_summary_waits_with_the_channels_held_alerts(tmp_path: Path) -> None:
    held = FileChannelConfig(type="file", path=tmp_path / "a.jsonl", digest="daily 08:00")
    setup = _Setup(tmp_path, {"log": held})
    setup.drop("a.txt", f"Summit one\n\nThe summit met. {filler(4, 150)}")
    setup.drop("b.txt", f"Summit two\n\nThe summit met again. {filler(5, 150)}")
    rows = setup.store.pending(("held", "pending", "suppressed"))
    assert sorted((r.status, r.article_id.startswith("flood:")) for r in rows) == [
        ("held", False),
        ("held", True),
        ("suppressed", False),
    ]


def test_the_same_text_from_another_outlet_is_listed_as_also_in(tmp_path: Path) -> None:
    """Identical wire text from two outlets has one article id: the second outlet was
    dropped without a trace (break-it review of issue 13). It is a sighting now."""
    setup = _Setup(tmp_path, {"desk": ConsoleChannelConfig(type="console")})
    assert setup.drop("ap.txt", STORY) == 1
    assert setup.drop("reuters.txt", STORY) == 0
    [row] = setup.store.stories_since("2000-01-01T00:00:00Z")
    assert [c["path"].rsplit("/", 1)[-1] for c in row.copies] == ["reuters.txt"]
    assert setup.drop("reuters.txt", STORY) == 0  # the same file again: no second sighting
    [row] = setup.store.stories_since("2000-01-01T00:00:00Z")
    assert len(row.copies) == 1
