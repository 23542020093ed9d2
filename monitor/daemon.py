"""The daemon: wiring of inbox, pipeline, store and dispatcher, plus signals and reload.

Articles are processed one at a time on the main thread, in arrival order; the observer and
the scheduler only put paths on a queue. Signal handlers only set flags, so a reload or a
shutdown happens between two articles, never in the middle of one.
"""

from __future__ import annotations

import logging
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.channels import Channel, build_channel
from monitor.config import Config, InboxConfig, load_config
from monitor.dispatch import Dispatcher
from monitor.engine import Engine, load_engine
from monitor.errors import (
    ConfigError,
    FatalError,
    SourceError,
    StateLocked,
    StoreError,
)
from monitor.inbox import MAX_DEPTH, Inbox, scan
from monitor.inflight import InFlight
from monitor.metrics import Metrics, MetricsServer
from monitor.pipeline import Outcome, Pipeline, quarantine_folder
from monitor.rulewatch import RulesWatcher, describe_change
from monitor.sdnotify import Notifier
from monitor.statelock import StateLock
from monitor.store import Store
from monitor.textsafe import shown_path

log = logging.getLogger("monitor")

SETTLE_SECONDS = 2.0
SHUTDOWN_FLUSH_SECONDS = 5.0
# Files handled per database commit in a burst; small enough that a batch takes well under a
# second, so a stop request or a reload never waits long.
BATCH_SIZE = 64
# The loop counts as stuck when it has made no progress for the time budget of one file
# ([inbox] max_seconds, after which the file is stopped) plus this margin: with the default
# budget of 10 s, below the unit's WatchdogSec=30, so systemd restarts a loop stuck for good.
STALL_MARGIN = 10.0
# A reload compiles the new rule set on the loop's thread; 100,000 rules take some seconds
# cold. It may take this long before the loop counts as stuck.
RELOAD_SECONDS = 120.0
RECURSION_LIMIT = 6000


class Heartbeat:
    """When the processing loop last made progress, and how long it may go without.

    The loop beats on every turn and after every article; the watchdog thread and
    `/healthz` read it. Pinging systemd from the loop itself would starve the watchdog
    during one legitimately slow batch, and pinging from a timer regardless of the loop
    would hide a loop that is stuck for good: this is the middle way.
    """

    def __init__(self, article_seconds: float) -> None:
        self.usual = article_seconds + STALL_MARGIN
        self._last = time.monotonic()
        self._limit = self.usual

    def beat(self, allow: float | None = None) -> None:
        """Progress now; the next may take up to `allow` seconds (default: one article's)."""
        self._last = time.monotonic()
        self._limit = self.usual if allow is None else allow

    def silent_for(self) -> float:
        """Seconds since the last beat."""
        return time.monotonic() - self._last

    def stalled(self) -> bool:
        """Whether the loop is past the allowed gap since the last beat."""
        return self.silent_for() > self._limit


