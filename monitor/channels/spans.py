"""Highlight ranges shared by the rich channels (Slack bold, email <strong>).

One helper for both, so that the two cannot drift again: email used to clip hits that ran
past its text and Slack to drop them. A reader is best served by clipping (the part of a
hit that is in the window is still the matched word, or its start) and by merging
overlapping or touching hits into one highlight (nested `*bold*` or `<strong>` would break
the markup). Hits from the other field, and ranges that end up empty, are left out, so a
stale or partial excerpt degrades to fewer highlights, never to an error or a wrong offset
outside the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.alerts import HitInfo


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges: overlapping or touching hits become one highlight."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def highlight_spans(
    hits: Iterable[HitInfo], field: str, offset: int, length: int
) -> list[tuple[int, int]]:
    """The hits in `field` as sorted, merged (start, end) ranges in a text of `length`
    characters that begins at `offset` in that field, each clipped to the text."""
    spans: list[tuple[int, int]] = []
    for hit in hits:
        if hit.field != field:
            continue
        s, e = max(0, hit.start - offset), min(length, hit.end - offset)
        if s < e:
            spans.append((s, e))
    return merge(spans)
