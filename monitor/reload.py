"""Reloading config and rules into a running daemon without dropping anything.

SIGHUP and saved rule files land here (`Reloader.reload`, on the daemon's loop thread,
between two batches). A change with any problem is refused as a whole and the running
config and rules stay in force; nothing raised while loading a hostile file may end the
daemon. `load_config_at_start` and `load_rules_at_start` are the same loading at start,
where a broken config is fatal instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from monitor.channels import Channel, build_channel
from monitor.config import Config, load_config
from monitor.dispatch import Dispatcher
from monitor.engine import Engine, load_engine
from monitor.errors import ConfigError, FatalError, SourceError
from monitor.matching.model import Prominence
from monitor.matching.weights import Observed
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.rulewatch import RulesWatcher, describe_change
from monitor.running import SHUTDOWN_FLUSH_SECONDS, STALL_MARGIN, Running
from monitor.sdnotify import Notifier
from monitor.sources.build import reconfigure_sources
from monitor.state import Store, TermCounts
from monitor.templates import check_template

log = logging.getLogger("monitor")

# A reload compiles the new rule set on the loop's thread; 100,000 rules take some seconds
# cold. It may take this long before the loop counts as stuck.
RELOAD_SECONDS = 120.0


def build_channels(config: Config) -> dict[str, Channel]:
    """Every configured channel. The config was validated whole; only a `template` file
    can still fail: missing, not UTF-8, a syntax error, or a block that fails on a sample
    record (an undefined variable), as `monitor check` reports it: `ConfigError` with
    FILE:LINE, so a template `check` refuses is refused at start and on reload too."""
    problems = [
        problem
        for name, conf in config.channels.items()
        if conf.template is not None
        for problem in check_template(conf.template, name)
    ]
    if problems:
        raise ConfigError(problems)
    return {name: build_channel(name, conf) for name, conf in config.channels.items()}


def load_config_at_start(config_path: Path) -> tuple[Config, dict[str, Channel]]:
    """Config and channels at start: FatalError for a config the daemon cannot run with."""
    try:
        config = load_config(config_path)
        channels = build_channels(config)  # ConfigError: a template that does not compile
    except ConfigError as exc:
        raise FatalError(str(exc)) from None
    return config, channels


def prominence(config: Config) -> Prominence:
    """The config's `[matching]` as the matcher takes it."""
    return Prominence(
        lead_words=config.matching.lead_words, min_mentions=config.matching.min_mentions
    )


def load_rules_at_start(config: Config, channels: list[str], store: Store) -> Engine:
    """The rules at start: broken ones are logged and skipped (the others run)."""
    engine, problems = load_engine(
        config.rules.path,
        channels,
        base=config.source.parent,
        observed=observed(store),
        prominence=prominence(config),
    )
    for problem in problems:
        log.error("%s (rule skipped)", problem)
    for warning in engine.warnings:
        log.warning("%s", warning)
    log.info("loaded %d rules from %s", len(engine.ruleset.rules), config.rules.path)
    return engine


def observed(store: Store) -> Observed | None:
    """What matching saw so far, for the term weights; None if the store cannot say."""
    try:
        counts = store.term_counts()
    except Exception as exc:  # only a hint for speed: never a reason not to load rules
        log.warning("term counts not read, anchors chosen by word lists alone: %s", exc)
        return None
    if counts.skipped:
        log.warning("%s", skipped_note(counts))
    return Observed(counts.articles, counts.counts, counts.counted)


def skipped_note(counts: TermCounts) -> str:
    """What to say of the rows of `term_counts` that could not be used (`counts.skipped`)."""
    rows = "1 row" if counts.skipped == 1 else f"{counts.skipped:,} rows"
    return (
        f"{rows} of the state's term_counts table left out: not a count of "
        "articles (text, a fraction, negative, or more than the articles counted); the "
        "patterns they name are weighed by the word lists alone"
    )


def warn_orphans(store: Store, channels: list[str]) -> None:
    """Alerts queued for a channel the config no longer has are kept, and said so."""
    for name in store.orphaned_channels(channels):
        log.warning(
            "alerts are waiting for channel `%s`, which the config no longer "
            "defines; they stay queued until it is configured again (see "
            "monitor outbox)",
            name,
        )


class Reloader:
    """Applies a reload to a `Running` daemon; `status` is the daemon's STATUS= line."""

    def __init__(
        self,
        config_path: Path,
        metrics: Metrics,
        notifier: Notifier,
        status: Callable[[Pipeline], str],
    ) -> None:
        self.config_path = config_path
        self.metrics = metrics
        self.notifier = notifier
        self.status = status

    def reload(self, r: Running) -> None:
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
            self.notifier.ready(self.status(r.pipeline))

    def _refuse(self, r: Running, problems: list[str]) -> None:
        self.metrics.reload_failures.inc()
        for problem in problems:
            log.error("reload refused: %s", problem)
        log.error(
            "reload refused: keeping the config and the %d rules already running",
            len(r.pipeline.engine.ruleset.rules),
        )

    def _reload_now(self, r: Running) -> None:
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
        r.pipeline.save_term_counts()  # so that the new rules are weighed with them
        engine, problems = load_engine(
            config.rules.path,
            list(channels),
            base=config.source.parent,
            observed=observed(r.store),
            prominence=prominence(config),
        )
        if problems:
            self._refuse(r, problems)
            return
        for warning in engine.warnings:
            log.warning("%s", warning)
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
        if config.sources != r.config.sources:
            try:
                reconfigure_sources(
                    r.sources,
                    r.config,
                    config,
                    r.store,
                    self.metrics,
                    r.healthy,
                    leases=r.feed_leases,
                )
            except SourceError as exc:
                for channel in channels.values():
                    channel.close()
                self._refuse(r, [str(exc)])
                return
            log.info("sources now: %s", ", ".join(["inbox", *config.sources]))
        if config.channels != r.config.channels:
            r.dispatcher.stop(SHUTDOWN_FLUSH_SECONDS)
            r.dispatcher = Dispatcher(channels, r.config.state, self.metrics, r.membership)
            r.dispatcher.start()
            r.pipeline.channels = dict(config.channels)
            log.info("channels now: %s", ", ".join(channels) or "none")
            warn_orphans(r.store, list(channels))
        else:
            for channel in channels.values():
                channel.close()
        if config.rules.path != r.config.rules.path:
            r.rules_watcher.stop()
            r.rules_watcher = RulesWatcher(config.rules.path)
            r.rules_watcher.start()
        if config.stories != r.config.stories and r.pipeline.stories is not None:
            r.pipeline.stories.configure(config.stories.window_hours, config.stories.similarity)
        r.pipeline.engine = engine
        r.config = config
        self.metrics.rules_loaded.set(len(engine.ruleset.rules))
        log.info("reloaded %d rules", len(engine.ruleset.rules))

    @staticmethod
    def _switch_inbox(r: Running, config: Config) -> None:
        """Apply a changed `[inbox]`; SourceError (nothing changed) if it cannot be watched."""
        r.source.reconfigure(config.inbox)
        r.heartbeat.usual = config.inbox.max_seconds + STALL_MARGIN
