"""The alert record and its excerpt window."""

from __future__ import annotations

from monitor.alerts import EXCERPT_LENGTH, alert_record, for_channel
from monitor.articles.model import Article
from monitor.matching.model import Hit, Match


def _article(body: str) -> Article:
    return Article.create("/in/a.txt", "NATO chief in Seoul", body, url="https://example.org/a")


def test_record_has_the_contract_fields_and_excerpt_locates_hits() -> None:
    body = ("word " * 100) + "South Korea said " + ("more " * 200)
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
    }
    assert record["hits"] == [hit.to_dict()]
    ex = record["excerpt"]
    assert ex["field"] == "body" and len(ex["text"]) <= EXCERPT_LENGTH
    offset = hit.start - ex["start"]
    assert ex["text"][offset : offset + len("South Korea")] == "South Korea"
    assert not ex["text"].startswith(" ") and ex["text"].split()[0] == "word"
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
