"""This daemon as a node of a cluster on PostgreSQL: its id, its heartbeat, its health.

Every claim a node holds (an inbox file, a feed's lease, an alert being sent) lasts while its
heartbeat is younger than `[state] lease`; this thread renews it every fifth of the lease.
When the database cannot be reached the node stops taking work (`fresh()` turns false after
half a lease without a heartbeat, well before another node may take its claims over), says so
in the log, in `/healthz` and in systemd's STATUS, and takes work again by itself once a
heartbeat goes through. The processing loop is not stuck meanwhile, so the systemd watchdog
keeps being answered: a restart would not bring the database back.

A network cut fails no call by itself: the reply simply never comes. So a beat has half a
lease to go through (its store's `call_timeout`), and once the node is no longer fresh, every
call this process has in flight to the database is abandoned (`Cluster.abandon`): the loop,
the senders and the feeds' leases fail as unavailable and wait, instead of hanging until TCP
gives up a quarter of an hour later.

On SQLite there is no cluster (the state lock admits one daemon), and none of this runs.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time

from monitor import __version__
from monitor.errors import StoreError
from monitor.state import Cluster, StatePlace, Store, open_store

log = logging.getLogger("monitor.cluster")


def new_node_id() -> str:
    """host:pid:random: readable in `monitor cluster`, unique across restarts."""
    host = socket.gethostname().split(".")[0] or "node"
    return f"{host}:{os.getpid()}:{secrets.token_hex(3)}"


class Membership:
    """Joins the cluster, beats from a thread of its own, leaves on stop."""

    def __init__(self, where: StatePlace, node: str) -> None:
        self.id = node
        self.lease = where.lease
        self.every = max(0.25, self.lease / 5)
        self._store: Store = open_store(
            where, migrate=False, node=node, call_timeout=self.lease / 2
        )
        cluster = self._store.cluster()
        assert cluster is not None  # opened with a node on PostgreSQL
        self._cluster: Cluster = cluster
        self._stop = threading.Event()
        self._last_ok = time.monotonic()
        self._lost_since: float | None = None
        self._abandoned_at = float("-inf")  # when the calls in flight were last cut short
        self._why = ""
        self.status = ""
        self._thread = threading.Thread(target=self._run, name="cluster-heartbeat", daemon=True)

    def start(self) -> None:
        """Join (StoreError if the database refuses), then beat in the background."""
        self._cluster.join(socket.gethostname(), os.getpid(), __version__)
        self._last_ok = time.monotonic()
        log.info("joined the cluster as node %s (lease %g s)", self.id, self.lease)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.beat_now()

    def beat_now(self) -> None:
        try:
            self._cluster.beat(self.status)
        except StoreError as exc:
            if self._lost_since is None:
                self._lost_since = time.monotonic()
                log.error(
                    "lost the state database (%s); this node takes no new work until it is "
                    "back, and another node takes over its claims after %g s",
                    exc,
                    self.lease,
                )
            self._why = str(exc)
            now = time.monotonic()
            if not self.fresh() and now - self._abandoned_at >= self.lease:
                # Its claims are no longer surely its own: what is in flight is moot. Once a
                # lease, not at every failed beat: that also cut short the pool's check of
                # each new connection while the database was coming back, so a node on a
                # loaded machine could keep failing its beats after the database was back.
                self._abandoned_at = now
                self._cluster.abandon("abandoned: this node lost the state database")
            return
        self._last_ok = time.monotonic()
        if self._lost_since is not None:
            log.info(
                "the state database is back after %.0f s; taking work again",
                time.monotonic() - self._lost_since,
            )
            self._lost_since = None

    def fresh(self) -> bool:
        """Whether this node may take work: its last heartbeat went through less than half
        a lease ago, so its claims are surely still its own."""
        return time.monotonic() - self._last_ok < self.lease / 2

    def problem(self) -> str | None:
        """Why this node takes no work, in words; None while it does."""
        if self.fresh():
            return None
        lost = time.monotonic() - self._last_ok
        return (
            f"the state database has not answered for {lost:.0f} s ({self._why or 'no reply'}); "
            "taking no work until it does"
        )

    def stop(self) -> None:
        """Leave: every claim is let go at once, so other nodes need not wait a lease."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        try:
            self._cluster.leave()
            log.info("left the cluster")
        except StoreError as exc:
            log.warning("could not leave the cluster cleanly (%s); its claims lapse", exc)
        self._store.close()
