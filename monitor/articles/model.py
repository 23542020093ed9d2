"""The `Article` value every reader produces and every later stage consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One news item, reduced to the fields matching and alerting need.

    `id` is derived from the title and body only, so the same story dropped again under
    another file name (or in another container format) gets the same id and alerts nothing new.
    It is worked out on first use: hashing a 4 KB article costs as much as tokenising it, and
    `monitor test` never needs it.
    """

    path: str
    title: str
    body: str
    url: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None  # as its source declares it (a feed's `language`), if it does
    _id: str | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The content id (`make_id` of the title and body)."""
        if self._id is None:
            object.__setattr__(self, "_id", self.make_id(self.title, self.body))
        assert self._id is not None
        return self._id

    @staticmethod
    def make_id(title: str, body: str) -> str:
        """A stable content id: 16 hex digits of SHA-256 over the title and the body."""
        digest = hashlib.sha256()
        digest.update(title.strip().encode("utf-8"))
        digest.update(b"\x00")
        digest.update(body.strip().encode("utf-8"))
        return digest.hexdigest()[:16]

    @classmethod
    def create(
        cls,
        path: str,
        title: str,
        body: str,
        url: str | None = None,
        published: str | None = None,
        source: str | None = None,
        language: str | None = None,
    ) -> Article:
        """Build an article, stripping the title and body (its id depends on nothing else)."""
        return cls(
            path=path,
            title=title.strip(),
            body=body.strip(),
            url=url,
            published=published,
            source=source,
            language=language,
        )
