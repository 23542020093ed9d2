"""The `Article` value every reader produces and every later stage consumes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from monitor.langcodes import primary

LanguageSource = Literal["declared", "detected"]

_UNSET = "\x00"
"""`Article._detected` before detection ran (None is a result: no language found)."""

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def encodable(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD, one character for one (offsets
    hold).

    A JSON escape (`"\\ud800"`, in an inbox file, an ingest request or a JSON Feed) can put
    half of a UTF-16 surrogate pair into any string, and UTF-8 cannot encode it: the content
    id, the database, a JSON line, an email would all refuse it, and with it every alert of
    the article.
    """
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


def _encodable(text: str | None) -> str | None:
    return None if text is None else encodable(text)


@dataclass(frozen=True, slots=True)
class Article:
    """One news item, reduced to the fields matching and alerting need.

    `id` is derived from the title and body only, so the same story dropped again under
    another file name (or in another container format) gets the same id and alerts nothing new.
    It is worked out on first use: hashing a 4 KB article costs as much as tokenising it, and
    `monitor test` never needs it.

    `language` is the language its source declares (a feed's `language`, a JSON article's
    `language`, `<html lang>`, an e-mail's Content-Language), reduced to its primary subtag
    (`de-AT` -> `de`; see `monitor.langcodes.primary`), or None. `lang` is the language
    matching and alerts use: the declared one, else the one detected from the text, worked
    out once, on first use (`monitor.articles.language`).
    """

    path: str
    title: str
    body: str
    url: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    _id: str | None = field(default=None, repr=False, compare=False)
    _detected: str | None = field(default=_UNSET, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The content id (`make_id` of the title and body)."""
        if self._id is None:
            object.__setattr__(self, "_id", self.make_id(self.title, self.body))
        assert self._id is not None
        return self._id

    @property
    def lang(self) -> str | None:
        """The article's language: declared, else detected from the text (once); None when
        neither tells."""
        if self.language is not None:
            return self.language
        if self._detected == _UNSET:
            from monitor.articles.language import detect

            object.__setattr__(self, "_detected", detect(self.title, self.body))
        return self._detected

    @property
    def lang_source(self) -> LanguageSource | None:
        """Where `lang` comes from: "declared", "detected", or None when it is unknown."""
        if self.language is not None:
            return "declared"
        return "detected" if self.lang is not None else None

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
        """Build an article, stripping the title and body (its id depends on nothing else);
        every field `encodable`, so that nothing downstream meets a lone surrogate.
        A declared `language` tag is reduced to its primary subtag, and dropped when it
        names no language (`und`, `english`, garbage: then the text decides)."""
        return cls(
            path=encodable(path),
            title=encodable(title.strip()),
            body=encodable(body.strip()),
            url=_encodable(url),
            published=_encodable(published),
            source=_encodable(source),
            language=primary(_encodable(language)),
        )
