"""The `Entity` value: one named thing (country, organisation, person) and all its names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity as the matcher sees it.

    `aliases` are matched case- and accent-insensitively as whole words (the canonical
    `name` is always one of them); `exact` aliases only with exactly this case, for short
    forms such as "US" or "ROK" that would otherwise match ordinary words ("us").
    `fuzzy` (0-100) lets close misspellings of an alias count, scored by rapidfuzz.
    """

    name: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...] = ()
    fuzzy: int | None = None
    kind: str = "custom"  # country | historical | organisation | region | phrase | custom
