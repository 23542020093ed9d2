"""The web page's state queries (issue 18) against a realistic window: milliseconds per call.

Fills a fresh SQLite state with `--stories` stories (default 10,000) spread over the last
`--days` (14) days, about three copies each (a few with a sighting: the same text again
from another outlet), every article with 1-5 rule ids drawn from `--rules` (500) rules with
a skewed (Zipf) distribution, `--unmatched` articles that matched nothing (most of what a
monitor reads), and outbox rows on two channels: `desk` (one story message per story, a
few KB of JSON with its excerpt and every rule's hits, most delivered, some held, digested,
silenced, dead or waiting) and `archive` (a rule record per rule, for a third of the
stories). The rows are written straight into the tables (filling through `record_article`
would take minutes and measure nothing here). With PostgreSQL installed (`pg_ctl`, as
tools/ensure_postgres.sh installs it) the same state is copied into a throwaway server with
`monitor state copy`'s code and measured there too.

Each query is called once to warm up, then `--calls` times; the table gives the median in
milliseconds, and the rows it returned. `--plans` prints SQLite's plan of each statement.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from benchutil import REPO

from monitor.state.base import Store, StoryFilter
from monitor.state.sqlite import DB_NAME, SqliteStore

sys.path.insert(0, str(REPO / "tests"))

WORDS = [
    *("minister", "talks", "border", "ceasefire", "election", "budget", "court", "strike"),
    *("energy", "summit", "trade", "sanctions", "vote", "protest", "deal", "report"),
    *("police", "storm", "inflation", "merger", "outage"),
]
OUTLETS = [f"Outlet {i:02d}" for i in range(60)]

Call = Callable[[Store], Any]


def stamp(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hexid(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def zipf(rng: random.Random, n: int, s: float = 1.1) -> Callable[[], int]:
    weights = [1 / (k + 1) ** s for k in range(n)]
    cumulative: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def draw() -> int:
        return int(rng.choices(range(n), cum_weights=cumulative)[0])

    return draw


def rule_ids(n: int) -> list[str]:
    """Rule ids as people write them: words joined by `-`, some by `_`."""
    rng = random.Random(3)
    ids = []
    for i in range(n):
        a, b = rng.sample(WORDS, 2)
        ids.append(f"{a}_{b}_{i}" if i % 5 == 0 else f"{a}-{b}-{i}")
    return ids


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def hits(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(n):
        start = rng.randrange(0, 3000)
        out.append(
            {"term": "ceasefire", "text": "ceasefire", "field": "body", "start": start,
             "end": start + 9}
        )  # fmt: skip
    return out


def fill(store: SqliteStore, args: argparse.Namespace, now: float) -> dict[str, Any]:
    """Write the state; what the queries should ask for (rules by popularity, cursors)."""
    rng = random.Random(18)
    rules = rule_ids(args.rules)
    draw_rule = zipf(rng, len(rules))
    draw_outlet = zipf(rng, len(OUTLETS), 1.0)
    window = args.days * 86400
    articles: list[tuple[Any, ...]] = []
    sightings: list[tuple[Any, ...]] = []
    outbox: list[tuple[Any, ...]] = []
    stories: list[tuple[str, str]] = []
    desk = ["delivered"] * 85 + ["digested"] * 5 + ["silenced"] * 4 + ["held"] * 3
    desk += ["dead"] * 2 + ["pending"]
    for i in range(args.stories):
        story = hexid("story", i)
        first = now - rng.random() * window
        chosen = list(dict.fromkeys(rules[draw_rule()] for _ in range(rng.randint(1, 5))))
        title = text(rng, 8).capitalize()
        outlet = OUTLETS[draw_outlet()] if rng.random() < 0.8 else None
        source = rng.choice(["inbox", "wire", "ingest"])
        copies: list[tuple[str, float, list[str], str | None, str, float | None]] = [
            (story, first, chosen, outlet, source, None)
        ]
        for c in range(min(12, int(rng.expovariate(1 / 2.0)))):  # about 2 more, some many
            extra = [rules[draw_rule()]] if rng.random() < 0.2 else []
            copies.append(
                (
                    hexid("copy", i, c),
                    min(now, first + rng.random() * 6 * 3600),
                    list(dict.fromkeys(chosen[: rng.randint(1, len(chosen))] + extra)),
                    OUTLETS[draw_outlet()],
                    rng.choice(["inbox", "wire"]),
                    round(rng.uniform(0.4, 1.0), 3),
                )
            )
        for article, at, listed, by, via, similarity in copies:
            articles.append(
                (
                    article,
                    f"/srv/monitor/inbox/{article}.txt",
                    title if article == story else f"{title} ({by})",
                    stamp(at),
                    stamp(at),
                    via,
                    story,
                    f"https://news.example.org/{article}",
                    json.dumps(listed),
                    similarity,
                    f"/srv/monitor/archive/{stamp(at)[:10]}/{article}.txt",
                    by,
                )
            )
        if rng.random() < 0.05:
            sightings.append(
                (story, story, OUTLETS[draw_outlet()], None, f"/in/{story}-again.txt", title,
                 stamp(min(now, first + 600)))
            )  # fmt: skip
        stories.append((stamp(first), story))
        excerpt = {"text": text(rng, 90), "field": "body", "start": rng.randrange(0, 2000)}
        record = {
            "story": story,
            "article": {"id": story, "title": title, "path": copies[0][0], "source": outlet},
            "rules": [
                {"rule": r, "description": f"Rule {r}", "hits": hits(rng, 6), "hits_total": 6}
                for r in chosen
            ],
            "also_in": [
                {"source": c[3], "url": None, "path": c[0], "title": title} for c in copies
            ],
            "hits_total": 6 * len(chosen),
            "excerpt": excerpt,
            "matched_at": stamp(first),
        }
        status = rng.choice(desk)
        outbox.append(
            (story, "", "desk", json.dumps(record), status, first, stamp(first), "story",
             first + 3600 if status == "held" else None)
        )  # fmt: skip
        if rng.random() < 0.33:
            for r in chosen:
                rule_record = {
                    "rule": r,
                    "description": f"Rule {r}",
                    "article": record["article"],
                    "hits": hits(rng, 6),
                    "hits_total": 6,
                    "excerpt": excerpt,
                    "matched_at": stamp(first),
                    "story": story,
                }
                outbox.append(
                    (story, r, "archive", json.dumps(rule_record),
                     rng.choice(["delivered"] * 95 + ["pending"] * 3 + ["dead"] * 2),
                     first, stamp(first), "rule", None)
                )  # fmt: skip
    for i in range(args.unmatched):
        at = now - rng.random() * window
        article = hexid("unmatched", i)
        articles.append(
            (article, f"/in/{article}.txt", text(rng, 8), stamp(at), stamp(at), "wire", None,
             None, None, None, None, OUTLETS[draw_outlet()])
        )  # fmt: skip
    db = store._conn  # a benchmark fills the tables directly
    with db:
        db.executemany(
            "INSERT INTO articles (id, path, title, first_seen, last_seen, source, story_id, "
            "url, rules, similarity, archived, outlet) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            articles,
        )
        db.executemany(
            "INSERT INTO sightings (article_id, story_id, outlet, url, path, title, seen_at) "
            "VALUES (?,?,?,?,?,?,?)",
            sightings,
        )
        db.executemany(
            "INSERT INTO outbox (article_id, rule, channel, payload, status, next_at, "
            "created_at, kind, release_at) VALUES (?,?,?,?,?,?,?,?,?)",
            outbox,
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA synchronous=FULL")
    stories.sort(key=lambda s: (s[0], s[1]))
    stories.reverse()
    by_rule: dict[str, int] = {}
    for row in articles:
        for r in json.loads(row[8]) if row[8] else ():
            by_rule[r] = by_rule.get(r, 0) + 1
    ranked = sorted(by_rule, key=lambda r: -by_rule[r])
    deep = sorted(stories, key=lambda s: (-_epoch(s[0]), s[1]))[len(stories) // 2]
    return {
        "articles": len(articles),
        "outbox": len(outbox),
        "top_rule": ranked[0],
        "mid_rule": ranked[min(len(ranked) - 1, 100)],
        "deep": deep,
        "rare_outlet": OUTLETS[-1],
    }


def _epoch(iso: str) -> float:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def calls(facts: dict[str, Any], now: float, days: int) -> list[tuple[str, Call]]:
    """What the pages ask, named for the table."""
    since = stamp(now - days * 86400)
    day = datetime.fromtimestamp(now, UTC) - timedelta(days=days // 2)
    one_day = StoryFilter(
        since=day.strftime("%Y-%m-%dT00:00:00Z"),
        until=(day + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z"),
    )
    top, mid, rare = facts["top_rule"], facts["mid_rule"], facts["rare_outlet"]
    window = StoryFilter(since=since)
    combined = StoryFilter(rule=top, channel="archive", source=OUTLETS[0], since=since)
    filters = [
        (f"rule, the most common (`{top}`)", StoryFilter(rule=top, since=since)),
        (f"rule, the 100th (`{mid}`)", StoryFilter(rule=mid, since=since)),
        ("rule that matched nothing", StoryFilter(rule="no-such-rule", since=since)),
        ("channel `archive` (a third of the stories)", StoryFilter(channel="archive", since=since)),
        ("channel with no alerts", StoryFilter(channel="none", since=since)),
        (f"source, the most common (`{OUTLETS[0]}`)", StoryFilter(source=OUTLETS[0], since=since)),
        (f"source, the rarest (`{rare}`)", StoryFilter(source=rare, since=since)),
        ("since/until: one day mid-window", one_day),
        ("rule + channel + source", combined),
    ]
    first_day = (datetime.fromtimestamp(now, UTC) - timedelta(days=days - 1)).date().isoformat()
    out: list[tuple[str, Call]] = [
        ("first page (50)", partial(_page, window)),
        ("a page half-way (after story 5,000)", partial(_page, window, facts["deep"])),
    ]
    out += [(f"page: {name}", partial(_page, f)) for name, f in filters]
    out += [("stories_count: window", partial(_count, window))]
    out += [(f"stories_count: {name}", partial(_count, f)) for name, f in filters[::2]]
    out += [
        ("story_sources(window)", lambda s: s.story_sources(since)),
        ("outbox_channels()", lambda s: s.outbox_channels()),
        (f"rule_activity({days} days)", lambda s: s.rule_activity(first_day, days).rules),
        ("outbox_depth()", lambda s: s.outbox_depth()),
    ]
    return out


def _page(f: StoryFilter, *rest: Any) -> Any:
    *before, store = rest
    return store.stories_page(f, 50, *before).stories


def _count(f: StoryFilter, store: Store) -> Any:
    return store.stories_count(f)


def size(result: Any) -> str:
    return str(result) if isinstance(result, int) else str(len(result))


def measure(store: Store, call: Callable[[Store], Any], n: int) -> tuple[float, str]:
    result = call(store)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call(store)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=14, help="the window the stories fill")
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--unmatched", type=int, default=100_000, help="articles no rule matched")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print SQLite's query plans")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--only", default="", help="the queries whose name contains this")
    args = parser.parse_args()
    now = float(int(time.time()))
    with tempfile.TemporaryDirectory() as folder:
        lite = SqliteStore(Path(folder))
        lite._conn.execute("PRAGMA synchronous=OFF")  # for the fill only
        started = time.perf_counter()
        facts = fill(lite, args, now)
        print(
            f"{args.stories:,} stories over {args.days} days, {facts['articles']:,} articles "
            f"({args.unmatched:,} matched nothing), {facts['outbox']:,} outbox rows, "
            f"{args.rules} rules; filled in {time.perf_counter() - started:.1f} s; "
            f"SQLite file {(Path(folder) / DB_NAME).stat().st_size / 1e6:.0f} MB"
        )
        stores: list[tuple[str, Store]] = [("SQLite", lite)]
        server = None
        installed = shutil.which("pg_ctl") or list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not args.no_pg and installed:
            from helpers.pgserver import PgServer

            from monitor.state.copy import copy_state
            from monitor.state.postgres import PostgresStore

            server = PgServer().start()
            url = server.url(server.create_db())
            started = time.perf_counter()
            copy_state(Path(folder) / DB_NAME, url)
            pg = PostgresStore(url)
            pg._db.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
            print(f"copied into PostgreSQL in {time.perf_counter() - started:.1f} s")
            stores.append(("PostgreSQL", pg))
        try:
            if not args.only:
                pages(Path(folder), facts, args.rules, args.calls)
            header = " | ".join(f"{name} ms" for name, _ in stores)
            print(f"\nmedian of {args.calls} calls:\n")
            print(f"| query | rows | {header} |\n|---|---:|" + "---:|" * len(stores))
            for name, call in calls(facts, now, args.days):
                if args.only not in name:
                    continue
                cells = [measure(store, call, args.calls) for _, store in stores]
                print(
                    f"| {name} | {cells[0][1]} | "
                    + " | ".join(f"{ms:.1f}" for ms, _ in cells)
                    + " |"
                )
                if args.plans:
                    executed: list[str] = []
                    lite._conn.set_trace_callback(executed.append)
                    call(lite)
                    lite._conn.set_trace_callback(None)
                    for statement in executed:
                        plan = lite._conn.execute(f"EXPLAIN QUERY PLAN {statement}")
                        print("    " + statement[:160].replace("\n", " "))
                        for row in plan:
                            print(f"        {row[3]}")
        finally:
            for _, store in stores:
                store.close()
            if server is not None:
                server.stop()
                server.remove()


def pages(folder: Path, facts: dict[str, Any], rules: int, n: int) -> None:
    """Whole pages through the real app (`WebApp.handle`: the queries, the view, the
    template), on the SQLite state just filled, with `rules` rules loaded."""
    from monitor.config import load_config
    from monitor.engine import load_engine
    from monitor.web.app import WebApp
    from monitor.web.auth import Sessions
    from monitor.web.desk import Desk
    from monitor.web.http import Request
    from monitor.web.recent import RecentArticles

    root = Path(tempfile.mkdtemp(prefix="monitor-web-site-"))  # beside the state, not in it
    (root / "rules").mkdir(parents=True)
    listed = "".join(
        f"  - id: {rule}\n    keywords:\n      any: [{WORDS[i % len(WORDS)]}{i}]\n"
        for i, rule in enumerate(rule_ids(rules))
    )
    (root / "rules" / "r.yaml").write_text(f"rules:\n{listed}", encoding="utf-8")
    (root / "config.toml").write_text(
        f'[rules]\npath = "rules"\n[state]\npath = "{folder}"\n'
        '[channels.desk]\ntype = "file"\npath = "d.jsonl"\n'
        '[channels.archive]\ntype = "file"\npath = "a.jsonl"\n[web]\n',
        encoding="utf-8",
    )
    config = load_config(root / "config.toml", env={})
    engine, _ = load_engine(config.rules.path, list(config.channels), base=root)
    assert config.web is not None
    web = config.web
    desk = Desk(lambda: config, lambda: engine, RecentArticles(0))
    app = WebApp(desk, lambda: web, Sessions(b"k" * 32, 3600))
    top = facts["top_rule"]
    before = "|".join(facts["deep"][:2])
    wanted = [
        ("/ (first page)", "/"),
        ("/?since=14d (the whole window)", "/?since=14d"),
        ("/?since=14d, half-way (after story 5,000)", f"/?since=14d&before={before}"),
        (f"/?rule={top}&since=14d", f"/?rule={top}&since=14d"),
        ("/api/stories?since=14d", "/api/stories?since=14d"),
        ("/rules (counted once a minute; first call)", "/rules"),
        ("/rules (kept)", "/rules"),
        ("/sources", "/sources"),
    ]
    print(f"\nwhole pages through the app (SQLite, {rules} rules), median of {n}:\n")
    print("| page | bytes | ms |\n|---|---:|---:|")
    try:
        for name, path in wanted:
            times, size_ = [], 0
            rounds = 1 if "first call" in name else n
            for _ in range(rounds):
                request = Request.make("GET", path, {}, b"", "127.0.0.1")
                started = time.perf_counter()
                answer = app.handle(request)
                times.append((time.perf_counter() - started) * 1000)
                assert answer.status == 200, answer.body[:300]
                size_ = len(answer.body)
            print(f"| {name} | {size_:,} | {statistics.median(times):.1f} |")
    finally:
        desk.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
