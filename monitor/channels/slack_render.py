"""An alert record as a Slack incoming-webhook message (Block Kit), as pure functions.

Two things matter more than looks here:

* Slack rejects a whole message (400 `invalid_payload`, a permanent failure) when any text is
  over its limit, so every piece is cut to fit: header 150, section 3000, `text` 40,000,
  at most 50 blocks. Lengths are counted in UTF-16 code units, which is never less than the
  number of characters, so the limits hold whichever way Slack counts. Cuts fall on a
  character boundary (never inside an emoji sequence or before a combining accent), end
  in "…", and happen on the raw text *before* escaping, so `&amp;` is never cut in half.

* Article text is untrusted. Slack treats `&`, `<` and `>` as control characters: an
  article containing `<!channel>` or `<https://evil|click>` would ping everyone or show a
  fake link. They are escaped as `&amp;` `&lt;` `&gt;` in every piece of text that comes
  from an article (the header too: Slack asks for it in all text objects). In `mrkdwn`
  text, `* _ ~ `` ` are replaced with look-alike characters (∗ ˍ ∼ ˋ) so an article cannot
  fake formatting or unbalance the `*bold*` around matched words, and text objects set
  `verbatim: true` so Slack does not auto-link or auto-mention anything in the article.
  `link_names` is never set, and link previews (`unfurl_*`) are off: an alert should not
  make Slack fetch arbitrary URLs from an article.

* Control characters (ESC, NEL, ...), line separators and bidi overrides (U+202E and the
  other embedding, override and isolate controls) become spaces, one for one so hit offsets
  still hold (`monitor.textsafe.blank`): an override would make a title read in another
  order, and Slack would show escapes as junk. The header and the fallback `text` are one
  line: whitespace runs, newlines included, become one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from monitor.alerts import AlertRecord, ArticleInfo
from monitor.channels.spans import highlight_spans
from monitor.templates import Style
from monitor.textsafe import blank

HEADER_MAX = 150
SECTION_MAX = 3000
CONTEXT_MAX = 2000
TEXT_MAX = 40_000
MAX_BLOCKS = 50

ELLIPSIS = "…"
UNTITLED = "(untitled article)"
ZWSP = "\u200b"

_PLAIN = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MRKDWN = {**_PLAIN, "*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
#: Inside a `code span` formatting is off already; only a backtick could end it early.
_CODE = {**_PLAIN, "`": "\u02cb"}

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_ZWJ = "\u200d"

Escaper = dict[str, str]


def slack_payload(record: AlertRecord) -> dict[str, Any]:
    """The JSON body for an incoming webhook: fallback `text` plus Block Kit `blocks`."""
    article = record.article
    rule = _str(", ".join(record.rule_ids))
    title = _oneline(_str(article.title)) or UNTITLED

    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(title, HEADER_MAX)}},
    ]
    for text in (_facts(record, article), _excerpt_section(record), _link(article)):
        if text:
            blocks.append({"type": "section", "text": _mrkdwn(text)})
    terms = _terms(record)
    if terms:
        blocks.append({"type": "context", "elements": [_mrkdwn(terms)]})

    return {
        "text": fit(f"[{rule}] {title}", TEXT_MAX),
        "blocks": blocks[:MAX_BLOCKS],
        "unfurl_links": False,
        "unfurl_media": False,
    }


# --- lengths, escaping and cutting -------------------------------------------------------


def slack_len(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str, table: Escaper = _PLAIN) -> str:
    """`text` with Slack's control characters (and, per `table`, mrkdwn ones) replaced."""
    return "".join(table.get(c, c) for c in text)


def fit(raw: str, limit: int, table: Escaper = _PLAIN) -> str:
    """`raw` escaped, cut so the escaped result is at most `limit` long (with "…" if cut)."""
    return _fit(raw, limit, table)[0]


def _fit(raw: str, limit: int, table: Escaper) -> tuple[str, bool]:
    """(escaped text within `limit`, whether it was cut).

    The cut is made on the raw text, counting each character at its escaped length, so an
    escape sequence is either whole or absent. It backs up to a space when one is near,
    so the reader sees whole words.
    """
    escaped = escape(raw, table)
    if slack_len(escaped) <= limit:
        return escaped, False
    room = limit - slack_len(ELLIPSIS)
    if room <= 0:
        return (ELLIPSIS if limit >= slack_len(ELLIPSIS) else ""), True
    used = cut = 0
    for char in raw:
        cost = slack_len(table.get(char, char))
        if used + cost > room:
            break
        used += cost
        cut += 1
    cut = _char_boundary(raw, cut)
    if cut < len(raw) and not raw[cut].isspace():
        space = raw.rfind(" ", max(0, cut - 30), cut)
        if space > 0:
            cut = space
    return escape(raw[:cut].rstrip(), table) + ELLIPSIS, True


