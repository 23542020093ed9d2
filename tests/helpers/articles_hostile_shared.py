"""What tests/test_articles_hostile.py and tests/e2e/test_articles_hostile_daemon.py share:
the news sentence and the HTML pages built around it."""

from __future__ import annotations

NEWS = "NATO pledged ammunition and military support to South Korea on Monday."


def _page(body: str, title: str = "Deep page") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


def _nested(depth: int, inner: str = f"<p>{NEWS}</p>") -> str:
    return "<div>" * depth + inner + "</div>" * depth
