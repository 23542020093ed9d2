"""The matcher's innermost loops, compiled when the install could build them.

Per article the matcher tokenises about 4 KB of text into some 700 words, with offsets, and
finds a few hundred pattern occurrences in it. Done with a Python object per word and per
hit, these two steps were over half of the matching time; `_speedups.c` does them in C.
Where the extension could not be built (no C compiler at install time), the pure-Python
tokenizer below and the `pyahocorasick` automaton give the same answers, slower; the tests
compare the two ways.

tokenize_ascii(plain) -> (text, table)
    `plain` is ASCII; its words are its runs of letters and digits. `text` is
    " " + " ".join(lowered words) + " " (just " " with no words). `table` packs two native
    int32 arrays, one entry per word: where each word begins in `plain`, and where it ends
    (exclusive). Read it with `offsets`.

gather(offsets, table, present, size, as_list) -> bytearray | [number, ...]
    What the patterns an article contains point to (the rules filed under them, the keyword
    terms they are), marked in a bytearray or as a sorted list; `run_table` builds the table.

rule_matches(table, offsets, candidates, occurring) -> [code, ...]
    The keyword conditions of candidate rules, decided without a Python call per rule: see
    `_speedups.c` for the table and the codes, `rule_table` for how the table is built.

pattern_search(keys) -> PatternSearch
    Finds the patterns (" a b " or the prefix " a b", always starting with a space) in a
    field's normalised text (" w w w ", single spaces): `hits(text)` maps pattern number
    (index in `keys`) to the number of the word each occurrence starts at, in text order.
    Word numbers are what spans are made of, so no character offset has to be mapped back.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from operator import add
from typing import Any, Literal, Protocol, overload

import ahocorasick

__all__ = [
    "COMPILED",
    "PatternSearch",
    "gather",
    "offsets",
    "pattern_search",
    "python_gather",
    "python_rule_matches",
    "python_tokenize_ascii",
    "rule_matches",
    "rule_table",
    "run_table",
    "tokenize_ascii",
]

RULE_COMPLEX = 1
"""Flag of a rule with entities, a query or languages: Python evaluates it."""

RULE_SEVERAL = 63
"""The position code of a matching rule whose hits come from more than one keyword."""

# Every ASCII byte that is not a letter or digit becomes a space (letters are lowered first).
_ASCII_SEPARATORS = bytes.maketrans(
    bytes(b for b in range(128) if not chr(b).isalnum()),
    b" " * sum(1 for b in range(128) if not chr(b).isalnum()),
)


_SPACE = re.compile(" ")


def python_tokenize_ascii(plain: str) -> tuple[str, bytes]:
    """`tokenize_ascii` with C-level calls only (`bytes.translate`, `str.split`)."""
    spaced = plain.lower().encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii")
    words = spaced.split()
    # Split on single spaces, the non-empty parts are the words: part k starts after the k
    # parts before it and their k separating spaces.
    parts = spaced.split(" ")
    begins = list(
        compress(map(add, accumulate(map(len, parts), initial=0), range(len(parts))), parts)
    )
    table = array("i", begins)
    table.extend(map(add, begins, map(len, words)))
    return (f" {' '.join(words)} " if words else " "), table.tobytes()


def offsets(table: bytes) -> tuple[Sequence[int], Sequence[int]]:
    """The begins and ends packed in a `tokenize_ascii` table, unpacked without making an
    int object per entry (views, indexed only where a hit is quoted)."""
    view = memoryview(table).cast("i")
    count = len(view) // 2
    return view[:count], view[count:]


def run_table(runs: Sequence[Sequence[int]]) -> tuple[bytes, bytes]:
    """(offsets, table) for `gather`: run k is table[offsets[k]:offsets[k + 1]]."""
    offsets = array("i", [0])
    table = array("i")
    for run in runs:
        table.extend(run)
        offsets.append(len(table))
    return offsets.tobytes(), table.tobytes()


@overload
def python_gather(
    offsets: bytes, table: bytes, present: Iterable[int], size: int, as_list: Literal[False]
) -> bytearray: ...
@overload
def python_gather(
    offsets: bytes, table: bytes, present: Iterable[int], size: int, as_list: Literal[True]
) -> list[int]: ...
def python_gather(
    offsets: bytes, table: bytes, present: Iterable[int], size: int, as_list: bool
) -> bytearray | list[int]:
    """`gather` in Python: the same answers."""
    starts = memoryview(offsets).cast("i")
    rows = memoryview(table).cast("i")
    marks = bytearray(size)
    for pattern in present:
        if 0 <= pattern < len(starts) - 1:
            for number in rows[starts[pattern] : starts[pattern + 1]]:
                if 0 <= number < size:
                    marks[number] = 1
    if not as_list:
        return marks
    return [number for number in range(size) if marks[number]]


def rule_table(
    rules: Sequence[tuple[bool, Sequence[int], Sequence[int], Sequence[int], Sequence[int]]],
) -> tuple[bytes, bytes]:
    """(table, offsets) for `rule_matches`: per rule (complex, all, any, none, positive)."""
    table = array("i")
    offsets = array("i")
    for complex_, all_, any_, none, positive in rules:
        offsets.append(len(table))
        table.extend((RULE_COMPLEX if complex_ else 0, len(all_), len(any_), len(none)))
        table.append(len(positive))
        for ids in (all_, any_, none, positive):
            table.extend(ids)
    return table.tobytes(), offsets.tobytes()


def python_rule_matches(
    table: bytes, offsets: bytes, candidates: list[int], occurring: bytes | bytearray
) -> list[int]:
    """`rule_matches` in Python: the same codes."""
    rows = memoryview(table).cast("i")
    starts = memoryview(offsets).cast("i")
    codes: list[int] = []
    for rule in candidates:
        at = starts[rule]
        flags, n_all, n_any, n_none, n_pos = rows[at : at + 5]
        if flags & RULE_COMPLEX:
            codes.append(-rule - 1)
            continue
        at += 5
        need = rows[at : at + n_all]
        choice = rows[at + n_all : at + n_all + n_any]
        banned = rows[at + n_all + n_any : at + n_all + n_any + n_none]
        if (
            all(occurring[t] for t in need)
            and (not n_any or any(occurring[t] for t in choice))
            and not any(occurring[t] for t in banned)
        ):
            start = at + n_all + n_any + n_none
            found = [k for k, t in enumerate(rows[start : start + n_pos]) if occurring[t]]
            position = found[0] if len(found) == 1 and found[0] < RULE_SEVERAL else RULE_SEVERAL
            codes.append(rule * 64 + position)
    return codes


class PatternSearch(Protocol):
    """What `Occurrences` needs: pattern number -> the word numbers its occurrences start at."""

    def hits(self, text: str) -> dict[int, list[int]]: ...


class TrieSearch:
    """The compiled search: a trie walked from every space (see `_speedups.c`).

    Patterns only start at a space, so no Aho-Corasick failure links are needed, and no
    Python object is made per hit but its word number. The trie is one bytes object, which
    pickles with the compiled rules.
    """

    __slots__ = ("trie",)

    def __init__(self, keys: list[str]) -> None:
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self.trie = build_trie([keys[number] for number in order], order)

    def hits(self, text: str) -> dict[int, list[int]]:
        return trie_hits(self.trie, text)


class AhoCorasickSearch:
    """The search without the extension: a `pyahocorasick` automaton, hits grouped here.

    The automaton stores (pattern number, length) and reports where each occurrence ends;
    its leading space is the word's: the k-th space of the text starts word k.
    """

    __slots__ = ("automaton",)

    def __init__(self, keys: list[str]) -> None:
        self.automaton: Any = ahocorasick.Automaton()
        for number, key in enumerate(keys):
            self.automaton.add_word(key, (number, len(key)))
        self.automaton.make_automaton()

    def hits(self, text: str) -> dict[int, list[int]]:
        spaces = [found.start() for found in _SPACE.finditer(text)]
        groups: dict[int, list[int]] = {}
        for end, (number, length) in self.automaton.iter(text):
            word = bisect_left(spaces, end - length + 1)
            words = groups.get(number)
            if words is None:
                groups[number] = [word]
            else:
                words.append(word)
        return groups


try:
    from monitor.matching._speedups import (
        build_trie,
        gather,
        rule_matches,
        tokenize_ascii,
        trie_hits,
    )

    COMPILED = True
except ImportError:  # installed without a C compiler: same answers, slower
    tokenize_ascii = python_tokenize_ascii
    rule_matches = python_rule_matches
    gather = python_gather
    COMPILED = False


def pattern_search(keys: list[str]) -> PatternSearch:
    """The fastest search this install has for these (distinct) patterns."""
    return TrieSearch(keys) if COMPILED else AhoCorasickSearch(keys)
