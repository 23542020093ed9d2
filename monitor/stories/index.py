"""The in-memory index from sketch keys to the stories that have them: the candidate step.

Every matched article asks "which recent story might I be a copy of?". Comparing its sketch
with every story in the window (up to a million) is out of the question, so each story is
filed under its 16 keys (`monitor.stories.sketch`) and an article's candidates are the
stories that share at least two keys with it; only those are compared.

The table is two uint32 arrays of `buckets x SLOTS` cells (key, story number), so a million
stories take 16 million cells, about 230 MB at the load kept here, instead of the gigabytes
a dict of Python ints would. A key goes to bucket `key % buckets`. A key already in its
bucket CAP times replaces its own oldest cell: a key that thousands of stories share (a
phrase such as "said in a statement" whose hash happens to be small) keeps its newest few
stories and cannot push other keys out of the bucket. Otherwise a full bucket gives its
oldest cell to the newcomer, so old stories, the least likely to be copied again, are
forgotten first. Stories older than the window are skipped by number (`oldest`), so expiry
needs no deletion. The index is rebuilt from the database at start-up (`add` per stored
story, oldest first), so it survives restarts without being written anywhere itself.

The loops are in `_speedups.c` (`index_insert`, `index_candidates`); the numpy versions
below give the same answers where the extension is not built. One thread (the pipeline's)
uses an index; it is not locked.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

SLOTS = 8
"""Cells per bucket (`INDEX_SLOTS` in `_speedups.c`)."""

CAP = 3
"""Cells one key may hold in its bucket."""

LOAD = 0.7
"""Cells filled, at most, before the table doubles: few buckets overflow."""

ROOM = 1.25
"""A table built at start-up has room for this many times the stories it starts with."""

MIN_BUCKETS = 1 << 12

U32 = npt.NDArray[np.uint32]


def _numpy_insert(keys_table: U32, stories_table: U32, keys: U32, owners: U32, cap: int) -> None:
    """`index_insert` without the extension, one cell at a time (same answers)."""
    buckets = len(keys_table)
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        row = key % buckets
        cells, stories = keys_table[row], stories_table[row]
        same = (stories != 0) & (cells == key)
        if int(same.sum()) >= cap:
            slot = int(np.where(same, stories, np.uint32(0xFFFFFFFF)).argmin())
        else:
            slot = int(stories.argmin())
        cells[slot] = key
        stories[slot] = owner


def _numpy_candidates(
    keys_table: U32, stories_table: U32, keys: U32, oldest: int, need: int
) -> list[int]:
    """`index_candidates` without the extension (same answers, same order)."""
    rows = keys.astype(np.int64) % len(keys_table)
    stories = stories_table[rows]
    hit = (keys_table[rows] == keys[:, None]) & (stories != 0) & (stories >= oldest)
    found = stories[hit]
    if not len(found):
        return []
    numbers, counts = np.unique(found, return_counts=True)
    least = min(need, len(keys))
    chosen = [(int(c), int(n)) for n, c in zip(numbers, counts, strict=True) if c >= least]
    return [n for _, n in sorted(chosen, reverse=True)]


_Insert = Callable[[U32, U32, U32, U32, int], None]
_Candidates = Callable[[U32, U32, U32, int, int], list[int]]

try:
    from monitor.matching._speedups import index_candidates as _c_candidates
    from monitor.matching._speedups import index_insert as _c_insert

    _insert: _Insert = _c_insert
    _candidates: _Candidates = _c_candidates
except ImportError:  # installed without a C compiler
    _insert = _numpy_insert
    _candidates = _numpy_candidates


class StoryIndex:
    """Story numbers (> 0) filed under their uint32 keys."""

    def __init__(self, stories: int = 0) -> None:
        self._buckets = self._size_for(int(stories * ROOM))
        self._keys: U32 = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        self._stories: U32 = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        self.oldest = 1  # stories numbered below this are out of the window
        self.newest = 0

    @property
    def nbytes(self) -> int:
        return int(self._keys.nbytes + self._stories.nbytes)

    def add(self, story: int, keys: bytes) -> None:
        """File a story (numbered above every story already in) under its keys."""
        if self._size_for(story - self.oldest + 1) > self._buckets:
            self._grow()
        k = np.frombuffer(keys, dtype="<u4").astype(np.uint32)
        _insert(self._keys, self._stories, k, np.full(len(k), story, dtype=np.uint32), CAP)
        self.newest = max(self.newest, story)

    def candidates(self, keys: bytes, need: int = 2) -> list[int]:
        """Stories in the window sharing at least `need` of these keys (all of them, when the
        article has fewer: a one-word text has one), most shared first, then newest."""
        k = np.frombuffer(keys, dtype="<u4").astype(np.uint32)
        if not len(k):
            return []
        return _candidates(self._keys, self._stories, k, self.oldest, need)

    @staticmethod
    def _size_for(stories: int) -> int:
        """Buckets for this many stories of 16 keys at the load kept."""
        return max(MIN_BUCKETS, int(stories * 16 / (SLOTS * LOAD)) + 1)

    def _grow(self) -> None:
        """Double the table: the cells still in the window are filed again, oldest first,
        so that where a bucket of the new table overflows the newest are the ones kept."""
        live = self._stories >= max(self.oldest, 1)
        keys, owners = self._keys[live], self._stories[live]
        order = np.argsort(owners, kind="stable")
        self._buckets *= 2
        self._keys = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        self._stories = np.zeros((self._buckets, SLOTS), dtype=np.uint32)
        _insert(
            self._keys,
            self._stories,
            np.ascontiguousarray(keys[order]),
            np.ascontiguousarray(owners[order]),
            CAP,
        )