class WorkQueue:
    """Paths waiting to be processed, each at most once in the queue at a time."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Path] = queue.Queue()
        self._queued: set[Path] = set()
        self._lock = threading.Lock()

    def put(self, path: Path) -> None:
        with self._lock:
            if path in self._queued:
                return
            self._queued.add(path)
        self._queue.put(path)

    def get_batch(self, timeout: float, limit: int) -> list[Path]:
        """Wait up to `timeout` for one path, then take whatever else is already waiting."""
        batch: list[Path] = []
        try:
            batch.append(self._queue.get(timeout=timeout))
            while len(batch) < limit:
                batch.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        with self._lock:
            self._queued.difference_update(batch)
        return batch


def build_channels(config: Config) -> dict[str, Channel]:
    """Every configured channel; the config was validated whole, so building cannot fail."""
    return {name: build_channel(name, conf) for name, conf in config.channels.items()}


def _log_outcome(outcome: Outcome) -> None:
    shown = shown_path(outcome.path)
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


@dataclass
class _Running:
    """The parts of a running daemon; a reload replaces some of them in place."""

    config: Config
    store: Store
    pipeline: Pipeline
    dispatcher: Dispatcher
    inbox: Inbox
    rules_watcher: RulesWatcher
    scheduler: BackgroundScheduler
    heartbeat: Heartbeat
    lock: StateLock
    server: MetricsServer | None = None

    def healthy(self) -> bool:
        return (
            not self.heartbeat.stalled()
            and self.inbox.alive()
            and self.dispatcher.alive()
            and self.rules_watcher.alive()
        )

    def why_unhealthy(self) -> str:
        parts = []
        if self.heartbeat.stalled():
            parts.append(
                f"the processing loop made no progress for {self.heartbeat.silent_for():.0f} s"
            )
        if not self.inbox.alive():
            parts.append("the inbox observer is not running")
        if not self.dispatcher.alive():
            parts.append("a channel's dispatcher thread is not running")
        if not self.rules_watcher.alive():
            parts.append("the rules watcher is not running")
        return "; ".join(parts) or "recovered"


class Daemon:
    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self.work = WorkQueue()
        self._stop = threading.Event()
        self._reload = threading.Event()
        self.notifier = Notifier()
        self._timer_lock = threading.Lock()
        self._timer_pending = False
        self.metrics = Metrics()
        self.processed = 0
        self.alerts = 0
        self._warned: set[Path] = set()  # odd inbox entries already logged by the rescan
        self._inbox: Inbox | None = None  # the one watching now, for the rescan
        self._inbox_config = InboxConfig()  # the `[inbox]` in force, for the rescan

    # -- signals -----------------------------------------------------------------------------
    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        self._stop.set()

    def _on_hup(self, signum: int, frame: FrameType | None) -> None:
        self._reload.set()

    # -- loading -----------------------------------------------------------------------------
    def _load(self) -> tuple[Config, dict[str, Channel], Engine]:
        try:
            config = load_config(self.config_path)
        except ConfigError as exc:
            raise FatalError(str(exc)) from None
        channels = build_channels(config)
        engine, problems = load_engine(config.rules.path, list(channels), base=config.source.parent)
        for problem in problems:
            log.error("%s (rule skipped)", problem)
        log.info("loaded %d rules from %s", len(engine.ruleset.rules), config.rules.path)
        return config, channels, engine

    def _status(self, pipeline: Pipeline) -> str:
        return (
            f"{len(pipeline.engine.ruleset.rules)} rules; {self.processed} articles "
            f"processed, {self.alerts} alerts queued"
        )

    def _reload_all(self, r: _Running) -> None:
        """Reload; nothing that goes wrong while loading may escape and end the daemon."""
        self.notifier.reloading()
        r.heartbeat.beat(allow=RELOAD_SECONDS)
        try:
            self._reload_now(r)
        except Exception as exc:  # a loader bug on a hostile file: keep the running rules
            log.debug("reload failed", exc_info=True)
            self._refuse(r, [f"{type(exc).__name__}: {exc}"[:500]])
        finally:
            r.heartbeat.beat()
            self.notifier.ready(self._status(r.pipeline))

    def _refuse(self, r: _Running, problems: list[str]) -> None:
        self.metrics.reload_failures.inc()
        for problem in problems:
            log.error("reload refused: %s", problem)
        log.error(
            "reload refused: keeping the config and the %d rules already running",
            len(r.pipeline.engine.ruleset.rules),
        )

    def _reload_now(self, r: _Running) -> None:
        """Reload config and rules; a change with any problem is refused as a whole.

        The new rule set is compiled beside the old one and swapped in with one assignment.
        Changed channels get a new dispatcher (the old one flushes first), a changed inbox a
        new observer. `[state]` and `[metrics]` need a restart: they are kept as they are.
        """
        try:
            config = load_config(self.config_path)
            channels = build_channels(config)
        except ConfigError as exc:
            self._refuse(r, exc.problems)
            return
        except FatalError as exc:
            self._refuse(r, str(exc).splitlines())
            return
        engine, problems = load_engine(config.rules.path, list(channels), base=config.source.parent)
        if problems:
            self._refuse(r, problems)
            return
        for line in describe_change(r.pipeline.engine.ruleset, engine.ruleset):
            log.warning("%s", line)
        if config.state != r.config.state or config.metrics != r.config.metrics:
            log.warning("[state] and [metrics] changes take effect after a restart")
            config = config.model_copy(
                update={"state": r.config.state, "metrics": r.config.metrics}
            )
        if config.inbox != r.config.inbox:  # first: the step that can still fail
            try:
                self._switch_inbox(r, config)
            except BaseException:
                for channel in channels.values():
                    channel.close()
                raise
        if config.channels != r.config.channels:
            r.dispatcher.stop(SHUTDOWN_FLUSH_SECONDS)
            r.dispatcher = Dispatcher(channels, config.state.path, self.metrics)
            r.dispatcher.start()
            r.pipeline.channels = list(channels)
            log.info("channels now: %s", ", ".join(channels) or "none")
            self._warn_orphans(r.store, list(channels))
        else:
            for channel in channels.values():
                channel.close()
        if config.rules.path != r.config.rules.path:
            r.rules_watcher.stop()
            r.rules_watcher = RulesWatcher(config.rules.path)
            r.rules_watcher.start()
        r.pipeline.engine = engine
        r.config = config
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        log.info("reloaded %d rules", len(engine.ruleset.rules))

    @staticmethod
    def _warn_orphans(store: Store, channels: list[str]) -> None:
        """Alerts queued for a channel the config no longer has are kept, and said so."""
        for name in store.orphaned_channels(channels):
            log.warning(
                "alerts are waiting for channel `%s`, which the config no longer "
                "defines; they stay queued until it is configured again (see "
                "monitor outbox)",
                name,
            )

    def _switch_inbox(self, r: _Running, config: Config) -> None:
        """Apply a changed `[inbox]`: what can fail first, so a failure changes nothing."""
        old = r.config.inbox
        if (config.inbox.path, config.inbox.poll) != (old.path, old.poll):
            inbox = self._start_inbox(config)  # raises, changing nothing, if it cannot watch
            r.inbox.stop()
            r.inbox = inbox
            log.info("watching %s", config.inbox.path)
        if config.inbox.rescan_seconds != old.rescan_seconds:
            r.scheduler.reschedule_job(
                "rescan", trigger="interval", seconds=config.inbox.rescan_seconds
            )
        r.pipeline.inbox = config.inbox
        r.heartbeat.usual = config.inbox.max_seconds + STALL_MARGIN
        self._inbox_config = config.inbox
        self._rescan()

    # -- running -----------------------------------------------------------------------------
    def _rescan(self) -> None:
        inbox_config = self._inbox_config
        ready, young, too_deep = scan(inbox_config.path, SETTLE_SECONDS, warned=self._warned)
        self._quarantine_deep(too_deep, inbox_config.quarantine)
        inbox = self._inbox
        if inbox is not None:
            inbox.forget_gone()
        for path in ready:
            # A writer that paused mid-file still holds it open: its close event brings it.
            if inbox is None or not inbox.being_written(path):
                self.work.put(path)
        if young:
            self._rescan_later()

    def _quarantine_deep(self, folders: list[Path], quarantine: Path) -> None:
        """Move folder trees too deep to walk out of the inbox (see `inbox.MAX_DEPTH`)."""
        for folder in folders:
            reason = (
                f"{shown_path(folder)}: holds folders nested more than {MAX_DEPTH} deep, "
                "which the inbox does not walk; the whole folder was moved here unread\n"
            )
            try:
                moved = quarantine_folder(folder, quarantine, reason)
            except OSError as exc:
                log.error(
                    "%s holds folders nested more than %d deep, which the inbox does "
                    "not walk, and it cannot be moved to quarantine (%s); remove it",
                    shown_path(folder),
                    MAX_DEPTH,
                    exc.strerror or exc,
                )
                continue
            log.warning(
                "quarantined the folder %s: it holds folders nested more than %d "
                "deep (moved to %s)",
                shown_path(folder),
                MAX_DEPTH,
                shown_path(moved),
            )

    def _rescan_later(self) -> None:
        """Rescan once files have had time to settle; several requests share one timer."""
        with self._timer_lock:
            if self._timer_pending:
                return
            self._timer_pending = True

        def fire() -> None:
            with self._timer_lock:
                self._timer_pending = False
            self._rescan()

        timer = threading.Timer(SETTLE_SECONDS, fire)
        timer.daemon = True
        timer.start()

    def _start_inbox(self, config: Config) -> Inbox:
        inbox = Inbox(
            config.inbox.path, self.work.put, poll=config.inbox.poll, on_activity=self._rescan_later
        )
        try:
            inbox.start()
        except SourceError as exc:
            raise FatalError(str(exc)) from None
        self._inbox = inbox
        self._inbox_config = config.inbox
        return inbox

    def run(self) -> int:
        # watchdog walks a folder that appears in the inbox with os.walk, one frame per
        # level: a tree 1,000 deep killed its reader thread. Paths end at PATH_MAX (4,096
        # bytes), so no walk goes deeper than about 2,048 levels; this covers it.
        sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
        # Before anything slow: a SIGHUP while a large rule set loads (a logrotate, a
        # `systemctl reload` right after start) ended the process silently, and systemd
        # counts death by SIGHUP as a clean exit, so it was not restarted either.
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        config, channels, engine = self._load()
        lock = StateLock(config.state.path)
        try:
            lock.acquire()
            store = Store(config.state.path)
        except (StateLocked, StoreError) as exc:
            raise FatalError(str(exc)) from None
        self._warn_orphans(store, list(channels))
        inflight = InFlight(config.state.path)
        pipeline = Pipeline(config.inbox, store, engine, list(channels), inflight)
        pipeline.recover()
        dispatcher = Dispatcher(channels, config.state.path, self.metrics)
        dispatcher.start()
        try:
            inbox = self._start_inbox(config)
        except FatalError:
            dispatcher.stop(0)
            raise
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        scheduler = BackgroundScheduler()
        r = _Running(
            config,
            store,
            pipeline,
            dispatcher,
            inbox,
            RulesWatcher(config.rules.path),
            scheduler,
            Heartbeat(config.inbox.max_seconds),
            lock,
        )
        watchdog = threading.Thread(target=self._watchdog, args=(r,), name="watchdog", daemon=True)
        try:
            r.server = self._serve_metrics(config, r)
            r.rules_watcher.start()

            def job_failed(event: JobExecutionEvent) -> None:
                log.error("scheduled job %s failed: %r", event.job_id, event.exception)

            scheduler.add_listener(job_failed, EVENT_JOB_ERROR)
            scheduler.add_job(
                self._rescan,
                "interval",
                seconds=config.inbox.rescan_seconds,
                id="rescan",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
            )
            scheduler.start()
            self._rescan()
            log.info("watching %s", config.inbox.path)
            self.notifier.ready(self._status(pipeline))
            watchdog.start()
            self._loop(r)
        finally:
            self.notifier.stopping()
            if r.server is not None:
                r.server.stop()
            if scheduler.running:
                scheduler.shutdown(wait=False)
            r.rules_watcher.stop()
            r.inbox.stop()
            r.dispatcher.stop(SHUTDOWN_FLUSH_SECONDS)
            store.close()
            inflight.clear()
            inflight.close()
            lock.release()
            log.info("stopped")
        return 0

    def _serve_metrics(self, config: Config, r: _Running) -> MetricsServer | None:
        if config.metrics is None:
            return None
        try:
            server = MetricsServer(config.metrics.listen, self.metrics, r.healthy)
        except OSError as exc:
            raise FatalError(
                f"{config.source}: [metrics] listen = {config.metrics.listen!r}: "
                f"{exc.strerror or exc}; choose a free address"
            ) from None
        server.start()
        return server

    def _loop(self, r: _Running) -> None:
        last_health = 0.0
        interval = min(5.0, self.notifier.watchdog_interval or 5.0)
        while not self._stop.is_set():
            r.heartbeat.beat()
            if self._reload.is_set() or r.rules_watcher.due():
                self._reload.clear()
                self._reload_all(r)
            paths = self.work.get_batch(timeout=0.2, limit=BATCH_SIZE)
            if paths:
                self._process(r, paths)
            if time.monotonic() - last_health >= interval:
                last_health = time.monotonic()
                self._check_health(r)

    def _process(self, r: _Running, paths: list[Path]) -> None:
        def interrupted() -> bool:
            return self._stop.is_set() or self._reload.is_set()

        def done(outcomes: list[Outcome]) -> None:
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
                paths, progress=r.heartbeat.beat, interrupt=interrupted, done=done
            )
        except Exception:
            # One bad file must never stop the daemon; the files stay in the inbox and are
            # retried by the next rescan.
            log.exception("failed to process %d files; will retry on the next rescan", len(paths))
            return
        if len(outcomes) < len(paths) and not self._stop.is_set():
            handled = {outcome.path for outcome in outcomes}
            for path in paths:  # a reload comes first: the rest go back in the queue
                if path not in handled:
                    self.work.put(path)

    def _count(self, outcome: Outcome) -> None:
        if outcome.status == "quarantined":
            self.metrics.articles_quarantined.inc()
        if outcome.status == "processed":
            self.processed += 1
            self.metrics.articles_processed.inc()
            self.metrics.processing_seconds.observe(outcome.ms / 1000)
            self.metrics.last_article.set_to_current_time()
            for rule in outcome.rules:
                self.metrics.rule_matches.labels(rule=rule).inc()

    def _watchdog(self, r: _Running) -> None:
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

    def _check_health(self, r: _Running) -> None:
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
        if not r.inbox.alive():
            log.error(
                "the inbox observer stopped or %s disappeared; re-creating and watching it again",
                r.config.inbox.path,
            )
            r.inbox.stop()
            # If it cannot be watched, FatalError ends the daemon: never run blind, exit
            # non-zero so systemd restarts us.
            r.inbox = self._start_inbox(r.config)
            self._rescan()
        depth = r.pipeline.store.depth()
        for channel in r.pipeline.channels:
            for state in ("pending", "dead"):
                self.metrics.outbox_depth.labels(channel=channel, state=state).set(
                    depth.get((channel, state), 0)
                )
        if r.healthy():
            self.notifier.status(self._status(r.pipeline))
