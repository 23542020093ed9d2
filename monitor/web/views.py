"""The data of each page, as one JSON-able dict: `/api/NAME` returns it as it is, and the
HTML page renders the same dict (`monitor.web.app`). So the page and its API cannot drift.

Nothing here escapes anything: values stay as the articles and rule files have them, and
Jinja's autoescape (the pages) or JSON encoding (the API) makes them safe where they land.
Links are the exception that escaping cannot fix: an article's `url` becomes a link only if
it is http(s) (`safe_link`), so a `javascript:` URL in a feed is shown as text, never run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from monitor.alerts import HitInfo
from monitor.channels.spans import highlight_spans
from monitor.durations import parse_duration
from monitor.state.base import StoryFilter
from monitor.stories.listing import since_stamp, story_json
from monitor.web.desk import Desk
from monitor.web.http import BadRequest
from monitor.web.sparkline import sparkline

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
RULES_PAGE = 100
DAYS = 14
ACTIVITY_SECONDS = 60.0
"""How long the rules page's counts are kept: they take the database up to ~0.1-0.2 s at
10,000 stories (bench/web_queries.py), and a match more or less is not news on that page."""
SINCE_CHOICES = ("1h", "6h", "24h", "3d", "7d", "14d", "30d")


def safe_link(url: object) -> str | None:
    """`url` if a browser may follow it from the page (http or https), else None."""
    if not isinstance(url, str) or len(url) > 4096:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _choice(params: Mapping[str, str], name: str, limit: int = 200) -> str | None:
    value = params.get(name, "").strip()
    if len(value) > limit:
        raise BadRequest(f"{name}: at most {limit} characters")
    return value or None


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = params.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 9:  # int() refuses `²`
        raise BadRequest(f"{name}: a whole number from {low} to {high}")
    return max(low, min(high, int(text)))


@dataclass(frozen=True)
class Cursor:
    """Where a page of stories ends: the last story's arrival and id (keyset paging, so a
    deep page costs what the first does)."""

    first_seen: str
    story: str

    def text(self) -> str:
        return f"{self.first_seen}|{self.story}"

    @classmethod
    def read(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        first_seen, sep, story = text.partition("|")
        if not sep or len(text) > 300:
            raise BadRequest("before: not a position from this page's `more` link")
        return cls(first_seen, story)


def _until(text: str) -> str | None:
    """`until` as the stories' ISO UTC time: a day (`2026-11-28`: up to the end of that UTC
    day) or a time (`2026-11-28T12:00:00Z`, `2026-11-28 12:00`)."""
    if not text:
        return None
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC) + timedelta(days=1)
            return day.strftime("%Y-%m-%dT%H:%M:%SZ")
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise BadRequest("until: a day (2026-11-28) or a UTC time (2026-11-28T12:00:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _excerpt(story: Any) -> dict[str, Any] | None:
    """The story's excerpt with its highlights as (start, end) ranges in its text."""
    excerpt = getattr(story, "excerpt", None)
    if not isinstance(excerpt, dict) or not isinstance(excerpt.get("text"), str):
        return None
    hits = [
        HitInfo("", "", str(h.get("field")), int(h.get("start", 0)), int(h.get("end", 0)))
        for h in (getattr(story, "hits", None) or [])
        if isinstance(h, dict) and isinstance(h.get("start"), int) and isinstance(h.get("end"), int)
    ]
    text = excerpt["text"]
    spans = highlight_spans(
        hits, str(excerpt.get("field")), int(excerpt.get("start", 0)), len(text)
    )
    return {"text": text, "field": excerpt.get("field"), "highlights": spans}


