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

    `compounds` are names built from one-character abbreviations, which Chinese and Japanese
    write without spaces: 中美 (China and the US: every entity it names has it), 米政府 (the
    US government). They match like aliases, but a hit that overlaps another name's hit
    does not count (其中美国, "among them the US", holds 中美), nor one right after a number
    (10日中国: the 10th, then China); and a rule cannot look an entity up by one of them.
    """

    name: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...] = ()
    fuzzy: int | None = None
    kind: str = "custom"  # country | historical | organisation | region | phrase | custom
    compounds: tuple[str, ...] = ()
