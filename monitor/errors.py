"""The user-facing error classes, in one hierarchy.

Every problem a user or admin can fix is a `MonitorError`: its `str()` is the whole message,
already phrased for a human (what is wrong, where, and what to do), so a caller at the edge
(the CLI, the daemon's loop, a source) can print or log it without knowing which part raised
it, and `except MonitorError` separates "tell the user" from "this is a bug". Modules raise
the most specific subclass; nothing here imports the rest of the package.
"""

from __future__ import annotations


class MonitorError(Exception):
    """A problem the message explains to the person who can fix it."""


class ConfigError(MonitorError):
    """A config problem, already phrased as one `FILE:LINE: message` line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class RuleError(MonitorError):
    """A rule the matcher cannot use (a keyword without letters, an unresolved entity)."""


class QueryError(RuleError, ValueError):
    """A query that does not parse or is refused: the message and a 1-based column.

    Also a `ValueError`, because queries are checked inside pydantic validators, which turn
    only `ValueError`s into field errors.
    """

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


class UnknownRule(MonitorError):
    """A rule id asked for (`monitor test --rule`) that no loaded rule has."""


class ArticleError(MonitorError):
    """An article that cannot be read; the message says why, in words for the admin."""


class SourceError(MonitorError):
    """A source that cannot run (an inbox that cannot be watched); says why and what to do."""


class DeliveryError(MonitorError):
    """A send that failed; `permanent` means retrying the same alert cannot help."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class StoreError(MonitorError):
    """The state database cannot be opened or used; the message names it and says what to do."""


class StateLocked(StoreError):
    """The state folder is in use by another daemon, or cannot be locked; says which."""


class FatalError(MonitorError):
    """A problem the daemon cannot run with; the message says what to fix."""
