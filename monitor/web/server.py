"""The desk's page over HTTP: `BoundedServer` (the daemon's one small server, shared with
the metrics and ingest listeners) and a handler that reads a request into a `Request`,
asks the `WebApp`, and writes its `Response`.

The limits are a browser's, not a client's that means harm: 32 connections, 8 per
address, 30 s of silence per read, a minute per connection (keep-alive included: the time
spent answering is not counted, the time spent waiting for requests is), and 2 MB of body
(the playground's pasted article; every other form is a few hundred bytes).
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler

from monitor.config import WebConfig, parse_listen
from monitor.httpserve import BoundedServer, busy_response, family_for, shown_address
from monitor.web.app import WebApp
from monitor.web.http import BadRequest, Request, Response

log = logging.getLogger("monitor.web")

MAX_CONNECTIONS = 32
MAX_PER_CLIENT = 8
IDLE_TIMEOUT = 30.0
MAX_CONNECTION_SECONDS = 60.0
MAX_BODY = 2 * 1024 * 1024
MAX_TARGET = 8192
MAX_DRAINED = 16 * 1024 * 1024
"""A body up to this size is read and dropped before the 413, so the client sees the answer;
a larger one is answered at once and the connection closed (its sender may see a reset)."""


def _breaks_header(text: str) -> bool:
    return "\r" in text or "\n" in text or "\0" in text


def _handler(app: WebApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_TIMEOUT
        protocol_version = "HTTP/1.1"
        server_version = "monitor"
        sys_version = ""

        def handle_one_request(self) -> None:
            # A keep-alive connection's next request is read under the connection's
            # deadline too (`reading_done` lifted it for the one before).
            server = self.server
            if isinstance(server, BoundedServer):
                server.reading_again(self.request)
            super().handle_one_request()

        def do_GET(self) -> None:
            self._serve()

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_POST(self) -> None:
            self._serve()

        def _serve(self, head: bool = False) -> None:
            if len(self.path) > MAX_TARGET:
                self._send(Response.text(414, "the address is too long"), head)
                return
            length_text = self.headers.get("Content-Length", "0").strip() or "0"
            digits = length_text.isascii() and length_text.isdigit()  # int() refuses `²`
            if not digits or self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                self._send(Response.text(400, "send a body with a Content-Length"), head)
                return
            length = int(length_text)
            if length > MAX_BODY:
                self.close_connection = True
                if length <= MAX_DRAINED:
                    # Read it away first: a client still sending when the answer comes and the
                    # socket closes sees a reset, not the 413 that says what was wrong.
                    left = length
                    while left > 0:
                        chunk = self.rfile.read(min(left, 65536))
                        if not chunk:
                            return
                        left -= len(chunk)
                self._send(Response.text(413, "at most 2 MB per request"), head)
                return
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                self.close_connection = True
                return  # the client went away mid-body
            server = self.server
            if isinstance(server, BoundedServer):
                server.reading_done(self.request)
            try:
                request = Request.make(
                    self.command,
                    self.path,
                    dict(self.headers.items()),
                    body,
                    str(self.client_address[0]),
                )
            except BadRequest as exc:  # a query that is not UTF-8, or too many fields
                self._send(Response.text(400, str(exc)), head)
                return
            self._send(app.handle(request), head)

        def _send(self, response: Response, head: bool) -> None:
            headers = response.all_headers()
            if any(_breaks_header(name) or _breaks_header(value) for name, value in headers):
                # `send_header` writes what it is given: a line break would start a header
                # (or a body) of the request's choosing. Whatever let one through is a bug.
                log.error("web page: a response header held a line break; answered 500")
                response = Response.text(500, "something went wrong; see the log")
                headers = response.all_headers()
            self.send_response(response.status)
            for name, value in headers:
                self.send_header(name, value)
            if self.close_connection:  # say so: a client must not send its next request here
                self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self.wfile.write(response.body)

        def log_message(self, format: str, *args: object) -> None:
            return None  # a refreshing page would drown the log

    return Handler


class WebServer:
    """The page's HTTP server, on its own thread."""

    def __init__(self, settings: WebConfig, app: WebApp) -> None:
        host, port = parse_listen(settings.listen)
        self.app = app
        self._server = BoundedServer(
            (host, port),
            _handler(app),
            family_for(host),
            max_connections=MAX_CONNECTIONS,
            max_seconds=MAX_CONNECTION_SECONDS,
            log=log,
            busy=busy_response(b"busy: too many connections\n", "text/plain; charset=utf-8"),
            max_per_client=MAX_PER_CLIENT,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="web", daemon=True)

    @property
    def address(self) -> str:
        return shown_address(self._server.server_address)

    def start(self) -> None:
        self._thread.start()
        log.info("web page on http://%s/", self.address)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.app.desk.close()
