"""Nodes of a cluster on PostgreSQL: burst rate, failover time, kill -9 cycles (issue 17).

Starts a throwaway PostgreSQL server (initdb in a temp folder, as the tests do) and real
`monitor run` nodes sharing one inbox folder and the database, each with a file channel of
its own (`nodeN/alerts.jsonl`, one record per alert, batched). Three measurements:

* `burst`: N files (default 5,000; the seed workload of `burst.py`: distinct stories, one
  rule) renamed into the shared inbox at once; seconds until the inbox is empty and every
  article's alert is written, for 1 and 2 nodes on PostgreSQL and, as the reference, one
  daemon on SQLite (`burst.py`'s own run).
* `failover`: 2 nodes with the default lease, a steady stream of files; one node is killed
  with SIGKILL while it holds files and alerts; the time until the other has archived every
  file and written every alert the dead node held (what "resumes" means to the desk).
* `cycles`: 2 nodes, a steady stream of files, and 10 rounds of kill -9 and restart, one
  node at a time; then every article must have been alerted (0 lost) and the duplicates
  (alerts the killed node wrote but had not recorded: at-least-once) are counted.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import burst
from benchutil import REPO, SEED, distinct_story

sys.path.insert(0, str(REPO / "tests"))
from helpers.cluster import Cluster
from helpers.pgserver import PgServer
from helpers.slack_server import Reply, SlackServer

FILE_CHANNEL = '[channels.log]\ntype = "file"\npath = "alerts.jsonl"\n'


def _alerted(cluster: Cluster) -> collections.Counter[str]:
    """Alert records per article id, over every node's file (complete lines only)."""
    seen: collections.Counter[str] = collections.Counter()
    for node in cluster.nodes:
        path = node.folder / "alerts.jsonl"
        if not path.exists():
            continue
        text = path.read_text("utf-8", "replace")
        for line in text[: text.rfind("\n") + 1].splitlines():
            try:
                seen[json.loads(line)["article"]["id"]] += 1
            except (ValueError, KeyError, TypeError):
                continue
    return seen


def _stories(cluster: Cluster, count: int, start: int = 0) -> list[str]:
    seed = SEED.read_text(encoding="utf-8")
    names = []
    for i in range(start, start + count):
        name = f"a{i:06d}.txt"
        (cluster.staging / name).write_text(distinct_story(seed, i), encoding="utf-8")
        names.append(name)
    return names


def _cluster(server: PgServer, nodes: int, lease: str, channels: str = FILE_CHANNEL) -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="monitor-cluster-"))
    cluster = Cluster(root, server.url(server.create_db()), channels, n=nodes, lease=lease)
    # The seed workload's rule, as burst.py has it.
    (cluster.shared / "rules" / "nato.yaml").write_text(
        "id: nato-south-korea\nentities: [NATO, South Korea]\n"
        "keywords:\n  any: [weapon*, ammunition]\n",
        encoding="utf-8",
    )
    return cluster


def run_burst(server: PgServer, count: int, nodes: int) -> dict[str, Any]:
    cluster = _cluster(server, nodes, "10s")
    try:
        names = _stories(cluster, count)
        cluster.start()
        started = time.perf_counter()
        for name in names:
            os.rename(cluster.staging / name, cluster.inbox / name)
        emptied = 0.0
        while True:
            time.sleep(0.1)
            now = time.perf_counter() - started
            if not emptied and cluster.inbox_empty():
                emptied = now
            if emptied and len(_alerted(cluster)) >= count:
                break
            if now > 600:
                raise SystemExit(f"burst did not finish in 10 minutes\n{cluster.logs()}")
        elapsed = time.perf_counter() - started
        alerted = _alerted(cluster)
        return {
            "setup": f"{nodes} node(s), PostgreSQL",
            "files": count,
            "emptied": emptied,
            "seconds": elapsed,
            "rate": count / elapsed,
            "doubled": sum(k - 1 for k in alerted.values()),
        }
    finally:
        cluster.stop()
        shutil.rmtree(cluster.shared.parent, ignore_errors=True)


class _Feeder:
    """Renames staged files into the inbox at a steady rate, from a thread."""

    def __init__(self, cluster: Cluster, rate: float) -> None:
        self.cluster = cluster
        self.rate = rate
        self.next = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.monotonic()
        while not self.stop.is_set():
            due = int((time.monotonic() - started) * self.rate)
            while self.next < due:
                name = _stories(self.cluster, 1, self.next)[0]
                os.rename(self.cluster.staging / name, self.cluster.inbox / name)
                self.next += 1
            time.sleep(0.02)

    def __enter__(self) -> _Feeder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def _held_by(server_url: str, node: str) -> tuple[set[str], set[int]]:
    """The inbox files and outbox rows a node holds right now."""
    import psycopg

    with psycopg.connect(server_url) as conn:
        files = {
            str(r[0]) for r in conn.execute("SELECT key FROM item_claims WHERE node = %s", (node,))
        }
        rows = {
            int(r[0])
            for r in conn.execute(
                "SELECT seq FROM outbox WHERE claimed_by = %s AND status = 'pending'", (node,)
            )
        }
    return files, rows


def _pending(server_url: str, seqs: set[int]) -> int:
    import psycopg

    with psycopg.connect(server_url) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE seq = ANY(%s) AND status = 'pending'",
            (list(seqs),),
        ).fetchone()
    return int(row[0]) if row else 0


