"""What the page reads from the running daemon: its config and rules as they are now (a
reload replaces them), the latest articles, and the state database through a connection of
its own.

Every database read of the page runs on one thread of its own (`read`), which owns that
connection: a SQLite connection belongs to the thread that made it, requests are served on
many threads, and one reader at a time is all a desk's page needs. So the page costs the
pipeline one more reader of the WAL, never a lock it waits for (readers do not block the
writer), and however many tabs refresh at once, the database sees one query at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar, cast

from monitor.config import Config
from monitor.engine import Engine
from monitor.errors import StoreError
from monitor.rulestats import Stats
from monitor.state import Store, open_store
from monitor.web.recent import RecentArticles

log = logging.getLogger(__name__)

T = TypeVar("T")

READ_SECONDS = 15.0
"""How long a page waits for the database before it says it could not read it."""


class Unavailable(Exception):
    """The state database could not be read for the page; the message says why."""


class Desk:
    """The running daemon as the page sees it."""

    def __init__(
        self,
        config: Callable[[], Config],
        engine: Callable[[], Engine],
        recent: RecentArticles,
        opener: Callable[[], Store] | None = None,
    ) -> None:
        self._config = config
        self._engine = engine
        self.recent = recent
        self._opener = opener or (lambda: open_store(config().state, migrate=False))
        self._store: Store | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-db")
        self._stats: tuple[int, Stats] | None = None
        self._stats_lock = threading.Lock()
        self._cache: dict[str, tuple[float, object]] = {}
        # One worker at a time: every tab that opens /rules after a reload waited on the
        # same few seconds of work, each doing it again (4 tabs, 100,000 rules: 13 s each).
        self._stats_work = threading.Lock()

    @property
    def config(self) -> Config:
        return self._config()

    @property
    def engine(self) -> Engine:
        return self._engine()

    def read(self, work: Callable[[Store], T], timeout: float = READ_SECONDS) -> T:
        """`work(store)` on the page's database thread; `Unavailable` if it fails."""
        future = self._pool.submit(self._run, work)
        try:
            return future.result(timeout)
        except FutureTimeout:
            raise Unavailable(f"the state database did not answer within {timeout:g} s") from None

    def _run(self, work: Callable[[Store], T]) -> T:
        try:
            if self._store is None:
                self._store = self._opener()
            return work(self._store)
        except StoreError as exc:
            self._drop()
            raise Unavailable(str(exc)) from None

    def _drop(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except Exception:  # a broken connection may fail to close too; it is gone
                log.debug("closing the page's state connection failed", exc_info=True)

    def cached(self, key: str, seconds: float, make: Callable[[], T]) -> T:
        """`make()`, or what it gave for `key` less than `seconds` ago: for the counts that
        take the database tens of milliseconds (a rule's matches over 14 days), which many
        tabs refreshing must not ask for again and again."""
        now = time.monotonic()
        with self._stats_lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < seconds:
            return cast(T, hit[1])
        value = make()
        with self._stats_lock:
            self._cache[key] = (now, value)
        return value

    def rule_costs(self) -> Stats:
        """`check --stats` of the rules running now, worked out once per rule set."""
        engine = self.engine
        with self._stats_work:
            with self._stats_lock:
                if self._stats is not None and self._stats[0] == id(engine):
                    return self._stats[1]
            from monitor.matching.weights import Observed
            from monitor.rulestats import rule_stats

            try:
                counts = self.read(lambda store: store.term_counts())
                observed: Observed | None = Observed(counts.articles, counts.counts, counts.counted)
            except Unavailable:
                observed = None
            stats = rule_stats(engine, observed)
            with self._stats_lock:
                self._stats = (id(engine), stats)
            return stats

    def close(self) -> None:
        self._pool.submit(self._drop)
        self._pool.shutdown(wait=True, cancel_futures=True)
