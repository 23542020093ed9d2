"""What the matcher returns: plain values, ready to be stored and rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Field = Literal["title", "body"]


class Hit(NamedTuple):
    """One occurrence of a rule's term in the article.

    `term` is the term as the rule wrote it (a keyword, or an entity's canonical name);
    `text` quotes the original article text; `start`/`end` are offsets into that field's
    original text (`article.title` or `article.body`), end exclusive. A named tuple: an
    article's hits are built by the dozen, five times faster than a frozen dataclass.
    """

    term: str
    text: str
    field: Field
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "text": self.text,
            "field": self.field,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Prominence:
    """`[matching]` in the config: what the lead of an article is, and how many mentions
    make an entity prominent outside the title and the lead (`prominent: true`)."""

    lead_words: int = 50
    min_mentions: int = 2


DEFAULT_PROMINENCE = Prominence()


@dataclass(frozen=True, slots=True)
class Match:
    """A rule that matched an article, with the hits that made it match."""

    rule: str
    hits: tuple[Hit, ...]
