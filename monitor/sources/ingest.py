"""The ingest API as a source (`[sources.NAME] type = "http"`): POSTed articles, durably.

The listener (`ingest_http.IngestServer`) parses and validates a request on its own thread
and calls `submit`, which queues the articles for the daemon's loop and waits: the client
gets its 202 only once `finished` has seen every article of the request committed, the
inbox's guarantee. The same article posted twice (same title and body: the content id) is
a duplicate: its (source, id) is remembered in `items` when it commits, so a second POST,
even after a restart, records nothing and alerts nothing. A request that is not committed
within `WAIT_SECONDS` (a daemon busy with a huge burst, or stopping) gets a 503 with
Retry-After; what it posted may still commit, and the retry then counts as duplicates.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.articles import Article
from monitor.config import HttpSourceConfig
from monitor.errors import SourceError
from monitor.sources.base import Item, Outcome, ParsedItems, article_item
from monitor.sources.feeds import SourceCounters, iso
from monitor.sources.ingest_http import IngestServer, SubmitResult, SubmitUnavailable
from monitor.state import SourceState, Store

log = logging.getLogger("monitor.ingest")

WAIT_SECONDS = 30.0
"""Longest a client waits for its articles to commit before a 503 asks it to retry."""
MAX_QUEUED = 10_000
"""Articles waiting for the loop; past this, a POST is answered 503 at once (back-pressure)."""
RETRY_SECONDS = 5.0


@dataclass(eq=False)
class _Request:
    """One POST's articles on their way through the pipeline."""

    keys: list[str]
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)


class IngestSource(ParsedItems):
    kind = "ingest"

    def __init__(
        self,
        name: str,
        conf: HttpSourceConfig,
        max_bytes: int,
        store: Store,
        healthy: Callable[[], bool],
        counters: SourceCounters | None = None,
        *,
        wait_seconds: float = WAIT_SECONDS,
        max_seconds: float = 10.0,
    ) -> None:
        self.name = name
        self.conf = conf
        self.store = store  # the loop thread's: used in `finished` only
        self.counters = counters
        self.wait_seconds = wait_seconds
        self._max_seconds = max_seconds
        self._max_bytes = max_bytes
        self._healthy = healthy
        self._server: IngestServer | None = None  # bound in `start`
        self._lock = threading.Lock()
        self._queue: deque[Item] = deque()
        self._waiting: set[_Request] = set()
        self._stopping = False
        self._state = store.source_states().get(name) or SourceState(name)

    @property
    def address(self) -> str:
        return self._server.address if self._server is not None else self.conf.listen

    @property
    def max_seconds(self) -> float:
        return self._max_seconds

    def owns(self, source_name: str) -> bool:
        return source_name == self.name

    def start(self) -> None:
        token = self.conf.token.get_secret_value() if self.conf.token is not None else None
        try:
            server = IngestServer(
                self.name, self.conf.listen, token, self._max_bytes, self.submit, self._healthy
            )
        except OSError as exc:
            raise SourceError(
                f"[sources.{self.name}] listen = {self.conf.listen!r}: "
                f"{exc.strerror or exc}; choose a free address"
            ) from None
        server.start()
        self._server = server

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            waiting = list(self._waiting)
        for request in waiting:
            request.done.set()  # answered 503: not all of it committed
        if self._server is not None:
            self._server.stop()

    def alive(self) -> bool:
        return self._server is not None and self._server.alive()

    # -- the listener's threads ---------------------------------------------------------------
    def submit(self, articles: list[Article]) -> SubmitResult:
        """Queue a request's articles and wait until they are committed."""
        # A repeat within the request (the same id: the same title and body) is queued once.
        unique = list({article.id: article for article in articles}.values())
        request = _Request([article.id for article in unique])
        items = [
            article_item(self.name, article.id, article, article.id, request) for article in unique
        ]
        with self._lock:
            if self._stopping:
                raise SubmitUnavailable("the daemon is stopping", RETRY_SECONDS)
            if len(self._queue) + len(items) > MAX_QUEUED:
                raise SubmitUnavailable("too many articles are waiting", RETRY_SECONDS)
            self._waiting.add(request)
            self._queue.extend(items)
        self._signal_ready()
        try:
            committed = request.done.wait(self.wait_seconds)
        finally:
            with self._lock:
                self._waiting.discard(request)
        if len(request.outcomes) < len(request.keys) and self._stopping:
            raise SubmitUnavailable(
                "the daemon is stopping; post them again (what did commit counts as duplicates)",
                RETRY_SECONDS,
            )
        if not committed or len(request.outcomes) < len(request.keys):
            raise SubmitUnavailable(
                "the articles were not committed in time; post them again (what did "
                "commit counts as duplicates)",
                RETRY_SECONDS,
            )
        failed = [o for o in request.outcomes.values() if o.status == "skipped"]
        if failed:
            raise SubmitUnavailable("the articles could not be recorded; post them again", 30.0)
        rejected = {k: o.reason for k, o in request.outcomes.items() if o.status == "quarantined"}
        accepted = sum(o.status == "processed" for o in request.outcomes.values())
        return SubmitResult(
            accepted=accepted,
            duplicates=len(articles) - accepted - len(rejected),
            ids=[article.id for article in articles],
            rejected=rejected,
        )

    # -- the loop thread ----------------------------------------------------------------------
    def take(self, timeout: float, limit: int) -> list[Item]:
        with self._lock:
            return [self._queue.popleft() for _ in range(min(limit, len(self._queue)))]

    def give_back(self, items: list[Item]) -> None:
        with self._lock:
            self._queue.extendleft(reversed(items))

    def finished(self, outcomes: list[Outcome]) -> None:
        done: list[_Request] = []
        new = 0
        for outcome in outcomes:
            request = outcome.item.handle
            if not isinstance(request, _Request):
                continue
            request.outcomes[outcome.item.key] = outcome
            new += outcome.status == "processed"
            if len(request.outcomes) == len(request.keys):
                done.append(request)
        if new:
            self._state.last_new = iso(time.time())
            try:
                self.store.save_source_states([self._state])
            except Exception:  # bookkeeping for `monitor sources` only
                log.exception("ingest %s: could not save its state", self.name)
            if self.counters is not None:
                self.counters.took_in(self.name, new)
        for request in done:
            request.done.set()
