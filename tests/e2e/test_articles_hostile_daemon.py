"""Hostile inbox files in a running daemon (the daemon test of tests/test_articles_hostile.py):
huge and deep HTML pages are read or refused within their bounds, and never hold up the
article dropped after them."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

from helpers.articles_hostile_shared import _nested, _page
from helpers.workspace import SEED, Workspace


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f"{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


def test_huge_html_does_not_hold_up_the_next_article(workspace: Workspace) -> None:
    """Before the caps, trafilatura took 7 to 25 s over the first page and 20 s to minutes
    over the second (with the per-article time budget, up to 10 s each), and the deep page
    lost its text; now the first is read as its visible text in well under a second, the
    second refused unparsed."""
    workspace.start()
    _drop(workspace, "huge.html", _page("<p>x</p>" * 200_000, "Huge"))
    enormous = _page("<p>x</p>" * 600_000, "Enormous")
    _drop(workspace, "enormous.html", enormous)
    _drop(workspace, "deep.html", _page(_nested(300)))
    started = time.monotonic()
    _drop(workspace, "seed.txt", SEED.read_bytes())
    records = workspace.wait_for_alerts(2, timeout=30)
    waited = time.monotonic() - started
    assert waited < 8, f"the seed's alert took {waited:.1f} s"
    assert sorted(Path(r["article"]["path"]).name for r in records) == ["deep.html", "seed.txt"]
    archive = workspace.root / "archive" / datetime.date.today().isoformat()
    workspace.wait_until(lambda: (archive / "huge.html").exists())
    reason = workspace.root / "quarantine" / "enormous.html.error.txt"
    workspace.wait_until(reason.exists)
    assert f"{enormous.count(b'<'):,} tags" in reason.read_text("utf-8")
    assert workspace.stop() == 0