def stories(desk: Desk, params: Mapping[str, str]) -> dict[str, Any]:
    """`/` and `/api/stories`: stories newest first, filtered, one page at a time."""
    since_text = params.get("since", "").strip() or "24h"
    try:
        seconds = parse_duration(since_text)
    except ValueError as exc:
        raise BadRequest(f"since: {exc}") from None
    until_text = params.get("until", "").strip()
    wanted = StoryFilter(
        rule=_choice(params, "rule"),
        channel=_choice(params, "channel"),
        source=_choice(params, "source"),
        since=since_stamp(seconds),
        until=_until(until_text),
    )
    limit = _int(params, "limit", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    before = Cursor.read(params.get("before"))

    def read(store: Any) -> tuple[Any, int, list[str]]:
        page = store.stories_page(
            wanted, limit, None if before is None else (before.first_seen, before.story)
        )
        return page, store.stories_count(wanted), store.story_sources(wanted.since)

    page, total, sources = desk.read(read)
    listed = []
    for story in page.stories:
        item = story_json(story)
        item["article"]["link"] = safe_link(item["article"].get("url"))
        for copy in item["also_in"]:
            copy["link"] = safe_link(copy.get("url"))
        item["excerpt"] = _excerpt(story)
        item["more_copies"] = story.more_copies
        listed.append(item)
    engine = desk.engine
    return {
        "filter": {
            "rule": wanted.rule,
            "channel": wanted.channel,
            "source": wanted.source,
            "since": since_text,
            "until": until_text or None,
        },
        "total": total,
        "stories": listed,
        "next": None if page.next is None else Cursor(*page.next).text(),
        "choices": {
            "rules": sorted(engine.rules),
            "channels": sorted(desk.config.channels),
            "sources": sources,
            "since": list(SINCE_CHOICES),
        },
    }


def _days(now: float) -> list[str]:
    today = datetime.fromtimestamp(now, UTC).date()
    return [(today - timedelta(days=DAYS - 1 - i)).isoformat() for i in range(DAYS)]


def rules(desk: Desk, params: Mapping[str, str], now: float | None = None) -> dict[str, Any]:
    """`/rules` and `/api/rules`: every rule's matches per day for 14 days, the noisiest
    (most stories) first, with its candidate cost as `check --stats` reckons it."""
    moment = time.time() if now is None else now
    days = _days(moment)
    # Counted again as soon as a story begins (the count is one index probe); copies of
    # known stories show within a minute.
    began = desk.read(lambda store: store.stories_count(StoryFilter(since=f"{days[0]}T00:00:00Z")))
    activity = desk.cached(
        f"rule_activity:{days[0]}:{began}",
        ACTIVITY_SECONDS,
        lambda: desk.read(lambda store: store.rule_activity(days[0], DAYS)),
    )
    engine = desk.engine
    costs = {cost.rule: cost for cost in desk.rule_costs().costs}
    seen_by = {row.rule: row for row in activity.rules}
    wanted = (_choice(params, "q") or "").lower()
    rows: list[dict[str, Any]] = []
    for rule_id, rule in engine.rules.items():
        if wanted and wanted not in rule_id.lower():
            continue
        seen = seen_by.get(rule_id)
        counts = list(seen.matches_per_day) if seen is not None else [0] * DAYS
        stories_matched = seen.stories if seen is not None else 0
        cost = costs.get(rule_id)
        source = engine.ruleset.sources.get(rule_id)
        rows.append(
            {
                "rule": rule_id,
                "description": rule.description,
                "file": f"{source.file}:{source.line}" if source is not None else None,
                "per_day": counts,
                "matches": sum(counts),
                "last_match": seen.last_match if seen is not None else None,
                "stories": stories_matched,
                "share": (stories_matched / activity.stories) if activity.stories else 0.0,
                "candidates_per_1000": cost.per_thousand if cost is not None else None,
            }
        )
    rows.sort(key=lambda r: (-r["stories"], -r["matches"], r["rule"]))
    page = _int(params, "page", 1, 1, 1_000_000)
    shown = rows[(page - 1) * RULES_PAGE : page * RULES_PAGE]
    return {
        "days": days,
        "stories": activity.stories,
        "rules_total": len(rows),
        "page": page,
        "pages": max(1, -(-len(rows) // RULES_PAGE)),
        "q": wanted,
        "rules": shown,
    }


def with_sparklines(data: dict[str, Any]) -> dict[str, Any]:
    """The rules page's rows with their sparkline drawn (HTML only; the API has numbers)."""
    for row in data["rules"]:
        row["spark"] = sparkline(row["per_day"], data["days"])
    return data


def silences(desk: Desk, params: Mapping[str, str]) -> dict[str, Any]:
    """`/silences` and `/api/silences`: the silences in force (all with `all=1`)."""
    everything = params.get("all", "") in ("1", "true", "yes")
    listed = desk.read(lambda store: store.silences(include_expired=everything))
    now = time.time()
    return {
        "all": everything,
        "silences": [s.to_json(now) for s in listed],
        "choices": {
            "rules": sorted(desk.engine.rules),
            "channels": sorted(desk.config.channels),
        },
    }


def sources(desk: Desk, params: Mapping[str, str]) -> dict[str, Any]:
    """`/sources` and `/api/sources`: what `monitor sources` says, and the outbox per
    channel."""
    from monitor.sources.listing import feed_holders, source_rows

    def read(store: Any) -> tuple[Any, Any, Any, Any]:
        return (
            store.source_states(),
            store.item_counts(),
            feed_holders(store.nodes()),
            store.outbox_depth(),
        )

    states, items, holders, depth = desk.read(read)
    config = desk.config
    rows = source_rows(config, states, items, holders)
    for row in rows:
        if "url" in row:
            row["link"] = safe_link(row["url"])
    return {
        "sources": rows,
        "outbox": [
            {"channel": name, **{k: v for k, v in sorted(depth.get(name, {}).items())}}
            for name in sorted(set(config.channels) | set(depth))
        ],
    }
