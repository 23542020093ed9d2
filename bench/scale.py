"""Matching at scale: start-up, peak RSS and throughput at 1k, 10k and 100k rules, per mix.

Three mixes of rules (`--mixes`): `client`, a monitoring agency's client watches with their
own corpus from `bench/generate.py` (about 1.3 matches per article whatever the rule count,
by construction), and `sparse` and `dense`, keyword rules drawn from the words of a corpus
whose words follow their real frequencies (`bench/vocab.py`: these are where rules made of
real news words get slow). For each mix and rule count (generated once into a cache folder
under the temp directory), a fresh subprocess measures:

* start-up: `load_engine` wall time (load the YAML files and compile every rule), cold (no
  compiled-rules cache: measured the first time, remembered for later runs; `--cold` forces
  it; the cache is written behind by a forked child, which start-up does not wait for) and
  with the cache `load_engine` keeps (in the bench's own cache folder);
* peak RSS (`ru_maxrss`) after loading and matching;
* single-core throughput: articles read into memory first, then only `matcher.match` and the
  JSON line `monitor test --json` prints are timed;
* beside it, the naive baseline: one compiled regex per rule term, applied rule by rule (the
  brute-force oracle of `tests/test_matching_oracle.py`, its regexes cached once compiled),
  and the brute-force query evaluator of `tests/test_query_oracle.py` for Boolean queries,
  on as many articles as a time budget allows; the engine and the baseline must agree on
  which rules match those articles, or the run fails.

Then `monitor test --json` end to end (reading files, matching, printing) on the corpus read
`--rounds` times: once pinned to one core (no pool) and once with a worker per core, each
minus the start-up of a run over one article, as articles per second and per CPU second.
Prints markdown tables.
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
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import test_matching_oracle as oracle_module  # noqa: E402
import vocab  # noqa: E402
from benchutil import CONFIG  # noqa: E402
from generate import write_corpus, write_rules  # noqa: E402
from test_query_oracle import Evaluator, words  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "monitor-scale-v3"
SIZES = (1_000, 10_000, 100_000)
MIXES = ("client", *vocab.MIXES)


def rules_folder(mix: str, size: int) -> Path:
    return CACHE / f"rules-{mix}-{size}"


def prepare(mix: str, size: int, corpus_size: int) -> Path:
    """Generate the rule set and its corpus once (a `.done` marker says a folder is whole)."""
    if mix == "client":
        corpus = CACHE / f"corpus-{size}-{corpus_size}"
        done = CACHE / f"corpus-{size}-{corpus_size}.done"  # beside it: `monitor test` reads all
        if not done.exists():
            write_corpus(corpus, corpus_size, size)
            done.touch()
    else:  # one corpus for both vocabulary mixes and every size: the rules come from it
        corpus = CACHE / f"vocab-corpus-{corpus_size}"
        done = CACHE / f"vocab-corpus-{corpus_size}.done"
        if not done.exists():
            vocab.write_corpus(corpus, corpus_size)
            done.touch()
    folder = rules_folder(mix, size)
    if not (folder / ".done").exists():
        if mix == "client":
            write_rules(folder, size)
        else:
            vocab.write_rules(folder, corpus, size, mix)
        (folder / ".done").touch()
    return corpus


class QueryBaseline(Evaluator):
    """The tests' brute-force query evaluator, finding term spans through a word index.

    Its `phrase_spans` tries every position for every term, which at 100k rules would take
    minutes per article; the index only narrows where a phrase can start (its first word,
    or every word with a prefix), the checks are the evaluator's own. The generated queries
    name no entity, so entity spans are not computed.
    """

    def __init__(self, ruleset: Any, title: str, body: str) -> None:
        self.fields = [words(title), words(body)]
        self.ruleset = ruleset
        self.entities = {}
        self.cache: dict[str, set[tuple[int, int, int]]] = {}
        self.index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, text in enumerate(self.fields):
            for position, word in enumerate(text):
                self.index[word.norm].append((number, position))

    def term(self, text: str) -> set[tuple[int, int, int]]:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._term(text)
        return found

    def _term(self, text: str) -> set[tuple[int, int, int]]:
        prefix = text.endswith("*")
        wanted = [w.norm for w in words(text.rstrip("*"))]
        if len(wanted) == 1 and prefix:
            starts = [
                at
                for norm, places in self.index.items()
                if norm.startswith(wanted[0])
                for at in places
            ]
        else:
            starts = self.index.get(wanted[0], [])
        found = set()
        for number, first in starts:
            run = self.fields[number][first : first + len(wanted)]
            if len(run) < len(wanted) or any(w.break_before for w in run[1:]):
                continue
            got = [w.norm for w in run]
            if got[:-1] == wanted[:-1] and (
                got[-1] == wanted[-1] or (prefix and got[-1].startswith(wanted[-1]))
            ):
                found.add((number, first, first + len(wanted) - 1))
        return found


def naive(ruleset: Any, queries: dict[str, Any], blockers: Any, doc: Any) -> list[str]:
    """Rule ids the brute-force oracles match: regexes per term, the query evaluator."""
    matched = oracle_module.oracle(ruleset, blockers, doc)  # a query-only rule passes here
    if not queries:
        return matched
    evaluator = QueryBaseline(ruleset, doc.title, doc.body)
    return [
        rule
        for rule in matched
        if rule not in queries or evaluator.why(queries[rule], {0, 1}, True)[0]
    ]


def load_only(mix: str, size: int) -> dict[str, object]:
    """Time one `load_engine` and say whether it filled the cache (a cold load) or not."""
    from monitor import engine, engine_cache

    fresh: list[bool] = []
    real_load = engine._load

    def counted(*args: Any) -> Any:
        fresh.append(True)
        return real_load(*args)

    engine._load = counted  # type: ignore[assignment]  # only to learn: cache hit or not
    started = time.perf_counter()
    engine.load_engine(rules_folder(mix, size), ["log"], base=CACHE)  # as `monitor test`
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    engine_cache.wait_for_cache_writes()  # written behind, not part of start-up
    return {"startup": elapsed, "cold": bool(fresh), "rss": rss}


# --- the measuring subprocess -----------------------------------------------------------------


def child(
    mix: str, size: int, corpus: Path, articles: int, naive_budget: float
) -> dict[str, object]:
    from monitor.articles import Article, read_article
    from monitor.dryrun import json_line
    from monitor.engine import load_engine
    from monitor.gazetteer import load_builtin
    from monitor.matching import Match
    from monitor.rules.query import parse_query

    started = time.perf_counter()
    engine, problems = load_engine(rules_folder(mix, size), ["log"], base=CACHE)
    startup = time.perf_counter() - started
    assert not problems, problems[:3]
    paths = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[:articles]
    docs = [read_article(p) for p in paths]
    matcher = engine.matcher

    def run(doc: Article) -> list[Match]:
        # what `monitor test --json` does per article, minus reading the file
        matches = matcher.match(doc)
        json_line(doc, matches)
        return matches

    run(docs[0])  # warm-up
    started = time.perf_counter()
    answers = [[m.rule for m in run(doc)] for doc in docs]
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    # The naive baseline: the oracle's one regex per term, compiled once (cached).
    oracle_module.term_regex = functools.lru_cache(maxsize=None)(oracle_module.term_regex)
    oracle_module.plain = functools.lru_cache(maxsize=64)(oracle_module.plain)
    blockers = load_builtin()
    queries = {rule.id: parse_query(rule.query) for rule in engine.ruleset.rules if rule.query}
    naive(engine.ruleset, queries, blockers, docs[0])  # compile every regex once
    done = 0
    started = time.perf_counter()
    naive_elapsed = 0.0
    while done < len(docs) and (done < 1 or naive_elapsed < naive_budget):
        expected = naive(engine.ruleset, queries, blockers, docs[done])
        assert expected == answers[done], (size, docs[done].path, expected, answers[done])
        done += 1
        naive_elapsed = time.perf_counter() - started
    return {
        "mix": mix,
        "size": size,
        "startup": startup,
        "rss": rss,
        "articles": len(docs),
        "match_s": elapsed,
        "rate": len(docs) / elapsed,
        "matches": sum(map(len, answers)) / len(docs),
        "naive_articles": done,
        "naive_rate": done / naive_elapsed,
        "kb": sum(len(d.title.encode()) + len(d.body.encode()) for d in docs) / len(docs) / 1024,
    }


# --- end to end ---------------------------------------------------------------------------------


def end_to_end(mix: str, size: int, corpus: Path, rounds: int) -> dict[str, dict[str, float]]:
    """`monitor test --json` over the corpus `rounds` times, on one core and on every core.

    One core: the process is pinned to CPU 0 (as `taskset -c 0` would), so `monitor test`
    runs without a pool. Every core: its forked worker pool. Each is measured against a run
    over one article (start-up, wall and CPU time); per core is articles per CPU second of
    all the processes (workers and parent), after start-up.
    """
    root = CACHE  # the working folder `monitor test` runs in: its base for rule file names
    config = root / f"config-{mix}-{size}.toml"
    config.write_text(CONFIG.format(rules=rules_folder(mix, size)), encoding="utf-8")
    one = sorted(corpus.glob("*.txt"))[0]
    count = len(list(corpus.glob("*.txt"))) * rounds

    def timed(targets: list[Path], pinned: bool) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "monitor.cli",
                "test",
                "--json",
                "--config",
                str(config),
                *map(str, targets),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=root,
            preexec_fn=(lambda: os.sched_setaffinity(0, {0})) if pinned else None,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return wall, cpu

    timed([one], False)  # fills the compiled-rules cache if the run before used other paths
    results = {}
    for name, pinned in (("one core", True), ("all cores", False)):
        startup_wall, startup_cpu = min(timed([one], pinned) for _ in range(2))
        wall, cpu = timed([corpus] * rounds, pinned)
        results[name] = {
            "total": wall,
            "startup": startup_wall,
            "count": count,
            "rate": (count - 1) / max(1e-9, wall - startup_wall),
            "per_core": (count - 1) / max(1e-9, cpu - startup_cpu),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument(
        "--articles",
        type=int,
        default=500,
        help="articles for the in-process throughput (default 500)",
    )
    parser.add_argument(
        "--corpus",
        type=int,
        default=2000,
        help="articles for `monitor test --json` end to end (default 2000)",
    )
    parser.add_argument(
        "--naive-budget",
        type=float,
        default=10.0,
        help="seconds the naive baseline may run per rule count (default 10)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="times `monitor test` reads the corpus end to end (default 5)",
    )
    parser.add_argument("--no-e2e", action="store_true", help="skip `monitor test` end to end")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the compiled-rules cache first, to measure cold start-up",
    )
    parser.add_argument(
        "--mixes", nargs="*", choices=MIXES, default=list(MIXES), help="rule mixes to run"
    )
    parser.add_argument("--mix", default="client", help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["MONITOR_CACHE_DIR"] = str(CACHE / "engine-cache")
    if args.load_only is not None:
        print(json.dumps(load_only(args.mix, args.load_only)))
        return
    if args.cold:
        shutil.rmtree(CACHE / "engine-cache", ignore_errors=True)
    if args.child is not None:
        corpus = prepare(args.mix, args.child, args.corpus)
        result = child(args.mix, args.child, corpus, args.articles, args.naive_budget)
        print(json.dumps(result))
        return
    rows = [measure(mix, size, args) for mix in args.mixes for size in args.sizes]
    report(rows, not args.no_e2e)


def measure(mix: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """One mix at one rule count: start-up (cold and cached), in-process rate, end to end."""
    corpus = prepare(mix, size, args.corpus)
    out = subprocess.run(
        [sys.executable, __file__, "--mix", mix, "--load-only", str(size)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    first = json.loads(out.stdout.strip().splitlines()[-1])
    remembered = CACHE / f"cold-{mix}-{size}.json"
    if first["cold"]:
        remembered.write_text(json.dumps(first), encoding="utf-8")
    cold = json.loads(remembered.read_text("utf-8")) if remembered.exists() else None
    command = [sys.executable, __file__, "--mix", mix, "--child", str(size)]
    command += ["--articles", str(args.articles), "--corpus", str(args.corpus)]
    command += ["--naive-budget", str(args.naive_budget)]
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=REPO)
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    row["cold"] = cold
    row["cold_now"] = first["cold"]
    if not args.no_e2e:
        row["e2e"] = end_to_end(mix, size, corpus, args.rounds)
    print(f"... {mix} {size} rules done", file=sys.stderr)
    return row


def report(rows: list[dict[str, Any]], e2e: bool) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    firsts: dict[str, dict[str, Any]] = {}
    for row in rows:
        firsts.setdefault(row["mix"], row)
    print(
        f"\nMatching at scale ({os.uname().machine}, {cores} cores, "
        f"Python {sys.version.split()[0]})"
    )
    for mix, base in firsts.items():
        print(f"\n{mix} mix ({base['kb']:.1f} KB articles on average)\n")
        print(
            "| rules | cold start-up s | cold peak RSS MB | cached start-up s | peak RSS MB | "
            "matches/article | engine art/s (1 core) | naive art/s (articles) | engine/naive | "
            "engine vs first row |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            if row["mix"] != mix:
                continue
            cold = "?" if row["cold"] is None else f"{row['cold']['startup']:.1f}"
            cold += "" if row["cold_now"] or row["cold"] is None else " (earlier run)"
            cold_rss = "?" if row["cold"] is None else f"{row['cold']['rss'] / 2**20:.0f}"
            naive = f"{row['naive_rate']:.2f} ({row['naive_articles']}"
            naive += ", subset)" if row["naive_articles"] < row["articles"] else ")"
            print(
                f"| {row['size']:,} | {cold} | {cold_rss} | {row['startup']:.2f} | "
                f"{row['rss'] / 2**20:.0f} | {row['matches']:.1f} | {row['rate']:.0f} | {naive} | "
                f"{row['rate'] / row['naive_rate']:.0f}x | {row['rate'] / base['rate']:.2f} |"
            )
        if not e2e:
            continue
        print(
            f"\n{mix} mix, `monitor test --json` end to end, "
            f"{base['e2e']['one core']['count']:,} articles (the corpus read several times)\n"
        )
        print(
            "| rules | processes | total s | start-up s | articles/s (excl. start-up) | "
            "articles per CPU second | vs first row |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|")
        for row in rows:
            if row["mix"] != mix:
                continue
            for name, e2e_row in row["e2e"].items():
                shown = (
                    "1, pinned to one core" if name == "one core" else f"{cores} workers + parent"
                )
                print(
                    f"| {row['size']:,} | {shown} | {e2e_row['total']:.2f} | "
                    f"{e2e_row['startup']:.2f} | {e2e_row['rate']:.0f} | "
                    f"{e2e_row['per_core']:.0f} | "
                    f"{e2e_row['rate'] / base['e2e'][name]['rate']:.2f} |"
                )
    print(
        "\nstart-up: `load_engine` (YAML + compile, or the compiled-rules cache); cold peak RSS: "
        "of the process that loaded cold; throughput: `matcher.match` + JSON line on articles "
        "in memory; naive: one regex per rule term, rule by rule, on the first articles within "
        "the time budget, answers asserted equal to the engine's"
    )


if __name__ == "__main__":
    main()
