"""The daemon: wiring of inbox, pipeline, store and dispatcher, plus signals and reload.

Articles are processed one at a time on the main thread, in arrival order; the observer and
the scheduler only put paths on a queue. Signal handlers only set flags, so a reload or a
shutdown happens between two articles, never in the middle of one.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from monitor.channels import Channel, build_channel
from monitor.config import Config, key_line, load_config
from monitor.dispatch import Dispatcher
from monitor.engine import Engine, load_engine
from monitor.errors import (
    ChannelConfigError,
    ConfigError,
    FatalError,
    SourceError,
    StateLocked,
    StoreError,
)
from monitor.inflight import InFlight
from monitor.metrics import Metrics, MetricsServer
from monitor.pipeline import Pipeline, read_item
from monitor.rulewatch import RulesWatcher, describe_change
from monitor.sdnotify import Notifier
from monitor.sources import FolderSource, Item, Outcome
from monitor.state import Store, open_store
from monitor.statelock import StateLock

log = logging.getLogger("monitor")

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


@dataclass
class _Running:
    """The parts of a running daemon; a reload replaces some of them in place."""

    config: Config
    store: Store
    pipeline: Pipeline
    dispatcher: Dispatcher
    source: FolderSource
    rules_watcher: RulesWatcher
    heartbeat: Heartbeat
    lock: StateLock
    server: MetricsServer | None = None

    def healthy(self) -> bool:
        return (
            not self.heartbeat.stalled()
            and self.source.alive()
            and self.dispatcher.alive()
            and self.rules_watcher.alive()
        )

    def why_unhealthy(self) -> str:
        parts = []
        if self.heartbeat.stalled():
            parts.append(
                f"the processing loop made no progress for {self.heartbeat.silent_for():.0f} s"
            )
        if not self.source.alive():
            parts.append("the inbox observer is not running")
        if not self.dispatcher.alive():
            parts.append("a channel's dispatcher thread is not running")
        if not self.rules_watcher.alive():
            parts.append("the rules watcher is not running")
        return "; ".join(parts) or "recovered"


class Daemon:
    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
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
            except SourceError as exc:
                for channel in channels.values():
                    channel.close()
                self._refuse(r, [str(exc)])
                return
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

    @staticmethod
    def _switch_inbox(r: _Running, config: Config) -> None:
        """Apply a changed `[inbox]`; SourceError (nothing changed) if it cannot be watched."""
        r.source.reconfigure(config.inbox)
        r.heartbeat.usual = config.inbox.max_seconds + STALL_MARGIN

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
            store = open_store(config.state.path)
        except (StateLocked, StoreError) as exc:
            raise FatalError(str(exc)) from None
        self._warn_orphans(store, list(channels))
        inflight = InFlight(config.state.path)
        pipeline = Pipeline(store, engine, list(channels))
        source = FolderSource(config.inbox, inflight)

        def check(item: Item) -> None:
            pipeline.engine.matcher.match(read_item(item))

        source.recover(check)  # before any thread starts: it may fork
        dispatcher = Dispatcher(channels, config.state.path, self.metrics)
        dispatcher.start()
        try:
            source.start()
        except SourceError as exc:
            dispatcher.stop(0)
            raise FatalError(str(exc)) from None
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        r = _Running(
            config,
            store,
            pipeline,
            dispatcher,
            source,
            RulesWatcher(config.rules.path),
            Heartbeat(config.inbox.max_seconds),
            lock,
        )
        watchdog = threading.Thread(target=self._watchdog, args=(r,), name="watchdog", daemon=True)
        try:
            r.server = self._serve_metrics(config, r)
            r.rules_watcher.start()
            log.info("watching %s", config.inbox.path)
            self.notifier.ready(self._status(pipeline))
            watchdog.start()
            self._loop(r)
        finally:
            self.notifier.stopping()
            if r.server is not None:
                r.server.stop()
            r.rules_watcher.stop()
            r.source.stop()
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
            items = r.source.take(timeout=0.2, limit=BATCH_SIZE)
            if items:
                self._process(r, items)
            if time.monotonic() - last_health >= interval:
                last_health = time.monotonic()
                self._check_health(r)

    def _process(self, r: _Running, items: list[Item]) -> None:
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
                r.source, items, progress=r.heartbeat.beat, interrupt=interrupted, done=done
            )
        except Exception:
            # One bad file must never stop the daemon; the files stay in the inbox and are
            # retried by the next rescan.
            log.exception("failed to process %d files; will retry on the next rescan", len(items))
            return
        if len(outcomes) < len(items) and not self._stop.is_set():
            handled = {outcome.item.key for outcome in outcomes}
            # A reload comes first: the rest go back to their source.
            r.source.give_back([item for item in items if item.key not in handled])

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
        if not r.source.alive():
            # If it cannot be watched, FatalError ends the daemon: never run blind, exit
            # non-zero so systemd restarts us.
            try:
                r.source.repair()
            except SourceError as exc:
                raise FatalError(str(exc)) from None
        depth = r.pipeline.store.depth()
        for channel in r.pipeline.channels:
            for state in ("pending", "dead"):
                self.metrics.outbox_depth.labels(channel=channel, state=state).set(
                    depth.get((channel, state), 0)
                )
        if r.healthy():
            self.notifier.status(self._status(r.pipeline))
