"""Durations as people write them in configs and on the command line: `90s`, `30m`, `1h30m`.

One parser for every place that takes a span of time (`monitor silence add --for 2h`,
`monitor stories --since 24h`, a digest's `every 30m`), so they all accept the same forms
and refuse the same mistakes with the same message.
"""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PART = re.compile(r"([0-9]{1,9}(?:\.[0-9]{1,6})?)\s*([smhdw])")
_WHOLE = re.compile(r"(?:[0-9]{1,9}(?:\.[0-9]{1,6})?\s*[smhdw]\s*)+")

MAX_SECONDS = 10 * 365 * 86400
"""Ten years: longer than any silence or window anyone means, short enough for any clock."""


def parse_duration(text: str, *, minimum: float = 1.0) -> float:
    """Seconds in `text` (`90s`, `30m`, `2h`, `1d`, `1w`, combined as `1h30m`; units are
    lower case). ValueError with an example for anything else, zero, or over ten years."""
    compact = text.strip().lower()
    if not _WHOLE.fullmatch(compact):
        raise ValueError(
            f"{text!r} is not a duration: write a number and a unit (s, m, h, d, w), "
            'e.g. "90s", "30m", "2h" or "1h30m"'
        )
    seconds = sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(compact))
    if seconds < minimum:
        raise ValueError(f"{text!r} is too short: at least {minimum:g} s")
    if seconds > MAX_SECONDS:
        raise ValueError(f"{text!r} is too long: at most ten years")
    return seconds
