"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to entries: pure parsing, no I/O.

The feed poller fetches the bytes; this module turns them into `FeedEntry` values the
pipeline can match, and nothing else, so it can be tested on documents alone and a hostile
server can only cost what parsing one document costs.

feedparser reads RSS and Atom, including the broken XML real feeds are made of: when its
strict (expat) parser fails it reparses with a forgiving one, and a document that yields
entries that way is accepted (`bozo` with entries); one that yields none is a `FeedError`.
It has no JSON Feed support, so `_parse_json` is our own, small reader of JSON Feed 1.0/1.1.

Hostile documents are bounded before feedparser sees them, because feedparser is pure
Python (about 18 microseconds an element: 11 s for 100,000 small entries):

* any `<!ENTITY` declaration is refused unparsed: a feed never needs one, and they are how
  entity bombs (billion laughs, quadratic blow-up) and external entities (XXE) work.
  feedparser's own defence keeps "safe" entity declarations and hands them to both its
  parsers, and expat's own limit depends on the libexpat version; refusing is simpler.
* feedparser is given a stream, never the bytes themselves: given `bytes` it first tries
  them as a file name (`open(data)`), so a document reading `/etc/passwd` would be read.
* only the first `MAX_ENTRIES` entries are parsed: the document is cut before the next
  entry's start tag and the open elements closed (`_cut_entries`); `ParsedFeed.truncated`
  says how many were left out.
* markup with more than `MAX_TAGS` tags is refused, as `htmlfmt` does for pages.
* feedparser's HTML sanitizer and relative-URI rewriting are off: we want text, not safe
  HTML, and `html_to_text` (lxml, bounded) makes the text.

Identity: an entry's `key` is its guid/id, else its link, else a hash of its title and
text, so an entry keeps its key when its text is corrected; `fingerprint` hashes the title
and text, so a correction is seen as a new version of the same entry.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import io
import json
import logging
import re
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser  # type: ignore[import-untyped, unused-ignore]

from monitor.articles.decode import decode_bytes, xml_declared, xml_redeclared
from monitor.articles.htmlfmt import html_to_text
from monitor.articles.model import encodable
from monitor.errors import ArticleError, MonitorError
from monitor.sources.fetch import media_type, without_userinfo

MAX_ENTRIES = 1_000
"""Entries read from one document; a real feed carries 10 to a few hundred."""
MAX_TAGS = 500_000
"""Documents with more "<" than this are refused unparsed (as `htmlfmt.MAX_MARKUP_TAGS`);
1,000 entries with full HTML content have tens of thousands."""
MAX_TITLE = 2_000
"""Characters kept of a title (entry or feed); headlines are under 200."""
MAX_TEXT = 1_000_000
"""Characters kept of an entry's text; a long article is under 100,000."""
MAX_MARKUP = 4 * MAX_TEXT
"""Characters of an entry's HTML converted to text; markup is mostly tags."""
MAX_KEY = 1_000
"""Longer guids, ids and links are replaced by their hash as the key."""

