"""`monitor test --rule ID`: why a rule matched an article, or why it did not.

Each condition of the rule (every entity, every `all` keyword, the `any` list, every `none`
keyword, the query) becomes a one-condition probe rule, and all probes are compiled into one
ordinary `Matcher`. So the explanation is produced by the same engine that decides matches,
never by a second implementation that could disagree with it.

A query is taken apart the same way: each of its terms (with its `title:`/`body:` scope) is
a probe, so "not found" says which term is missing, and so is each side of every
`NEAR`/`ONEAR`, whose hits give the closest distance found between the two sides, in the
matcher's words (`tokenize`), against the distance the query allows.

A rule's `languages:` and each `lang:` of its query are checked against `Article.lang`
(what the matcher compares too), with where the language came from: declared by the
source, or detected from the text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from monitor.articles.model import Article
from monitor.engine import Engine
from monitor.errors import UnknownRule
from monitor.gazetteer import load_builtin
from monitor.matching import Matcher, TokenizedText, tokenize
from monitor.matching.model import Hit, Match
from monitor.rules import query as q
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.textsafe import printable


@dataclass(frozen=True, slots=True)
class Check:
    """One condition of a rule and whether the article satisfies it."""

    condition: str
    ok: bool
    hits: tuple[Hit, ...] = ()
    parts: tuple[Check, ...] = ()
    """For a query: each term, and each NEAR/ONEAR with its closest distance in `note`."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: str
    matched: bool
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class _Probe:
    id: str
    condition: str
    kind: str  # "need" (must be found), "none" (must not be found), "any" (one of a group),
    # "query" (must hold), "part" (a term or a NEAR side of the query, shown under it)


@dataclass(frozen=True)
class _NearProbe:
    condition: str
    left: str  # probe ids of the two sides
    right: str
    distance: int
    ordered: bool


@dataclass(frozen=True)
class _Plan:
    """The probes of one rule: what `Explainer` compiles, or a caller compiles for it."""

    probes: tuple[_Probe, ...]
    ruleset: RuleSet
    """A one-condition rule per probe (its id the probe's), and the query parts parsed."""
    terms: tuple[_Probe, ...]
    nears: tuple[_NearProbe, ...]
    langs: tuple[q.Lang, ...]


def _rule(rules: Mapping[str, Rule], rule_id: str) -> Rule:
    if rule_id not in rules:
        known = ", ".join(sorted(rules)) or "none"
        raise UnknownRule(f"no rule `{rule_id}` is loaded (loaded: {known})")
    return rules[rule_id]


def _plan(rule: Rule, ruleset: RuleSet, prefix: str) -> _Plan:
    """The probes of `rule` (of `ruleset`), their ids `prefix` and a number."""
    probes: list[tuple[_Probe, Rule]] = []

    def add(condition: str, kind: str, **fields: object) -> None:
        probe = _Probe(f"{prefix}{len(probes)}", condition, kind)
        probes.append((probe, Rule.model_validate({"id": probe.id, **fields})))

    for name in rule.entities:
        add(f"entity {name}", "need", entities=[name])
    for word in rule.keywords.all:
        add(f"keyword {word}", "need", keywords=Keywords(any=[word]))
    for word in rule.keywords.any:
        add(word, "any", keywords=Keywords(any=[word]))
    for word in rule.keywords.none:
        add(f"not {word}", "none", keywords=Keywords(any=[word]))
    queries: dict[str, q.QueryNode] = {}
    terms: list[_Probe] = []
    nears: list[_NearProbe] = []
    langs: list[q.Lang] = []

    def part(node: q.QueryNode) -> str:
        text = q.to_text(node)
        add(text, "part", query=text)
        queries[probes[-1][0].id] = node
        return probes[-1][0].id

    if rule.query is not None:
        add(f"query {rule.query}", "query", query=rule.query)
        parsed = ruleset.queries.get(rule.id)
        if parsed is not None:
            queries[probes[-1][0].id] = parsed
            for kind, node in dict.fromkeys(_parts(parsed)):
                if kind == "lang":
                    assert isinstance(node, q.Lang)
                    langs.append(node)
                elif kind == "term":
                    part(node)
                    terms.append(probes[-1][0])
                else:
                    near = node.child if isinstance(node, q.Field) else node
                    assert isinstance(near, q.Near)
                    scope = node.field if isinstance(node, q.Field) else None
                    nears.append(
                        _NearProbe(
                            q.to_text(node),
                            part(_scoped(near.left, scope)),
                            part(_scoped(near.right, scope)),
                            near.distance,
                            near.ordered,
                        )
                    )
    return _Plan(
        probes=tuple(p for p, _ in probes),
        ruleset=RuleSet(
            rules=tuple(r for _, r in probes), entities=ruleset.entities, queries=queries
        ),
        terms=tuple(terms),
        nears=tuple(nears),
        langs=tuple(langs),
    )


