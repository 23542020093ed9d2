"""What matching saw, counted per pattern, saved in the state, read back as term weights."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import InboxConfig
from monitor.engine import load_engine
from monitor.pipeline import Pipeline
from monitor.sources import FolderSource
from monitor.state import TermCounts, open_store
from monitor.state import sql as sql_store

RULES = (
    "rules:\n"
    "  - id: chips\n    keywords:\n      all: [policy]\n      any: [semiconductor, chipmaker]\n"
    "  - id: everyday\n    keywords:\n      any: [people, said]\n"
)


def test_counts_add_up_and_halve(tmp_path: Path, monkeypatch: object) -> None:
    store = open_store(tmp_path)
    assert store.term_counts() == TermCounts()
    store.add_term_counts({" nato ": 3, " the ": 10, "": 99}, 10)  # '' is the total's row
    assert not store.add_term_counts({" nato ": 1}, 5, [" nato ", " never "])
    store.add_term_counts({" nato ": 7}, 0)  # no articles: nothing
    all_15 = {" nato ": 15, " the ": 15, " never ": 5}  # " never ": given at 10, seen in none
    assert store.term_counts() == TermCounts(
        15, {" nato ": 4, " the ": 10, " never ": 0}, 0, all_15
    )
    setattr(sql_store, "TERM_COUNTS_HALVED_AT", 20)  # noqa: B010  # restored below
    try:
        halved = store.add_term_counts({" nato ": 2, " rare ": 1}, 10)  # 25 > 20: halve first
    finally:
        setattr(sql_store, "TERM_COUNTS_HALVED_AT", 1_000_000)  # noqa: B010
    # Halved: 15 -> 7 articles; " never " (seen in none) is gone, to be given again; " rare "
    # is counted from the 7 articles before this batch on: in 10.
    assert halved
    assert store.term_counts() == TermCounts(
        15 // 2 + 10,
        {" nato ": 2 + 2, " the ": 5, " rare ": 1},
        0,
        {" nato ": 17, " the ": 17, " rare ": 10},
    )
    store.close()
    reopened = open_store(tmp_path)
    assert reopened.term_counts().articles == 17
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
    assert pipeline.store.term_counts() == TermCounts()  # not yet: saved now and then
    pipeline.save_term_counts()
    saved = pipeline.store.term_counts()
    assert saved.articles == 3
    assert saved.counts[" semiconductor "] == 3 and saved.counts[" people "] == 3
    # Every pattern of the rules was looked for: one that never occurred is known as such.
    assert saved.counts[" chipmaker "] == 0 and saved.counted[" chipmaker "] == 3
    pipeline.save_term_counts()  # nothing new: nothing added
    assert pipeline.store.term_counts().articles == 3
    # A new engine (a reload): the old engine's counts are saved before counting anew.
    # Articles no rule matches count too (shares are per article scanned): x.txt, z.txt.
    (inbox / "x.txt").write_text("Chipmaker\n\nA chipmaker.\n", encoding="utf-8")
    (inbox / "z.txt").write_text("Weather\n\nRain later.\n", encoding="utf-8")
    outcomes = pipeline.process_batch(source, [source.item(inbox / n) for n in ("x.txt", "z.txt")])
    assert [(o.status, o.rules) for o in outcomes] == [("processed", ())] * 2  # unmatched
    pipeline.engine, _ = load_engine(tmp_path / "rules", ["other"])
    (inbox / "y.txt").write_text("Policy\n\nPolicy.\n", encoding="utf-8")
    pipeline.process_batch(source, [source.item(inbox / "y.txt")])
    saved = pipeline.store.term_counts()
    assert saved.articles == 5 and saved.counts[" chipmaker "] == 1
    pipeline.save_term_counts()
    assert pipeline.store.term_counts().articles == 6
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
    # The daemon's counts refine the estimate ("people" never seen in 2,000 articles), and
    # the anchors with it: "semiconductor" in 90 % of them files `chips` under "policy".
    # (2,000: from 1,024 articles on the counts change the compiled-rules cache key; under
    # that, a load slow enough to be cached would answer from the set compiled without them.)
    store = open_store(tmp_path / "state")
    looked_for = [" policy ", " semiconductor ", " chipmaker ", " people ", " said "]
    store.add_term_counts({" semiconductor ": 1800}, 2000, looked_for)
    store.close()
    refined = json.loads(_check(tmp_path, "--stats", "--json").stdout)
    assert refined["observed_articles"] == 2000
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


def _sql(state: Path, statement: str, params: tuple[object, ...] = ()) -> None:
    """Write to the state database behind the store's back, as a hand or a bad copy would."""
    with contextlib.closing(sqlite3.connect(state / "monitor.db")) as db, db:
        db.execute(statement, params)