_JSONFEED_VERSIONS = {
    "https://jsonfeed.org/version/1": "json10",
    "https://jsonfeed.org/version/1.1": "json11",
}
_JSON_TYPES = ("application/feed+json", "application/json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SPACE_RUN = re.compile(r"\s+")
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def _no_character(ref: re.Match[bytes]) -> bytes:
    """A character reference to what is no character (a surrogate, past U+10FFFF) as
    `&#xFFFD;`: feedparser turns each into a character and encodes it, which raised out of
    the whole parse, so one `&#xD800;` in one entry failed every poll of the feed."""
    digits = ref.group(1)
    code = int(digits[1:], 16) if digits[:1] in b"xX" else int(digits)
    return ref.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
# What `_open_elements` steps over, by how it starts and ends.
_SKIPPED_CONSTRUCTS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"), (b"<!", b">"))
_TAG_NAME = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)")
# The first four bytes of UTF-32 documents without a byte-order mark.
_WIDE = {b"\x00\x00\x00<": "utf-32-be", b"<\x00\x00\x00": "utf-32-le"}
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
# feedparser's complaints that say nothing about whether entries could be read.
_BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(MonitorError):
    """A document that is not a feed we can read; the message says what is wrong, for the
    log line (or `monitor sources`) that names the feed."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # guid/id, else link, else "sha256:" + hash of (title, text); stable across polls
    title: str  # plain text
    text: str  # content, else summary/description, as plain text
    url: str | None  # the entry's link, http(s) only
    published: str | None  # 'YYYY-MM-DDTHH:MM:SSZ' from published, else updated
    fingerprint: str  # hash of (title, text): changes when the entry's text changes


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None  # the feed's own title (the article's `source`)
    language: str | None  # as the feed gives it, stripped ('en', 'de-DE')
    entries: list[FeedEntry]
    version: str  # feedparser's name ('rss20', 'atom10', 'rss10', ...) or 'json10'/'json11'
    truncated: int = 0  # entries left out beyond MAX_ENTRIES


def parse_feed(data: bytes, content_type: str = "", url: str = "") -> ParsedFeed:
    """The feed in `data`, as served with `content_type` from `url` (for relative links).

    Raises `FeedError` for anything that is not a readable feed; a valid feed without
    entries is no error.
    """
    if not data.strip():
        raise FeedError("the feed document is empty")
    url = _link_base(url)
    mime = content_type.split(";")[0].strip().lower()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return _parse_json(data, url)
    if mime in _JSON_TYPES and head != b"<":
        raise FeedError(f"not a feed: served as {mime} but not a JSON object")
    return _parse_xml(data, content_type, url)


# -- RSS and Atom --------------------------------------------------------------------------


def _parse_xml(data: bytes, content_type: str, url: str) -> ParsedFeed:
    if _ENTITY_DECL.search(data) or _ENTITY_DECL.search(_as_utf8(data)):
        raise FeedError(
            "the document declares XML entities (<!ENTITY ...>), which no feed needs and "
            "entity bombs and external-entity attacks use; it was not parsed"
        )
    data, truncated = _cut_entries(data)
    if b"&#" in data:  # ASCII-compatible encodings; a UTF-16 feed is left as it is
        data = _CHARREF.sub(_no_character, data)
    tags = data.count(b"<")
    if tags > MAX_TAGS:
        raise FeedError(
            f"the document has {tags:,} tags, more than the {MAX_TAGS:,} a feed of "
            f"{MAX_ENTRIES:,} entries needs; it was not parsed"
        )
    data, content_type = _in_utf8(data, content_type, url)
    headers = {"content-type": content_type or "application/xml"}
    if url:
        headers["content-location"] = url
    result = feedparser.parse(
        io.BytesIO(data),  # never bytes: feedparser tries those as a file name first
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    raw_entries = list(result.get("entries") or [])
    version = str(result.get("version") or "")
    entries = _distinct([e for e in (_xml_entry(raw, url) for raw in raw_entries) if e is not None])
    if not entries:  # the forgiving parser makes empty entries of broken ones
        _refuse_empty(data, result, version)
    feed = result.get("feed") or {}
    return ParsedFeed(
        title=_detail_text(feed, "title") or None,
        language=_language(feed.get("language")),
        entries=entries,
        version=version or "unknown",
        truncated=truncated,
    )


log = logging.getLogger("monitor.sources")


def _in_utf8(data: bytes, content_type: str, url: str) -> tuple[bytes, str]:
    """The document as UTF-8 that says so, decoded as articles are (`decode_bytes`), unless
    it is UTF-8 (or UTF-16/32) already.

    feedparser falls back to windows-1252 without a word: a cp1251 feed that declares
    nothing (or declares latin-1) was stored as `Ðîññèÿ è ÍÀÒÎ` and matched nothing. Here
    the declared charset (HTTP, then the XML declaration) still wins unless its bytes break
    it, detection reads what declares nothing, and a guess is logged with the feed's URL.
    """
    if data[:4].startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4]:
        return data, content_type
    declared = media_type(content_type)[1] or xml_declared(data)
    if declared is None or _is_utf8_label(declared):
        try:
            data.decode("utf-8")
            return data, content_type
        except UnicodeDecodeError:
            pass
    try:
        text, decoding = decode_bytes(data, declared)
    except ArticleError:  # a byte-order mark the bytes break: feedparser says what it can
        return data, content_type
    if decoding.guessed:
        level = logging.INFO if decoding.sure else logging.WARNING
        log.log(level, "feed %s: %s", url or "?", decoding.describe())  # no user info or query
    converted = xml_redeclared(text.encode("utf-8", "replace"), "utf-8")
    mime = content_type.split(";")[0].strip() or "application/xml"
    return converted, f"{mime}; charset=utf-8"


def _is_utf8_label(label: str) -> bool:
    try:
        return codecs.lookup(label).name == "utf-8"
    except LookupError:
        return False


def _refuse_empty(data: bytes, result: Any, version: str) -> None:
    """Raise the `FeedError` for a document without entries, unless it is a valid feed."""
    bozo = result.get("bozo") and not isinstance(result.get("bozo_exception"), _BENIGN_BOZO)
    if not version:
        if _HTML_START.match(data[:4096]):
            raise FeedError("not a feed: the document is an HTML page (is the URL a web page?)")
        why = f" ({result.get('bozo_exception')})" if bozo else ""
        raise FeedError(f"not a feed: the document is neither RSS, Atom nor JSON Feed{why}")
    if bozo:
        raise FeedError(
            f"the feed is not well-formed XML and no entries could be read from it: "
            f"{result.get('bozo_exception')}"
        )


def _as_utf8(data: bytes) -> bytes:
    """`data` re-encoded as UTF-8 if it is UTF-16 or UTF-32 (by byte-order mark or the NUL
    bytes around its first "<"), else nothing: so the entity check also sees declarations
    a wide encoding spells with NUL bytes between the letters."""
    head = data[:4]
    if head in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        encoding = "utf-32"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        encoding = _WIDE.get(head, "utf-16-be" if head[:1] == b"\x00" else "utf-16-le")
    else:
        return b""
    return data.decode(encoding, "replace").encode("utf-8", "replace")


def _cut_entries(data: bytes) -> tuple[bytes, int]:
    """(`data` with at most `MAX_ENTRIES` entries, how many were cut off).

    The document is cut before the first entry beyond the cap, and the elements open where
    the first entry starts (`<rss><channel>`, `<feed>`, `<rdf:RDF>`) are closed. Should
    that guess be wrong (an entry tag inside a CDATA section, a header too odd to follow),
    the strict parser fails and feedparser's forgiving one reads what there is, still only
    from the capped length.
    """
    starts = _ENTRY_START.finditer(data)
    first = next(starts, None)
    if first is None:
        return data, 0
    cut = None
    for count, found in enumerate(starts, start=2):
        if count == MAX_ENTRIES + 1:
            cut = found.start()
            break
    if cut is None:
        return data, 0
    left = 1 + sum(1 for _ in starts)
    closing = b"".join(
        b"</" + name + b">" for name in reversed(_open_elements(data, first.start()))
    )
    return data[:cut] + closing, left


def _open_elements(data: bytes, end: int) -> list[bytes]:
    """The elements open at offset `end` of `data`, outermost first, by a scan of the tags
    before it that steps over comments, CDATA, declarations and processing instructions.

    Each step searches forward from where the last one ended, so the scan is linear; an
    unterminated construct ends it (what is open so far is the answer).
    """
    stack: list[bytes] = []
    pos = data.find(b"<", 0, end)
    while pos != -1:
        for opener, closer in _SKIPPED_CONSTRUCTS:
            if data.startswith(opener, pos):
                stop = data.find(closer, pos + len(opener), end)
                if stop == -1:
                    return stack
                pos = stop + len(closer)
                break
        else:
            stop = data.find(b">", pos, end)
            if stop == -1:
                return stack
            tag = _TAG_NAME.match(data, pos, stop + 1)
            if tag is not None and data[stop - 1 : stop] != b"/":
                name = tag.group(2)
                if not tag.group(1):
                    stack.append(name)
                elif name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(name) :]
            pos = stop + 1
        pos = data.find(b"<", pos, end)
    return stack


def _xml_entry(raw: Any, base: str) -> FeedEntry | None:
    title = _detail_text(raw, "title")
    contents = raw.get("content") or []
    detail = contents[0] if contents else raw.get("summary_detail")
    if detail is not None and detail.get("value"):
        text = _text(str(detail.get("value")), str(detail.get("type") or ""))
    else:
        text = _text(str(raw.get("summary") or ""), "text/html")
    link = _http_url(raw.get("link"), base)
    # dict.get: FeedParserDict's own maps a missing updated_parsed to published_parsed, warning.
    published = _struct_date(dict.get(raw, "published_parsed")) or _struct_date(
        dict.get(raw, "updated_parsed")
    )
    return _entry(raw.get("id"), title, text, link, published)


def _detail_text(raw: Any, name: str) -> str:
    """A title (`name`) as one line of plain text, converted from HTML when it is HTML."""
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        return ""
    kind = str((raw.get(f"{name}_detail") or {}).get("type") or "text/plain")
    return _one_line(_text(value, kind))[:MAX_TITLE]


def _struct_date(value: Any) -> str | None:
    """feedparser's parsed date (a UTC `struct_time`) as ISO 8601 UTC; None if absent."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return _iso(moment)


