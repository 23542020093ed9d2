"""The outbox loop: one worker thread per channel sends due alerts and records the outcome.

A worker per channel means a slow or failing channel (Slack down, SMTP hanging) never delays
the others. Every outcome is written to the database before the next send, so a restart
resumes exactly where the last run stopped: at-least-once, never silently dropped.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from pathlib import Path

from monitor.alerts import for_channel
from monitor.channels.base import Channel, DeliveryError
from monitor.metrics import Metrics
from monitor.store import OutboxRow, Store

log = logging.getLogger("monitor.dispatch")

MAX_BACKOFF = 900.0
IDLE_WAIT = 1.0


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: exponential from 1 s, capped, with +-20 % jitter."""
    return min(2.0 ** attempts, MAX_BACKOFF) * random.uniform(0.8, 1.2)


class _Worker:
    def __init__(self, channel: Channel, state_dir: Path, stopping: threading.Event,
                 metrics: Metrics | None) -> None:
        self.channel = channel
        self.metrics = metrics
        self.state_dir = state_dir
        self.stopping = stopping
        self.wakeup = threading.Event()
        self.idle = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"send-{channel.name}",
                                       daemon=True)

    def _run(self) -> None:
        store = Store(self.state_dir)
        try:
            while not self.stopping.is_set():
                rows = store.due(self.channel.name, time.time())
                if not rows:
                    self.idle.set()
                    nxt = store.next_due_at(self.channel.name)
                    wait = IDLE_WAIT if nxt is None else max(0.0, min(IDLE_WAIT, nxt - time.time()))
                    self.wakeup.wait(wait)
                    self.wakeup.clear()
                    continue
                self.idle.clear()
                for row in rows:
                    if self.stopping.is_set():
                        break
                    self._send(store, row)
        except Exception:
            log.exception("dispatcher for channel %s stopped on an unexpected error",
                          self.channel.name)
            raise
        finally:
            store.close()

    def _send(self, store: Store, row: OutboxRow) -> None:
        try:
            self.channel.send(for_channel(row.record, row.channel))
        except DeliveryError as exc:
            if exc.permanent:
                store.mark_dead(row.seq, str(exc))
                self._count("dead")
                log.error("alert %s for rule %s to %s failed permanently (dead letter): %s",
                          row.seq, row.rule, row.channel, exc)
                return
            delay = exc.retry_after if exc.retry_after is not None else backoff(row.attempts)
            store.mark_retry(row.seq, time.time() + delay, str(exc))
            self._count("failed")
            log.warning("alert %s for rule %s to %s failed, retrying in %.1f s: %s",
                        row.seq, row.rule, row.channel, delay, exc)
            return
        except Exception as exc:  # a bug in a channel must not lose the alert
            delay = backoff(row.attempts)
            store.mark_retry(row.seq, time.time() + delay, f"internal error: {type(exc).__name__}")
            self._count("failed")
            log.exception("alert %s to %s: unexpected error, retrying in %.1f s",
                          row.seq, row.channel, delay)
            return
        store.mark_delivered(row.seq)
        self._count("sent")

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            counter = {"sent": self.metrics.alerts_sent, "failed": self.metrics.alerts_failed,
                       "dead": self.metrics.alerts_dead}[outcome]
            counter.labels(channel=self.channel.name).inc()


class Dispatcher:
    """Runs one sending worker per configured channel."""

    def __init__(self, channels: dict[str, Channel], state_dir: Path,
                 metrics: Metrics | None = None) -> None:
        self._stopping = threading.Event()
        self._workers = [_Worker(ch, state_dir, self._stopping, metrics)
                         for ch in channels.values()]

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
