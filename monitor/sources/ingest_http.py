"""The HTTP ingest listener: `POST /articles` hands articles to the daemon (issue 14).

Systems that already hold articles (a CMS, a wire-service bridge, a scraper) push them here
instead of dropping files into the inbox. The body is one article or a JSON list of them, in
exactly the dialects an inbox `.json` file may use (our simple form, IPTC ninjs 1.x and 2.x):
`monitor.articles.jsonfmt.draft_from_object` converts each, `readers.finish` builds the
`Article`, so a pushed article and a dropped file with the same text get the same id.

Why it is built so:

* **202 only after the commit.** The listener stores nothing. It calls `submit(articles)`,
  which the daemon's loop answers once the articles and their alerts are committed (or
  raises), so a client that got 202 may forget the articles, and one that got anything else
  sends them again; the content id makes a second copy a counted duplicate, not a second
  alert. `SubmitUnavailable` (stopping, queue full, no commit in time) is a 503 with
  `Retry-After`; any other exception is a bug: a 500 whose body says nothing about internals
  (the traceback goes to the log).
* **Refuse before reading.** The token is checked (`hmac.compare_digest`, on bytes) before
  a byte of the body is read, then the Content-Type and the declared length: a client
  without the token, or with a body over `max_bytes`, costs a header parse. A body must
  declare its `Content-Length`: chunked or undeclared bodies get 411, so the size is known
  before anything is read and nothing is ever read past the cap. `Expect: 100-continue`
  is answered only once these checks pass, so a well-behaved client never uploads a body
  that will be refused.
* **Bounded threads and time**, shared with `/metrics` (`monitor.httpserve.BoundedServer`):
  at most `max_connections` at once (more get an immediate JSON 503), `idle_timeout` per
  socket read, and `max_read_seconds` to send the whole request however slowly it trickles
  in (a slowloris client holds one thread until then, never more). Once the body is read the
  deadline is lifted: waiting for the commit is the daemon's time, not the client's.
* **Charset**: the body must be UTF-8 (JSON's own encoding, RFC 8259). A `charset` other
  than utf-8 in the Content-Type is a 415 (the media type as sent is not one we take); bytes
  that are not valid UTF-8 under a correct header are a 400 naming the byte offset.
* **Nothing secret or hostile echoed.** Errors are JSON `{"error": "..."}` (escaped by
  `json.dumps`), never quoting a header or the path; log lines (`monitor.ingest`) name the
  client address and the reason, and of the articles only a short title through
  `monitor.textsafe`.

One HTTP/1.1 request per connection (`Connection: close`): clients send batches, not
streams, and a connection that could carry requests forever would defeat the deadline.

The per-item time budget of the inbox (`monitor.budget`, SIGALRM) needs the main thread;
here the size cap bounds the conversion instead (HTML bodies are the costly part).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar, cast

from monitor.articles.jsonfmt import InvalidJSON, draft_from_object, parse_json, shape_error
from monitor.articles.model import Article
from monitor.articles.readers import finish
from monitor.config import parse_listen
from monitor.errors import ArticleError
from monitor.httpserve import BoundedServer, busy_response, family_for, shown_address
from monitor.textsafe import printable, shorten

log = logging.getLogger("monitor.ingest")

#: Articles in one request; more is a 413 (send several requests). A thousand articles is
#: seconds of matching: the client waits for their commit.
MAX_ARTICLES = 1000
#: Requests served at once. Each waits for its commit, which the daemon's loop does in
#: batches, so a few dozen clients pushing at once are served; more get an immediate 503.
MAX_CONNECTIONS = 32
MAX_PER_CLIENT = 8
"""Connections one client address may hold: idle sockets from one host (no token needed to
open them) leave three quarters of the listener to everyone else."""
#: Seconds a connection may stay silent while sending its request (per read).
IDLE_TIMEOUT = 10.0
#: Seconds to send the whole request, headers and body, however slowly it trickles in.
MAX_READ_SECONDS = 30.0

#: Longest error reason sent back or logged (a message can quote the client's own keys).
_MAX_REASON = 500
#: Unread body bytes discarded after an early refusal, so that the client reads the answer
#: instead of a connection reset (closing a socket with unread data resets it).
_LINGER_BYTES = 1 << 20
_LINGER_SECONDS = 1.0

_CONTENT_LENGTH = re.compile(r"[0-9]{1,20}")
_ARTICLES = "/articles"
_HEALTHZ = "/healthz"


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What the daemon committed from one request.

    `accepted` articles were new, `duplicates` were already known (same content id);
    `ids` are the articles' ids (`Article.id`) in request order, duplicates included.
    """

    accepted: int
    duplicates: int
    ids: list[str] = field(default_factory=list)
    # Articles the pipeline could not take (one that took longer than `[inbox] max_seconds`
    # to match): id -> why. Listed in the answer, neither accepted nor duplicates.
    rejected: dict[str, str] = field(default_factory=dict)


