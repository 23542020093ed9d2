"""The outbox loop: one worker thread per channel sends due alerts and records the outcome.

A worker per channel means a slow or failing channel (Slack down, SMTP hanging) never delays
the others. Every outcome is written to the database before the next send, so a restart
resumes exactly where the last run stopped: at-least-once, never silently dropped.

Remote channels send one alert at a time, each marked before the next, so a `kill -9` repeats
at most the one in flight. A local `BatchChannel` (the file) takes every due alert at once and
the batch is marked in one transaction: one fsync per batch instead of two per alert, which
is what bounded a burst. Such a channel recognises what it already wrote (see `FileChannel`).
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from monitor.alerts import MalformedRecord, RenderedAlert, for_channel_json, parse_stored
from monitor.channels.base import Channel
from monitor.digests import build_digest, digest_json, parse_digest
from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.state import HeldRow, OutboxRow, StatePlace, Store, StoreUnavailable, open_store

log = logging.getLogger("monitor.dispatch")

MAX_BACKOFF = 900.0
NODE_WAIT = 0.5
"""How often a sender cut off from the database looks again whether its node is back."""

IDLE_WAIT = 1.0
# Alerts fetched (and, for a batch channel, sent and marked with one fsync each) at a time.
DB_RETRY_MAX = 30.0
"""Longest wait between tries while the state database is locked by someone else."""

BATCH_LIMIT = 256

CLUSTER_TAKE = 8
"""Alerts a node of a cluster takes at a time for a channel that sends them one by one
(Slack: one a second): the rest stay for whichever node is free first."""


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: exponential from 1 s, capped, with +-20 % jitter."""
    return min(2.0**attempts, MAX_BACKOFF) * random.uniform(0.8, 1.2)


def _backoff(rows: list[OutboxRow]) -> float:
    """One delay for a whole failed batch, so its alerts stay in order when retried."""
    return backoff(max(row.attempts for row in rows))


def _describe(rows: list[OutboxRow]) -> str:
    """`alert 7 for rule r`, or `3 alerts (7 to 9)` for a batch, for log lines."""
    if len(rows) == 1:
        if rows[0].kind == "digest":
            return f"digest {rows[0].seq} ({rows[0].article_id})"
        return f"alert {rows[0].seq} for rule {rows[0].rule}"
    return f"{len(rows)} alerts ({rows[0].seq} to {rows[-1].seq})"


@runtime_checkable
class BatchChannel(Protocol):
    """A channel that delivers many alerts at once, all or none (the `file` channel).

    Such a channel must not send twice an alert it already delivered before a crash: the
    whole batch is marked delivered only after `send_batch` returns.
    """

    def send_batch(self, alerts: Sequence[RenderedAlert]) -> None:
        """Deliver every alert or raise `DeliveryError` having delivered none."""


class Node(Protocol):
    """This daemon as a node of a cluster (`monitor.membership.Membership`)."""

    @property
    def id(self) -> str: ...
    def fresh(self) -> bool: ...


