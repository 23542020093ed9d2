"""JSON articles: our simple form and IPTC ninjs (1.x flat keys, 2.x `headlines`/`bodies`).

Simple form: {"title", "body", "url"?, "published"?, "source"?, "language"?}.
ninjs 1.x: {"headline", "body_text" | "body_html", "uri"?, "versioncreated"?,
"copyrightholder"? | "located"?, "language"?}. ninjs 2.x keeps headlines and bodies in lists of
{"value", "role"?, "contenttype"?} objects. One article per file: a list is refused rather
than silently reading only its first item. The ingest API (`monitor.sources.ingest_http`)
takes an object or a list of them: it parses with `parse_json` and converts each object with
`draft_from_object`, so both read exactly the same dialects.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from monitor.articles.draft import Draft
from monitor.articles.htmlfmt import html_to_text
from monitor.errors import ArticleError

# Longer than any id or timestamp; see `_number`.
_MAX_INT_DIGITS = 100
_KEYS_SHOWN = 20

_EXPECTED = (
    'expected "title" and/or "body" (simple form), or "headline" with "body_text" or '
    '"body_html" (IPTC ninjs)'
)


def read_json(text: str) -> Draft:
    """Read an already-decoded JSON document holding one article object."""
    return draft_from_object(_load_object(text))


def draft_from_object(document: dict[str, Any]) -> Draft:
    """One article object, already parsed (simple form or ninjs), as a Draft.

    Shared by the inbox's `.json` files and the ingest API, which takes a list of them;
    `ArticleError` says what is missing or of the wrong type.
    """
    title = _title(document)
    body = _body(document)
    if not title.strip() and not body.strip():
        keys = _key_list(document)
        raise ArticleError(
            f"JSON article has no title and no body: {_EXPECTED}; found keys: {keys}"
        )
    return Draft(
        title=title,
        body=body,
        url=_optional(document, "url", "uri"),
        published=_optional(document, "published", "versioncreated", "firstcreated"),
        source=_optional(document, "source", "copyrightholder", "located"),
        language=_optional(document, "language"),  # ninjs and our simple form alike
    )


class InvalidJSON(ArticleError):
    """Text that is not JSON; the message gives the line and column."""


def parse_json(text: str) -> Any:
    """Parse any JSON value; `ArticleError` says where it breaks (line, column).

    Huge integer literals become floats (see `_number`) and nesting deep enough to exhaust
    the recursion limit is refused, so hostile input costs no more than its length.
    """
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise InvalidJSON(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise ArticleError("invalid JSON: nested too deeply to be an article") from exc


def shape_error(document: object) -> str:
    """Why a parsed JSON value that is not an object is not an article."""
    return f"JSON holds a {type(document).__name__}, not an object: {_EXPECTED}"


def _load_object(text: str) -> dict[str, Any]:
    """Parse, turning every failure into a message that says where to look."""
    try:
        document = parse_json(text)
    except InvalidJSON as exc:
        raise ArticleError(
            f"{exc} (a file cut short, e.g. still being copied, ends like this; "
            "check the file is complete)"
        ) from exc
    if isinstance(document, list):
        raise ArticleError(
            f"JSON holds a list of {len(document)} items; put one article per file, "
            "as a JSON object"
        )
    if not isinstance(document, dict):
        raise ArticleError(shape_error(document))
    return document


def _key_list(document: dict[str, Any]) -> str:
    """The object's keys for an error message, at most `_KEYS_SHOWN` of them.

    The message goes into the log and the quarantine note; a generated file with a
    million keys must not make it megabytes long.
    """
    if not document:
        return "none"
    shown = sorted(itertools.islice(document, _KEYS_SHOWN))
    more = len(document) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def _number(digits: str) -> int | float:
    """An integer literal as int, or as float when it is longer than any real metadata.

    Python refuses to convert more than 4,300 digits (and converting fewer takes time
    quadratic in their number); a stray huge number in a field we never read must not
    quarantine the whole article. As a float it is simply infinite.
    """
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else float(digits)


def _title(document: dict[str, Any]) -> str:
    """The headline under whichever key this dialect uses."""
    found = _text_value(document, "title") or _text_value(document, "headline")
    return found or _ninjs2_value(document.get("headlines"), prefer=("text/plain",))[0]


def _body(document: dict[str, Any]) -> str:
    """The body text, converting HTML only when no plain-text body is given."""
    for key in ("body", "body_text"):
        found = _text_value(document, key)
        if found:
            return found
    html = _text_value(document, "body_html")
    if html:
        return html_to_text(html)
    value, content_type = _ninjs2_value(document.get("bodies"), prefer=("text/plain", ""))
    return html_to_text(value) if "html" in content_type else value


def _text_value(document: dict[str, Any], key: str) -> str:
    """A string field; null counts as absent, any other type is a mistake worth naming."""
    value = document.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ArticleError(f'JSON key "{key}" must be a string, not {type(value).__name__}')
    return value


def _ninjs2_value(entries: object, prefer: tuple[str, ...]) -> tuple[str, str]:
    """(value, contenttype) of the best ninjs 2.x entry: role "main", then a preferred type.

    Entries that are not objects with a string value are skipped: ninjs 2 allows extensions
    and this reader only needs one usable text.
    """
    if not isinstance(entries, list):
        return "", ""
    usable = [e for e in entries if isinstance(e, dict) and isinstance(e.get("value"), str)]
    if not usable:
        return "", ""

    def rank(entry: dict[str, Any]) -> tuple[bool, bool]:
        content_type = str(entry.get("contenttype", "")).lower()
        return entry.get("role") != "main", content_type not in prefer

    best = min(usable, key=rank)
    return best["value"], str(best.get("contenttype", "")).lower()


def _optional(document: dict[str, Any], *keys: str) -> str | None:
    """The first key present as a non-empty string.

    Metadata of the wrong type is ignored rather than refused: the article is still worth
    matching, and ninjs allows `located` and friends to be structured objects.
    """
    for key in keys:
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
