"""Rule files: both layouts, strict validation, FILE:LINE messages, entity resolution."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from monitor.rules import loader, yaml_read
from monitor.rules.loader import LoadResult, load_rules
from monitor.rules.query import to_text

REPO = Path(__file__).resolve().parent.parent


def _rules(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_shipped_rules_load_without_problems() -> None:
    result = load_rules(REPO / "rules")
    assert result.problems == ()
    assert "nato-south-korea" in {r.id for r in result.ruleset.rules}


def test_list_and_single_rule_layouts(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": "rules:\n  - id: one\n    keywords: {any: [gas]}\n",
            "b.yml": "id: two\nentities: [NATO]\n",
        },
    )
    result = load_rules(folder)
    assert result.problems == ()
    assert [r.id for r in result.ruleset.rules] == ["one", "two"]
    assert result.ruleset.entities["NATO"].name == "NATO"
    assert str(result.ruleset.sources["one"]).endswith("a.yaml:2")


def test_misspelled_key_suggests_the_right_one(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"r.yaml": "rules:\n  - id: x\n    keyword:\n      any: [gas]\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems[0] == "r.yaml:3: unknown key `keyword`: did you mean `keywords`?"
    assert result.ruleset.rules == ()


def test_unknown_key_hint_lists_each_key_once(tmp_path: Path) -> None:
    """A single-rule file's keys are a rule's and a file's: `entities` is both."""
    folder = _rules(tmp_path, **{"a.yaml": "id: a\nentities: [NATO]\nzzz: 1\n"})
    (problem,) = load_rules(folder, base=tmp_path).problems
    prefix = "a.yaml:3: unknown key `zzz`: allowed keys here: "
    assert problem.startswith(prefix)
    keys = problem.removeprefix(prefix).split(", ")
    assert len(keys) == len(set(keys))
    assert {"id", "entities", "keywords", "query", "rules"} <= set(keys)


def test_unknown_entity_suggests_nearest(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{"r.yaml": "rules:\n  - id: x\n    entities:\n      - NATO\n      - Sout Korea\n"},
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "r.yaml:5: unknown entity `Sout Korea`: did you mean `South Korea`?",
    )


def test_one_broken_rule_keeps_the_others(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "r.yaml": "rules:\n  - id: good\n    keywords: {any: [gas]}\n"
            "  - id: bad id\n    keywords: {any: [oil]}\n",
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert [r.id for r in result.ruleset.rules] == ["good"]
    assert result.problems[0].startswith("r.yaml:4: rule `id` may only hold ASCII letters")


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"r.yaml": "rules:\n  - id: x\n    keywords: [any: \n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems and result.problems[0].startswith("r.yaml:")
    assert "invalid YAML" in result.problems[0]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path, **{"a.yaml": "id: x\nentities: [NATO]\n", "b.yaml": "id: x\nentities: [EU]\n"}
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "b.yaml:1: duplicate rule id `x` (first defined at a.yaml:1); "
        "rule ids must be unique across all files",
    )


def test_rule_needs_a_positive_condition(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nkeywords:\n  none: [sport]\n"})
    result = load_rules(folder, base=tmp_path)
    assert "a rule needs something to look for" in result.problems[0]


def test_query_is_parsed_and_its_entities_resolved(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": (
                "id: x\nentities: [NATO]\nquery: 'entity:nato NEAR/3 entity:\"s korea\" weapon*'\n"
            )
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert to_text(result.ruleset.queries["x"]) == (
        'entity:nato NEAR/3 entity:"s korea" AND weapon*'
    )
    assert result.ruleset.entities["nato"].name == "NATO"
    assert result.ruleset.entities["s korea"].name == "South Korea"


def test_query_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": (
                "rules:\n  - id: good\n    query: gas\n"
                "  - id: x\n    entities: [NATO]\n    query: '\"South Korea\" AND (ammo OR'\n"
            )
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:6: query error at column 27: expected a term or '(' after OR",
    )
    assert [r.id for r in result.ruleset.rules] == ["good"]


def test_query_error_in_a_literal_block_points_at_its_own_line(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path, **{"a.yaml": ('id: x\nquery: |\n  "South Korea"\n  AND weapons NEAR/500 tanks\n')}
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:4: query error at column 13: NEAR distance is at most 100 words (got 500); "
        "for a looser link use AND",
    )


def test_query_error_in_a_folded_block_is_on_the_line_below_the_indicator(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nquery: >\n  a AND\n  we*\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:3: query error at column 7: a wildcard needs at least 3 letters before `*`: "
        "`we*` would match too many words",
    )