def probe_rules(ruleset: RuleSet, rule_id: str, prefix: str) -> RuleSet:
    """The one-condition rules (ids `prefix` and a number) that explain rule `rule_id`, for
    a caller that compiles them beside the rules themselves: one compile, and one scan of
    an article, then answer both (see `Explainer`'s `shared`). The prefix must start no
    other rule's id. `UnknownRule` if `ruleset` has no such rule."""
    rule = _rule({rule.id: rule for rule in ruleset.rules}, rule_id)
    return _plan(rule, ruleset, prefix).ruleset


class Explainer:
    """Compiles the probes of one rule once; `explain` then runs per article.

    With `shared`, nothing is compiled: the engine's matcher holds the probes already
    (`probe_rules(engine.ruleset, rule_id, prefix)` compiled beside the rules), and the
    matches `explain` is given, the engine's answer for the article, hold their hits.
    """

    def __init__(
        self, engine: Engine, rule_id: str, *, prefix: str = "p", shared: bool = False
    ) -> None:
        self.engine = engine
        self.rule = _rule(engine.rules, rule_id)
        plan = _plan(self.rule, engine.ruleset, prefix)
        self._probes = plan.probes
        self._terms = plan.terms
        self._nears = plan.nears
        self._langs = plan.langs
        self._matcher: Matcher | None = None
        if not shared:
            self._matcher = Matcher(plan.ruleset, blockers=load_builtin()).with_prominence(
                engine.matcher.prominence
            )

    def explain(self, article: Article, matches: Sequence[Match] | None = None) -> Explanation:
        """Why the rule matched `article` or not; `matches` is the engine's answer for it,
        when the caller has it already (matching again would double the cost)."""
        if matches is None:
            matches = self.engine.matcher.match(article)
        probed = matches if self._matcher is None else self._matcher.match(article)
        found = {m.rule: m.hits for m in probed}
        checks: list[Check] = []
        any_group = [p for p in self._probes if p.kind == "any"]
        for probe in self._probes:
            hits = found.get(probe.id, ())
            if probe.kind in ("any", "part"):
                continue
            ok = not hits if probe.kind == "none" else bool(hits)
            parts = self._query_parts(article, found) if probe.kind == "query" else ()
            checks.append(Check(probe.condition, ok, hits, parts))
        if any_group:
            hits = tuple(h for p in any_group for h in found.get(p.id, ()))
            words = ", ".join(self.rule.keywords.any)
            checks.append(Check(f"at least one of {words}", bool(hits), hits))
        if self.rule.prominent:
            checks += self._prominence(article, found)
        if self.rule.languages is not None:
            wanted = self.rule.languages
            checks.append(
                Check(
                    f"language one of {', '.join(wanted)}",
                    article.lang in wanted,
                    note=f"the article's language is {language_note(article)}",
                )
            )
        matched = any(m.rule == self.rule.id for m in matches)
        return Explanation(self.rule.id, matched, tuple(checks))

    def _prominence(self, article: Article, found: dict[str, tuple[Hit, ...]]) -> list[Check]:
        """`prominent: true`: for each entity, where its mentions are (the title, the lead,
        later in the body: how many, at which word of the body), then which of the three
        ways made it prominent, or why none did."""
        setting = self.engine.matcher.prominence
        body = tokenize(article.body)
        checks = []
        for probe in self._probes:
            if probe.kind != "need" or not probe.condition.startswith("entity "):
                continue
            name = probe.condition.removeprefix("entity ")
            hits = found.get(probe.id, ())
            title = sum(1 for hit in hits if hit.field == "title")
            words = [bisect_left(body.begins, hit.start) + 1 for hit in hits if hit.field == "body"]
            lead = [word for word in words if word <= setting.lead_words]
            later = [word for word in words if word > setting.lead_words]
            ways = [
                way
                for way, holds in (
                    ("the title", title),
                    ("the lead", lead),
                    (f"{len(hits)} mentions", len(hits) >= setting.min_mentions),
                )
                if holds
            ]
            ok = bool(hits) and bool(ways)
            where = [
                f"{title} in the title" if title else "not in the title",
                (
                    f"{len(lead)} in the lead ({_at(lead)} of the first {setting.lead_words})"
                    if lead
                    else f"not in the lead (the first {setting.lead_words} words)"
                ),
                *([f"{len(later)} later in the body ({_at(later)})"] if later else []),
                f"{len(hits)} mention{'' if len(hits) == 1 else 's'} in all "
                f"({setting.min_mentions} make it prominent anywhere)",
            ]
            if not hits:
                note = "not prominent: not mentioned at all"
            elif ok:
                note = f"prominent, by {_listed(ways)}: {'; '.join(where)}"
            else:
                note = f"not prominent: {'; '.join(where)}"
            checks.append(Check(f"entity {name} is prominent", ok, hits, note=note))
        return checks

    def _query_parts(
        self, article: Article, found: dict[str, tuple[Hit, ...]]
    ) -> tuple[Check, ...]:
        """Each term of the query, found or not, then each NEAR with its closest distance."""
        parts = [
            Check(p.condition, bool(found.get(p.id)), found.get(p.id, ())) for p in self._terms
        ]
        for lang in self._langs:
            ok = article.lang in lang.codes
            verdict = "holds" if ok else "does not hold"
            note = f"{verdict}: the article's language is {language_note(article)}"
            parts.append(Check(q.to_text(lang), ok, note=note))
        if self._nears:
            fields = {"title": tokenize(article.title), "body": tokenize(article.body)}
            for near in self._nears:
                lefts, rights = found.get(near.left, ()), found.get(near.right, ())
                closest = _closest(lefts, rights, fields, near.ordered)
                ok = closest is not None and closest <= near.distance
                note = _distance_note(closest, near, both=bool(lefts and rights))
                parts.append(Check(near.condition, ok, note=note))
        return tuple(parts)


