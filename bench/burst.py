"""A burst of files dropped at once into the real daemon's inbox: files per second.

Stages N different stories next to the inbox, renames them all in, and times from the first
rename until every file has left the inbox and every alert is in `alerts.jsonl` (file
channel; archive, database and all included). Prints a table. Two workloads:

* `seed` (the default): stories made from the seed article (`distinct_story`), one rule;
* `--mix sparse --rules 100000`: the articles of `bench/vocab.py`'s corpus (words drawn by
  their real frequency) against its sparse rule set drawn from the same words (issue 15:
  a burst of 5,000 files at 100,000 rules must clear at 500 files/s). The file channel
  then groups by story (`group = "story"`), one record per article that matches, as an
  agency's desk channel would; how many that is, the engine says before the burst.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import vocab
from benchutil import SEED, distinct_story, start_daemon


class _LineCounter:
    """Counts a growing file's lines, reading only what was appended since the last call.

    Re-reading the whole file every 50 ms took a second of CPU per run away from the
    daemon on a two-core machine, and the more so the further the burst got.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines = 0

    def __call__(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read()
            self.offset += len(chunk)
            self.lines += chunk.count(b"\n")
        return self.lines


def _empty(folder: Path) -> bool:
    """Whether a folder has no entries, without listing all of them (`iterdir` would)."""
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _stage_seed(root: Path, staging: Path, count: int) -> int:
    """The seed workload: `count` distinct stories, each one alert."""
    (root / "rules" / "r.yaml").write_text(
        "id: nato-south-korea\nentities: [NATO, South Korea]\n"
        "keywords:\n  any: [weapon*, ammunition]\n",
        encoding="utf-8",
    )
    seed = SEED.read_text(encoding="utf-8")
    for i in range(count):
        (staging / f"a{i:06d}.txt").write_text(distinct_story(seed, i), encoding="utf-8")
    return count


def _stage_vocab(root: Path, staging: Path, count: int, mix: str, rules: int) -> tuple[int, float]:
    """The vocabulary workload: the corpus as files, its rules; (alerts, matches/article)."""
    from monitor.articles import read_article
    from monitor.engine import load_engine

    vocab.write_corpus(staging, count)
    vocab.write_rules(root / "rules", staging, rules, mix)
    engine, problems = load_engine(root / "rules", ["log"], base=root)
    assert not problems, problems[:3]
    matched = [len(engine.matcher.match(read_article(p))) for p in sorted(staging.iterdir())]
    return sum(1 for n in matched if n), sum(matched) / len(matched)


def run(count: int, mix: str, rules_count: int, web: str = "") -> dict[str, Any]:
    """One burst; `web` is TOML for a `[web]` table (bench/web_load.py), or nothing."""
    root = Path(tempfile.mkdtemp(prefix="monitor-burst-"))
    try:
        rules = root / "rules"
        rules.mkdir()
        inbox, staging = root / "inbox", root / "staging"
        inbox.mkdir()
        staging.mkdir()
        per_article = 1.0
        if mix == "seed":
            expected = _stage_seed(root, staging, count)
            proc = start_daemon(root, rules, web)
        else:
            expected, per_article = _stage_vocab(root, staging, count, mix, rules_count)
            proc = start_daemon(root, rules, 'group = "story"\n' + web)
        names = sorted(path.name for path in staging.iterdir())
        started = time.perf_counter()
        for name in names:
            os.rename(staging / name, inbox / name)
        renamed = time.perf_counter() - started
        alerts = _LineCounter(root / "alerts.jsonl")
        emptied = 0.0
        while not emptied or alerts() < expected:
            time.sleep(0.05)
            if not emptied and _empty(inbox):
                emptied = time.perf_counter() - started
            if time.perf_counter() - started > 600:
                raise SystemExit("burst did not finish within 10 minutes")
        elapsed = time.perf_counter() - started
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        return {
            "workload": f"{mix}, {rules_count:,} rules" if mix != "seed" else "seed, 1 rule",
            "matches": per_article,
            "alerts": expected,
            "files": count,
            "seconds": elapsed,
            "rate": count / elapsed,
            "rename_s": renamed,
            "emptied": emptied,
            "inbox_rate": count / emptied,
        }
    finally:
        if os.environ.get("BENCH_KEEP_LOG"):  # the daemon's log, for its per-article `ms=`
            shutil.copy(root / "daemon.log", os.environ["BENCH_KEEP_LOG"])
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--mix", choices=["seed", *vocab.MIXES], nargs="*", default=["seed"])
    parser.add_argument("--rules", type=int, default=100_000, help="rules of a vocabulary mix")
    args = parser.parse_args()
    results = [run(args.count, mix, args.rules) for mix in args.mix]
    print("Burst into the real daemon: all files archived and alerted (file channel)")
    print(
        "| workload | matches/article | files | alerts | inbox empty after s | "
        "files/s processed | all alerts sent after s | files/s end to end |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['workload']} | {r['matches']:.1f} | {r['files']:.0f} | {r['alerts']:.0f} | "
            f"{r['emptied']:.2f} | {r['inbox_rate']:.0f} | {r['seconds']:.2f} | "
            f"{r['rate']:.0f} |"
        )


if __name__ == "__main__":
    main()
