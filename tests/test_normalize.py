"""Tokenisation and normalisation: the one notion of "word" the whole matcher relies on."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.matching.normalize import _tokenize_unicode, fold, normalize, tokenize


def words(text: str) -> list[str]:
    return list(tokenize(text).norms)


def test_case_and_accents_fold_together() -> None:
    decomposed = unicodedata.normalize("NFD", "Zürich")
    assert {fold("Zürich"), fold("Zurich"), fold("ZURICH"), fold(decomposed)} == {"zurich"}
    assert fold("Straße") == "strasse"
    assert fold("ﬁnal") == "final"  # ligature, via NFKC
    assert fold("ＮＡＴＯ") == "nato"  # full-width letters


def test_decomposed_accent_stays_one_word() -> None:
    text = unicodedata.normalize("NFD", "Zürich and Côte")
    tokens = tokenize(text)
    assert list(tokens.norms) == ["zurich", "and", "cote"]
    assert tokens.quote(0, 0)[2] == unicodedata.normalize("NFD", "Zürich")


def test_apostrophes_hyphens_newlines_and_underscores_separate_words() -> None:
    assert words("Korea’s") == ["korea", "s"]
    assert words("Korea's") == ["korea", "s"]
    assert words("South-Korea") == ["south", "korea"]
    assert words("South\n\n  Korea") == ["south", "korea"]
    assert words("South — Korea") == ["south", "korea"]
    assert words("snake_case") == ["snake", "case"]


def test_offsets_quote_the_original_text() -> None:
    text = "  «Zürich’s» NATO-chief,\nsaid: ÉTÉ."
    tokens = tokenize(text)
    quoted = [text[b:e] for b, e in zip(tokens.begins, tokens.ends, strict=True)]
    assert quoted == ["Zürich", "s", "NATO", "chief", "said", "ÉTÉ"]
    assert tokens.quote(2, 3) == (13, 23, "NATO-chief")


def test_normalised_string_pads_every_word_with_spaces() -> None:
    tokens = tokenize("The U.S. Navy")
    assert tokens.text == " the u s navy "
    assert tokens.norms == ["the", "u", "s", "navy"]


def test_sentence_breaks() -> None:
    def has_break(text: str) -> bool:
        tokens = tokenize(text)
        return bool(tokens.breaks_between(0, len(tokens) - 1))

    assert has_break("in the north. Korea said")
    assert has_break("Seoul: Korea")
    assert has_break("Really?! Korea")
    assert has_break("wait… Korea")
    # After a single letter it is an abbreviation, not the end of a sentence.
    assert not has_break("S. Korea")
    assert not has_break("U.S. Navy")
    # Without whitespace it is a number, a ratio or a host name.
    assert not has_break("12.5 million")
    assert not has_break("won 3:1")
    assert not has_break("example.com")
    # Commas, dashes, quotes and line breaks do not end sentences.
    assert not has_break('South, "Korea" —\nnews')


def test_emoji_is_no_word() -> None:
    assert words("Korea \U0001f1f0\U0001f1f7 news") == ["korea", "news"]
    assert words("") == []
    assert tokenize("").text == " "


def test_normalize_joins_words() -> None:
    assert normalize("Democratic People’s Republic of Korea") == (
        "democratic people s republic of korea"
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_tokens_are_ordered_and_consistent(text: str) -> None:
    tokens = tokenize(text)
    previous_end = 0
    for index, norm in enumerate(tokens.norms):
        begin, end = tokens.begins[index], tokens.ends[index]
        assert previous_end <= begin < end <= len(text)
        assert norm and norm == fold(text[begin:end])
        assert " " not in norm
        previous_end = end
    assert tokens.text == " " + "".join(norm + " " for norm in tokens.norms)
    assert list(tokens.break_count) == sorted(tokens.break_count)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x7F),
            st.sampled_from(
                "\u2019\u2018\u201c\u201d\u2014\u2013\u2026\u00a0\u00ab\u00bb\u2022\u3001"
                "\u00b2\u00aa\u2122\u00e9\u0308\U0001f600"
            ),
        ),
        max_size=80,
    )
)
def test_fast_paths_tokenise_like_the_general_one(text: str) -> None:
    """ASCII text, and text whose only non-ASCII characters are punctuation, skip the regex."""
    fast, general = tokenize(text), _tokenize_unicode(text)
    assert (fast.norms, list(fast.begins), list(fast.ends), fast.text) == (
        general.norms,
        list(general.begins),
        list(general.ends),
        general.text,
    )
    assert fast.break_count == general.break_count