def test_unknown_entity_in_a_query_suggests_nearest(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{"a.yaml": ('rules:\n  - id: x\n    query: entity:NATO NEAR/10 entity:"Sout Korea"\n')},
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:3: query error at column 21: unknown entity `Sout Korea`: "
        "did you mean `South Korea`?",
    )
    assert result.ruleset.rules == ()


def test_query_that_only_excludes_is_refused(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nquery: sport OR NOT tennis\n"})
    result = load_rules(folder, base=tmp_path)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "a.yaml:2: query error at column 10: an OR branch that only excludes"
    )


def test_user_entities_resolve_by_alias(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": (
                "entities:\n  - name: Jens Stoltenberg\n    aliases: [Stoltenberg]\n"
                "rules:\n  - id: x\n    entities: [stoltenberg]\n"
            )
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert result.ruleset.entities["stoltenberg"].name == "Jens Stoltenberg"


def test_an_alias_ending_in_a_star_is_refused_not_cut(tmp_path: Path) -> None:
    """`윤석열*` loaded as `윤석열`: it looked like a wildcard and matched no `윤석열이`."""
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": (
                'entities:\n  - name: Yoon\n    aliases: ["윤석열*"]\n'
                '  - name: ETrade\n    aliases: ["E*Trade"]\n'
                "rules:\n  - id: x\n    entities: [ETrade]\n"
            )
        },
    )
    result = load_rules(folder, base=tmp_path)
    [problem] = result.problems
    assert problem.startswith("a.yaml:3: `entities.aliases.0`: `윤석열*`: a `*` is no wildcard")
    assert "any: [Путин*]" in problem and [r.id for r in result.ruleset.rules] == ["x"]


