"""Near-duplicate stories: the sketch, the in-memory index and the tracker on a real store."""

from __future__ import annotations

import json
import random
from pathlib import Path

from helpers.stories import filler

from monitor.matching.normalize import tokenize
from monitor.state import ArticleFacts, open_store
from monitor.stories.index import CAP, SLOTS, StoryIndex
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
    rebuilt = StoryIndex(3000)  # as at start-up: sized for what is in the window, with room
    for number, keys in enumerate(all_keys, start=1):
        rebuilt.add(number, keys)
    assert rebuilt.nbytes == StoryIndex(3000).nbytes  # no doubling on the way
    assert all(n in rebuilt.candidates(k) for n, k in enumerate(all_keys, start=1))


def test_a_key_thousands_of_stories_share_cannot_push_others_out() -> None:
    """A common phrase's key fills at most CAP cells of its bucket: the stories filed under
    it keep their other keys (the benchmark lost three in four stories at a million without
    this, all buckets full of a few hot keys)."""
    index = StoryIndex()
    hot = (7).to_bytes(4, "little")
    first = hot + (1001).to_bytes(4, "little") + (2002).to_bytes(4, "little")
    index.add(1, first)
    for n in range(2, 500):
        index.add(n, hot + (5000 + n).to_bytes(4, "little"))
    assert index.candidates(first) == [1]  # still found by its two other keys
    hot_only = index.candidates(hot + (9).to_bytes(4, "little"), need=1)
    assert len(hot_only) == CAP and hot_only == sorted(hot_only, reverse=True)


def test_the_compiled_index_and_similarity_agree_with_numpy() -> None:
    import numpy as np

    from monitor.stories import index as index_module
    from monitor.stories.sketch import python_similarity

    rng = random.Random(3)
    tables = [np.zeros((64, SLOTS), dtype=np.uint32) for _ in range(4)]
    for n in range(1, 400):
        keys = np.array([rng.randrange(1, 300) for _ in range(16)], dtype=np.uint32)
        owners = np.full(16, n, dtype=np.uint32)
        index_module._insert(tables[0], tables[1], keys, owners, CAP)
        index_module._numpy_insert(tables[2], tables[3], keys, owners, CAP)
    assert (tables[0] == tables[2]).all() and (tables[1] == tables[3]).all()
    for _ in range(50):
        query = np.array([rng.randrange(1, 300) for _ in range(16)], dtype=np.uint32)
        for need in (1, 2, 3):
            fast = index_module._candidates(tables[0], tables[1], query, 100, need)
            assert fast == index_module._numpy_candidates(tables[2], tables[3], query, 100, need)
    a, b = sketch(words(STORY))[0], sketch(words("PARIS - " + STORY))[0]
    assert similarity(a, b) == python_similarity(a, b) > 0.5


