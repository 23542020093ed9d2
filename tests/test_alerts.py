"""The alert record and its excerpt window."""

from __future__ import annotations

import re
from typing import Any

import pytest

from monitor.alerts import (
    EXCERPT_LENGTH,
    AlertRecord,
    ArticleInfo,
    HitInfo,
    MalformedRecord,
    RuleHits,
    alert_record,
    flood_summary,
    for_channel,
    parse_stored,
)
from monitor.articles.model import Article
from monitor.channels.spans import highlight_spans
from monitor.matching.model import Hit, Match


def _article(body: str) -> Article:
    return Article.create("/in/a.txt", "NATO chief in Seoul", body, url="https://example.org/a")


def test_record_has_the_contract_fields_and_excerpt_locates_hits() -> None:
    lead = "The ministers met in the capital on Monday to discuss the new defence plan. "
    body = lead * 7 + "South Korea said " + ("more " * 200)
    start = body.index("South Korea")
    hit = Hit("South Korea", "South Korea", "body", start, start + len("South Korea"))
    article = _article(body)
    record = for_channel(alert_record(article, Match("r1", (hit,)), "desc"), "log")
    assert record["rule"] == "r1" and record["channel"] == "log"
    assert record["article"] == {
        "id": article.id,
        "title": "NATO chief in Seoul",
        "path": "/in/a.txt",
        "url": "https://example.org/a",
        "published": None,
        "source": None,
        "language": "en",  # detected: the source declares none
    }
    assert record["hits"] == [hit.to_dict()]
    ex = record["excerpt"]
    assert ex["field"] == "body" and len(ex["text"]) <= EXCERPT_LENGTH
    offset = hit.start - ex["start"]
    assert ex["text"][offset : offset + len("South Korea")] == "South Korea"
    assert not ex["text"].startswith(" ") and body[ex["start"] - 1] == " "  # a whole word
    assert record["sent_at"].endswith("Z")


def test_title_only_hits_excerpt_the_title() -> None:
    hit = Hit("NATO", "NATO", "title", 0, 4)
    record = alert_record(_article("Nothing here."), Match("r1", (hit,)), "")
    assert record["excerpt"] == {"text": "NATO chief in Seoul", "field": "title", "start": 0}


def test_an_article_repeating_a_term_a_million_times_lists_at_most_max_hits() -> None:
    """Every hit went into the record: one such article made a 28 MB line in each file
    channel and 827 MB of state. Each term keeps its first hit, the rest fill in order."""
    from monitor.alerts import MAX_HITS

    body = "NATO " * 5000 + "and South Korea."
    hits = [Hit("NATO", "NATO", "body", 5 * i, 5 * i + 4) for i in range(5000)]
    hits.append(Hit("South Korea", "South Korea", "body", 25004, 25015))
    article = Article.create("a.txt", "Title", body)
    record = alert_record(article, Match("r", tuple(hits)), "d")
    assert len(record["hits"]) == MAX_HITS and record["hits_total"] == 5001
    assert {h["term"] for h in record["hits"]} == {"NATO", "South Korea"}
    starts = [h["start"] for h in record["hits"]]
    assert starts == sorted(starts) and starts[-1] == 25004
    small = alert_record(article, Match("r", tuple(hits[:3])), "d")
    assert len(small["hits"]) == 3 and small["hits_total"] == 3


# -- the typed record ----------------------------------------------------------------------------


