"""The alert email itself: headers and a text + HTML body, built from an alert record.

Pure (no I/O), so the delicate part -- what an article is allowed to put into a message -- can
be tested without a mail server. Article text is hostile input: a title is the only thing
that reaches a header (the Subject), and only after every control and line-break character is
replaced, so a crafted title can never start a new header line (`Bcc:`) or add a recipient.
From and To come from the config alone. In the HTML part every article-derived string is
escaped, and a link is made only for an http(s) URL, so an article cannot inject markup,
scripts or `javascript:` links into the reader's mail client.
"""

from __future__ import annotations

import email.policy
import hashlib
import html
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit

from monitor.alerts import AlertRecord
from monitor.channels.spans import highlight_spans
from monitor.templates import Style
from monitor.textsafe import blank, blank_lines

#: Longest headline in the Subject; mail clients cut far earlier, and RFC 5322 asks for
#: short subjects. The full title is in the body.
SUBJECT_HEADLINE_MAX = 150

# Characters that must never reach a header, and that make no sense in a body either, are
# those `monitor.textsafe` calls unsafe: C0 and C1 controls (incl. CR, LF, NUL, NEL U+0085),
# DEL, the Unicode line and paragraph separators, the bidi controls, which could make a
# subject display in a different order than it reads (e.g. reversing the "(rule ...)"
# part), and lone surrogates (a file name's undecodable bytes), which cannot be encoded.
# `blank` turns them into spaces one for one, so hit offsets into a title still fit.

_MSGID_DOMAIN_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def header_text(value: object, limit: int | None = None) -> str:
    """`value` as one safe header line: controls become spaces, whitespace runs collapse.

    With `limit`, the result is cut to at most that many characters, at a word boundary when
    one is near, and ends with an ellipsis.
    """
    text = " ".join(blank(str(value)).split())
    if limit is not None and len(text) > limit:
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        if space >= limit * 3 // 4:  # prefer a word boundary, but never lose much
            cut = cut[:space]
        text = cut.rstrip() + "…"
    return text


def body_text(value: object) -> str:
    """`value` for a body: line endings normalised to \\n, other unsafe characters spaces.

    A bare CR is never sent: some servers treat it as a line end and others do not, which is
    the root of SMTP smuggling.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    return blank_lines(text)


def web_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None: only those get links."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or not url.isprintable() or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _str(value: object) -> str:
    """A record field as a string; missing or null fields become empty."""
    return "" if value is None else str(value)


def headline(record: AlertRecord) -> str:
    """What the alert is about: the article title, else the rule's description."""
    for candidate in (record.article.title, record.description):
        text = header_text(candidate)
        if text:
            return text
    return "untitled article"


def rules_label(record: AlertRecord, limit: int) -> str:
    """`rule ID`, or `rules A, B` for a record that lists several, cut to `limit`."""
    ids = ", ".join(record.rule_ids)
    return f"rule{'s' if len(record.rules) > 1 else ''} {header_text(ids, limit)}"


def subject(record: AlertRecord) -> str:
    """`[monitor] <headline> (rule <id>)`, with the headline cut to SUBJECT_HEADLINE_MAX."""
    title = header_text(headline(record), SUBJECT_HEADLINE_MAX)
    return f"[monitor] {title} ({rules_label(record, 100)})"


