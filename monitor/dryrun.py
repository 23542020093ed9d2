"""`monitor test`, the dry run: read articles, match them, render what matched; send nothing.

The contract calls `monitor test` a dry run, hence the name (a `test_*` module would be
taken for tests by pytest). It renders each article and, for large batches, runs the
worker pool that spreads them over every core.

Each article is rendered (JSON line or text) independently, so a large batch is split into
chunks and dealt round-robin to worker processes. They are forked after the engine is
compiled, so they share the parent's compiled rules copy-on-write instead of compiling them
again. Each worker sends every chunk's output down its own pipe as bytes; the parent reads
the chunks back in input order, so the output is the same as a sequential run.

A hand-rolled pool rather than `multiprocessing.Pool`, which pickles every task and result
and runs helper threads in the parent: here the parent only copies bytes.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _string  # what json.dumps uses for a str
from pathlib import Path
from typing import NoReturn

from monitor.articles import Article, ArticleError, language, read_article
from monitor.engine import Engine
from monitor.explain import Check, Explainer, context, language_note
from monitor.explain import render as render_explanation
from monitor.matching.model import Match
from monitor.textsafe import printable, shown_path

# Below this many files forking workers costs more than it saves.
POOL_THRESHOLD = 200
CHUNK = 64
_HEADER = struct.Struct("<QQ?")  # a chunk's output and error bytes, and whether one failed


@dataclass(frozen=True, slots=True)
class Rendered:
    """What one article prints: to stdout, to stderr, and whether it failed to read."""

    out: str
    err: str = ""
    failed: bool = False


def _text(
    article: Article, matches: list[Match], explain: bool, language_rules: frozenset[str]
) -> str:
    """The text-mode lines of one article, each escaped by `printable`: the path, the
    title, hits and their context come from outside and may carry newlines (a forged
    line), terminal escapes or bidi overrides. With `explain`, the article's language
    when some rule asks for it (`language_rules`)."""
    lines = [f"{article.path}: {article.title!r}"]
    if explain and language_rules:
        lines.append(f"  language: {language_note(article)}")
    if not matches:
        lines.append("  no rule matches")
    for match in matches:
        # A phrase can match across a line break: layout, shown as a space.
        terms = ", ".join(
            dict.fromkeys(f"{h.term} ({' '.join(h.text.split())})" for h in match.hits)
        )
        lines.append(f"  {match.rule}: {terms}")
        if explain:
            for hit in match.hits:
                source = article.title if hit.field == "title" else article.body
                lines.append(
                    f"    {hit.field} {hit.start}-{hit.end} {hit.term}: "
                    f"{context(source, hit.start, hit.end)}"
                )
    return "\n".join(map(printable, lines)) + "\n"


def render(
    path: Path, engine: Engine, as_json: bool, explain: bool, why: Explainer | None = None
) -> Rendered:
    """Read and match one article and render the result; never raises for bad input.

    With `why` (from `--rule ID`), the output also says why that rule did or did not match.
    """
    shown = shown_path(path)  # a name that is not UTF-8 cannot be printed as it is
    try:
        article = read_article(path, display_path=shown)
    except ArticleError as exc:
        if as_json:
            return Rendered(
                json.dumps({"path": shown, "error": str(exc)}, ensure_ascii=False) + "\n",
                failed=True,
            )
        return Rendered("", printable(f"{shown}: error: {exc}") + "\n", failed=True)
    matches = engine.matcher.match(article)
    explanation = why.explain(article, matches) if why is not None else None
    if as_json and explanation is None:
        return Rendered(json_line(article, matches))
    if as_json:
        obj: dict[str, object] = {"path": article.path, "title": article.title}
        known = article.lang if matches or article.language is not None else None
        if known is not None:  # left out when unknown, as in alert records
            obj["language"] = known
        obj |= {
            "matches": [{"rule": m.rule, "hits": [h.to_dict() for h in m.hits]} for m in matches],
        }
        if explanation is not None:
            obj["explain"] = {
                "rule": explanation.rule,
                "matched": explanation.matched,
                "checks": [_check_dict(c) for c in explanation.checks],
            }
        return Rendered(json.dumps(obj, ensure_ascii=False) + "\n")
    text = _text(article, matches, explain, engine.language_rules)
    if explanation is not None:
        text += render_explanation(article, explanation)
    return Rendered(text)


def _check_dict(check: Check) -> dict[str, object]:
    """A check of `--rule` in JSON; a query's terms and NEARs under `parts`."""
    obj: dict[str, object] = {
        "condition": check.condition,
        "ok": check.ok,
        "hits": [h.to_dict() for h in check.hits],
    }
    if check.note:
        obj["note"] = check.note
    if check.parts:
        obj["parts"] = [_check_dict(part) for part in check.parts]
    return obj


