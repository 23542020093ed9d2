"""`Store.due` and `Store.next_due_at` against a large outbox: milliseconds per call.

Each channel's sender asks `due(channel, now, 100)` for its next batch at every turn (every
new alert wakes it), and, when nothing is due, `next_due_at(channel)` for when to ask
again. Neither should cost what the whole outbox or another channel's backlog costs. The
script fills a fresh state database with `--delivered` delivered alerts (the history, over
`--channels` channels) and `--rows` pending ones for channel `down` (a receiver that is
down: its backlog, all due), then times each query for `down` and for `ok` (a healthy,
idle channel), median of `--calls` calls, and prints SQLite's query plan. Compare two
versions in the same minutes (`git stash` a migration, run it, pop it, run it again).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from monitor.state.sqlite import SqliteStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="pending alerts of `down`")
    parser.add_argument("--delivered", type=int, default=100_000, help="delivered alerts")
    parser.add_argument("--channels", type=int, default=4, help="channels of the history")
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder))
        db = store._conn  # a benchmark fills the table directly: 1,000 times faster
        now = time.time()
        history = [
            (f"d{i:08x}", f"ch{i % args.channels}", "delivered") for i in range(args.delivered)
        ]
        backlog = [(f"p{i:08x}", "down", "pending") for i in range(args.rows)]
        with db:
            db.executemany(
                "INSERT INTO outbox (article_id, rule, channel, payload, status, next_at, "
                "created_at) VALUES (?, 'rule', ?, '{}', ?, ?, 't')",
                [(*row, now - 1) for row in history + backlog],
            )
        print(
            f"{args.delivered:,} delivered alerts over {args.channels} channels, "
            f"{args.rows:,} pending for `down`; median of {args.calls} calls:"
        )
        print("| query | ms | plan |\n|---|---:|---|")
        calls: list[tuple[str, Callable[[], object]]] = []
        for channel in ("down", "ok"):
            calls.append((f"due({channel!r}, now, 100)", partial(store.due, channel, now, 100)))
        for channel in ("down", "ok"):
            calls.append((f"next_due_at({channel!r})", partial(store.next_due_at, channel)))
        for name, call in calls:
            times = []
            for _ in range(args.calls):
                start = time.perf_counter()
                call()
                times.append((time.perf_counter() - start) * 1000)
            executed: list[str] = []  # the statement the store ran, its values bound
            db.set_trace_callback(executed.append)
            call()
            db.set_trace_callback(None)
            plan = "; ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {executed[-1]}"))
            print(f"| `{name}` | {statistics.median(times):.3f} | {plan} |")
        store.close()


if __name__ == "__main__":
    main()
