"""kill -9 in the middle of a burst, then a restart: no article and no alert is lost."""

from __future__ import annotations

import collections
import os
import signal
import time

from helpers.stories import filler
from helpers.workspace import Workspace

BURST = 500


def _article(i: int) -> bytes:
    # A different story each (not copies of one, which would alert once): see filler.
    return (
        f"NATO presses S Korea on ammunition, part {i}\n\n"
        f"NATO asked South Korea for more ammunition and weapons. {filler(i)}\n"
    ).encode()


def test_sigkill_mid_burst_then_restart_loses_nothing(workspace: Workspace) -> None:
    workspace.start()
    staging = workspace.root / "staging"
    staging.mkdir()
    for i in range(BURST):
        (staging / f"a{i:04d}.txt").write_bytes(_article(i))
    for i in range(BURST):  # a burst of renames into the inbox
        os.rename(staging / f"a{i:04d}.txt", workspace.inbox / f"a{i:04d}.txt")
    archive = workspace.root / "archive"
    workspace.wait_until(lambda: len(list(archive.rglob("*.txt"))) >= BURST // 10, timeout=60)
    assert workspace.proc is not None
    workspace.proc.send_signal(signal.SIGKILL)
    workspace.proc.wait()
    at_kill = len(workspace.alert_records())
    assert at_kill < BURST, "the burst finished before the kill; the test proves nothing"
    left = list(workspace.inbox.iterdir())
    assert left, "files must still wait in the inbox"

    workspace.start()
    workspace.wait_until(lambda: not any(workspace.inbox.iterdir()), timeout=120)
    workspace.wait_until(
        lambda: len({r["article"]["id"] for r in workspace.alert_records()}) == BURST, timeout=60
    )
    time.sleep(0.5)
    records = workspace.alert_records()
    per_article = collections.Counter(r["article"]["id"] for r in records)
    assert len(per_article) == BURST  # every article alerted
    duplicates = sum(n - 1 for n in per_article.values())
    assert duplicates <= 1, f"{duplicates} duplicates; at most the one in flight may repeat"
    archived = list((workspace.root / "archive").rglob("*.txt"))
    assert len({p.name for p in archived}) == BURST
    assert workspace.stop() == 0


def test_sigterm_during_a_burst_exits_promptly(workspace: Workspace) -> None:
    workspace.start()
    for i in range(200):
        tmp = workspace.inbox / f".b{i}.tmp"
        tmp.write_bytes(_article(i))
        os.rename(tmp, workspace.inbox / f"b{i}.txt")
    started = time.monotonic()
    assert workspace.stop() == 0
    assert time.monotonic() - started < 10
    # Whatever was not processed is still there for the next start.
    processed = {r["article"]["path"] for r in workspace.alert_records()}
    remaining = {str(p) for p in workspace.inbox.glob("b*.txt")}
    assert len(processed) + len(remaining) >= 200
    workspace.start()
    workspace.wait_until(
        lambda: len({r["article"]["id"] for r in workspace.alert_records()}) == 200, timeout=60
    )
    assert workspace.stop() == 0
