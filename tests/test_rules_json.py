"""`.json` rule files: read by a JSON parser, with the same FILE:LINE messages as YAML."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from monitor.rules import json_read, loader, yaml_read
from monitor.rules.json_read import position, read_json
from monitor.rules.loader import LoadResult, list_rule_folder, load_rules
from monitor.rules.query import to_text


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


def _outcome(result: LoadResult) -> tuple[Any, ...]:
    ruleset = result.ruleset
    return (
        result.problems,
        result.warnings,
        ruleset.rules,
        ruleset.sources,
        ruleset.entities,
        {rule: to_text(ast) for rule, ast in ruleset.queries.items()},
    )


def _no_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("ruamel read a JSON document")

    monkeypatch.setattr(yaml_read, "YAML", refuse)
    monkeypatch.setattr(loader, "read_roundtrip", refuse)
    monkeypatch.setattr(loader, "read_commented", refuse)


JSON_PROBLEMS = {
    "a bad rule among good ones": '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b",\n  "keywords": {"any": ["x"], "al": ["y"]},\n  "bogus": 1},\n'
    ' {"id": "c", "entities": ["NATO",\n   "Sout Korea"]}\n]}\n',
    "a warning": '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b",\n  "query": "gas and oil"}\n]}',
    "query errors": '{"rules": [\n {"id": "a",\n  "query": "gas AND (oil"},\n'
    ' {"id": "b", "query": "gas AND entity:Sth"},\n {"id": "c", "query": "x", "urgent": 3}\n]}',
    "entity problems": '{"entities": [\n {"name": "Acme"},\n {"name": "acme"},\n'
    ' {"name": "Zed", "aliasses": []}],\n "rules": [\n {"id": "a",\n'
    '  "entities": ["Acme", "Korea"]}]}',
    "single rule": '\ufeff\n{"id": "a",\n "entities": ["NATO"],\n "keyword": {"any": ["x"]}}',
    "top-level shapes": '{"rules": [\n 3,\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b", "bogus": 1}\n],\n "entities": {"name": "x"},\n "bogus": 1}',
    "shapes around good and bad rules": '{"entities": [\n "Acme",\n'
    ' {"name": "Zed", "bogus": 1},\n {"name": "Acme"}],\n "rules": [\n'
    ' {"id": "a", "keywords": {"any": ["x"]}},\n ["b"],\n "c",\n null,\n'
    ' {"id": "d",\n  "query": "x and y"},\n {"id": "e", "entities": ["Acme", "Zed"]}],\n'
    ' "extra": {"a": [1, {"b":\n 2}]},\n "more": 1}',
    "rules that are no list": '{"rules": {"id": "a",\n "entities": ["NATO"]},\n'
    ' "entities": "Acme"}',
    "deep nesting in a rule that is no mapping": '{"rules": [\n'
    ' {"id": "a", "keywords": {"any": ["x"]}},\n' + "[" * 30 + "]" * 30 + '],\n "x": 1}',
    "NaN and Infinity are YAML's strings": '{"rules": [\n {"id": "a", "description": NaN,\n'
    '  "keywords": {"any": ["x"]}},\n {"id": "b", "max_alerts_per_hour": -Infinity,\n'
    '  "keywords": {"any": ["x"]}}]}',
    "numbers": '{"rules": [\n {"id": "a", "max_alerts_per_hour": 1.5, "keywords": {"any": ["x"]}},'
    '\n {"id": "b", "max_alerts_per_hour": 1e3, "keywords": {"any": ["x"]}},'
    '\n {"id": "c", "max_alerts_per_hour": -0, "keywords": {"any": [7, true, null]}}]}',
    "a duplicate key": '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b",\n  "id": "c", "keywords": {"any": ["x"]}}]}',
    "a long number": '{"rules": [\n {"id": "a",\n  "max_alerts_per_hour": ' + "1" * 101 + "}]}",
    "deep nesting": '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b", "description":\n' + "[" * 30 + "]" * 30 + "}]}",
    "deep nesting in a bad rule": '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n'
    ' {"id": "b", "bogus": 1, "description":\n' + "[" * 19 + "]" * 19 + "}]}",
    "line endings": '{"rules": [\r\n {"id": "a", "keywords": {"any": ["x"]}},\r\n\r\n'
    ' {"id": "b",\r  "entities": ["NATO",\r   "Sout Korea"]},\r\n {"id": "c",\r\r'
    '  "bogus": 1}]}\r',
    "strings": '{"rules": [\n {"id": "a", "description": "\\u00e9\\"}{\\\\ \u2028 \u0085",\n'
    '  "keywords": {"any": ["x"]}, "bogus": "\\n"}]}',
    "empty containers": '{"rules": [\n {"id": "a", "keywords": {}, "entities": []},\n'
    ' {"id": "b", "keywords": {"any": []}}, {}\n]}',
}


@pytest.mark.parametrize("text", JSON_PROBLEMS.values(), ids=JSON_PROBLEMS.keys())
def test_json_problems_are_placed_as_ruamel_places_them_without_ruamel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A JSON document's problems and warnings, from the JSON readers alone, are those
    ruamel's tree of the same text gives (read as YAML: JSON is YAML 1.2)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text(text, encoding="utf-8", newline="")
    with monkeypatch.context() as patched:
        patched.setattr(loader._FileLoader, "_load_json", lambda self, json_file: False)
        patched.setattr(loader, "LIBYAML", False)
        expected = _outcome(load_rules(folder, base=tmp_path))
    assert expected[0] or expected[1] or text.startswith('{"rules": [\n {"id": "a", "max')
    _no_ruamel(monkeypatch)
    assert _outcome(load_rules(folder, base=tmp_path)) == expected
    # A `.json` file: the same, but for the file's name and `invalid JSON`.
    (folder / "a.yaml").rename(folder / "a.json")
    result = load_rules(folder, base=tmp_path)
    result = replace(
        result,
        problems=tuple(_as_yaml(p) for p in result.problems),
        warnings=tuple(_as_yaml(w) for w in result.warnings),
        ruleset=replace(
            result.ruleset,
            sources={
                r: replace(s, file=_as_yaml(s.file)) for r, s in result.ruleset.sources.items()
            },
        ),
    )
    assert _outcome(result) == expected


def _as_yaml(text: str) -> str:
    return text.replace("a.json", "a.yaml").replace("invalid JSON", "invalid YAML")


def test_a_problem_found_after_loading_is_placed_without_ruamel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`where` (a keyword the matcher refuses) reads the one rule again, by the JSON reader."""
    text = (
        '{"rules": [\n {"id": "a", "keywords": {"any": ["x"]}},\n {"id": "b",\n'
        '  "keywords": {"any": [\n   "x",\n   "y",\n   "z"]}}]}'
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.json").write_text(text, encoding="utf-8")
    _no_ruamel(monkeypatch)
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert str(result.where("b", ("keywords", "any", 2))) == "rules/a.json:7"
    assert str(result.where("b", ("keywords", "all"))) == "rules/a.json:4"
    assert str(result.where("a", ())) == "rules/a.json:2"


def test_one_bad_rule_reads_only_that_rule_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100,000 rules and one mistake took 51 s and 1.8 GB: ruamel read the whole file again.
    Now only the rule with the mistake (or the warning) is read again, by the JSON reader."""
    rules: list[dict[str, Any]] = [
        {"id": f"r{i}", "keywords": {"any": [f"w{i}"]}} for i in range(3000)
    ]
    rules[1234]["bogus"] = 1
    rules[2345]["query"] = "gas and oil"
    shapes: list[Any] = [3, "x"]  # a wrong shape reads the top level once more, not the rules
    _no_ruamel(monkeypatch)
    reads: list[int] = []
    real = json_read.read_json_commented

    def counted(text: str, at: int = 0, line: int = 1, **limits: int) -> Any:
        reads.append(line)
        return real(text, at, line, **limits)

    monkeypatch.setattr(loader, "read_json_commented", counted)
    for extra in ({}, {"zzz": 1}):
        reads.clear()
        text = json.dumps({"rules": rules + shapes, **extra}, indent=1)
        ids, problems = _load(tmp_path, text)
        assert len(ids) == 2999 and "r1234" not in ids
        line = next(i for i, t in enumerate(text.splitlines(), 1) if '"bogus"' in t)
        assert problems[0] == (
            f"rules/rules.json:{line}: unknown key `bogus`: allowed keys here: id, description, "
            "entities, keywords, query, notify, max_alerts_per_hour, urgent, languages, "
            "prominent, rules"
        )
        assert len(problems) == 3 + len(extra)
        assert len(reads) == 3  # the top level, the rule with the mistake, the one warned of


CONTROLS = "\x01\x7f\x80\x85\x9b\ufffe\uffff"


def test_control_characters_in_json_strings_are_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON allows DEL, C1 controls and U+FFFE raw in a string (YAML only as escapes): they
    mean what the escape means in YAML, and a problem elsewhere in the file costs only its
    own rule (ruamel refused the whole file for the character; a warning lost it)."""
    raw = CONTROLS[1:]
    text = (
        '{"rules": [\n'
        f' {{"id": "a", "description": "d{raw}", "keywords": {{"any": ["x{raw}y"]}}}},\n'
        ' {"id": "b", "keywords": {"any": ["x"]}, "bogus": 1},\n'
        ' {"id": "c", "query": "gas and oil", "keywords": {"any": ["\\u0001"]}}\n]}'
    )
    for name in ("rules.json", "rules.yaml"):
        _no_ruamel(monkeypatch)
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        result = load_rules(folder, base=folder)
        assert [r.id for r in result.ruleset.rules] == ["a", "c"]
        assert result.ruleset.rules[0].keywords.any == [f"x{raw}y"]
        assert result.ruleset.rules[0].description == f"d{raw}"
        assert len(result.problems) == 1 and result.problems[0].startswith(f"{name}:3: unknown")
        assert len(result.warnings) == 1 and result.warnings[0].startswith(f"{name}:4: warning")
    # The same characters as YAML escapes: the same rule.
    escaped = "".join(f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in raw)
    yaml_text = f'id: a\ndescription: "d{escaped}"\nkeywords: {{any: ["x{escaped}y"]}}\n'
    folder = tmp_path / "yaml"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml_text, encoding="utf-8")
    monkeypatch.undo()
    (rule,) = load_rules(folder).ruleset.rules
    assert rule.keywords.any == [f"x{raw}y"] and rule.description == f"d{raw}"


