"""Batch matching throughput: `monitor test --json` over a folder of generated articles.

Copies the sample articles in `seeds/` into N unique text articles, then times the whole
`monitor test --json` command (start-up included) and, separately, start-up alone (a run
over one article), so the per-article rate excludes start-up. Prints a table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _time(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor.cli",
            "test",
            "--json",
            "--config",
            str(REPO / "config.toml"),
            *args,
        ],
        check=False,
        stdout=subprocess.DEVNULL,
        cwd=REPO,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    seed_text = (REPO / "seeds" / "000_9738bd22683e892a.txt").read_text("utf-8")
    root = Path(tempfile.mkdtemp(prefix="monitor-throughput-"))
    try:
        for i in range(args.count):
            (root / f"a{i:06d}.txt").write_text(f"{seed_text}\n\nRef {i}\n", encoding="utf-8")
        startup = _time([str(root / "a000000.txt")])
        total = _time([str(root)])
        rate = (args.count - 1) / max(1e-9, total - startup)
        size = len(seed_text.encode()) / 1024
        print("Batch matching, `monitor test --json`, repository rules")
        print("| articles | size KB | total s | start-up s | articles/s (excl. start-up) |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| {args.count} | {size:.1f} | {total:.2f} | {startup:.2f} | {rate:.0f} |")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
