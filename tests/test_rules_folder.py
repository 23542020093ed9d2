"""What the rules folder holds besides rule files, and how the daemon watches it.

An outside review found that one odd entry in the rules folder took every rule down, or the
daemon with it. Each test names what happened before:

* a symbolic link that loops (ELOOP), leads through a file (ENOTDIR), is too long
  (ENAMETOOLONG) or cannot be followed (EACCES) made the listing raise: `loaded 0 rules`,
  every article archived without an alert. A FIFO or a dangling link was skipped without a
  word, its rules gone;
* a folder nested 1,100 deep crashed `monitor run` at start (the recursive inotify watch
  walks folders recursively), killed the watching thread when made while the daemon ran
  (saved rules no longer reloaded), and `monitor test` on such a folder was a traceback;
* an emptied rule file (`: > x.yaml`, or an editor truncating before it writes) was
  reloaded at once, and its rules vanished silently.

The tests that start the daemon are in tests/e2e/test_rules_folder_daemon.py.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from helpers.rules_folder_shared import Deep, _odd, _save

# Fixtures: pytest finds them here once imported; `x as x` tells ruff they are not unused.
from helpers.rules_folder_shared import _own_cache as _own_cache
from helpers.rules_folder_shared import deep as deep
from helpers.workspace import SEED, Workspace, wait_for

from monitor import engine_cache, rulewatch
from monitor.engine import load_engine
from monitor.rules import loader
from monitor.rules.loader import load_rules
from monitor.rules.model import Rule, RuleSet, SourceRef
from monitor.rulewatch import RulesWatcher, describe_change

# -- 1. odd entries in the rules folder ---------------------------------------------------------


ODD = {
    "looping links": [
        "rules/l1.yaml:1: cannot read rule file: [Errno 40] Too many levels of symbolic links",
        "rules/l2.yaml:1: cannot read rule file: [Errno 40] Too many levels of symbolic links",
    ],
    "a link through a file": ["rules/l1.yaml:1: cannot read rule file: [Errno 20] Not a directory"],
    "a link too long": ["rules/l1.yaml:1: cannot read rule file: [Errno 36] File name too long"],
    "a dangling link": [
        "rules/l1.yaml:1: not a regular file: a symbolic link to `gone.yaml`, "
        "which does not exist; only regular files (or symbolic links to them) "
        "are read"
    ],
    "a FIFO": [
        "rules/l1.yaml:1: not a regular file: a FIFO; only regular files (or symbolic "
        "links to them) are read"
    ],
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ODD)
def test_check_names_each_odd_entry_and_nothing_else(workspace: Workspace, kind: str) -> None:
    """Before: `rules:1: could not load the rules: OSError: [Errno 40] ...` for the links,
    and `OK` with the FIFO's or the dangling link's rules silently missing."""
    _odd(workspace.rules, kind)
    result = workspace.monitor("check")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines() == ODD[kind]  # nothing about nato.yaml: it loads


def test_a_link_that_cannot_be_followed_is_that_files_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EACCES: a link into a folder the daemon's user may not enter (planted, as the tests
    may run as root, whom no permission stops)."""
    (tmp_path / "good.yaml").write_text("id: good\nentities: [NATO]\n", encoding="utf-8")
    (tmp_path / "locked.yaml").symlink_to("/nowhere/x.yaml")
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    result = load_rules(tmp_path, base=tmp_path)
    assert result.problems == (
        "locked.yaml:1: cannot read rule file: [Errno 13] Permission denied",
    )
    assert [rule.id for rule in result.ruleset.rules] == ["good"]


