"""`.json` rule files: read by a JSON parser, with the same FILE:LINE messages as YAML."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from monitor.rules.json_read import read_json
from monitor.rules.loader import list_rule_folder, load_rules


def _load(tmp_path: Path, text: str, name: str = "rules.json") -> tuple[list[str], list[str]]:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    result = load_rules(folder, base=tmp_path)
    return [r.id for r in result.ruleset.rules], list(result.problems)


def test_a_generated_json_file_loads_and_knows_each_rules_line(tmp_path: Path) -> None:
    rules = [{"id": f"r{i}", "keywords": {"any": [f"word{i}", "{not a brace}"]}} for i in range(5)]
    text = json.dumps({"rules": rules}, indent=2)
    ids, problems = _load(tmp_path, text)
    assert ids == [f"r{i}" for i in range(5)] and problems == []
    result = load_rules(tmp_path / "rules", base=tmp_path)
    lines = text.splitlines()
    for i in range(5):
        line = result.ruleset.sources[f"r{i}"].line
        assert lines[line - 1].strip() == "{" and f'"r{i}"' in lines[line]


def test_lines_survive_braces_quotes_and_escapes_inside_strings(tmp_path: Path) -> None:
    text = (
        '{"rules": [\n'
        '  {"id": "a", "description": "a \\"}{\\" brace \\\\", "keywords": {"any": ["x"]}},\n'
        '  {"id": "b", "description": "}}}", "keywords": {"any": ["y"]}},\n'
        '  {"id": "c", "keywords": {"any": ["z"]}, "bogus": true}\n'
        "]}\n"
    )
    ids, problems = _load(tmp_path, text)
    assert ids == ["a", "b"]
    assert len(problems) == 1
    assert problems[0].startswith("rules/rules.json:4: unknown key `bogus`")


def test_a_single_rule_file_and_a_bom(tmp_path: Path) -> None:
    ids, problems = _load(tmp_path, '\ufeff{"id": "solo", "entities": ["NATO"]}')
    assert ids == ["solo"] and problems == []


def test_syntax_errors_name_line_and_column(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, '{"rules": [\n  {"id": "a",, "keywords": {}}\n]}')
    assert problems == [
        "rules/rules.json:2: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 14)"
    ]
    _, cut = _load(tmp_path, '{"rules": [\n {"id": "a"}\n')
    assert len(cut) == 1 and cut[0].startswith("rules/rules.json:2: invalid JSON:")


def test_what_json_reads_differently_goes_to_the_yaml_reader(tmp_path: Path) -> None:
    _, duplicate = _load(tmp_path, '{"rules": [\n {"id": "a", "id": "b"}\n]}')
    assert len(duplicate) == 1 and "rules/rules.json:2: invalid JSON: " in duplicate[0]
    assert "duplicate key" in duplicate[0]
    _, nan = _load(tmp_path, '{"id": "a", "max_alerts_per_hour": NaN}')
    assert len(nan) == 1 and nan[0].startswith("rules/rules.json:1:")
    _, huge = _load(tmp_path, '{"id": "a", "max_alerts_per_hour": ' + "9" * 5000 + "}")
    assert len(huge) == 1 and huge[0].startswith("rules/rules.json:1:")


def test_deep_nesting_is_refused_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    _, problems = _load(tmp_path, '{"rules": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert len(problems) == 1 and problems[0].startswith("rules/rules.json:1:")
    assert time.monotonic() - started < 5


def test_json_beside_yaml_and_listed_as_rule_files(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: from-yaml\nentities: [NATO]\n", encoding="utf-8")
    (folder / "b.json").write_text('{"id": "from-json", "entities": ["NATO"]}', encoding="utf-8")
    (folder / "c.JSON").write_text('{"id": "upper", "entities": ["NATO"]}', encoding="utf-8")
    (folder / "notes.txt").write_text("{}", encoding="utf-8")
    (folder / "monitor-rules.schema.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in list_rule_folder(folder).files] == ["a.yaml", "b.json", "c.JSON"]
    assert {r.id for r in load_rules(folder).ruleset.rules} == {"from-yaml", "from-json", "upper"}


def test_read_json_tree_lines() -> None:
    tree = read_json('{\n "rules": [\n  {"id": "a"},\n\n  {"id": "b"}\n ]\n}')
    first, second = tree.root["rules"]
    assert (tree.lines[id(tree.root)], tree.lines[id(first)], tree.lines[id(second)]) == (1, 3, 5)


def test_a_json_document_named_yaml_takes_the_json_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flow-style YAML that is JSON loads without ruamel, its problems still as YAML's."""
    import monitor.rules.loader as loader

    def no_ruamel(text: str) -> None:
        raise AssertionError("ruamel read a valid JSON document")

    rules = [{"id": f"r{i}", "keywords": {"any": [f"w{i}"]}} for i in range(3)]
    text = json.dumps({"rules": rules}, indent=1)
    with monkeypatch.context() as patched:
        patched.setattr(loader, "read_roundtrip", no_ruamel)
        ids, problems = _load(tmp_path, text, "flow.yaml")
    assert ids == ["r0", "r1", "r2"] and problems == []
    # Not JSON (unquoted keys, a comment): read as YAML, with the same answer.
    yaml_flow = "# generated\n{rules: [{id: a, keywords: {any: [x]}}]}\n"
    ids, problems = _load(tmp_path, yaml_flow, "flow.yaml")
    assert "a" in ids and problems == []
    bad = '{"rules": [\n {"id": "b",\n  "keywords": {"any": ["x"]}, "bogus": 1}\n]}\n'
    _, problems = _load(tmp_path, bad, "flow.yaml")
    assert len(problems) == 1 and problems[0].startswith("rules/flow.yaml:3: unknown key `bogus`")
    dup = '{"rules": [{"id": "c", "id": "d", "keywords": {"any": ["x"]}}]}'
    _, problems = _load(tmp_path, dup, "flow.yaml")
    assert any("flow.yaml:1:" in p and "duplicate" in p.lower() for p in problems)


