"""Requests and responses of the desk's page, apart from the socket: the app (`monitor.web.
app`) turns a `Request` into a `Response`, and `monitor.web.server` moves them over HTTP.

Every response carries the page's security headers: a Content-Security-Policy that allows
no script at all, no inline style and nothing from another origin; no framing; no referrer
(article links must not tell outlets where the desk reads them); and no caching of pages
that show what the desk is watching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.articles.model import encodable

SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)

MAX_FIELDS = 64
"""Form fields a request may carry; the largest form (the playground) has six."""


class BadRequest(ValueError):
    """A request the page cannot read: the message says what to fix (shown escaped)."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    client: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(
        cls, method: str, target: str, headers: dict[str, str], body: bytes, client: str
    ) -> Request:
        parts = urlsplit(target)
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(
            method=method,
            path=parts.path or "/",
            query=_fields(parts.query),
            headers=lowered,
            body=body,
            client=client,
            cookies=_cookies(lowered.get("cookie", "")),
        )

    def form(self) -> dict[str, str]:
        """The posted form (application/x-www-form-urlencoded), one value per name."""
        kind = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            raise BadRequest("post the form as application/x-www-form-urlencoded")
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the form is not UTF-8") from None
        return _fields(text)

    def json(self) -> dict[str, Any]:
        """The posted JSON object (application/json)."""
        kind = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise BadRequest("post a JSON object as application/json")
        try:
            # `encodable`: a `\\ud800` escape puts a lone surrogate into a string, which
            # neither the database nor a page can encode (a silence's comment was a 500).
            value = json.loads(self.body.decode("utf-8"), object_hook=_encodable_strings)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise BadRequest("the body is not a JSON object in UTF-8") from None
        if not isinstance(value, dict):
            raise BadRequest("the body is not a JSON object")
        return value

    @property
    def is_api(self) -> bool:
        return self.path == "/api" or self.path.startswith("/api/")

    @property
    def behind_tls(self) -> bool:
        """Whether the browser reached us over HTTPS (a TLS proxy in front says so)."""
        return self.headers.get("x-forwarded-proto", "").strip().lower() == "https"


def _encodable_strings(value: dict[str, Any]) -> dict[str, Any]:
    """A JSON object's string values (and strings in its lists) with lone surrogates
    replaced; nested objects are passed through here themselves."""
    return {
        encodable(k): encodable(v)
        if isinstance(v, str)
        else [encodable(x) if isinstance(x, str) else x for x in v]
        if isinstance(v, list)
        else v
        for k, v in value.items()
    }


def _fields(text: str) -> dict[str, str]:
    try:
        parsed = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("too many fields, or fields that are not UTF-8") from None
    # Lone surrogates cannot come from UTF-8; NUL has no use in any field.
    return {k: v[0].replace("\0", "") for k, v in parsed.items() if v}


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Response:
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
        return cls(status, text.encode("ascii"), "application/json")

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Response:
        return cls(status, b"", "text/plain; charset=utf-8", [("Location", location)])

    @classmethod
    def text(cls, status: int, message: str) -> Response:
        return cls(status, message.encode("utf-8"), "text/plain; charset=utf-8")

    def all_headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            ("Cache-Control", "no-store"),
            *SECURITY_HEADERS,
            *self.headers,
        ]