def test_rows_that_are_not_counts_are_left_out_and_never_cost_the_rules(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite keeps whatever a row is given: text, a fraction, a negative count or one above
    the articles counted (by hand, a bad copy). Such a row is left out, said once; the rules
    all load (a text count raised TypeError in compile: no rules at all)."""
    from monitor.reload import observed

    pipeline, _, _ = _pipeline(tmp_path)
    store = pipeline.store
    store.add_term_counts(
        {" policy ": 5, " people ": 6, " said ": 7, " chipmaker ": 8, " semiconductor ": 9}, 10
    )
    bad = [("lots", " policy "), (1.5, " people "), (-3, " said "), (11, " chipmaker ")]
    for value, pattern in bad:
        _sql(
            tmp_path / "state",
            "UPDATE term_counts SET articles = ? WHERE pattern = ?",
            (value, pattern),
        )
    _sql(
        tmp_path / "state", "INSERT INTO term_counts VALUES (x'00ff', 1, 0)"
    )  # a blob for a pattern
    assert store.term_counts() == TermCounts(10, {" semiconductor ": 9}, 5, {" semiconductor ": 10})
    with caplog.at_level(logging.WARNING):
        seen = observed(store)
    assert seen is not None and seen.articles == 10 and dict(seen.counts) == {" semiconductor ": 9}
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("5 rows of the state's term_counts table left out")
    engine, problems = load_engine(tmp_path / "rules", [], observed=seen)
    assert problems == [] and engine is not None and len(engine.ruleset.rules) == 2
    # The daemon's next save adds to them as usual, a bad total included.
    _sql(tmp_path / "state", "UPDATE term_counts SET articles = 'many' WHERE pattern = ''")
    assert store.term_counts() == TermCounts(skipped=7)  # no total: no row is usable
    store.add_term_counts({" semiconductor ": 1}, 2)
    assert store.term_counts().articles == 2
    store.close()


def test_check_stats_notes_rows_left_out(tmp_path: Path) -> None:
    _workspace(tmp_path)
    store = open_store(tmp_path / "state")
    store.add_term_counts({" people ": 5}, 10)
    _sql(tmp_path / "state", "UPDATE term_counts SET articles = 'x' WHERE pattern = ' people '")
    store.close()
    result = _check(tmp_path, "--stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["observed_articles"] == 10
    [note] = stats["notes"]
    assert note.startswith("1 row of the state's term_counts table left out")


def test_check_stats_text_is_short_and_json_is_safe(tmp_path: Path) -> None:
    """A 12-word any-list shows five anchors and how many more; a rule that costs almost
    nothing shows `<0.1`, not 0.0; a bidi control in a file name is escaped in the JSON."""
    words = ", ".join(f"zorblax{i}" for i in range(12))
    _workspace(tmp_path, f"rules:\n  - id: many\n    keywords:\n      any: [{words}]\n")
    (tmp_path / "rules" / "x\u202ey.yaml").write_text(
        "rules:\n  - id: tiny\n    keywords:\n      all: [zorblaxian, quuxcorpish]\n",
        encoding="utf-8",
    )
    text = _check(tmp_path, "--stats")
    assert text.returncode == 0, text.stderr
    [many] = [line for line in text.stdout.splitlines() if "  many  " in line]
    assert many.endswith(
        "anchored on: zorblax0, zorblax1, zorblax10, zorblax11, zorblax2, ... and 7 more"
    )
    [tiny] = [line for line in text.stdout.splitlines() if "  tiny  " in line]
    assert tiny.split()[0] == "<0.1"
    data = _check(tmp_path, "--stats", "--json")
    assert "\u202e" not in data.stdout and "\\u202e" in data.stdout
    costs = {c["rule"]: c for c in json.loads(data.stdout)["costliest"]}
    assert costs["tiny"]["file"] == "rules/x\u202ey.yaml"
    assert len(costs["many"]["anchors"]) == 12  # the JSON has them all


def test_check_stats_says_when_the_counts_cannot_be_read(tmp_path: Path) -> None:
    _workspace(tmp_path)
    (tmp_path / "state" / "monitor.db").mkdir(parents=True)  # a folder where the file goes
    text = _check(tmp_path, "--stats")
    assert text.returncode == 0, text.stderr
    assert "note: the term counts could not be read, so word lists alone:" in text.stdout
    assert "could not be used (see the note)" in text.stdout
    assert "no articles yet" not in text.stdout
    data = _check(tmp_path, "--stats", "--json")
    [note] = json.loads(data.stdout)["notes"]
    assert note.startswith("the term counts could not be read") and "is a folder" in note