# -- JSON Feed -----------------------------------------------------------------------------


def _parse_json(data: bytes, base: str) -> ParsedFeed:
    try:
        document = json.loads(data)
    except RecursionError:  # json's C scanner stops at the recursion limit, at once
        raise FeedError("the JSON document is nested too deeply to be a feed") from None
    except ValueError as exc:  # JSONDecodeError, bad UTF-8, over-long integers
        raise FeedError(f"not a feed: the document is not valid JSON ({exc})") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise FeedError(
            'not a feed: a JSON document but not a JSON Feed (no "version": '
            '"https://jsonfeed.org/version/1.1")'
        )
    items = document.get("items")
    items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    kept = items[:MAX_ENTRIES]
    base = _string(document.get("feed_url")) or base
    entries = _distinct([e for e in (_json_entry(item, base) for item in kept) if e is not None])
    return ParsedFeed(
        title=encodable(_one_line(_string(document.get("title")))[:MAX_TITLE]) or None,
        language=_language(document.get("language")),
        entries=entries,
        version=_JSONFEED_VERSIONS.get(version.rstrip("/"), "json"),
        truncated=len(items) - len(kept),
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    title = _one_line(_string(item.get("title")))[:MAX_TITLE]
    if _string(item.get("content_html")):
        text = _text(_string(item.get("content_html")), "text/html")
    elif _string(item.get("content_text")):
        text = _text(_string(item.get("content_text")), "text/plain")
    else:
        text = _text(_string(item.get("summary")), "text/plain")
    link = _http_url(item.get("url"), base) or _http_url(item.get("external_url"), base)
    published = _json_date(item.get("date_published")) or _json_date(item.get("date_modified"))
    ident = item.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int | float):
        ident = None
    return _entry(None if ident is None else str(ident), title, text, link, published)


