"""Wall-clock timestamps as the alert records and the state database write them."""

from __future__ import annotations

import time
from datetime import UTC, datetime

_last_stamp: tuple[int, str] = (-1, "")


def utc_now() -> str:
    """An ISO-8601 UTC timestamp with second precision, as alert records carry it.

    Formatted once per second: a burst asks for it three times per file. The cache is one
    tuple, replaced whole, so threads never see a second paired with another's text.
    """
    global _last_stamp
    second = int(time.time())
    if _last_stamp[0] != second:
        text = datetime.fromtimestamp(second, UTC).isoformat().replace("+00:00", "Z")
        _last_stamp = (second, text)
    return _last_stamp[1]
