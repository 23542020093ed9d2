"""The sources a config asks for beside the inbox, at start and on reload.

All feeds share one `FeedPoller` (one scheduler, one pool of poll workers, one per-host
spacing); each ingest listener is a source of its own. A reload that changes `[sources]`
starts the new listeners before it stops any old one, so a listener that cannot bind
refuses the reload with nothing changed; feeds are reconfigured in place (their state and
schedule kept). When nodes share the state, the daemon passes `leases`, which makes each
poller a `FeedLeases` of its own (one node polls each feed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from monitor.config import Config, FeedSourceConfig, HttpSourceConfig
from monitor.errors import SourceError
from monitor.sources.base import Source
from monitor.sources.feeds import MB, FeedPoller, SourceCounters
from monitor.sources.ingest import IngestSource
from monitor.sources.leases import FeedLeases
from monitor.sources.mux import SourceSet
from monitor.state import Store

log = logging.getLogger("monitor")


def _feeds(config: Config) -> dict[str, FeedSourceConfig]:
    return {n: c for n, c in config.sources.items() if isinstance(c, FeedSourceConfig)}


def _ingest(
    config: Config,
    name: str,
    conf: HttpSourceConfig,
    store: Store,
    counters: SourceCounters | None,
    healthy: Callable[[], bool],
) -> IngestSource:
    mb = conf.max_size_mb if conf.max_size_mb is not None else config.inbox.max_size_mb
    return IngestSource(
        name,
        conf,
        int(mb * MB),
        store,
        healthy,
        counters,
        max_seconds=config.inbox.max_seconds,
    )


def _poller(
    config: Config,
    feeds: dict[str, FeedSourceConfig],
    store: Store,
    counters: SourceCounters | None,
    leases: Callable[[], FeedLeases] | None,
) -> FeedPoller:
    return FeedPoller(
        feeds,
        store,
        counters,
        max_seconds=config.inbox.max_seconds,
        leases=leases() if leases is not None else None,
    )


def build_sources(
    config: Config,
    store: Store,
    counters: SourceCounters | None,
    healthy: Callable[[], bool],
    leases: Callable[[], FeedLeases] | None = None,
) -> list[Source]:
    """The configured sources other than the inbox, not yet started."""
    sources: list[Source] = []
    feeds = _feeds(config)
    if feeds:
        sources.append(_poller(config, feeds, store, counters, leases))
    for name, conf in config.sources.items():
        if isinstance(conf, HttpSourceConfig):
            sources.append(_ingest(config, name, conf, store, counters, healthy))
    return sources


def reconfigure_sources(
    sources: SourceSet,
    old: Config,
    new: Config,
    store: Store,
    counters: SourceCounters | None,
    healthy: Callable[[], bool],
    leases: Callable[[], FeedLeases] | None = None,
) -> None:
    """Apply a changed `[sources]`; SourceError (nothing changed) if a listener cannot bind."""
    started: list[Source] = []
    replaced: list[IngestSource] = []
    changed = [
        (name, conf)
        for name, conf in new.sources.items()
        if isinstance(conf, HttpSourceConfig) and old.sources.get(name) != conf
    ]
    held = {s.conf.listen for s in sources.others if isinstance(s, IngestSource)}
    # Listeners on addresses no old listener holds first: one that cannot bind refuses the
    # reload before any old listener was stopped.
    changed.sort(key=lambda pair: pair[1].listen in held)
    try:
        for name, conf in changed:
            listener = _ingest(new, name, conf, store, counters, healthy)
            # The old listener of the same address must go first, or the new cannot bind.
            for source in sources.others:
                if isinstance(source, IngestSource) and source.conf.listen == conf.listen:
                    source.stop()
                    replaced.append(source)
            listener.start()
            started.append(listener)
    except BaseException:
        for running in started:
            running.stop()
        _restore(sources, replaced, old, store, counters, healthy)
        raise
    others: list[Source] = []
    for source in sources.others:
        if source in replaced:
            continue
        if isinstance(source, IngestSource) and new.sources.get(source.name) != source.conf:
            source.stop()  # removed, or replaced by a listener above
            continue
        if isinstance(source, FeedPoller):
            source.reconfigure(_feeds(new))
            if not _feeds(new):
                source.stop()
                continue
        others.append(source)
    if _feeds(new) and not any(isinstance(s, FeedPoller) for s in others):
        poller = _poller(new, _feeds(new), store, counters, leases)
        poller.start()
        others.append(poller)
    sources.others = others + started


def _restore(
    sources: SourceSet,
    replaced: list[IngestSource],
    old: Config,
    store: Store,
    counters: SourceCounters | None,
    healthy: Callable[[], bool],
) -> None:
    """A refused reload: the old listeners stopped for it listen again (a stopped server
    cannot be restarted, so each is built anew from the old config)."""
    for source in replaced:
        position = sources.others.index(source)
        again = _ingest(old, source.name, source.conf, store, counters, healthy)
        try:
            again.start()
        except SourceError as exc:
            log.error("ingest %s could not listen again: %s", source.name, exc)
            del sources.others[position]
            continue
        sources.others[position] = again
