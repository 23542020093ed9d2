"""`monitor test --rule ID`: why a rule matched an article, or why it did not.

Each condition of the rule (every entity, every `all` keyword, the `any` list, every `none`
keyword, the query) becomes a one-condition probe rule, and all probes are compiled into one
ordinary `Matcher`. So the explanation is produced by the same engine that decides matches,
never by a second implementation that could disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.articles.model import Article
from monitor.engine import Engine
from monitor.errors import UnknownRule
from monitor.gazetteer import load_builtin
from monitor.matching import Matcher
from monitor.matching.model import Hit
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.textsafe import printable


@dataclass(frozen=True, slots=True)
class Check:
    """One condition of a rule and whether the article satisfies it."""

    condition: str
    ok: bool
    hits: tuple[Hit, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: str
    matched: bool
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class _Probe:
    id: str
    condition: str
    kind: str  # "need" (must be found), "none" (must not be found), "any" (one of a group)


class Explainer:
    """Compiles the probes of one rule once; `explain` then runs per article."""

    def __init__(self, engine: Engine, rule_id: str) -> None:
        if rule_id not in engine.rules:
            known = ", ".join(sorted(engine.rules)) or "none"
            raise UnknownRule(f"no rule `{rule_id}` is loaded (loaded: {known})")
        self.engine = engine
        self.rule = engine.rules[rule_id]
        probes: list[tuple[_Probe, Rule]] = []

        def add(condition: str, kind: str, **fields: object) -> None:
            probe = _Probe(f"p{len(probes)}", condition, kind)
            probes.append((probe, Rule.model_validate({"id": probe.id, **fields})))

        rule = self.rule
        for name in rule.entities:
            add(f"entity {name}", "need", entities=[name])
        for word in rule.keywords.all:
            add(f"keyword {word}", "need", keywords=Keywords(any=[word]))
        for word in rule.keywords.any:
            add(word, "any", keywords=Keywords(any=[word]))
        for word in rule.keywords.none:
            add(f"not {word}", "none", keywords=Keywords(any=[word]))
        queries = {}
        if rule.query is not None:
            add(f"query {rule.query}", "need", query=rule.query)
            parsed = engine.ruleset.queries.get(rule.id)
            if parsed is not None:
                queries[probes[-1][0].id] = parsed
        self._probes = [p for p, _ in probes]
        ruleset = RuleSet(
            rules=tuple(r for _, r in probes), entities=engine.ruleset.entities, queries=queries
        )
        self._matcher = Matcher(ruleset, blockers=load_builtin())

    def explain(self, article: Article) -> Explanation:
        found = {m.rule: m.hits for m in self._matcher.match(article)}
        checks: list[Check] = []
        any_group = [p for p in self._probes if p.kind == "any"]
        for probe in self._probes:
            hits = found.get(probe.id, ())
            if probe.kind == "any":
                continue
            ok = not hits if probe.kind == "none" else bool(hits)
            checks.append(Check(probe.condition, ok, hits))
        if any_group:
            hits = tuple(h for p in any_group for h in found.get(p.id, ()))
            words = ", ".join(self.rule.keywords.any)
            checks.append(Check(f"at least one of {words}", bool(hits), hits))
        matched = any(m.rule == self.rule.id for m in self.engine.matcher.match(article))
        return Explanation(self.rule.id, matched, tuple(checks))


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The original text around a hit, the hit in [brackets], on one line (line breaks are
    layout here, so they become spaces; callers escape anything else unsafe)."""
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    found = text[start:end].replace("\n", " ")
    return f"...{left}[{found}]{right}..."


def render(article: Article, explanation: Explanation) -> str:
    verdict = "matches" if explanation.matched else "does not match"
    lines = [f"  rule {explanation.rule} {verdict}:"]
    for check in explanation.checks:
        mark = "[x]" if check.ok else "[ ]"
        lines.append(f"    {mark} {check.condition}")
        for hit in check.hits[:5]:
            source = article.title if hit.field == "title" else article.body
            lines.append(f"        {hit.field}: {context(source, hit.start, hit.end)}")
        if not check.hits and not check.condition.startswith("not "):
            lines.append("        not found")
    # Article text and file names are untrusted: no raw newline, ESC or bidi override.
    return "\n".join(map(printable, lines)) + "\n"
