"""Prometheus metrics and the health endpoint, served on `[metrics] listen`.

prometheus-client renders the text format and keeps the counters thread-safe; its own
`start_http_server` serves only /metrics, so a small HTTP server here adds /healthz, which
answers 200 only while the inbox observer and the dispatcher are alive (for load balancers,
container probes and humans with curl).

The server is exposed to whatever can reach `listen`, so it must not let clients exhaust the
daemon: at most `MAX_CONNECTIONS` are served at once (more get an immediate 503), a silent
connection is dropped after `IDLE_TIMEOUT` seconds, and one that dribbles bytes after
`MAX_CONNECTION_SECONDS` in all. Without these, every idle socket held a thread forever.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from monitor.config import parse_listen

log = logging.getLogger("monitor.metrics")


class Metrics:
    """Every metric the daemon exports, in a registry of its own (tests create many)."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.articles_processed = Counter(
            "monitor_articles_processed", "Articles read and matched", registry=r
        )
        self.articles_quarantined = Counter(
            "monitor_articles_quarantined", "Files moved to quarantine", registry=r
        )
        self.rule_matches = Counter(
            "monitor_rule_matches", "Articles matched, per rule", ["rule"], registry=r
        )
        self.alerts_sent = Counter(
            "monitor_alerts_sent", "Alerts delivered, per channel", ["channel"], registry=r
        )
        self.alerts_failed = Counter(
            "monitor_alerts_failed",
            "Failed delivery attempts (to be retried), per channel",
            ["channel"],
            registry=r,
        )
        self.alerts_dead = Counter(
            "monitor_alerts_dead", "Alerts dead-lettered, per channel", ["channel"], registry=r
        )
        self.outbox_depth = Gauge(
            "monitor_outbox_depth",
            "Alerts waiting in the outbox, per channel and state",
            ["channel", "state"],
            registry=r,
        )
        self.processing_seconds = Histogram(
            "monitor_processing_seconds",
            "Time to read, match and record one article",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=r,
        )
        self.rules_loaded = Gauge("monitor_rules_loaded", "Rules in force", registry=r)
        self.reload_failures = Counter(
            "monitor_reload_failures", "Rule reloads refused because of problems", registry=r
        )
        self.source_polls = Counter(
            "monitor_source_polls",
            "Feed polls (a 304 included), per source",
            ["source"],
            registry=r,
        )
        self.source_errors = Counter(
            "monitor_source_errors",
            "Failed feed polls (HTTP, network, parser) and refused ingest requests, per source",
            ["source"],
            registry=r,
        )
        self.source_entries = Counter(
            "monitor_source_entries",
            "New feed entries and ingested articles taken in, per source",
            ["source"],
            registry=r,
        )
        self.source_last_success = Gauge(
            "monitor_source_last_success_timestamp_seconds",
            "When a source last polled or ingested successfully",
            ["source"],
            registry=r,
        )
        self.last_article = Gauge(
            "monitor_last_article_timestamp_seconds",
            "When the last article was processed",
            registry=r,
        )

    # What a source reports (monitor.sources.feeds.SourceCounters), without importing it.
    def polled(self, source: str, ok: bool) -> None:
        self.source_polls.labels(source=source).inc()
        if ok:
            self.source_last_success.labels(source=source).set_to_current_time()
        else:
            self.source_errors.labels(source=source).inc()

    def took_in(self, source: str, entries: int) -> None:
        self.source_entries.labels(source=source).inc(entries)

    def render(self) -> bytes:
        return generate_latest(self.registry)


#: Connections served at once. A scrape or a probe takes milliseconds, so a few are plenty;
#: beyond this, new connections get a 503 at once instead of a thread each.
MAX_CONNECTIONS = 16
#: Seconds a connection may stay silent (per read): scrapers send their request at once.
IDLE_TIMEOUT = 5.0
#: Seconds a connection may last in all, however slowly it trickles bytes in.
MAX_CONNECTION_SECONDS = 10.0

_BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 22\r\n\r\n"
    b"busy: too many clients"
)


class _BoundedServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with a cap on threads and a deadline per connection."""

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
    ) -> None:
        self.address_family = family
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._open: dict[socket.socket, float] = {}
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        with self._open_lock:
            self._open[request] = time.monotonic()
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

    def _release(self, request: socket.socket) -> None:
        with self._open_lock:
            if self._open.pop(request, None) is None:
                return
        self._slots.release()

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 without blocking (the accept loop must not wait on a client), close."""
        try:
            request.setblocking(False)
            request.send(_BUSY)
        except OSError:
            pass
        self.shutdown_request(request)

    def service_actions(self) -> None:
        """Every poll of the accept loop: cut connections that outlived their deadline.

        The per-read timeout cannot stop a client that sends a byte every few seconds;
        shutting its socket down makes the handler's next read see the end and return.
        """
        cutoff = time.monotonic() - MAX_CONNECTION_SECONDS
        with self._open_lock:
            stale = [sock for sock, since in self._open.items() if since < cutoff]
        for sock in stale:
            with contextlib.suppress(OSError):  # closed meanwhile
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("metrics client %s: connection error", client_address, exc_info=True)


def _handler(metrics: Metrics, healthy: Callable[[], bool]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_TIMEOUT  # per read; see MAX_CONNECTION_SECONDS for the whole

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/metrics":
                self._reply(200, metrics.render(), CONTENT_TYPE_LATEST)
            elif self.path.split("?", 1)[0] == "/healthz":
                ok = healthy()
                self._reply(
                    200 if ok else 503,
                    b"ok\n" if ok else b"unhealthy\n",
                    "text/plain; charset=utf-8",
                )
            else:
                self._reply(
                    404, b"not found: try /metrics or /healthz\n", "text/plain; charset=utf-8"
                )

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None  # scrapes every 15 s would drown the log

    return Handler


class MetricsServer:
    """The /metrics and /healthz HTTP server, on its own thread."""

    def __init__(self, listen: str, metrics: Metrics, healthy: Callable[[], bool]) -> None:
        host, port = parse_listen(listen)
        # A bracketed host is an IPv6 literal; a name or IPv4 address binds IPv4.
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = _BoundedServer((host, port), _handler(metrics, healthy), family)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="metrics", daemon=True
        )

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        host = str(host)
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def start(self) -> None:
        self._thread.start()
        log.info("metrics on http://%s/metrics", self.address)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
