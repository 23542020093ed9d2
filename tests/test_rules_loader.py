"""Rule files: both layouts, strict validation, FILE:LINE messages, entity resolution."""

from __future__ import annotations

from pathlib import Path

from monitor.rules.loader import check_notify, load_rules
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
    folder = _rules(tmp_path, **{
        "a.yaml": "rules:\n  - id: one\n    keywords: {any: [gas]}\n",
        "b.yml": "id: two\nentities: [NATO]\n",
    })
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


def test_unknown_entity_suggests_nearest(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"r.yaml": "rules:\n  - id: x\n    entities:\n"
                                           "      - NATO\n      - Sout Korea\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "r.yaml:5: unknown entity `Sout Korea`: did you mean `South Korea`?",)


def test_one_broken_rule_keeps_the_others(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{
        "r.yaml": "rules:\n  - id: good\n    keywords: {any: [gas]}\n"
                  "  - id: bad id\n    keywords: {any: [oil]}\n",
    })
    result = load_rules(folder, base=tmp_path)
    assert [r.id for r in result.ruleset.rules] == ["good"]
    assert result.problems[0].startswith("r.yaml:4: rule `id` may only hold letters")


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"r.yaml": "rules:\n  - id: x\n    keywords: [any: \n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems and result.problems[0].startswith("r.yaml:")
    assert "invalid YAML" in result.problems[0]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [NATO]\n",
                                 "b.yaml": "id: x\nentities: [EU]\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ("b.yaml:1: duplicate rule id `x` (first defined at a.yaml:1); "
                               "rule ids must be unique across all files",)


def test_rule_needs_a_positive_condition(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nkeywords:\n  none: [sport]\n"})
    result = load_rules(folder, base=tmp_path)
    assert "a rule needs something to look for" in result.problems[0]


def test_query_is_parsed_and_its_entities_resolved(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": (
        "id: x\nentities: [NATO]\nquery: 'entity:nato NEAR/3 entity:\"s korea\" weapon*'\n")})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert to_text(result.ruleset.queries["x"]) == (
        'entity:nato NEAR/3 entity:"s korea" AND weapon*')
    assert result.ruleset.entities["nato"].name == "NATO"
    assert result.ruleset.entities["s korea"].name == "South Korea"


def test_query_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": (
        "rules:\n  - id: good\n    query: gas\n"
        "  - id: x\n    entities: [NATO]\n    query: '\"South Korea\" AND (ammo OR'\n")})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:6: query error at column 27: expected a term or '(' after OR",)
    assert [r.id for r in result.ruleset.rules] == ["good"]


def test_query_error_in_a_literal_block_points_at_its_own_line(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": (
        "id: x\nquery: |\n  \"South Korea\"\n  AND weapons NEAR/500 tanks\n")})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:4: query error at column 13: NEAR distance is at most 100 words (got 500); "
        "for a looser link use AND",)


def test_query_error_in_a_folded_block_is_on_the_line_below_the_indicator(
        tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nquery: >\n  a AND\n  we*\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:3: query error at column 7: a wildcard needs at least 3 letters before `*`: "
        "`we*` would match too many words",)


def test_unknown_entity_in_a_query_suggests_nearest(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": (
        "rules:\n  - id: x\n    query: entity:NATO NEAR/10 entity:\"Sout Korea\"\n")})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == (
        "a.yaml:3: query error at column 21: unknown entity `Sout Korea`: "
        "did you mean `South Korea`?",)
    assert result.ruleset.rules == ()


def test_query_that_only_excludes_is_refused(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nquery: sport OR NOT tennis\n"})
    result = load_rules(folder, base=tmp_path)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "a.yaml:2: query error at column 10: an OR branch that only excludes")


def test_user_entities_resolve_by_alias(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": (
        "entities:\n  - name: Jens Stoltenberg\n    aliases: [Stoltenberg]\n"
        "rules:\n  - id: x\n    entities: [stoltenberg]\n")})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ()
    assert result.ruleset.entities["stoltenberg"].name == "Jens Stoltenberg"


def test_unknown_notify_channel(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [NATO]\nnotify: [slak]\n"})
    result = load_rules(folder, base=tmp_path)
    problems = check_notify(result.ruleset, ["slack", "log"])
    assert problems == {"x": "a.yaml:1: rule `x` notifies unknown channel `slak`: "
                             "did you mean `slack`?"}


def test_ambiguous_entity_asks_which_one(tmp_path: Path) -> None:
    folder = _rules(tmp_path, **{"a.yaml": "id: x\nentities: [Korea]\n"})
    result = load_rules(folder, base=tmp_path)
    assert result.problems == ("a.yaml:2: ambiguous entity `Korea`: it could mean "
                               "`North Korea` or `South Korea`; name one",)
