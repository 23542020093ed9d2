"""Matching at scale: start-up, peak RSS and throughput at 1k, 10k and 100k rules.

For each rule count (rule sets and a corpus from `bench/generate.py`, generated once into a
cache folder under the temp directory), a fresh subprocess measures:

* start-up: `load_engine` wall time (load the YAML files and compile every rule), cold (no
  compiled-rules cache: measured the first time, remembered for later runs; `--cold` forces
  it) and with the cache `load_engine` keeps (in the bench's own cache folder);
* peak RSS (`ru_maxrss`) after loading and matching;
* single-core throughput: articles read into memory first, then only `matcher.match` and the
  JSON line `monitor test --json` prints are timed;
* beside it, the naive baseline: one compiled regex per rule term, applied rule by rule (the
  brute-force oracle of `tests/test_matching_oracle.py`, its regexes cached once compiled),
  on as many articles as a time budget allows; the engine and the baseline must agree on
  which rules match those articles, or the run fails.

Then `monitor test --json` end to end on the whole corpus (process pool on every core), minus
the start-up of a run over one article. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from benchutil import CONFIG  # noqa: E402
from generate import write_corpus, write_rules  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "monitor-scale"
SIZES = (1_000, 10_000, 100_000)


def prepare(sizes: tuple[int, ...], corpus_size: int) -> Path:
    """Generate the rule sets and the corpus once (a `.done` marker says a folder is whole)."""
    for size in sizes:
        folder = CACHE / f"rules-{size}"
        if not (folder / ".done").exists():
            write_rules(folder, size)
            (folder / ".done").touch()
    corpus = CACHE / f"corpus-{corpus_size}"
    if not (CACHE / f"corpus-{corpus_size}.done").exists():
        write_corpus(corpus, corpus_size)
        (CACHE / f"corpus-{corpus_size}.done").touch()
    return corpus


def load_only(size: int) -> dict[str, object]:
    """Time one `load_engine` and say whether it filled the cache (a cold load) or not."""
    from monitor.engine import cache_dir, load_engine

    before = set(cache_dir().glob("engine-*.pickle"))
    started = time.perf_counter()
    load_engine(CACHE / f"rules-{size}", ["log"], base=CACHE)  # as `monitor test` from CACHE
    elapsed = time.perf_counter() - started
    return {"startup": elapsed, "cold": bool(set(cache_dir().glob("engine-*.pickle")) - before)}


# --- the measuring subprocess -----------------------------------------------------------------


def child(size: int, corpus: Path, articles: int, naive_budget: float) -> dict[str, object]:
    from monitor.articles import read_article
    from monitor.batch import json_line
    from monitor.engine import load_engine
    from monitor.gazetteer import load_builtin

    started = time.perf_counter()
    engine, problems = load_engine(CACHE / f"rules-{size}", ["log"], base=CACHE)
    startup = time.perf_counter() - started
    assert not problems, problems[:3]
    paths = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[:articles]
    docs = [read_article(p) for p in paths]
    matcher = engine.matcher

    def run(doc):  # what `monitor test --json` does per article, minus reading the file
        matches = matcher.match(doc)
        json_line(doc, matches)
        return matches

    run(docs[0])  # warm-up
    started = time.perf_counter()
    answers = [[m.rule for m in run(doc)] for doc in docs]
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    # The naive baseline: the oracle's one regex per term, compiled once (cached).
    import test_matching_oracle as oracle_module

    oracle_module.term_regex = functools.lru_cache(maxsize=None)(oracle_module.term_regex)
    oracle_module.plain = functools.lru_cache(maxsize=64)(oracle_module.plain)
    blockers = load_builtin()
    oracle_module.oracle(engine.ruleset, blockers, docs[0])  # compile every regex once
    done = 0
    started = time.perf_counter()
    naive_elapsed = 0.0
    while done < len(docs) and (done < 1 or naive_elapsed < naive_budget):
        expected = oracle_module.oracle(engine.ruleset, blockers, docs[done])
        assert expected == answers[done], (size, docs[done].path, expected, answers[done])
        done += 1
        naive_elapsed = time.perf_counter() - started
    return {
        "size": size, "startup": startup, "rss": rss, "articles": len(docs),
        "match_s": elapsed, "rate": len(docs) / elapsed,
        "matches": sum(map(len, answers)) / len(docs),
        "naive_articles": done, "naive_rate": done / naive_elapsed,
        "kb": sum(len(d.title.encode()) + len(d.body.encode()) for d in docs) / len(docs) / 1024,
    }


# --- end to end ---------------------------------------------------------------------------------


def end_to_end(size: int, corpus: Path) -> dict[str, float]:
    root = CACHE  # the working folder `monitor test` runs in: its base for rule file names
    config = root / f"config-{size}.toml"
    config.write_text(CONFIG.format(rules=CACHE / f"rules-{size}"), encoding="utf-8")
    one = sorted(corpus.glob("*.txt"))[0]

    def timed(target: Path) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "monitor.cli", "test", "--json", "--config",
                        str(config), str(target)], check=True, stdout=subprocess.DEVNULL,
                       cwd=root)
        return time.perf_counter() - started

    startup = timed(one)
    total = timed(corpus)
    count = len(list(corpus.glob("*.txt")))
    return {"total": total, "startup": startup, "count": count,
            "rate": (count - 1) / max(1e-9, total - startup)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--articles", type=int, default=500,
                        help="articles for the in-process throughput (default 500)")
    parser.add_argument("--corpus", type=int, default=2000,
                        help="articles for `monitor test --json` end to end (default 2000)")
    parser.add_argument("--naive-budget", type=float, default=10.0,
                        help="seconds the naive baseline may run per rule count (default 10)")
    parser.add_argument("--no-e2e", action="store_true", help="skip `monitor test` end to end")
    parser.add_argument("--cold", action="store_true",
                        help="empty the compiled-rules cache first, to measure cold start-up")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["MONITOR_CACHE_DIR"] = str(CACHE / "engine-cache")
    if args.load_only is not None:
        print(json.dumps(load_only(args.load_only)))
        return
    if args.cold:
        shutil.rmtree(CACHE / "engine-cache", ignore_errors=True)
    corpus = prepare(tuple(args.sizes), args.corpus)
    if args.child is not None:
        result = child(args.child, corpus, args.articles, args.naive_budget)
        print(json.dumps(result))
        return
    rows = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--load-only", str(size)], check=True,
                             stdout=subprocess.PIPE, text=True, cwd=REPO)
        first = json.loads(out.stdout.strip().splitlines()[-1])
        remembered = CACHE / f"cold-{size}.json"
        if first["cold"]:
            remembered.write_text(json.dumps(first["startup"]), encoding="utf-8")
        cold = json.loads(remembered.read_text("utf-8")) if remembered.exists() else None
        out = subprocess.run([sys.executable, __file__, "--child", str(size), "--articles",
                              str(args.articles), "--corpus", str(args.corpus),
                              "--naive-budget", str(args.naive_budget), "--sizes", str(size)],
                             check=True, stdout=subprocess.PIPE, text=True, cwd=REPO)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["cold"] = cold
        row["cold_now"] = first["cold"]
        if not args.no_e2e:
            row["e2e"] = end_to_end(size, corpus)
        rows.append(row)
        print(f"... {size} rules done", file=sys.stderr)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    base = rows[0]
    print(f"\nMatching at scale ({rows[0]['kb']:.1f} KB articles on average, "
          f"{os.uname().machine}, {cores} cores, Python {sys.version.split()[0]})\n")
    print("| rules | cold start-up s | cached start-up s | peak RSS MB | matches/article | "
          "engine art/s (1 core) | naive art/s (articles) | engine/naive | engine vs first row |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        cold = "?" if row["cold"] is None else f"{row['cold']:.1f}"
        cold += "" if row["cold_now"] or row["cold"] is None else " (earlier run)"
        naive = f"{row['naive_rate']:.2f} ({row['naive_articles']}"
        naive += ", subset)" if row["naive_articles"] < row["articles"] else ")"
        print(f"| {row['size']:,} | {cold} | {row['startup']:.2f} | {row['rss'] / 2**20:.0f} | "
              f"{row['matches']:.1f} | {row['rate']:.0f} | {naive} | "
              f"{row['rate'] / row['naive_rate']:.0f}x | {row['rate'] / base['rate']:.2f} |")
    if not args.no_e2e:
        print(f"\n`monitor test --json`, {rows[0]['e2e']['count']:.0f} articles, "
              f"{cores} worker processes\n")
        print("| rules | total s | start-up s | articles/s (excl. start-up) | per core | "
              "vs first row |")
        print("|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            e2e = row["e2e"]
            print(f"| {row['size']:,} | {e2e['total']:.2f} | {e2e['startup']:.2f} | "
                  f"{e2e['rate']:.0f} | {e2e['rate'] / cores:.0f} | "
                  f"{e2e['rate'] / base['e2e']['rate']:.2f} |")
    print("\nstart-up: `load_engine` (YAML + compile, or the compiled-rules cache); throughput: "
          "`matcher.match` + JSON line on articles in memory; naive: one regex per rule term, "
          "rule by rule, on the first articles within the time budget, answers asserted equal "
          "to the engine's")


if __name__ == "__main__":
    main()
