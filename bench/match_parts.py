"""Where one article's matching time goes, per mix and rule count (issue 15's profile).

For each mix and size of `bench/scale.py` (its cached rule sets and corpora), one process
times, on `--articles` articles already in memory and on one core: finding what the article
contains (tokenising, the pattern trie, which keywords occur: `Occurrences`), the whole
`matcher.match` (that, plus the candidates, their keyword conditions and the matches with
their hits), and the JSON line of `monitor test --json`; and counts candidates and matches
per article. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale

from monitor.articles import Article
from monitor.matching import Match


def parts(mix: str, size: int, articles: int, corpus_size: int) -> dict[str, float]:
    from monitor.articles import read_article
    from monitor.dryrun import json_line
    from monitor.engine import load_engine
    from monitor.matching.normalize import tokenize
    from monitor.matching.scan import Occurrences
    from monitor.matching.speedups import gather

    corpus = scale.prepare(mix, size, corpus_size)
    engine, problems = load_engine(scale.rules_folder(mix, size), ["log"], base=scale.CACHE)
    assert not problems, problems[:3]
    docs = [read_article(p) for p in sorted(corpus.glob("*.txt"))[:articles]]
    compiled = engine.matcher.compiled

    def timed(step: Callable[[Article], object]) -> float:
        started = time.perf_counter()
        for doc in docs:
            step(doc)
        return (time.perf_counter() - started) / len(docs) * 1000

    def found(doc: Article) -> Occurrences:
        return Occurrences(compiled, (tokenize(doc.title), tokenize(doc.body)))

    candidates = 0
    for doc in docs:
        present = found(doc).present
        candidates += len(
            gather(compiled.wake_offsets, compiled.wake_table, present, len(compiled.rules), True)
        )
    matches = [engine.matcher.match(doc) for doc in docs]
    return {
        "scan": timed(found),
        "match": timed(engine.matcher.match),
        "json": _json_ms(docs, matches, json_line),
        "candidates": candidates / len(docs),
        "matches": sum(map(len, matches)) / len(docs),
    }


def _json_ms(
    docs: list[Article], matches: list[list[Match]], json_line: Callable[..., str]
) -> float:
    started = time.perf_counter()
    for doc, found in zip(docs, matches, strict=True):
        json_line(doc, found)
    return (time.perf_counter() - started) / len(docs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mixes", nargs="*", choices=scale.MIXES, default=list(scale.MIXES))
    parser.add_argument("--sizes", type=int, nargs="*", default=list(scale.SIZES))
    parser.add_argument("--articles", type=int, default=1000, help="articles timed")
    parser.add_argument("--corpus", type=int, default=2000, help="as scale.py's --corpus")
    args = parser.parse_args()
    os.environ["MONITOR_CACHE_DIR"] = str(scale.CACHE / "engine-cache")
    print(
        "| mix | rules | candidates/article | matches/article | find what it contains ms "
        "| match ms (all of it) | JSON line ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mix in args.mixes:
        for size in args.sizes:
            r = parts(mix, size, args.articles, args.corpus)
            print(
                f"| {mix} | {size:,} | {r['candidates']:.0f} | {r['matches']:.1f} | "
                f"{r['scan']:.3f} | {r['match']:.3f} | {r['json']:.3f} |"
            )


if __name__ == "__main__":
    main()
