"""Prominence: `prominent: true`, the `lead:` query field and `[matching]` in the config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.articles import Article
from monitor.config import load_config
from monitor.engine import Engine, load_engine
from monitor.errors import ConfigError
from monitor.explain import Explainer
from monitor.matching.model import DEFAULT_PROMINENCE, Prominence
from monitor.rules import query as q
from monitor.rules.loader import load_rules

ARTICLES = Path(__file__).resolve().parent.parent / "bench" / "data" / "labelled_articles.jsonl"
FILLER = "The weather was mild and the markets were calm all week long. " * 8  # 96 words

RULES = """\
rules:
  - id: any-mention
    entities: [NATO]
  - id: prominent
    entities: [NATO, South Korea]
    prominent: true
  - id: lead-query
    query: 'lead:entity:NATO'
  - id: body-query
    query: 'body:entity:NATO AND NOT lead:entity:NATO'
"""


def _engine(tmp_path: Path, prominence: Prominence = DEFAULT_PROMINENCE) -> Engine:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text(RULES, encoding="utf-8")
    engine, problems = load_engine(folder, [], prominence=prominence)
    assert problems == []
    return engine


def _matched(engine: Engine, title: str, body: str) -> list[str]:
    return [m.rule for m in engine.matcher.match(Article.create("a.txt", title, body))]


def test_a_passing_mention_is_not_prominent(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    body = f"{FILLER} NATO and South Korea were mentioned once, at the end."
    assert _matched(engine, "Weather", body) == ["any-mention", "body-query"]


def test_the_title_the_lead_or_repeated_mentions_make_it_prominent(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    in_title = _matched(engine, "NATO meets South Korea", f"{FILLER} Talks went on.")
    assert in_title == ["any-mention", "prominent"]
    in_lead = _matched(engine, "Talks", f"NATO met South Korea on Monday. {FILLER}")
    assert in_lead == ["any-mention", "lead-query", "prominent"]
    # Twice anywhere counts, by any of the entity's names (the alliance, NATO; Seoul's
    # country by two names).
    repeated = f"{FILLER} NATO met the Republic of Korea. The alliance (NATO) and South Korea."
    assert _matched(engine, "Talks", repeated) == ["any-mention", "body-query", "prominent"]
    # Every entity must be prominent: South Korea only once, at the end, is not.
    one_of_two = f"NATO met on Monday. {FILLER} South Korea was there."
    assert "prominent" not in _matched(engine, "Talks", one_of_two)


def test_lead_words_and_min_mentions_come_from_the_config(tmp_path: Path) -> None:
    body = f"{FILLER} NATO met South Korea."
    wide = _engine(tmp_path, Prominence(lead_words=200, min_mentions=2))
    assert _matched(wide, "Talks", body) == ["any-mention", "lead-query", "prominent"]
    once = _engine(tmp_path, Prominence(lead_words=5, min_mentions=1))
    assert "prominent" in _matched(once, "Talks", body)


def test_lead_is_a_field_like_title_and_body() -> None:
    node = q.parse_query("lead:(NATO OR entity:EU) AND NOT title:x")
    assert q.to_text(node) == "lead:(NATO OR entity:EU) AND NOT title:x"
    with pytest.raises(q.QueryError, match="cannot be nested"):
        q.parse_query("body:(lead:x)")


def test_prominent_needs_entities(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(
        "id: p\nkeywords: {any: [storm]}\nprominent: true\n", encoding="utf-8"
    )
    (problem,) = load_rules(folder, base=tmp_path).problems
    assert problem.startswith("rules/r.yaml:1: ") and "`entities`" in problem


@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("lead_words = 0", "lead_words"),
        ("min_mentions = -1", "min_mentions"),
        ("lead = 5", "lead"),
        ("min_mentions = true", "min_mentions"),  # was 1: prominence off, without a word
        ('lead_words = "50"', "lead_words"),
        ("lead_words = 1e3", "lead_words"),
    ],
)
def test_matching_config_is_checked(tmp_path: Path, setting: str, needle: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[matching]\n{setting}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert needle in str(caught.value) and "config.toml:2" in str(caught.value)


def test_config_defaults(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[matching]\nlead_words = 30\n", encoding="utf-8")
    matching = load_config(config).matching
    assert (matching.lead_words, matching.min_mentions) == (30, 2)


def test_explain_says_where_the_mentions_were(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    article = Article.create("a.txt", "Weather", f"{FILLER} NATO met South Korea.")
    checks = {c.condition: c for c in Explainer(engine, "prominent").explain(article).checks}
    nato = checks["entity NATO is prominent"]
    assert not nato.ok
    assert nato.note == (
        "not prominent: not in the title; not in the lead (the first 50 words); "
        "1 later in the body (word 97); 1 mention in all (2 make it prominent anywhere)"
    )
    article = Article.create("a.txt", "NATO", "Yesterday NATO met South Korea. South Korea.")
    checks = {c.condition: c for c in Explainer(engine, "prominent").explain(article).checks}
    assert checks["entity NATO is prominent"].note == (
        "prominent, by the title, the lead and 2 mentions: 1 in the title; "
        "1 in the lead (word 2 of the first 50); 2 mentions in all (2 make it prominent anywhere)"
    )
    assert checks["entity South Korea is prominent"].ok
    # Named often enough, but only after the lead: the later mentions are listed by word.
    body = f"{FILLER} NATO met. {FILLER} NATO again; NATO. South Korea."
    checks = {
        c.condition: c
        for c in Explainer(engine, "prominent").explain(Article.create("a", "x", body)).checks
    }
    assert checks["entity NATO is prominent"].note == (
        "prominent, by 3 mentions: not in the title; not in the lead (the first 50 words); "
        "3 later in the body (words 97, 195, 197); 3 mentions in all "
        "(2 make it prominent anywhere)"
    )
    assert checks["entity South Korea is prominent"].note.startswith("not prominent: ")


def test_explain_names_an_entity_that_is_not_there(tmp_path: Path) -> None:
    article = Article.create("a.txt", "Talks", "NATO met on Monday.")
    checks = {
        c.condition: c for c in Explainer(_engine(tmp_path), "prominent").explain(article).checks
    }
    korea = checks["entity South Korea is prominent"]
    assert not korea.ok and korea.note == "not prominent: not mentioned at all"


def test_explain_agrees_with_the_matcher_on_full_articles(tmp_path: Path) -> None:
    """On the labelled full articles of bench/, a prominent rule matches exactly when the
    explanation says every entity is prominent, under two `[matching]` settings."""
    records = [
        json.loads(line)
        for line in ARTICLES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    names = ["United States", "China", "France", "European Union"]
    folder = tmp_path / "rules"
    folder.mkdir()
    rules = "".join(
        f"  - id: r{i}\n    entities: [{name}]\n    prominent: true\n"
        for i, name in enumerate(names)
    )
    (folder / "r.yaml").write_text(f"rules:\n{rules}", encoding="utf-8")
    decided = 0
    for prominence in (DEFAULT_PROMINENCE, Prominence(lead_words=20, min_mentions=3)):
        engine, problems = load_engine(folder, [], prominence=prominence)
        assert problems == []
        explainers = [Explainer(engine, f"r{i}") for i in range(len(names))]
        for record in records:
            article = Article.create(record["id"], record["title"], record["body"])
            matches = engine.matcher.match(article)
            for explainer in explainers:
                explanation = explainer.explain(article, matches)
                said = all(check.ok for check in explanation.checks)
                assert said == explanation.matched, (record["id"], explanation)
                decided += explanation.matched
    assert decided > 20
