"""Fuzzy entity matching: close misspellings ("Stoltenburg") of entities that ask for it.

Only entities with `fuzzy` set take part, so rule sets without it never reach this module.
The search is kept cheap and safe by construction, never by scanning every alias against
the whole text:

* a candidate is a run of as many words as the alias, starting with the same letter
  ("North Korea" can never stand for "South Korea"), inside one sentence;
* words already covered by an exact alias hit of *any* compiled entity are skipped, so a
  correctly spelled "North Korea" (a built-in blocker) or "Stockholm" is never re-read as a
  misspelling of something else;
* a length filter discards candidates whose best possible `fuzz.ratio` is below the cut-off
  before rapidfuzz is called, and aliases shorter than `MIN_FUZZY_CHARS` are never fuzzed
  ("US" -> "UK" is not a typo worth an alert).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from monitor.matching.normalize import TokenizedText
from monitor.matching.spans import Span

MIN_FUZZY_CHARS = 4
"""Normalised aliases shorter than this are matched exactly only."""


@dataclass(frozen=True, slots=True)
class FuzzyAlias:
    """One alias of a fuzzy entity: its normalised words and the rapidfuzz cut-off."""

    entity: int
    words: tuple[str, ...]
    cutoff: int


class FuzzyIndex:
    """Fuzzy aliases bucketed by (first letter, number of words)."""

    def __init__(self, aliases: Iterable[FuzzyAlias]) -> None:
        buckets: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
        for alias in aliases:
            text = " ".join(alias.words)
            if len(text.replace(" ", "")) < MIN_FUZZY_CHARS:
                continue
            buckets[(text[0], len(alias.words))].append((text, alias.entity, alias.cutoff))
        self._buckets = dict(buckets)

    def search(
        self, fields: Sequence[TokenizedText], covered: set[tuple[int, int]]
    ) -> set[tuple[int, Span]]:
        """(entity, span) for every candidate span close enough to a fuzzy alias.

        `covered` holds (field, token) pairs already inside an exact entity hit.
        """
        found: set[tuple[int, Span]] = set()
        for number, tokens in enumerate(fields):
            norms = tokens.norms
            breaks = tokens.break_count
            free = [(number, index) not in covered for index in range(len(norms))]
            starts: dict[str, list[int]] = defaultdict(list)
            for index, norm in enumerate(norms):
                if free[index]:
                    starts[norm[0]].append(index)
            for (initial, size), bucket in self._buckets.items():
                for first in starts.get(initial, ()):
                    last = first + size - 1
                    if last >= len(norms) or breaks[first] != breaks[last]:
                        continue
                    if size > 1 and not all(free[first + 1 : last + 1]):
                        continue
                    candidate = " ".join(norms[first : last + 1])
                    for alias, entity, cutoff in bucket:
                        if _close(candidate, alias, cutoff):
                            found.add((entity, Span(number, first, last)))
        return found


def _close(candidate: str, alias: str, cutoff: int) -> bool:
    """fuzz.ratio(candidate, alias) >= cutoff, skipping the call when lengths rule it out.

    ratio is 200 * matches / (len(a) + len(b)) and matches <= the shorter length.
    """
    a, b = len(candidate), len(alias)
    if 200 * min(a, b) < cutoff * (a + b):
        return False
    return fuzz.ratio(candidate, alias, score_cutoff=cutoff) >= cutoff