def test_unknown_notify_channel(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [NATO]\nnotify: [slak]\n"})
    result = load_rules(folder, base=tmp_path, channels=["slack", "log"])
    assert result.problems == (
        "a.yaml:3: rule `x` notifies unknown channel `slak`: did you mean `slack`?",
    )
    assert result.ruleset.rules == ()


def test_ambiguous_entity_asks_which_one(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [Korea]\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:2: ambiguous entity `Korea`: it could mean "
        "`North Korea` or `South Korea`; name one",
    )


# Rule files are read with libyaml when the result is sure to be ruamel's, and with ruamel
# otherwise. The tests below pin the YAML 1.2 meaning (ruamel's) of the YAML 1.1 traps, and
# check that both ways give the same rules, lines and problems for awkward files.


def test_yaml_1_1_booleans_stay_words(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nkeywords: {any: [yes, no, on, off, y, N]}\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert result.ruleset.rules[0].keywords.any == ["yes", "no", "on", "off", "y", "N"]


def test_numbers_are_read_as_yaml_1_2(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": "rules:\n  - id: a\n    entities: [NATO]\n    max_alerts_per_hour: 0o17\n"
            "  - id: b\n    entities: [NATO]\n    max_alerts_per_hour: 010\n"
            "  - id: c\n    entities: [NATO]\n    max_alerts_per_hour: 1:30\n"
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert {r.id: r.max_alerts_per_hour for r in result.ruleset.rules} == {"a": 15, "b": 10}
    assert result.problems == (
        "a.yaml:10: `max_alerts_per_hour`: Input should be a valid "
        "integer, unable to parse string as an integer",
    )


def test_duplicate_key_is_an_error_on_its_line(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [NATO]\nid: y\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        'a.yaml:3: invalid YAML: found duplicate key "id" with value "y" (original value: "x")',
    )


def test_a_yaml_1_1_directive_is_honoured(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "%YAML 1.1\n---\nid: x\nkeywords: {any: [yes]}\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ("a.yaml:4: `keywords.any.0`: Input should be a valid string",)


def test_plain_files_are_not_read_by_ruamel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast way must stay the one taken for ordinary files: ruamel takes minutes."""

    def refuse() -> None:
        raise AssertionError("ruamel should not read a file without problems")

    monkeypatch.setattr(yaml_read, "YAML", lambda **_: refuse())
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": "# watch list\nentities:\n  - name: Acme Corp\n    aliases: [Acme]\n"
            "rules:\n  - id: one\n    description: |\n      Gas, with NATO.\n"
            "    entities: [acme, NATO]\n    keywords:\n      any: [\"gas\", 'oil']\n"
            "    query: >-\n      gas AND\n      pipe*\n    max_alerts_per_hour: 5\n"
            "    notify: ~\n  - {id: two, keywords: {all: [wheat, 2024 harvest]}}\n",
            "b.yml": "id: three\nentities: [South Korea]\n",
        },
    )
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert {r.id: str(result.ruleset.sources[r.id]) for r in result.ruleset.rules} == {
        "one": "a.yaml:6",
        "two": "a.yaml:17",
        "three": "b.yml:1",
    }
    assert result.ruleset.rules[1].keywords.all == ["wheat", "2024 harvest"]


def test_files_with_problems_are_not_read_by_ruamel_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A problem in a file libyaml read is placed from libyaml's events: ruamel's own reader
    takes minutes for 100,000 rules with one typo."""
    folder = _rules(tmp_path, **{"a.yaml": PROBLEMS})
    expected = _outcome(load_rules(folder, base=tmp_path))  # the fast way, then libyaml's tree
    monkeypatch.setattr(loader, "LIBYAML", False)
    assert _outcome(load_rules(folder, base=tmp_path)) == expected  # ruamel alone: the same
    monkeypatch.setattr(loader, "LIBYAML", True)

    def refuse() -> None:
        raise AssertionError("ruamel should not read a file libyaml read")

    monkeypatch.setattr(yaml_read, "YAML", lambda **_: refuse())
    assert _outcome(load_rules(folder, base=tmp_path)) == expected
    assert len(expected[0]) == 7


PROBLEMS = """\
entities:
  - name: Acme
    aliasses: [ACME]
rules:
  - id: a
    keyword: {any: [gas]}
  - id: b
    query: |
      gas AND
      (oil
  - id: c
    query: >
      gas AND
      entity:Sth
  - id: d
    entities:
      - NATO
      - Sout Korea
  - {id: e, keywords: {any: [gas], all: 5}}
  - id: f
    query: 'gas NEAR/500 oil'
  - id: g
    description: fine
    entities: [NATO]
"""


TRAPS = {
    "booleans": "id: x\nkeywords: {any: [gas, true]}\n",
    "floats": "id: x\nkeywords: {any: [gas, 1e3]}\n",
    "dates": "id: x\ndescription: 2024-01-01\nkeywords: {any: [gas]}\n",
    "nulls": "id: x\nentities: [NATO]\nnotify: ~\nquery: null\n",
    "integers": "id: x\nentities: [NATO]\nmax_alerts_per_hour: 0x1F\n",
    "tags": "id: x\nkeywords: {any: [!!str 5, ! 6, !!int '7']}\n",
    "anchors and merge": "rules:\n  - &base\n    id: a\n    keywords: {any: [gas]}\n"
    "  - <<: *base\n    id: b\n  - id: c\n    keywords: {any: [*base]}\n",
    "two documents": "id: a\nentities: [NATO]\n---\nid: b\nentities: [NATO]\n",
    "empty first document": "---\n...\n---\nid: b\nentities: [NATO]\n",
    "keys": 'rules:\n  - id: a\n    ~: 1\n    5: 2\n    ? [x]\n    : 3\n    "any": 4\n',
    "json-like keys": 'entities: ["name":Acme]\nrules:\n  - {"id":a, "entities":[acme]}\n',
    "tabs": "rules:\n  - id: a\n    keywords:\t{any: [gas]}\n  - id: b\n    entities: [NATO]\n",
    "unicode line breaks": "rules:\n  - id: a\n    keywords: {any: ['a\u2028b', \"c\x85d\"]}\n"
    "  - id: b\n    entities: [NATO, Sout Korea]\n",
    "byte order marks": "\ufeffrules:\n  - id: a\n    entities: [NATO]\n\ufeff  - id: b\n",
    "block scalar headers": "rules:\n  - id: a\n    query: |2# c\n      gas\n"
    "  - id: b\n    query: >+ # keep\n\n      oil\n"
    "  - id: c\n    query: |-\n      wheat AND\n      Sout*\n",
    "line endings": "rules:\r\n  - id: a\r\n    entities: [NATO]\r\n\r\n  -\r\n    id: b\r"
    "    entities:\r      - Sout Korea\r",
    "flow layouts": "rules: [{id: a, entities: [NATO]},\n  {id: b,\n   entities: [Sout Korea]}]\n",
    "entity problems": "entities:\n  - name: Acme\n  - {name: acme}\nrules:\n  - id: a\n"
    "    entities: [Acme, Korea]\n    query: entity:acme AND entity:Sth\n",
    # Refused by whichever reader meets them first, on the same line (tests/test_rules_hostile.py).
    "an anchor without alias": "rules:\n  - id: a\n    keywords: {any: [&g gas]}\n",
    "deep nesting": "rules:\n  - id: a\n    keywords: {any: [gas]}\n  - "
    + "[" * 30
    + "]" * 30
    + "\n",
    "a long number": "id: x\nentities: [NATO]\nmax_alerts_per_hour: " + "1" * 101 + "\n",
    "a document that is no mapping": "- id: a\n  entities: [NATO]\n",
}


@pytest.mark.parametrize("text", TRAPS.values(), ids=TRAPS.keys())
def test_libyaml_and_ruamel_give_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    folder = _rules(tmp_path, **{"a.yaml": text})
    fast = load_rules(folder, base=tmp_path)
    monkeypatch.setattr(loader, "LIBYAML", False)
    assert _outcome(load_rules(folder, base=tmp_path)) == _outcome(fast)


def _outcome(result: LoadResult) -> tuple[Any, ...]:
    ruleset = result.ruleset
    return (
        result.problems,
        ruleset.rules,
        ruleset.sources,
        ruleset.entities,
        {rule: to_text(ast) for rule, ast in ruleset.queries.items()},
    )


SAMPLE = """\
entities:
  - name: Acme
    aliases: ['A c', "B\\u00e9"]
rules:
  - id: a
    keywords:
      any: [gas, oil]
  - {id: b, entities: [acme]}
  -
    id: c
    description: |
      text here
    query: >-
      x AND
      y
"""
TOKENS = [
    "\n",
    "  ",
    " ",
    "- ",
    "-",
    "id: ",
    "a",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    ":",
    "'",
    '"',
    "# c",
    "#",
    "? ",
    "|",
    ">",
    "|-",
    "|2",
    "+",
    "\\",
    "\\t",
    "!",
    "&a ",
    "*a",
    "%",
    "@",
    "`",
    "...",
    "---",
    "~",
    "null",
    "1",
    "07",
    "0o7",
    "1e3",
    "1:2",
    "yes",
    "No",
    "<<",
    "=",
    "2001-12-14",
    "x:y",
    "'it''s'",
    "\r\n",
    "\r",
    "\t",
    "\u2028",
    "\ufeff",
    "é",
    "\n  \n",
]


PLACES = sorted({m.end() for m in re.finditer(r": |\[|, |- |\n", SAMPLE)})
"""Where an inserted token is likely to be a whole value or key."""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(PLACES), st.integers(0, len(SAMPLE))), st.sampled_from(TOKENS)
        ),
        max_size=4,
    )
)
def test_what_libyaml_reads_ruamel_reads_the_same(edits: list[tuple[int, str]]) -> None:
    """Any text the fast reader takes, ruamel reads to the same values and lines."""
    text = SAMPLE
    for at, token in edits:
        text = text[:at] + token + text[at:]
    try:
        tree = yaml_read.read_fast(text)
    except (yaml_read.NotPlain, yaml.YAMLError):
        return  # ruamel reads this one
    doc = YAML(typ="rt").load(text)
    assert yaml_read.plain(doc) == tree.root
    assert _item_lines(doc, lambda seq, i: seq.lc.item(i)[0] + 1) == _item_lines(
        tree.root, lambda seq, i: tree.lines[id(seq[i])]
    )
    _same_places(doc, yaml_read.read_commented(text))


