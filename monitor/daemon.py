"""The daemon: wiring of source, pipeline, store and dispatcher; signals, loop and health.

Articles are processed one at a time on the main thread, in arrival order; the source's
observer and rescans only queue work. Signal handlers only set flags, so a reload (see
`monitor.reload`) or a shutdown happens between two articles, never in the middle of one.
"""

from __future__ import annotations

import gc
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from monitor.articles import Article, language
from monitor.config import Config
from monitor.dispatch import Dispatcher
from monitor.errors import (
    FatalError,
    SourceError,
    StateLocked,
    StoreError,
)
from monitor.inflight import InFlight
from monitor.membership import Membership, new_node_id
from monitor.metrics import Metrics, MetricsServer
from monitor.pipeline import CLAIMED_ELSEWHERE, Pipeline, read_item
from monitor.reload import Reloader, load_config_at_start, load_rules_at_start, warn_orphans
from monitor.rulewatch import RulesWatcher
from monitor.running import SHUTDOWN_FLUSH_SECONDS, Heartbeat, Running
from monitor.sdnotify import Notifier
from monitor.silences import SilenceCheck, SilenceWatch
from monitor.sources import FolderSource, Item, Outcome
from monitor.sources.build import build_sources
from monitor.sources.leases import FeedLeases
from monitor.sources.mux import SourceSet
from monitor.state import StoreUnavailable, open_store
from monitor.statelock import StateLock
from monitor.stories.tracker import StoryTracker

if TYPE_CHECKING:
    from monitor.web.server import WebServer  # imported only with [web]

log = logging.getLogger("monitor")

REOFFER_SECONDS = 2.0
"""How often at most items another node of a cluster claimed are offered again."""

# Files handled per database commit in a burst; small enough that a batch takes well under a
# second, so a stop request or a reload never waits long.
BATCH_SIZE = 64

DB_RETRY_FIRST = 1.0
DB_RETRY_MAX = 30.0
"""Seconds before items whose batch the state database failed are offered again: from the
first, doubling while the failures go on, up to the last."""

RECURSION_LIMIT = 6000

