"""A rule set loaded and compiled together, swapped as one value on reload.

Keeping the rules and their compiled matcher in one frozen value means the article pipeline
always sees a consistent pair, and a reload is a single reference assignment. A load slow
enough to be worth it is cached (`monitor.engine_cache`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from monitor import engine_cache
from monitor.errors import RuleError
from monitor.gazetteer import Entity, load_builtin
from monitor.matching import Matcher
from monitor.matching.compile import parse_keyword
from monitor.matching.model import DEFAULT_PROMINENCE, Prominence
from monitor.matching.weights import Observed, TermWeights
from monitor.rules import query
from monitor.rules.loader import LoadResult, load_rules, load_rules_data
from monitor.rules.model import Rule, RuleSet


@dataclass(frozen=True)
class Engine:
    ruleset: RuleSet
    matcher: Matcher
    warnings: tuple[str, ...] = ()
    """`FILE:LINE: warning: ...` about rules that load but are likely mistakes."""

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.ruleset.rules}

    @cached_property
    def language_rules(self) -> frozenset[str]:
        """The ids of the rules that ask for the article's language (`languages:`, `lang:`)."""
        queries = self.ruleset.queries
        return frozenset(
            rule.id
            for rule in self.ruleset.rules
            if rule.languages is not None
            or (rule.id in queries and query.languages(queries[rule.id]))
        )


EPOCH_ARTICLES = 1024
"""Term counts of fewer articles than this leave the cache key alone: against the word
lists' 200 articles' worth of evidence (`weights.PRIOR_ARTICLES`) they change few anchors,
and a large rule set would otherwise be compiled again at restarts in its first hours."""


def load_engine(
    rules_dir: Path,
    channels: list[str],
    base: Path | None = None,
    observed: Observed | None = None,
    prominence: Prominence = DEFAULT_PROMINENCE,
) -> tuple[Engine, list[str]]:
    """Load and compile every rule below `rules_dir`; return the engine and all problems.

    The engine holds every rule that is valid; the problems list the rest as
    `FILE:LINE: message`. Whether to accept a partial set is the caller's decision.
    A load that took `engine_cache.MIN_SECONDS` or more is cached. Never raises for what a
    rule file holds: a rule the matcher cannot compile is a problem too (see `_compile`).
    `observed` (what the daemon saw matching, from the store) refines the term weights
    anchors are chosen by. The cache key holds only its order of magnitude (the bit length
    of the articles counted, from `EPOCH_ARTICLES` on): anchors change speed, never answers,
    so a cached set is compiled again with the counts so far each time they double, and a
    restart in between takes the cache.
    `prominence` (`[matching]`) is applied to the engine loaded or cached, not compiled in.
    """
    engine, problems = _load_engine(rules_dir, channels, base, observed)
    if prominence != engine.matcher.prominence:
        engine = replace(engine, matcher=engine.matcher.with_prominence(prominence))
    return engine, problems


def _load_engine(
    rules_dir: Path, channels: list[str], base: Path | None, observed: Observed | None
) -> tuple[Engine, list[str]]:
    counted = observed.articles if observed is not None else 0
    epoch = counted.bit_length() if counted >= EPOCH_ARTICLES else 0
    with engine_cache.collector_paused():
        key = engine_cache.cache_key(rules_dir, channels, base, epoch)
        cached = _from_cache(key)
        if cached is not None:
            return cached
        started = time.monotonic()
        loaded, inputs = _load(rules_dir, channels, base, TermWeights(observed=observed))
        if time.monotonic() - started >= engine_cache.MIN_SECONDS:
            # Stored under the bytes compiled, whatever the files hold by now.
            stored = engine_cache.key_of(inputs, rules_dir, channels, base, epoch)
            if stored is not None:
                engine_cache.write_behind(stored, loaded)
        return loaded


def _from_cache(key: str | None) -> tuple[Engine, list[str]] | None:
    """The engine and problems cached under `key`, if that is what the cache holds."""
    cached = engine_cache.read(key)
    if not isinstance(cached, tuple) or len(cached) != 2:
        return None
    engine, problems = cached
    if not isinstance(engine, Engine) or not isinstance(problems, list):
        return None
    return engine, problems


def _load(
    rules_dir: Path, channels: list[str], base: Path | None, weights: TermWeights
) -> tuple[tuple[Engine, list[str]], str | None]:
    """The engine and problems, and `LoadResult.inputs` (None: not to be cached)."""
    try:
        result = load_rules(rules_dir, base, channels=channels, keyword_problem=_keyword_problem)
    except Exception as exc:  # it reports every file's problems itself: this is a bug
        empty = RuleSet(rules=())
        problem = f"{rules_dir}:1: could not load the rules: {type(exc).__name__}: {str(exc)[:200]}"
        engine = Engine(ruleset=empty, matcher=Matcher(empty, blockers=load_builtin()))
        return (engine, [problem]), None
    return _compile(result, rules_dir, weights), result.inputs