class SubmitUnavailable(Exception):
    """The daemon cannot take articles now: stopping, its queue is full, or the commit did
    not come in time. The client gets a 503 with `Retry-After` and sends them again."""

    def __init__(self, reason: str, retry_after: float = 5.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


Submit = Callable[[list[Article]], SubmitResult]


class _Refusal(Exception):
    """An answer other than 202, with the reason the client (and the log) is told."""

    def __init__(self, status: int, reason: str, headers: Mapping[str, str] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = dict(headers or {})


class IngestServer:
    """The `[sources.NAME] type = "http"` listener, on its own accept thread.

    `token` None means no authentication (the config allows that only on loopback).
    `max_bytes` caps a request body (`max_size_mb`). The keyword arguments exist for tests.
    """

    def __init__(
        self,
        name: str,
        listen: str,
        token: str | None,
        max_bytes: int,
        submit: Submit,
        healthy: Callable[[], bool],
        *,
        max_articles: int = MAX_ARTICLES,
        max_connections: int = MAX_CONNECTIONS,
        max_per_client: int | None = MAX_PER_CLIENT,
        idle_timeout: float = IDLE_TIMEOUT,
        max_read_seconds: float = MAX_READ_SECONDS,
    ) -> None:
        if token is not None and not token:
            raise ValueError("an empty token would let anyone in; give a token or None")
        self.name = name
        self.max_bytes = max_bytes
        self.max_articles = max_articles
        self._token = None if token is None else token.encode("utf-8")
        self._submit = submit
        self._healthy = healthy
        host, port = parse_listen(listen, any_port=True)
        handler = cast(
            "type[BaseHTTPRequestHandler]",
            type("IngestHandler", (_Handler,), {"owner": self, "timeout": idle_timeout}),
        )
        self._server = BoundedServer(
            (host, port),
            handler,
            family_for(host),
            max_connections=max_connections,
            max_per_client=max_per_client,
            max_seconds=max_read_seconds,
            log=log,
            busy=busy_response(_error_body("busy: too many clients; retry"), "application/json"),
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"ingest-{name}", daemon=True
        )
        self._started = False

    @property
    def address(self) -> str:
        """`host:port` actually bound (the port the kernel chose for port 0)."""
        return shown_address(self._server.server_address)

    def start(self) -> None:
        self._thread.start()
        self._started = True
        auth = "Bearer token" if self._token is not None else "no authentication"
        log.info(
            "ingest %s on http://%s%s (%s)", printable(self.name), self.address, _ARTICLES, auth
        )

    def alive(self) -> bool:
        return self._started and self._thread.is_alive()

    def stop(self) -> None:
        """Stop accepting; requests in flight finish on their own threads."""
        if self._started:
            self._server.shutdown()
            self._thread.join()
            self._started = False
        self._server.server_close()

    def token_matches(self, header: str | None) -> str | None:
        """Why an `Authorization` header does not let the client in, or None if it does."""
        if self._token is None:
            return None
        if header is None:
            return "missing Authorization: send Authorization: Bearer TOKEN"
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return "Authorization must use the Bearer scheme: Authorization: Bearer TOKEN"
        # Header values arrive decoded as Latin-1: encoding them back gives the bytes sent.
        sent = credentials.strip().encode("latin-1", "replace")
        if not hmac.compare_digest(sent, self._token):
            return "wrong token"
        return None

    def articles(self, data: bytes) -> list[Article]:
        """The request body as articles; `_Refusal` (400/413) says what is wrong."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refusal(
                400, f"body is not UTF-8: invalid byte at offset {exc.start}; send UTF-8 JSON"
            ) from exc
        text = text.removeprefix("\ufeff")
        try:
            document = parse_json(text)
        except InvalidJSON as exc:
            raise _Refusal(400, str(exc)) from exc
        except ArticleError as exc:
            raise _Refusal(400, str(exc)) from exc
        if isinstance(document, dict):
            return [self._article(document, "")]
        if not isinstance(document, list):
            raise _Refusal(
                400,
                "body must be one article (a JSON object) or a JSON list of them, "
                f"not a {type(document).__name__}",
            )
        if not document:
            raise _Refusal(400, "empty list: send at least one article")
        if len(document) > self.max_articles:
            raise _Refusal(
                413,
                f"too many articles: {len(document):,} in one request, at most "
                f"{self.max_articles:,}; send them in several requests",
            )
        return [self._article(entry, f"articles[{i}]: ") for i, entry in enumerate(document)]

    def _article(self, entry: object, where: str) -> Article:
        if not isinstance(entry, dict):
            raise _Refusal(400, where + shape_error(entry))
        try:
            article = finish(draft_from_object(entry), "")
        except ArticleError as exc:
            raise _Refusal(400, f"{where}{exc}") from exc
        except Exception as exc:  # a reader's bug on odd input: the client's 400, our log
            log.warning("ingest %s: could not read an article", self.name, exc_info=True)
            raise _Refusal(
                400, f"{where}could not read the article ({type(exc).__name__})"
            ) from exc
        return replace(
            article,
            path=f"ingest:{self.name}/{article.id}",
            source=article.source or self.name,
        )

    def submit(self, articles: list[Article]) -> SubmitResult:
        return self._submit(articles)

    def healthy(self) -> bool:
        return self._healthy()

    def reading_done(self, connection: socket.socket) -> None:
        self._server.reading_done(connection)


def _error_body(reason: str) -> bytes:
    return json.dumps({"error": shorten(reason, _MAX_REASON)}).encode("ascii")


class _Handler(BaseHTTPRequestHandler):
    """One request. `owner` and `timeout` are set on a subclass per `IngestServer`."""

    owner: ClassVar[IngestServer]
    protocol_version = "HTTP/1.1"  # for Expect: 100-continue; every answer closes
    server_version = "monitor-ingest"

    _body_read = False  # the declared body is read (or given up on): nothing to linger for

    # -- routing ----------------------------------------------------------------------

    def _route(self) -> str:
        return self.path.split("?", 1)[0]

    def do_POST(self) -> None:
        route = self._route()
        if route != _ARTICLES:
            self._other()
            return
        try:
            self._ingest()
        except _Refusal as refusal:
            self._refuse(refusal)

    def do_GET(self) -> None:
        if self._route() == _HEALTHZ:
            self._health(body=True)
        else:
            self._other()

    def do_HEAD(self) -> None:
        if self._route() == _HEALTHZ:
            self._health(body=False)
        else:
            self._other()

    def _not_served(self) -> None:
        self._other()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_served

    def _other(self) -> None:
        """404 for an unknown path; 405 (with `Allow`) for a known path's wrong method."""
        route = self._route()
        if route == _ARTICLES:
            allowed = "POST"
        elif route == _HEALTHZ:
            allowed = "GET, HEAD"
        else:
            self._refuse(_Refusal(404, "not found: POST articles to /articles; GET /healthz"))
            return
        self._refuse(
            _Refusal(
                405,
                f"method not allowed: {route} takes {allowed}",
                {"Allow": allowed},
            )
        )

    # -- POST /articles ---------------------------------------------------------------

    def _ingest(self) -> None:
        owner = self.owner
        why = owner.token_matches(self._single("Authorization"))
        if why is not None:
            error = ', error="invalid_token"' if why == "wrong token" else ""
            raise _Refusal(401, why, {"WWW-Authenticate": f'Bearer realm="monitor"{error}'})
        length = self._declared_length()
        self._check_content_type()
        if length > owner.max_bytes:
            raise _Refusal(
                413,
                f"body of {length:,} bytes is over the cap of {owner.max_bytes:,} bytes "
                "(max_size_mb); send fewer articles per request",
            )
        if self.headers.get("Expect", "").strip().lower() == "100-continue":
            self.send_response_only(100)
            self.end_headers()
        data = self._read_body(length)
        owner.reading_done(self.connection)
        articles = owner.articles(data)
        started = time.monotonic()
        try:
            result = owner.submit(articles)
        except SubmitUnavailable as exc:
            retry = max(1, math.ceil(exc.retry_after))
            raise _Refusal(
                503, f"not accepted, retry: {exc.reason}", {"Retry-After": str(retry)}
            ) from exc
        except Exception as exc:
            log.error(
                "ingest %s: client %s: %d article(s) not confirmed: submit failed",
                printable(owner.name),
                self._client(),
                len(articles),
                exc_info=True,
            )
            raise _Refusal(
                500,
                "internal error: the articles were not confirmed; send them again later "
                "(the daemon's log has the details)",
            ) from exc
        log.info(
            "ingest %s: client %s: %d article(s), %d new, %d duplicate(s) in %.0f ms; first: %s",
            printable(owner.name),
            self._client(),
            len(articles),
            result.accepted,
            result.duplicates,
            (time.monotonic() - started) * 1000,
            printable(shorten(articles[0].title)),
        )
        body: dict[str, object] = {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "ids": result.ids,
        }
        if result.rejected:
            body["rejected"] = result.rejected
        self._answer(202, json.dumps(body).encode("ascii"), "application/json")

    def _single(self, name: str) -> str | None:
        """A header that must appear at most once; None when absent."""
        values = self.headers.get_all(name) or []
        if len(values) > 1:
            raise _Refusal(400, f"{name} is given {len(values)} times; send it once")
        return values[0] if values else None

    def _declared_length(self) -> int:
        if self.headers.get("Transfer-Encoding") is not None:
            raise _Refusal(
                411, "chunked bodies are not accepted: send the body with a Content-Length"
            )
        declared = self._single("Content-Length")
        if declared is None:
            raise _Refusal(411, "Content-Length is required")
        if not _CONTENT_LENGTH.fullmatch(declared.strip()):
            raise _Refusal(400, "Content-Length is not a number of bytes")
        return int(declared.strip())

    def _check_content_type(self) -> None:
        raw = self._single("Content-Type")
        if raw is None or self.headers.get_content_type() != "application/json":
            shown = "none" if raw is None else repr(shorten(raw, 80))
            raise _Refusal(415, f"Content-Type must be application/json, not {shown}")
        charset = self.headers.get_content_charset()
        if charset not in (None, "utf-8", "utf8"):
            raise _Refusal(
                415, f"charset {shorten(charset, 40)!r} is not accepted: send UTF-8 JSON"
            )
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding != "identity":
            raise _Refusal(
                415, f"Content-Encoding {shorten(encoding, 40)!r} is not accepted: send it plain"
            )

    def _read_body(self, length: int) -> bytes:
        try:
            data = self.rfile.read(length)
        except OSError as exc:  # the per-read timeout, or a reset
            self._body_read = True  # nothing to linger for: the client is gone or stuck
            raise _Refusal(408, "timed out reading the body") from exc
        self._body_read = True
        if len(data) < length:  # the client closed, or the deadline shut the socket
            raise _Refusal(400, f"body cut short: {len(data):,} of {length:,} bytes arrived")
        return data

    # -- GET /healthz -----------------------------------------------------------------

    def _health(self, *, body: bool) -> None:
        try:
            ok = self.owner.healthy()
        except Exception:
            log.exception("ingest %s: health check failed", printable(self.owner.name))
            ok = False
        text = b"ok\n" if ok else b"unhealthy: not accepting articles; see the daemon's log\n"
        self._answer(200 if ok else 503, text, "text/plain; charset=utf-8", send_body=body)

    # -- answers ----------------------------------------------------------------------

    def handle_expect_100(self) -> bool:
        """Answered in `_ingest` once the token and the size are checked, not before."""
        return True

    def _refuse(self, refusal: _Refusal) -> None:
        level = logging.INFO if refusal.status in (404, 405) else logging.WARNING
        log.log(
            level,
            "ingest %s: client %s: %d %s",
            printable(self.owner.name),
            self._client(),
            refusal.status,
            printable(shorten(refusal.reason, _MAX_REASON)),
        )
        self._answer(
            refusal.status, _error_body(refusal.reason), "application/json", refusal.headers
        )
        if not self._body_read and self._declares_body():
            self._linger()

    def _declares_body(self) -> bool:
        headers = getattr(self, "headers", None)
        if headers is None:  # refused before the headers were parsed
            return False
        length = headers.get("Content-Length", "0").strip()
        return headers.get("Transfer-Encoding") is not None or length not in ("", "0")

    def _answer(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        *,
        send_body: bool = True,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if send_body and self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client left, or the deadline shut the socket
            log.debug("ingest: client %s left before the answer", self._client())
        self.close_connection = True

    def _linger(self) -> None:
        """Read and drop what the client still sends (a bounded amount, briefly), so that
        it sees the refusal rather than a reset from closing on unread data."""
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(_LINGER_SECONDS)
            until = time.monotonic() + _LINGER_SECONDS
            dropped = 0
            while dropped < _LINGER_BYTES and time.monotonic() < until:
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                dropped += len(chunk)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals (a bad request line, headers too long), as
        JSON; an unknown method is a 405 or a 404 like the others.

        Its `message` quotes the request line, which may hold anything, a token pasted into
        the URL included: only the status's own words are sent and logged.
        """
        if code == HTTPStatus.NOT_IMPLEMENTED and hasattr(self, "path"):
            self._other()
            return
        try:
            status = HTTPStatus(code)
            reason = f"{status.phrase.lower()}: {status.description.lower()}"
        except ValueError:
            reason = "bad request"
        self._refuse(_Refusal(code, reason))

    def version_string(self) -> str:
        return self.server_version  # no Python version for the curious

    def _client(self) -> str:
        return shown_address(self.client_address)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None  # `_ingest` and `_refuse` log what matters, never the request line

    def log_message(self, format: str, *args: Any) -> None:
        # The standard library's own lines quote the request line; `_refuse` logs instead.
        log.debug("ingest: client %s: %s", self._client(), printable(format))
