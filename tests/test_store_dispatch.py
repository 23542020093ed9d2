"""The outbox in a real SQLite file, and the dispatcher's retry and dead-letter paths."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers.workspace import wait_for

from monitor.alerts import AlertRecord, RenderedAlert
from monitor.digests import DigestRecord
from monitor.dispatch import BATCH_LIMIT, Dispatcher, backoff
from monitor.errors import DeliveryError
from monitor.state import QueuedAlert, open_store
from monitor.state.sqlite import SqliteStore


def _record(rule: str = "r1") -> dict[str, Any]:
    return {"rule": rule, "article": {"id": "a1", "title": "T", "path": "/in/x"}, "hits": []}


def test_alert_is_queued_once_per_article_rule_channel(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    alerts = [QueuedAlert("r1", "log", _record()), QueuedAlert("r1", "console", _record())]
    assert store.record_article("a1", "/in/x", "T", alerts) == 2
    assert store.record_article("a1", "/in/y", "T", alerts) == 0
    assert store.seen("a1")
    assert store.counts() == {"pending": 2}
    store.close()
    reopened = open_store(tmp_path)  # survives a restart
    assert reopened.counts() == {"pending": 2}


class _Flaky:
    """A channel that fails in a scripted way, then succeeds."""

    def __init__(self, name: str, failures: list[DeliveryError]) -> None:
        self.name = name
        self.failures = failures
        self.sent: list[AlertRecord] = []
        self.digests: list[DigestRecord] = []
        self.lock = threading.Lock()

    def send(self, record: AlertRecord | DigestRecord) -> None:
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            if isinstance(record, DigestRecord):
                self.digests.append(record)
            else:
                self.sent.append(record)

    def close(self) -> None:
        return None


def test_temporary_failure_is_retried_and_permanent_is_dead(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    flaky = _Flaky("flaky", [DeliveryError("503", retry_after=0.1)])
    broken = _Flaky("broken", [DeliveryError("400 invalid_payload", permanent=True)])
    good = _Flaky("good", [])
    store.record_article(
        "a1", "/in/x", "T", [QueuedAlert("r1", n, _record()) for n in ("flaky", "broken", "good")]
    )
    dispatcher = Dispatcher({c.name: c for c in (flaky, broken, good)}, tmp_path)
    dispatcher.start()
    dispatcher.wake()
    wait_for(lambda: len(flaky.sent) == 1 and len(good.sent) == 1)
    wait_for(lambda: store.counts().get("dead") == 1)
    dispatcher.stop(1.0)
    assert good.sent[0].channel == "good" and good.sent[0].sent_at is not None
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
    channel.send_batch([RenderedAlert(None, '{"rule": "b"}')])
    channel.send_batch([RenderedAlert(None, '{"rule": "c"}')])
    lines = path.read_text("utf-8").splitlines()
    assert lines == ['{"rule": "a"}', '{"rule": "half-writ', '{"rule": "b"}', '{"rule": "c"}']


def _sent(rule: str, article: str = "a1", channel: str = "log") -> dict[str, Any]:
    return {
        "rule": rule,
        "channel": channel,
        "article": {"id": article, "title": "T"},
        "hits": [],
        "sent_at": "2026-01-01T00:00:00Z",
    }


def _rendered(record: dict[str, Any]) -> RenderedAlert:
    return RenderedAlert(
        (record["article"]["id"], record["rule"], record["channel"]),
        json.dumps(record, ensure_ascii=False),
    )


def test_file_channel_skips_alerts_a_killed_run_wrote_but_never_marked(tmp_path: Path) -> None:
    """kill -9 between the batch's fsync and its commit: the restart writes no duplicate."""
    from monitor.channels.file import FileChannel

    path = tmp_path / "alerts.jsonl"
    first = [_sent("r1"), _sent("r2")]
    FileChannel("log", path).send_batch([_rendered(r) for r in first])
    with path.open("ab") as fh:
        fh.write(b'{"rule": "r3", "chan')  # and the kill cut the next batch's first line
    again = FileChannel("log", path)  # the next run sends the still-pending alerts again
    again.send_batch([_rendered(r) for r in [*first, _sent("r3"), _sent("r4")]])
    lines = path.read_text("utf-8").splitlines()
    assert [json.loads(x)["rule"] for x in lines if x.endswith("}")] == ["r1", "r2", "r3", "r4"]
    assert lines[2] == '{"rule": "r3", "chan'


