"""`Matcher`: compile a rule set once, then match articles against it.

Per article the work is: tokenise the title and the body, one automaton pass over each
(`Occurrences`), then evaluate only the candidate rules, those filed under a pattern the
article contains, working out spans only for what those rules ask about. The cost grows
with the article and with the number of rules that could plausibly match, not with the size
of the rule set.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Sequence

from monitor.articles.model import Article
from monitor.gazetteer.model import Entity
from monitor.matching.boolean import ALL_FIELDS
from monitor.matching.compile import CompiledRule, CompiledSet, PatternInfo, compile_ruleset
from monitor.matching.model import DEFAULT_PROMINENCE, Field, Hit, Match, Prominence
from monitor.matching.normalize import TokenizedText, tokenize
from monitor.matching.scan import Occurrences
from monitor.matching.spans import Span
from monitor.matching.speedups import RULE_SEVERAL, gather, rule_matches
from monitor.matching.weights import TermWeights
from monitor.rules.model import RuleSet

_FIELD_NAMES: tuple[Field, ...] = ("title", "body")


class Matcher:
    """Matches articles against a rule set compiled once at construction.

    A rule matches when every entity in `entities` is mentioned (in the title or the body),
    every `keywords.all` term occurs, at least one `keywords.any` term does (if any are
    given), no `keywords.none` term does, its `query` (if any) holds (see
    `monitor.matching.boolean`), and the article's language (`Article.lang`) is one of its
    `languages` (if it has them; an unknown language is none of them). With `prominent`,
    every entity of `entities` must also be prominent (`Occurrences.prominent`: in the
    title, in the lead, or mentioned `Prominence.min_mentions` times). The language is
    asked last, so it is only detected for an article that satisfies everything else.
    Its `Match` lists every hit of its entities, its
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

    def __init__(
        self,
        ruleset: RuleSet,
        blockers: Iterable[Entity] = (),
        weights: TermWeights | None = None,
    ) -> None:
        self._compiled: CompiledSet = compile_ruleset(ruleset, blockers, weights)
        self.prominence = DEFAULT_PROMINENCE

    def with_prominence(self, prominence: Prominence) -> Matcher:
        """This matcher (the same compiled tables) with other `[matching]` settings: they
        are not compiled into anything, so a cached rule set takes the config's own."""
        if prominence == self.prominence:
            return self
        other = copy.copy(self)
        other.prominence = prominence
        return other

    @property
    def compiled(self) -> CompiledSet:
        """The compiled tables (read-only), for `monitor check --stats`."""
        return self._compiled

    def counter(self) -> PatternCounts:
        """A tally of the patterns articles contain, to pass to `scan` (see `PatternCounts`)."""
        return PatternCounts(self._compiled.patterns)

    @property
    def rule_count(self) -> int:
        """How many rules were compiled."""
        return len(self._compiled.rules)

    def match(self, article: Article) -> list[Match]:
        """Every rule the article satisfies, sorted by rule id, each with its hits."""
        return self.scan(article)[0]

    def scan(
        self, article: Article, counts: PatternCounts | None = None
    ) -> tuple[list[Match], str]:
        """`match`, and the article's normalised words (title then body, space-separated):
        the near-duplicate sketch is made of them, so the text is not split twice. The
        patterns the article contains are added to `counts`, if given."""
        fields = (tokenize(article.title), tokenize(article.body))
        compiled = self._compiled
        found = Occurrences(compiled, fields, article, self.prominence)
        if counts is not None:
            counts.add(found.present)
        candidates = gather(
            compiled.wake_offsets, compiled.wake_table, found.present, len(compiled.rules), True
        )
        if compiled.fuzzy_rules:
            candidates = sorted({*candidates, *compiled.fuzzy_rules})
        rules = compiled.rules
        occurring = found.occurring
        hits = _Hits(found, fields)
        matches: list[Match] = []
        # Keyword conditions are decided by `rule_matches`, in rule order (rules are stored
        # sorted by id); rules with entities or a query come back to be evaluated here.
        table, offsets = compiled.rule_table, compiled.rule_offsets
        for code in rule_matches(table, offsets, candidates, occurring):
            if code >= 0:
                rule = rules[code >> 6]
                position = code & 63
                if position == RULE_SEVERAL:
                    matches.append(Match(rule.id, hits.of(rule)))
                else:
                    keyword, term = rule.positive[position]
                    matches.append(Match(rule.id, hits.keyword(keyword, term)))
                continue
            rule = rules[-code - 1]
            if (
                all(map(found.has_term, rule.need_terms))
                and (not rule.any_terms or any(map(found.has_term, rule.any_terms)))
                and not any(map(found.has_term, rule.none_terms))
                and all(map(found.has_entity, rule.need_entities))
                and (not rule.prominent or all(map(found.prominent, rule.need_entities)))
                and (rule.query is None or rule.query.holds(found, ALL_FIELDS))
                and (rule.languages is None or article.lang in rule.languages)
            ):
                matches.append(Match(rule.id, hits.of(rule)))
        return matches, fields[0].text + fields[1].text


