"""The commands of the contract, run as real subprocesses.

`monitor run` is tested in tests/e2e/ (here: tests/e2e/test_cli_daemon.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from helpers.cli_shared import SECRET_CHANNELS
from helpers.workspace import REPO, SEED, Workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import __version__
from monitor.articles import Article
from monitor.dryrun import json_line
from monitor.matching.model import Hit, Match


def test_version(workspace: Workspace) -> None:
    result = workspace.monitor("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_check_valid_config_and_rules(workspace: Workspace) -> None:
    result = workspace.monitor("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rules" in result.stdout


def test_shipped_config_passes_check_with_no_environment() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "check"],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_reports_each_problem_as_file_line(workspace: Workspace) -> None:
    (workspace.rules / "bad.yaml").write_text(
        "rules:\n  - id: a\n    entities: [Nato]\n    notify: [slack]\n"
        "  - id: b\n    keywords:\n      anyy: [x]\n",
        encoding="utf-8",
    )
    result = workspace.monitor("check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "rules/bad.yaml:7: unknown key `anyy`: did you mean `any`?" in lines
    assert any(
        line.startswith("rules/bad.yaml:4: rule `a` notifies unknown channel `slack`")
        for line in lines
    )
    assert len(lines) == 2


def test_test_json_output(workspace: Workspace) -> None:
    articles = workspace.root / "articles"
    (articles / "sub").mkdir(parents=True)
    shutil.copy(SEED, articles / "sub" / "seed.txt")
    (articles / "other.txt").write_text("Weather\n\nSunny in Seoul today.", encoding="utf-8")
    result = workspace.monitor("test", "--json", str(articles))
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["path"] for o in objects] == [
        str(articles / "other.txt"),
        str(articles / "sub" / "seed.txt"),
    ]
    assert objects[0]["matches"] == []
    match = objects[1]["matches"][0]
    assert match["rule"] == "nato-south-korea"
    seed_text = SEED.read_text("utf-8")
    for hit in match["hits"]:
        assert set(hit) == {"term", "text", "field", "start", "end"}
    assert any(h["text"] == "S Korea" and h["field"] == "title" for h in match["hits"])
    assert seed_text  # the hits quote original text, checked in the matching tests
    assert not (workspace.root / "state").exists()  # a dry run changes no state


def test_test_unreadable_file_exits_1(workspace: Workspace) -> None:
    bad = workspace.root / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = workspace.monitor("test", "--json", str(bad), str(SEED))
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["path"] == str(bad) and "line 1" in first["error"]
    assert second["matches"][0]["rule"] == "nato-south-korea"


def test_test_text_and_explain(workspace: Workspace) -> None:
    result = workspace.monitor("test", "--explain", str(SEED))
    assert result.returncode == 0
    assert "nato-south-korea:" in result.stdout
    assert "[S Korea]" in result.stdout


def test_schema_is_json_schema_rejecting_unknown_keys(workspace: Workspace) -> None:
    result = workspace.monitor("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    defs = schema["$defs"]
    assert defs["Rule"]["additionalProperties"] is False
    assert "keywords" in defs["Rule"]["properties"]


def test_outbox_lists_nothing_before_any_run(workspace: Workspace) -> None:
    result = workspace.monitor("outbox")
    assert result.returncode == 0
    assert "empty" in result.stdout


def test_output_cut_short_by_its_reader_ends_quietly(workspace: Workspace) -> None:
    """`monitor test --json many/ | head`: no traceback, no worker left running."""
    from monitor.dryrun import POOL_THRESHOLD

    articles = workspace.root / "many"
    articles.mkdir()
    seed = SEED.read_text("utf-8")
    for i in range(POOL_THRESHOLD * 2):  # far more output than a pipe holds
        (articles / f"a{i:04d}.txt").write_text(f"{seed}\n{i}\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "test", "--json", str(articles)],
        cwd=workspace.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b'{"path"')
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert errors == ""


def test_large_batch_uses_the_pool_and_keeps_input_order(workspace: Workspace) -> None:
    from monitor.dryrun import POOL_THRESHOLD

    articles = workspace.root / "many"
    articles.mkdir()
    seed = SEED.read_text("utf-8")
    count = POOL_THRESHOLD + 50
    for i in range(count):
        text = seed if i % 3 == 0 else f"Weather {i}\n\nSunny in Seoul today."
        (articles / f"a{i:04d}.txt").write_text(text + f"\n{i}\n", encoding="utf-8")
    (articles / "a0007.txt").write_bytes(b"")  # one unreadable file in the middle
    result = workspace.monitor("test", "--json", str(articles))
    assert result.returncode == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["path"] for o in objects] == [str(articles / f"a{i:04d}.txt") for i in range(count)]
    assert "error" in objects[7]
    for i, obj in enumerate(objects):
        if i != 7:
            assert bool(obj["matches"]) == (i % 3 == 0), i


def test_rule_explains_why_and_why_not(workspace: Workspace) -> None:
    nk = workspace.root / "nk.txt"
    nk.write_text(
        "North Korea fires missile\n\nNATO condemned the launch by North Korea.", encoding="utf-8"
    )
    result = workspace.monitor("test", "--rule", "nato-south-korea", str(SEED), str(nk))
    assert result.returncode == 0, result.stderr
    seed_part, nk_part = result.stdout.split(str(nk))
    assert "rule nato-south-korea matches:" in seed_part
    assert "[x] entity South Korea" in seed_part and "[S Korea]" in seed_part
    assert "rule nato-south-korea does not match:" in nk_part
    assert "[x] entity NATO" in nk_part
    assert "[ ] entity South Korea" in nk_part
    assert "[ ] at least one of weapon*, ammunition, military support" in nk_part

    as_json = workspace.monitor("test", "--json", "--rule", "nato-south-korea", str(nk))
    explain = json.loads(as_json.stdout)["explain"]
    assert explain["matched"] is False
    assert [c["ok"] for c in explain["checks"]] == [True, False, False]

    unknown = workspace.monitor("test", "--rule", "nope", str(nk))
    assert unknown.returncode == 2 and "no rule `nope`" in unknown.stderr


def test_rule_explains_exclusions_and_queries(workspace: Workspace) -> None:
    (workspace.rules / "q.yaml").write_text(
        "id: q\nquery: 'Stoltenberg NEAR/3 Seoul'\nkeywords:\n  none: [Japan]\n", encoding="utf-8"
    )
    result = workspace.monitor("test", "--rule", "q", str(SEED))
    assert "rule q does not match:" in result.stdout
    assert "[ ] not Japan" in result.stdout and "[Japan]" in result.stdout
    assert "[x] query Stoltenberg NEAR/3 Seoul" in result.stdout


def test_shipped_schema_file_is_current_and_referenced() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "schema"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    shipped = (REPO / "rules" / "monitor-rules.schema.json").read_text("utf-8")
    assert json.loads(shipped) == json.loads(result.stdout), (
        "run: monitor schema > rules/monitor-rules.schema.json"
    )
    for rule_file in (REPO / "rules").glob("*.yaml"):
        first = rule_file.read_text("utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=./monitor-rules.schema.json", rule_file


def test_schema_validates_the_shipped_rules_and_rejects_typos() -> None:
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads((REPO / "rules" / "monitor-rules.schema.json").read_text("utf-8"))
    for rule_file in (REPO / "rules").glob("*.yaml"):
        jsonschema.validate(YAML(typ="safe").load(rule_file.read_text("utf-8")), schema)
    typo = {"rules": [{"id": "x", "entities": ["NATO"], "keyword": {"any": ["gas"]}}]}
    try:
        jsonschema.validate(typo, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a misspelled key passed the schema")


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    st.text(),
    st.lists(st.tuples(st.text(), st.text(), st.booleans(), st.integers(0, 10**6)), max_size=4),
    st.sampled_from([None, "de", "yue"]),
)
def test_json_line_is_exactly_json_dumps(
    title: str, term: str, raw: list[tuple[str, str, bool, int]], language: str | None
) -> None:
    """`json_line` assembles its JSON by hand for speed; it must equal `json.dumps`."""
    article = Article('some/path\u2028"x".txt', title, "body", language=language)
    hits = tuple(
        Hit(t or term, text, "title" if in_title else "body", start, start + 1)
        for t, text, in_title, start in raw
    )
    matches = [Match("r-1", hits), Match("r\n2", hits[:1])]
    expected: dict[str, object] = {"path": article.path, "title": article.title}
    if article.lang is not None:  # left out when the text does not tell ("body" may not)
        expected["language"] = article.lang
    expected["matches"] = [{"rule": m.rule, "hits": [h.to_dict() for h in m.hits]} for m in matches]
    assert json_line(article, matches) == json.dumps(expected, ensure_ascii=False) + "\n"
    if language is not None:  # declared: shown even for an article that matched nothing
        del expected["matches"]
        expected["matches"] = []
        assert json_line(article, []) == json.dumps(expected, ensure_ascii=False) + "\n"
    else:  # not classified for nothing
        assert "language" not in json.loads(json_line(article, []))


def test_test_on_a_fifo_without_a_writer_does_not_block(workspace: Workspace) -> None:
    """`monitor test f.txt` on a FIFO nobody writes to waited for a writer for good; a pipe
    with its writer (`monitor test <(curl ...)`) must still be read."""
    fifo = workspace.root / "f.txt"
    os.mkfifo(fifo)
    result = workspace.monitor("test", "--json", str(fifo))  # 60 s timeout: would hang
    assert result.returncode == 1
    assert "error" in json.loads(result.stdout)
    shell = subprocess.run(
        ["bash", "-c", f'"$0" -m monitor.cli test <(cat "{SEED}")', sys.executable],
        cwd=workspace.root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0 and "nato-south-korea" in shell.stdout


EVERY_MISTAKE = """\
rules:
  - id: fine
    entities: [NATO]
  - id: nato-south-korea
    entities: [NATO]
  - id: broken
    descripton: typo in a key
    max_alerts_per_hour: 0
    entities: [NATO, Atlantis, South Koera]
    keywords:
      any: ["we*x", gas]
      none: ["***"]
    query: 'gas AND (oil'
    notify: [log, slak, pager]
  - id: second
    entities: [Narnia]
    query: 'entity:Mordor AND gas'
    notify: [slack]
  - id: fine
    keywords:
      any: ["a*b"]
