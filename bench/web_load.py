"""Does the web page cost matching anything? The burst of bench/burst.py (5,000 files into
the real daemon) three ways, alternated round by round so that the machine's drift falls on
all three alike:

* `no page`: no `[web]` (as before issue 18);
* `page, idle`: `[web]` configured (the pipeline keeps the latest articles for the
  playground), nobody looking;
* `page, refreshing`: `--clients` clients each loading `/`, `/rules`, `/sources` and
  `/api/stories` in turn, one request every `--every` seconds each, through the burst: far
  more than a desk's tabs (the pages refresh once a minute).

Prints files per second end to end for each round, the median per way, and the requests
served with their median and worst time.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
import urllib.request
from typing import Any

import burst

PAGES = ("/", "/rules", "/sources", "/api/stories")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Refresher:
    """Clients loading the page's pages over and over until stopped."""

    def __init__(self, base: str, clients: int, every: float) -> None:
        self.base = base
        self.every = every
        self.times: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(i,)) for i in range(clients)]

    def _client(self, i: int) -> None:
        n = i
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + PAGES[n % len(PAGES)], timeout=30) as r:
                    r.read()
                self.times.append(time.perf_counter() - started)
            except OSError:
                self.failures += 1  # the daemon not up yet, or gone: counted, not fatal
            n += 1
            self._stop.wait(max(0.0, self.every - (time.perf_counter() - started)))

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            if t.is_alive():
                t.join()


def _round(way: str, count: int, clients: int, every: float) -> dict[str, Any]:
    if way == "no page":
        return {**burst.run(count, "seed", 1), "way": way}
    port = _free_port()
    web = f'\n[web]\nlisten = "127.0.0.1:{port}"\n'
    refresher = Refresher(f"http://127.0.0.1:{port}", clients, every)
    if way == "page, refreshing":
        refresher.start()  # fails until the daemon listens; then loads pages all through
    try:
        result = burst.run(count, "seed", 1, web)
    finally:
        refresher.stop()
    return {**result, "way": way, "requests": refresher.times, "failures": refresher.failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between a client's loads")
    args = parser.parse_args()
    ways = ("no page", "page, idle", "page, refreshing")
    results: dict[str, list[dict[str, Any]]] = {w: [] for w in ways}
    for _ in range(args.rounds):
        for way in ways:
            results[way].append(_round(way, args.count, args.clients, args.every))
    print(
        f"Burst of {args.count:,} files (seed, 1 rule) with the web page off, idle, and "
        f"loaded by {args.clients} clients every {args.every:g} s each"
    )
    print("| way | files/s per round | median files/s | page loads | median ms | worst ms |")
    print("|---|---|---:|---:|---:|---:|")
    for way in ways:
        rates = [r["rate"] for r in results[way]]
        loads = [t for r in results[way] for t in r.get("requests", [])]
        shown = ", ".join(f"{rate:.0f}" for rate in rates)
        median_ms = f"{statistics.median(loads) * 1000:.0f}" if loads else "-"
        worst_ms = f"{max(loads) * 1000:.0f}" if loads else "-"
        print(
            f"| {way} | {shown} | {statistics.median(rates):.0f} | {len(loads)} | "
            f"{median_ms} | {worst_ms} |"
        )


if __name__ == "__main__":
    main()
