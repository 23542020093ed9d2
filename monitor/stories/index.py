"""The in-memory index from sketch keys to the stories that have them: the candidate step.

Every matched article asks "which recent story might I be a copy of?". Comparing its sketch
with every story in the window (up to a million) is out of the question, so each story is
filed under its 16 keys (`monitor.stories.sketch`) and an article's candidates are the
stories that share at least two keys with it; only those are compared.

The table is two numpy uint32 arrays of `buckets x SLOTS` cells (key, story number), so a
million stories take 16 million cells, about 200 MB at the load kept here, instead of the
gigabytes a dict of Python ints would. A key goes to bucket `key % buckets`; a full bucket
gives its oldest cell (the smallest story number) to the newcomer. That bounds what a key
shared by thousands of stories (a phrase such as "said in a statement" whose hash happens to
be small) can cost a lookup, and it forgets old stories first, which are the least likely to
be copied again. Stories older than the window are skipped by number (`oldest`), so expiry
needs no deletion. The index is rebuilt from the database at start-up (`build`), so it
survives restarts without being written anywhere itself.

One thread (the pipeline's) uses an index; it is not locked.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SLOTS = 8
"""Cells per bucket: a lookup reads 16 buckets of this many cells."""

LOAD = 0.6
"""Cells filled, at most, before the table doubles: few buckets overflow (about 5 %)."""

MIN_BUCKETS = 1 << 12

U32 = npt.NDArray[np.uint32]


class StoryIndex:
    """Story numbers (> 0) filed under their uint32 keys (> 0)."""

    def __init__(self, buckets: int = MIN_BUCKETS) -> None:
        self._buckets = max(MIN_BUCKETS, buckets)
        self._keys: U32 = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        self._stories: U32 = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        self.oldest = 1  # stories numbered below this are out of the window
        self.newest = 0

    @property
    def nbytes(self) -> int:
        return int(self._keys.nbytes + self._stories.nbytes)

    def build(self, stories: npt.ArrayLike, keys: list[bytes]) -> None:
        """Replace the contents with these stories (ascending numbers) and their key bytes."""
        numbers = np.asarray(stories, dtype=np.uint32)
        counts = np.fromiter((len(k) // 4 for k in keys), dtype=np.int64, count=len(keys))
        flat = np.frombuffer(b"".join(keys), dtype="<u4").astype(np.uint32)
        owners = np.repeat(numbers, counts)
        self._fill(flat, owners, self._size_for(len(numbers)))
        if len(numbers):
            self.newest = max(self.newest, int(numbers[-1]))

    def add(self, story: int, keys: bytes) -> None:
        """File one new story (numbered above every story already in) under its keys."""
        if self._size_for(story - self.oldest + 1) > self._buckets:
            self._grow()
        k = np.frombuffer(keys, dtype="<u4").astype(np.int64)
        if not len(k):
            return
        rows = k % self._buckets
        slots = self._stories[rows].argmin(axis=1)  # an empty cell (0), else the oldest
        self._keys[rows, slots] = k
        self._stories[rows, slots] = story
        self.newest = max(self.newest, story)

    def candidates(self, keys: bytes, need: int = 2) -> list[int]:
        """Stories in the window sharing at least `need` of these keys (fewer if the article
        has fewer keys than that: a one-word text has one), most shared first."""
        k = np.frombuffer(keys, dtype="<u4").astype(np.int64)
        if not len(k):
            return []
        rows = k % self._buckets
        stories = self._stories[rows]
        found = stories[(self._keys[rows] == k[:, None]) & (stories >= self.oldest)]
        if not len(found):
            return []
        numbers, counts = np.unique(found, return_counts=True)
        enough = counts >= min(need, len(k))
        order = np.argsort(-counts[enough], kind="stable")
        return [int(n) for n in numbers[enough][order]]

    def _size_for(self, stories: int) -> int:
        """Buckets for this many stories of 16 keys at the load kept."""
        return int(stories * 16 / (SLOTS * LOAD)) + 1

    def _grow(self) -> None:
        live = (self._stories >= self.oldest) & (self._stories > 0)
        self._fill(self._keys[live], self._stories[live], self._buckets * 2)

    def _fill(self, keys: U32, owners: U32, buckets: int) -> None:
        """A new table of at least `buckets` holding these cells, the newest kept per bucket."""
        buckets = max(MIN_BUCKETS, buckets)
        rows = keys.astype(np.int64) % buckets
        # Newest first within a bucket, then each bucket's first SLOTS cells are kept.
        order = np.lexsort((-owners.astype(np.int64), rows))
        rows, keys, owners = rows[order], keys[order], owners[order]
        starts = np.searchsorted(rows, rows, side="left")
        rank = np.arange(len(rows)) - starts
        keep = rank < SLOTS
        self._buckets = buckets
        self._keys = np.zeros((buckets, SLOTS), dtype=np.uint32)
        self._stories = np.zeros((buckets, SLOTS), dtype=np.uint32)
        self._keys[rows[keep], rank[keep]] = keys[keep]
        self._stories[rows[keep], rank[keep]] = owners[keep]
