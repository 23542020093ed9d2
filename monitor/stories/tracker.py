"""Which story an article belongs to: a recent one it nearly duplicates, or a new one.

The pipeline asks this for every article that matched a rule (only those can alert), inside
the write transaction that records it, so the story, the article and its alerts are
committed together. The near-duplicate window counts from when a story's first copy
arrived, not from its published date: wire copies trickle in over hours, and a story
re-published with an old date is still news to the desk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from monitor.state import Store
from monitor.stories.index import StoryIndex
from monitor.stories.sketch import similarity as sketch_similarity

log = logging.getLogger("monitor.stories")

PRUNE_SECONDS = 60.0
"""How often the window's start is moved on and old sketches are dropped from the database."""

CATCH_UP_EVERY = 0.25
"""In a cluster, how often at most the index looks for stories other nodes started."""

CATCH_UP_OVERLAP = 5.0
"""How far before the last look each look reaches: a story is committed up to a batch (a
second or so) after it arrived, by a node whose clock may be a little off."""


@dataclass(frozen=True, slots=True)
class StoryRef:
    """The story an article was filed under."""

    id: str  # the id of the story's first article
    new: bool  # this article started it
    similarity: float | None = None  # to the story's first copy, when it joined one


class StoryTracker:
    """Files articles under stories, using the store and an in-memory `StoryIndex`."""

    def __init__(
        self,
        store: Store,
        window_hours: float,
        threshold: float,
        clock: Callable[[], float] = time.time,
        shared: bool = False,
    ) -> None:
        self.store = store
        # In a cluster other nodes start stories too: before each assignment the index
        # takes in those committed since the last look (`_catch_up`).
        self.shared = shared
        self._looked = 0.0
        self._loaded_upto = 0  # the newest story `load` filed
        self._filed: dict[int, float] = {}  # story numbers filed since, and when
        self.window = window_hours * 3600.0
        self.threshold = threshold
        self._clock = clock
        self.index = StoryIndex()
        self._pruned_at = 0.0

    def configure(self, window_hours: float, threshold: float) -> None:
        """A reloaded `[stories]`: a longer window takes effect as stories accumulate."""
        self.window = window_hours * 3600.0
        self.threshold = threshold
        self._pruned_at = 0.0

    def load(self) -> int:
        """Rebuild the index from the stories in the window; how many there are."""
        now = self._clock()
        since = now - self.window
        self.index = StoryIndex(self.store.window_count(since))
        self.index.oldest = self.store.first_story_since(since)
        count = 0
        for number, keys in self.store.window_stories(since):
            self.index.add(number, keys)
            count += 1
        self._pruned_at = now
        self._looked = now
        self._loaded_upto = self.index.newest
        return count

    def _catch_up(self, now: float) -> None:
        """File the stories other nodes started since the last look (a cluster only)."""
        if now - self._looked < CATCH_UP_EVERY:
            return
        since = max(self._looked - CATCH_UP_OVERLAP, now - self.window)
        self._looked = now
        for number, keys in self.store.window_stories(since):
            if number > self._loaded_upto and number not in self._filed:
                self.index.add(number, keys)
                self._filed[number] = now
        if len(self._filed) > 4096:
            cutoff = now - 4 * CATCH_UP_OVERLAP
            self._filed = {n: t for n, t in self._filed.items() if t >= cutoff}

    def assign(self, article_id: str, sketch: bytes, keys: bytes) -> StoryRef:
        """The article's story: the most similar story in the window at or above the
        threshold (the same text again is similar to its own story), or a new one. The same
        text after its story left the window starts that story again (`add_story`)."""
        now = self._clock()
        if now - self._pruned_at >= PRUNE_SECONDS:
            self._prune(now)
        if self.shared:
            self._catch_up(now)
        best: tuple[float, str] | None = None
        candidates = self.index.candidates(keys)
        if candidates:
            # The window to the second: the index's `oldest` moves on once a minute.
            for story_id, other in self.store.story_sketches(candidates[:64], now - self.window):
                score = sketch_similarity(sketch, other)
                if score >= self.threshold and (best is None or score > best[0]):
                    best = (score, story_id)
        if best is not None:
            return StoryRef(best[1], new=False, similarity=round(best[0], 4))
        number = self.store.add_story(article_id, now, sketch, keys)
        self.index.add(number, keys)
        if self.shared:
            self._filed[number] = now
        return StoryRef(article_id, new=True)

    def _prune(self, now: float) -> None:
        """Move the window's start on; forget the sketches of stories that left it."""
        self._pruned_at = now
        start = now - self.window
        self.index.oldest = self.store.first_story_since(start)
        forgotten = self.store.forget_sketches(start)
        if forgotten:
            log.debug("%d stories left the %g h window", forgotten, self.window / 3600)
