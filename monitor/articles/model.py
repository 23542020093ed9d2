"""The `Article` value every reader produces and every later stage consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


class ArticleError(Exception):
    """An article that cannot be read; the message says why, in words for the admin."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news item, reduced to the fields matching and alerting need.

    `id` is derived from the title and body only, so the same story dropped again under
    another file name (or in another container format) gets the same id and alerts nothing new.
    """

    id: str
    path: str
    title: str
    body: str
    url: str | None = None
    published: str | None = None
    source: str | None = None

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
    ) -> Article:
        """Build an article, computing its content id."""
        return cls(
            id=cls.make_id(title, body),
            path=path,
            title=title.strip(),
            body=body.strip(),
            url=url,
            published=published,
            source=source,
        )
