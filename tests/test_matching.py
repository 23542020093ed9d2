"""Unit tests of the matching engine: one behaviour of the contract per test."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pytest

from monitor.articles.model import Article
from monitor.errors import QueryError, RuleError
from monitor.gazetteer.model import Entity
from monitor.matching import Hit, Match, Matcher
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.rules.query import parse_query

NATO = Entity("NATO", ("NATO", "North Atlantic Treaty Organization"))
SOUTH_KOREA = Entity(
    "South Korea", ("South Korea", "S Korea", "South Korean", "Republic of Korea"), ("ROK",)
)
NORTH_KOREA = Entity(
    "North Korea", ("North Korea", "Democratic People's Republic of Korea"), ("DPRK",)
)
UNITED_STATES = Entity("United States", ("United States",), ("US", "U.S."))
STOLTENBERG = Entity("Jens Stoltenberg", ("Jens Stoltenberg", "Stoltenberg"), fuzzy=90)
STOCKHOLM = Entity("Stockholm", ("Stockholm",))
GUINEA = Entity("Guinea", ("Guinea",))
PAPUA = Entity("Papua New Guinea", ("Papua New Guinea",))


def rule(
    rule_id: str = "r",
    entities: Iterable[str] = (),
    all: Iterable[str] = (),
    any: Iterable[str] = (),
    none: Iterable[str] = (),
    query: str | None = None,
) -> Rule:
    keywords = Keywords(all=list(all), any=list(any), none=list(none))
    return Rule(id=rule_id, entities=list(entities), keywords=keywords, query=query)


def matcher(
    *rules: Rule, entities: dict[str, Entity] | None = None, blockers: Iterable[Entity] = ()
) -> Matcher:
    return Matcher(RuleSet(rules=rules, entities=dict(entities or {})), blockers=blockers)


def article(body: str, title: str = "") -> Article:
    return Article.create(path="test.txt", title=title, body=body)


def run(m: Matcher, body: str, title: str = "") -> list[Match]:
    """Match, and check every hit quotes its field exactly where it says."""
    art = article(body, title)
    matches = m.match(art)
    for match in matches:
        for hit in match.hits:
            assert getattr(art, hit.field)[hit.start : hit.end] == hit.text
    return matches


def ids(m: Matcher, body: str, title: str = "") -> list[str]:
    return [match.rule for match in run(m, body, title)]


def texts(m: Matcher, body: str) -> list[str]:
    return [hit.text for match in run(m, body) for hit in match.hits]


def keyword(word: str) -> Matcher:
    return matcher(rule(any=[word]))


# --- words, case and accents ----------------------------------------------------------------


def test_accents_and_case_are_ignored_and_hits_quote_the_original() -> None:
    m = keyword("Zürich")
    assert texts(m, "Talks in ZURICH today") == ["ZURICH"]
    assert texts(m, "Talks in zurich today") == ["zurich"]
    decomposed = unicodedata.normalize("NFD", "in Zürich")
    assert texts(m, decomposed) == [unicodedata.normalize("NFD", "Zürich")]
    assert texts(keyword("zurich"), "Zürich") == ["Zürich"]


def test_whole_words_only() -> None:
    m = keyword("war")
    assert ids(m, "the war began") == ["r"]
    assert ids(m, "a warning, awards, software") == []


def test_curly_and_straight_possessives_still_match() -> None:
    m = matcher(rule(entities=["South Korea"]), entities={"South Korea": SOUTH_KOREA})
    assert texts(m, "South Korea’s army") == ["South Korea"]
    assert texts(m, "South Korea's army") == ["South Korea"]


def test_phrase_matches_across_newlines_hyphens_and_space_runs() -> None:
    m = keyword("military support")
    for text in (
        "military\nsupport",
        "military-support",
        "military  \n\t support",
        "military — support",
    ):
        assert texts(m, f"more {text} now") == [text]


def test_phrase_does_not_span_a_sentence_break() -> None:
    m = keyword("North Korea")
    assert ids(m, "Winter came to the north. Korea said nothing.") == []
    assert ids(m, "Winter came to the north; Korea said nothing.") == []
    assert ids(m, "North\nKorea said") == ["r"]


def test_phrase_may_span_a_break_after_a_single_letter() -> None:
    assert texts(keyword("S Korea"), "talks with S. Korea today") == ["S. Korea"]
    assert texts(keyword("US Navy"), "the U.S. Navy") == []  # "U S" is two words, not "US"
    assert texts(keyword("U.S. Navy"), "the U.S. Navy") == ["U.S. Navy"]


def test_a_term_with_its_own_break_matches_across_that_break() -> None:
    m = keyword("Mr. Smith")
    assert texts(m, "said Mr. Smith") == ["Mr. Smith"]
    assert texts(m, "said Mr Smith") == ["Mr Smith"]
    assert texts(keyword("Mr Smith"), "said Mr. Smith") == []


# --- wildcards ------------------------------------------------------------------------------


def test_prefix_wildcard_extends_to_the_end_of_the_word() -> None:
    m = keyword("weapon*")
    assert texts(m, "Weapons, weaponry and a weapon.") == ["Weapons", "weaponry", "weapon"]
    assert ids(m, "reweaponise") == []


def test_wildcard_at_the_end_of_a_phrase() -> None:
    assert texts(keyword("military supp*"), "Military suppliers") == ["Military suppliers"]
    assert ids(keyword("military supp*"), "military help") == []


@pytest.mark.parametrize("bad", ["wea*pon", "mil* support", "*", "weapon *", "***"])
def test_misplaced_or_empty_wildcards_are_errors(bad: str) -> None:
    with pytest.raises(RuleError, match="keyword"):
        keyword(bad)


@pytest.mark.parametrize("short", ["a*", "we*", "arms de*", "Zü*"])
def test_a_keyword_wildcard_needs_as_many_letters_as_a_querys(short: str) -> None:
    """`a*` was accepted as a keyword, and refused in a query: the same check, same words."""
    with pytest.raises(QueryError) as refused:
        parse_query(f'"{short}"' if " " in short else short)
    with pytest.raises(RuleError) as error:
        keyword(short)
    assert str(error.value) == f"rule 'r': keyword {short!r}: {refused.value.message}"
    assert "a wildcard needs at least 3 letters before `*`" in str(error.value)
    assert ids(keyword(short.replace("*", "xy*")), f"{short[:-1]}xyz") == ["r"]


def test_keyword_without_letters_is_an_error() -> None:
    with pytest.raises(RuleError, match="no letter or digit"):
        keyword("--")


# --- entities ----------------------------------------------------------------------------------


def test_exact_alias_is_case_sensitive() -> None:
    m = matcher(rule(entities=["US"]), entities={"US": UNITED_STATES})
    assert texts(m, "US troops arrived") == ["US"]
    assert texts(m, "the U.S. said") == ["U.S"]  # a hit covers words, not what follows them
    assert ids(m, "tell us more") == []
    assert ids(m, "Us and them") == []
    assert texts(m, "the united states") == ["united states"]


def test_nato_is_not_senator_but_any_case_of_nato() -> None:
    m = matcher(rule(entities=["NATO"]), entities={"NATO": NATO})
    assert ids(m, "The senator spoke") == []
    assert texts(m, "Nato allies") == ["Nato"]
    assert texts(m, "NATO’s chief") == ["NATO"]


def test_longer_name_of_a_blocker_entity_suppresses_a_contained_alias() -> None:
    rules = (rule(entities=["South Korea"]),)
    entities = {"South Korea": SOUTH_KOREA}
    text = "the Democratic People’s Republic of Korea said"
    assert ids(matcher(*rules, entities=entities, blockers=[NORTH_KOREA]), text) == []
    # Without the blocker nothing knows the longer name: the contained alias counts.
    assert ids(matcher(*rules, entities=entities), text) == ["r"]
    # The same text still counts as South Korea elsewhere in the article.
    both = text + ". The Republic of Korea replied."
    m = matcher(*rules, entities=entities, blockers=[NORTH_KOREA])
    assert texts(m, both) == ["Republic of Korea"]


def test_suppression_applies_between_rule_entities_too() -> None:
    m = matcher(
        rule("guinea", entities=["Guinea"]),
        rule("png", entities=["PNG"]),
        entities={"Guinea": GUINEA, "PNG": PAPUA},
    )
    assert ids(m, "Papua New Guinea votes") == ["png"]
    assert ids(m, "Guinea and Papua New Guinea vote") == ["guinea", "png"]


def test_keyword_hits_are_never_suppressed() -> None:
    m = matcher(rule(any=["Republic of Korea"]), blockers=[NORTH_KOREA, SOUTH_KOREA])
    assert texts(m, "the Democratic People's Republic of Korea") == ["Republic of Korea"]


def test_exact_alias_of_a_blocker_only_blocks_in_its_case() -> None:
    south = Entity("South", ("Korea ROK",))
    blocker = Entity("Rok", (), ("ROK",))
    m = matcher(rule(entities=["South"]), entities={"South": south}, blockers=[blocker])
    assert ids(m, "Korea ROK") == ["r"]  # the blocker's hit is shorter: nothing to suppress


def test_every_entity_of_a_rule_must_be_mentioned() -> None:
    m = matcher(
        rule(entities=["NATO", "South Korea"]),
        entities={"NATO": NATO, "South Korea": SOUTH_KOREA},
    )
    assert ids(m, "NATO met the ROK delegation") == ["r"]
    assert ids(m, "NATO met the rok delegation") == []
    assert ids(m, "NATO met North Korea") == []


def test_entity_hit_term_is_the_name_as_the_rule_wrote_it() -> None:
    m = matcher(rule(entities=["nato"]), entities={"nato": NATO})
    [match] = run(m, "North Atlantic Treaty Organization")
    assert match.hits == (Hit("nato", "North Atlantic Treaty Organization", "body", 0, 34),)


def test_unresolved_entity_is_an_error() -> None:
    with pytest.raises(RuleError, match="Atlantis"):
        matcher(rule(entities=["Atlantis"]))


# --- fuzzy ----------------------------------------------------------------------------------


def test_fuzzy_finds_a_misspelling() -> None:
    m = matcher(rule(entities=["Stoltenberg"]), entities={"Stoltenberg": STOLTENBERG})
    assert texts(m, "NATO chief Stoltenburg said") == ["Stoltenburg"]
    assert texts(m, "NATO chief Jens Stoltenburg said") == ["Jens Stoltenburg"]


def test_fuzzy_does_not_take_a_different_word() -> None:
    m = matcher(
        rule(entities=["Stoltenberg"]),
        entities={"Stoltenberg": STOLTENBERG},
        blockers=[STOCKHOLM],
    )
    assert ids(m, "He flew to Stockholm and Stuttgart") == []
    without_blocker = matcher(rule(entities=["S"]), entities={"S": STOLTENBERG})
    assert ids(without_blocker, "He flew to Stockholm") == []


def test_fuzzy_never_turns_north_korea_into_south_korea() -> None:
    fuzzy_south = Entity("South Korea", ("South Korea",), fuzzy=80)
    m = matcher(rule(entities=["South Korea"]), entities={"South Korea": fuzzy_south})
    assert ids(m, "North Korea fired a missile") == []
    assert texts(m, "Souht Korea replied") == ["Souht Korea"]


def test_fuzzy_is_off_for_entities_without_it() -> None:
    m = matcher(rule(entities=["NATO"]), entities={"NATO": NATO})
    assert ids(m, "NATOO") == []


# --- rule evaluation and output ------------------------------------------------------------------


def test_all_any_none() -> None:
    m = matcher(
        rule(all=["ukraine", "support"], any=["weapon*", "ammunition"], none=["exhibition match"])
    )
    assert ids(m, "support for Ukraine: weapons") == ["r"]
    assert ids(m, "support for Ukraine") == []  # no `any`
    assert ids(m, "support with weapons") == []  # not every `all`
    assert ids(m, "support for Ukraine: weapons at the exhibition match") == []


def test_none_keyword_in_the_title_also_excludes() -> None:
    m = matcher(rule(any=["football"], none=["exhibition match"]))
    assert ids(m, "football news", title="Exhibition match") == []
    assert ids(m, "football news", title="Cup final") == ["r"]


def test_terms_match_in_title_or_body_and_hits_say_where() -> None:
    m = matcher(rule(all=["NATO", "Korea"]))
    [match] = run(m, "about Korea", title="NATO")
    assert [(hit.term, hit.field, hit.text) for hit in match.hits] == [
        ("NATO", "title", "NATO"),
        ("Korea", "body", "Korea"),
    ]


def test_hits_are_deduplicated_and_in_field_then_offset_order() -> None:
    m = matcher(
        rule(entities=["NATO"], all=["nato"], any=["nato", "chief"]),
        entities={"NATO": NATO},
    )
    [match] = run(m, "chief of NATO, NATO chief", title="NATO")
    assert [(hit.term, hit.field, hit.start) for hit in match.hits] == [
        ("NATO", "title", 0),
        ("nato", "title", 0),
        ("chief", "body", 0),
        ("NATO", "body", 9),
        ("nato", "body", 9),
        ("NATO", "body", 15),
        ("nato", "body", 15),
        ("chief", "body", 20),
    ]


def test_matches_are_sorted_by_rule_id_and_terms_are_shared() -> None:
    m = matcher(rule("b", any=["Korea"]), rule("a", any=["korea"]), rule("c", any=["japan"]))
    assert ids(m, "KOREA") == ["a", "b"]
    assert m.match(article("KOREA")) == m.match(article("KOREA"))


def test_no_match_in_an_empty_article() -> None:
    assert run(keyword("korea"), "") == []


def test_a_query_that_does_not_parse_is_refused_with_its_column() -> None:
    with pytest.raises(RuleError, match=r"rule 'r': query error at column 18: expected a term"):
        matcher(rule(query='"South Korea" AND'))


def test_query_is_anded_with_entities_and_keywords() -> None:
    m = matcher(
        rule(entities=["NATO"], any=["chief"], query='weapon* AND NOT "exhibition"'),
        entities={"NATO": NATO},
    )
    assert ids(m, "NATO chief wants weapons") == ["r"]
    assert ids(m, "NATO wants weapons") == []
    assert ids(m, "NATO chief wants weapons at the exhibition") == []
