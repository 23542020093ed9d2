"""The outbox in a real SQLite file, and the dispatcher's retry and dead-letter paths."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from monitor.channels.base import DeliveryError
from monitor.dispatch import Dispatcher, backoff
from monitor.store import QueuedAlert, Store


def _record(rule: str = "r1") -> dict[str, Any]:
    return {"rule": rule, "article": {"id": "a1", "title": "T", "path": "/in/x"}, "hits": []}


def test_alert_is_queued_once_per_article_rule_channel(tmp_path: Path) -> None:
    store = Store(tmp_path)
    alerts = [QueuedAlert("r1", "log", _record()), QueuedAlert("r1", "console", _record())]
    assert store.record_article("a1", "/in/x", "T", alerts) == 2
    assert store.record_article("a1", "/in/y", "T", alerts) == 0
    assert store.seen("a1")
    assert store.counts() == {"pending": 2}
    store.close()
    reopened = Store(tmp_path)  # survives a restart
    assert reopened.counts() == {"pending": 2}


class _Flaky:
    """A channel that fails in a scripted way, then succeeds."""

    def __init__(self, name: str, failures: list[DeliveryError]) -> None:
        self.name = name
        self.failures = failures
        self.sent: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def send(self, record: dict[str, Any]) -> None:
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append(record)

    def close(self) -> None:
        return None


def _wait(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met")


def test_temporary_failure_is_retried_and_permanent_is_dead(tmp_path: Path) -> None:
    store = Store(tmp_path)
    flaky = _Flaky("flaky", [DeliveryError("503", retry_after=0.1)])
    broken = _Flaky("broken", [DeliveryError("400 invalid_payload", permanent=True)])
    good = _Flaky("good", [])
    store.record_article("a1", "/in/x", "T", [QueuedAlert("r1", n, _record())
                                              for n in ("flaky", "broken", "good")])
    dispatcher = Dispatcher({c.name: c for c in (flaky, broken, good)}, tmp_path)
    dispatcher.start()
    dispatcher.wake()
    _wait(lambda: len(flaky.sent) == 1 and len(good.sent) == 1)
    _wait(lambda: store.counts().get("dead") == 1)
    dispatcher.stop(1.0)
    assert good.sent[0]["channel"] == "good" and "sent_at" in good.sent[0]
    dead = store.pending(("dead",))
    assert [(r.channel, r.last_error) for r in dead] == [("broken", "400 invalid_payload")]
    assert store.requeue_dead() == 1
    assert store.counts() == {"delivered": 2, "pending": 1}


def test_backoff_grows_and_is_capped() -> None:
    assert 0.8 <= backoff(0) <= 1.2
    assert 6.4 <= backoff(3) <= 9.6
    assert backoff(50) <= 900 * 1.2


def test_file_channel_ends_a_partial_line_left_by_a_crash(tmp_path: Path) -> None:
    from monitor.channels.file import FileChannel

    path = tmp_path / "alerts.jsonl"
    path.write_bytes(b'{"rule": "a"}\n{"rule": "half-writ')
    channel = FileChannel("log", path)
    channel.send({"rule": "b"})
    channel.send({"rule": "c"})
    lines = path.read_text("utf-8").splitlines()
    assert lines == ['{"rule": "a"}', '{"rule": "half-writ', '{"rule": "b"}', '{"rule": "c"}']
