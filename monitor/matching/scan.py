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

from monitor.matching.compile import CompiledSet
from monitor.matching.normalize import TokenizedText
from monitor.matching.spans import Span


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
    """The automaton pass over one field, sorting each hit to its terms and aliases."""
    patterns = compiled.patterns
    term_table = compiled.terms
    positions = tokens.positions
    counts = tokens.break_count
    for end, pattern_number in compiled.automaton.iter(tokens.text):
        pattern = patterns[pattern_number]
        # The key starts with the space before its first word, which starts a token.
        first = bisect_right(positions, end - pattern.length + 2) - 1
        last = first + pattern.size - 1
        breaks = tokens.breaks_between(first, last) if counts[last] != counts[first] else ()
        span = Span(number, first, last)
        case: str | None = None
        for term_number in pattern.terms:
            term = term_table[term_number]
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
    found either way. Containers are looked up by start token: a container starts at most
    `max_size - 1` tokens before the hit it contains, so each check is a few lookups.
    """
    ends: dict[tuple[int, int], int] = {}
    for _, span in aliases:
        key = (span.field, span.first)
        ends[key] = max(ends.get(key, span.last), span.last)
    kept: list[tuple[int, Span]] = []
    for entity, span in sorted(aliases):
        length = span.last - span.first
        inside = False
        for start in range(max(0, span.first - max_size + 1), span.first + 1):
            end = ends.get((span.field, start))
            if end is not None and end >= span.last and end - start > length:
                inside = True
                break
        if not inside:
            kept.append((entity, span))
    return kept
