"""max_alerts_per_hour: a misfiring rule sends a few alerts and one summary, not a flood."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from helpers.stories import filler
from helpers.workspace import Workspace


def test_rule_over_its_hourly_cap_sends_one_summary(workspace: Workspace) -> None:
    (workspace.rules / "nato.yaml").write_text(
        "id: noisy\nentities: [NATO]\nmax_alerts_per_hour: 2\n", encoding="utf-8"
    )
    workspace.start()
    for i in range(6):
        tmp = workspace.inbox / f".n{i}.tmp"
        tmp.write_bytes(f"NATO story {i}\n\nNATO said something. {filler(i)}".encode())
        os.rename(tmp, workspace.inbox / f"n{i}.txt")
    workspace.wait_until(lambda: not list(workspace.inbox.glob("n*.txt")), timeout=20)
    records = workspace.wait_for_alerts(3)
    assert workspace.stop() == 0
    records = workspace.alert_records()
    assert len(records) == 3, records
    summaries = [r for r in records if r["article"]["id"].startswith("flood:noisy:")]
    assert len(summaries) == 1
    assert "limit of 2 alerts per hour" in summaries[0]["article"]["title"]
    assert "over its limit of 2 alerts per hour" in workspace.log()
    listing = workspace.monitor("outbox").stdout
    assert "held back by the flood guard (max_alerts_per_hour): noisy: 4 alerts" in listing


def _gone(path: Path) -> Callable[[], bool]:
    return lambda: not path.exists()


def test_copies_of_a_story_count_once_towards_the_cap(workspace: Workspace) -> None:
    (workspace.rules / "nato.yaml").write_text(
        "id: noisy\nentities: [NATO]\nmax_alerts_per_hour: 2\n", encoding="utf-8"
    )
    workspace.start()
    story = f"NATO story\n\nNATO said something. {filler(1, 120)}"
    texts = [story, "WIRE - " + story, story + " More to follow.", f"NATO again\n\n{filler(2)}"]
    for i, text in enumerate(texts):
        tmp = workspace.inbox / f".n{i}.tmp"
        tmp.write_bytes(text.encode())
        os.rename(tmp, workspace.inbox / f"n{i}.txt")
        workspace.wait_until(_gone(workspace.inbox / f"n{i}.txt"))
    assert workspace.stop() == 0
    records = workspace.alert_records()  # two stories, below the cap of two: no summary
    assert sorted(r["article"]["title"] for r in records) == ["NATO again", "NATO story"]
    assert "over its limit" not in workspace.log()


def test_cap_must_be_positive(workspace: Workspace) -> None:
    (workspace.rules / "nato.yaml").write_text(
        "id: noisy\nentities: [NATO]\nmax_alerts_per_hour: 0\n", encoding="utf-8"
    )
    result = workspace.monitor("check")
    assert result.returncode == 1
    assert (
        "nato.yaml:3: `max_alerts_per_hour`: Input should be greater than or equal to 1"
        in result.stdout
    )
