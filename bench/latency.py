"""Drop-to-alert latency of the real daemon: files renamed into the inbox at a steady rate.

Starts `monitor run` on a temporary folder with the repository's rules and a `file`
channel, drops N different stories made from the seed article (`distinct_story`; write to
`.tmp`, then rename) at RATE files per second, and reads `alerts.jsonl` to time each alert
from its rename. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import tempfile
import threading
import time
from pathlib import Path

from benchutil import REPO, SEED, distinct_story, start_daemon


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run(count: int, rate: float) -> dict[str, float]:
    root = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    try:
        (root / "inbox").mkdir()
        inbox = root / "inbox"
        proc = start_daemon(root, REPO / "rules")
        seed = SEED.read_text(encoding="utf-8")
        dropped: dict[str, float] = {}
        seen: dict[str, float] = {}
        alerts = root / "alerts.jsonl"
        done = threading.Event()

        def reader() -> None:
            offset = 0
            while not done.is_set() or len(seen) < len(dropped):
                if alerts.exists():
                    with alerts.open("rb") as fh:
                        fh.seek(offset)
                        chunk = fh.read()
                    end = chunk.rfind(b"\n") + 1
                    offset += end
                    now = time.perf_counter()
                    for line in chunk[:end].splitlines():
                        name = Path(json.loads(line)["article"]["path"]).name
                        seen.setdefault(name, now)
                if done.is_set() and time.monotonic() > drain_deadline:
                    break
                time.sleep(0.001)

        drain_deadline = float("inf")
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        started = time.perf_counter()
        for i in range(count):
            name = f"article-{i:05d}.txt"
            tmp = inbox / f".{name}.tmp"
            tmp.write_text(distinct_story(seed, i), encoding="utf-8")
            dropped[name] = time.perf_counter()
            os.rename(tmp, inbox / name)
            target = started + (i + 1) / rate
            time.sleep(max(0.0, target - time.perf_counter()))
        drain_deadline = time.monotonic() + 30
        done.set()
        thread.join()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        latencies = [(seen[n] - dropped[n]) * 1000 for n in dropped if n in seen]
        return {
            "files": count,
            "rate": rate,
            "alerted": len(latencies),
            "p50": statistics.median(latencies),
            "p90": _percentile(latencies, 90),
            "p99": _percentile(latencies, 99),
            "max": max(latencies),
        }
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50.0, help="files per second")
    args = parser.parse_args()
    r = run(args.count, args.rate)
    print("Drop-to-alert latency, real daemon, file channel, repository rules")
    print("| files | rate (files/s) | alerted | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {r['files']:.0f} | {r['rate']:.0f} | {r['alerted']:.0f} | {r['p50']:.1f} | "
        f"{r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.1f} |"
    )


if __name__ == "__main__":
    main()