def _char_boundary(raw: str, cut: int) -> int:
    """Move `cut` back so it does not split a base character from its marks or an emoji
    sequence (variation selectors, skin tones, zero-width joiners)."""
    while 0 < cut < len(raw) and (_attaches(raw[cut]) or raw[cut - 1] == _ZWJ):
        cut -= 1
    return cut


def _attaches(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _str(value: object) -> str:
    """A record field as clean text: missing is empty; lone surrogates (which would make
    Slack reject the JSON) become `?`, control, separator and bidi characters spaces."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return blank(text)


def _oneline(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link URLs or turn words into mentions or channel links.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


# --- the pieces of the message -----------------------------------------------------------


def _facts(record: AlertRecord, article: ArticleInfo) -> str:
    """Rule id and description (a line per rule); source and date when the article has them.

    A story can match many rules: the rule lines are kept whole, as many as fit in one
    section with the lines after them, then "… and N more rules"."""
    lines: list[str] = []
    several = len(record.rules) > 1
    for match in record.rules:
        rule = _oneline(_str(match.rule))
        description = _oneline(_str(match.description))
        line = f"*Rule:* `{fit(rule, 200, _CODE)}`" if rule else ""
        if description:
            line += (" — " if line else "") + fit(description, 1000, _MRKDWN)
        if several:  # a story message: which words made each rule match
            words = _distinct(_oneline(_str(h.text)) for h in match.hits)[:8]
            if words:
                line += " (" + fit(", ".join(words), 300, _MRKDWN) + ")"
        if line:
            lines.append(line)
    tail: list[str] = []
    if record.also_in:
        outlets = _distinct(_oneline(_str(c.source or c.url or c.path)) for c in record.also_in)
        more = len(record.also_in) - min(len(outlets), 5)
        shown = ", ".join(outlets[:5]) + (f" and {more} more" if more > 0 else "")
        tail.append(f"*Also in:* {fit(shown, 500, _MRKDWN)}")
    source = _oneline(_str(article.source))
    published = _oneline(_str(article.published))
    about = []
    if source:
        about.append(f"*Source:* {fit(source, 300, _MRKDWN)}")
    if published:
        about.append(f"*Published:* {fit(published, 100, _MRKDWN)}")
    if about:
        tail.append("    ".join(about))
    room = SECTION_MAX - slack_len("\n".join(tail)) - 40  # 40: the "more rules" line
    kept: list[str] = []
    for line in lines:
        room -= slack_len(line) + 1
        if room < 0:
            kept.append(f"{ELLIPSIS} and {len(lines) - len(kept)} more rules")
            break
        kept.append(line)
    return "\n".join(kept + tail)


def _excerpt_section(record: AlertRecord) -> str:
    """The excerpt with the matched words in bold, or the matched words alone without one."""
    ex = record.excerpt
    if ex is not None and ex.text.strip() and ex.field in ("title", "body") and ex.start >= 0:
        # `_str` replaces characters one for one, so hit offsets still fit the text.
        text = _str(ex.text)
        spans = highlight_spans(record.hits, ex.field, ex.start, len(text))
        return render_highlighted(text, spans, SECTION_MAX, leading_cut=ex.start > 0)
    return _matched_words(record)


def render_highlighted(
    text: str, spans: list[tuple[int, int]], limit: int, leading_cut: bool = False
) -> str:
    """`text` as mrkdwn on one paragraph, each span in `*bold*`, at most `limit` long.

    Whitespace runs become single spaces (a snippet, not a layout); whitespace at the edge
    of a span moves outside the asterisks, where Slack needs it; a zero-width space
    separates an asterisk from an adjacent letter, as Slack only bolds at word boundaries.
    """
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for s, e in spans:
        pieces += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    pieces.append((text[pos:], False))
    pieces = _tidy(pieces)

    out = ELLIPSIS if leading_cut and pieces else ""
    for index, (raw, bold) in enumerate(pieces):
        room = limit - slack_len(out)
        if not bold:
            rendered, cut = _fit(raw, room, _MRKDWN)
            out += rendered
            if cut:
                break
            continue
        following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
        before = ZWSP if out and _WORD.match(out[-1]) else ""
        after = ZWSP if following and _WORD.match(following[0]) else ""
        rendered = f"{before}*{escape(raw, _MRKDWN)}*{after}"
        # The last piece needs no room for a closing "…"; any other one does.
        reserve = 0 if index == len(pieces) - 1 else slack_len(ELLIPSIS)
        if slack_len(rendered) + reserve > room:
            out = out.rstrip() + ELLIPSIS if slack_len(out) < limit else out
            break
        out += rendered
    return out.strip()


def _tidy(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Collapse whitespace, move it out of bold pieces, and trim the ends."""
    tidy: list[tuple[str, bool]] = []
    for raw, bold in pieces:
        raw = _SPACE.sub(" ", raw)
        if bold:
            inner = raw.strip()
            if not inner:
                bold = False
            else:
                lead = " " if raw[:1] == " " else ""
                trail = " " if raw[-1:] == " " else ""
                if lead:
                    tidy.append((lead, False))
                tidy.append((inner, True))
                if trail:
                    tidy.append((trail, False))
                continue
        tidy.append((raw, False))
    merged: list[tuple[str, bool]] = []
    for raw, bold in tidy:
        if merged and not bold and not merged[-1][1]:
            merged[-1] = (_SPACE.sub(" ", merged[-1][0] + raw), False)
        elif raw:
            merged.append((raw, bold))
    if merged and not merged[0][1]:
        merged[0] = (merged[0][0].lstrip(), False)
    if merged and not merged[-1][1]:
        merged[-1] = (merged[-1][0].rstrip(), False)
    return [(raw, bold) for raw, bold in merged if raw]


def _matched_words(record: AlertRecord) -> str:
    """Without an excerpt: the distinct matched texts in bold, as far as they fit."""
    texts = _distinct(_oneline(_str(h.text)) for h in record.hits)
    return _listing("*Matched:*", [f"*{fit(t, 200, _MRKDWN)}*" for t in texts], SECTION_MAX)


def _listing(label: str, items: list[str], limit: int) -> str:
    """`label item, item, …`: whole items only, as many as fit in `limit`."""
    if not items:
        return ""
    out = label
    for i, item in enumerate(items):
        piece = (", " if i else " ") + item
        if slack_len(out + piece) + slack_len(ELLIPSIS) + 1 > limit:
            return out + ("," if i else "") + " " + ELLIPSIS
        out += piece
    return out


def _terms(record: AlertRecord) -> str:
    """The rule's terms that matched, for the context line under the message.

    Terms come from the rules, as written (`weapon*`), so they are shown as code: that keeps
    a wildcard's asterisk literal without a look-alike.
    """
    terms = _distinct(_oneline(_str(h.term)) for h in record.hits)
    return _listing("Terms:", [f"`{fit(t, 200, _CODE)}`" for t in terms], CONTEXT_MAX)


def _distinct(values: Iterable[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _link(article: ArticleInfo) -> str:
    """`<url|Read the article>` for a plain http(s) URL; nothing for anything else.

    A URL with `|`, `<` or `>` could close the link early and smuggle in text or a second
    link, and a `javascript:` or `slack:` URL has no business in an alert, so such URLs are
    left out rather than repaired.
    """
    url = article.url
    if url is None or not _safe_url(url):
        return ""
    link = f"<{url.replace('&', '&amp;')}|Read the article>"
    return link if slack_len(link) <= SECTION_MAX else ""


def _safe_url(url: str) -> bool:
    if any(c in "|<>" or c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


# --- message templates (monitor.templates) ------------------------------------------------
# A template's values are escaped by these styles as they are inserted; its literal text is
# the admin's mrkdwn. The title is plain text: values are only cleaned here, and the whole
# title is escaped (`&<>`) and cut like the built-in one.


def _template_link(url: str, text: str) -> str:
    label = escape(_oneline(_str(text)), _MRKDWN)
    if not _safe_url(url):
        return label
    return f"<{url.replace('&', '&amp;')}|{label}>"


TITLE_STYLE = Style(escape=_str, link=lambda url, text: _str(text))
BODY_STYLE = Style(escape=lambda text: escape(_str(text), _MRKDWN), link=_template_link)


def templated_payload(
    payload: dict[str, Any], record: AlertRecord | None, title: str | None, body: str | None
) -> dict[str, Any]:
    """A built-in payload (`slack_payload`, or a digest's) with a template's title (header
    and fallback `text`) and body (one mrkdwn section in place of the rest; an alert's
    link and terms stay)."""
    if title is not None:
        line = _oneline(_str(title)) or UNTITLED
        payload["blocks"][0] = {
            "type": "header",
            "text": {"type": "plain_text", "text": fit(line, HEADER_MAX)},
        }
        payload["text"] = fit(line, TEXT_MAX)
    if body is not None:
        blocks = [payload["blocks"][0]]
        # Escaped already (values by BODY_STYLE, the rest is the admin's mrkdwn): cut only.
        text = fit(body.strip(), SECTION_MAX, {})
        if text:
            blocks.append({"type": "section", "text": _mrkdwn(text)})
        link = _link(record.article) if record is not None else ""
        if link:
            blocks.append({"type": "section", "text": _mrkdwn(link)})
        terms = _terms(record) if record is not None else ""
        if terms:
            blocks.append({"type": "context", "elements": [_mrkdwn(terms)]})
        payload["blocks"] = blocks
    return payload