@pytest.mark.parametrize("char", CONTROLS.replace("\x85", ""))  # NEL is a YAML line break
def test_a_character_yaml_refuses_is_named_on_its_line(tmp_path: Path, char: str) -> None:
    """In a block-style YAML file the character is refused with the file, but on its own
    line, saying which and what to write instead (it was `FILE:1:`, cut short)."""
    text = f'rules:\n  - id: a\n    entities: [NATO]\n  - id: b\n    description: "x{char}"\n'
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    result = load_rules(folder, base=tmp_path)
    escape = f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}"
    assert result.problems == (
        f"rules/a.yaml:5: invalid YAML: character U+{ord(char):04X} (column 20) is not allowed "
        f"in a YAML file; write it as the escape `{escape}` inside a double-quoted string, "
        "or delete it",
    )


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_json_lines_count_every_line_end(tmp_path: Path, end: str) -> None:
    """CRLF and old Mac CR-only files: the lines an editor shows (json counts only LF)."""
    text = end.join(
        [
            '{"rules": [',
            ' {"id": "a", "keywords": {"any": ["x"]}},',
            "",
            ' {"id": "b",',
            '  "keywords": {"any": ["y"]}},',
            ' {"id": "c",',
            '  "entities": ["Sout Korea"]}',
            "]}",
        ]
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.json").write_text(text, encoding="utf-8", newline="")
    result = load_rules(folder, base=tmp_path)
    assert [str(result.ruleset.sources[r]) for r in ("a", "b")] == [
        "rules/a.json:2",
        "rules/a.json:4",
    ]
    assert len(result.problems) == 1 and result.problems[0].startswith("rules/a.json:7: unknown")
    assert str(result.where("b", ("keywords", "any", 0))) == "rules/a.json:5"
    broken = text.replace('"b",', '"b",,')
    (folder / "a.json").write_text(broken, encoding="utf-8", newline="")
    assert load_rules(folder, base=tmp_path).problems == (
        "rules/a.json:4: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 13)",
    )
    cut = end.join(['{"rules": [', ' {"id": "a"}', ""])
    (folder / "a.json").write_text(cut, encoding="utf-8", newline="")
    (problem,) = load_rules(folder, base=tmp_path).problems
    assert problem.startswith("rules/a.json:2: invalid JSON:")


def test_a_json_document_that_is_not_a_mapping(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, '\n[{"id": "a"}]')
    assert problems == [
        "rules/rules.json:1: expected a mapping with `rules:` (a list) or a single rule with `id:`"
    ]


def test_read_json_tree_lines_with_cr() -> None:
    tree = read_json('\ufeff{\r "rules": [\r\n  {"id": "a"},\r\r  {"id": "b"}\r ]\r}')
    first, second = tree.root["rules"]
    assert (tree.lines[id(tree.root)], tree.lines[id(first)], tree.lines[id(second)]) == (1, 3, 5)
    assert position("a\rb\r\nc\nd", 7) == (4, 1)
    assert position("a\rb\r\nc\nd", 3) == (2, 2)
