"""A running daemon counts what the articles it matches contain, for the term weights.

The counts are saved before a reload compiles the new rules (so they are weighed with
them) and at shutdown; `monitor check --stats` reads them from the state while it runs.
"""

from __future__ import annotations

import json
import os
import signal

import pytest
from helpers.workspace import SEED, Workspace


def _observed(ws: Workspace) -> int:
    result = ws.monitor("check", "--config", str(ws.config), "--stats", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    stats = json.loads(result.stdout)
    assert stats["rules"] == 1 and stats["costliest"][0]["rule"] == "nato-south-korea"
    observed: int = stats["observed_articles"]
    return observed


@pytest.mark.timeout(90)
def test_counts_are_saved_on_reload_and_at_shutdown(workspace: Workspace) -> None:
    workspace.start()
    for i in range(3):
        tmp = workspace.inbox / f".{i}.tmp"
        tmp.write_bytes(SEED.read_bytes().replace(b"NATO", f"NATO {i}".encode(), 1))
        os.rename(tmp, workspace.inbox / f"seed-{i}.txt")
    workspace.wait_until(lambda: not list(workspace.inbox.glob("seed-*")))
    assert _observed(workspace) == 0  # counted, not yet saved
    assert workspace.proc is not None
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("loaded 1 rules", this_run=True)
    workspace.wait_until(lambda: _observed(workspace) == 3, timeout=20)
    (workspace.inbox / "plain.txt").write_text("Weather\n\nRain today.\n", encoding="utf-8")
    workspace.wait_until(lambda: not (workspace.inbox / "plain.txt").exists())
    assert workspace.stop() == 0
    assert _observed(workspace) == 4
