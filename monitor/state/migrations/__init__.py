"""Numbered schema migrations, one folder of SQL files per backend.

A file is `NNNN_what.sql`; its number is the schema version it brings the database to. A
backend applies, in one transaction per file, every file above the version its database
records, and refuses a database at a version above the newest file (a newer monitor wrote it:
running an older one on it could corrupt data it does not know about). Files are never edited
once released: a change is a new file, so every install walks the same path.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@functools.cache
def migrations(backend: str) -> tuple[Migration, ...]:
    """The backend's migrations in version order; a gap or a duplicate number is a bug.

    Read once per process: every store opens (one per sender thread) asks for them."""
    found: list[Migration] = []
    for entry in resources.files(__package__).joinpath(backend).iterdir():
        match = _NAME.fullmatch(entry.name)
        if match:
            sql = entry.read_text(encoding="utf-8")
            found.append(Migration(int(match.group(1)), match.group(2), sql))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"{backend} migrations are not numbered 1..N: {found}")
    return tuple(found)


def statements(sql: str) -> list[str]:
    """Split a migration into statements at the semicolons that end one, skipping comments.

    Migrations hold plain DDL and INSERT ... SELECT: a `;` ends a statement unless it is
    inside a quoted string, which is all this needs to know.
    """
    out: list[str] = []
    current: list[str] = []
    quote = ""
    for line in sql.splitlines():
        if not quote and line.lstrip().startswith("--"):
            continue
        for char in line:
            current.append(char)
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == ";":
                text = "".join(current).strip()
                if text != ";":
                    out.append(text)
                current = []
        current.append("\n")
    rest = "".join(current).strip()
    if rest:
        out.append(rest)
    return out