def test_file_channel_failed_batch_is_not_written_twice_on_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.channels import file as file_channel

    path = tmp_path / "alerts.jsonl"
    channel = file_channel.FileChannel("log", path)
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        monkeypatch.setattr("monitor.channels.file.os.fsync", real_fsync)
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr("monitor.channels.file.os.fsync", failing_fsync)
    batch = [_rendered(_sent("r1")), _rendered(_sent("r2"))]
    with pytest.raises(DeliveryError, match="cannot append"):
        channel.send_batch(batch)
    channel.send_batch(batch)  # the dispatcher's retry
    assert [json.loads(x)["rule"] for x in path.read_text("utf-8").splitlines()] == ["r1", "r2"]


@pytest.mark.parametrize(
    "record",
    [
        _record(),
        {
            "rule": "r-ü",
            "description": 'say "channel": x, "sent_at": y \u2028 ☃',
            "article": {"id": "a", "title": '"channel": \\', "path": "/in/x"},
            "hits": [],
        },
        {
            "rule": "r1",
            "article": {"id": "a", "title": "T", "path": "/x", "channel": "nested key"},
            "hits": [],
        },
        {
            "description": "rule not first",
            "rule": "r1",
            "article": {"id": "a", "title": "T", "path": "/x"},
            "hits": [],
        },
    ],
)
def test_channel_json_is_the_reencoded_record(
    record: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dispatcher's shortcut writes exactly what parsing and re-encoding would."""
    from monitor import alerts

    monkeypatch.setattr(alerts, "utc_now", lambda: "2026-01-01T00:00:00Z")
    payload = json.dumps(record, ensure_ascii=False)
    expected = json.dumps(alerts.for_channel(record, "log"), ensure_ascii=False)
    assert alerts.for_channel_json(payload, "rule", record["rule"], "log") == expected


class _Batch(_Flaky):
    """A batch channel (like `file`) that fails in a scripted way, then succeeds."""

    batched: list[dict[str, Any]]

    def send_batch(self, alerts: list[RenderedAlert]) -> None:
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            if not hasattr(self, "batched"):
                self.batched = []
            self.batched.extend(json.loads(a.json) for a in alerts)


def test_batch_channel_gets_due_alerts_at_once_and_a_failed_batch_is_retried_whole(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path)
    ids = [f"a{i:03d}" for i in range(300)]
    with store.batch():
        for article_id in ids:
            record = {**_record(), "article": {"id": article_id, "title": "T", "path": "/x"}}
            store.record_article(article_id, "/in/x", "T", [QueuedAlert("r1", "log", record)])
    channel = _Batch("log", [DeliveryError("disk full")])
    dispatcher = Dispatcher({"log": channel}, tmp_path)
    dispatcher.start()
    wait_for(lambda: store.counts() == {"delivered": 300}, timeout=10)
    dispatcher.stop(1.0)
    sent = [r["article"]["id"] for r in channel.batched]
    # The rest went on while the failed batch waited; that batch was retried in its order.
    assert sent == ids[BATCH_LIMIT:] + ids[:BATCH_LIMIT]
    assert all(r["channel"] == "log" and "sent_at" in r for r in channel.batched)
    db = sqlite3.connect(tmp_path / "monitor.db")
    rows = db.execute("SELECT attempts, last_error FROM outbox ORDER BY seq").fetchall()
    db.close()
    assert rows[0] == rows[BATCH_LIMIT - 1] == (2, None)
    assert rows[-1] == (1, None)


def test_a_locked_database_pauses_a_channel_instead_of_ending_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the state database past the busy timeout raised
    `database is locked` out of the sender thread, and the channel was dead for good."""
    import sqlite3

    from monitor.state.sql import _unavailable
    from monitor.state.sqlite import SqliteStore

    store = open_store(tmp_path)
    store.record_article("a1", "/in/x", "T", [QueuedAlert("r1", "good", _record())])
    good = _Flaky("good", [])
    due = SqliteStore.due
    failures = [sqlite3.OperationalError("database is locked")] * 2

    @_unavailable
    def locked_at_first(self: SqliteStore, *args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return due(self, *args, **kwargs)

    monkeypatch.setattr(SqliteStore, "due", locked_at_first)
    dispatcher = Dispatcher({"good": good}, tmp_path)
    dispatcher.start()
    dispatcher.wake()
    wait_for(lambda: len(good.sent) == 1, timeout=20)  # after 1 s + 2 s of backoff
    assert dispatcher.alive()
    dispatcher.stop(1.0)


def test_a_malformed_stored_alert_is_a_dead_letter_with_the_reason(tmp_path: Path) -> None:
    """Parsed once where the dispatcher hands it over: a payload that is no alert record
    (edited by hand, or written by a buggy version) is dead-lettered, the worker goes on."""
    from monitor.channels.file import FileChannel
    from monitor.state.sqlite import DB_NAME

    store = open_store(tmp_path)
    bad = {"rule": "r1", "article": {"id": "a1", "title": 7, "path": "/in/x"}, "hits": []}
    store.record_article(
        "a1",
        "/in/x",
        "T",
        [
            QueuedAlert("r1", "flaky", bad),
            QueuedAlert("r2", "flaky", _record("r2")),
            QueuedAlert("r1", "log", _record()),
            QueuedAlert("r2", "log", _record("r2")),
        ],
    )
    with sqlite3.connect(tmp_path / DB_NAME) as db:  # not even JSON, for the file channel
        db.execute(
            "UPDATE outbox SET payload = '{\"rule\": ' WHERE channel = 'log' AND rule = 'r1'"
        )
    flaky = _Flaky("flaky", [])
    log_path = tmp_path / "alerts.jsonl"
    dispatcher = Dispatcher({"flaky": flaky, "log": FileChannel("log", log_path)}, tmp_path)
    dispatcher.start()
    dispatcher.wake()
    wait_for(lambda: store.counts() == {"delivered": 2, "dead": 2})
    dispatcher.stop(1.0)
    assert [r.rule_ids for r in flaky.sent] == [["r2"]]
    assert [json.loads(line)["rule"] for line in log_path.read_text().splitlines()] == ["r2"]
    errors = {(r.channel, r.last_error) for r in store.pending(("dead",))}
    assert errors == {
        ("flaky", "malformed alert record: `article.title` is a number, not a string"),
        ("log", "malformed alert record: not JSON (Expecting value: line 1 column 10 (char 9))"),
    }


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("{}", "`rule` does not match the outbox row"),
        ("[]", "not a JSON object but a list"),
        ('{"rule":"r1"}', "`article` is missing"),
        ('{"rule": "OTHER", "article": {"id": "zz"}}', "`rule` does not match the outbox row"),
    ],
)
def test_the_file_channel_dead_letters_what_is_no_alert_record(
    tmp_path: Path, payload: str, why: str
) -> None:
    """A hand-edited outbox row ended the file channel's sender thread for good (KeyError:
    'rule'), or was written to alerts.jsonl as if it were an alert (review of issue 12)."""
    from monitor.channels.file import FileChannel
    from monitor.state.sqlite import DB_NAME

    store = open_store(tmp_path)
    store.record_article(
        "a1",
        "/in/x",
        "T",
        [QueuedAlert("r1", "log", _record()), QueuedAlert("r2", "log", _record("r2"))],
    )
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("UPDATE outbox SET payload = ? WHERE rule = 'r1'", (payload,))
    log_path = tmp_path / "alerts.jsonl"
    dispatcher = Dispatcher({"log": FileChannel("log", log_path)}, tmp_path)
    dispatcher.start()
    dispatcher.wake()
    wait_for(lambda: store.counts() == {"delivered": 1, "dead": 1})
    assert dispatcher.alive()
    dispatcher.stop(1.0)
    assert [json.loads(line)["rule"] for line in log_path.read_text().splitlines()] == ["r2"]
    [dead] = store.pending(("dead",))
    assert dead.last_error == f"malformed alert record: {why}"


def test_due_and_next_due_at_read_only_their_channels_queue(tmp_path: Path) -> None:
    """By `outbox_due (status, next_at)` both read every channel's pending alerts, and `due`
    sorted them: 58 ms a call at a backlog of 100,000 (bench/outbox_due.py), for each idle
    channel at each turn. The plans SQLite makes for the statements the store runs:"""
    store = SqliteStore(tmp_path / "state")
    alerts = [QueuedAlert(rule="r1", channel=c, record=_record()) for c in ("down", "ok")]
    store.record_article("a1", "/a", "T", alerts)
    store.mark_retry([store.due("ok", 1e12)[0].seq], 1e12, "later")
    db = store._conn
    for call in (
        lambda: store.due("down", 1e11, 100),
        lambda: store.due("ok", 1e11, 100),
        lambda: store.next_due_at("ok"),
    ):
        executed: list[str] = []
        db.set_trace_callback(executed.append)
        result = call()
        db.set_trace_callback(None)
        plan = " ".join(str(r[3]) for r in db.execute(f"EXPLAIN QUERY PLAN {executed[-1]}"))
        assert "outbox_channel_" in plan and "TEMP B-TREE" not in plan, plan
        assert "outbox_due" not in plan and "SCAN" not in plan, plan
    assert [r.channel for r in store.due("down", 1e11)] == ["down"] and result == 1e12
    assert store.due("ok", 1e11) == []
