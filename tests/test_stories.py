"""Near-duplicate stories: the sketch, the in-memory index and the tracker on a real store."""

from __future__ import annotations

import random
from pathlib import Path

from helpers.stories import filler

from monitor.matching.normalize import tokenize
from monitor.state import open_store
from monitor.stories.index import StoryIndex
from monitor.stories.sketch import BINS, EMPTY, keys_of, python_sketch, similarity, sketch
from monitor.stories.tracker import StoryTracker

STORY = (
    "Flooding forces thousands from homes in northern Italy. "
    "Heavy rain swelled rivers across Emilia-Romagna on Tuesday, forcing more than 3,000 "
    "people from their homes, the regional civil protection agency said. Rescue teams used "
    "boats to reach residents trapped in the town of Faenza, where the Lamone river burst "
    "its banks overnight. Schools were closed in Bologna and Ravenna, and the railway line "
    "between Bologna and Rimini was suspended after a landslide. The agency said more rain "
    "was expected on Wednesday and urged people living near rivers to move to higher floors. "
    "Farmers reported heavy losses of crops and livestock across the plain."
)


def words(text: str) -> str:
    return tokenize(text).text


def test_the_compiled_sketch_equals_the_python_one() -> None:
    rng = random.Random(5)
    texts = ["", " ", " a ", " a b ", " a b c ", " zürich straße 北京 x ", words(STORY)]
    texts += [
        " ".join(rng.choice(["x", "yy", "é", "语", "z9"]) for _ in range(n)) for n in range(30)
    ]
    for text in texts:
        assert sketch(text) == python_sketch(text), text


def test_a_sketch_is_bins_values_and_at_most_sixteen_keys() -> None:
    values, keys = sketch(words(STORY))
    assert len(values) == 4 * BINS and 0 < len(keys) <= 64
    assert sketch(" ")[1] == b""  # no words, no keys
    assert similarity(sketch(" ")[0], sketch(" ")[0]) == 0.0
    assert all(k != 0 for k in keys_of(keys))
    assert keys_of(sketch(words(STORY))[0]).count(EMPTY) < BINS


def test_similarity_separates_a_copy_from_another_story() -> None:
    base = sketch(words(STORY))[0]
    edited = STORY.replace("Tuesday", "Tuesday evening").replace("3,000", "3,200")
    cut = STORY.rsplit(".", 3)[0]
    wrapped = "ROME (Reuters) - " + STORY + " Reporting by Anna Rossi; editing by Tom Hale."
    other = "Flooding in northern Italy: " + filler(1, 120)
    assert similarity(base, sketch(words(edited))[0]) > 0.6
    assert similarity(base, sketch(words(cut))[0]) > 0.5
    assert similarity(base, sketch(words(wrapped))[0]) > 0.6
    assert similarity(base, sketch(words(other))[0]) < 0.1


def test_the_index_finds_stories_sharing_two_keys_and_skips_old_ones() -> None:
    index = StoryIndex()
    _, keys = sketch(words(STORY))
    _, other = sketch(words(filler(2, 200)))
    index.add(1, keys)
    index.add(2, other)
    assert index.candidates(keys) == [1]
    assert index.candidates(sketch(words(filler(3, 200)))[1]) == []
    index.oldest = 2  # story 1 left the window
    assert index.candidates(keys) == []


def test_the_index_grows_and_keeps_what_it_holds() -> None:
    index = StoryIndex()
    all_keys = [sketch(words(filler(i, 80)))[1] for i in range(1, 3001)]
    for number, keys in enumerate(all_keys, start=1):
        index.add(number, keys)
    assert index.nbytes > StoryIndex().nbytes  # it grew past its first size
    found = sum(1 for n, keys in enumerate(all_keys, start=1) if n in index.candidates(keys))
    assert found >= 2990  # a full bucket may push out an old cell; nearly all remain
    rebuilt = StoryIndex()
    rebuilt.build(list(range(1, 3001)), all_keys)
    assert all(n in rebuilt.candidates(k) for n, k in enumerate(all_keys[-100:], start=2901))


def test_the_tracker_files_copies_under_the_first_and_survives_a_restart(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    tracker = StoryTracker(store, 72, 0.38)
    tracker.load()
    first = tracker.assign("a1", *sketch(words(STORY)))
    assert first.new and first.id == "a1"
    store.record_article("a1", "/in/a1", "t", [], story="a1")
    copy = tracker.assign("a2", *sketch(words("ROME (AP) - " + STORY)))
    assert not copy.new and copy.id == "a1" and copy.similarity is not None
    store.record_article("a2", "/in/a2", "t", [], story="a1")
    assert tracker.assign("a3", *sketch(words(filler(9, 150)))).new
    assert tracker.assign("a1", *sketch(words(STORY))).id == "a1"  # the same text again
    store.close()
    again = open_store(tmp_path)
    restarted = StoryTracker(again, 72, 0.38)
    assert restarted.load() == 2
    late = restarted.assign("a4", *sketch(words(STORY + " Updated at 10:00.")))
    assert late.id == "a1"
    again.close()


def test_the_window_counts_from_arrival(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    now = [1_000_000.0]
    tracker = StoryTracker(store, 1, 0.38, clock=lambda: now[0])
    tracker.load()
    assert tracker.assign("a1", *sketch(words(STORY))).new
    now[0] += 1800
    assert tracker.assign("a2", *sketch(words("PARIS - " + STORY))).id == "a1"
    now[0] += 3600  # the first copy arrived 1.5 h ago: out of a 1 h window
    assert tracker.assign("a3", *sketch(words("BERLIN - " + STORY))).new
    assert store.window_stories(0)[0] == [2]  # the old sketch is gone from the database
    store.close()


def test_the_listing_shows_copies_and_deliveries_and_escapes_titles(tmp_path: Path) -> None:
    from monitor.state import QueuedAlert
    from monitor.stories.listing import render_json, render_text

    store = open_store(tmp_path)
    evil = "Title\nALERT [fake] forged\x1b[2J"
    record = {"story": "s1", "rules": [], "article": {"id": "s1", "title": evil}}
    store.record_article(
        "s1", "/in/a.txt", evil, [QueuedAlert("", "desk", record, "s1", kind="story")],
        story="s1", rules=["r1"],
    )  # fmt: skip
    store.record_article(
        "c1", "/in/b.txt", "Copy", [], story="s1", url="https://x.org/b", rules=["r1", "r2"]
    )
    [row] = store.stories_since("2000-01-01T00:00:00Z")
    assert row.rules == ["r1", "r2"] and [c["article_id"] for c in row.copies] == ["c1"]
    lines = render_text([row])
    assert not any(line.startswith("ALERT") for line in lines)
    assert all("\x1b" not in line and "\n" not in line for line in lines)
    assert any("desk: waiting" in line for line in lines)
    assert any("also in inbox: Copy (https://x.org/b)" in line for line in lines)
    assert store.stories_since("2000-01-01T00:00:00Z", rule="r9") == []
    import json

    [listed] = json.loads(render_json([row]))
    assert listed["channels"] == [{"channel": "desk", "rule": None, "status": "waiting"}]
    assert listed["also_in"][0]["url"] == "https://x.org/b"
    store.close()
