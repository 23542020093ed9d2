"""OPML subscription lists to `[sources.NAME]` config blocks (`monitor sources import`).

Every feed reader exports its subscriptions as OPML, so this is how an admin moves a few
hundred feeds into `config.toml` without typing them. The file comes from elsewhere (a
colleague, a download), so it is parsed as untrusted XML: expat directly, with handlers
that refuse any DOCTYPE (which is where entity bombs and external entities live; OPML
never needs one) and a cap on outlines, so a hostile file costs milliseconds.

The TOML is written by hand rather than by a library because only three shapes are
needed (a comment, a table header with a slug, two strings), and every one of them is
escaped here: a title or URL can hold quotes, backslashes, newlines and `]`, and none of
them may end a string, a comment or a header early and inject keys of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.parsers import expat

from monitor.errors import MonitorError
from monitor.textsafe import printable, shorten

MAX_OUTLINES = 10_000
"""Outlines read from one file; a big reader export has a few hundred."""
MAX_SLUG = 40
"""Characters of a source name made from a title."""

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TOML_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_TOML_SHORT["\r"] = "\\r"


class OpmlError(MonitorError):
    """A file that is not OPML we can read; the message says why (the caller names it)."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    url: str


class _Stop(Exception):
    """Raised from a handler to end the parse (expat has no other way to stop)."""


def read_opml(data: bytes, notes: list[str] | None = None) -> list[OpmlFeed]:
    """Every `<outline>` with an `xmlUrl`, folders included, in document order.

    Outlines whose URL is not http(s) are skipped, and reading stops after `MAX_OUTLINES`
    outlines; each such event appends a sentence to `notes`, if given.
    Raises `OpmlError` for a file that is not well-formed XML, not OPML, or has a DOCTYPE.
    """
    notes = [] if notes is None else notes
    feeds: list[OpmlFeed] = []
    seen_root: list[str] = []
    count = 0
    skipped: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        if not seen_root:
            seen_root.append(name)
            if name.lower() != "opml":
                raise OpmlError(f"not an OPML file: the root element is <{shorten(name)}>")
        if name != "outline":
            return
        count += 1
        if count > MAX_OUTLINES:
            notes.append(f"only the first {MAX_OUTLINES:,} outlines were read")
            raise _Stop
        found = _feed(attributes)
        if isinstance(found, OpmlFeed):
            feeds.append(found)
        elif found:
            skipped.append(found)

    def refuse_doctype(*_: Any) -> int:
        raise OpmlError(
            "the file has a DOCTYPE (entity or DTD declarations), which OPML never needs "
            "and XML attacks use; it was not read"
        )

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_doctype
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        if not data.strip():
            raise OpmlError("the file is empty") from None
        raise OpmlError(
            f"not well-formed XML ({expat.errors.messages[exc.code]}) at "
            f"line {exc.lineno}, column {exc.offset + 1}"
        ) from None
    if skipped:
        shown = ", ".join(printable(shorten(url)) for url in skipped[:3])
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        notes.append(f"skipped {len(skipped)} feed(s) whose URL is not http(s): {shown}{more}")
    return feeds


def _feed(attributes: dict[str, str]) -> OpmlFeed | str | None:
    """The feed an outline subscribes to; its URL when that is not http(s); None for a
    folder (an outline without an `xmlUrl`)."""
    fields = {key.lower(): value for key, value in attributes.items()}
    url = _feed_scheme(fields.get("xmlurl", "").strip())
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    title = " ".join((fields.get("title") or fields.get("text") or "").split())
    return OpmlFeed(title=title or parts.hostname, url=url)


def _feed_scheme(url: str) -> str:
    """`url` with the `feed:` pseudo-scheme some readers export (Safari, NetNewsWire, old
    Firefox) made the http(s) URL it stands for: `feed://host/rss` is `http://host/rss`,
    `feed:https://host/rss` is `https://host/rss`."""
    if url[:5].lower() != "feed:":
        return url
    rest = url[5:]
    if rest[:2] == "//":
        return "http:" + rest
    return rest if rest.lower().startswith(("http://", "https://")) else url


def sources_toml(feeds: list[OpmlFeed], taken: set[str]) -> str:
    """One `[sources.NAME]` block per distinct feed URL, named so as not to clash with
    `taken` (the source names already configured) or with each other.

    Each block starts with a comment giving the original title, escaped onto one line.
    """
    names = set(taken) | {"inbox"}  # the [inbox] folder's name: no source may take it
    seen: set[str] = set()
    blocks: list[str] = []
    for feed in feeds:
        if feed.url in seen:
            continue
        seen.add(feed.url)
        name = unique_name(source_slug(feed.title, feed.url), names)
        names.add(name)
        blocks.append(
            f"# {printable(feed.title)}\n"
            f"[sources.{name}]\n"
            f'type = "feed"\n'
            f"url = {toml_string(feed.url)}\n"
        )
    return "\n".join(blocks)


def source_slug(title: str, url: str) -> str:
    """A source name from a feed's title: lowercase ASCII letters, digits and '-'; from the
    URL's host when the title has no ASCII letters (a Cyrillic or Chinese title)."""
    slug = _slug(title)
    if not any(c.isalpha() for c in slug):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        host = host.removeprefix("www.")
        slug = _slug(host) or "feed"
    return slug


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`, ... the first that is not in `taken`."""
    if name not in taken:
        return name
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def toml_string(value: str) -> str:
    """`value` as a TOML basic string: quotes, backslashes and control characters escaped
    (lone surrogates, which TOML cannot hold, become U+FFFD)."""
    out: list[str] = []
    for char in value:
        code = ord(char)
        if char in _TOML_SHORT:
            out.append(_TOML_SHORT[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
