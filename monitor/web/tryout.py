"""The playground page's data: the form as the editor left it, and what `playground.
try_rules` made of it, as one JSON-able dict (the page renders it, `/api/playground`
returns it).

An article comes pasted (title, body, language) or picked from the latest ones the daemon
read (`article` = its id); the rules are tried on it and on the latest `n` articles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from monitor.channels.spans import merge
from monitor.errors import ArticleError
from monitor.web.desk import Desk
from monitor.web.http import BadRequest
from monitor.web.playground import (
    PlaygroundContext,
    PlaygroundResult,
    article_from_form,
    try_rules,
)

SHOWN_BODY = 20_000
"""Characters of the article's body shown with its highlights (the hits beyond still count)."""

DEFAULT_RECENT = 200

SAMPLE = """\
rules:
  - id: try-me
    description: NATO and South Korea
    entities: [NATO, South Korea]
    keywords:
      any: [weapon*, ammunition, "military support"]
"""


def _choices(desk: Desk) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "title": a.title[:200], "source": a.source} for a in desk.recent.latest(100)
    ]


def blank(desk: Desk, params: Mapping[str, str]) -> dict[str, Any]:
    """The empty form (with a sample rule), or one with a recent article picked."""
    form = {"rules": SAMPLE, "title": "", "body": "", "lang": "", "article": "", "n": ""}
    picked = params.get("article", "")
    if picked:
        article = desk.recent.find(picked)
        if article is not None:
            form.update(article=picked)
    return {
        "form": form,
        "recent_choices": _choices(desk),
        "recent_kept": len(desk.recent.latest()),
        "result": None,
        "article": None,
    }


def _marks(text: str, hits: list[Any], field: str, limit: int) -> dict[str, Any]:
    shown = text[:limit]
    spans = merge(
        (max(0, h.start), min(len(shown), h.end))
        for h in hits
        if h.field == field and h.start < len(shown) and h.end > h.start
    )
    return {"text": shown, "highlights": spans, "cut": len(text) > limit}


def run(desk: Desk, form: Mapping[str, str]) -> dict[str, Any]:
    """Try the posted rules; nothing is saved."""
    fields = {k: form.get(k, "") for k in ("rules", "title", "body", "lang", "article", "n")}
    n_text = fields["n"].strip()
    if n_text and not (n_text.isascii() and n_text.isdigit() and len(n_text) <= 6):
        raise BadRequest("n: a whole number of recent articles")
    n = min(int(n_text) if n_text else DEFAULT_RECENT, desk.recent.size)
    article = None
    if fields["article"]:
        article = desk.recent.find(fields["article"])
        if article is None:
            raise BadRequest(
                "article: that article is no longer among the latest ones kept; pick another"
            )
    elif fields["title"].strip() or fields["body"].strip():
        try:
            article = article_from_form(fields["title"], fields["body"], fields["lang"] or None)
        except ArticleError as exc:  # too long: a 400 that says so, not a 500
            raise BadRequest(f"body: {exc}") from None
    context = PlaygroundContext.of(desk.config, desk.engine)
    result: PlaygroundResult = try_rules(fields["rules"], article, desk.recent.latest(n), context)
    shown = None
    if article is not None:
        hits = [hit for tried in result.rules for hit in tried.hits]
        shown = {
            "id": article.id,
            "source": article.source,
            "title": _marks(article.title, hits, "title", SHOWN_BODY),
            "body": _marks(article.body, hits, "body", SHOWN_BODY),
        }
    return {
        "form": fields,
        "recent_choices": _choices(desk),
        "recent_kept": len(desk.recent.latest()),
        "result": dataclasses.asdict(result),
        "article": shown,
    }
