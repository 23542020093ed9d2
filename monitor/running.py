"""The parts of a running daemon, and how it knows that it is healthy.

`Running` is what a reload replaces pieces of in place (`monitor.reload`) and what the
daemon's loop, watchdog and health checks read (`monitor.daemon`); it lives apart from both
so neither imports the other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.config import Config
from monitor.dispatch import Dispatcher
from monitor.membership import Membership
from monitor.metrics import MetricsServer
from monitor.pipeline import Pipeline
from monitor.rulewatch import RulesWatcher
from monitor.sources import FolderSource
from monitor.sources.leases import FeedLeases
from monitor.sources.mux import SourceSet
from monitor.state import Store
from monitor.statelock import StateLock

if TYPE_CHECKING:
    from monitor.web.server import WebServer  # imported only when [web] is configured

SHUTDOWN_FLUSH_SECONDS = 5.0
"""How long a stopping dispatcher may go on sending what is due."""

# The loop counts as stuck when it has made no progress for the time budget of one file
# ([inbox] max_seconds, after which the file is stopped) plus this margin: with the default
# budget of 10 s, below the unit's WatchdogSec=30, so systemd restarts a loop stuck for good.
STALL_MARGIN = 10.0


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


@dataclass
class Running:
    """The parts of a running daemon; a reload replaces some of them in place."""

    config: Config
    store: Store
    pipeline: Pipeline
    dispatcher: Dispatcher
    sources: SourceSet  # the folder and every other source, as the loop takes from them
    rules_watcher: RulesWatcher
    heartbeat: Heartbeat
    lock: StateLock
    server: MetricsServer | None = None
    web: WebServer | None = None  # the desk's page ([web])
    membership: Membership | None = None  # a node of a cluster (state on PostgreSQL)
    feed_leases: Callable[[], FeedLeases] | None = None  # a node: one per feed poller

    @property
    def source(self) -> FolderSource:
        """The inbox folder (repaired and reconfigured on its own)."""
        return self.sources.folder

    def problems(self) -> list[str]:
        """What is wrong with the running daemon, in words; empty when it is healthy."""
        parts = []
        if self.heartbeat.stalled():
            parts.append(
                f"the processing loop made no progress for {self.heartbeat.silent_for():.0f} s"
            )
        parts += self.sources.problems()
        if not self.dispatcher.alive():
            parts.append("a channel's dispatcher thread is not running")
        if not self.rules_watcher.alive():
            parts.append("the rules watcher is not running")
        return parts

    def healthy(self) -> bool:
        """No part is stuck or dead: what the systemd watchdog is answered on."""
        return not self.problems()

    def serving(self) -> bool:
        """Healthy, and taking work: what `/healthz` answers (a node cut off from the
        database is not stuck, so systemd need not restart it, but a load balancer should
        send ingest requests to another node meanwhile)."""
        if self.membership is not None and not self.membership.fresh():
            return False
        return self.healthy()

    def why_unhealthy(self) -> str:
        return "; ".join(self.problems()) or "recovered"
