"""The rules folder under a running daemon (the daemon tests of tests/test_rules_folder.py).

An outside review found that one odd entry in the rules folder took every rule down, or the
daemon with it. Each test names what happened before:

* odd links and a FIFO in the rules folder: `loaded 0 rules`, every article archived without
  an alert;
* a folder nested 1,100 deep crashed `monitor run` at start (the recursive inotify watch
  walks folders recursively), and killed the watching thread when made while the daemon ran
  (saved rules no longer reloaded);
* an emptied rule file (`: > x.yaml`, or an editor truncating before it writes) was
  reloaded at once, and its rules vanished silently.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from helpers.rules_folder_shared import Deep, _odd, _save

# Fixtures: pytest finds them here once imported; `x as x` tells ruff they are not unused.
from helpers.rules_folder_shared import _own_cache as _own_cache
from helpers.rules_folder_shared import deep as deep
from helpers.workspace import SEED, Workspace

from monitor import rulewatch

EU_RULE = "id: eu-gas\nentities: [European Union]\nkeywords:\n  any: [gas]\n"


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


# -- 1. odd entries in the rules folder ---------------------------------------------------------


@pytest.mark.timeout(60)
def test_the_daemon_starts_with_every_other_rule_beside_odd_links(workspace: Workspace) -> None:
    """Before: `loaded 0 rules`, and the seed article was archived without an alert."""
    _odd(workspace.rules, "looping links")
    _odd(workspace.rules, "a FIFO", "fifo.yaml")
    (workspace.rules / "enotdir.yaml").symlink_to("/etc/passwd/x.yaml")
    workspace.start()
    log = workspace.log()
    assert "loaded 1 rules" in log
    assert "rules/l1.yaml:1: cannot read rule file: [Errno 40]" in log
    assert "could not load the rules" not in log
    _drop(workspace, "seed.txt", SEED.read_bytes())
    assert workspace.wait_for_alerts(1)[0]["rule"] == "nato-south-korea"
    assert workspace.stop() == 0


# -- 2. a deep folder tree ----------------------------------------------------------------------


@pytest.mark.timeout(90)
def test_a_deep_tree_neither_crashes_the_start_nor_stops_reloads(
    workspace: Workspace, deep: Deep
) -> None:
    """Before: `monitor run` ended in a RecursionError at start (watchdog's os.walk); with
    the tree made while it ran, the watching thread died and a saved rule was never
    reloaded."""
    bottom = deep(workspace.rules)
    workspace.start()
    assert "loaded 1 rules" in workspace.log()
    _save(workspace.rules / "eu.yaml", EU_RULE)
    workspace.wait_for_log("reloaded 2 rules", timeout=20)
    # A second tree, made while the daemon runs; then a rule saved at its bottom.
    bottom2 = deep(workspace.rules / "d" / "d", "e")
    _save(bottom2 / "deep.yaml", "id: deep\nentities: [NATO]\n")
    workspace.wait_for_log("reloaded 3 rules", timeout=20)
    _save(bottom / "deeper.yaml", "id: deeper\nentities: [NATO]\n")
    workspace.wait_for_log("reloaded 4 rules", timeout=20)
    assert workspace.stop() == 0
    assert "Traceback" not in workspace.log()
    assert "RecursionError" not in workspace.log()


# -- 4. an emptied rule file --------------------------------------------------------------------


@pytest.mark.timeout(90)
def test_an_emptied_rule_file_holds_the_automatic_reload(workspace: Workspace) -> None:
    """Before: `: > eu.yaml` gave `reloaded 1 rules` at once; the EU rule was gone until the
    file was written again, and nothing said so."""
    _save(workspace.rules / "eu.yaml", EU_RULE)
    workspace.start()
    (workspace.rules / "eu.yaml").write_bytes(b"")  # truncated, as `cat > eu.yaml` starts
    workspace.wait_for_log("rules/eu.yaml is now empty", timeout=10)
    time.sleep(1.5)
    (workspace.rules / "eu.yaml").write_text(EU_RULE, encoding="utf-8")  # ... and goes on
    workspace.wait_for_log("reloaded 2 rules", timeout=20)
    assert "reloaded 1 rules" not in workspace.log()
    _drop(workspace, "eu.txt", b"EU agrees gas price cap\n\nThe European Union ...")
    assert workspace.wait_for_alerts(1)[0]["rule"] == "eu-gas"

    # Left empty: applied after the grace period, with a warning naming the file.
    (workspace.rules / "eu.yaml").write_bytes(b"")
    started = time.monotonic()
    workspace.wait_for_log("reloaded 1 rules", timeout=30)
    assert time.monotonic() - started >= rulewatch.EMPTY_GRACE_SECONDS - 0.5
    assert "rules/eu.yaml has stayed empty" in workspace.log()
    assert workspace.stop() == 0


@pytest.mark.timeout(60)
def test_sighup_applies_an_emptied_file_at_once(workspace: Workspace) -> None:
    _save(workspace.rules / "eu.yaml", EU_RULE)
    workspace.start()
    (workspace.rules / "eu.yaml").write_bytes(b"")
    started = time.monotonic()
    assert workspace.proc is not None
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("reloaded 1 rules", timeout=10)
    assert time.monotonic() - started < rulewatch.EMPTY_GRACE_SECONDS
    assert workspace.stop() == 0


@pytest.mark.timeout(60)
def test_a_json_rule_file_saved_under_the_running_daemon_alerts(workspace: Workspace) -> None:
    """Issue 15: `.json` rule files are rule files, watched and reloaded like YAML."""
    workspace.start()
    rule = '{"rules": [{"id": "json-gas", "entities": ["European Union"], '
    rule += '"keywords": {"any": ["gas"]}}]}'
    tmp = workspace.rules / ".generated.json.tmp"
    tmp.write_text(rule, encoding="utf-8")
    os.rename(tmp, workspace.rules / "generated.json")
    workspace.wait_for_log("reloaded 2 rules", timeout=20)
    _drop(workspace, "eu.txt", b"EU gas deal\n\nThe European Union agreed on gas prices.\n")
    records = workspace.wait_for_alerts(1, timeout=20)
    assert records[0]["rule"] == "json-gas"
    workspace.stop()
