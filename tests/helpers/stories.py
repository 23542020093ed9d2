"""Articles that are different stories, for tests that need many alerts.

Copies of one text with a number changed are near-duplicates, one story, and alert once
(issue 13). A test that needs N alerts needs N stories: these add a paragraph of words
drawn at random (seeded by `i`) from a made-up vocabulary, so that no two share more
than chance 3-word sequences.
"""

from __future__ import annotations

import random

_SYLLABLES = ["ka", "lo", "mi", "ru", "te", "sa", "vo", "ni", "pe", "da", "zu", "ho", "ri", "be"]
_VOCABULARY = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]


def filler(i: int, words: int = 60) -> str:
    """A paragraph of `words` made-up words, different for every `i`."""
    rng = random.Random(i)
    return " ".join(rng.choice(_VOCABULARY) for _ in range(words)) + "."


def other_story(i: int, title: str = "NATO urges South Korea to send ammunition") -> bytes:
    """A short article the repository's `nato-south-korea` rule matches, a story of its own
    for every `i` (not a copy of the seed, nor of another `i`)."""
    return (
        f"{title}\n\nNATO asked South Korea for weapons and ammunition. {filler(i, 150)}\n"
    ).encode()