def _same_places(ruamel: Any, ours: Any) -> None:
    """The same values and types, and the same places for what problems are placed by.

    Keys, string values (`query:`) and list items: `_line` and `_query_problem` use these.
    (Where a mapping or null value starts, libyaml and ruamel see differently; nothing uses it.)
    """
    assert type(ruamel) is type(ours)
    if isinstance(ruamel, dict):
        assert list(ruamel) == list(ours)
        for key, value in ruamel.items():
            assert _lc(ruamel).key(key) == _lc(ours).key(key)
            if isinstance(value, str):
                assert _lc(ruamel).value(key) == _lc(ours).value(key)
            _same_places(value, ours[key])
    elif isinstance(ruamel, list):
        assert len(ruamel) == len(ours)
        for i, value in enumerate(ruamel):
            assert _lc(ruamel).item(i)[0] == _lc(ours).item(i)[0]
            if isinstance(value, str):
                assert _lc(ruamel).item(i) == _lc(ours).item(i)
            _same_places(value, ours[i])
    else:
        assert ruamel == ours


def _lc(node: Any) -> Any:
    """A node's line/column record: ruamel's `CommentedMap`/`CommentedSeq` have one, and so
    do the loader's own; `isinstance(node, dict)` narrows to a plain dict that has none."""
    return node.lc


