"""E-mail (.eml) articles: newsletters and wire alerts forwarded into the inbox.

Subject is the title, the text/plain part the body (text/html converted when it is the only
text), Date the publication time and From the source. Mail in the wild declares wrong
charsets and carries raw 8-bit headers, so every decode falls back to the shared chain.
"""

from __future__ import annotations

import email
import email.message
import re
from email import policy

from monitor.articles.decode import decode_bytes, decode_declared, normalise_newlines
from monitor.articles.draft import Draft
from monitor.articles.htmlfmt import html_to_text

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_FOLDING = re.compile(r"\s*\n\s*")


def read_eml(data: bytes) -> Draft:
    """Read raw message bytes (already checked to be non-empty, non-binary)."""
    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, email.message.EmailMessage):  # policy.default guarantees it
        raise TypeError("email parser returned a legacy Message")
    return Draft(
        title=_header_text(message, "subject"),
        body=_body(message),
        published=_published(message),
        source=_sender(message),
    )


def _body(message: email.message.EmailMessage) -> str:
    """The plain-text part if there is one, else the HTML part as text."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return _part_text(part)
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(_part_text(part))
    return ""


def _part_text(part: email.message.Message) -> str:
    """Decode a part by its declared charset, or by the shared chain when that is wrong."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return normalise_newlines(decode_declared(payload, part.get_content_charset()))


def _header_text(message: email.message.EmailMessage, name: str) -> str:
    """A header as text, recovering raw 8-bit bytes that the parser would turn into '?'.

    Legacy systems put cp1252 or UTF-8 bytes straight into headers; the raw value keeps them
    as surrogate escapes, which the shared decoding chain can read properly.
    """
    raw = next((v for k, v in message.raw_items() if k.lower() == name), None)
    if raw is None:
        return ""
    if isinstance(raw, str) and _SURROGATES.search(raw):
        text = decode_bytes(raw.encode("utf-8", "surrogateescape"))
        return _FOLDING.sub(" ", text).strip()
    return _safe_str(message, name)


def _safe_str(message: email.message.EmailMessage, name: str) -> str:
    """The parsed header; the email package can raise on hostile headers, which must not
    cost the article its body."""
    try:
        return str(message.get(name, ""))
    except Exception:  # see docstring
        return ""


def _published(message: email.message.EmailMessage) -> str | None:
    """The Date header as ISO 8601 with its UTC offset; None when missing or unparseable."""
    try:
        header = message.get("date")
        moment = getattr(header, "datetime", None)
    except Exception:  # a malformed optional header only loses the date
        return None
    return moment.isoformat() if moment is not None else None


def _sender(message: email.message.EmailMessage) -> str | None:
    """The sender's display name (what an alert reader recognises), else the address."""
    try:
        addresses = getattr(message.get("from"), "addresses", ())
        first = addresses[0] if addresses else None
    except Exception:  # a malformed optional header only loses the source
        return None
    if first is None:
        return None
    return str(first.display_name or first.addr_spec) or None