def load_data(
    data: bytes, shown: str, channels: Collection[str], entities: Iterable[Entity] = ()
) -> LoadResult:
    """One rule file's bytes loaded as `load_engine` loads the rules folder's files (with
    the matcher's say on keywords' spelling), named `shown` in messages; `entities` are
    known beside the built-in ones (`load_rules_data`). For rules tried out, never saved."""
    return load_rules_data(
        data, shown, channels=channels, keyword_problem=_keyword_problem, entities=entities
    )


def compile_loaded(
    result: LoadResult,
    shown: str,
    prominence: Prominence = DEFAULT_PROMINENCE,
    extra: Callable[[RuleSet], RuleSet] | None = None,
) -> tuple[Engine, list[str]]:
    """The engine of rules `load_data` loaded, and all problems: the load's, and those of
    the rules the matcher refuses (see `_compile`); `shown` names the rules in a problem
    about all of them. Nothing is cached; anchors are chosen by the word lists alone.

    `extra(ruleset)`, if given, are more rules for the rules compiled (`explain.probe_rules`
    of each): compiled into the same matcher, which then answers for them too, but not the
    engine's rules. One compile instead of two: compiling the built-in names that can
    block a hit costs most of a small rule set's compile, whatever its size.
    """
    engine, problems = _compile(result, Path(shown), TermWeights(), extra)
    if prominence != engine.matcher.prominence:
        engine = replace(engine, matcher=engine.matcher.with_prominence(prominence))
    return engine, problems


def _keyword_problem(rule_id: str, keyword: str) -> str | None:
    """What the matcher has against a keyword's spelling, or None (for the loader)."""
    try:
        parse_keyword(rule_id, keyword)
    except RuleError as exc:
        return str(exc)
    return None


def _compile(
    result: LoadResult,
    rules_dir: Path,
    weights: TermWeights,
    extra: Callable[[RuleSet], RuleSet] | None = None,
) -> tuple[Engine, list[str]]:
    """The engine of the loaded rules; a rule that fails to compile is left out, as a problem.

    The loader checks what the matcher relies on except the spelling of a valid rule's
    keywords, which compiling checks anyway (`parse_keyword`: a `*` inside a word, no letter
    at all); checking every keyword in the loader too would cost every load a second pass
    over all of them. So when compiling fails, every keyword at fault is found then, each a
    problem on its own line, its rule left out and the rest compiled again. Should that fail
    too (a bug), the engine is empty and the problem names the rules folder: the daemon
    keeps the rules it runs, `check` says why.
    """
    ruleset = result.ruleset
    problems = list(result.problems)
    warnings = result.warnings
    blockers = load_builtin()

    def matcher_of(rules: RuleSet) -> Matcher:
        return Matcher(_joined(rules, extra), blockers=blockers, weights=weights)

    try:
        matcher = matcher_of(ruleset)
        return Engine(ruleset=ruleset, matcher=matcher, warnings=warnings), problems
    except Exception:
        pass
    refused = _bad_keywords(result)
    ruleset = replace(ruleset, rules=tuple(r for r in ruleset.rules if r.id not in refused))
    found = [problem for problems_of_rule in refused.values() for problem in problems_of_rule]
    problems = list(result.in_file_order([*problems, *found]))
    try:
        matcher = matcher_of(ruleset)
        return Engine(ruleset=ruleset, matcher=matcher, warnings=warnings), problems
    except Exception as exc:
        empty = RuleSet(rules=())
        problems.append(
            f"{rules_dir}:1: could not compile the rules: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return Engine(ruleset=empty, matcher=Matcher(empty, blockers=blockers)), problems


def _joined(ruleset: RuleSet, extra: Callable[[RuleSet], RuleSet] | None) -> RuleSet:
    """`ruleset` with the rules `extra` adds for it (see `compile_loaded`)."""
    if extra is None:
        return ruleset
    more = extra(ruleset)
    return replace(
        ruleset,
        rules=(*ruleset.rules, *more.rules),
        entities={**ruleset.entities, **more.entities},
        queries={**ruleset.queries, **more.queries},
    )


def _bad_keywords(result: LoadResult) -> dict[str, list[str]]:
    """Rules with keywords the matcher refuses: rule id -> a `FILE:LINE: message` for each."""
    refused: dict[str, list[str]] = {}
    for rule in result.ruleset.rules:
        for group in ("all", "any", "none"):
            for i, keyword in enumerate(getattr(rule.keywords, group)):
                message = _keyword_problem(rule.id, keyword)
                if message is not None:
                    where = result.where(rule.id, ("keywords", group, i))
                    refused.setdefault(rule.id, []).append(f"{where}: {message}")
    return refused
