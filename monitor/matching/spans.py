"""`Span`: where a term occurs, in token positions, the unit every later stage works on.

Token positions (not character offsets) are what phrase, containment and, later, `NEAR/n`
checks need; character offsets are derived only when a `Hit` is built for output.
"""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """Tokens first..last (inclusive) of field number `field` (0 title, 1 body).

    Fields go by number so that sorting spans puts the title before the body.
    """

    field: int
    first: int
    last: int
