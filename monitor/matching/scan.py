"""One pass per field: every term and entity occurrence in an article, in token positions.

This is the whole hot path of matching. The automaton finds every pattern occurrence in one
sweep of the normalised text; the rest only looks at those occurrences:

1. sentence breaks inside a phrase hit are checked against what the term allows;
2. `exact` alias hits are checked against the original text's case;
3. longest-match suppression: an entity hit lying strictly inside a longer hit of a
   *different* entity is dropped ("Republic of Korea" inside "Democratic People's Republic
   of Korea", "Guinea" inside "Papua New Guinea"); keyword hits are never suppressed;
4. fuzzy aliases, only when some rule's entity asks for them, on the words no exact alias
   hit covers (with the same suppression among fuzzy hits: "Jens Stoltenburg", not also
   "Stoltenburg").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from monitor.matching.compile import CompiledSet
from monitor.matching.normalize import TokenizedText
from monitor.matching.spans import Span

_PATTERN = itemgetter(1)
"""The pattern number of an automaton hit `(end, pattern number)`."""


@dataclass(frozen=True, slots=True)
class Occurrences:
    """What one article contains: spans per keyword term and per entity (after suppression)."""

    terms: dict[int, list[Span]]
    entities: dict[int, list[Span]]


def scan(compiled: CompiledSet, fields: Sequence[TokenizedText]) -> Occurrences:
    """Find every occurrence of every compiled term and entity in the tokenised fields."""
    terms: dict[int, list[Span]] = defaultdict(list)
    aliases: set[tuple[int, Span]] = set()
    if compiled.automaton is not None:
        for number, tokens in enumerate(fields):
            _sweep(compiled, number, tokens, terms, aliases)
    entities: dict[int, list[Span]] = defaultdict(list)
    for entity, span in _suppress(aliases, compiled.max_alias_size):
        entities[entity].append(span)
    if compiled.fuzzy is not None:
        covered = {
            (span.field, index) for _, span in aliases for index in range(span.first, span.last + 1)
        }
        fuzzy = compiled.fuzzy.search(fields, covered)
        for entity, span in _suppress(fuzzy, compiled.max_alias_size):
            entities[entity].append(span)
    for spans in entities.values():
        spans.sort()
    return Occurrences(dict(terms), dict(entities))


def _sweep(
    compiled: CompiledSet,
    number: int,
    tokens: TokenizedText,
    terms: dict[int, list[Span]],
    aliases: set[tuple[int, Span]],
) -> None:
    """The automaton pass over one field, sorting its hits to their terms and aliases.

    Hits are first grouped by pattern (an article repeats its few subjects), so that the
    per-pattern work below (`CompiledSet.quick`: its keyword terms and entities, listed once
    at compile time) runs once per pattern rather than once per hit. Hits that cross a
    sentence break or concern an `exact` alias take the slow path and check every term.
    """
    quick = compiled.quick
    new = tuple.__new__  # Span(...) without the Python-level NamedTuple constructor
    positions = tokens.positions
    crosses = tokens.crosses_break
    # A stable sort groups the hits by pattern, each group in text order, all in C.
    hits = sorted(compiled.automaton.iter(tokens.text), key=_PATTERN)
    for pattern_number, group in groupby(hits, _PATTERN):
        length, size, keywords, loose, checked = quick[pattern_number]
        # The key starts with the space before its first word, which starts a token.
        shift = 2 - length
        firsts = [bisect_right(positions, end + shift) - 1 for end, _ in group]
        spans: list[Span] = [new(Span, (number, first, first + size - 1)) for first in firsts]
        if checked or (size > 1 and any(crosses(s.first, s.last) for s in spans)):
            for span in spans:
                _checked_hit(compiled, pattern_number, tokens, span, terms, aliases)
            continue
        for term_number in keywords:
            terms[term_number].extend(spans)
        for entity in loose:
            aliases.update([(entity, span) for span in spans])


def _checked_hit(
    compiled: CompiledSet,
    pattern_number: int,
    tokens: TokenizedText,
    span: Span,
    terms: dict[int, list[Span]],
    aliases: set[tuple[int, Span]],
) -> None:
    """One hit that crosses a sentence break or has an `exact` alias: every term checked."""
    first, last = span.first, span.last
    breaks = tokens.breaks_between(first, last)
    case: str | None = None
    for term_number in compiled.patterns[pattern_number].terms:
        term = compiled.terms[term_number]
        if breaks and not term.allowed_breaks.issuperset(breaks):
            continue
        if term.keyword:
            terms[term_number].append(span)
        for entity, exact in term.aliases:
            if exact is not None:
                if case is None:
                    case = tokens.case_key(first, last)
                if case != exact:
                    continue
            aliases.add((entity, span))


def _suppress(aliases: set[tuple[int, Span]], max_size: int) -> list[tuple[int, Span]]:
    """Drop every alias hit strictly inside a longer alias hit.

    Inside another entity's hit this is the longest-match rule; inside the same entity's
    ("Stoltenberg" in "Jens Stoltenberg") it only removes a redundant hit, the entity is
    found either way. A span lies strictly inside a longer one exactly when some *other*
    span contains it; in (field, first, -last) order every span that can contain a span
    comes before it, so one sweep keeping the furthest end seen in the field decides.
    (`max_size` bounds how long a container can be; the sweep does not need it.)
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
    if not inside:
        return list(aliases)
    return [pair for pair in aliases if pair[1] not in inside]
