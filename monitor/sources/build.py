"""The sources a config asks for beside the inbox, at start and on reload.

All feeds share one `FeedPoller` (one scheduler, one pool of poll workers, one per-host
spacing); each ingest listener is a source of its own. A reload that changes `[sources]`
starts the new listeners before it stops any old one, so a listener that cannot bind
refuses the reload with nothing changed; feeds are reconfigured in place (their state and
schedule kept).
"""

from __future__ import annotations

from collections.abc import Callable

from monitor.config import Config, FeedSourceConfig, HttpSourceConfig
from monitor.sources.base import Source
from monitor.sources.feeds import FeedPoller, SourceCounters
from monitor.sources.ingest import IngestSource
from monitor.sources.mux import SourceSet
from monitor.state import Store

MB = 1024 * 1024


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


def build_sources(
    config: Config,
    store: Store,
    counters: SourceCounters | None,
    healthy: Callable[[], bool],
) -> list[Source]:
    """The configured sources other than the inbox, not yet started."""
    sources: list[Source] = []
    feeds = _feeds(config)
    if feeds:
        sources.append(FeedPoller(feeds, store, counters, max_seconds=config.inbox.max_seconds))
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
) -> None:
    """Apply a changed `[sources]`; SourceError (nothing changed) if a listener cannot bind."""
    started: list[Source] = []
    replaced: list[Source] = []
    try:
        for name, conf in new.sources.items():
            if isinstance(conf, HttpSourceConfig) and old.sources.get(name) != conf:
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
        for source in replaced:  # cannot restart a stopped server: say so
            sources.others.remove(source)
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
        poller = FeedPoller(_feeds(new), store, counters, max_seconds=new.inbox.max_seconds)
        poller.start()
        others.append(poller)
    sources.others = others + started
