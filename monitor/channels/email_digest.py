"""A digest record as one email: a subject with the count and the period, text + HTML parts.

Built with `email_render`'s helpers and under the same rules: nothing from an article
reaches a header (the subject holds only the count and the period, themselves passed
through `header_text`), every article string in the HTML part is escaped, and only http(s)
URLs become links. The message is capped at MAX_STORIES stories ("+N more" after them), so
a busy period makes a readable mail, not one the server refuses for its size.
"""

from __future__ import annotations

import email.policy
import hashlib
import html
from email.message import EmailMessage
from email.utils import format_datetime

from monitor.channels.email_render import (
    body_text,
    header_text,
    message_id_domain,
    sent_date,
    web_url,
)
from monitor.digests import DigestRecord, DigestStory

MAX_STORIES = 200
"""Most stories one digest mail lists; the rest are counted."""
TITLE_MAX = 300


def digest_subject(record: DigestRecord) -> str:
    """`[monitor] Digest: N stories (FROM - TO)`."""
    count = f"{record.count} {'story' if record.count == 1 else 'stories'}"
    period = f"{header_text(record.start, 40)} - {header_text(record.end, 40)}"
    return f"[monitor] Digest: {count} ({period})"


def _groups(record: DigestRecord) -> list[tuple[tuple[str, ...], str, list[DigestStory]]]:
    """(rules, description, stories) per group of rules, newest group first."""
    groups: dict[tuple[str, ...], list[DigestStory]] = {}
    for story in record.stories[:MAX_STORIES]:
        groups.setdefault(tuple(story.rule_ids), []).append(story)
    out = []
    for rules, stories in groups.items():
        described = next((s.rules[0].description for s in stories if s.rules), "")
        out.append((rules, described if len(rules) == 1 else "", stories))
    return out


def _more(record: DigestRecord) -> int:
    return record.count - min(len(record.stories), MAX_STORIES)


def _about(story: DigestStory) -> str:
    """`source, +2 copies, file`: what is known of where the story was seen."""
    parts = [header_text(story.article.source or "", 100)]
    if story.copies:
        parts.append(f"+{story.copies} {'copy' if story.copies == 1 else 'copies'}")
    parts.append(header_text(story.article.where, 200))
    return ", ".join(p for p in parts if p)


def _title(story: DigestStory) -> str:
    return header_text(story.article.title, TITLE_MAX) or "untitled article"


def render_digest_text(record: DigestRecord) -> str:
    """The text/plain part."""
    lines = [digest_subject(record).removeprefix("[monitor] "), ""]
    for rules, described, stories in _groups(record):
        label = header_text(", ".join(rules), 300)
        lines.append(
            f"Rule{'s' if len(rules) > 1 else ''} {label}"
            + (f": {header_text(described, 300)}" if described else "")
        )
        for story in stories:
            lines.append(f"  - {_title(story)} ({_about(story)})")
            url = web_url(story.article.url)
            if url:
                lines.append(f"    {url}")
        lines.append("")
    if _more(record) > 0:
        lines += [f"+{_more(record)} more", ""]
    lines += ["--", "Sent by monitor. Digest: " + header_text(record.key, 200)]
    return body_text("\n".join(lines)) + "\n"


def render_digest_html(record: DigestRecord) -> str:
    """The text/html part: the same content, every article string escaped."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"></head><body>',
        f"<h2>{esc(digest_subject(record).removeprefix('[monitor] '))}</h2>",
    ]
    for rules, described, stories in _groups(record):
        label = esc(header_text(", ".join(rules), 300))
        heading = f"Rule{'s' if len(rules) > 1 else ''} <code>{label}</code>"
        if described:
            heading += f": {esc(header_text(described, 300))}"
        parts.append(f"<h3>{heading}</h3><ul>")
        for story in stories:
            title = esc(_title(story))
            url = web_url(story.article.url)
            if url:
                title = f'<a href="{esc(url, quote=True)}">{title}</a>'
            parts.append(f"<li>{title} <small>({esc(_about(story))})</small></li>")
        parts.append("</ul>")
    if _more(record) > 0:
        parts.append(f"<p>+{_more(record)} more</p>")
    parts.append(
        f"<p><small>Sent by monitor. Digest: {esc(header_text(record.key, 200))}</small></p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def build_digest_message(record: DigestRecord, sender: str, recipients: list[str]) -> EmailMessage:
    """One digest as a multipart/alternative message; addresses from the config alone.

    Its Message-ID is derived from the digest's key and channel, so a digest sent again
    after a lost reply is recognised as the same message by mail systems that de-duplicate.
    """
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = digest_subject(record)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(sent_date(record.sent_at))
    digest = hashlib.sha256(f"{record.key}\x00{record.channel}".encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<monitor.digest.{digest}@{message_id_domain(sender)}>"
    msg["X-Monitor-Digest"] = header_text(record.key, 200)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render_digest_text(record), cte="quoted-printable")
    msg.add_alternative(render_digest_html(record), subtype="html", cte="quoted-printable")
    return msg
