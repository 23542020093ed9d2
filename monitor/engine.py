"""A rule set loaded and compiled together, swapped as one value on reload.

Keeping the rules and their compiled matcher in one frozen value means the article pipeline
always sees a consistent pair, and a reload is a single reference assignment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from monitor.gazetteer import load_builtin
from monitor.matching import Matcher
from monitor.rules.loader import check_notify, load_rules
from monitor.rules.model import Rule, RuleSet


@dataclass(frozen=True)
class Engine:
    ruleset: RuleSet
    matcher: Matcher

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.ruleset.rules}


def load_engine(rules_dir: Path, channels: list[str], base: Path | None = None,
                ) -> tuple[Engine, list[str]]:
    """Load and compile every rule below `rules_dir`; return the engine and all problems.

    The engine holds every rule that is valid; the problems list the rest as
    `FILE:LINE: message`. Whether to accept a partial set is the caller's decision.
    """
    result = load_rules(rules_dir, base)
    unroutable = check_notify(result.ruleset, channels)
    ruleset = result.ruleset
    if unroutable:
        kept = tuple(r for r in ruleset.rules if r.id not in unroutable)
        ruleset = replace(ruleset, rules=kept)
    problems = [*result.problems, *unroutable.values()]
    return Engine(ruleset=ruleset, matcher=Matcher(ruleset, blockers=load_builtin())), problems
