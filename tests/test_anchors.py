"""Anchor choice by term rarity: each rule is filed under what the fewest articles contain."""

from __future__ import annotations

from pathlib import Path

from monitor.gazetteer.model import Entity
from monitor.matching.compile import CompiledSet, compile_ruleset
from monitor.matching.weights import Observed, TermWeights, share
from monitor.rules.model import Keywords, Rule, RuleSet


def _compiled(
    *rules: Rule, entities: dict[str, Entity] | None = None, weights: TermWeights | None = None
) -> CompiledSet:
    return compile_ruleset(RuleSet(rules=rules, entities=entities or {}), weights=weights)


def _filed_under(compiled: CompiledSet, rule_id: str) -> set[str]:
    """The automaton keys a rule is filed under."""
    index = [r.id for r in compiled.rules].index(rule_id)
    return {compiled.patterns[pattern].key for pattern, rules in compiled.filed() if index in rules}


def _rule(
    rule_id: str, query: str | None = None, entities: list[str] | None = None, **keywords: list[str]
) -> Rule:
    return Rule(id=rule_id, keywords=Keywords(**keywords), query=query, entities=entities or [])


def test_a_common_required_word_gives_way_to_rare_alternatives() -> None:
    compiled = _compiled(_rule("chips", all=["policy"], any=["semiconductor", "chipmaker"]))
    assert _filed_under(compiled, "chips") == {" semiconductor ", " chipmaker "}
    # ...but a rare required word beats any alternatives, however few.
    compiled = _compiled(_rule("r", all=["semiconductor"], any=["policy", "government"]))
    assert _filed_under(compiled, "r") == {" semiconductor "}


def test_the_rarest_required_word_wins_not_the_longest() -> None:
    # "government" is longer but far more frequent than "tariff".
    compiled = _compiled(_rule("r", all=["government", "tariff"]))
    assert _filed_under(compiled, "r") == {" tariff "}


def test_queries_choose_the_cheapest_conjunct() -> None:
    compiled = _compiled(_rule("q", query="(people OR said) AND (zorblax OR quuxcorp)"))
    assert _filed_under(compiled, "q") == {" zorblax ", " quuxcorp "}
    compiled = _compiled(_rule("n", query="the NEAR/3 semiconductor"))
    assert _filed_under(compiled, "n") == {" semiconductor "}


def test_an_entity_costs_all_its_aliases_and_a_fuzzy_one_every_article() -> None:
    common = Entity("United States", ("United States", "US", "America"))
    fuzzy = Entity("Zorblax Corp", ("Zorblax Corp",), fuzzy=90)
    compiled = _compiled(
        _rule("e", entities=["United States"], any=["zorblax"]),
        _rule("f", entities=["Zorblax Corp"], all=["quuxcorp"]),
        entities={"United States": common, "Zorblax Corp": fuzzy},
    )
    assert _filed_under(compiled, "e") == {" zorblax "}
    assert _filed_under(compiled, "f") == {" quuxcorp "}
    assert compiled.fuzzy_rules == ()  # filed under a word, not woken by every article


def test_observed_counts_override_the_word_list() -> None:
    # A client called "Apple" in a feed mix where "apple" is everywhere, "policy" nowhere.
    seen = Observed(articles=10_000, counts={" apple ": 9_000, " policy ": 10})
    rule = _rule("r", all=["apple", "policy"])
    assert _filed_under(_compiled(rule), "r") == {" apple "}
    assert _filed_under(_compiled(rule, weights=TermWeights(observed=seen)), "r") == {" policy "}


def test_shares_follow_frequency_phrases_and_prefixes() -> None:
    weights = TermWeights()
    the, policy, rare = (weights.pattern_share(k) for k in (" the ", " policy ", " semiconductor "))
    assert 0.99 < the <= 1.0 and rare < policy < the
    assert weights.pattern_share(" zorblax ") < rare  # unknown: rarer than any listed word
    assert weights.pattern_share(" the semiconductor ") == rare  # a phrase: its rarest word
    assert weights.pattern_share(" semiconduct") >= rare  # a prefix: all its words together
    assert weights.pattern_share(" s") > 0.99
    assert share(0.0) == 0.0 and share(1.0) == 1.0 and 0 < share(1e-4, 650) < 0.07


def test_anchor_shares_are_reported_per_rule() -> None:
    from monitor.engine import Engine
    from monitor.matching import Matcher
    from monitor.rulestats import rule_stats

    ruleset = RuleSet(
        rules=(_rule("a-common", any=["people", "said"]), _rule("b-rare", any=["semiconductor"]))
    )
    stats = rule_stats(Engine(ruleset=ruleset, matcher=Matcher(ruleset)))
    common, rare = (cost.per_thousand / 1000 for cost in stats.costs)
    assert common > 0.5 > 0.01 > rare > 0


def test_a_pattern_never_counted_is_weighed_by_the_word_lists_alone(tmp_path: Path) -> None:
    """The daemon counted 10,000 articles for rules that had "semiconductor" (in 3 % of them)
    and "policy" (in none), but no rule had "people". A new rule needing both "people" and
    "semiconductor" must be filed under "semiconductor": "people" was never looked for, so
    its absence from the counts says nothing (taken as "in none of 10,000 articles", it
    looked rarer than "semiconductor" and filed the rule under a word of most articles)."""
    from monitor.reload import observed
    from monitor.state import open_store

    store = open_store(tmp_path)
    store.add_term_counts({" semiconductor ": 300}, 10_000, [" semiconductor ", " policy "])
    seen = observed(store)
    store.close()
    assert seen is not None
    weights = TermWeights(observed=seen)
    new = _rule("new", all=["people", "semiconductor"])
    assert _filed_under(_compiled(new, weights=weights), "new") == {" semiconductor "}
    assert weights.pattern_share(" people ") == TermWeights().pattern_share(" people ") > 0.5
    # A pattern that was looked for and never found is rare here, whatever the lists say.
    counted = _rule("counted", all=["policy", "semiconductor"])
    assert _filed_under(_compiled(counted, weights=weights), "counted") == {" policy "}
    assert weights.pattern_share(" policy ") < 0.01 < TermWeights().pattern_share(" policy ")
