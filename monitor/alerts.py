"""The alert record: what every channel sends and the `file` channel writes, one per line.

The record is built once, when the article is processed, and stored in the outbox; a
channel only adds its own name and the send time. So a retried alert is byte-for-byte the
alert that would have gone out first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from monitor.articles.model import Article
from monitor.clock import utc_now
from monitor.matching.model import Hit, Match

EXCERPT_BEFORE = 200
EXCERPT_LENGTH = 600


def excerpt(article: Article, match: Match) -> dict[str, Any] | None:
    """A window of the article around the first body hit (else the first title hit).

    Rich channels (Slack, email) show it with the matched words highlighted: `start` is the
    window's offset in its field, so a hit's offsets minus `start` locate it in `text`.
    The window starts and ends on whitespace where it can, so no word is cut in half.
    """
    hits = [h for h in match.hits if h.field == "body"] or list(match.hits)
    if not hits:
        return None
    first = min(hits, key=lambda h: h.start)
    text = article.body if first.field == "body" else article.title
    start = max(0, first.start - EXCERPT_BEFORE)
    if start > 0:
        space = text.find(" ", start, first.start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", first.end, end)
        end = space if space != -1 else end
    return {"text": text[start:end], "field": first.field, "start": start}


MAX_HITS = 100
"""Most hits an alert record lists: every term's first hit, then the others in order.

An article that repeats a matched phrase a million times is one alert, not a 28 MB line
in every file channel and the database (seen: 827 MB of state for one such article).
`hits_total` says how many there were."""


def kept_hits(match: Match) -> list[Hit]:
    """The hits an alert lists: all of them, or MAX_HITS with each term shown at least once."""
    hits = match.hits
    if len(hits) <= MAX_HITS:
        return list(hits)
    chosen: set[int] = set()
    seen: set[str] = set()
    for i, hit in enumerate(hits):  # first the first hit of each term
        if hit.term not in seen and len(chosen) < MAX_HITS:
            seen.add(hit.term)
            chosen.add(i)
    for i in range(len(hits)):  # then the rest in order
        if len(chosen) >= MAX_HITS:
            break
        chosen.add(i)
    return [hits[i] for i in sorted(chosen)]


def alert_record(article: Article, match: Match, description: str) -> dict[str, Any]:
    """The channel-independent part of an alert (at most MAX_HITS hits: `kept_hits`)."""
    return {
        "rule": match.rule,
        "description": description,
        "article": {
            "id": article.id,
            "title": article.title,
            "path": article.path,
            "url": article.url,
            "published": article.published,
            "source": article.source,
        },
        "hits": [hit.to_dict() for hit in kept_hits(match)],
        "hits_total": len(match.hits),
        "excerpt": excerpt(article, match),
        "matched_at": utc_now(),
    }


def for_channel(record: dict[str, Any], channel: str) -> dict[str, Any]:
    """The full record as sent: the stored part plus the channel name and the send time."""
    return {"rule": record["rule"], "channel": channel, **record, "sent_at": utc_now()}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def for_channel_json(payload: str, rule: str, channel: str) -> str:
    """`for_channel` of a stored record as JSON text, from the stored JSON text (`payload`).

    Equal to `json.dumps(for_channel(json.loads(payload), channel), ensure_ascii=False)`,
    but made by inserting the channel after the leading rule and appending the send time:
    parsing and re-encoding every alert was half of what the dispatcher spent in a burst,
    GIL time taken from the article pipeline. A payload of another shape (a key `channel`
    or `sent_at` anywhere: inside JSON strings the quote before the colon would be escaped)
    goes the long way.
    """
    head = '{"rule": ' + _dumps(rule) + ", "
    if (
        not payload.startswith(head)
        or not payload.endswith("}")
        or '"channel": ' in payload
        or '"sent_at": ' in payload
    ):
        return _dumps(for_channel(json.loads(payload), channel))
    return (
        f'{head}"channel": {_dumps(channel)}, {payload[len(head) : -1]}, '
        f'"sent_at": {_dumps(utc_now())}}}'
    )


@dataclass(frozen=True, slots=True)
class RenderedAlert:
    """An alert ready to write: its outbox key and its full record as one line of JSON."""

    key: tuple[str, str, str] | None  # (article id, rule, channel), unique in the outbox
    json: str


def flood_summary(rule: str, description: str, cap: int, window: str) -> dict[str, Any]:
    """The one alert sent when a rule trips its `max_alerts_per_hour`, instead of a flood.

    Its article id names the rule and the hour (`flood:RULE:YYYY-MM-DDTHH`), so the outbox's
    unique key lets exactly one summary out per rule, channel and hour.
    """
    title = (
        f"Rule {rule} reached its limit of {cap} alerts per hour; further matches are "
        "held back this hour (counted in `monitor outbox`)"
    )
    return {
        "rule": rule,
        "description": description,
        "article": {
            "id": f"flood:{rule}:{window}",
            "title": title,
            "path": "",
            "url": None,
            "published": None,
            "source": "monitor",
        },
        "hits": [],
        "excerpt": None,
        "matched_at": utc_now(),
    }
