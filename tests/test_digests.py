"""Durable digests: held outbox rows become exactly one digest each, made once, sent by the
dispatcher (also when due while the daemon was down), and the config keys that ask for them.

The pipeline does not queue held rows yet, so the tests hold rows with SQL, as it will.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from helpers.workspace import Workspace, wait_for

from monitor.alerts import AlertRecord
from monitor.channels.file import FileChannel, alert_key
from monitor.digests import MAX_STORIES, DigestRecord, build_digest, parse_digest
from monitor.dispatch import Dispatcher
from monitor.state import HeldRow, open_store
from monitor.state.sqlite import DB_NAME

T0 = 1_790_000_000.0  # a release time in the past of every test run


def rule_record(story: str, rule: str, title: str = "Title", **extra: Any) -> dict[str, Any]:
    return {
        "rule": rule,
        "description": f"about {rule}",
        "article": {"id": story, "title": title, "path": f"inbox/{story}.txt"},
        "hits": [{"term": "x", "text": "x", "field": "body", "start": 0, "end": 1}],
        "hits_total": 1,
        "excerpt": None,
        "matched_at": "2026-11-30T10:00:00Z",
        "story": story,
        **extra,
    }


def story_record(story: str, rules: list[str], copies: int = 0) -> dict[str, Any]:
    return {
        "story": story,
        "article": {"id": story, "title": f"Story {story}", "path": f"inbox/{story}.txt"},
        "rules": [{"rule": r, "description": f"about {r}", "hits": []} for r in rules],
        "also_in": [
            {"source": f"Outlet {i}", "url": f"https://example.org/{i}", "path": f"p{i}"}
            for i in range(copies)
        ],
        "excerpt": None,
        "hits_total": 1,
        "matched_at": "2026-11-30T11:00:00Z",
    }


def hold(
    folder: Path,
    channel: str,
    record: dict[str, Any] | str,
    release_at: float,
    *,
    rule: str | None = None,
    kind: str = "rule",
    key: str | None = None,
) -> None:
    """Queue a held row as the pipeline will: status 'held' with its release time."""
    payload = record if isinstance(record, str) else json.dumps(record)
    if rule is None:
        rule = record.get("rule", "") if isinstance(record, dict) else "r"
    if key is None:
        key = record["story"] if isinstance(record, dict) else f"bad-{time.time()}"
    db = sqlite3.connect(folder / DB_NAME)
    with db:
        db.execute(
            "INSERT INTO outbox (article_id, rule, channel, payload, status, next_at, "
            "created_at, release_at, kind) VALUES (?, ?, ?, ?, 'held', 0, ?, ?, ?)",
            (key, rule, channel, payload, "2026-11-30T09:00:00Z", release_at, kind),
        )
    db.close()


def statuses(folder: Path) -> list[tuple[str, str, str, str | None]]:
    db = sqlite3.connect(folder / DB_NAME)
    rows = db.execute("SELECT article_id, rule, status, digest FROM outbox ORDER BY seq").fetchall()
    db.close()
    return [(str(a), str(r), str(s), d) for a, r, s, d in rows]


def builder(channel: str) -> Any:
    def build(
        key: str, rows: Sequence[HeldRow], release: str
    ) -> tuple[dict[str, Any] | None, dict[int, str]]:
        return build_digest(key, channel, rows, release)

    return build


def test_held_rows_of_one_release_time_become_one_digest(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    hold(tmp_path, "desk", rule_record("s1", "r2"), T0)  # the same story, another rule
    hold(tmp_path, "desk", story_record("s2", ["r3"], copies=2), T0, rule="", kind="story")
    hold(tmp_path, "other", rule_record("s1", "r1"), T0)  # another channel: not this one's
    hold(tmp_path, "desk", rule_record("s3", "r1"), time.time() + 3600)  # not due yet

    assert store.make_digests("desk", time.time(), builder("desk")) == 1
    rows = store.due("desk", time.time())
    assert len(rows) == 1
    record = parse_digest(rows[0].payload, "desk")
    assert record.count == 2
    assert [s.story for s in record.stories] == ["s2", "s1"]  # newest first
    assert record.stories[1].rule_ids == ["r1", "r2"]
    assert record.stories[0].copies == 2 and record.stories[0].also_in[0].source == "Outlet 0"
    assert record.key == rows[0].article_id == "digest:desk:2026-09-21T14:13:20Z"
    assert (record.start, record.end) == ("2026-11-30T09:00:00Z", "2026-09-21T14:13:20Z")
    assert "hits" not in json.dumps(record.data["stories"][1]["rules"])  # kept small

    found = statuses(tmp_path)
    assert [s for a, _, s, d in found if d == record.key] == ["digested"] * 3
    assert [s for a, _, s, _ in found if a == "s3"] == ["held"]
    assert store.next_release_at("desk") is not None
    assert store.next_release_at("other") == T0


def test_a_second_call_makes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    assert store.make_digests("desk", time.time(), builder("desk")) == 1
    before = statuses(tmp_path)
    assert store.make_digests("desk", time.time(), builder("desk")) == 0
    assert statuses(tmp_path) == before
    assert store.next_release_at("desk") is None


def test_two_release_times_make_two_digests(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    hold(tmp_path, "desk", rule_record("s2", "r1"), T0 + 1800)
    assert store.make_digests("desk", time.time(), builder("desk")) == 2
    records = [parse_digest(r.payload, "desk") for r in store.due("desk", time.time())]
    assert [[s.story for s in r.stories] for r in records] == [["s1"], ["s2"]]


def test_a_late_row_for_a_made_digest_gets_one_of_its_own(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    store.make_digests("desk", time.time(), builder("desk"))
    hold(tmp_path, "desk", rule_record("s2", "r1"), T0)
    assert store.make_digests("desk", time.time(), builder("desk")) == 1
    keys = [r.article_id for r in store.due("desk", time.time())]
    assert keys == ["digest:desk:2026-09-21T14:13:20Z", "digest:desk:2026-09-21T14:13:20Z#2"]


def test_a_crash_while_making_a_digest_loses_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    hold(tmp_path, "desk", rule_record("s2", "r1"), T0 + 1)
    calls = []

    def dies_on_second(
        key: str, rows: Sequence[HeldRow], release: str
    ) -> tuple[dict[str, Any] | None, dict[int, str]]:
        calls.append(key)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies after the first digest was built
        return build_digest(key, "desk", rows, release)

    with pytest.raises(KeyboardInterrupt):
        store.make_digests("desk", time.time(), dies_on_second)
    assert [s for _, _, s, _ in statuses(tmp_path)] == ["held", "held"]  # all rolled back
    assert store.make_digests("desk", time.time(), builder("desk")) == 2


def test_a_malformed_held_row_is_a_dead_letter_and_the_rest_go_on(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    hold(tmp_path, "desk", "{not json", T0, key="bad")
    hold(tmp_path, "desk", {"rule": "r1", "article": "no object"}, T0, key="bad2")
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    assert store.make_digests("desk", time.time(), builder("desk")) == 1
    dead = {row.article_id: row.last_error for row in store.pending(("dead",))}
    assert set(dead) == {"bad", "bad2"}
    assert "malformed held alert" in (dead["bad"] or "")
    # Only malformed rows: no digest at all, and they are dead letters too.
    hold(tmp_path, "desk", "[]", T0 + 5, key="bad3")
    assert store.make_digests("desk", time.time(), builder("desk")) == 0
    assert len(store.pending(("dead",))) == 3


def test_a_digest_lists_at_most_max_stories_and_counts_them_all() -> None:
    rows = [
        HeldRow(i, "rule", "r", json.dumps(rule_record(f"s{i}", "r")), "2026-11-30T09:00:00Z")
        for i in range(MAX_STORIES + 3)
    ]
    record, bad = build_digest("k", "desk", rows, "2026-11-30T10:00:00Z")
    assert record is not None and not bad
    assert record["count"] == MAX_STORIES + 3 and len(record["stories"]) == MAX_STORIES
    assert record["omitted"] == 3


class _Recorder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.got: list[AlertRecord | DigestRecord] = []
        self.lock = threading.Lock()

    def send(self, record: AlertRecord | DigestRecord) -> None:
        with self.lock:
            self.got.append(record)

    def close(self) -> None:
        return None


def test_the_dispatcher_sends_due_digests_at_start_and_on_time(tmp_path: Path) -> None:
    """A digest due while the daemon was down goes out at start; one due in a second goes
    out then, not after an idle wait; the file channel writes one record per digest."""
    open_store(tmp_path).close()
    hold(tmp_path, "desk", rule_record("s1", "r1"), T0)
    hold(tmp_path, "log", rule_record("s1", "r1"), T0)
    soon = time.time() + 1.5
    hold(tmp_path, "desk", rule_record("s2", "r1"), soon)
    desk = _Recorder("desk")
    log_file = tmp_path / "alerts.jsonl"
    dispatcher = Dispatcher({"desk": desk, "log": FileChannel("log", log_file)}, tmp_path)
    dispatcher.start()
    try:
        wait_for(lambda: len(desk.got) == 1, timeout=5)
        wait_for(lambda: len(desk.got) == 2, timeout=5)
        sent_after = time.time() - soon
        wait_for(lambda: log_file.exists() and log_file.read_text().count("\n") == 1)
    finally:
        dispatcher.stop()
    assert sent_after < 1.5
    assert all(isinstance(r, DigestRecord) for r in desk.got)
    line = json.loads(log_file.read_text())
    assert line["channel"] == "log" and line["count"] == 1 and "sent_at" in line
    assert alert_key(line) == (line["digest"]["id"], "", "log")
    store = open_store(tmp_path)
    assert store.counts().get("held", 0) == 0 and store.due("desk", time.time()) == []


def test_a_malformed_digest_row_is_a_dead_letter(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    db = sqlite3.connect(tmp_path / DB_NAME)
    with db:
        db.execute(
            "INSERT INTO outbox (article_id, rule, channel, payload, status, next_at, "
            "created_at, kind) VALUES ('digest:desk:x', '', 'desk', '{\"digest\": 1}', "
            "'pending', 0, 'x', 'digest')"
        )
    db.close()
    desk = _Recorder("desk")
    dispatcher = Dispatcher({"desk": desk}, tmp_path)
    dispatcher.start()
    try:
        wait_for(lambda: len(store.pending(("dead",))) == 1)
    finally:
        dispatcher.stop()
    (row,) = store.pending(("dead",))
    assert "malformed digest record" in (row.last_error or "") and desk.got == []


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ('digest = "sometimes"', "digest", "is not a digest schedule"),
        ('digest = "every 0s"', "digest", "too short"),
        ('digest = "0 8 * * 1-9"', "digest", "not a valid cron spec"),
        ('timezone = "Mars/Olympus"', "timezone", "not a known time zone"),
        ('quiet_hours = "22:00-22:00"', "quiet_hours", "same time"),
        ('quiet_hours = "10pm-6am"', "quiet_hours", "not a time of day"),
        ('quiet_days = ["caturday"]', "quiet_days", "not a day"),
    ],
)
def test_check_reports_bad_schedule_keys_with_file_line(
    workspace: Workspace, lines: str, where: str, message: str
) -> None:
    workspace.write_config(extra=f'\n[channels.desk]\ntype = "console"\n{lines}\n')
    result = workspace.monitor("check")
    assert result.returncode == 1, result.stdout + result.stderr
    text = workspace.config.read_text()
    line = text.splitlines().index(lines) + 1
    assert f"config.toml:{line}: [channels.desk] {where}: " in result.stdout
    assert message in result.stdout


def test_check_accepts_every_documented_form(workspace: Workspace) -> None:
    extra = "".join(
        f'\n[channels.c{i}]\ntype = "console"\ndigest = "{spec}"\ntimezone = "Europe/Berlin"\n'
        'quiet_hours = "22:00-07:00"\nquiet_days = ["sat", "sun"]\n'
        for i, spec in enumerate(
            ["every 10s", "every 30m", "hourly", "daily 08:00", "weekdays 08:00", "0 8 * * 1-5"]
        )
    )
    workspace.write_config(extra=extra)
    result = workspace.monitor("check")
    assert result.returncode == 0, result.stdout + result.stderr