def test_the_tracker_files_copies_under_the_first_and_survives_a_restart(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    tracker = StoryTracker(store, 72, 0.38)
    tracker.load()
    first = tracker.assign("a1", *sketch(words(STORY)))
    assert first.new and first.id == "a1"
    store.record_article("a1", "/in/a1", "t", [], facts=ArticleFacts(story="a1"))
    copy = tracker.assign("a2", *sketch(words("ROME (AP) - " + STORY)))
    assert not copy.new and copy.id == "a1" and copy.similarity is not None
    store.record_article("a2", "/in/a2", "t", [], facts=ArticleFacts(story="a1"))
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
    assert [n for n, _ in store.window_stories(0)] == [2]  # the old sketch is gone
    store.close()


def test_the_listing_shows_copies_and_deliveries_and_escapes_titles(tmp_path: Path) -> None:
    from monitor.state import QueuedAlert
    from monitor.stories.listing import render_json, render_text

    store = open_store(tmp_path)
    evil = "Title\nALERT [fake] forged\x1b[2J"
    record = {"story": "s1", "rules": [], "article": {"id": "s1", "title": evil}}
    queued = [QueuedAlert("", "desk", record, "s1", kind="story")]
    store.record_article("s1", "/in/a.txt", evil, queued, facts=ArticleFacts("s1", rules=["r1"]))
    copy = ArticleFacts("s1", url="https://x.org/b", rules=["r1", "r2"])
    store.record_article("c1", "/in/b.txt", "Copy", [], facts=copy)
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


def test_story_messages_list_each_rule_its_words_and_the_copies_safely() -> None:
    from monitor.alerts import AlertRecord, alert_record, for_channel, story_record
    from monitor.articles.model import Article
    from monitor.channels.console import story_lines
    from monitor.channels.email_render import render_text, subject
    from monitor.channels.slack_render import slack_payload
    from monitor.matching.model import Hit, Match

    article = Article.create("/in/a.txt", "NATO and Seoul <!channel>", "NATO met South Korea.")
    first = Match("r1", (Hit("NATO", "NATO", "title", 0, 4),))
    second = Match("r2", (Hit("South Korea", "South Korea", "body", 9, 20),))
    rules = [(m, alert_record(article, m, f"rule {m.rule}")) for m in (first, second)]
    copies = [{"source": "<!here> Wire", "url": None, "path": "/in/b.txt", "title": "x"}]
    record = AlertRecord.parse(for_channel(story_record("s1", article, rules, copies), "desk"))
    assert record.is_story and record.rule_ids == ["r1", "r2"] and record.story == "s1"
    lines = story_lines(record)
    assert lines[0] == "ALERT [r1, r2] NATO and Seoul <!channel> (/in/a.txt)"
    assert "    r2: rule r2; hits: South Korea" in lines
    assert lines[-1] == "    also in: <!here> Wire"
    payload = slack_payload(record)
    text = json.dumps(payload)
    assert "<!channel>" not in text and "<!here>" not in text
    assert "&lt;!here&gt; Wire" in text and "(South Korea)" in text
    assert "Also in: &lt;!here&gt; Wire" in render_text(record).replace(
        "<!here>", "&lt;!here&gt;"
    ) or ("Also in: <!here> Wire" in render_text(record))
    assert subject(record).endswith("(rules r1, r2)")


def test_a_story_of_many_rules_stays_within_slack_and_console_limits() -> None:
    from monitor.alerts import AlertRecord, alert_record, for_channel, story_record
    from monitor.articles.model import Article
    from monitor.channels.slack_render import SECTION_MAX, slack_len, slack_payload
    from monitor.matching.model import Hit, Match

    article = Article.create("/in/a.txt", "NATO", "NATO " * 10)
    hit = Hit("NATO", "NATO", "title", 0, 4)
    rules = [
        (m, alert_record(article, m, "d" * 900))
        for m in (Match(f"r{i:03d}", (hit,)) for i in range(300))
    ]
    record = AlertRecord.parse(for_channel(story_record("s", article, rules, []), "desk"))
    payload = slack_payload(record)
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert all(slack_len(text) <= SECTION_MAX for text in sections)
    assert "more rules" in sections[0]


def test_the_window_holds_to_the_second_between_prunes(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    now = [1_000_000.0]
    tracker = StoryTracker(store, 0.005, 0.38, clock=lambda: now[0])  # 18 s
    tracker.load()
    assert tracker.assign("a1", *sketch(words(STORY))).new
    now[0] += 30  # out of the window, though the once-a-minute prune has not run
    assert tracker.assign("a2", *sketch(words("PARIS - " + STORY))).new
    store.close()


def test_a_flood_summary_reads_as_one_plain_console_line() -> None:
    from monitor.alerts import AlertRecord, flood_summary, for_channel
    from monitor.channels.console import rule_line

    record = AlertRecord.parse(for_channel(flood_summary("r1", "d", 2, "2026-11-30T23"), "c"))
    line = rule_line(record)
    assert line.startswith("ALERT [r1] Rule r1 reached its limit of 2 alerts per hour")
    assert not line.endswith(")") or "hits" not in line  # no empty "(; hits: )" tail
    assert "(; hits: )" not in line
