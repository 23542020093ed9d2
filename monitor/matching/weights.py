"""How often a pattern occurs in articles: what choosing a rule's anchor weighs.

The candidate index files each rule under terms it cannot match without; which of them it
picks decides how many articles wake the rule for nothing. `all: [policy]` beside
`any: [semiconductor, chipmaker]` must be filed under the two rare words, not under
`policy`, or at 100,000 rules every article with a common word wakes thousands of rules.
Lucene's Monitor and Luwak choose by a term weight; this is ours: the share of articles
expected to contain the pattern.

* A word's share comes from its frequency in running text (the `wordfreq` lists, built for
  this from many corpora in 40+ languages; the most frequent of `languages` is taken): a
  word of frequency f occurs in an article of `ARTICLE_WORDS` words with probability
  1 - (1 - f) ** ARTICLE_WORDS. A word the lists do not know (a client's name, a code) is
  taken as rare.
* A phrase is no more frequent than its rarest word; a prefix (`weapon*`) is as frequent as
  all the listed words that start with it together.
* What the daemon has seen refines it (`Observed`): the share of the articles it scanned
  that contained each pattern, blended with the estimate above as `PRIOR_ARTICLES` articles'
  worth of evidence, so a few hundred articles already outweigh the lists, and a word the
  lists misjudge for this feed mix (a client's name that is also a common word) is
  corrected by what actually arrives. Only the articles a pattern was looked for in count
  (a rule's patterns are counted from when the rule exists); a pattern never counted is
  weighed by the lists alone, never as "seen in none of them".

Weights only decide speed, never answers: any anchor a rule cannot match without is correct.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate

ARTICLE_WORDS = 650
"""Words in a typical article (3-5 KB of news text)."""

UNKNOWN_FREQUENCY = 1e-8
"""The frequency of a word no list knows: rarer than the rarest listed word."""

PRIOR_ARTICLES = 200
"""How many observed articles the list estimate counts for when the two are blended."""

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Observed:
    """What the daemon saw: in how many of `articles` articles each pattern occurred.

    A pattern is counted only while some rule has it: `counted` says in how many articles
    each was looked for (a pattern in `counts` but not in `counted`: all `articles`). One in
    neither was never counted (a rule added since): its absence from `counts` is no
    evidence, and it is weighed by the word lists alone.
    """

    articles: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    counted: Mapping[str, int] = field(default_factory=dict)

    def evidence(self, key: str) -> tuple[int, int]:
        """(articles the pattern occurred in, articles it was counted in); (0, 0) if never
        counted."""
        seen = self.counts.get(key, 0)
        counted = self.counted.get(key)
        if counted is None:
            counted = self.articles if key in self.counts else 0
        return seen, counted


@cache
def _frequencies(language: str) -> Mapping[str, float]:
    from wordfreq import get_frequency_dict

    frequencies: Mapping[str, float] = get_frequency_dict(language)
    return frequencies


@cache
def _prefix_table(language: str) -> tuple[list[str], list[float]]:
    """The language's words sorted, and running[i] the total frequency of words[:i]: a
    prefix's words are one range (built only when some rule has a prefix)."""
    frequencies = _frequencies(language)
    words = sorted(frequencies)
    return words, list(accumulate((frequencies[word] for word in words), initial=0.0))


def _word_frequency(language: str, word: str) -> float:
    frequencies = _frequencies(language)
    found = frequencies.get(word)
    if found is None and _DIGITS.search(word):
        # The lists fold the digits of a number into zeros (`2024` as `0000`), sharing its
        # frequency among all numbers of that shape: a thousandth is a fair share.
        zeroed = frequencies.get(_DIGITS.sub("0", word))
        found = None if zeroed is None else zeroed / 1000
    return found or 0.0


def _prefix_frequency(language: str, prefix: str) -> float:
    words, running = _prefix_table(language)
    first = bisect_left(words, prefix)
    last = bisect_left(words, prefix + "\U0010ffff")
    return running[last] - running[first]


def share(frequency: float, words: int = ARTICLE_WORDS) -> float:
    """The share of `words`-word articles containing a word of this frequency."""
    if frequency >= 1.0:
        return 1.0
    return -math.expm1(words * math.log1p(-frequency))


class TermWeights:
    """The expected share of articles containing a pattern (`pattern_share`), in [0, 1].

    A pattern is the matcher's automaton key: normalised words as " a b " (whole words) or
    " a b" (the last word a prefix). Shares are remembered per pattern; the word lists are
    read once per process, on first use.
    """

    def __init__(self, languages: Sequence[str] = ("en",), observed: Observed | None = None):
        self._languages = tuple(dict.fromkeys(languages)) or ("en",)
        self._observed = observed if observed is not None and observed.articles else None
        self._shares: dict[str, float] = {}

    def pattern_share(self, key: str) -> float:
        known = self._shares.get(key)
        if known is None:
            known = self._shares[key] = self._share(key)
        return known

    def _share(self, key: str) -> float:
        estimate = self.listed_share(key)
        observed = self._observed
        if observed is None:
            return estimate
        seen, counted = observed.evidence(key)
        if counted <= 0:  # never looked for: no evidence either way
            return estimate
        return (seen + PRIOR_ARTICLES * estimate) / (counted + PRIOR_ARTICLES)

    def listed_share(self, key: str) -> float:
        """The share from the word lists alone (the rarest word of a phrase)."""
        words = key.split()
        if not words:
            return 1.0
        prefix = not key.endswith(" ")
        rarest = 1.0
        for number, word in enumerate(words):
            frequency = 0.0
            for language in self._languages:
                if prefix and number == len(words) - 1:
                    found = _prefix_frequency(language, word)
                else:
                    found = _word_frequency(language, word)
                frequency = max(frequency, found)
            rarest = min(rarest, share(frequency or UNKNOWN_FREQUENCY))
        return rarest
