"""Feeds and the ingest API through the real daemon: what a source costs and how fast.

1. Ingest: POST→202 latency of one article (committed before the answer), of batches of 50,
   and of one article while a 2,000-file burst goes through the inbox.
2. Feeds: 50 feeds of 40 entries each on one local server (1 s spacing per host applies, so
   the first round takes ~50 s by design); time until every entry alerted, then the daemon's
   CPU use over 30 s of polling where every poll is a 304.

Articles are distinct stories made from the seed (`distinct_story`), matched by the
repository's rules. Prints tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import requests
from benchutil import REPO, SEED, distinct_story, start_daemon


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def _article(seed: str, i: int) -> dict[str, str]:
    title, _, body = distinct_story(seed, i).partition("\n")
    return {"title": title, "body": body}


def _alerts(root: Path) -> int:
    """Articles alerted so far (a record per matching rule: several lines per article)."""
    path = root / "alerts.jsonl"
    if not path.exists():
        return 0
    text = path.read_text(encoding="utf-8")
    lines = text[: text.rfind("\n") + 1].splitlines()
    return len({json.loads(line)["article"]["id"] for line in lines})


def _wait_alerts(root: Path, count: int, timeout: float) -> float:
    started = time.perf_counter()
    while _alerts(root) < count:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {_alerts(root)} of {count} alerts after {timeout} s")
        time.sleep(0.05)
    return time.perf_counter() - started


def ingest(singles: int, batches: int) -> list[tuple[str, str]]:
    seed = SEED.read_text(encoding="utf-8")
    root = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    port = _port()
    extra = f'\n[sources.api]\ntype = "http"\nlisten = "127.0.0.1:{port}"\n'
    rows: list[tuple[str, str]] = []
    try:
        (root / "inbox").mkdir()
        proc = start_daemon(root, REPO / "rules", extra)
        url = f"http://127.0.0.1:{port}/articles"
        session = requests.Session()
        n = 0

        def post(body: object) -> tuple[float, dict[str, object]]:
            started = time.perf_counter()
            answer = session.post(url, json=body, timeout=60)
            elapsed = time.perf_counter() - started
            assert answer.status_code == 202, answer.text
            return elapsed, answer.json()

        one = []
        for _ in range(singles):
            elapsed, _ = post(_article(seed, n))
            one.append(elapsed * 1000)
            n += 1
        rows.append(
            (
                f"one article, {singles} POSTs",
                f"p50 {_pct(one, 50):.1f} ms, p95 {_pct(one, 95):.1f} ms, max {max(one):.1f} ms",
            )
        )
        batch_ms = []
        for _ in range(batches):
            elapsed, answer = post([_article(seed, n + i) for i in range(50)])
            assert answer["accepted"] == 50, answer
            batch_ms.append(elapsed * 1000)
            n += 50
        rate = 50 * batches / (sum(batch_ms) / 1000)
        rows.append(
            (
                f"50 articles, {batches} POSTs",
                f"p50 {_pct(batch_ms, 50):.0f} ms, p95 {_pct(batch_ms, 95):.0f} ms "
                f"({rate:,.0f} articles/s)",
            )
        )
        # One article at a time while 2,000 files arrive in the inbox.
        burst = root / "burst"
        burst.mkdir()
        for i in range(2000):
            (burst / f"b{i}.txt").write_text(distinct_story(seed, 100_000 + i), encoding="utf-8")
        during = []
        before = _alerts(root)
        mover = threading.Thread(
            target=lambda: [p.rename(root / "inbox" / p.name) for p in sorted(burst.iterdir())]
        )
        mover.start()
        deadline = time.monotonic() + 120
        while _alerts(root) < before + 2000 and time.monotonic() < deadline:
            elapsed, _ = post(_article(seed, n))
            during.append(elapsed * 1000)
            n += 1
        mover.join()
        rows.append(
            (
                f"one article during a 2,000-file burst, {len(during)} POSTs",
                f"p50 {_pct(during, 50):.0f} ms, p95 {_pct(during, 95):.0f} ms, "
                f"max {max(during):.0f} ms",
            )
        )
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def _rss(feed: int, entries: int, seed: str) -> bytes:
    items = []
    for i in range(entries):
        title, _, body = distinct_story(seed, feed * 1000 + i).partition("\n")
        items.append(
            f"<item><guid>f{feed}-{i}</guid><title>{escape(title)}</title>"
            f"<description>{escape(body)}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}'
        f"</title>{''.join(items)}</channel></rss>"
    ).encode()


def feeds(count: int, entries: int) -> list[tuple[str, str]]:
    seed = SEED.read_text(encoding="utf-8")
    documents = {f"/f{i}.xml": _rss(i, entries, seed) for i in range(count)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            if body is None:
                self.send_error(404)
                return
            etag = f'"{len(body)}-{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    extra = "".join(
        f'\n[sources.f{i}]\ntype = "feed"\nurl = "{base}/f{i}.xml"\ninterval = "5s"\n'
        "backfill = true\n"
        for i in range(count)
    )
    root = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    rows: list[tuple[str, str]] = []
    try:
        (root / "inbox").mkdir()
        proc = start_daemon(root, REPO / "rules", extra)
        took = _wait_alerts(root, count * entries, timeout=600)
        rows.append(
            (
                f"{count} feeds x {entries} entries, first poll (backfill)",
                f"all {count * entries} alerted in {took:.1f} s "
                f"(1 s spacing per host: {count} polls of one host take >= {count - 1} s)",
            )
        )
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        time.sleep(5)
        start_cpu, started = cpu(), time.monotonic()
        time.sleep(30)
        used = cpu() - start_cpu
        rows.append(
            (
                f"{count} feeds polled every 5 s, all 304, 30 s",
                f"{used / (time.monotonic() - started) * 100:.1f} % of one core",
            )
        )
        alerts = _alerts(root)
        rows.append(
            ("articles alerted after the steady state", f"{alerts} (entries: {count * entries})")
        )
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=40)
    args = parser.parse_args()
    rows = ingest(args.singles, args.batches) + feeds(args.feeds, args.entries)
    width = max(len(name) for name, _ in rows)
    print(f"{'case':<{width}}  result")
    for name, result in rows:
        print(f"{name:<{width}}  {result}")


if __name__ == "__main__":
    main()
