"""`monitor test --rule`'s NEAR distance: the bisection agrees with trying every pair."""

from __future__ import annotations

import random

from monitor.explain import _closest, _words
from monitor.matching.model import Hit
from monitor.matching.normalize import TokenizedText, tokenize


def _brute(
    lefts: list[Hit], rights: list[Hit], fields: dict[str, TokenizedText], ordered: bool
) -> int | None:
    """The definition: the fewest words between any left and right hit that do not overlap."""
    best: int | None = None
    for a in lefts:
        first_a, last_a = _words(a, fields[a.field])
        for b in rights:
            if b.field != a.field:
                continue
            first_b, last_b = _words(b, fields[b.field])
            if last_a < first_b:
                between = first_b - last_a - 1
            elif not ordered and last_b < first_a:
                between = first_a - last_b - 1
            else:
                continue
            best = between if best is None else min(best, between)
    return best


def _hits(text: str, phrase: str) -> list[Hit]:
    """Every whole-word occurrence of `phrase` in `text` (words are separated by spaces)."""
    found, at = [], text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or text[at - 1] == " ") and (end == len(text) or text[end] == " "):
            found.append(Hit(phrase, phrase, "body", at, end))
        at = text.find(phrase, at + 1)
    return found


def test_closest_distance_matches_every_pair_on_random_texts() -> None:
    rng = random.Random(12)
    for _ in range(300):
        words = [rng.choice(["a", "b", "c", "a b", "x"]) for _ in range(rng.randint(1, 40))]
        text = " ".join(words)
        fields = {"title": tokenize("t"), "body": tokenize(text)}
        left = _hits(text, rng.choice(["a", "a b", "x"]))
        right = _hits(text, rng.choice(["b", "c", "a b"]))
        for ordered in (False, True):
            assert _closest(left, right, fields, ordered) == _brute(left, right, fields, ordered)
