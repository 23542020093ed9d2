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
from monitor.rules.messages import unknown_entity
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
    for text in texts:
        article = Article.create("a.txt", "", text)
        assert filtered.match(article) == everything.match(article), text
    assert len(filtered.compiled.patterns) < len(everything.compiled.patterns) / 2
    nato = RuleSet(rules=(Rule(id="n", entities=["NATO"]),), entities={"NATO": builtin["NATO"]})
    alone = Matcher(nato, blockers=builtin.values())
    assert len(alone.compiled.patterns) < len(everything.compiled.patterns) / 20


# --- compounds of one-character abbreviations (Chinese, Japanese) ---------------------------


_NAMED: tuple[str, ...] = ("China", "United States", "Japan", "Russia", "Ukraine", "Germany")
_NAMED += ("North Korea", "South Korea")
_MATCHER = builtin_matcher(*(Rule(id=f"r{i}", entities=[e]) for i, e in enumerate(_NAMED)))


def named(text: str, *entities: str) -> set[str]:
    """Which of `entities` `text` counts as mentioning (one matcher for them all)."""
    found = _MATCHER.match(Article.create(path="t.txt", title="", body=text))
    return {_NAMED[int(m.rule[1:])] for m in found} & set(entities)


CN_US = ("China", "United States")
KOREAS = ("North Korea", "South Korea")


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("中美贸易谈判", CN_US, CN_US),
        ("中美洲", CN_US, ()),  # Central America
        ("中美洲国家移民", CN_US, ()),
        ("俄乌冲突持续", ("Russia", "Ukraine"), ("Russia", "Ukraine")),
        ("朝韩关系", KOREAS, KOREAS),
        ("朝韓關係", KOREAS, KOREAS),
        ("日米首脳会談", ("Japan", "United States"), ("Japan", "United States")),
        ("米政府は声明を出した", ("United States",), ("United States",)),
        ("米価が上がった", ("United States",), ()),  # the price of rice
        ("中日韩峰会", ("China", "Japan", "South Korea"), ("China", "Japan", "South Korea")),
        ("日中関係が改善", ("Japan", "China"), ("Japan", "China")),
        ("日中は暑い", ("Japan", "China"), ()),  # "in the daytime"
        ("一日中雨だった", ("Japan", "China"), ()),
        ("美中不足的是", CN_US, ()),  # an idiom: "a fly in the ointment"
        ("道德与美德", ("Germany", "United States"), ()),
        ("南美和北美", ("United States",), ()),
    ],
)
def test_a_compound_counts_for_every_entity_it_names(
    text: str, entities: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert named(text, *entities) == set(expected)


def test_a_compound_never_counts_for_only_one_of_two_koreas() -> None:
    for text in ("朝韩首脑会谈", "朝韩边境", "韩朝对话"):
        assert named(text, *KOREAS) == set(KOREAS)


def test_a_compound_overlapped_by_a_name_does_not_count() -> None:
    # 其中美国: "among them, the US". 中美 is there, but 美国 overlaps it.
    assert named("其中美国表示反对", *CN_US) == {"United States"}
    assert named("其中日本队获胜", "China", "Japan") == {"Japan"}


def test_a_compound_after_a_number_does_not_count() -> None:
    # 10日: "the 10th"; 中国 then overlaps 日中 anyway, but 10日中美 does not.
    assert named("10日中美双方举行会谈", "Japan", *CN_US) == set(CN_US)
    assert named("他跑了100米中途摔倒", *CN_US) == set()


def test_a_compound_is_not_a_name_to_look_up() -> None:
    assert CATALOG.resolve("中美") is None
    assert CATALOG.ambiguous("中美") == CN_US
    assert CATALOG.ambiguous("朝韩") == KOREAS
    assert CATALOG.resolve("米政府") is None
    message = unknown_entity("中美", CATALOG)
    assert message.startswith("ambiguous entity `中美`") and "`United States`" in message