def run_failover(server: PgServer, lease: str, rate: float) -> dict[str, Any]:
    """Kill a node while it holds work; time until the other has finished that work.

    Beside the file channel, a webhook whose receiver answers after 50 ms: at `rate` files
    a second each node's sender falls behind, so a node always holds alerts it has taken
    (8 at a time) when it is killed."""
    hook = SlackServer(validate=False)
    hook.script(*[Reply(hang=0.05)] * 100_000)
    hook.__enter__()
    channels = FILE_CHANNEL + f'[channels.hook]\ntype = "webhook"\nurl = "{hook.url}"\n'
    cluster = _cluster(server, 2, lease, channels)
    url = cluster.nodes[0].url
    try:
        cluster.start()
        victim, survivor = cluster.nodes
        with _Feeder(cluster, rate):
            # Wait until the victim holds files and alerts at the same moment, then kill it.
            node_id = ""
            deadline = time.monotonic() + 60
            files: set[str] = set()
            rows: set[int] = set()
            while time.monotonic() < deadline:
                listed = [n for n in victim.cluster() if n["pid"] == victim.proc.pid]  # type: ignore[union-attr]
                if listed:
                    node_id = listed[0]["node"]
                    files, rows = _held_by(url, node_id)
                    if rows:
                        break
                time.sleep(0.05)
            assert victim.proc is not None
            victim.kill()
            killed = time.monotonic()
            files, rows = _held_by(url, node_id)  # what it held when it died
            paths = [cluster.inbox / Path(key).name for key in files]
            files_done = rows_done = 0.0
            while not (files_done and rows_done):
                time.sleep(0.05)
                now = time.monotonic() - killed
                if not files_done and not any(p.exists() for p in paths):
                    files_done = now
                if not rows_done and _pending(url, rows) == 0:
                    rows_done = now
                if now > 120:
                    raise SystemExit(f"no failover in 2 minutes\n{cluster.logs()}")
        return {
            "lease": lease,
            "files_held": len(files),
            "alerts_held": len(rows),
            "files_s": files_done,
            "alerts_s": rows_done,
            "survivor_alive": survivor.proc is not None and survivor.proc.poll() is None,
        }
    finally:
        cluster.stop()
        hook.stop()
        shutil.rmtree(cluster.shared.parent, ignore_errors=True)


def run_cycles(server: PgServer, cycles: int, rate: float, lease: str) -> dict[str, Any]:
    cluster = _cluster(server, 2, lease)
    rng = random.Random(17)
    try:
        cluster.start()
        started = time.monotonic()
        with _Feeder(cluster, rate) as feeder:
            for _ in range(cycles):
                time.sleep(rng.uniform(1.0, 3.0))
                node = rng.choice(cluster.nodes)
                node.kill()
                time.sleep(rng.uniform(0.0, 1.0))
                node.start()
            fed_until = time.monotonic()
        total = feeder.next
        deadline = time.monotonic() + 180
        while len(_alerted(cluster)) < total and time.monotonic() < deadline:
            time.sleep(0.2)
        drained = time.monotonic() - fed_until
        time.sleep(1.0)
        alerted = _alerted(cluster)
        return {
            "cycles": cycles,
            "lease": lease,
            "files": total,
            "seconds": fed_until - started,
            "lost": total - len(alerted),
            "doubled": sum(k - 1 for k in alerted.values()),
            "drained_s": drained,
        }
    finally:
        cluster.stop()
        shutil.rmtree(cluster.shared.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000, help="files in the burst")
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50.0, help="files/s while killing")
    parser.add_argument("--only", choices=["burst", "failover", "cycles"], nargs="*", default=None)
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite reference")
    args = parser.parse_args()
    wanted = set(args.only or ["burst", "failover", "cycles"])
    server = PgServer().start()
    try:
        if "burst" in wanted:
            results = [run_burst(server, args.count, n) for n in (1, 2)]
            print("Burst into a shared inbox, file channel per node, seed workload (1 rule)")
            print(
                "| setup | files | inbox empty after s | all alerts after s | files/s | doubled |"
            )
            print("|---|---:|---:|---:|---:|---:|")
            if not args.no_sqlite:
                ref = burst.run(args.count, "seed", 0)
                print(
                    f"| 1 daemon, SQLite (burst.py) | {ref['files']} | {ref['emptied']:.2f} | "
                    f"{ref['seconds']:.2f} | {ref['rate']:.0f} | - |"
                )
            for r in results:
                print(
                    f"| {r['setup']} | {r['files']} | {r['emptied']:.2f} | {r['seconds']:.2f} | "
                    f"{r['rate']:.0f} | {r['doubled']} |"
                )
            print()
        if "failover" in wanted:
            runs = [run_failover(server, "10s", args.rate) for _ in range(3)]
            print(f"Failover: a node killed -9 while holding work, {args.rate:g} files/s arriving")
            print("| lease | files held | alerts held | files done after s | alerts done after s |")
            print("|---|---:|---:|---:|---:|")
            for r in runs:
                print(
                    f"| {r['lease']} | {r['files_held']} | {r['alerts_held']} | "
                    f"{r['files_s']:.1f} | {r['alerts_s']:.1f} |"
                )
            print()
        if "cycles" in wanted:
            r = run_cycles(server, args.cycles, args.rate, "3s")
            print(f"kill -9 cycles under load ({args.rate:g} files/s), 2 nodes")
            print("| cycles | lease | files | fed for s | lost | doubled | drained after s |")
            print("|---:|---|---:|---:|---:|---:|---:|")
            print(
                f"| {r['cycles']} | {r['lease']} | {r['files']} | {r['seconds']:.0f} | "
                f"{r['lost']} | {r['doubled']} | {r['drained_s']:.1f} |"
            )
    finally:
        server.remove()


if __name__ == "__main__":
    main()
