"""The compiled inner loops (`monitor/matching/_speedups.c`) against the Python ways."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.matching import speedups
from monitor.matching._speedups import (
    build_trie,
    gather,
    rule_matches,
    tokenize_ascii,
    trie_hits,
)
from monitor.matching.normalize import tokenize
from monitor.matching.speedups import AhoCorasickSearch, TrieSearch


def test_the_extension_is_built_and_used() -> None:
    """`make test` installs with a C compiler: the matcher must be running the C versions."""
    assert speedups.COMPILED
    assert speedups.tokenize_ascii is tokenize_ascii
    assert isinstance(speedups.pattern_search([" a "]), TrieSearch)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(st.characters(max_codepoint=0x7F), st.sampled_from(" .,-'aZz09\n")),
        max_size=120,
    )
)
def test_tokenize_ascii_agrees_with_python(text: str) -> None:
    compiled = tokenize_ascii(text)
    assert compiled == speedups.python_tokenize_ascii(text)
    joined, table = compiled
    begins, ends = speedups.offsets(table)
    words = joined.split()
    assert joined == " " + "".join(word + " " for word in words)
    assert [text[b:e].lower() for b, e in zip(begins, ends, strict=True)] == words


@pytest.mark.parametrize("text", ["", " ", "!!", "a", "A1b2", "x " * 5000, "end."])
def test_tokenize_ascii_edges(text: str) -> None:
    assert tokenize_ascii(text) == speedups.python_tokenize_ascii(text)


def test_tokenize_ascii_refuses_non_ascii() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        tokenize_ascii("Zürich")
    with pytest.raises(ValueError, match="ASCII"):
        tokenize_ascii(b"bytes")  # type: ignore[arg-type]


# Patterns are normalised words: a small alphabet makes overlaps, shared prefixes and
# prefix patterns (" ab" of " abc ") common. It has characters of each of the three sizes
# a str can store (Latin-1, the Basic Multilingual Plane, beyond it).
_WORDS = st.text(alphabet="abcü\u0436\U00020000", min_size=1, max_size=3)
_PATTERNS = st.builds(
    lambda words, prefix: " " + " ".join(words) + ("" if prefix else " "),
    st.lists(_WORDS, min_size=1, max_size=3),
    st.booleans(),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PATTERNS, min_size=1, max_size=25, unique=True), st.lists(_WORDS, max_size=40))
def test_trie_finds_what_aho_corasick_finds(keys: list[str], words: list[str]) -> None:
    text = " " + "".join(word + " " for word in words)  # a field's text, as tokenize makes it
    assert TrieSearch(keys).hits(text) == AhoCorasickSearch(keys).hits(text)


def test_searches_give_the_words_hits_start_at() -> None:
    keys = [" south korea ", " korea ", " weap", " s"]
    text = tokenize("South Korea weapons, Korea; Seoul").text
    for search in (TrieSearch(keys), AhoCorasickSearch(keys)):
        again = pickle.loads(pickle.dumps(search))
        assert again.hits(text) == search.hits(text) == {0: [0], 1: [1, 3], 2: [2], 3: [0, 4]}


def test_build_trie_refuses_unsorted_or_repeated_keys() -> None:
    for keys in ([" b ", " a "], [" a ", " a "]):
        with pytest.raises(ValueError, match="sorted and distinct"):
            build_trie(keys, [0, 1])
    with pytest.raises(ValueError, match="as many values"):
        build_trie([" a "], [])
    with pytest.raises(ValueError, match="not negative"):
        build_trie([" a "], [-1])


def test_trie_hits_refuses_what_is_not_a_trie() -> None:
    with pytest.raises(ValueError, match="not a trie"):
        trie_hits(b"nonsense", " a ")
    trie = build_trie([" a "], [0])
    with pytest.raises(ValueError, match="not a trie"):
        trie_hits(trie[:-1], " a ")


_RULE = st.tuples(
    st.booleans(),
    *(st.lists(st.integers(0, 11), max_size=4) for _ in range(3)),
    st.lists(st.integers(0, 11), max_size=70),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_RULE, min_size=1, max_size=12),
    st.lists(st.booleans(), min_size=12, max_size=12),
    st.data(),
)
def test_rule_matches_agrees_with_python(
    rules: list[tuple[bool, list[int], list[int], list[int], list[int]]],
    flags: list[bool],
    data: st.DataObject,
) -> None:
    table, offsets = speedups.rule_table(rules)
    candidates = sorted(data.draw(st.sets(st.integers(0, len(rules) - 1))))
    occurring = bytes(flags)
    expected = speedups.python_rule_matches(table, offsets, candidates, occurring)
    assert rule_matches(table, offsets, candidates, occurring) == expected
    for code in expected:  # and the codes mean what they say
        if code < 0:
            assert rules[-code - 1][0]
            continue
        complex_, all_, any_, none, positive = rules[code >> 6]
        assert not complex_ and all(flags[t] for t in all_) and not any(flags[t] for t in none)
        assert not any_ or any(flags[t] for t in any_)
        present = [k for k, t in enumerate(positive) if flags[t]]
        assert (code & 63) == (present[0] if len(present) == 1 and present[0] < 63 else 63)


def test_rule_matches_refuses_what_is_not_its_table() -> None:
    table, offsets = speedups.rule_table([(False, [0], [], [], [0])])
    with pytest.raises(IndexError):
        rule_matches(table, offsets, [1], b"\x01")
    with pytest.raises(IndexError):
        rule_matches(table[:8], offsets, [0], b"\x01")  # the row's header is cut
    with pytest.raises(ValueError):
        rule_matches(table[:24], offsets, [0], b"\x01")  # its term numbers are
    # A term number past `occurring` counts as absent, never as a read past its end.
    assert rule_matches(table, offsets, [0], b"") == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(-2, 20), max_size=6), max_size=10),
    st.sets(st.integers(-3, 12)),
    st.integers(0, 20),
)
def test_gather_agrees_with_python(runs: list[list[int]], present: set[int], size: int) -> None:
    offsets, table = speedups.run_table(runs)
    marks = gather(offsets, table, present, size, False)
    assert marks == speedups.python_gather(offsets, table, present, size, False)
    listed = gather(offsets, table, present, size, True)
    assert listed == speedups.python_gather(offsets, table, present, size, True)
    wanted = {n for p in present if 0 <= p < len(runs) for n in runs[p] if 0 <= n < size}
    assert listed == sorted(wanted) and [i for i, m in enumerate(marks) if m] == listed


def test_gather_refuses_what_is_not_its_table() -> None:
    offsets, table = speedups.run_table([[0, 1], [2]])
    with pytest.raises(ValueError):
        gather(offsets, table[:4], {0}, 3, True)  # the run reaches past the table
    with pytest.raises(ValueError):
        gather(offsets, table, {0}, -1, True)
    with pytest.raises(TypeError):
        gather(offsets, table, {"a"}, 3, True)  # type: ignore[call-overload]
