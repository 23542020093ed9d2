"""Plain text, Markdown and the seed format: the title is the first line, the body the rest.

The seed format is plain text whose first line reads `date YYYY-MM-DD Title...`; it is how
the corpus the project started from was exported, so it is recognised in any text file.
"""

from __future__ import annotations

import datetime as dt
import re

from monitor.articles.decode import Decoding
from monitor.articles.draft import Draft

# Leading space or a stray BOM (one that survived a double encoding) is tolerated.
_SEED_LINE = re.compile(
    r"^[\s\ufeff]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})(?:[ \t]+(?P<title>.*))?$",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^\s*#+\s*")
_XML_DECLARATION = re.compile(r"\A[\s\ufeff]*<\?xml\b[^>\n]{0,300}\?>[ \t]*(?:\n|\Z)")
"""An XML declaration on a line of its own at the start: what declares the charset of a
text file read as plain text (`.xml`, or a `.txt` saved by an XML tool), never its title."""


def read_plain(text: str, markdown: bool = False, decoding: Decoding | None = None) -> Draft:
    """Read text already decoded with LF line endings; Markdown only changes the title line."""
    first, rest = _first_line(_XML_DECLARATION.sub("", text, count=1))
    seed = read_seed_line(first)
    if seed is not None:
        title, published = seed
        return Draft(title=title, body=rest, published=published, decoding=decoding)
    title = _MD_HEADING.sub("", first) if markdown else first
    return Draft(title=title, body=rest, decoding=decoding)


def read_seed_line(line: str) -> tuple[str, str | None] | None:
    """(title, published) when `line` is a seed header, else None.

    A date that does not exist (2023-02-30) keeps the line a seed header but leaves the
    article undated: losing the article over a typo in its metadata would be worse.
    """
    found = _SEED_LINE.match(line)
    if found is None:
        return None
    return (found["title"] or "").strip(), _valid_date(found["date"])


def _first_line(text: str) -> tuple[str, str]:
    """The first non-blank line and everything after it."""
    stripped = text.lstrip("\n \t\ufeff")
    first, _, rest = stripped.partition("\n")
    return first.strip(), rest


def _valid_date(value: str) -> str | None:
    """`value` if it is a real calendar date, else None."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None
