"""What matching saw, counted per pattern, saved in the state, read back as term weights."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from monitor.config import InboxConfig
from monitor.engine import load_engine
from monitor.pipeline import Pipeline
from monitor.sources import FolderSource
from monitor.state import open_store
from monitor.state import sqlite as sqlite_store

RULES = (
    "rules:\n"
    "  - id: chips\n    keywords:\n      all: [policy]\n      any: [semiconductor, chipmaker]\n"
    "  - id: everyday\n    keywords:\n      any: [people, said]\n"
)


def test_counts_add_up_and_halve(tmp_path: Path, monkeypatch: object) -> None:
    store = open_store(tmp_path)
    assert store.term_counts() == (0, {})
    store.add_term_counts({" nato ": 3, " the ": 10, "": 99}, 10)  # '' is the total's row
    store.add_term_counts({" nato ": 1}, 5)
    store.add_term_counts({" nato ": 7}, 0)  # no articles: nothing
    assert store.term_counts() == (15, {" nato ": 4, " the ": 10})
    setattr(sqlite_store, "TERM_COUNTS_HALVED_AT", 20)  # noqa: B010  # restored below
    try:
        store.add_term_counts({" nato ": 2, " rare ": 1}, 10)  # 25 > 20: halve first
    finally:
        setattr(sqlite_store, "TERM_COUNTS_HALVED_AT", 1_000_000)  # noqa: B010
    articles, counts = store.term_counts()
    assert articles == 15 // 2 + 10 and counts == {" nato ": 2 + 2, " the ": 5, " rare ": 1}
    store.close()
    reopened = open_store(tmp_path)
    assert reopened.term_counts()[0] == 17
    reopened.close()


def _pipeline(tmp_path: Path) -> tuple[Pipeline, FolderSource, Path]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(RULES, encoding="utf-8")
    engine, problems = load_engine(rules, [])
    assert problems == []
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = FolderSource(
        InboxConfig(path=inbox, archive=tmp_path / "archive", quarantine=tmp_path / "q")
    )
    return Pipeline(open_store(tmp_path / "state"), engine, {}), source, inbox


def test_the_pipeline_counts_what_articles_contain_and_saves_it(tmp_path: Path) -> None:
    pipeline, source, inbox = _pipeline(tmp_path)
    for i in range(3):
        (inbox / f"{i}.txt").write_text(
            f"Story {i}\n\nPeople said the semiconductor policy changed.\n", encoding="utf-8"
        )
    outcomes = pipeline.process_batch(source, [source.item(p) for p in sorted(inbox.iterdir())])
    assert [o.status for o in outcomes] == ["processed"] * 3
    assert pipeline.store.term_counts() == (0, {})  # not yet: saved now and then
    pipeline.save_term_counts()
    articles, counts = pipeline.store.term_counts()
    assert articles == 3
    assert counts[" semiconductor "] == 3 and counts[" people "] == 3
    assert " chipmaker " not in counts  # only what occurred
    pipeline.save_term_counts()  # nothing new: nothing added
    assert pipeline.store.term_counts()[0] == 3
    # A new engine (a reload): the old engine's counts are saved before counting anew.
    (inbox / "x.txt").write_text("Chipmaker\n\nA chipmaker.\n", encoding="utf-8")
    pipeline.process_batch(source, [source.item(inbox / "x.txt")])
    pipeline.engine, _ = load_engine(tmp_path / "rules", ["other"])
    (inbox / "y.txt").write_text("Policy\n\nPolicy.\n", encoding="utf-8")
    pipeline.process_batch(source, [source.item(inbox / "y.txt")])
    articles, counts = pipeline.store.term_counts()
    assert articles == 4 and counts[" chipmaker "] == 1
    pipeline.save_term_counts()
    assert pipeline.store.term_counts()[0] == 5
    pipeline.store.close()


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", "check", "--config", "config.toml", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_stats_lists_the_costliest_rules_first(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        '[inbox]\npath = "inbox"\n[rules]\npath = "rules"\n[state]\npath = "state"\n'
        '[channels.log]\ntype = "file"\npath = "a.jsonl"\n',
        encoding="utf-8",
    )
    text = _check(tmp_path, "--stats")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("OK: config")
    assert "Matching cost of 2 rules; term weights from word lists alone" in lines[1]
    everyday = next(i for i, line in enumerate(lines) if "everyday" in line)
    chips = next(i for i, line in enumerate(lines) if " chips " in line)
    assert everyday < chips  # the costliest first
    assert "rules/r.yaml:6  everyday  anchored on: people, said" in lines[everyday]
    assert "anchored on: chipmaker, semiconductor" in lines[chips]
    assert "give them a rarer required keyword" in text.stdout
    data = _check(tmp_path, "--stats", "--json", "--top", "1")
    assert data.returncode == 0 and data.stderr.startswith("OK: config")
    stats = json.loads(data.stdout)  # stdout is the JSON object alone
    assert stats["rules"] == 2 and stats["observed_articles"] == 0
    [top] = stats["costliest"]
    assert top["rule"] == "everyday" and top["line"] == 6 and top["anchors"] == ["people", "said"]
    assert 900 < top["candidates_per_1000_articles"] <= 1000
    assert stats["candidates_per_article"] > 0.9
    # The daemon's counts refine the estimate ("people" never seen in 1,000 articles), and
    # the anchors with it: "semiconductor" in 90 % of them files `chips` under "policy".
    store = open_store(tmp_path / "state")
    store.add_term_counts({" semiconductor ": 900}, 1000)
    store.close()
    refined = json.loads(_check(tmp_path, "--stats", "--json").stdout)
    assert refined["observed_articles"] == 1000
    costs = {c["rule"]: c for c in refined["costliest"]}
    assert costs["everyday"]["candidates_per_1000_articles"] < 200
    assert costs["chips"]["anchors"] == ["policy"]


def _workspace(root: Path, rules: str = RULES, channels: str = "") -> None:
    (root / "rules").mkdir()
    (root / "rules" / "r.yaml").write_text(rules, encoding="utf-8")
    (root / "config.toml").write_text(
        '[inbox]\npath = "inbox"\n[rules]\npath = "rules"\n[state]\npath = "state"\n'
        '[channels.log]\ntype = "file"\npath = "a.jsonl"\n' + channels,
        encoding="utf-8",
    )


def test_check_stats_json_keeps_warnings_off_stdout(tmp_path: Path) -> None:
    """A lower-case `or` in a query and an unset ${VAR} are warnings: they go to stderr,
    so stdout is the JSON document alone, parseable."""
    _workspace(
        tmp_path,
        RULES + "  - id: warned\n    query: 'tariff or quota'\n",
        '[channels.hook]\ntype = "webhook"\nurl = "${MONITOR_TEST_UNSET_HOOK}"\n',
    )
    result = _check(tmp_path, "--stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["rules"] == 3
    assert "warning:" in result.stderr and "MONITOR_TEST_UNSET_HOOK" in result.stderr
    assert "OK: config" in result.stderr
    # Problems too: no JSON then, and nothing on stdout a script could mistake for it.
    (tmp_path / "rules" / "bad.yaml").write_text("rules:\n  - id: x\n    keyword: []\n")
    failed = _check(tmp_path, "--stats", "--json")
    assert failed.returncode == 1 and failed.stdout == ""
    assert "bad.yaml:3: unknown key `keyword`" in failed.stderr


def test_check_json_or_top_without_stats_is_a_usage_error(tmp_path: Path) -> None:
    _workspace(tmp_path)
    for option in (["--json"], ["--top", "3"]):
        result = _check(tmp_path, *option)
        assert result.returncode == 2 and result.stdout == ""
        assert f"{option[0]} only goes with --stats" in result.stderr
    assert _check(tmp_path).returncode == 0
