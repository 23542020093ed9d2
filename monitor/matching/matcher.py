"""`Matcher`: compile a rule set once, then match articles against it.

Per article the work is: tokenise the title and the body, one automaton pass over each
(`Occurrences`), then evaluate only the candidate rules, those filed under a pattern the
article contains, working out spans only for what those rules ask about. The cost grows
with the article and with the number of rules that could plausibly match, not with the size
of the rule set.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.articles.model import Article
from monitor.gazetteer.model import Entity
from monitor.matching.boolean import ALL_FIELDS
from monitor.matching.compile import CompiledRule, CompiledSet, compile_ruleset
from monitor.matching.model import Field, Hit, Match
from monitor.matching.normalize import TokenizedText, tokenize
from monitor.matching.scan import Occurrences
from monitor.matching.spans import Span
from monitor.rules.model import RuleSet

_FIELD_NAMES: tuple[Field, ...] = ("title", "body")


class Matcher:
    """Matches articles against a rule set compiled once at construction.

    A rule matches when every entity in `entities` is mentioned (in the title or the body),
    every `keywords.all` term occurs, at least one `keywords.any` term does (if any are
    given), no `keywords.none` term does, and its `query` (if any) holds (see
    `monitor.matching.boolean`). Its `Match` lists every hit of its entities, its
    `all`/`any` keywords and the positive terms that made its query true, de-duplicated,
    title first, then by offset; `term` is the keyword, the query term or the entity name as
    the rule wrote it.

    `blockers` are extra entities (the daemon passes every built-in one) whose aliases are
    compiled only so that their longer names suppress hits they contain: with North Korea
    as a blocker, "Democratic People's Republic of Korea" does not count as South Korea's
    "Republic of Korea" even when no rule names North Korea. Every entity in
    `ruleset.entities` blocks in the same way.

    Construction raises ValueError for a rule whose `query` does not parse, a keyword
    with a misplaced `*` or without any letter or digit, or an entity name missing from
    `ruleset.entities`. A `Matcher` never changes afterwards, so it can be shared between
    threads and swapped atomically on reload.
    """

    def __init__(self, ruleset: RuleSet, blockers: Iterable[Entity] = ()) -> None:
        self._compiled: CompiledSet = compile_ruleset(ruleset, blockers)

    @property
    def rule_count(self) -> int:
        """How many rules were compiled."""
        return len(self._compiled.rules)

    def match(self, article: Article) -> list[Match]:
        """Every rule the article satisfies, sorted by rule id, each with its hits."""
        return self.scan(article)[0]

    def scan(self, article: Article) -> tuple[list[Match], str]:
        """`match`, and the article's normalised words (title then body, space-separated):
        the near-duplicate sketch is made of them, so the text is not split twice."""
        fields = (tokenize(article.title), tokenize(article.body))
        compiled = self._compiled
        found = Occurrences(compiled, fields)
        woken = compiled.pattern_rules
        candidates: set[int] = set(compiled.fuzzy_rules)
        for pattern in found.present:
            wakes = woken.get(pattern)
            if wakes is not None:
                candidates.update(wakes)
        rules = compiled.rules
        has_term = found.has_term
        has_entity = found.has_entity
        made: dict[tuple[Span, str], Hit] = {}  # rules share terms: one Hit per (span, term)
        matches: list[Match] = []
        for index in sorted(candidates):  # rules are stored sorted by id
            rule = rules[index]
            if (
                all(map(has_term, rule.need_terms))
                and all(map(has_entity, rule.need_entities))
                and (not rule.any_terms or any(map(has_term, rule.any_terms)))
                and not any(map(has_term, rule.none_terms))
                and (rule.query is None or rule.query.holds(found, ALL_FIELDS))
            ):
                matches.append(_match(rule, found, fields, made))
        return matches, fields[0].text + fields[1].text


def _match(
    rule: CompiledRule,
    found: Occurrences,
    fields: tuple[TokenizedText, ...],
    made: dict[tuple[Span, str], Hit],
) -> Match:
    """The rule's positive hits, de-duplicated, in field then offset order.

    Distinct (span, term) pairs give distinct hits, so they are de-duplicated and sorted as
    pairs; `made` holds the hits already built for this article.
    """
    entity_spans = found.entity_spans
    term_spans = found.term_spans
    located: list[tuple[str, Span]] = [
        (name, span) for name, entity in rule.entities for span in entity_spans(entity)
    ]
    located += [
        (keyword, span) for keyword, term in (*rule.all, *rule.any) for span in term_spans(term)
    ]
    if rule.query is not None:
        rule.query.collect(found, ALL_FIELDS, located)
    hits: list[Hit] = []
    new = tuple.__new__  # Hit(...) without the Python-level NamedTuple constructor
    for pair in sorted({(span, term) for term, span in located}):
        hit = made.get(pair)
        if hit is None:
            span, term = pair
            start, end, text = fields[span.field].quote(span.first, span.last)
            hit = made[pair] = new(Hit, (term, text, _FIELD_NAMES[span.field], start, end))
        hits.append(hit)
    return Match(rule.id, tuple(hits))
