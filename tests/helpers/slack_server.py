"""A real HTTP server on 127.0.0.1 standing in for Slack incoming webhooks (or any webhook).

Tests talk to it over real sockets, so the whole client path is exercised: requests,
timeouts, status codes, headers. It records every request and, like Slack, answers
400 `invalid_payload` to a message over Slack's documented limits and 404 `no_service` to a
wrong webhook path. Each request's answer can be scripted: 429 with `Retry-After`, 500, 400,
404, or a hang longer than the client's timeout.

    with SlackServer() as slack:
        slack.script(rate_limited(3), OK)
        ...post to slack.url...
        slack.received[0].json

With `validate=False` it checks nothing about the body (a generic webhook receiver); with
`secret=...` it verifies `X-Monitor-Signature` the way a receiver should (HMAC over the raw
body, `hmac.compare_digest`) and answers 401 when it does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

# Slack's documented limits (Block Kit reference, incoming webhooks).
MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_MAX = 3000
TEXT_OBJECT_MAX = 3000
CONTEXT_ELEMENTS_MAX = 10
TEXT_MAX = 40_000

DEFAULT_PATH = "/services/T0000TEST/B0000TEST/s3cr3tW3bh00kT0k3nXYZ"


@dataclass(frozen=True)
class Reply:
    """One scripted answer; `hang` seconds pass before it is sent (or the client gives up)."""

    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0


OK = Reply()


def rate_limited(retry_after: int | str) -> Reply:
    return Reply(429, "rate_limited", {"Retry-After": str(retry_after)})


def server_error() -> Reply:
    return Reply(500, "rollup_error")


def invalid_payload() -> Reply:
    return Reply(400, "invalid_payload")


def no_service() -> Reply:
    return Reply(404, "no_service")


def hang(seconds: float = 10.0) -> Reply:
    return Reply(hang=seconds)


@dataclass
class Received:
    """What the server saw: path (with query), headers, raw body, parsed JSON if any."""

    path: str
    headers: dict[str, str]
    body: bytes
    json: Any
    at: float
    rejected: str | None = None
    signature_ok: bool | None = None
    status: int | None = None  # the answer's status code, once chosen

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def slack_len(text: str) -> int:
    """UTF-16 code units: the strictest reading of Slack's character limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _text_object(obj: Any, where: str, limit: int, plain_only: bool = False) -> str | None:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return f"{where}: not a text object"
    if plain_only and obj["type"] != "plain_text":
        return f"{where}: must be plain_text"
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return f"{where}: empty text"
    if slack_len(text) > limit:
        return f"{where}: text longer than {limit}"
    return None


def validate_payload(payload: Any) -> str | None:
    """Why Slack would refuse this message, or None if it is within the documented limits."""
    if not isinstance(payload, dict):
        return "body is not a JSON object"
    text, blocks = payload.get("text"), payload.get("blocks")
    if text is None and blocks is None:
        return "neither text nor blocks"
    if text is not None and (not isinstance(text, str) or slack_len(text) > TEXT_MAX):
        return "text missing or longer than 40000"
    if blocks is None:
        return None
    if not isinstance(blocks, list) or not blocks or len(blocks) > MAX_BLOCKS:
        return "blocks must be a list of 1 to 50"
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "header":
            problem = _text_object(block.get("text"), where, HEADER_MAX, plain_only=True)
        elif kind == "section":
            problem = _text_object(block.get("text"), where, SECTION_MAX)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= CONTEXT_ELEMENTS_MAX:
                return f"{where}: context needs 1 to 10 elements"
            problem = next(
                (p for p in (_text_object(e, where, TEXT_OBJECT_MAX) for e in elements) if p), None
            )
        elif kind == "divider":
            problem = None
        else:
            problem = f"{where}: unsupported block type {kind!r}"
        if problem:
            return problem
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that hung up mid-answer is expected, not a failure


class SlackServer:
    """The server; a context manager that starts it on a free port and stops it."""

    def __init__(
        self, *, path: str = DEFAULT_PATH, validate: bool = True, secret: str | None = None
    ) -> None:
        self.path = path
        self.validate = validate
        self.secret = secret
        self.received: list[Received] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these, in order; then 200 `ok` again."""
        with self._lock:
            self._script.extend(replies)

    def __enter__(self) -> SlackServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._release.set()  # wake hanging handlers so nothing outlives the test
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _answer(self, request: Received) -> Reply:
        if self.validate and request.path != self.path:
            return no_service()
        if self.secret is not None:
            given = request.header("X-Monitor-Signature") or ""
            digest = hmac.new(self.secret.encode(), request.body, hashlib.sha256).hexdigest()
            request.signature_ok = hmac.compare_digest(given.encode(), f"sha256={digest}".encode())
            if not request.signature_ok:
                return Reply(401, "bad signature")
        if self.validate:
            if request.json is None or "json" not in (request.header("Content-Type") or ""):
                request.rejected = "not a JSON body"
            else:
                request.rejected = validate_payload(request.json)
            if request.rejected:
                return invalid_payload()
        with self._lock:
            return self._script.popleft() if self._script else OK

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    parsed: Any = json.loads(body)
                except ValueError:
                    parsed = None
                request = Received(
                    self.path, dict(self.headers.items()), body, parsed, time.monotonic()
                )
                with server._lock:
                    server.received.append(request)
                reply = server._answer(request)
                request.status = reply.status
                if reply.hang and server._release.wait(reply.hang):
                    return
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    if not any(k.lower() == "content-type" for k in reply.headers):
                        self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (timeout test): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for connection-refused tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