def _at(words: Sequence[int]) -> str:
    """`word 12` or `words 3, 40, 71` (the first five, then `...`): body word numbers."""
    shown = ", ".join(map(str, words[:5])) + (", ..." if len(words) > 5 else "")
    return f"word{'s' if len(words) > 1 else ''} {shown}"


def _listed(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _parts(
    node: q.QueryNode, scope: q.FieldName | None = None
) -> Iterator[tuple[str, q.QueryNode]]:
    """("term", leaf) for every term and entity of a query, ("near", node) for every
    NEAR/ONEAR, in order, each within the `title:`/`body:` scope it is under, and ("lang",
    node) for every `lang:`."""
    if isinstance(node, q.Field):
        yield from _parts(node.child, node.field)
        return
    if isinstance(node, q.Term | q.Entity):
        yield "term", _scoped(node, scope)
        return
    if isinstance(node, q.Lang):
        yield "lang", node
        return
    if isinstance(node, q.Near):
        yield "near", _scoped(node, scope)
    for child in q.children(node):
        yield from _parts(child, scope)


def _scoped(node: q.QueryNode, scope: q.FieldName | None) -> q.QueryNode:
    return node if scope is None or isinstance(node, q.Field) else q.Field(scope, node)


def _closest(
    lefts: Sequence[Hit],
    rights: Sequence[Hit],
    fields: dict[str, TokenizedText],
    ordered: bool,
) -> int | None:
    """The fewest words between a hit of `lefts` and one of `rights` in the same field, not
    overlapping (with `ordered`, the left one first); None if no such pair exists.

    For each left hit, the nearest right hit after it (and before it, unless `ordered`) is
    found by bisection in the right hits' sorted word positions: trying every pair took
    most of a minute for a long article with many NEARs of frequent words.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for b in rights:
        spans.setdefault(b.field, []).append(_words(b, fields[b.field]))
    sides = {
        field: (sorted(f for f, _ in got), sorted(last for _, last in got))
        for field, got in spans.items()
    }
    best: int | None = None
    for a in lefts:
        side = sides.get(a.field)
        if side is None:
            continue
        firsts, lasts = side
        first_a, last_a = _words(a, fields[a.field])
        after = bisect_right(firsts, last_a)  # the first right hit starting after `a` ends
        if after < len(firsts):
            between = firsts[after] - last_a - 1
            best = between if best is None else min(best, between)
        if not ordered:
            before = bisect_left(lasts, first_a) - 1  # the last one ending before `a` starts
            if before >= 0:
                between = first_a - lasts[before] - 1
                best = between if best is None else min(best, between)
    return best


def _words(hit: Hit, tokens: TokenizedText) -> tuple[int, int]:
    """The first and last word of a hit (hits quote whole words: `TokenizedText.quote`)."""
    return bisect_left(tokens.begins, hit.start), bisect_left(tokens.ends, hit.end)


def _distance_note(closest: int | None, near: _NearProbe, both: bool) -> str:
    needs = f"needs at most {near.distance}"
    if not both:
        return f"not both sides are found ({needs} words apart)"
    if closest is None:
        order = " with the left side first" if near.ordered else ""
        return f"the two sides are never in one field{order} ({needs} words apart)"
    words = "word" if closest == 1 else "words"
    return f"closest: {closest} {words} apart, {needs}"


def language_note(article: Article) -> str:
    """`de (declared)`, `fr (detected)`, or why there is none."""
    if article.lang is None:
        return "unknown (none declared, and too little text to tell)"
    return f"{article.lang} ({article.lang_source})"


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
        if check.note:
            lines.append(f"        {check.note}")
        elif not check.hits and not check.condition.startswith("not "):
            lines.append("        not found")
        for part in check.parts:
            if part.note:
                lines.append(f"        {part.condition}: {part.note}")
                continue
            lines.append(f"        {part.condition}: {'found' if part.ok else 'not found'}")
            for hit in part.hits[:3]:
                source = article.title if hit.field == "title" else article.body
                lines.append(f"            {hit.field}: {context(source, hit.start, hit.end)}")
    # Article text and file names are untrusted: no raw newline, ESC or bidi override.
    return "\n".join(map(printable, lines)) + "\n"
