"""`monitor check --stats`: what each rule costs the matcher, the costliest first.

An article only wakes the rules filed under an anchor it contains (`monitor.matching.compile`);
each woken rule, a candidate, is then evaluated. A rule that could only be anchored on
common words ("people", an any-of of everyday words) is a candidate in most articles, and a
few thousand such rules are what makes a large rule set slow. This reports, per rule, how
many candidates it is expected to cost per 1,000 articles: the share of articles that
contain one of its anchors, by the same term weights the compile used (the word lists,
refined by what the daemon counted in the articles it scanned, when the state has that).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.engine import Engine
from monitor.matching.compile import CompiledSet
from monitor.matching.weights import Observed, TermWeights
from monitor.textsafe import json_safe, printable

DEFAULT_TOP = 20

SHOWN_ANCHORS = 5
"""Anchors listed per rule in the text output (an `any` list can have 10,000)."""

SHOWN_CHARACTERS = 60
"""Characters of one anchor shown in the text output, as problems quote rule files."""


@dataclass(frozen=True)
class RuleCost:
    """One rule: its id, where it is written, candidates per 1,000 articles, its anchors."""

    rule: str
    file: str
    line: int
    per_thousand: float
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    rules: int
    per_article: float  # expected candidates per article, all rules together
    observed_articles: int  # articles the daemon counted patterns in (0: word lists only)
    costs: tuple[RuleCost, ...]  # every rule, the costliest first
    notes: tuple[str, ...] = ()  # what of the daemon's counts could not be used, and why


def _shown(key: str) -> str:
    """An automaton key as a user wrote it: " a b " -> `a b`, the prefix " weap" -> `weap*`."""
    return key.strip() if key.endswith(" ") else f"{key.strip()}*"


def _anchors(
    compiled: CompiledSet, index: int, patterns: list[int], fuzzy: bool
) -> tuple[str, ...]:
    """A rule's anchors for people: an entity whose every alias is among them by its name."""
    rule = compiled.rules[index]
    left = set(patterns)
    named: list[str] = []
    for name, entity in rule.entities:
        aliases = set(compiled.entity_patterns[entity])
        if aliases and aliases <= left:
            named.append(f"entity {name}")
            left -= aliases
    if fuzzy:
        named.append("a fuzzy name (looked for in every article)")
    return (*named, *sorted(_shown(compiled.patterns[p].key) for p in left))


def rule_stats(
    engine: Engine, observed: Observed | None = None, notes: Sequence[str] = ()
) -> Stats:
    """Every rule's expected candidates per 1,000 articles, by its anchors in `engine`."""
    compiled = engine.matcher.compiled
    weights = TermWeights(observed=observed)
    filed: dict[int, list[int]] = defaultdict(list)
    for pattern, rules in compiled.filed():
        for index in rules:
            filed[index].append(pattern)
    fuzzy = set(compiled.fuzzy_rules)
    costs: list[RuleCost] = []
    total = 0.0
    for index, rule in enumerate(compiled.rules):
        patterns = filed.get(index, [])
        share = (
            1.0
            if index in fuzzy
            else sum(weights.pattern_share(compiled.patterns[p].key) for p in patterns)
        )
        share = min(1.0, share)
        total += share
        source = engine.ruleset.sources.get(rule.id)
        costs.append(
            RuleCost(
                rule.id,
                source.file if source is not None else "?",
                source.line if source is not None else 0,
                share * 1000,
                _anchors(compiled, index, patterns, index in fuzzy),
            )
        )
    costs.sort(key=lambda cost: (-cost.per_thousand, cost.rule))
    return Stats(
        len(compiled.rules),
        total,
        observed.articles if observed is not None else 0,
        tuple(costs),
        tuple(notes),
    )


def _amount(value: float, places: int) -> str:
    """`value` rounded, or `<0.1` (`<1`) where rounding would print a rule that costs
    something as costing nothing."""
    smallest = 10.0**-places
    if 0 < value < smallest:
        return f"<{smallest:,.{places}f}"
    return f"{value:,.{places}f}"


def _shown_anchors(anchors: Sequence[str]) -> str:
    """The first few anchors, each cut to `SHOWN_CHARACTERS`, and how many more there are."""
    shown = [
        anchor if len(anchor) <= SHOWN_CHARACTERS else anchor[: SHOWN_CHARACTERS - 3] + "..."
        for anchor in anchors[:SHOWN_ANCHORS]
    ]
    more = len(anchors) - len(shown)
    return ", ".join(shown) + (f", ... and {more:,} more" if more else "")


def render_text(stats: Stats, top: int = DEFAULT_TOP) -> str:
    if stats.observed_articles:
        weighed = f"word lists refined by the {stats.observed_articles:,} articles the daemon read"
    elif stats.notes:
        weighed = "word lists alone, as the daemon's term counts could not be used (see the note)"
    else:
        weighed = "word lists alone, as the daemon has read no articles yet"
    lines = [f"note: {note}" for note in stats.notes]
    lines += [
        f"Matching cost of {stats.rules:,} rules; term weights from {weighed}:",
        f"  about {_amount(stats.per_article, 1)} candidate rules per article "
        f"({_amount(stats.per_article * 1000, 0)} per 1,000 articles)",
    ]
    shown = stats.costs[:top]
    if shown:
        lines.append(f"Costliest {len(shown)} rules, candidates per 1,000 articles:")
        for cost in shown:
            lines.append(
                f"  {_amount(cost.per_thousand, 1):>8}  {cost.file}:{cost.line}  {cost.rule}  "
                f"anchored on: {_shown_anchors(cost.anchors)}"
            )
        if shown[0].per_thousand >= 100:
            lines.append(
                "A rule is a candidate in every article that contains one of its anchors (the "
                "rarest terms every match must contain). Rules anchored only on common words "
                "are looked at in most articles: give them a rarer required keyword "
                "(keywords.all) or an entity."
            )
    return "\n".join(printable(line) for line in lines) + "\n"


def render_json(stats: Stats, top: int = DEFAULT_TOP) -> str:
    """One JSON object: exact values and every anchor. `json_safe` escapes what json leaves
    raw (bidi controls, C1, U+2028): rule files and their names are anyone's to write."""
    document = json.dumps(
        {
            "rules": stats.rules,
            "candidates_per_article": round(stats.per_article, 3),
            "observed_articles": stats.observed_articles,
            "notes": list(stats.notes),
            "costliest": [
                {
                    "rule": cost.rule,
                    "file": cost.file,
                    "line": cost.line,
                    "candidates_per_1000_articles": round(cost.per_thousand, 3),
                    "anchors": list(cost.anchors),
                }
                for cost in stats.costs[:top]
            ],
        },
        ensure_ascii=False,
    )
    return json_safe(document) + "\n"
