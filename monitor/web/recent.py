"""The latest articles the daemon read, kept in memory for the playground.

The state database keeps no article text (titles, links and rules only), and the playground
tries a rule on "the last N articles": so the pipeline hands each article it reads to this
ring. Bounded twice: by count (`[web] recent`) and by characters, so a burst of megabyte
files cannot pin gigabytes. Appending is one lock and a deque append per article.
"""

from __future__ import annotations

import threading
from collections import deque

from monitor.articles.model import Article

MAX_CHARS = 50_000_000
"""Characters of title and body kept in all (about 50-200 MB of str at most)."""


class RecentArticles:
    """The last `size` articles read, newest first."""

    def __init__(self, size: int, max_chars: int = MAX_CHARS) -> None:
        self.size = size
        self.max_chars = max_chars
        self._items: deque[Article] = deque()
        self._chars = 0
        self._lock = threading.Lock()

    def add(self, article: Article) -> None:
        if self.size <= 0:
            return
        weight = len(article.title) + len(article.body)
        if weight > self.max_chars:
            return
        with self._lock:
            self._items.appendleft(article)
            self._chars += weight
            while len(self._items) > self.size or self._chars > self.max_chars:
                old = self._items.pop()
                self._chars -= len(old.title) + len(old.body)

    def latest(self, limit: int | None = None) -> list[Article]:
        """Newest first, at most `limit`."""
        with self._lock:
            items = list(self._items)
        return items if limit is None else items[:limit]

    def find(self, article_id: str) -> Article | None:
        with self._lock:
            return next((a for a in self._items if a.id == article_id), None)
