"""Text normalisation: split a text into word tokens that remember where they came from.

Everything the matcher compares goes through `tokenize`, the article text and the terms of the
rules alike, so the two sides can never disagree about what a "word" is.

The model:

* A word token is a run of letters, digits and combining marks (so a decomposed "Zu\u0308rich"
  stays one word). Everything else -- spaces, newlines, punctuation, hyphens and dashes,
  straight or curly apostrophes and quotes, underscores -- separates words. That is why a
  phrase matches across any run of spaces, newlines or hyphens, and why "Korea's" and
  "Korea\u2019s" (curly) both contain the word "Korea".
* Each token keeps its (start, end) offsets into the original text, so hits can quote the
  original text however much normalisation changed it.
* A token's normalised form (`fold`) is NFKC, case-folded, stripped of combining accents and of
  anything that is not a letter or digit: `Zürich`, `Zurich` and `ZURICH` all become `zurich`.
* `TokenizedText.text` joins the normalised tokens as " tok tok tok ", one space around each,
  so an automaton pattern " a b " can only ever match whole words, and a prefix pattern " weap"
  only the start of a word.

Sentence breaks: a gap between two words that holds sentence punctuation (. ! ? ; : …) *and*
whitespace is a sentence break, unless the word before it is a single letter ("S. Korea",
"U.S. Navy"). A phrase may not run across a sentence break, so "... in North. Korea said"
does not contain "North Korea". The gap has to contain whitespace so that "12.5", "3:1" and
"example.com" stay one phrase. The matcher checks breaks after the automaton pass
(`TokenizedText.breaks_between`); a term whose own text has a break at the same place ("Mr. Smith")
may match across it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from monitor.matching.speedups import offsets, tokenize_ascii
from monitor.words import SPLITTER, case_key, fold, split

__all__ = ["TokenizedText", "case_key", "fold", "normalize", "tokenize"]

SENTENCE_PUNCTUATION = frozenset(".!?;:\u2026\u3002\uff61\uff01\uff1f\uff1b\uff1a")
"""Characters that end a sentence or clause (also the ellipsis and full-width forms)."""


_PUNCTUATION = re.compile(f"[{re.escape(''.join(sorted(SENTENCE_PUNCTUATION)))}]")


_WIDE_STOPS = frozenset("\u3002\uff61\uff01\uff1f\uff1b")
"""The ideographic full stop and the full-width `!?;`: they end a sentence with no space
after them, and after a one-character word (Chinese and Japanese put no spaces at all)."""


def _is_break(gap: str, previous_norm: str) -> bool:
    """True when the separator `gap` after a word ends a sentence (see the module docstring)."""
    if any(ch in _WIDE_STOPS for ch in gap):
        return True
    if len(previous_norm) == 1:
        return False
    return any(ch in SENTENCE_PUNCTUATION for ch in gap) and any(ch.isspace() for ch in gap)


class TokenizedText:
    """A text as the matcher sees it: its words, the joined normalised string and the maps.

    Token i is `original[begins[i]:ends[i]]`, normalised `norms[i]`. `text` is
    " " + " ".join(norms) + " ": its k-th space starts token k, which is how the pattern
    search numbers the words its hits start at. Parallel sequences rather than one object
    per token, which for some 700 words an article would cost more than the matching: for
    ASCII-like text they are views of one packed table the compiled tokenizer fills
    (`monitor.matching.speedups`), and `norms` is split from `text` only if asked for.

    Sentence breaks are only needed for the few hits that span words, so they are found on
    demand (`crosses_break`, `breaks_between`) rather than for every text.
    """

    __slots__ = ("_break_count", "_norms", "begins", "ends", "original", "text")

    def __init__(
        self,
        original: str,
        text: str,
        begins: Sequence[int],
        ends: Sequence[int],
        norms: list[str] | None = None,
    ) -> None:
        self.original = original
        self.text = text
        self.begins = begins
        self.ends = ends
        self._norms = norms
        self._break_count: list[int] | None = None

    @property
    def norms(self) -> list[str]:
        """The normalised words (no word holds a space, so splitting `text` gives them)."""
        if self._norms is None:
            self._norms = self.text.split()
        return self._norms

    def __len__(self) -> int:
        return len(self.begins)

    @property
    def break_count(self) -> list[int]:
        """`break_count[i]` counts the sentence breaks before token i (computed once)."""
        if self._break_count is None:
            flags = [0] * len(self.norms)
            for index in _breaks(self.original, self.norms, self.begins, self.ends):
                flags[index] = 1
            self._break_count = list(accumulate(flags))
        return self._break_count

    def crosses_break(self, first: int, last: int) -> bool:
        """Whether tokens first..last span a sentence break.

        Most spans have no sentence punctuation between their words at all, which one regex
        search over the original text settles without computing `break_count`.
        """
        if (
            first == last
            or _PUNCTUATION.search(self.original, self.ends[first], self.begins[last]) is None
        ):
            return False
        counts = self.break_count
        return counts[last] != counts[first]

    def breaks_between(self, first: int, last: int) -> tuple[int, ...]:
        """The gaps inside tokens first..last that are sentence breaks, relative to `first`.

        Gap k lies between tokens first+k-1 and first+k (so k runs from 1 to last-first).
        """
        if not self.crosses_break(first, last):
            return ()
        counts = self.break_count
        return tuple(
            k for k in range(1, last - first + 1) if counts[first + k] != counts[first + k - 1]
        )

    def quote(self, first: int, last: int) -> tuple[int, int, str]:
        """Original (start, end, text) of tokens first..last inclusive."""
        start = self.begins[first]
        end = self.ends[last]
        return start, end, self.original[start:end]

    def case_key(self, first: int, last: int) -> str:
        """The case-preserving key of tokens first..last, for `exact` aliases."""
        return " ".join(
            case_key(self.original[self.begins[i] : self.ends[i]]) for i in range(first, last + 1)
        )


def _breaks(text: str, norms: list[str], begins: Sequence[int], ends: Sequence[int]) -> set[int]:
    """Indices of the tokens that have a sentence break right before them.

    Driven by the (few) punctuation marks rather than by the (many) gaps between words.
    """
    found: set[int] = set()
    for mark in _PUNCTUATION.finditer(text):
        index = bisect_right(begins, mark.start())
        if 0 < index < len(norms) and index not in found:
            gap = text[ends[index - 1] : begins[index]]
            if _is_break(gap, norms[index - 1]):
                found.add(index)
    return found


def _separator_table() -> frozenset[str]:
    """Non-ASCII characters that can never be part of a word.

    The punctuation blocks news text uses (curly quotes, dashes, ellipses, no-break and
    other spaces, bullets, guillemets, full-width punctuation): a text whose only non-ASCII
    characters are these tokenises like ASCII once they are made spaces, and one character
    for one keeps every offset.
    """
    blocks = [
        (0x80, 0xC0),
        (0xD7, 0xD8),
        (0xF7, 0xF8),
        (0x2000, 0x2070),
        (0x20A0, 0x20C1),
        (0x2100, 0x2150),
        (0x2190, 0x2400),
        (0x2500, 0x27C0),
        (0x3000, 0x3040),
        (0xFE30, 0xFE50),
        (0xFF00, 0xFF10),
        (0xFFF9, 0xFFFE),
    ]
    return frozenset(
        chr(cp)
        for start, stop in blocks
        for cp in range(start, stop)
        if SPLITTER.fullmatch(chr(cp)) is None
    )


_NON_ASCII_SEPARATORS = _separator_table()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def tokenize(text: str) -> TokenizedText:
    """Split `text` into word tokens with offsets and normalised forms."""
    if text.isascii():
        return _tokenize_ascii(text, text)
    plain = text
    for char in set(_NON_ASCII.findall(text)):  # a few distinct characters, if any
        if char not in _NON_ASCII_SEPARATORS:
            return _tokenize_unicode(text)  # a letter, a mark, a symbol: the general way
        plain = plain.replace(char, " ")
    return _tokenize_ascii(text, plain)


def _tokenize_unicode(text: str) -> TokenizedText:
    """Any text: words found by the Unicode-aware splitter (`monitor.words.split`), each
    folded on its own."""
    parts = split(text)
    norms = [word.lower() if word.isascii() else fold(word) for word in parts[1::2]]
    bounds = list(accumulate(map(len, parts)))  # bounds[k]: where part k ends
    begins = bounds[0::2][:-1]
    ends = bounds[1::2]
    if "" in norms:  # runs of stray marks or symbols: no word at all
        kept = [i for i, norm in enumerate(norms) if norm]
        norms = [norms[i] for i in kept]
        begins = [begins[i] for i in kept]
        ends = [ends[i] for i in kept]
    joined = f" {' '.join(norms)} " if norms else " "
    return TokenizedText(text, joined, begins, ends, norms)


def _tokenize_ascii(text: str, plain: str) -> TokenizedText:
    """The common case, in C where built: in ASCII a word is a run of letters and digits.

    `plain` is `text` itself or, for text whose only non-ASCII characters are separators,
    `text` with those made spaces, one character for one, so offsets into it are offsets
    into `text`.
    """
    joined, table = tokenize_ascii(plain)
    begins, ends = offsets(table)
    return TokenizedText(text, joined, begins, ends)


def normalize(text: str) -> str:
    """The normalised words of `text` joined by single spaces ("Zürich's" -> "zurich s")."""
    return " ".join(tokenize(text).norms)