class PatternCounts:
    """In how many articles each pattern of one compiled set occurred, since the last drain.

    The daemon keeps one per rule set and drains it into the store now and then
    (`Store.add_term_counts`), where the next compile finds it as `weights.Observed`. Counting
    is one C-level `Counter.update` per article over the patterns it contains.
    """

    __slots__ = ("_counts", "_patterns", "articles", "registered")

    def __init__(self, patterns: Sequence[PatternInfo]) -> None:
        self._patterns = patterns
        self._counts: Counter[int] = Counter()
        self.articles = 0
        # Whether the store knows that every pattern of the set is counted (`keys`), set
        # by the daemon once it has said so: a pattern never seen is then known to be rare.
        self.registered = False

    def keys(self) -> list[str]:
        """Every pattern key the tally covers, seen or not."""
        return [pattern.key for pattern in self._patterns]

    def add(self, present: Iterable[int]) -> None:
        self._counts.update(present)
        self.articles += 1

    def drain(self) -> tuple[dict[str, int], int]:
        """(articles per pattern key, articles counted), and start again from zero."""
        patterns = self._patterns
        counts = {patterns[number].key: n for number, n in self._counts.items()}
        articles = self.articles
        self._counts = Counter()
        self.articles = 0
        return counts, articles


_Part = tuple[str, list[Span], tuple[Hit, ...]]
"""The hits of one keyword or entity of a rule: its label, its spans in order (title first,
then by offset: the key to merge parts by, with the label), and their hits."""


class _Hits:
    """The hits of each matching rule, built from what the scan found, shared between rules.

    Rules share keywords and entities: at 100,000 rules an article can match a thousand
    rules through a few hundred terms. So the hits of each (keyword or name as written,
    term or entity) pair are built once per article, and a rule whose hits all come from
    one pair (the usual case: one `any` keyword occurred) gets that pair's tuple itself,
    with no sorting or merging; `monitor test --json` then encodes such a tuple once.
    """

    __slots__ = ("_entities", "_fields", "_found", "_keywords")

    def __init__(self, found: Occurrences, fields: tuple[TokenizedText, ...]) -> None:
        self._found = found
        self._fields = fields
        # A keyword as written is always the same term (`_Builder.keyword`): keyed by it.
        self._keywords: dict[str, _Part] = {}
        self._entities: dict[tuple[str, int], _Part] = {}

    def _part(self, label: str, spans: list[Span]) -> _Part:
        """A label's spans in order and their hits (equal spans and labels, equal hits)."""
        ordered = sorted(spans)
        fields = self._fields
        new = tuple.__new__  # Hit(...) without the Python-level NamedTuple constructor
        hits = []
        for span in ordered:
            start, end, text = fields[span.field].quote(span.first, span.last)
            hits.append(new(Hit, (label, text, _FIELD_NAMES[span.field], start, end)))
        return label, ordered, tuple(hits)

    def _keyword(self, keyword: str, term: int) -> _Part:
        part = self._keywords.get(keyword)
        if part is None:
            part = self._keywords[keyword] = self._part(keyword, self._found.term_spans(term))
        return part

    def keyword(self, keyword: str, term: int) -> tuple[Hit, ...]:
        """The hits of a rule whose hits all come from this one keyword (which occurs)."""
        return self._keyword(keyword, term)[2]

    def of(self, rule: CompiledRule) -> tuple[Hit, ...]:
        """The rule's positive hits, de-duplicated, in field then offset order."""
        parts: list[_Part] = []
        found = self._found
        for pair in rule.entities:
            part = self._entities.get(pair)
            if part is None:
                part = self._entities[pair] = self._part(pair[0], found.entity_spans(pair[1]))
            if part[2]:
                parts.append(part)
        occurring = found.occurring
        for keyword, term in rule.positive:
            if occurring[term]:
                parts.append(self._keyword(keyword, term))
        if rule.query is None and len(parts) == 1:
            return parts[0][2]
        keyed: dict[tuple[Span, str], Hit] = {}
        for label, spans, hits in parts:
            keyed.update(zip(((span, label) for span in spans), hits, strict=True))
        if rule.query is not None:
            located: list[tuple[str, Span]] = []
            rule.query.collect(found, ALL_FIELDS, located)
            for label, span in located:
                if (span, label) not in keyed:
                    keyed[(span, label)] = self._part(label, [span])[2][0]
        return tuple(keyed[key] for key in sorted(keyed))