def _item_lines(node: Any, line_of: Callable[[Any, int], int]) -> list[int]:
    """The line of every mapping that is an item of a list, depth first."""
    found: list[int] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict):
                found.append(line_of(node, i))
            found += _item_lines(item, line_of)
    elif isinstance(node, dict):
        for value in node.values():
            found += _item_lines(value, line_of)
    return found


def test_a_rule_with_many_mistakes_reports_them_all_and_the_others_load(tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        **{
            "a.yaml": "rules:\n  - id: good\n    entities: [NATO]\n"
            "  - id: bad\n    entities: [Atlantis]\n    keyword: [x]\n"
            "    query: 'a AND'\n    notify: [pager]\n",
        },
    )
    result = load_rules(folder, base=tmp_path, channels=["log"])
    assert [rule.id for rule in result.ruleset.rules] == ["good"]
    assert [problem.split(": ")[0:2] for problem in result.problems] == [
        ["a.yaml:5", "unknown entity `Atlantis`"],
        ["a.yaml:6", "unknown key `keyword`"],
        ["a.yaml:7", "query error at column 6"],
        ["a.yaml:8", "rule `bad` notifies unknown channel `pager`"],
    ]


def test_lower_case_operators_between_terms_are_warnings(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nquery: 'gas or oil'\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == () and [r.id for r in result.ruleset.rules] == ["x"]
    (warning,) = result.warnings
    assert warning.startswith("a.yaml:2: warning: query column 5: `or` is searched for")


_WITH_MISTAKES = """\
entities:
  - name: Acme Corporation
    aliases: [Acme]
rules:
  - id: ok
    entities: [Acme Corporation, NATO]
  - id: bad
    entities: [Sout Korea]
    notify: [lgo]
  - id: ok
    query: '"a" NEAR/500 b'
"""


@pytest.mark.parametrize("name", ["desk.yaml", "desk.json"])
def test_load_rules_data_loads_bytes_as_a_file_is_loaded(tmp_path: Path, name: str) -> None:
    """The same rules, problems and lines as the file of that name, nothing read from disk."""
    text = _WITH_MISTAKES
    if name.endswith(".json"):
        text = '{"rules": [{"id": "ok", "entities": ["NATO"]},\n {"id": "ok", "entities": [1]}]}'
    (tmp_path / name).write_text(text, encoding="utf-8")
    from_file = load_rules(tmp_path, base=tmp_path, channels=["log"])
    from_data = loader.load_rules_data(text.encode(), name, channels=["log"])
    assert from_data.problems == from_file.problems != ()
    assert from_data.warnings == from_file.warnings
    assert from_data.ruleset == from_file.ruleset
    assert from_data.inputs is None  # nothing to cache it by


def test_the_defined_entities_are_kept_and_can_be_lent(tmp_path: Path) -> None:
    """`user_entities` holds every entity the files define, named by a rule or not; passed
    to `load_rules_data`, they resolve there too, and the data's own replace them."""
    folder = _rules(
        tmp_path,
        **{"e.yaml": "entities:\n  - name: Acme Corporation\n    aliases: [Acme]\n"},
    )
    defined = load_rules(folder).ruleset.user_entities
    assert [(e.name, e.aliases) for e in defined] == [
        ("Acme Corporation", ("Acme Corporation", "Acme"))
    ]
    uses = b"id: r\nentities: [Acme]\n"
    assert loader.load_rules_data(uses, "t.yaml").problems == (
        "t.yaml:2: unknown entity `Acme`: define it under `entities:` in a rule file",
    )
    lent = loader.load_rules_data(uses, "t.yaml", entities=defined)
    assert lent.problems == ()
    assert lent.ruleset.entities["Acme"].name == "Acme Corporation"
    replaced = loader.load_rules_data(
        b"entities:\n  - name: Acme Corporation\n    aliases: [ACME Inc]\n"
        b"rules:\n  - id: r\n    entities: [Acme Corporation]\n",
        "t.yaml",
        entities=defined,
    )
    assert replaced.problems == ()
    assert replaced.ruleset.entities["Acme Corporation"].aliases == (
        "Acme Corporation",
        "ACME Inc",
    )
