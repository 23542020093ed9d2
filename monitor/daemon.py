"""The daemon: wiring of inbox, pipeline, store and dispatcher, plus signals and reload.

Articles are processed one at a time on the main thread, in arrival order; the observer and
the scheduler only put paths on a queue. Signal handlers only set flags, so a reload or a
shutdown happens between two articles, never in the middle of one.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
from pathlib import Path
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.channels import Channel, ChannelConfigError, build_channel
from monitor.config import Config, ConfigError, key_line, load_config
from monitor.dispatch import Dispatcher
from monitor.engine import Engine, load_engine
from monitor.inbox import Inbox, InboxError, scan
from monitor.metrics import Metrics, MetricsServer
from monitor.pipeline import Outcome, Pipeline
from monitor.rulewatch import RulesWatcher
from monitor.sdnotify import Notifier
from monitor.store import Store

log = logging.getLogger("monitor")

SETTLE_SECONDS = 2.0
SHUTDOWN_FLUSH_SECONDS = 5.0
# Files handled per database commit in a burst; small enough that a batch takes well under a
# second, so a stop request or a reload never waits long.
BATCH_SIZE = 64


class FatalError(Exception):
    """A problem the daemon cannot run with; the message says what to fix."""


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
    channels: dict[str, Channel] = {}
    for name, conf in config.channels.items():
        try:
            channels[name] = build_channel(name, conf)
        except ChannelConfigError as exc:
            line = key_line(config, "channels", name)
            raise FatalError(f"{config.source}:{line}: {exc}") from None
    return channels


def _log_outcome(outcome: Outcome) -> None:
    if outcome.status == "processed":
        log.info("processed %s id=%s rules=%s new_alerts=%d ms=%.1f", outcome.path,
                 outcome.article_id, ",".join(outcome.rules) or "-", outcome.new_alerts,
                 outcome.ms, extra={"file": str(outcome.path), "article_id": outcome.article_id,
                                    "rules": list(outcome.rules), "ms": round(outcome.ms, 1)})
    elif outcome.status == "quarantined":
        log.warning("quarantined %s: %s", outcome.path, outcome.reason,
                    extra={"file": str(outcome.path), "reason": outcome.reason})
    elif outcome.status == "skipped":
        log.warning("skipped %s: %s", outcome.path, outcome.reason,
                    extra={"file": str(outcome.path), "reason": outcome.reason})
    else:
        log.debug("ignored %s: %s", outcome.path, outcome.reason)


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

    # -- signals -----------------------------------------------------------------------------
    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        self._stop.set()

    def _on_hup(self, signum: int, frame: FrameType | None) -> None:
        self._reload.set()

    def request_stop(self) -> None:
        self._stop.set()

    # -- loading -----------------------------------------------------------------------------
    def _load(self) -> tuple[Config, dict[str, Channel], Engine]:
        try:
            config = load_config(self.config_path)
        except ConfigError as exc:
            raise FatalError(str(exc)) from None
        channels = build_channels(config)
        engine, problems = load_engine(config.rules.path, list(channels),
                                       base=config.source.parent)
        for problem in problems:
            log.error("%s (rule skipped)", problem)
        log.info("loaded %d rules from %s", len(engine.ruleset.rules), config.rules.path)
        return config, channels, engine

    def _status(self, pipeline: Pipeline) -> str:
        return (f"{len(pipeline.engine.ruleset.rules)} rules; {self.processed} articles "
                f"processed, {self.alerts} alerts queued")

    def _reload_rules(self, config: Config, pipeline: Pipeline) -> None:
        self.notifier.reloading()
        try:
            self._reload_rules_now(config, pipeline)
        finally:
            self.notifier.ready(self._status(pipeline))

    def _reload_rules_now(self, config: Config, pipeline: Pipeline) -> None:
        """Reload rules; a change with any problem is refused and the running rules stay."""
        try:
            new_config = load_config(self.config_path)
        except ConfigError as exc:
            for line in exc.problems:
                log.error("reload refused: %s", line)
            return
        if new_config != config:
            log.warning("config changed on disk; restart the daemon to apply config changes "
                        "(rules are reloaded now)")
        engine, problems = load_engine(config.rules.path, pipeline.channels,
                                       base=config.source.parent)
        if problems:
            self.metrics.reload_failures.inc()
            for problem in problems:
                log.error("reload refused: %s", problem)
            log.error("reload refused: keeping the %d rules already running",
                      len(pipeline.engine.ruleset.rules))
            return
        pipeline.engine = engine
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        log.info("reloaded %d rules", len(engine.ruleset.rules))

    # -- running -----------------------------------------------------------------------------
    def _rescan(self, root: Path) -> None:
        ready, young = scan(root, SETTLE_SECONDS)
        for path in ready:
            self.work.put(path)
        if young:
            self._rescan_later(root)

    def _rescan_later(self, root: Path) -> None:
        """Rescan once files have had time to settle; several requests share one timer."""
        with self._timer_lock:
            if self._timer_pending:
                return
            self._timer_pending = True

        def fire() -> None:
            with self._timer_lock:
                self._timer_pending = False
            self._rescan(root)

        timer = threading.Timer(SETTLE_SECONDS, fire)
        timer.daemon = True
        timer.start()

    def run(self) -> int:
        config, channels, engine = self._load()
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        store = Store(config.state.path)
        pipeline = Pipeline(config.inbox, store, engine, list(channels))
        dispatcher = Dispatcher(channels, config.state.path, self.metrics)
        dispatcher.start()
        inbox = Inbox(config.inbox.path, self.work.put, poll=config.inbox.poll,
                      on_activity=lambda: self._rescan_later(config.inbox.path))
        try:
            inbox.start()
        except InboxError as exc:
            dispatcher.stop(0)
            raise FatalError(str(exc)) from None
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        server = self._serve_metrics(config, inbox, dispatcher)
        rules_watcher = RulesWatcher(config.rules.path)
        rules_watcher.start()
        scheduler = BackgroundScheduler()

        def job_failed(event: JobExecutionEvent) -> None:
            log.error("scheduled job %s failed: %r", event.job_id, event.exception)

        scheduler.add_listener(job_failed, EVENT_JOB_ERROR)
        scheduler.add_job(self._rescan, "interval", seconds=config.inbox.rescan_seconds,
                          args=(config.inbox.path,), id="rescan", coalesce=True,
                          max_instances=1, misfire_grace_time=None)
        scheduler.start()
        self._rescan(config.inbox.path)
        log.info("watching %s", config.inbox.path)
        self.notifier.ready(self._status(pipeline))
        try:
            self._loop(config, pipeline, dispatcher, inbox, rules_watcher)
        finally:
            self.notifier.stopping()
            if server is not None:
                server.stop()
            scheduler.shutdown(wait=False)
            rules_watcher.stop()
            inbox.stop()
            dispatcher.stop(SHUTDOWN_FLUSH_SECONDS)
            store.close()
            log.info("stopped")
        return 0

    def _serve_metrics(self, config: Config, inbox: Inbox,
                       dispatcher: Dispatcher) -> MetricsServer | None:
        if config.metrics is None:
            return None
        try:
            server = MetricsServer(config.metrics.listen, self.metrics,
                                   lambda: inbox.alive() and dispatcher.alive())
        except OSError as exc:
            raise FatalError(f"{config.source}: [metrics] listen = {config.metrics.listen!r}: "
                             f"{exc.strerror or exc}; choose a free address") from None
        server.start()
        return server

    def _loop(self, config: Config, pipeline: Pipeline, dispatcher: Dispatcher,
              inbox: Inbox, rules_watcher: RulesWatcher) -> None:
        last_health = 0.0
        interval = min(5.0, self.notifier.watchdog_interval or 5.0)
        while not self._stop.is_set():
            if self._reload.is_set() or rules_watcher.due():
                self._reload.clear()
                self._reload_rules(config, pipeline)
            paths = self.work.get_batch(timeout=0.2, limit=BATCH_SIZE)
            if paths:
                self._process(pipeline, dispatcher, paths)
            if time.monotonic() - last_health >= interval:
                last_health = time.monotonic()
                self._check_health(config, pipeline, dispatcher, inbox)

    def _process(self, pipeline: Pipeline, dispatcher: Dispatcher, paths: list[Path]) -> None:
        try:
            outcomes = pipeline.process_batch(paths)
        except Exception:
            # One bad file must never stop the daemon; the files stay in the inbox and are
            # retried by the next rescan.
            log.exception("failed to process %d files; will retry on the next rescan",
                          len(paths))
            return
        new_alerts = 0
        for outcome in outcomes:
            _log_outcome(outcome)
            self._count(outcome)
            new_alerts += outcome.new_alerts
        if new_alerts:
            self.alerts += new_alerts
            dispatcher.wake()

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

    def _check_health(self, config: Config, pipeline: Pipeline, dispatcher: Dispatcher,
                      inbox: Inbox) -> None:
        """Repair a dead observer; tell systemd we are alive only while the pipeline is whole."""
        if not inbox.alive():
            log.error("the inbox observer stopped or %s disappeared; re-creating and "
                      "watching it again", config.inbox.path)
            inbox.stop()
            try:
                inbox.start()
            except InboxError as exc:
                # Never run blind: exit non-zero so systemd restarts us.
                raise FatalError(str(exc)) from None
            self._rescan(config.inbox.path)
        depth = pipeline.store.depth()
        for channel in pipeline.channels:
            for state in ("pending", "dead"):
                self.metrics.outbox_depth.labels(channel=channel, state=state).set(
                    depth.get((channel, state), 0))
        if inbox.alive() and dispatcher.alive():
            self.notifier.watchdog()
            self.notifier.status(self._status(pipeline))
        else:
            log.error("unhealthy: inbox observer alive=%s, dispatcher alive=%s; not "
                      "answering the systemd watchdog", inbox.alive(), dispatcher.alive())