GC_YOUNG_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation (Python's default: 700).

The compiled rules are frozen out of the collector's sight (`engine_cache`), so what it
walks is the batch in hand: the records of every match of up to a second of articles, all
alive until the batch commits. At the default, a burst against 100,000 rules (about 90
matches per article) spent a quarter of its time in collections that freed nothing; at
10,000, 4 %. The memory held meanwhile is a few megabytes."""


def _log_outcome(outcome: Outcome) -> None:
    shown = outcome.name
    if outcome.status == "processed":
        log.info(
            "processed %s id=%s rules=%s new_alerts=%d ms=%.1f",
            shown,
            outcome.article_id,
            ",".join(outcome.rules) or "-",
            outcome.new_alerts,
            outcome.ms,
            extra={
                "file": shown,
                "article_id": outcome.article_id,
                "rules": list(outcome.rules),
                "ms": round(outcome.ms, 1),
            },
        )
    elif outcome.status == "quarantined":
        log.warning(
            "quarantined %s: %s",
            shown,
            outcome.reason,
            extra={"file": shown, "reason": outcome.reason},
        )
    elif outcome.status == "skipped":
        log.warning(
            "skipped %s: %s", shown, outcome.reason, extra={"file": shown, "reason": outcome.reason}
        )
    else:
        log.debug("ignored %s: %s", shown, outcome.reason)


class Daemon:
    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self._stop = threading.Event()
        self._reload = threading.Event()
        # What the signal handlers ask for: plain attributes, turned into the events above
        # by the loop (`_take_signals`), never set from the handlers themselves.
        self._stop_signal: int | None = None
        self._hup_signal = False
        self.notifier = Notifier()
        self._timer_lock = threading.Lock()
        self._timer_pending = False
        self.metrics = Metrics()
        self.processed = 0
        self.alerts = 0
        self._running: Running | None = None
        # Items another node had claimed, or that could not be recorded, and when to offer
        # them again.
        self._later: list[tuple[float, list[Item]]] = []
        self._db_pause = 0.0  # seconds before items the database failed are offered again
        self.reloader = Reloader(config_path, self.metrics, self.notifier, self._status)

    # -- signals -----------------------------------------------------------------------------
    # A handler runs on the main thread between two bytecodes, possibly inside code that
    # holds a lock it would need: `Event.set()` or a log call from a handler deadlocked the
    # daemon for good when a second signal landed while the first was setting the event
    # (a burst of SIGHUPs). So the handlers only assign an attribute.
    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stop_signal = signum

    def _on_hup(self, signum: int, frame: FrameType | None) -> None:
        self._hup_signal = True

    def _take_signals(self) -> None:
        """Turn what the handlers noted into the events the loop and the threads wait on."""
        signum = self._stop_signal
        if signum is not None and not self._stop.is_set():
            log.info("received %s, shutting down", signal.Signals(signum).name)
            self._stop.set()
        if self._hup_signal:
            self._hup_signal = False
            self._reload.set()

    def _asked_to_stop(self) -> bool:
        return self._stop_signal is not None or self._stop.is_set()

    def _status(self, pipeline: Pipeline) -> str:
        return (
            f"{len(pipeline.engine.ruleset.rules)} rules; {self.processed} articles "
            f"processed, {self.alerts} alerts queued"
        )

    def run(self) -> int:
        # watchdog walks a folder that appears in the inbox with os.walk, one frame per
        # level: a tree 1,000 deep killed its reader thread. Paths end at PATH_MAX (4,096
        # bytes), so no walk goes deeper than about 2,048 levels; this covers it.
        sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        # Before anything slow: a SIGHUP while a large rule set loads (a logrotate, a
        # `systemctl reload` right after start) ended the process silently, and systemd
        # counts death by SIGHUP as a clean exit, so it was not restarted either.
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        config, channels = load_config_at_start(self.config_path)
        lock = StateLock(config.state.path)
        # On PostgreSQL this daemon is a node of a cluster (perhaps of one): it claims the
        # work it does, under an id of its own.
        node = new_node_id() if config.state.url is not None else None
        membership: Membership | None = None
        try:
            lock.acquire()
            store = open_store(config.state, node=node)
            if node is not None:
                membership = Membership(config.state, node)
                membership.start()
        except (StateLocked, StoreError) as exc:
            raise FatalError(str(exc)) from None
        engine = load_rules_at_start(config, list(channels), store)
        warn_orphans(store, list(channels))
        inflight = InFlight(config.state.path)
        stories = StoryTracker(
            store,
            config.stories.window_hours,
            config.stories.similarity,
            shared=membership is not None,
        )
        started = time.monotonic()
        count = stories.load()
        log.info(
            "%d stories in the %g h near-duplicate window (index built in %.1f s, %.0f MB)",
            count,
            config.stories.window_hours,
            time.monotonic() - started,
            stories.index.nbytes / 1e6,
        )
        pipeline = Pipeline(store, engine, config.channels, stories)
        watch = SilenceWatch()

        def silences(article: Article) -> SilenceCheck:
            # Polled at most once a second: a silence added by `monitor silence add`
            # applies to the next article within about a second, with no restart.
            return watch.current(store, pipeline.engine).for_article(article)

        pipeline.silences = silences
        source = FolderSource(config.inbox, inflight)
        pipeline.cluster = store.cluster()
        pipeline.shared = frozenset({source.name})  # other nodes may watch the same folder

        def check(item: Item) -> None:
            pipeline.engine.matcher.match(read_item(item))

        source.recover(check)  # before any thread starts: it may fork
        dispatcher = Dispatcher(channels, config.state, self.metrics, membership)
        dispatcher.start()
        try:
            source.start()
        except SourceError as exc:
            dispatcher.stop(0)
            raise FatalError(str(exc)) from None

        def healthy() -> bool:  # for the ingest listeners' /healthz
            return self._running is not None and self._running.serving()

        feed_leases: Callable[[], FeedLeases] | None = None
        if membership is not None:
            member = membership

            def feed_leases() -> FeedLeases:
                # One node polls each feed; the feed scheduler asks through a store of its own.
                return FeedLeases(
                    lambda: open_store(config.state, migrate=False, node=member.id),
                    config.state.lease,
                    member.fresh,
                )

        sources = SourceSet(
            source, build_sources(config, store, self.metrics, healthy, leases=feed_leases)
        )
        try:
            sources.start()
        except SourceError as exc:
            source.stop()
            dispatcher.stop(0)
            raise FatalError(str(exc)) from None
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        r = Running(
            config,
            store,
            pipeline,
            dispatcher,
            sources,
            RulesWatcher(config.rules.path),
            Heartbeat(config.inbox.max_seconds),
            lock,
            membership=membership,
            feed_leases=feed_leases,
        )
        self._running = r
        watchdog = threading.Thread(target=self._watchdog, args=(r,), name="watchdog", daemon=True)
        try:
            r.server = self._serve_metrics(config, r)
            r.web = self._serve_web(config, r)
            r.rules_watcher.start()
            log.info("watching %s", config.inbox.path)
            self.notifier.ready(self._status(pipeline))
            watchdog.start()
            threading.Thread(target=_preload_language, name="language-model", daemon=True).start()
            self._loop(r)
        finally:
            self.notifier.stopping()
            if r.server is not None:
                r.server.stop()
            if r.web is not None:
                r.web.stop()
            r.rules_watcher.stop()
            r.sources.stop()
            r.dispatcher.stop(SHUTDOWN_FLUSH_SECONDS)
            r.pipeline.save_term_counts()
            if membership is not None:
                membership.stop()
            store.close()
            inflight.clear()
            inflight.close()
            lock.release()
            log.info("stopped")
        return 0

    def _serve_metrics(self, config: Config, r: Running) -> MetricsServer | None:
        if config.metrics is None:
            return None
        try:
            server = MetricsServer(config.metrics.listen, self.metrics, r.serving)
        except OSError as exc:
            raise FatalError(
                f"{config.source}: [metrics] listen = {config.metrics.listen!r}: "
                f"{exc.strerror or exc}; choose a free address"
            ) from None
        server.start()
        return server

    def _serve_web(self, config: Config, r: Running) -> WebServer | None:
        """The desk's page (`[web]`); its settings stay as they were at start (a reload
        keeps them, as it keeps `[metrics]`), while rules and config it shows follow
        reloads."""
        if config.web is None:
            return None
        from monitor.web.app import WebApp
        from monitor.web.auth import Sessions, load_key
        from monitor.web.desk import Desk
        from monitor.web.recent import RecentArticles
        from monitor.web.server import WebServer as Server

        settings = config.web
        recent = RecentArticles(settings.recent)
        r.pipeline.recent = recent
        desk = Desk(lambda: r.config, lambda: r.pipeline.engine, recent)
        sessions = Sessions(load_key(config.state.path), settings.session_hours * 3600)
        try:
            server = Server(settings, WebApp(desk, lambda: settings, sessions))
        except OSError as exc:
            raise FatalError(
                f"{config.source}: [web] listen = {settings.listen!r}: "
                f"{exc.strerror or exc}; choose a free address"
            ) from None
        server.start()
        return server

    def _loop(self, r: Running) -> None:
        last_health = 0.0
        interval = min(5.0, self.notifier.watchdog_interval or 5.0)
        while True:
            self._take_signals()
            if self._stop.is_set():
                break
            r.heartbeat.beat()
            if self._reload.is_set() or r.rules_watcher.due():
                self._reload.clear()
                self.reloader.reload(r)
            self._offer_again(r)
            if r.membership is not None and not r.membership.fresh():
                # Cut off from the database: take no work (another node may be taking this
                # node's claims over); the sources keep their items until it is back.
                self._stop.wait(0.2)
                items = []
            else:
                items = r.sources.take(timeout=0.2, limit=BATCH_SIZE)
            if items:
                self._process(r, items)
            if time.monotonic() - last_health >= interval:
                last_health = time.monotonic()
                self._check_health(r)

    def _process(self, r: Running, items: list[Item]) -> None:
        def interrupted() -> bool:
            return self._asked_to_stop() or self._hup_signal or self._reload.is_set()

        handed: set[tuple[str, str]] = set()  # the items whose outcome is given already

        def done(outcomes: list[Outcome]) -> None:
            handed.update((o.item.source, o.item.key) for o in outcomes)
            elsewhere = [o.item for o in outcomes if o.reason == CLAIMED_ELSEWHERE]
            if elsewhere and r.membership is not None:
                # Offered again soon (a claim query each, refused while the holder lives):
                # if the node reading them dies, they are taken within REOFFER_SECONDS of
                # its claims lapsing.
                wait = min(r.membership.lease / 4, REOFFER_SECONDS)
                self._later.append((time.monotonic() + wait, elsewhere))
            r.sources.finished(outcomes)
            new_alerts = 0
            for outcome in outcomes:
                _log_outcome(outcome)
                self._count(outcome)
                new_alerts += outcome.new_alerts
            if new_alerts:
                self.alerts += new_alerts
                r.dispatcher.wake()

        try:
            outcomes = r.pipeline.process_batch(
                r.sources, items, progress=r.heartbeat.beat, interrupt=interrupted, done=done
            )
        except StoreUnavailable as exc:
            # The database failed, not the items (down, cut off, a statement timeout, a
            # deadlock): the transaction recording them was rolled back whole and none of
            # them was settled, so they are offered again after a pause that grows while
            # the failures last. A feed's entries come again with its next poll, and an
            # ingest client is told to post again.
            rest = [item for item in items if (item.source, item.key) not in handed]
            self._db_pause = min(max(self._db_pause * 2, DB_RETRY_FIRST), DB_RETRY_MAX)
            log.warning(
                "could not record %d items (%s); trying them again in %.0f s",
                len(rest),
                exc,
                self._db_pause,
            )
            reason = "the state database is unavailable"
            r.sources.finished([Outcome(item, "skipped", reason=reason) for item in rest])
            files = [item for item in rest if r.source.owns(item.source)]
            if files:
                self._later.append((time.monotonic() + self._db_pause, files))
            return
        except Exception:
            # One bad file must never stop the daemon; the files stay in the inbox and are
            # retried by the next rescan, a feed's entries by its next poll, and an ingest
            # client is told to try again.
            log.exception("failed to process %d items; will retry them later", len(items))
            rest = [item for item in items if (item.source, item.key) not in handed]
            r.sources.finished([Outcome(item, "skipped", reason="failed") for item in rest])
            return
        self._db_pause = 0.0
        if len(outcomes) < len(items):
            handled = {(outcome.item.source, outcome.item.key) for outcome in outcomes}
            rest = [item for item in items if (item.source, item.key) not in handled]
            if self._asked_to_stop():  # the folder finds its files again at start
                r.sources.finished([Outcome(i, "skipped", reason="stopping") for i in rest])
            else:  # a reload comes first: the rest go back to their source
                r.sources.give_back(rest)

    def _offer_again(self, r: Running) -> None:
        """Give back to their sources the items another node had claimed, once due."""
        if not self._later:
            return
        now = time.monotonic()
        due = [items for at, items in self._later if at <= now]
        if due:
            self._later = [(at, items) for at, items in self._later if at > now]
            for items in due:
                r.sources.give_back(items)

    def _count(self, outcome: Outcome) -> None:
        if outcome.status == "quarantined":
            self.metrics.articles_quarantined.inc()
        if outcome.status == "processed":
            self.processed += 1
            self.metrics.articles_processed.inc()
            self.metrics.processing_seconds.observe(outcome.ms / 1000)
            self.metrics.last_article.set_to_current_time()
            self.metrics.rule_matches.add(outcome.rules)

    def _watchdog(self, r: Running) -> None:
        """Ping systemd's watchdog while the daemon is healthy, from a thread of its own.

        A thread, so that one slow article does not starve the watchdog while the loop is
        still making progress; pinging only while `healthy()` (the loop beat recently, the
        observer and the dispatchers run), so that a loop stuck for good is restarted.
        """
        interval = min(5.0, self.notifier.watchdog_interval or 5.0)
        was_healthy = True
        while not self._stop.wait(interval):
            healthy = r.healthy()
            if healthy:
                self.notifier.watchdog()
            elif was_healthy:
                log.error("unhealthy: %s; not answering the systemd watchdog", r.why_unhealthy())
            if healthy and not was_healthy:
                log.info("healthy again")
            was_healthy = healthy

    def _check_health(self, r: Running) -> None:
        """Repair a dead observer; publish the outbox depth; report status to systemd.

        A state folder that was removed (or its lock or database replaced) under the
        running daemon ends it: its lock no longer keeps a second daemon out, and SQLite
        would write on into a deleted file. A restart opens a fresh state.
        """
        if not (r.lock.intact() and r.store.intact()):
            raise FatalError(
                f"the state folder {r.config.state.path} was removed or its "
                "files replaced while the daemon ran; stopping so that a "
                "second daemon cannot send the same alerts and no alert is "
                "recorded into a deleted database. Start it again"
            )
        if not r.source.alive():  # the folder; the other sources restart their own threads
            # If it cannot be watched, FatalError ends the daemon: never run blind, exit
            # non-zero so systemd restarts us.
            try:
                r.source.repair()
            except SourceError as exc:
                raise FatalError(str(exc)) from None
        problem = r.membership.problem() if r.membership is not None else None
        if problem is not None:
            self.notifier.status(problem)
            return  # the outbox depth is asked for again once the database answers
        if r.healthy():
            self.notifier.status(self._status(r.pipeline))
        try:
            depth = r.pipeline.store.depth()
        except StoreError as exc:  # the gauge keeps its last value; the next check asks again
            log.debug("outbox depth not read: %s", exc)
            return
        for channel in r.pipeline.channels:
            for state in ("pending", "dead"):
                self.metrics.outbox_depth.labels(channel=channel, state=state).set(
                    depth.get((channel, state), 0)
                )


def _preload_language() -> None:
    """Load the language model (about 0.5 s) beside the loop, once the daemon is ready: the
    first matched article would otherwise wait for it (its records carry the language), and
    an editor expects that first alert within a second."""
    try:
        language.preload()
    except Exception:  # a broken install: detection says so, article by article
        log.warning("the language model could not be loaded", exc_info=True)