"""


def test_check_reports_every_mistake_of_every_rule_in_one_run(workspace: Workspace) -> None:
    """One run lists them all, each on its own line: not one kind of mistake per run."""
    (workspace.rules / "zz.yaml").write_text(EVERY_MISTAKE, encoding="utf-8")
    result = workspace.monitor("check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    expected = [
        # a rule id already used in another file (nato.yaml), named on the later one
        (r"rules/zz\.yaml:4: duplicate rule id `nato-south-korea` "
         r"\(first defined at rules/nato\.yaml:2\).*"),
        # unknown key and bad value, in one rule
        r"rules/zz\.yaml:7: unknown key `descripton`: did you mean `description`\?",
        r"rules/zz\.yaml:8: `max_alerts_per_hour`: .*",
        # the same rule's query error, unknown entities, refused keywords, unknown channels
        r"rules/zz\.yaml:13: query error at column 9: .*",
        r"rules/zz\.yaml:9: unknown entity `Atlantis`: .*",
        r"rules/zz\.yaml:9: unknown entity `South Koera`: did you mean `South Korea`\?",
        r"rules/zz\.yaml:11: rule 'broken': keyword 'we\*x': .*",
        r"rules/zz\.yaml:12: rule 'broken': keyword '\*\*\*': .*",
        r"rules/zz\.yaml:14: rule `broken` notifies unknown channel `slak`: .*",
        r"rules/zz\.yaml:14: rule `broken` notifies unknown channel `pager`: .*",
        # another rule: an unknown entity in `entities:` and in the query, a channel
        r"rules/zz\.yaml:16: unknown entity `Narnia`: .*",
        r"rules/zz\.yaml:17: query error at column 1: unknown entity `Mordor`: .*",
        r"rules/zz\.yaml:18: rule `second` notifies unknown channel `slack`: .*",
        # a duplicate inside the file, which also has a keyword the matcher refuses
        r"rules/zz\.yaml:19: duplicate rule id `fine` \(first defined at rules/zz\.yaml:2\).*",
        r"rules/zz\.yaml:21: rule 'fine': keyword 'a\*b': .*",
    ]  # fmt: skip
    for pattern in expected:
        assert any(re.fullmatch(pattern, line) for line in lines), (pattern, lines)
    assert len(lines) == len(expected), lines


def test_check_counts_a_broken_rules_id_for_duplicates(workspace: Workspace) -> None:
    """The later rule is the duplicate even when the first one is refused for its own
    mistakes: fixing the first must not turn up a duplicate that was there all along."""
    (workspace.rules / "a.yaml").write_text(
        "id: twice\nentities: [NATO]\nkeywordz: [x]\n", encoding="utf-8"
    )
    (workspace.rules / "b.yaml").write_text("id: twice\nentities: [NATO]\n", encoding="utf-8")
    result = workspace.monitor("check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "rules/a.yaml:3: unknown key `keywordz`: did you mean `keywords`?",
        "rules/b.yaml:1: duplicate rule id `twice` (first defined at rules/a.yaml:1); "
        "rule ids must be unique across all files",
    ]


def test_test_on_a_path_that_does_not_exist_says_so(workspace: Workspace) -> None:
    missing = str(workspace.root / "no" / "such.txt")
    result = workspace.monitor("test", missing)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{missing}: error: no such file or directory"]
    result = workspace.monitor("test", "--json", missing)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"path": missing, "error": "no such file or directory"}


def test_rule_explains_each_term_of_a_query_and_how_near_its_sides_came(
    workspace: Workspace,
) -> None:
    (workspace.rules / "q.yaml").write_text(
        'id: q\nquery: \'"South Korea" NEAR/5 weapon* AND title:(NATO OR Stoltenberg)'
        " AND entity:NATO ONEAR/2 summit'\n",
        encoding="utf-8",
    )
    result = workspace.monitor("test", "--rule", "q", str(SEED))
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "rule q does not match:" in lines
    assert '"South Korea": found' in lines
    thanked = "he thanked [South Korea] for its non-lethal aid to Ukraine, but ..."
    assert any(line.startswith("body: ") and line.endswith(thanked) for line in lines)
    assert "weapon*: found" in lines
    assert "title:NATO: found" in lines and "title:Stoltenberg: not found" in lines
    assert "summit: not found" in lines
    assert '"South Korea" NEAR/5 weapon*: closest: 11 words apart, needs at most 5' in lines
    assert (
        "entity:NATO ONEAR/2 summit: not both sides are found (needs at most 2 words apart)"
        in lines
    )

    as_json = workspace.monitor("test", "--json", "--rule", "q", str(SEED))
    (query,) = json.loads(as_json.stdout)["explain"]["checks"]
    parts = {part["condition"]: part for part in query["parts"]}
    assert parts["weapon*"]["ok"] is True and parts["weapon*"]["hits"]
    assert parts["summit"]["ok"] is False
    assert (
        parts['"South Korea" NEAR/5 weapon*']["note"] == "closest: 11 words apart, needs at most 5"
    )


def test_check_warns_of_lower_case_operators_between_terms(workspace: Workspace) -> None:
    """Operators are upper case: `a and b` searches for the word "and", which is rarely
    meant. A warning, not a problem: check still passes."""
    (workspace.rules / "q.yaml").write_text(
        "rules:\n  - id: q\n    query: 'NATO and \"war and peace\" or Seoul'\n"
        "  - id: q2\n    query: |\n      (NATO OR Seoul) AND\n      weapon* near/3 Korea\n"
        "  - id: fine\n    query: 'title:or AND \"and\" AND NATO'\n",
        encoding="utf-8",
    )
    result = workspace.monitor("check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "rules/q.yaml:3: warning: query column 6: `and` is searched for as a word; "
        'write AND for the operator, or "and" in quotes for the word',
        "rules/q.yaml:3: warning: query column 26: `or` is searched for as a word; "
        'write OR for the operator, or "or" in quotes for the word',
        "rules/q.yaml:7: warning: query column 9: `near/3` is searched for as a word; "
        'write NEAR/3 for the operator, or "near/3" in quotes for the word',
    ]
    assert lines[3].startswith("OK: ") and len(lines) == 4


def test_check_without_the_channels_secrets_warns_and_strict_refuses(
    workspace: Workspace,
) -> None:
    """A rule editor checks rules without root's environment file: unset variables are
    warnings naming the variable and its line (never a value); `--strict` makes them errors."""
    workspace.write_config(extra=SECRET_CHANNELS)
    env = {k: v for k, v in os.environ.items() if k != "SLACK_WEBHOOK_URL"}
    run = [sys.executable, "-m", "monitor.cli", "check"]
    result = subprocess.run(run, cwd=workspace.root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    line = 20  # the `webhook_url` line, after BASE_CONFIG and the table header
    assert (
        f"config.toml:{line}: warning: environment variable SLACK_WEBHOOK_URL is not set"
    ) in result.stdout
    assert result.stdout.splitlines()[-1].startswith("OK:")
    strict = subprocess.run(
        [*run, "--strict"], cwd=workspace.root, env=env, capture_output=True, text=True
    )
    assert strict.returncode == 1
    assert f"config.toml:{line}: environment variable SLACK_WEBHOOK_URL is not set" in strict.stdout
    set_env = {**env, "SLACK_WEBHOOK_URL": "https://hooks.example.org/T/B/s3cr3t"}
    ok = subprocess.run(
        [*run, "--strict"], cwd=workspace.root, env=set_env, capture_output=True, text=True
    )
    assert ok.returncode == 0 and "warning" not in ok.stdout and "s3cr3t" not in ok.stdout