def _json_date(value: Any) -> str | None:
    """An RFC 3339 date (or, leniently, RFC 822) as ISO 8601 UTC; None if unreadable.

    A date without an offset is taken as UTC.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return _iso(moment.astimezone(UTC))
    except (OverflowError, ValueError):
        return None


# -- shared --------------------------------------------------------------------------------


def _entry(
    ident: Any, title: str, text: str, link: str | None, published: str | None
) -> FeedEntry | None:
    """The entry, with its key and fingerprint; None when it has neither title nor text."""
    if not title and not text:
        return None
    # Anything from a JSON Feed may hold a lone surrogate (a `"\\ud800"` escape), which the
    # state database (the key) and the senders cannot encode.
    title, text = encodable(title), encodable(text)
    link = None if link is None else encodable(link)
    fingerprint = _digest(title, text)
    key = encodable(_one_line(ident)) if isinstance(ident, str) else ""
    key = key or link or f"sha256:{fingerprint}"
    if len(key) > MAX_KEY:
        key = f"sha256:{_digest(key)}"
    return FeedEntry(key, title, text, link, published, fingerprint)


def _distinct(entries: list[FeedEntry]) -> list[FeedEntry]:
    """One entry per key. An exact repeat (same key, same text) is dropped; entries that
    share a key but differ in text (a publisher reusing one guid) get a key of their own
    from the guid and their text. Otherwise the state database, which keeps one version
    per key, would see one of them as changed on every poll and send it through again."""
    texts: dict[str, set[str]] = {}
    for entry in entries:
        texts.setdefault(entry.key, set()).add(entry.fingerprint)
    seen: set[tuple[str, str]] = set()
    kept: list[FeedEntry] = []
    for entry in entries:
        if (entry.key, entry.fingerprint) in seen:
            continue
        seen.add((entry.key, entry.fingerprint))
        if len(texts[entry.key]) > 1:
            entry = replace(entry, key=f"sha256:{_digest(entry.key, entry.fingerprint)}")
        kept.append(entry)
    return kept


def _digest(*parts: str) -> str:
    """SHA-256 of the parts, unambiguous (("a", "bc") and ("ab", "c") differ)."""
    encoded = json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(encoded).hexdigest()


def _text(value: str, kind: str) -> str:
    """Plain text of a title or content of MIME type `kind`, capped at `MAX_TEXT`."""
    if not value:
        return ""
    if any(html in kind.lower() for html in _HTML_TYPES) or kind.lower() in ("html", "xhtml"):
        try:
            value = html_to_text(value[:MAX_MARKUP])
        except ArticleError:  # too much markup for a feed entry: not worth reading
            return ""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.strip()[:MAX_TEXT]


def _one_line(value: str) -> str:
    return _SPACE_RUN.sub(" ", value).strip()


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return encodable(value.strip()[:50]) or None


def _link_base(url: str) -> str:
    """The feed's URL as the base of its relative links: without user info, query and
    fragment, where an admin puts credentials and tokens. Resolved against the full URL, a
    guid such as "g1" or a link "#top" would carry them into entry keys (the state
    database) and article URLs (alerts, Slack, email)."""
    split = without_userinfo(url)
    if split is None:
        return ""
    parts, netloc = split
    return urlunsplit((parts.scheme, netloc if parts.netloc else "", parts.path, "", ""))


def _http_url(value: Any, base: str) -> str | None:
    """An http(s) link, made absolute against the feed's URL; None for anything else."""
    if not isinstance(value, str) or not value.strip() or len(value) > 8_000:
        return None
    try:
        link = urljoin(base, value.strip()) if base else value.strip()
        parts = urlsplit(link)
    except ValueError:  # a malformed IPv6 host, for one
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return link


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