class _Worker:
    def __init__(
        self,
        channel: Channel,
        state_dir: Path | StatePlace,
        stopping: threading.Event,
        metrics: Metrics | None,
        node: Node | None = None,
    ) -> None:
        self.channel = channel
        self.metrics = metrics
        self.state_dir = state_dir
        self.node = node
        self.stopping = stopping
        self.wakeup = threading.Event()
        self.idle = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"send-{channel.name}", daemon=True)

    def _run(self) -> None:
        store = open_store(self.state_dir, node=self.node.id if self.node else None)
        pause = 0.0  # after a database error: how long to wait before trying again
        try:
            while not self.stopping.is_set():
                try:
                    self._turn(store)
                    pause = 0.0
                except StoreUnavailable as exc:
                    # Another process holding the database past the busy timeout (a backup,
                    # a long `sqlite3` session) ended this thread for good, and the channel
                    # with it. An alert whose send is not yet recorded is sent again later:
                    # delivery is at-least-once.
                    pause = min(max(pause * 2, 1.0), DB_RETRY_MAX)
                    log.error(
                        "channel %s cannot use the state database (%s); trying again in %.0f s",
                        self.channel.name,
                        exc,
                        pause,
                    )
                    self.stopping.wait(pause)
        except Exception:
            log.exception(
                "dispatcher for channel %s stopped on an unexpected error", self.channel.name
            )
            raise
        finally:
            store.close()

    def _turn(self, store: Store) -> None:
        """Make the digests that are due, send what is due, or wait until something is (or
        a wake-up): the wait ends at the next retry or the next digest release."""
        name = self.channel.name
        if self.node is not None and not self.node.fresh():
            # Cut off from the database: what this node would take now may be another's
            # before it could record the send (a node never sends what it cannot record).
            self.idle.set()
            self.stopping.wait(NODE_WAIT)
            return
        made = store.make_digests(
            name, time.time(), functools.partial(_build, name, store.story_copies)
        )
        if made:
            log.info("channel %s: %d digest(s) made from held alerts", name, made)
        # A node of a cluster takes a few alerts at a time for a channel that sends one by
        # one: what it takes, the other nodes cannot send meanwhile.
        one_by_one = self.node is not None and not isinstance(self.channel, BatchChannel)
        rows = store.due(name, time.time(), limit=CLUSTER_TAKE if one_by_one else BATCH_LIMIT)
        if not rows:
            self.idle.set()
            times = [t for t in (store.next_due_at(name), store.next_release_at(name)) if t]
            nxt = min(times) if times else None
            wait = IDLE_WAIT if nxt is None else max(0.0, min(IDLE_WAIT, nxt - time.time()))
            self.wakeup.wait(wait)
            self.wakeup.clear()
            return
        self.idle.clear()
        self._send_due(store, rows)

    def _send_due(self, store: Store, rows: list[OutboxRow]) -> None:
        """All due rows in one batch if the channel takes batches, else one by one."""
        channel = self.channel
        if isinstance(channel, BatchChannel):
            alerts: list[RenderedAlert] = []
            good: list[OutboxRow] = []
            for row in rows:
                try:
                    line = (
                        digest_json(row.payload, row.channel)
                        if row.kind == "digest"
                        else for_channel_json(row.payload, row.kind, row.key, row.channel)
                    )
                except MalformedRecord as exc:  # it can never be written as a record
                    self._malformed(store, row, exc)
                    continue
                alerts.append(RenderedAlert((row.article_id, row.rule, row.channel), line))
                good.append(row)
            if good:
                self._deliver(store, good, lambda: channel.send_batch(alerts))
            return
        for row in rows:
            if self.stopping.is_set():
                break
            if self.node is not None and not self.node.fresh():
                # Cut off since these were taken (a few at a time, sent a second apart to
                # Slack): another node may take them over before this one could record the
                # send. They stay this node's until then, for when it is back.
                break
            # Parsed here, once, into the typed record every channel takes.
            try:
                record = (
                    parse_digest(row.payload, row.channel)
                    if row.kind == "digest"
                    else parse_stored(row.payload, row.kind, row.key, row.channel)
                )
            except MalformedRecord as exc:
                self._malformed(store, row, exc)
                continue
            self._deliver(store, [row], functools.partial(channel.send, record))

    def _malformed(self, store: Store, row: OutboxRow, exc: MalformedRecord) -> None:
        """A stored alert that is no alert record: sending it again cannot help, so it is a
        dead letter with the reason (`monitor outbox` lists it), not a crash of the worker."""
        self._deliver(
            store,
            [row],
            functools.partial(
                _fail,
                DeliveryError(
                    f"malformed {'digest' if row.kind == 'digest' else 'alert'} record: {exc}",
                    permanent=True,
                ),
            ),
        )

    def _deliver(self, store: Store, rows: list[OutboxRow], send: Callable[[], None]) -> None:
        """Send, then record the outcome of every row (one transaction for all of them)."""
        seqs = [row.seq for row in rows]
        what = _describe(rows)
        try:
            send()
        except DeliveryError as exc:
            if exc.permanent:
                store.mark_dead(seqs, str(exc))
                self._count("dead", len(rows))
                log.error(
                    "%s to %s failed permanently (dead letter): %s", what, self.channel.name, exc
                )
                return
            delay = exc.retry_after if exc.retry_after is not None else _backoff(rows)
            store.mark_retry(seqs, time.time() + delay, str(exc))
            self._count("failed", len(rows))
            log.warning(
                "%s to %s failed, retrying in %.1f s: %s", what, self.channel.name, delay, exc
            )
            return
        except Exception as exc:  # a bug in a channel must not lose the alert
            delay = _backoff(rows)
            store.mark_retry(seqs, time.time() + delay, f"internal error: {type(exc).__name__}")
            self._count("failed", len(rows))
            log.exception(
                "%s to %s: unexpected error, retrying in %.1f s", what, self.channel.name, delay
            )
            return
        store.mark_delivered(seqs)
        self._count("sent", len(rows))

    def _count(self, outcome: str, n: int) -> None:
        if self.metrics is not None:
            counter = {
                "sent": self.metrics.alerts_sent,
                "failed": self.metrics.alerts_failed,
                "dead": self.metrics.alerts_dead,
            }[outcome]
            counter.labels(channel=self.channel.name).inc(n)


def _build(
    channel: str,
    copies: Callable[[str], list[dict[str, Any]]],
    key: str,
    rows: Sequence[HeldRow],
    release: str,
) -> tuple[dict[str, Any] | None, dict[int, str]]:
    """The digest builder `Store.make_digests` calls, for one channel: with every copy of
    each story known when the digest is made, not only those known when it was held."""
    return build_digest(key, channel, rows, release, copies)


def _fail(error: DeliveryError) -> None:
    raise error


class Dispatcher:
    """Runs one sending worker per configured channel."""

    def __init__(
        self,
        channels: dict[str, Channel],
        state_dir: Path | StatePlace,
        metrics: Metrics | None = None,
        node: Node | None = None,
    ) -> None:
        self._stopping = threading.Event()
        self._workers = [
            _Worker(ch, state_dir, self._stopping, metrics, node) for ch in channels.values()
        ]

    def start(self) -> None:
        for worker in self._workers:
            worker.thread.start()

    def wake(self) -> None:
        """Tell every worker new alerts were committed, so they send without waiting."""
        for worker in self._workers:
            worker.wakeup.set()

    def alive(self) -> bool:
        return all(w.thread.is_alive() for w in self._workers)

    def stop(self, timeout: float = 5.0) -> None:
        """Give workers up to `timeout` seconds to send what is due, then stop them."""
        deadline = time.monotonic() + timeout
        self.wake()
        for worker in self._workers:
            worker.idle.clear()
        for worker in self._workers:
            worker.idle.wait(max(0.0, deadline - time.monotonic()))
        self._stopping.set()
        self.wake()
        for worker in self._workers:
            worker.thread.join(max(0.1, deadline - time.monotonic()))
        for worker in self._workers:
            worker.channel.close()
