"""A digest record as one Slack message: "N stories", then a section per group of rules.

Stories are grouped by the rules they matched (a story matching two rules is listed once,
under both names together), groups in the order of their newest story, stories newest
first. Slack's limits hold as for an alert (see `slack_render`): 50 blocks, 3000 characters
per section; what does not fit is counted in a "+N more" line rather than cut off unseen.
Every piece of article text goes through `slack_render`'s escaping (`fit`), so a title
cannot ping `<!channel>`, fake a link or break the formatting.
"""

from __future__ import annotations

from typing import Any

from monitor.channels.slack_render import (
    _CODE,
    _MRKDWN,
    HEADER_MAX,
    MAX_BLOCKS,
    SECTION_MAX,
    TEXT_MAX,
    UNTITLED,
    _mrkdwn,
    _oneline,
    _safe_url,
    _str,
    fit,
    slack_len,
)
from monitor.digests import DigestRecord, DigestStory

TITLE_MAX = 300
"""A story's title in a digest line: enough to recognise it; the article has the rest."""


NAMES_MAX = 1000
"""Rule names in a group's heading, so the stories keep most of the section's room."""
URL_MAX = 1000
"""Longer links are left out: the title alone still names the story."""


def digest_payload(record: DigestRecord) -> dict[str, Any]:
    """The JSON body for an incoming webhook: fallback `text` plus Block Kit `blocks`."""
    count = f"{record.count} {'story' if record.count == 1 else 'stories'}"
    period = f"{_oneline(_str(record.start))} – {_oneline(_str(record.end))}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(count, HEADER_MAX)}},
        {"type": "context", "elements": [_mrkdwn(fit(f"Digest {period}", 2000, _MRKDWN))]},
    ]
    groups: dict[tuple[str, ...], list[DigestStory]] = {}
    for story in record.stories:
        groups.setdefault(tuple(story.rule_ids), []).append(story)
    left = record.count  # stories not yet shown
    room = MAX_BLOCKS - len(blocks) - 1  # one block kept for the final "+N more"
    for rules, stories in groups.items():
        if room == 0:
            break
        text, shown = _section(rules, stories)
        blocks.append({"type": "section", "text": _mrkdwn(text)})
        room -= 1
        left -= shown
    if left > 0:
        blocks.append({"type": "context", "elements": [_mrkdwn(f"+{left} more")]})
    return {
        "text": fit(f"Digest: {count} ({period})", TEXT_MAX),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def _section(rules: tuple[str, ...], stories: list[DigestStory]) -> tuple[str, int]:
    """(mrkdwn text within SECTION_MAX, how many of `stories` it lists)."""
    names = ""
    for index, rule in enumerate(rules):
        if slack_len(names) > NAMES_MAX:
            names += f", +{len(rules) - index} more"
            break
        names += (", " if names else "") + f"`{fit(_oneline(_str(rule)), 100, _CODE)}`"
    described = next((s.rules[0].description for s in stories if s.rules), "")
    head = f"*{'Rules' if len(rules) > 1 else 'Rule'}:* {names}"
    if described and len(rules) == 1:
        head += " — " + fit(_oneline(_str(described)), 300, _MRKDWN)
    text, shown = head, 0
    for index, story in enumerate(stories):
        line = "\n• " + _story_line(story)
        more = len(stories) - index - 1
        tail = f"\n+{more} more" if more else ""
        if slack_len(text + line + tail) > SECTION_MAX:
            text += f"\n+{len(stories) - index} more"
            break
        text += line
        shown += 1
    return text, shown


def _story_line(story: DigestStory) -> str:
    article = story.article
    title = fit(_oneline(_str(article.title)) or UNTITLED, TITLE_MAX, _MRKDWN)
    url = article.url
    if url is not None and _safe_url(url) and len(url) <= URL_MAX:
        title = f"<{url.replace('&', '&amp;')}|{title}>"
    source = _oneline(_str(article.source))
    line = title + (f" — {fit(source, 100, _MRKDWN)}" if source else "")
    if story.copies:
        line += f" (+{story.copies} {'copy' if story.copies == 1 else 'copies'})"
    return line
