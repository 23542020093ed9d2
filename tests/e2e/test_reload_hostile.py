"""Issue 11 item 1, in the running daemon: a hostile rule file saved while it runs is
refused at reload and the rules in force stay; present at start, it is skipped and the
daemon starts. Before the fix each of these ended the daemon with exit 1 at the reload and
again at every start (a `Restart=on-failure` loop), and the alias bomb froze it for minutes.
"""

from __future__ import annotations

import os
import time

import pytest
from helpers.workspace import SEED, Workspace


def _alias_bomb(levels: int = 7, width: int = 10) -> str:
    """A few hundred bytes that expand to width**levels strings (the billion laughs)."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\nid: bomb\nkeywords:\n  any: [x]\n"


HOSTILE = {
    "nested": "rules: " + "[" * 5000 + "\n",
    "nots": 'id: nots\nquery: "' + "NOT " * 1000 + 'a"\n',
    "near-digits": 'id: near\nquery: "a NEAR/' + "9" * 5000 + ' b"\n',
    "alias-bomb": _alias_bomb(),
}


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_rule_file_is_refused_at_reload_and_skipped_at_start(
    workspace: Workspace, kind: str
) -> None:
    workspace.start()
    tmp = workspace.rules / ".hostile.yaml.swp"
    tmp.write_text(HOSTILE[kind], encoding="utf-8")
    os.rename(tmp, workspace.rules / "hostile.yaml")
    started = time.monotonic()
    workspace.wait_for_log("reload refused", timeout=30)
    assert time.monotonic() - started < 20
    assert "hostile.yaml:" in workspace.log()
    _drop(workspace, "seed.txt", SEED.read_bytes())
    assert workspace.wait_for_alerts(1)[0]["rule"] == "nato-south-korea"  # old rules in force
    assert workspace.stop() == 0
    workspace.start()  # with the hostile file still there: skipped, not fatal
    workspace.wait_for_log("(rule skipped)", this_run=True)
    assert workspace.stop() == 0
    assert "Traceback" not in workspace.log()


def test_reload_that_removes_rules_says_which(workspace: Workspace) -> None:
    """A reload that drops rules (a rule deleted on purpose, or a file half-written) used to
    say only `reloaded N rules`: alerts stopped and nothing named what was gone."""
    (workspace.rules / "more.yaml").write_text(
        "rules:\n  - id: eu-gas\n    entities: [EU]\n  - id: eu-oil\n    entities: [EU]\n",
        encoding="utf-8",
    )
    workspace.start()
    (workspace.rules / "more.yaml").write_text(
        "rules:\n  - id: eu-gas\n    entities: [EU]\n", encoding="utf-8"
    )
    workspace.wait_for_log("reloaded 2 rules", timeout=20)
    assert "1 rule removed from rules/more.yaml: eu-oil" in workspace.log()
    assert workspace.stop() == 0
