"""The per-article time budget's exception, shared by the pipeline and the readers."""

from __future__ import annotations


class ArticleTimeout(BaseException):
    """Raised by the per-article time budget.

    A BaseException, so that readers' `except Exception` around third-party code (a parser
    heuristic failing must not lose the article) cannot swallow it: the budget has to stop
    the article, not merely the heuristic.
    """
