"""The per-article time budget: no single article may hold the processing loop for long.

Articles are read and matched on the daemon's main thread, one after another, so one file
that makes a parser crawl (300,000 tiny HTML elements kept trafilatura busy for 40 s) would
delay every article behind it and starve the systemd watchdog. The readers cap the work they
accept before parsing; this is the backstop for whatever the caps miss: an interval timer
(SIGALRM) interrupts the Python code reading the article once its budget is spent.

The timer can only interrupt Python code between bytecodes, which is why the readers still
need their caps (a single C call on a huge input runs to its end). Signals reach the main
thread only, so elsewhere (a test calling the pipeline from a thread) the budget is a no-op.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class ArticleTimeout(BaseException):
    """Raised by the per-article time budget.

    A BaseException, so that readers' `except Exception` around third-party code (a parser
    heuristic failing must not lose the article) cannot swallow it: the budget has to stop
    the article, not merely the heuristic.
    """


def _expired(signum: int, frame: FrameType | None) -> None:
    raise ArticleTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `ArticleTimeout` inside the block once `seconds` of wall time have passed."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
