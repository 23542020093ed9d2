"""A burst of files dropped at once into the real daemon's inbox: files per second.

Stages N different stories made from the seed article (`distinct_story`) next to the
inbox, renames them all in, and times from the first rename until every file has left the
inbox and every alert is in `alerts.jsonl` (file channel; archive, database and all
included). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

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


def run(count: int) -> dict[str, float]:
    root = Path(tempfile.mkdtemp(prefix="monitor-burst-"))
    try:
        rules = root / "rules"
        rules.mkdir()
        (rules / "r.yaml").write_text(
            "id: nato-south-korea\nentities: [NATO, South Korea]\n"
            "keywords:\n  any: [weapon*, ammunition]\n",
            encoding="utf-8",
        )
        inbox, staging = root / "inbox", root / "staging"
        inbox.mkdir()
        staging.mkdir()
        seed = SEED.read_text(encoding="utf-8")
        for i in range(count):
            (staging / f"a{i:06d}.txt").write_text(distinct_story(seed, i), encoding="utf-8")
        proc = start_daemon(root, rules)
        started = time.perf_counter()
        for i in range(count):
            os.rename(staging / f"a{i:06d}.txt", inbox / f"a{i:06d}.txt")
        renamed = time.perf_counter() - started
        alerts = _LineCounter(root / "alerts.jsonl")
        emptied = 0.0
        while not emptied or alerts() < count:
            time.sleep(0.05)
            if not emptied and _empty(inbox):
                emptied = time.perf_counter() - started
            if time.perf_counter() - started > 600:
                raise SystemExit("burst did not finish within 10 minutes")
        elapsed = time.perf_counter() - started
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        return {
            "files": count,
            "seconds": elapsed,
            "rate": count / elapsed,
            "rename_s": renamed,
            "emptied": emptied,
            "inbox_rate": count / emptied,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    r = run(args.count)
    print("Burst into the real daemon: all files archived and alerted (file channel)")
    print(
        "| files | inbox empty after s | files/s processed | all alerts sent after s "
        "| files/s end to end |"
    )
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {r['files']:.0f} | {r['emptied']:.2f} | {r['inbox_rate']:.0f} | "
        f"{r['seconds']:.2f} | {r['rate']:.0f} |"
    )


if __name__ == "__main__":
    main()