def json_line(article: Article, matches: list[Match]) -> str:
    """The `--json` line of an article: exactly `json.dumps(..., ensure_ascii=False)` of
    {"path", "title", "language", "matches": [{"rule", "hits": [Hit.to_dict(), ...]}, ...]}.

    `language` is `Article.lang` (declared, else detected; left out when the text does not
    tell), present when the source declared one or the article matched a rule: as in alert
    records, the text of an article that matched nothing is not classified (that would
    cost more than matching it). `--rule ID` shows it for every article.

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
                    f'"field": {_string(hit.field)}, "start": {hit.start}, "end": {hit.end}}}'
                )
            hits.append(text)
        rendered.append(f'{{"rule": {_string(match.rule)}, "hits": [{", ".join(hits)}]}}')
    language = ""
    code = article.lang if matches or article.language is not None else None
    if code is not None:  # left out when unknown, as in alert records
        language = f'"language": {_string(code)}, '
    return (
        f'{{"path": {_string(article.path)}, "title": {_string(article.title)}, '
        f'{language}"matches": [{", ".join(rendered)}]}}\n'
    )


def workers() -> int:
    """Cores this process may use (respecting CPU affinity, as under systemd or taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(
    paths: Iterable[Path],
    engine: Engine,
    as_json: bool,
    explain: bool,
    why: Explainer | None = None,
) -> Iterator[Rendered]:
    """Render every article, in order; large batches on forked workers, a chunk at a time
    (then one `Rendered` holds a whole chunk's output)."""
    paths = list(paths)
    jobs = min(workers(), -(-len(paths) // CHUNK))
    if jobs < 2 or len(paths) < POOL_THRESHOLD or not hasattr(os, "fork"):
        for path in paths:
            yield render(path, engine, as_json, explain, why)
        return
    if as_json or explain or why is not None or engine.language_rules:
        language.preload()  # once, here: forked workers share it instead of loading it each
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    readers: list[int] = []
    pids: list[int] = []
    try:
        for number in range(jobs):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(read_end)
                for other in readers:
                    os.close(other)
                _work(chunks[number::jobs], write_end, (engine, as_json, explain, why))
            os.close(write_end)
            readers.append(read_end)
            pids.append(pid)
        for number in range(len(chunks)):
            yield _receive(readers[number % jobs])
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            if status != 0:
                raise RuntimeError(f"a `monitor test` worker failed (wait status {status})")
        pids.clear()
    finally:
        for pid in pids:  # stopped early (an error, Ctrl-C, the consumer gave up)
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        for reader in readers:
            os.close(reader)


def _work(
    chunks: list[list[Path]], pipe: int, shared: tuple[Engine, bool, bool, Explainer | None]
) -> NoReturn:
    """A worker: render its chunks and send each down the pipe, then leave with `os._exit`
    (the parent's cleanup, buffers and atexit handlers are not the worker's to run)."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for chunk in chunks:
            results = [render(path, *shared) for path in chunk]
            out = "".join(result.out for result in results).encode("utf-8", "surrogatepass")
            err = "".join(result.err for result in results).encode("utf-8", "surrogatepass")
            failed = any(result.failed for result in results)
            _write_all(pipe, _HEADER.pack(len(out), len(err), failed) + out + err)
    except BrokenPipeError:  # the parent stopped reading
        status = 1
    except BaseException:  # a bug: say where, and let the parent report the failed worker
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        status = 1
    finally:
        os._exit(status)


def _write_all(pipe: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(pipe, view) :]


def _read_exactly(pipe: int, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = os.read(pipe, min(size, 1 << 20))
        if not part:
            raise RuntimeError("a `monitor test` worker stopped before sending its results")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _receive(pipe: int) -> Rendered:
    out_size, err_size, failed = _HEADER.unpack(_read_exactly(pipe, _HEADER.size))
    data = _read_exactly(pipe, out_size + err_size)
    return Rendered(
        data[:out_size].decode("utf-8", "surrogatepass"),
        data[out_size:].decode("utf-8", "surrogatepass"),
        failed,
    )