def test_a_folder_that_cannot_be_listed_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its rules vanished without a word (the listing skipped it, as `rglob` does)."""
    (tmp_path / "good.yaml").write_text("id: good\nentities: [NATO]\n", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    result = load_rules(tmp_path, base=tmp_path)
    assert result.problems == (
        "locked:1: cannot read rules folder: [Errno 13] Permission "
        "denied; its rule files are not loaded",
    )
    assert [rule.id for rule in result.ruleset.rules] == ["good"]


def test_the_cache_key_never_raises_nor_fails_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable rule file means no cache (never a cached answer); a bug in hashing
    means a fresh load, not a failed one."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "good.yaml").write_text("id: good\nentities: [NATO]\n", encoding="utf-8")
    assert engine_cache.cache_key(rules, ["log"], tmp_path) is not None
    _odd(rules, "looping links")
    assert engine_cache.cache_key(rules, ["log"], tmp_path) is None

    def broken(*_: object) -> str:
        raise ValueError("planted")

    monkeypatch.setattr(engine_cache, "_read_inputs", broken)
    assert engine_cache.cache_key(rules, ["log"], tmp_path) is None
    engine, problems = load_engine(rules, ["log"], base=tmp_path)
    assert list(engine.rules) == ["good"]
    assert [p.split(":")[0] for p in problems] == ["rules/l1.yaml", "rules/l2.yaml"]


# -- 2. a deep folder tree ----------------------------------------------------------------------


def test_the_watcher_survives_a_failing_poll_and_says_so_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Whatever a poll raises, the thread goes on (`alive()`), logs the reason once, and
    sees a saved rule file once the folder can be read again."""
    (tmp_path / "a.yaml").write_text("id: a\nentities: [NATO]\n", encoding="utf-8")
    watcher = RulesWatcher(tmp_path)
    watcher.start()
    try:
        real = rulewatch._snapshot
        failing = [True]

        def snapshot(folder: Path) -> object:
            if failing[0]:
                raise RecursionError("maximum recursion depth exceeded")
            return real(folder)

        monkeypatch.setattr(rulewatch, "_snapshot", snapshot)
        with caplog.at_level(logging.INFO, logger="monitor.rules"):
            time.sleep(4 * rulewatch.POLL_SECONDS)
            assert watcher.alive()
            failing[0] = False
            _save(tmp_path / "b.yaml", "id: b\nentities: [NATO]\n")
            wait_for(watcher.due)
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1
        assert "RecursionError: maximum recursion depth exceeded" in errors[0]
        assert any("watching the rules folder" in r.getMessage() for r in caplog.records)
        assert watcher.alive()
    finally:
        watcher.stop()
    assert not watcher.alive()


@pytest.mark.timeout(60)
def test_monitor_test_reads_a_deep_folder_and_skips_linked_folders(
    workspace: Workspace, deep: Deep
) -> None:
    """Before: a RecursionError traceback (`Path.rglob`)."""
    articles = workspace.root / "arts"
    articles.mkdir()
    bottom = deep(articles)
    (bottom / "seed.txt").write_bytes(SEED.read_bytes())
    (articles / "up").symlink_to("..")  # followed, it would list the workspace again
    (articles / "loop.txt").symlink_to("loop.txt")
    result = workspace.monitor("test", "--json", "arts")
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0
    (line,) = result.stdout.splitlines()
    assert line.startswith('{"path": "arts/d/d/d/')
    assert '"rule": "nato-south-korea"' in line


# -- 4. an emptied rule file --------------------------------------------------------------------


def test_a_file_created_empty_or_deleted_is_not_held(tmp_path: Path) -> None:
    """Only a file that had rules and lost them all at once is held: a new empty file and
    a deleted file are what they look like."""
    (tmp_path / "a.yaml").write_text("id: a\nentities: [NATO]\n", encoding="utf-8")
    watcher = RulesWatcher(tmp_path)
    watcher.start()
    try:
        hold = rulewatch.EMPTY_GRACE_SECONDS / 2  # well before a hold would end
        (tmp_path / "new.yaml").write_bytes(b"")
        wait_for(watcher.due, timeout=hold)
        (tmp_path / "a.yaml").unlink()
        wait_for(watcher.due, timeout=hold)
    finally:
        watcher.stop()


def test_describe_change_names_the_removed_rules_and_their_files() -> None:
    def ruleset(*ids: tuple[str, str]) -> RuleSet:
        return RuleSet(
            rules=tuple(Rule(id=i, entities=["NATO"]) for i, _ in ids),
            sources={i: SourceRef(f, 1) for i, f in ids},
        )

    old = ruleset(
        ("a", "rules/x.yaml"),
        ("b", "rules/x.yaml"),
        ("c", "rules/y.yaml"),
        ("d", "rules/y.yaml"),
        *((f"r{i}", "rules/z.yaml") for i in range(25)),
    )
    new = ruleset(("c", "rules/y.yaml"), ("e", "rules/y.yaml"))
    assert describe_change(old, new) == [
        "2 rules removed from rules/x.yaml (it now defines none): a, b",
        "1 rule removed from rules/y.yaml: d",
        "25 rules removed from rules/z.yaml (it now defines none): "
        + ", ".join(f"r{i}" for i in range(20))
        + " and 5 more",
    ]
    assert describe_change(new, new) == []
    assert loader.RULE_SUFFIXES == rulewatch.RULE_SUFFIXES
