"""E-mail (.eml) articles: newsletters and wire alerts forwarded into the inbox.

Subject is the title, the text/plain part the body (text/html converted when it is the only
text), Date the publication time and From the source. Mail in the wild declares wrong
charsets and carries raw 8-bit headers, so every decode falls back to the shared chain
(with charset detection for undeclared 8-bit text); raw 8-bit headers are read in the
charset the body was read in, which is what the sending tool used, since detection has
too little to go on in a subject line.

The standard library's parser costs about a microsecond a line, and its structured-header
parser 2 to 7 microseconds a character, superlinear in a header's length; it parses a
header again on every access, several times per MIME part. Hostile messages took 7 s
(50,000 parts), 16 s (a Subject folded over 400,000 lines), 45 s (200,000 addresses in
From) or all the memory (200,000 encoded words in a Subject). So lines and parts are capped,
each header value is cut before its structured parse, each distinct value is parsed once,
and the characters parsed per message are budgeted.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import re
from dataclasses import dataclass, field
from typing import Any

from monitor.articles.decode import Decoding, decode_bytes, decode_declared, normalise_newlines
from monitor.articles.draft import Draft
from monitor.articles.htmlfmt import html_to_text
from monitor.errors import ArticleError

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_FOLDING = re.compile(r"\s*\n\s*")

MAX_LINES = 500_000
"""More lines are refused unparsed: 38 MB of base64 attachment, over the inbox size cap."""
MAX_PARTS = 1_000
"""More MIME parts are refused: a newsletter with its images has tens."""
MAX_HEADER_CHARS = 2_000
"""A header value is cut to this before its structured parse; real ones are far shorter."""
MAX_PARSED_HEADER_CHARS = 100_000
"""Characters of header values parsed per message; a real one needs a few thousand."""

_FIX = "forward the article as a plain e-mail, or save its text as .txt"


class _HeaderBudgetSpent(ArticleError):
    """The message's headers would take too long to parse; not an optional header's defect."""


@dataclass(slots=True)
class _Budget:
    """Header parsing done so far for one message: parsed values, characters spent."""

    parsed: dict[tuple[str, str], Any] = field(default_factory=dict)
    spent: int = 0


class _BoundedPolicy(email.policy.EmailPolicy):
    """`policy.default`, with each header value parsed once, cut short, within a budget.

    One instance per message: it carries that message's budget.
    """

    budget: _Budget

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        object.__setattr__(self, "budget", _Budget())  # policies are read-only after init

    def header_fetch_parse(self, name: str, value: str) -> Any:
        """The parsed header, from the cache when this value was parsed before."""
        budget = self.budget
        key = (name, value)
        found = budget.parsed.get(key)
        if found is None:
            clipped = value[:MAX_HEADER_CHARS]
            budget.spent += len(clipped)
            if budget.spent > MAX_PARSED_HEADER_CHARS:
                raise _HeaderBudgetSpent(
                    f"the e-mail's headers are too long or too many to parse (over "
                    f"{MAX_PARSED_HEADER_CHARS:,} characters of MIME headers); {_FIX}"
                )
            found = budget.parsed[key] = super().header_fetch_parse(name, clipped)
        return found


class _PartFactory:
    """Makes the parser's message objects, refusing the message past `MAX_PARTS` parts.

    Counting as the parser goes stops the work where it starts costing, whatever the
    boundaries look like.
    """

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, policy: Any = email.policy.default) -> email.message.EmailMessage:
        """A new, empty part, unless the message already has too many."""
        self.made += 1
        if self.made > MAX_PARTS + 1:  # the parser makes one extra to probe the factory
            raise ArticleError(f"the e-mail has more than {MAX_PARTS:,} MIME parts; {_FIX}")
        return email.message.EmailMessage(policy=policy)


def read_eml(data: bytes) -> Draft:
    """Read raw message bytes (already checked to be non-empty, non-binary)."""
    lines = data.count(b"\n")
    if lines > MAX_LINES:
        raise ArticleError(
            f"the e-mail has {lines:,} lines, more than the {MAX_LINES:,} a news e-mail "
            f"could need; {_FIX}"
        )
    parser = email.parser.BytesParser(_class=_PartFactory(), policy=_BoundedPolicy())
    try:
        message = parser.parsebytes(data)
        if not isinstance(message, email.message.EmailMessage):  # the factory makes them
            raise TypeError("email parser returned a legacy Message")
        body, decoding = _body(message)
        hint = decoding.charset if decoding is not None and decoding.how != "utf-8" else None
        return Draft(
            title=_header_text(message, "subject", hint),
            body=body,
            published=_published(message),
            source=_sender(message),
            decoding=decoding,
            language=_safe_str(message, "content-language") or None,
        )
    except RecursionError as exc:  # the library walks nested parts (and headers) recursively
        raise ArticleError(f"the e-mail's MIME parts are nested too deeply; {_FIX}") from exc


def _body(message: email.message.EmailMessage) -> tuple[str, Decoding | None]:
    """The plain-text part if there is one, else the HTML part as text; and its decoding."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return _part_text(part)
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        text, decoding = _part_text(part)
        return html_to_text(text), decoding
    return "", None


def _part_text(part: email.message.Message) -> tuple[str, Decoding | None]:
    """Decode a part by its declared charset, or by the shared chain when that is wrong."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return "", None
    text, decoding = decode_declared(payload, part.get_content_charset())
    return normalise_newlines(text), decoding


def _header_text(message: email.message.EmailMessage, name: str, hint: str | None) -> str:
    """A header as text, recovering raw 8-bit bytes that the parser would turn into '?'.

    Legacy systems put cp1252 or UTF-8 bytes straight into headers; the raw value keeps them
    as surrogate escapes, which the shared decoding chain reads: UTF-8, else `hint` (the
    body's charset), else a guess.
    """
    raw = next((v for k, v in message.raw_items() if k.lower() == name), None)
    if raw is None:
        return ""
    if isinstance(raw, str) and _SURROGATES.search(raw):
        text, _ = decode_bytes(raw.encode("utf-8", "surrogateescape"), hint)
        return _FOLDING.sub(" ", text).strip()
    return _safe_str(message, name)


def _safe_str(message: email.message.EmailMessage, name: str) -> str:
    """The parsed header; the email package can raise on hostile headers, which must not
    cost the article its body."""
    try:
        return str(message.get(name, ""))
    except _HeaderBudgetSpent:
        raise
    except Exception:  # see docstring
        return ""


def _published(message: email.message.EmailMessage) -> str | None:
    """The Date header as ISO 8601 with its UTC offset; None when missing or unparseable."""
    try:
        header = message.get("date")
        moment = getattr(header, "datetime", None)
    except _HeaderBudgetSpent:
        raise
    except Exception:  # a malformed optional header only loses the date
        return None
    return moment.isoformat() if moment is not None else None


def _sender(message: email.message.EmailMessage) -> str | None:
    """The sender's display name (what an alert reader recognises), else the address."""
    try:
        addresses = getattr(message.get("from"), "addresses", ())
        first = addresses[0] if addresses else None
    except _HeaderBudgetSpent:
        raise
    except Exception:  # a malformed optional header only loses the source
        return None
    if first is None:
        return None
    return str(first.display_name or first.addr_spec) or None
