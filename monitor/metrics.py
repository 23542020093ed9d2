"""Prometheus metrics and the health endpoint, served on `[metrics] listen`.

prometheus-client renders the text format and keeps the counters thread-safe; its own
`start_http_server` serves only /metrics, so a small HTTP server here adds /healthz, which
answers 200 only while the inbox observer and the dispatcher are alive (for load balancers,
container probes and humans with curl).

The server is exposed to whatever can reach `listen`, so it must not let clients exhaust the
daemon: at most `MAX_CONNECTIONS` are served at once (more get an immediate 503), a silent
connection is dropped after `IDLE_TIMEOUT` seconds, and one that dribbles bytes after
`MAX_CONNECTION_SECONDS` in all. Without these, every idle socket held a thread forever.
`monitor.httpserve.BoundedServer` enforces them; the ingest API shares it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from monitor.config import parse_listen
from monitor.httpserve import BoundedServer, family_for, shown_address

log = logging.getLogger("monitor.metrics")


class RuleMatches(Collector):
    """`monitor_rule_matches_total{rule}`: articles matched, per rule.

    Counted in a plain dict and turned into samples only when scraped: a prometheus-client
    `Counter` child per rule cost a lock and a label check per match, and its first use per
    rule more (at 100,000 rules and 90 matches per article, more than recording the article).
    """

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, rules: Iterable[str]) -> None:
        """Count one article matched by each of `rules`."""
        counts = self._counts
        with self._lock:
            for rule in rules:
                counts[rule] = counts.get(rule, 0) + 1

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "monitor_rule_matches", "Articles matched, per rule", labels=["rule"]
        )
        with self._lock:
            counts = list(self._counts.items())
        for rule, count in counts:
            family.add_metric([rule], count)
        yield family


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
        self.rule_matches = RuleMatches()
        r.register(self.rule_matches)
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
            "Failed feed polls (HTTP, network, parser), per source",
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
        self._server = BoundedServer(
            (host, port),
            _handler(metrics, healthy),
            family_for(host),
            max_connections=MAX_CONNECTIONS,
            max_seconds=MAX_CONNECTION_SECONDS,
            log=log,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="metrics", daemon=True
        )

    @property
    def address(self) -> str:
        return shown_address(self._server.server_address)

    def start(self) -> None:
        self._thread.start()
        log.info("metrics on http://%s/metrics", self.address)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