def _html_lines(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` HTML-escaped, with each span in <strong>; spans must be sorted and disjoint."""
    out: list[str] = []
    pos = 0
    for s, e in spans:
        out.append(_html_lines(text[pos:s]))
        out.append(f"<strong>{_html_lines(text[s:e])}</strong>")
        pos = e
    out.append(_html_lines(text[pos:]))
    return "".join(out)


def _excerpt(record: AlertRecord) -> tuple[str, str, int] | None:
    """(text, field, start) of the record's excerpt, or None if it has none usable."""
    ex = record.excerpt
    if ex is None or not ex.text.strip() or ex.field not in ("title", "body") or ex.start < 0:
        return None
    return body_text(ex.text), ex.field, ex.start


def _matched(record: AlertRecord) -> list[tuple[str, str, str]]:
    """Distinct (text, term, fields) of the hits, in order, for the "Matched" line."""
    seen: dict[tuple[str, str], list[str]] = {}
    for hit in record.hits:
        text, term = header_text(hit.text), header_text(hit.term)
        field = header_text(hit.field)
        if text:
            fields = seen.setdefault((text, term), [])
            if field and field not in fields:
                fields.append(field)
    return [(text, term, ", ".join(fields)) for (text, term), fields in seen.items()]


def _about(term: str, fields: str) -> str:
    """` (South Korea, title)`: which term a hit matched and where; empty if unknown."""
    known = ", ".join(part for part in (term, fields) if part)
    return f" ({known})" if known else ""


def _facts(record: AlertRecord) -> list[tuple[str, str]]:
    """(label, value) lines shown under the headline, only those the record has."""
    article = record.article
    facts: list[tuple[str, str]] = []
    for rule in record.rules:
        facts += [("Rule", header_text(rule.rule)), ("Description", header_text(rule.description))]
    if record.also_in:
        outlets = dict.fromkeys(
            header_text(c.source or c.url or c.path or "") for c in record.also_in
        )
        facts.append(("Also in", header_text(", ".join(o for o in outlets if o), 500)))
    facts += [
        ("Source", header_text(_str(article.source))),
        ("Published", header_text(_str(article.published))),
        ("File", header_text(article.where)),
        ("Arrived as", header_text(article.path) if article.archived else ""),
        ("Matched at", header_text(_str(record.matched_at))),
    ]
    return [(label, value) for label, value in facts if value]


def render_text(record: AlertRecord) -> str:
    """The text/plain part: everything a reader needs, readable in any client."""
    article = record.article
    lines = [headline(record), ""]
    lines += [f"{label}: {value}" for label, value in _facts(record)]
    url = web_url(article.url)
    if url:
        lines.append(f"Link: {url}")
    matched = _matched(record)
    if matched:
        lines.append(
            "Matched: "
            + "; ".join(f'"{text}"' + _about(term, field) for text, term, field in matched)
        )
    ex = _excerpt(record)
    if ex is not None:
        text, field, start = ex
        lines += ["", f"Excerpt ({field}):", ""]
        lines += [("… " if start > 0 else "") + text.strip()]
    lines += ["", "--", "Sent by monitor. Article id: " + header_text(article.id)]
    return body_text("\n".join(lines)) + "\n"


def render_html(record: AlertRecord) -> str:
    """The text/html part: the same content, with the matched words in bold in the excerpt."""
    article = record.article
    esc = html.escape
    title = article.title
    if header_text(title):
        # One line, with each unsafe character replaced one for one so hit offsets still fit.
        title_text = blank(title)
        spans = highlight_spans(record.hits, "title", 0, len(title_text))
        title_html = highlight_html(title_text, spans)
    else:
        title_html = esc(headline(record))
    url = web_url(article.url)
    if url:
        title_html = f'<a href="{esc(url, quote=True)}">{title_html}</a>'
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"></head><body>',
        f"<h2>{title_html}</h2>",
        "<table>",
    ]
    for label, value in _facts(record):
        parts.append(f'<tr><th align="left">{esc(label)}</th><td>{esc(value)}</td></tr>')
    parts.append("</table>")
    ex = _excerpt(record)
    if ex is not None:
        text, field, start = ex
        marked = highlight_html(text, highlight_spans(record.hits, field, start, len(text)))
        lead = "… " if start > 0 else ""
        parts.append(f"<p><em>Excerpt ({esc(field)}):</em></p>")
        parts.append(f"<blockquote>{lead}{marked}</blockquote>")
    matched = _matched(record)
    if matched:
        items = "".join(
            f"<li><strong>{esc(text)}</strong>{esc(_about(term, field))}</li>"
            for text, term, field in matched
        )
        parts.append(f"<p>Matched:</p><ul>{items}</ul>")
    parts.append(
        f"<p><small>Sent by monitor. Article id: {esc(header_text(article.id))}</small></p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def message_id_domain(sender: str) -> str:
    """The sender's domain, for Message-IDs; never `socket.getfqdn()`, which can block on DNS."""
    domain = _MSGID_DOMAIN_UNSAFE.sub("", parseaddr(sender)[1].rpartition("@")[2]).strip(".")
    return domain or "monitor.invalid"


def message_id(record: AlertRecord, sender: str) -> str:
    """A Message-ID that is the same every time this alert is sent to this channel.

    Delivery is at-least-once: when a send is retried after the server already accepted it
    (say the connection dropped after DATA), mail systems that de-duplicate by Message-ID
    show the alert once. Without an article id, a random one.
    """
    key = [",".join(record.rule_ids), record.article.id, record.channel]
    if not key[1]:
        return make_msgid("monitor", domain=message_id_domain(sender))
    digest = hashlib.sha256("\x00".join(key).encode("utf-8")).hexdigest()[:32]
    return f"<monitor.{digest}@{message_id_domain(sender)}>"


def sent_date(sent_at: str | None) -> datetime:
    """The Date header's time: the record's send time, or now if it has none usable."""
    try:
        when = datetime.fromisoformat(_str(sent_at))
    except ValueError:
        return datetime.now(UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def build_message(record: AlertRecord, sender: str, recipients: list[str]) -> EmailMessage:
    """One alert as a multipart/alternative (text, HTML) message ready for `send_message`.

    `sender` and `recipients` come from the config and are used as they are; nothing in
    `record` can add or change an address header.
    """
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject(record)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(sent_date(record.sent_at))
    msg["Message-ID"] = message_id(record, sender)
    msg["X-Monitor-Rule"] = header_text(", ".join(record.rule_ids), 200)
    article_id = header_text(record.article.id, 100)
    if article_id:
        msg["X-Monitor-Article"] = article_id
    # RFC 3834: no vacation auto-replies to a robot's mail.
    msg["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit clean: no reliance on the server's 8BITMIME,
    # and no raw article bytes on the wire.
    msg.set_content(render_text(record), cte="quoted-printable")
    msg.add_alternative(render_html(record), subtype="html", cte="quoted-printable")
    return msg


# --- message templates (monitor.templates) ------------------------------------------------
# Values a template inserts are blanked (controls and line breaks become spaces): in the
# Subject that is what keeps a header from being added, in the body a forged line. The
# whole subject is made one header line again, and cut, after rendering.

SUBJECT_MAX = 200
"""Longest templated Subject, in characters (the built-in one is about as long at most)."""


def _text_link(url: str, text: str) -> str:
    label = blank(text)
    href = web_url(url)
    return f"{label} <{href}>" if href and label != href else (href or label)


TEXT_STYLE = Style(escape=blank, link=_text_link)
"""Values in an email's subject and text, and in Apprise messages (plain text)."""


def templated_message(msg: EmailMessage, title: str | None, body: str | None) -> EmailMessage:
    """A built message (`build_message`, or a digest's) with a template's title as the
    Subject and its body as the text part; the HTML part shows the same text, escaped, in
    a <pre>."""
    if title is not None:
        line = header_text(title, SUBJECT_MAX)
        if line:
            msg.replace_header("Subject", line)
    if body is not None:
        text = body_text(body).strip("\n") + "\n"
        msg.clear_content()
        msg.set_content(text, cte="quoted-printable")
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
            '<pre style="white-space: pre-wrap; font-family: inherit">'
            f"{html.escape(text)}</pre>\n</body></html>\n"
        )
        msg.add_alternative(page, subtype="html", cte="quoted-printable")
    return msg
