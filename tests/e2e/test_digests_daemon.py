"""Digests and quiet hours end to end, with a real daemon: one digest per period, sent on
time; durable across a kill -9; quiet hours hold (and `urgent: true` bypasses them)."""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers.stories import other_story
from helpers.workspace import Workspace

PERIOD = 4  # seconds: `every 4s`


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    text = path.read_text("utf-8")
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def _digest_config(ws: Workspace, extra: str = "") -> Path:
    ws.write_config(
        extra=f"""
[channels.digest]
type = "file"
path = "digest.jsonl"
group = "story"
digest = "every {PERIOD}s"
{extra}"""
    )
    return ws.root / "digest.jsonl"


def _wait_for_period_start() -> None:
    """Start right after a period boundary, so that what is dropped lands in one period."""
    time.sleep(PERIOD - time.time() % PERIOD + 0.2)


def test_one_digest_per_period_on_time_and_nothing_when_empty(workspace: Workspace) -> None:
    digest = _digest_config(workspace)
    workspace.start()
    _wait_for_period_start()
    _drop(workspace, "a.txt", other_story(1, "NATO asks South Korea for ammunition"))
    _drop(workspace, "b.txt", other_story(2, "NATO and South Korea talk weapons"))
    copy = other_story(1, "NATO asks Seoul for shells") + b"Reporting by the wire.\n"
    _drop(workspace, "copy.txt", copy)  # another outlet's copy of a.txt: one story
    workspace.wait_for_alerts(2)  # `log` has no digest: at once
    assert _records(digest) == []  # the digest channel waits for the period's end
    workspace.wait_until(lambda: len(_records(digest)) == 1, timeout=PERIOD + 5)
    [record] = _records(digest)
    assert record["channel"] == "digest" and record["count"] == 2
    titles = [s["article"]["title"] for s in record["stories"]]
    assert titles == ["NATO and South Korea talk weapons", "NATO asks South Korea for ammunition"]
    # The copy, known when the digest was made though not when the story was held.
    [copy_listed] = record["stories"][1]["also_in"]
    assert copy_listed["path"].endswith("copy.txt") and record["stories"][1]["copies"] == 1
    assert record["digest"]["from"] <= record["digest"]["to"]
    sent = datetime.fromisoformat(record["sent_at"].replace("Z", "+00:00"))
    due = datetime.fromisoformat(record["digest"]["to"].replace("Z", "+00:00"))
    assert timedelta(0) <= sent - due.replace(microsecond=0) < timedelta(seconds=3)
    time.sleep(2 * PERIOD)  # empty periods send nothing
    assert len(_records(digest)) == 1
    listed = json.loads(workspace.monitor("stories", "--json").stdout)
    statuses = {c["status"] for s in listed for c in s["channels"] if c["channel"] == "digest"}
    assert statuses == {"sent in a digest"}
    assert workspace.stop() == 0


def test_a_digest_due_while_the_daemon_was_down_is_sent_at_start(workspace: Workspace) -> None:
    digest = _digest_config(workspace)
    workspace.start()
    _wait_for_period_start()
    _drop(workspace, "a.txt", other_story(3))
    workspace.wait_for_alerts(1)
    assert workspace.stop(signal.SIGKILL) != 0  # before the period ends
    assert "held for a digest" in workspace.monitor("outbox").stdout
    time.sleep(PERIOD + 1)
    workspace.start()
    workspace.wait_until(lambda: len(_records(digest)) == 1, timeout=10)
    time.sleep(PERIOD + 1)
    [record] = _records(digest)  # exactly one, with the one story
    assert record["count"] == 1
    assert workspace.stop() == 0


URGENT_RULE = """\
rules:
  - id: urgent-korea
    description: Breaking news on Korea
    entities: [South Korea]
    keywords:
      any: [ammunition]
    urgent: true
"""


def test_quiet_hours_hold_alerts_and_urgent_rules_bypass_them(workspace: Workspace) -> None:
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    quiet = f'quiet_hours = "{start:%H:%M}-{end:%H:%M}"'
    workspace.write_config(
        extra=f"""
[channels.night]
type = "file"
path = "night.jsonl"
{quiet}
"""
    )
    night = workspace.root / "night.jsonl"
    workspace.start()
    _drop(workspace, "a.txt", other_story(5, "NATO asks South Korea for weapons"))
    workspace.wait_for_alerts(1)
    time.sleep(1.5)
    assert _records(night) == []  # held until the quiet hours end
    [story] = json.loads(workspace.monitor("stories", "--json").stdout)
    [held] = [c for c in story["channels"] if c["channel"] == "night"]
    assert held["status"] == "held for a digest"
    released = datetime.fromisoformat(held["release_at"].replace("Z", "+00:00"))
    assert abs((released - end.replace(second=0, microsecond=0)).total_seconds()) < 60
    (workspace.rules / "urgent.yaml").write_text(URGENT_RULE, encoding="utf-8")
    workspace.wait_for_log("reloaded")
    _drop(workspace, "b.txt", other_story(6, "South Korea ships ammunition"))
    workspace.wait_until(lambda: len(_records(night)) == 1, timeout=10)
    assert _records(night)[0]["rule"] == "urgent-korea"
    assert workspace.stop() == 0


def test_quiet_hours_release_what_they_held_as_one_digest(workspace: Workspace) -> None:
    """Quiet hours that end at the next minute (they are set in minutes): what came in is
    held, then sent as one digest when they end. Takes up to 80 s."""
    now = datetime.now(UTC)
    end = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (end - now).total_seconds() < 20:  # too close to drop and check the hold first
        end += timedelta(minutes=1)
    start = now - timedelta(minutes=5)
    workspace.write_config(
        extra=f"""
[channels.night]
type = "file"
path = "night.jsonl"
group = "story"
quiet_hours = "{start:%H:%M}-{end:%H:%M}"
"""
    )
    night = workspace.root / "night.jsonl"
    workspace.start()
    _drop(workspace, "a.txt", other_story(7, "NATO asks South Korea for weapons"))
    _drop(workspace, "b.txt", other_story(8, "South Korea and NATO talk ammunition"))
    workspace.wait_for_alerts(2)
    time.sleep(1.0)
    assert _records(night) == []
    left = (end - datetime.now(UTC)).total_seconds()
    workspace.wait_until(lambda: len(_records(night)) == 1, timeout=left + 10)
    [record] = _records(night)
    assert record["count"] == 2 and record["digest"]["to"].startswith(f"{end:%Y-%m-%dT%H:%M}")
    assert workspace.stop() == 0