def test_typed_record_parses_what_alert_record_and_flood_summary_make() -> None:
    hit = Hit("NATO", "NATO", "title", 0, 4)
    article = _article("NATO said so.")
    stored = alert_record(article, Match("r1", (hit,)), "desc")
    record = AlertRecord.parse(for_channel(stored, "log"))
    assert record.channel == "log" and record.rule_ids == ["r1"]
    assert record.article == ArticleInfo(
        article.id, "NATO chief in Seoul", "/in/a.txt", "https://example.org/a"
    )
    assert record.rules == (RuleHits("r1", "desc", (HitInfo("NATO", "NATO", "title", 0, 4),)),)
    assert record.hits == [HitInfo("NATO", "NATO", "title", 0, 4)] and record.hits_total == 1
    assert record.description == "desc" and record.sent_at is not None
    # The JSON object itself is kept for channels that forward it (webhook): every field.
    assert record.data["matched_at"] == stored["matched_at"]
    summary = AlertRecord.parse(for_channel(flood_summary("r1", "d", 5, "2026-01-01T10"), "x"))
    assert summary.article.id == "flood:r1:2026-01-01T10" and summary.hits == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"article": None}, "`article` is missing"),
        (
            {"article": {"id": "a", "title": 3, "path": "p"}},
            "`article.title` is a number, not a string",
        ),
        (
            {"hits": [{"term": "t", "text": "t", "field": "body", "start": "0", "end": 1}]},
            "`hits[0].start` is a string, not a number",
        ),
        ({"hits": ["x"]}, "`hits[0]` is a string, not an object"),
        (
            {"hits": [{"term": "t", "text": "t", "field": "body", "start": True, "end": 1}]},
            "`hits[0].start` is a boolean",
        ),
        ({"excerpt": {"text": "x", "field": "body"}}, "`excerpt.start` is missing"),
    ],
)
def test_a_malformed_record_says_which_field(change: dict[str, Any], message: str) -> None:
    data: dict[str, Any] = {
        "rule": "r",
        "channel": "c",
        "article": {"id": "a", "title": "t", "path": "p"},
        "hits": [],
        **change,
    }
    if data["article"] is None:
        del data["article"]
    with pytest.raises(MalformedRecord, match=re.escape(message)):
        AlertRecord.parse(data)


def test_parse_stored_refuses_what_is_not_a_record() -> None:
    with pytest.raises(MalformedRecord, match="not JSON"):
        parse_stored('{"rule": "r", ', "rule", "r", "c")
    with pytest.raises(MalformedRecord, match="not a JSON object but a list"):
        parse_stored("[]", "rule", "r", "c")
    good = '{"rule": "r", "article": {"id": "a", "title": "t", "path": "p"}, "hits": []}'
    assert parse_stored(good, "rule", "r", "c").channel == "c"


# -- one highlight rule for Slack and email --------------------------------------------------------


def test_highlight_spans_clip_to_the_text_merge_overlaps_and_skip_the_other_field() -> None:
    hits = [
        HitInfo("a", "a", "body", 95, 105),  # starts before the window: clipped
        HitInfo("b", "b", "body", 110, 115),
        HitInfo("c", "c", "body", 113, 120),  # overlaps b: one highlight
        HitInfo("d", "d", "body", 120, 122),  # touches c: the same one
        HitInfo("e", "e", "title", 100, 104),  # the other field
        HitInfo("f", "f", "body", 140, 200),  # runs past the end: clipped
        HitInfo("g", "g", "body", 10, 20),  # wholly before: nothing
        HitInfo("h", "h", "body", 300, 310),  # wholly after: nothing
    ]
    assert highlight_spans(hits, "body", 100, 50) == [(0, 5), (10, 22), (40, 50)]
    assert highlight_spans(hits, "title", 100, 50) == [(0, 4)]
    assert highlight_spans([], "body", 0, 10) == []


def test_console_and_email_show_where_the_file_is_now() -> None:
    """They showed the inbox path of a file long moved to archive/ (issue 12)."""
    import io

    from helpers.records import typed

    from monitor.channels.console import ConsoleChannel
    from monitor.channels.email_render import render_text

    article = {"id": "a1", "title": "T", "path": "/srv/inbox/x.txt"}
    moved = typed({"rule": "r", "article": {**article, "archived": "/srv/archive/d/x.1.txt"}})
    kept = typed({"rule": "r", "article": article})
    out = io.StringIO()
    ConsoleChannel("console", stream=out).send(moved)
    ConsoleChannel("console", stream=out).send(kept)
    first, second = out.getvalue().splitlines()
    assert "(/srv/archive/d/x.1.txt" in first and "/srv/inbox" not in first
    assert "(/srv/inbox/x.txt" in second
    text = render_text(moved)
    assert "File: /srv/archive/d/x.1.txt" in text and "Arrived as: /srv/inbox/x.txt" in text
    assert "Arrived as" not in render_text(kept)
