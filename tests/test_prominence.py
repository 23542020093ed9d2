"""Prominence: `prominent: true`, the `lead:` query field and `[matching]` in the config."""

from __future__ import annotations

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
    [("lead_words = 0", "lead_words"), ("min_mentions = -1", "min_mentions"), ("lead = 5", "lead")],
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
        "not in the title; not in the lead (the first 50 words); "
        "1 mention in all (2 make it prominent anywhere)"
    )
    article = Article.create("a.txt", "NATO", "Yesterday NATO met South Korea. South Korea.")
    checks = {c.condition: c for c in Explainer(engine, "prominent").explain(article).checks}
    assert checks["entity NATO is prominent"].note.startswith(
        "1 in the title; 1 in the lead (word 2"
    )
    assert checks["entity South Korea is prominent"].ok
