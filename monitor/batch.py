"""`monitor test`: dry-run matching of many articles, using every core for large batches.

Each article is rendered (JSON line or text) independently, so a large batch is split over a
process pool. The pool is forked after the engine is compiled, so workers share the parent's
compiled rules copy-on-write instead of compiling them again; results come back in input
order, so the output is the same as a sequential run.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _string  # what json.dumps uses for a str
from pathlib import Path

from monitor.articles import Article, ArticleError, read_article
from monitor.engine import Engine
from monitor.explain import Explainer, context
from monitor.explain import render as render_explanation
from monitor.matching.model import Match

# Below this many files a pool costs more (fork, pickling) than it saves.
POOL_THRESHOLD = 200
CHUNK = 64


@dataclass(frozen=True, slots=True)
class Rendered:
    """What one article prints: to stdout, to stderr, and whether it failed to read."""

    out: str
    err: str = ""
    failed: bool = False


def _text(article: Article, matches: list[Match], explain: bool) -> str:
    lines = [f"{article.path}: {article.title!r}"]
    if not matches:
        lines.append("  no rule matches")
    for match in matches:
        terms = ", ".join(dict.fromkeys(f"{h.term} ({h.text})" for h in match.hits))
        lines.append(f"  {match.rule}: {terms}")
        if explain:
            for hit in match.hits:
                source = article.title if hit.field == "title" else article.body
                lines.append(f"    {hit.field} {hit.start}-{hit.end} {hit.term}: "
                             f"{context(source, hit.start, hit.end)}")
    return "\n".join(lines) + "\n"


def render(path: Path, engine: Engine, as_json: bool, explain: bool,
           why: Explainer | None = None) -> Rendered:
    """Read and match one article and render the result; never raises for bad input.

    With `why` (from `--rule ID`), the output also says why that rule did or did not match.
    """
    try:
        article = read_article(path)
    except ArticleError as exc:
        if as_json:
            return Rendered(json.dumps({"path": str(path), "error": str(exc)},
                                       ensure_ascii=False) + "\n", failed=True)
        return Rendered("", f"{path}: error: {exc}\n", failed=True)
    matches = engine.matcher.match(article)
    explanation = why.explain(article) if why is not None else None
    if as_json and explanation is None:
        return Rendered(json_line(article, matches))
    if as_json:
        obj: dict[str, object] = {
            "path": article.path, "title": article.title,
            "matches": [{"rule": m.rule, "hits": [h.to_dict() for h in m.hits]}
                        for m in matches],
        }
        if explanation is not None:
            obj["explain"] = {"rule": explanation.rule, "matched": explanation.matched,
                              "checks": [{"condition": c.condition, "ok": c.ok,
                                          "hits": [h.to_dict() for h in c.hits]}
                                         for c in explanation.checks]}
        return Rendered(json.dumps(obj, ensure_ascii=False) + "\n")
    text = _text(article, matches, explain)
    if explanation is not None:
        text += render_explanation(article, explanation)
    return Rendered(text)


def json_line(article: Article, matches: list[Match]) -> str:
    """The `--json` line of an article: exactly `json.dumps(..., ensure_ascii=False)` of
    {"path", "title", "matches": [{"rule", "hits": [Hit.to_dict(), ...]}, ...]}.

    Built from pieces with the C string encoder json.dumps itself uses, because this runs
    for every hit of every match: rules share hits (an entity named by many rules), so each
    hit is encoded once per article, not once per rule that shows it.
    """
    encoded: dict[int, str] = {}  # id(hit) -> its JSON; the hits live as long as `matches`
    rendered: list[str] = []
    for match in matches:
        hits: list[str] = []
        for hit in match.hits:
            text = encoded.get(id(hit))
            if text is None:
                text = encoded[id(hit)] = (
                    f'{{"term": {_string(hit.term)}, "text": {_string(hit.text)}, '
                    f'"field": {_string(hit.field)}, "start": {hit.start}, "end": {hit.end}}}')
            hits.append(text)
        rendered.append(f'{{"rule": {_string(match.rule)}, "hits": [{", ".join(hits)}]}}')
    return (f'{{"path": {_string(article.path)}, "title": {_string(article.title)}, '
            f'"matches": [{", ".join(rendered)}]}}\n')


# Set before forking; the workers inherit it instead of receiving it pickled.
_shared: tuple[Engine, bool, bool, Explainer | None] | None = None


def _render_shared(path: str) -> tuple[str, str, bool]:
    """A worker's job. Paths go to it and results come back as plain strings and tuples:
    pickling `Path` and `Rendered` objects cost the parent more than writing the output."""
    assert _shared is not None
    rendered = render(Path(path), *_shared)
    return rendered.out, rendered.err, rendered.failed


def workers() -> int:
    """Cores this process may use (respecting CPU affinity, as under systemd or taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(paths: Iterable[Path], engine: Engine, as_json: bool, explain: bool,
               why: Explainer | None = None) -> Iterator[Rendered]:
    """Render every article, in order; large batches on a pool of forked workers."""
    global _shared
    paths = list(paths)
    jobs = workers()
    if jobs < 2 or len(paths) < POOL_THRESHOLD or "fork" not in (
            multiprocessing.get_all_start_methods()):
        for path in paths:
            yield render(path, engine, as_json, explain, why)
        return
    _shared = (engine, as_json, explain, why)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for out, err, failed in pool.imap(_render_shared, map(str, paths),
                                              chunksize=CHUNK):
                yield Rendered(out, err, failed)
    finally:
        _shared = None
