"""What an article contains, from one automaton pass per field, worked out only where asked.

The pattern search finds every pattern occurrence in one sweep of each normalised field; the
hits are grouped by pattern and kept as the numbers of the words they start at. Everything
else is computed on demand and remembered, because an article wakes only a few rules and most
of its hits (every country, every topic word) concern rules that are not candidates:

1. a term's spans (token positions) are built from its pattern's hits the first time a rule
   asks; a phrase hit that crosses a sentence break is dropped unless the term allows it;
2. `exact` alias hits are checked against the original text's case;
3. longest-match suppression: an entity hit lying strictly inside a longer alias hit (of any
   entity) is dropped ("Republic of Korea" inside "Democratic People's Republic of Korea",
   "Guinea" inside "Papua New Guinea"); only the longer aliases that contain the hit's
   words (`CompiledSet.containers`, listed at compile time) need looking at; keyword hits
   are never suppressed. A compound's hit (中美, China and the US) is also dropped when
   another alias hit overlaps it (其中美国, "among them the US") or a number comes right
   before it (10日中国: 日 is "day" there);
4. fuzzy aliases, only when some rule's entity asks for them, on the words no exact alias
   hit covers (with the same suppression among fuzzy hits: "Jens Stoltenburg", not also
   "Stoltenburg").

Whether a one-word term occurs needs no span at all: its pattern was hit or not.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.articles.model import Article
from monitor.matching.compile import CompiledSet
from monitor.matching.model import DEFAULT_PROMINENCE, Prominence
from monitor.matching.normalize import TokenizedText
from monitor.matching.spans import Span
from monitor.matching.speedups import gather


class Occurrences:
    """Spans per keyword term (`term_spans`) and per entity (`entity_spans`) in one article.

    `present` holds every pattern the automaton hit, in either field: the candidate index
    works from it, and a one-word term occurs exactly when its pattern is in it. `occurring`
    marks every keyword term that occurs (one byte per term), worked out at once from
    `present` (a phrase only when one of its hits crosses no sentence break it may not):
    candidate rules test their keywords against it in C (`speedups.rule_matches`).

    The span lists returned are remembered and shared: callers must not change them. Nothing
    here refers back to the `Occurrences` (no bound methods kept in its own tables), so an
    article's whole graph is freed by reference counting the moment matching ends, rather
    than waiting, cyclic, for the garbage collector: that wait cost about 8 % of matching.
    """

    __slots__ = (
        "_alias_hits",
        "_article",
        "_compiled",
        "_entity_spans",
        "_fields",
        "_fuzzy",
        "_hits",
        "_pattern_spans",
        "_term_spans",
        "lead_words",
        "min_mentions",
        "occurring",
        "present",
    )

    def __init__(
        self,
        compiled: CompiledSet,
        fields: Sequence[TokenizedText],
        article: Article | None = None,
        prominence: Prominence = DEFAULT_PROMINENCE,
    ) -> None:
        self._compiled = compiled
        self._fields = fields
        self._article = article
        self.lead_words = prominence.lead_words
        self.min_mentions = prominence.min_mentions
        automaton = compiled.automaton
        self._hits: list[dict[int, list[int]]] = [
            {} if automaton is None else automaton.hits(tokens.text) for tokens in fields
        ]
        self.present: set[int] = set().union(*self._hits)
        self._pattern_spans: dict[int, list[Span]] = {}
        self._alias_hits: dict[int, dict[Span, list[int]]] = {}
        self._fuzzy: dict[int, list[Span]] | None = None
        self._term_spans: dict[int, list[Span]] = {}
        self._entity_spans: dict[int, list[Span]] = {}
        self.occurring: bytearray = self._occurring()

    def _occurring(self) -> bytearray:
        compiled = self._compiled
        occurring = gather(
            compiled.word_offsets, compiled.word_table, self.present, len(compiled.terms), False
        )
        phrases = compiled.phrase_terms
        for pattern in self.present.intersection(compiled.phrase_patterns):
            for term in phrases[pattern]:
                if self._phrase_occurs(term):
                    occurring[term] = 1
        return occurring

    def _phrase_occurs(self, term: int) -> bool:
        """Whether some hit of a phrase term crosses no sentence break it may not: its first
        valid hit settles it, without building the term's spans (only a matching rule's
        hits need those)."""
        info = self._compiled.terms[term]
        extra = self._compiled.patterns[info.pattern].size - 1
        for number, hits in enumerate(self._hits):
            firsts = hits.get(info.pattern)
            if firsts:
                field = self._fields[number]
                for first in firsts:
                    if _allowed(field, first, first + extra, info.allowed_breaks):
                        return True
        return False

    def term_spans(self, term: int) -> list[Span]:
        """Where the keyword term occurs (worked out on first use)."""
        spans = self._term_spans.get(term)
        if spans is None:
            spans = self._term_spans[term] = self._find_term(term)
        return spans

    def entity_spans(self, entity: int) -> list[Span]:
        """Where the entity is mentioned (worked out on first use)."""
        spans = self._entity_spans.get(entity)
        if spans is None:
            spans = self._entity_spans[entity] = self._find_entity(entity)
        return spans

    def has_term(self, term: int) -> bool:
        """Whether the keyword term occurs anywhere."""
        return self.occurring[term] == 1

    def has_entity(self, entity: int) -> bool:
        """Whether the entity is mentioned anywhere.

        A one-word, case-insensitive alias that was hit settles it without spans, unless
        some longer alias containing it was hit too (which might suppress it).
        """
        present = self.present
        containers = self._compiled.containers
        for pattern in self._compiled.entity_words[entity]:
            if pattern in present and not any(
                longer in present for longer, _ in containers.get(pattern, ())
            ):
                return True
        return bool(self.entity_spans(entity))

    def language(self) -> str | None:
        """The article's language (`Article.lang`: declared, else detected on this first
        call); None when unknown or when the scan was given no article."""
        return None if self._article is None else self._article.lang

    def prominent(self, entity: int) -> bool:
        """Whether the entity is prominent: mentioned in the title, in the lead (a mention
        starting in the body's first `lead_words` words), or `min_mentions` times or more,
        any of its names counting."""
        spans = self.entity_spans(entity)
        if len(spans) >= self.min_mentions:
            return bool(spans)
        lead = self.lead_words
        return any(span.field == 0 or span.first < lead for span in spans)

    def _spans_of(self, pattern: int) -> list[Span]:
        """Every hit of a pattern as a span of token positions, title first."""
        spans = self._pattern_spans.get(pattern)
        if spans is not None:
            return spans
        extra = self._compiled.patterns[pattern].size - 1
        new = tuple.__new__  # Span(...) without the Python-level NamedTuple constructor
        spans = []
        for number, hits in enumerate(self._hits):
            firsts = hits.get(pattern)
            if firsts:
                spans += [new(Span, (number, first, first + extra)) for first in firsts]
        self._pattern_spans[pattern] = spans
        return spans

    def _find_term(self, term: int) -> list[Span]:
        """A term's hits, without those crossing a sentence break its own text lacks."""
        info = self._compiled.terms[term]
        spans = self._spans_of(info.pattern) if info.pattern in self.present else []
        if not spans or self._compiled.patterns[info.pattern].size == 1:
            return spans
        fields = self._fields
        allowed = info.allowed_breaks
        return [
            span for span in spans if _allowed(fields[span.field], span.first, span.last, allowed)
        ]

    def _aliases_at(self, pattern: int) -> dict[Span, list[int]]:
        """Span -> the entities whose alias validly occurs there (breaks and case checked)."""
        found = self._alias_hits.get(pattern)
        if found is not None:
            return found
        found = {}
        compiled = self._compiled
        for term in compiled.patterns[pattern].terms:
            aliases = compiled.terms[term].aliases
            if not aliases:
                continue
            for span in self.term_spans(term):
                case: str | None = None
                for entity, exact in aliases:
                    if exact is not None:
                        if case is None:
                            case = self._fields[span.field].case_key(span.first, span.last)
                        if case != exact:
                            continue
                    found.setdefault(span, []).append(entity)
        self._alias_hits[pattern] = found
        return found

    def _inside_longer(self, pattern: int, span: Span) -> bool:
        """Whether a longer alias hit contains this alias hit (longest-match suppression)."""
        for container, offset in self._compiled.containers.get(pattern, ()):
            if container in self.present:
                first = span.first - offset
                longer = (span.field, first, first + self._compiled.patterns[container].size - 1)
                if first >= 0 and longer in self._aliases_at(container):
                    return True
        return False

    def _compound_counts(self, pattern: int, span: Span) -> bool:
        """Whether a compound's hit counts: no other alias hit overlaps it, and the word
        before it, if it touches it, is no number (in Chinese and Japanese, a character
        after a number is its unit: 10日 "the 10th", 5米 "5 metres")."""
        if span.first > 0:
            field = self._fields[span.field]
            if field.ends[span.first - 1] == field.begins[span.first] and _number(
                field.norms[span.first - 1]
            ):
                return False
        for other, offset in self._compiled.overlaps.get(pattern, ()):
            if other in self.present:
                first = span.first + offset
                longer = (span.field, first, first + self._compiled.patterns[other].size - 1)
                if first >= 0 and longer in self._aliases_at(other):
                    return False
        return True

    def _find_entity(self, entity: int) -> list[Span]:
        found: set[Span] = set()
        for pattern in self._compiled.entity_patterns[entity]:
            if pattern not in self.present:
                continue
            compound = pattern in self._compiled.compound_patterns
            for span, owners in self._aliases_at(pattern).items():
                if entity in owners and not self._inside_longer(pattern, span):
                    if compound and not self._compound_counts(pattern, span):
                        continue
                    found.add(span)
        if self._compiled.fuzzy is not None:
            found.update(self._fuzzy_spans().get(entity, ()))
        return sorted(found)

    def _fuzzy_spans(self) -> dict[int, list[Span]]:
        """Entity -> fuzzy hits, on the words no exact alias hit covers (computed once)."""
        if self._fuzzy is not None:
            return self._fuzzy
        assert self._compiled.fuzzy is not None
        covered = {
            (span.field, index)
            for pattern in self.present
            if pattern in self._compiled.alias_patterns
            for span in self._aliases_at(pattern)
            for index in range(span.first, span.last + 1)
        }
        fuzzy: dict[int, list[Span]] = {}
        for entity, span in _suppress(self._compiled.fuzzy.search(self._fields, covered)):
            fuzzy.setdefault(entity, []).append(span)
        self._fuzzy = fuzzy
        return fuzzy


_NUMERALS = frozenset("〇零一二三四五六七八九十百千万萬億亿两兩数數")


def _number(word: str) -> bool:
    """Whether a word is a number: digits, or a Chinese or Japanese numeral character."""
    return word.isdigit() or word in _NUMERALS


def _allowed(field: TokenizedText, first: int, last: int, allowed: frozenset[int]) -> bool:
    """Whether a phrase hit over tokens first..last crosses only sentence breaks its term
    allows ("Mr. Smith" written with the full stop may match across it)."""
    return not field.crosses_break(first, last) or allowed.issuperset(
        field.breaks_between(first, last)
    )


def _suppress(aliases: set[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """Drop every fuzzy hit strictly inside a longer fuzzy hit.

    A span lies strictly inside a longer one exactly when some *other* span contains it; in
    (field, first, -last) order every span that can contain a span comes before it, so one
    sweep keeping the furthest end seen in the field decides.
    """
    distinct = sorted({span for _, span in aliases}, key=lambda s: (s.field, s.first, -s.last))
    inside: set[Span] = set()
    field = -1
    furthest = -1
    for span in distinct:
        if span.field != field:
            field, furthest = span.field, -1
        if furthest >= span.last:
            inside.add(span)
        else:
            furthest = span.last
    return [pair for pair in aliases if pair[1] not in inside]