def test_an_unclosed_string_of_escaped_quotes_fails_at_once(tmp_path: Path) -> None:
    """It took 33 s for 120 KB (the line scan ran before the parser), freezing the daemon."""
    text = '{"rules": [{"id": "a", "description": "' + '\\"' * 60_000
    started = time.perf_counter()
    _, problems = _load(tmp_path, text)
    assert time.perf_counter() - started < 5
    assert len(problems) == 1 and "invalid JSON: Unterminated string" in problems[0]


LONE = "half of a UTF-16 surrogate pair without the other half"


def test_a_lone_surrogate_refuses_its_rule_only(tmp_path: Path) -> None:
    """`"\\ud800"` passed `monitor check`, then every article the rule matched failed to be
    recorded (UTF-8 cannot encode it), and the other rules' alerts for it with them."""
    text = (
        '{"rules": [\n'
        '  {"id": "desc", "description": "a \\ud800", "keywords": {"any": ["nato"]}},\n'
        '  {"id": "kw", "keywords": {"any": ["nato", "x\\udc00"]}},\n'
        '  {"id": "q", "query": "nato AND \\"a\\udbff\\""},\n'
        '  {"id": "ok", "description": "\\ud83d\\ude00", "keywords": {"any": ["nato"]}}\n'
        "]}\n"
    )
    ids, problems = _load(tmp_path, text)
    assert ids == ["ok"]
    assert [p.split(": holds")[0] for p in problems] == [
        "rules/rules.json:2: `description`",
        "rules/rules.json:3: `keywords.any.1`",
        "rules/rules.json:4: `query`",
    ]
    assert all(LONE in p for p in problems)
    assert "`\\udc00`" in problems[1]


def test_a_lone_surrogate_in_yaml_and_a_pair_joined(tmp_path: Path) -> None:
    """YAML's reader leaves both halves of an escaped pair apart: they are joined."""
    text = (
        "entities:\n"
        '  - name: "Acme\\ud800"\n'
        '    aliases: ["fine", "b\\U0000dfff"]\n'
        "rules:\n"
        "  - id: pair\n"
        '    description: "smile \\ud83d\\ude00"\n'
        "    keywords:\n"
        '      any: ["nato \\ud83d\\ude00"]\n'
        "  - id: named\n"
        '    entities: ["NATO", "x\\ud800"]\n'
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(text, encoding="utf-8")
    result = load_rules(folder, base=tmp_path)
    assert [(r.id, r.description) for r in result.ruleset.rules] == [("pair", "smile \U0001f600")]
    assert result.ruleset.rules[0].keywords.any == ["nato \U0001f600"]
    where = [p.split(": holds")[0] for p in result.problems if LONE in p]
    assert where == [
        "rules/r.yaml:2: `entities.name`",
        "rules/r.yaml:3: `entities.aliases.1`",
        "rules/r.yaml:10: `entities.1`",
    ]
