"""Which feeds this node polls when nodes share the state on PostgreSQL: one node per feed.

A node polls feed NAME only while it holds the lease `feed:NAME` (`Cluster.hold`), which is
its own for as long as its heartbeat lives. The feed scheduler asks before each poll; a feed
another live node holds is asked about again at its next due time, or when that node's lease
would lapse, and at least every half lease, so a dead node's feeds move within about a lease.
A node cut off from the database (its heartbeat not going through, or a call failing) polls
nothing: it says so once in the log and resumes by itself.

The calls go through a store of the scheduler thread's own (a store serves one thread),
opened on its first use. On SQLite there is no cluster and none of this runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from monitor.errors import StoreError
from monitor.state import Cluster, SourceState, Store

log = logging.getLogger("monitor.feeds")

SOONEST = 0.25
"""Least seconds before asking again about a feed another node holds."""
MARGIN = 0.1
"""Seconds after the holder's lease would lapse that it is asked for again."""


def lease_name(feed: str) -> str:
    return f"feed:{feed}"


class FeedLeases:
    """This node's leases on feeds, for the feed scheduler thread alone."""

    def __init__(
        self,
        opener: Callable[[], Store],
        lease: float,
        fresh: Callable[[], bool] | None = None,
    ) -> None:
        self.lease = lease
        self._opener = opener  # a store opened for this node (`open_store(..., node=...)`)
        self._fresh = fresh  # whether this node's heartbeat goes through (`Membership`)
        self._store: Store | None = None
        self._cluster: Cluster | None = None
        self._down = False

    @property
    def reachable(self) -> bool:
        """Whether the last call went through."""
        return not self._down

    def check(self, feeds: Sequence[str]) -> dict[str, float | None]:
        """Take or keep each feed's lease: None for a feed this node holds now; for another,
        the seconds after which to ask again (at most half a lease)."""
        later = self.lease / 2
        if self._fresh is not None and not self._fresh():
            self._lost("this node's heartbeat does not go through")
            return dict.fromkeys(feeds, later)
        verdicts: dict[str, float | None] = {}
        try:
            cluster = self._connected()
            for feed in feeds:
                if cluster.hold(lease_name(feed)):
                    verdicts[feed] = None
                    continue
                left = cluster.lease_left(lease_name(feed))
                wait = SOONEST if left is None else left + MARGIN
                verdicts[feed] = min(later, max(SOONEST, wait))
        except StoreError as exc:
            # Those taken before the failure lapse with the heartbeat if it fails too, or
            # are this node's again at the next check.
            self._lost(str(exc))
            return dict.fromkeys(feeds, later)
        self._back()
        return verdicts

    def states(self) -> dict[str, SourceState] | None:
        """The feeds' states as the database has them (their last holder's); None if it
        cannot be read."""
        assert self._store is not None  # after a check that went through
        try:
            states = self._store.source_states()
        except StoreError as exc:
            self._lost(str(exc))
            return None
        return states

    def let_go(self, feeds: Iterable[str]) -> None:
        """Give up feeds no longer polled here (removed by a reload): another node with them
        in its config need not wait for this one to die. A failure costs nothing lasting:
        the leases lapse with this node."""
        if self._cluster is None:
            return
        try:
            for feed in feeds:
                self._cluster.let_go(lease_name(feed))
        except StoreError as exc:
            log.debug("feeds: could not let leases go (%s)", exc)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = self._cluster = None

    def _connected(self) -> Cluster:
        if self._cluster is None:
            store = self._opener()
            cluster = store.cluster()
            if cluster is None:  # a store opened without a node: a wiring mistake
                store.close()
                raise StoreError("the feed leases need a store opened for this node")
            self._store, self._cluster = store, cluster
        return self._cluster

    def _lost(self, why: str) -> None:
        if not self._down:
            self._down = True
            log.warning(
                "feeds: cannot take feed leases (%s); this node polls no feed until the "
                "state database answers",
                why,
            )

    def _back(self) -> None:
        if self._down:
            self._down = False
            log.info("feeds: the state database answers again; polling the feeds this node holds")
