"""The one small HTTP server the daemon's listeners share: bounded threads, bounded time.

`/metrics` and `/healthz` (`monitor.metrics`) and the ingest API (`monitor.sources.
ingest_http`) are exposed to whatever can reach their `listen` address, so neither may let
clients exhaust the daemon. A plain `ThreadingHTTPServer` gives every connection a thread
for as long as the client keeps it open; an idle or dribbling client held its thread
forever. `BoundedServer` serves at most `max_connections` at once (more get an immediate
`busy` answer and are closed, without a thread), the handler's per-read socket timeout drops
a silent client, and `max_seconds` cuts one that trickles a byte now and then: the accept
loop shuts such sockets down, so the handler's next read sees the end and returns.

A handler that has read its request and now waits on something slow of its own (the ingest
API waits for the commit) calls `reading_done`, so the deadline, which is about clients
that are slow to send, does not cut the answer it is about to write. A handler that keeps
the connection for another request (keep-alive) calls `reading_again` before reading it,
so the deadline applies again: otherwise a client could send one quick request, then
trickle the next one a byte at a time and hold its thread forever.

Only the standard library; nothing from `monitor`, so any layer may use it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BUSY_TEXT = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 22\r\n\r\n"
    b"busy: too many clients"
)
"""What a connection past the cap gets by default: a complete HTTP/1.0 503, then closed."""


def busy_response(body: bytes, content_type: str) -> bytes:
    """A complete 503 answer with `Retry-After: 1`, for `BoundedServer(busy=...)`."""
    head = (
        "HTTP/1.0 503 Service Unavailable\r\n"
        f"Content-Type: {content_type}\r\n"
        "Retry-After: 1\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def family_for(host: str) -> socket.AddressFamily:
    """The address family to bind `host` with: a bracketed (IPv6) host has a colon."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def shown_address(server_address: Any) -> str:
    """`host:port` (or `[v6]:port`) of a bound server, the port the kernel chose included."""
    host, port = server_address[:2]
    host = str(host)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class BoundedServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with a cap on threads and a deadline per connection.

    The handler sets its own per-read `timeout` (a class attribute of
    `BaseHTTPRequestHandler`); this class enforces the rest.
    """

    daemon_threads = True
    block_on_close = False
    # A burst of connections waits in the kernel's queue rather than having SYNs dropped
    # (socketserver's default is 5), so a probe in the burst is refused or served at once.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        family: socket.AddressFamily,
        *,
        max_connections: int,
        max_seconds: float,
        log: logging.Logger,
        busy: bytes = BUSY_TEXT,
        max_per_client: int | None = None,
    ) -> None:
        self.address_family = family
        self.max_seconds = max_seconds
        self._log = log
        self._busy = busy
        self._slots = threading.BoundedSemaphore(max_connections)
        self._open: dict[socket.socket, float] = {}  # socket -> when it was accepted
        self._accepted: dict[socket.socket, float] = {}  # (inf in `_open` while handled)
        self._open_lock = threading.Lock()
        # With `max_per_client`, one address may hold only that many of the slots: a client
        # that opens connections and sends nothing cannot take them all from the others.
        self._max_per_client = max_per_client
        self._client_of: dict[socket.socket, str] = {}
        self._per_client: dict[str, int] = {}
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        client = str(client_address[0]) if isinstance(client_address, tuple) else ""
        with self._open_lock:
            crowded = (
                self._max_per_client is not None
                and self._per_client.get(client, 0) >= self._max_per_client
            )
        if crowded or not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        with self._open_lock:
            self._open[request] = self._accepted[request] = time.monotonic()
            self._client_of[request] = client
            self._per_client[client] = self._per_client.get(client, 0) + 1
        try:
            super().process_request(request, client_address)  # starts the thread
        except BaseException:
            self._release(request)
            self.shutdown_request(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release(request)

    def reading_done(self, request: socket.socket) -> None:
        """The request is read: the connection deadline no longer applies to it.

        Its slot stays taken until the handler returns.
        """
        with self._open_lock:
            if request in self._open:
                self._open[request] = math.inf

    def reading_again(self, request: socket.socket) -> None:
        """The handler is about to read another request on this connection: the deadline,
        counted from when it was accepted, applies again."""
        with self._open_lock:
            if request in self._open:
                self._open[request] = self._accepted[request]

    def _release(self, request: socket.socket) -> None:
        with self._open_lock:
            self._accepted.pop(request, None)
            if self._open.pop(request, None) is None:
                return
            client = self._client_of.pop(request, "")
            left = self._per_client.get(client, 1) - 1
            if left > 0:
                self._per_client[client] = left
            else:
                self._per_client.pop(client, None)
        self._slots.release()

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 without blocking (the accept loop must not wait on a client), close."""
        try:
            request.setblocking(False)
            request.send(self._busy)
        except OSError:
            pass
        self.shutdown_request(request)

    def service_actions(self) -> None:
        """Every poll of the accept loop: cut connections that outlived their deadline.

        The per-read timeout cannot stop a client that sends a byte every few seconds;
        shutting its socket down makes the handler's next read see the end and return.
        """
        cutoff = time.monotonic() - self.max_seconds
        with self._open_lock:
            stale = [sock for sock, since in self._open.items() if since < cutoff]
        for sock in stale:
            with contextlib.suppress(OSError):  # closed meanwhile
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        self._log.debug("client %s: connection error", client_address, exc_info=True)
