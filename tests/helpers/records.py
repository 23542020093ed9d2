"""Alert records for channel tests, as the typed record channels take."""

from __future__ import annotations

import copy
from typing import Any

from monitor.alerts import AlertRecord


def typed(record: dict[str, Any]) -> AlertRecord:
    """A test's record dict as the typed record channels take (`AlertRecord.parse`), with
    what a short test record leaves out filled in: tests state only what they are about."""
    full = copy.deepcopy(record)
    full.setdefault("channel", "test")
    article = full.setdefault("article", {})
    for key in ("id", "title", "path"):
        article.setdefault(key, "")
    for hit in full.setdefault("hits", []):
        if isinstance(hit, dict):
            for key, default in (("term", ""), ("text", ""), ("field", "body")):
                hit.setdefault(key, default)
            hit.setdefault("start", 0)
            hit.setdefault("end", 0)
    return AlertRecord.parse(full)
