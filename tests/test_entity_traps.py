"""The built-in entities against the traps of the contract, through the real catalog.

Names are resolved by `EntityCatalog` and every built-in entity is passed as a blocker, as
the daemon does, so these tests check the gazetteer data and the matcher together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.articles.model import Article
from monitor.gazetteer import EntityCatalog, load_builtin
from monitor.matching import Matcher
from monitor.rules.model import Keywords, Rule, RuleSet

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9738bd22683e892a.txt"
CATALOG = EntityCatalog()


def builtin_matcher(*rules: Rule) -> Matcher:
    names = {name for rule in rules for name in rule.entities}
    entities = {}
    for name in names:
        entity = CATALOG.resolve(name)
        assert entity is not None, f"built-in entity {name!r} is missing"
        entities[name] = entity
    return Matcher(RuleSet(rules=rules, entities=entities), blockers=load_builtin())


def mentions(entity: str, text: str) -> bool:
    """Whether `text` counts as a mention of the built-in `entity`."""
    matcher = builtin_matcher(Rule(id="r", entities=[entity]))
    return bool(matcher.match(Article.create(path="t.txt", title="", body=text)))


def seed_article() -> Article:
    first, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return Article.create(path=str(SEED), title=first.strip().split(" ", 2)[2], body=body)


def test_nato_south_korea_rule_matches_the_seed_article() -> None:
    rule = Rule(
        id="nato-south-korea",
        entities=["NATO", "South Korea"],
        keywords=Keywords(any=["weapon*", "ammunition", "military support"]),
    )
    art = seed_article()
    [match] = builtin_matcher(rule).match(art)
    assert match.rule == "nato-south-korea"
    quoted = {(hit.term, hit.text) for hit in match.hits}
    assert {("NATO", "NATO"), ("South Korea", "S Korea"), ("weapon*", "weapons")} <= quoted
    assert ("South Korea", "Republic of Korea") in quoted
    assert ("South Korea", "South Korean") in quoted
    for hit in match.hits:
        assert getattr(art, hit.field)[hit.start : hit.end] == hit.text


@pytest.mark.parametrize(
    "text",
    [
        "talks with S Korea",
        "talks with S. Korea",
        "South Korean officials",
        "the Republic of Korea",
        "the ROK Navy",
        "South\nKorea",
        "South-Korea",
        "South Korea’s army",
        "South Korea's army",
        "SOUTH KOREA",
    ],
)
def test_south_korea_is_mentioned(text: str) -> None:
    assert mentions("South Korea", text)


@pytest.mark.parametrize(
    "text",
    [
        "North Korea fired",
        "the Democratic People's Republic of Korea",
        "the Democratic People’s Republic of Korea",
        "the DPRK said",
        "the rok said",
        "Korea",
        "the south. Korea replied",
    ],
)
def test_south_korea_is_not_mentioned(text: str) -> None:
    assert not mentions("South Korea", text)


def test_south_korea_in_an_article_that_also_names_the_north() -> None:
    text = "The Democratic People's Republic of Korea and the Republic of Korea met."
    assert mentions("South Korea", text)
    assert mentions("North Korea", text)


@pytest.mark.parametrize("text", ["Nato allies", "NATO", "NATO’s chief", "the nato summit"])
def test_nato_in_any_case(text: str) -> None:
    assert mentions("NATO", text)


@pytest.mark.parametrize("text", ["The senator said", "senators", "Natomas"])
def test_nato_is_not_part_of_a_word(text: str) -> None:
    assert not mentions("NATO", text)


def test_nato_by_its_long_name() -> None:
    assert mentions("nato", "the North Atlantic Treaty Organization")


def test_guinea_is_not_papua_new_guinea() -> None:
    assert not mentions("Guinea", "Papua New Guinea voted")
    assert mentions("Papua New Guinea", "Papua New Guinea voted")
    assert mentions("Guinea", "Guinea and Papua New Guinea voted")


def test_exact_us_is_not_the_word_us() -> None:
    assert mentions("United States", "US troops")
    assert not mentions("United States", "tell us more")


def test_every_builtin_entity_compiles_as_a_blocker() -> None:
    matcher = builtin_matcher(Rule(id="r", entities=["South Korea"]))
    assert matcher.rule_count == 1


def test_only_the_blockers_that_can_suppress_are_compiled_and_answers_are_the_same() -> None:
    """A rule set compiles only the built-in aliases that hold one of its names' words
    (`compile._block_with`); whether an article matches is exactly what it is with every
    built-in name compiled, on the English and multilingual labelled texts."""
    import json

    data = Path(__file__).resolve().parent.parent / "bench" / "data"
    texts = [
        json.loads(line)["text"]
        for name in ("labelled_news.jsonl", "labelled_multilingual.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
    ]
    builtin = {entity.name: entity for entity in load_builtin()}
    names = ["Guinea", "Niger", "South Korea", "North Korea", "Georgia", "Jordan", "China"]
    names += ["United States", "NATO", "European Union", "United Nations", "India", "Iran"]
    rules = tuple(Rule(id=f"r{i}", entities=[name]) for i, name in enumerate(names))
    named = {name: builtin[name] for name in names}
    filtered = Matcher(RuleSet(rules=rules, entities=named), blockers=builtin.values())
    everything = Matcher(RuleSet(rules=rules, entities=builtin))  # all compiled as named
    assert len(filtered.compiled.patterns) < len(everything.compiled.patterns) / 5
    for text in texts:
        article = Article.create("a.txt", "", text)
        assert filtered.match(article) == everything.match(article), text
