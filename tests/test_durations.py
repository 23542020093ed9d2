"""`parse_duration`: the one parser for `--for 2h`, `--since 24h` and `every 30m`."""

from __future__ import annotations

import pytest

from monitor.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1w", 604800),
     ("1h30m", 5400), (" 1h 30m ", 5400), ("1.5h", 5400), ("10S", 10)],
)  # fmt: skip
def test_accepted_forms(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "2", "h", "2 hours", "-1h", "1y", "0s", "1e9h", "99999999999s"]
)
def test_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|too short|too long"):
        parse_duration(text)
