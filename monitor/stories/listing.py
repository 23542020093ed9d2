"""`monitor stories`: recent stories, their rules, copies and what became of each alert.

Read-only: it opens the state database without migrating it, like `monitor outbox`, so it is
safe beside a running daemon and on a database a newer schema has not reached yet (then it
says so and lists nothing).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from monitor.state.base import StoryRow
from monitor.textsafe import printable

# What each outbox status means to a reader of this listing.
_STATES = {
    "pending": "waiting",
    "delivered": "sent",
    "dead": "dead letter",
    "held": "held for a digest",
    "digested": "sent in a digest",
    "silenced": "silenced",
    "suppressed": "held back by the flood guard",
}


def since_stamp(seconds: float, now: float | None = None) -> str:
    """The ISO UTC time `seconds` ago, as the database stores times."""
    moment = datetime.fromtimestamp((now or time.time()) - seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _delivery(entry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "channel": entry["channel"],
        "rule": entry["rule"] or None,
        "status": _STATES.get(entry["status"], entry["status"]),
    }
    if entry.get("silence"):
        out["silence"] = entry["silence"]
    if entry.get("release_at") is not None and entry["status"] == "held":
        out["release_at"] = datetime.fromtimestamp(entry["release_at"], UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
    if entry.get("digest"):
        out["digest"] = entry["digest"]
    return out


def story_json(story: StoryRow) -> dict[str, Any]:
    """A story as `--json` prints it: the contract's `story`, `article`, `rules`,
    `channels`, `also_in` (each copy with `source`, `url`, `path`), and when it arrived."""
    return {
        "story": story.id,
        "first_seen": story.first_seen,
        "article": story.article,
        "rules": story.rules,
        "channels": [_delivery(d) for d in story.deliveries],
        "also_in": [
            {
                "source": c["source"],
                "url": c["url"],
                "path": c["path"],
                "title": c["title"],
                "arrived": c["arrived"],
                "similarity": c["similarity"],
            }
            for c in story.copies
        ],
    }


def render_json(stories: list[StoryRow]) -> str:
    return json.dumps([story_json(s) for s in stories], ensure_ascii=False, indent=1)


def render_text(stories: list[StoryRow]) -> list[str]:
    """Lines for people: a header per story, then its deliveries and copies, indented.
    Everything that came from an article goes through `printable` (one line each)."""
    lines: list[str] = []
    for story in stories:
        article = story.article
        rules = ", ".join(story.rules) or "-"
        lines.append(
            printable(f"{story.first_seen}  [{rules}] {article['title']} ({article['path']})")
        )
        for delivery in (_delivery(d) for d in story.deliveries):
            what = f" ({delivery['rule']})" if delivery["rule"] else ""
            extra = ""
            if "release_at" in delivery:
                extra = f" until {delivery['release_at']}"
            elif "silence" in delivery:
                extra = f" by {delivery['silence']}"
            lines.append(printable(f"    {delivery['channel']}{what}: {delivery['status']}{extra}"))
        for copy in story.copies:
            where = copy["url"] or copy["path"] or "?"
            source = f"{copy['source']}: " if copy["source"] else ""
            lines.append(printable(f"    also in {source}{copy['title']} ({where})"))
    if not stories:
        lines.append("no stories in that time")
    return lines
