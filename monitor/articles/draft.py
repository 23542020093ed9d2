"""The fields a format reader extracts, before the shared finishing step builds the Article."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.articles.decode import Decoding


@dataclass(frozen=True, slots=True)
class Draft:
    """What one file said, in the file's own words.

    Format readers return this instead of an `Article` so that the checks every format shares
    (line endings, lone surrogates, "title and body both empty") live in one place.
    """

    title: str
    body: str
    url: str | None = None
    published: str | None = None
    source: str | None = None
    decoding: Decoding | None = None  # how the text was decoded: readers log guesses
    language: str | None = None  # as the file declares it (`de-DE`); `Article.create` reduces it
