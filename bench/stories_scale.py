"""Near-duplicate stories at a million: fill, start-up memory, and cost per article (issue 13).

Issue 13's target: with 1,000,000 stories in the window the daemon stays within 300 MB and
filing an article under its story adds at most 10 % to what the pipeline spends on it; the
stories survive a restart (the index is rebuilt from the database at start-up).

The text looks like news, not uniform tokens: a word-bigram (Markov) model is trained on the
distinct sentences of `data/story_pairs.jsonl`, `data/labelled_news.jsonl` and `seeds/`, so
the phrases news repeats ("said on Tuesday", "told reporters") recur. An article is a title,
a dateline, a first sentence with NATO, South Korea and ammunition put in at random places
(so that the repository's rules match it, as every article filed under a story has matched
a rule) and 15-25 sentences, each generated anew (article `n` is always the same text, so
a stored story can be copied later). `--pool N` draws the sentences from N generated
beforehand instead: whole shared sentences, even more pessimistic.

The text is pessimistic for the index either way: the corpus behind the model is small and
invented (72 base stories, written from templates), so the generated articles repeat their
3-word shingles far more than real news does. In a million of them the 16 index keys per
story take only about 300,000 distinct values, and 97 % of the key cells hold a key shared
by 8 stories or more. Both candidate counts and the near-duplicates the index loses (a full
bucket keeps the newest 8 cells) are worse here than they would be on real copy; the
"keys kept per story" column shows how much.

1. Fill: a state folder (in a temporary folder, or `--state DIR`, kept for the next run) gets
   `--stories` (1,000,000) stories in the window, written straight into the `stories` table
   in big transactions; each is tokenised and sketched as the pipeline does (`Matcher.scan`'s
   words: the tokenised title then body, then `sketch`), on every core.
2. Start-up: a fresh process opens the store and times `StoryTracker.load()` (the index
   rebuild), with the index's size and the process's RSS before and after (and its peak).
3. `StoryTracker.assign` per article, for `--articles` (2,000) new articles of which 10 % are
   near-duplicates of stored stories (the stored text with another dateline and one sentence
   replaced), against an empty window and against the full one: microseconds per article,
   candidates per article (`index.candidates`, called separately), and the share of
   near-duplicates found. All of it inside one `store.batch()`, as the pipeline records.
4. The whole pipeline: `Pipeline.process_batch` over the same kind of articles, as files of a
   real `FolderSource` inbox, with the repository's rules and a `file` channel, once without
   stories and once with the tracker over the full store, alternated (A B A B ...,
   `--rounds` pairs; each run gets its own fresh articles) because this machine's speed
   varies: milliseconds per article and the added share.

Run: `.venv/bin/python bench/stories_scale.py` (4-5 minutes, 3 of them the fill);
`--stories 100000` for a quick run; `--state DIR` fills DIR once and reuses it afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchutil import REPO

DATA = REPO / "bench" / "data"
WINDOW_HOURS = 72.0
THRESHOLD = 0.38  # the default `[stories] similarity`
NEAR_SHARE = 0.10
META = "stories_scale.json"

CITIES = [
    "SEOUL",
    "BRUSSELS",
    "WASHINGTON",
    "LONDON",
    "BERLIN",
    "TOKYO",
    "PARIS",
    "WARSAW",
    "VIENNA",
    "GENEVA",
    "BUSAN",
    "KYIV",
]
AGENCIES = ["Reuters", "AP", "AFP", "dpa", "Yonhap", "Bloomberg"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct."]
TOPIC = ["NATO", "South Korea", "ammunition"]
"""Inserted into each article's first sentence, so that the repository's rules match it."""


# --- the text generator -------------------------------------------------------------------------


def corpus_texts() -> list[str]:
    """The news-like texts the bigram model learns from."""
    texts: list[str] = []
    with (DATA / "story_pairs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            pair = json.loads(line)
            texts += [pair[side]["title"] + ". " + pair[side]["body"] for side in ("a", "b")]
    with (DATA / "labelled_news.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh]
    for path in sorted((REPO / "seeds").iterdir()):
        raw = path.read_text("utf-8", errors="replace")
        texts.append(re.sub(r"<[^>]*>", " ", raw))  # the HTML seed's tags are not words
    return texts


class Model:
    """A word-bigram model of the corpus: which words follow each word, as often as they do."""

    def __init__(self) -> None:
        follows: dict[str, list[str]] = defaultdict(list)
        # Each distinct sentence once: the labelled pairs repeat their 72 base stories' sentences
        # dozens of times (copies, edits), which would make their phrases far too common.
        sentences = {
            sentence: None
            for text in corpus_texts()
            for sentence in re.split(r"(?<=[.!?])\s+", text)
            if len(sentence.split()) >= 4
        }
        for sentence in sentences:
            words = sentence.split()
            for prev, word in zip(["<s>", *words], [*words, "</s>"], strict=True):
                follows[prev].append(word)
        self.follows = dict(follows)

    def sentence(self, rng: random.Random) -> str:
        """One sentence of 6-40 words."""
        follows, choice = self.follows, rng.choice
        while True:
            words: list[str] = []
            prev = "<s>"
            while len(words) < 40:
                prev = choice(follows[prev])
                if prev == "</s>":
                    break
                words.append(prev)
            if len(words) >= 6:
                text = " ".join(words)
                return text if text[-1] in ".!?\"'" else text + "."


class Generator:
    """Articles as (title, body); article `n` (of a salt) is always the same text, so a stored
    story's text can be made again for its near-duplicate. Each sentence is generated anew
    from the model, or with `pool` drawn from that many sentences generated beforehand."""

    def __init__(self, model: Model, pool: int, seed: int) -> None:
        self.model = model
        rng = random.Random(seed)
        self.pool = [model.sentence(rng) for _ in range(pool)]
        self.seed = seed

    def _sentences(self, rng: random.Random, k: int) -> list[str]:
        if self.pool:
            return rng.choices(self.pool, k=k)
        return [self.model.sentence(rng) for _ in range(k)]

    def article(self, n: int, salt: int = 0) -> tuple[str, str]:
        rng = random.Random(n * 1_000_003 + salt * 7_919 + self.seed)
        title = " ".join(self._sentences(rng, 1)[0].rstrip(".").split()[: rng.randint(6, 11)])
        words = self._sentences(rng, 1)[0].split()
        for topic in TOPIC:  # at random places: no fixed phrase shared by every article
            words.insert(rng.randint(1, len(words) - 1), topic)
        lead = " ".join(words)
        sentences = [lead, *self._sentences(rng, rng.randint(15, 25))]
        return title, dateline(rng) + " ".join(sentences)

    def near_copy(self, n: int, salt: int) -> tuple[str, str]:
        """Stored article `n` with another dateline and one of its sentences replaced."""
        title, body = self.article(n)
        rng = random.Random(n * 31 + salt)
        text = body.split(" - ", 1)[1]
        sentences = text.split(". ")
        at = rng.randrange(1, len(sentences))
        sentences[at] = self._sentences(rng, 1)[0].rstrip(".")
        return title, dateline(rng) + ". ".join(sentences)


class MixedGenerator(Generator):
    """`--text mixed` (the default): a fifth of the sentences from the bigram model (the
    phrases news repeats: "said on Tuesday", "according to the"), the rest words drawn by
    their real frequencies in English (the `wordfreq` package's top 50,000, Zipf-shaped).

    The bigram model alone (`--text bigram`) knows only the ~3,000 words of the corpus in
    bench/data, so at a million articles nearly every 3-word sequence recurs thousands of
    times: far more than in real news, where most of an article's sequences are its own
    (names, numbers, quotes). Real text lies between the two modes; both are reported."""

    BIGRAM_SHARE = 0.2

    def __init__(self, model: Model, pool: int, seed: int) -> None:
        super().__init__(model, pool, seed)
        from wordfreq import top_n_list, word_frequency

        self.words = top_n_list("en", 50_000)
        weights = [word_frequency(w, "en") for w in self.words]
        total = sum(weights)
        self.cumulative = list(itertools.accumulate(w / total for w in weights))

    def _sentences(self, rng: random.Random, k: int) -> list[str]:
        out: list[str] = []
        for _ in range(k):
            if rng.random() < self.BIGRAM_SHARE:
                out.append(self.model.sentence(rng))
                continue
            words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(8, 30))
            out.append(" ".join(words).capitalize() + ".")
        return out


def dateline(rng: random.Random) -> str:
    return (
        f"{rng.choice(CITIES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)} "
        f"({rng.choice(AGENCIES)}) - "
    )


def words_of(title: str, body: str) -> str:
    """The words the pipeline sketches: `Matcher.scan`'s tokenised title then body."""
    from monitor.matching.normalize import tokenize

    return tokenize(title).text + tokenize(body).text


# --- 1. the fill --------------------------------------------------------------------------------

_GENERATOR: Generator | None = None  # the workers' copy, inherited when they fork


def _sketch_range(span: tuple[int, int]) -> list[tuple[str, bytes, bytes]]:
    from monitor.stories.sketch import sketch

    assert _GENERATOR is not None
    rows = []
    for n in range(*span):
        made = sketch(words_of(*_GENERATOR.article(n)))
        rows.append((story_id(n), made[0], made[1]))
    return rows


def story_id(n: int) -> str:
    return f"bench{n:08d}"


def db_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("monitor.db*"))


def fill(folder: Path, gen: Generator, stories: int, jobs: int) -> dict[str, float]:
    """`stories` stories sketched on `jobs` processes, inserted by this one."""
    global _GENERATOR
    from monitor.state import open_store

    open_store(folder).close()  # the schema
    db = sqlite3.connect(folder / "monitor.db", isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    _GENERATOR = gen
    chunk = 5_000
    spans = [(a, min(stories, a + chunk)) for a in range(0, stories, chunk)]
    now = time.time()
    started = time.perf_counter()
    done = 0
    with multiprocessing.get_context("fork").Pool(jobs) as workers:
        db.execute("BEGIN")
        for rows in workers.imap(_sketch_range, spans):
            db.executemany(
                "INSERT INTO stories (id, arrived, sketch, keys) VALUES (?, ?, ?, ?)",
                [(i, now, s, k) for i, s, k in rows],
            )
            done += len(rows)
            if done % 100_000 < chunk:
                db.execute("COMMIT")
                db.execute("BEGIN")
                print(f"... {done:,} stories", file=sys.stderr)
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"stories": stories, "seconds": time.perf_counter() - started, "jobs": jobs}


def refresh(folder: Path) -> None:
    """Move a kept store's stories back into the window (they arrived at the first fill)."""
    db = sqlite3.connect(folder / "monitor.db", isolation_level=None)
    now = time.time()
    db.execute("UPDATE stories SET arrived = ? WHERE arrived < ?", (now, now - 3600))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


# --- 2. start-up, in a fresh process ------------------------------------------------------------


def vm(field: str) -> int:
    """A VmRSS/VmHWM line of /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def child_load(folder: Path) -> dict[str, float]:
    import gc

    from monitor.state import open_store
    from monitor.stories.tracker import StoryTracker

    store = open_store(folder)
    tracker = StoryTracker(store, WINDOW_HOURS, THRESHOLD)
    gc.collect()
    before = vm("VmRSS")
    started = time.perf_counter()
    count = tracker.load()
    seconds = time.perf_counter() - started
    after_load = vm("VmRSS")
    gc.collect()
    after = vm("VmRSS")
    peak = max(vm("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    # How many of its keys each story kept in the table: a full bucket gives its oldest cell
    # to a newer story, and a story with fewer than two cells left cannot be a candidate.
    import numpy as np

    cells = np.bincount(tracker.index._stories.ravel(), minlength=tracker.index.newest + 1)
    live = cells[tracker.index.oldest : tracker.index.newest + 1]
    return {
        "stories": count,
        "seconds": seconds,
        "nbytes": tracker.index.nbytes,
        "before": before,
        "after_load": after_load,
        "after": after,
        "peak": peak,
        "cells_mean": float(live.mean()) if len(live) else 0.0,
        "under_two": float((live < 2).mean()) if len(live) else 0.0,
        "all_sixteen": float((live >= 16).mean()) if len(live) else 0.0,
    }


def start_up(folder: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-load", str(folder)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- 3. assign ----------------------------------------------------------------------------------


def article_set(gen: Generator, stories: int, count: int, salt: int) -> list[dict[str, Any]]:
    """`count` new articles, NEAR_SHARE of them near-duplicates of stored stories (spread
    through the set; `of` names the story they copy)."""
    rng = random.Random(salt)
    near = set(rng.sample(range(count), int(count * NEAR_SHARE))) if stories else set()
    out: list[dict[str, Any]] = []
    for i in range(count):
        if i in near:
            n = rng.randrange(stories)
            title, body = gen.near_copy(n, salt)
            out.append({"title": title, "body": body, "of": story_id(n)})
        else:
            title, body = gen.article(i, salt)
            out.append({"title": title, "body": body, "of": None})
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def assign_run(folder: Path, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Time `assign` per article against the store in `folder` (loaded first)."""
    import hashlib

    from monitor.state import open_store
    from monitor.stories.sketch import sketch
    from monitor.stories.tracker import StoryTracker

    store = open_store(folder)
    tracker = StoryTracker(store, WINDOW_HOURS, THRESHOLD)
    window = tracker.load()
    texts = [words_of(a["title"], a["body"]) for a in articles]  # the matcher's words
    made = [sketch(text) for text in texts]
    started = time.perf_counter()
    for text in texts:  # the sketch alone: the pipeline has the words from matching
        sketch(text)
    sketch_us = (time.perf_counter() - started) / len(articles) * 1e6
    times, cands, found, near = [], [], 0, 0
    with store.batch():
        for a, (sk, keys) in zip(articles, made, strict=True):
            cands.append(len(tracker.index.candidates(keys)))
            aid = hashlib.sha1((a["title"] + a["body"]).encode()).hexdigest()[:16]
            t0 = time.perf_counter_ns()
            ref = tracker.assign(aid, sk, keys)
            times.append((time.perf_counter_ns() - t0) / 1000)
            if a["of"] is not None:
                near += 1
                found += ref.id == a["of"]
    store.close()
    return {
        "window": window,
        "times": times,
        "cands": cands,
        "near": near,
        "found": found,
        "sketch_us": sketch_us,
    }


# --- 4. the pipeline ----------------------------------------------------------------------------


def pipeline_run(
    root: Path, store: Any, engine: Any, tracker: Any, articles: list[dict[str, Any]], tag: str
) -> dict[str, Any]:
    from monitor.channels.file import FileChannelConfig
    from monitor.config import InboxConfig
    from monitor.pipeline import Pipeline
    from monitor.sources import FolderSource

    run = root / tag
    inbox = run / "inbox"
    inbox.mkdir(parents=True)
    paths = []
    for i, a in enumerate(articles):
        path = inbox / f"{i:05d}.txt"
        path.write_text(f"{a['title']}\n\n{a['body']}\n", encoding="utf-8")
        paths.append(path)
    channels = {"log": FileChannelConfig(type="file", path=run / "alerts.jsonl")}
    pipeline = Pipeline(store, engine, channels, stories=tracker)
    source = FolderSource(
        InboxConfig(path=inbox, archive=run / "archive", quarantine=run / "quarantine")
    )
    items = [source.item(p) for p in paths]
    started = time.perf_counter()
    outcomes = pipeline.process_batch(source, items)
    seconds = time.perf_counter() - started
    assert all(o.status == "processed" for o in outcomes), {o.status for o in outcomes}
    found = near = 0
    if tracker is not None:
        for a, o in zip(articles, outcomes, strict=True):
            if a["of"] is not None:
                near += 1
                copies = store.story_copies(a["of"])
                found += any(c["article_id"] == o.article_id for c in copies)
    shutil.rmtree(run, ignore_errors=True)
    return {
        "ms": seconds / len(articles) * 1000,
        "matches": sum(len(o.rules) for o in outcomes) / len(outcomes),
        "near": near,
        "found": found,
    }


def pipelines(
    folder: Path, gen: Generator, stories: int, count: int, rounds: int, salt: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from monitor.engine import load_engine
    from monitor.state import open_store
    from monitor.stories.tracker import StoryTracker

    engine, problems = load_engine(REPO / "rules", ["log"])
    assert not problems, problems
    store = open_store(folder)
    tracker = StoryTracker(store, WINDOW_HOURS, THRESHOLD)
    tracker.load()
    root = Path(tempfile.mkdtemp(prefix="monitor-stories-pipe-"))
    without: list[dict[str, Any]] = []
    with_: list[dict[str, Any]] = []
    try:
        # a warm-up run of each, not counted
        warm = article_set(gen, stories, 100, salt + 99)
        pipeline_run(root, store, engine, None, warm[:50], "warm-a")
        pipeline_run(root, store, engine, tracker, warm[50:], "warm-b")
        for r in range(rounds):
            for kind in ("A", "B"):
                articles = article_set(gen, stories, count, salt + 10 + 2 * r + (kind == "B"))
                ran = pipeline_run(
                    root, store, engine, tracker if kind == "B" else None, articles, f"{kind}{r}"
                )
                (with_ if kind == "B" else without).append(ran)
                print(f"... pipeline {kind}{r}: {ran['ms']:.3f} ms/article", file=sys.stderr)
    finally:
        store.close()
        shutil.rmtree(root, ignore_errors=True)
    return without, with_


# --- the report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stories", type=int, default=1_000_000, help="stories in the window (1,000,000)"
    )
    parser.add_argument(
        "--articles", type=int, default=2000, help="new articles per measurement (2,000)"
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=0,
        help="draw sentences from a pool of this many generated beforehand (default 0: every "
        "sentence generated anew)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="A B pairs of pipeline runs (default 3)"
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for the fill (cores)"
    )
    parser.add_argument("--seed", type=int, default=13, help="the generator's seed (13)")
    parser.add_argument(
        "--text",
        choices=["mixed", "bigram"],
        default="mixed",
        help="mixed (default): real word frequencies with some news phrasing; bigram: the "
        "small corpus's phrasing only, far more repetitive than news (see MixedGenerator)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        help="state folder to fill once and reuse (default: a temporary one, deleted)",
    )
    parser.add_argument("--child-load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load is not None:
        print(json.dumps(child_load(args.child_load)))
        return

    started = time.perf_counter()
    kind = MixedGenerator if args.text == "mixed" else Generator
    gen = kind(Model(), args.pool, args.seed)
    print(f"... model in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    temp = Path(tempfile.mkdtemp(prefix="monitor-stories-"))
    folder = args.state or temp / "state"
    meta_path = folder / META
    wanted = {"stories": args.stories, "pool": args.pool, "seed": args.seed, "text": args.text}
    filled: dict[str, Any] | None = None
    try:
        kept = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else None
        if kept is not None and kept["made"] == wanted:
            refresh(folder)
            filled = dict(kept["fill"], earlier=True)
            print(f"... reusing {folder}", file=sys.stderr)
        else:
            if folder.exists() and any(folder.iterdir()):
                sys.exit(f"{folder} holds something else than this fill: name an empty folder")
            filled = fill(folder, gen, args.stories, args.jobs)
            filled["bytes"] = db_bytes(folder)
            meta_path.write_text(json.dumps({"made": wanted, "fill": filled}), encoding="utf-8")
        size = db_bytes(folder)
        loaded = start_up(folder)
        salt = int.from_bytes(os.urandom(4), "little")  # fresh articles in every invocation
        empty = temp / "empty"
        articles = article_set(gen, args.stories, args.articles, salt)
        at_zero = assign_run(empty, articles)
        at_full = assign_run(folder, articles)
        without, with_ = pipelines(folder, gen, args.stories, args.articles, args.rounds, salt)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    report(args, gen, filled, size, loaded, at_zero, at_full, without, with_)


def report(
    args: argparse.Namespace,
    gen: Generator,
    filled: dict[str, Any] | None,
    size: int,
    loaded: dict[str, float],
    at_zero: dict[str, Any],
    at_full: dict[str, Any],
    without: list[dict[str, Any]],
    with_: list[dict[str, Any]],
) -> None:
    mb = 2**20
    sample = [gen.article(n) for n in range(200)]
    kb = statistics.mean(len((t + "\n\n" + b).encode()) for t, b in sample) / 1024
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"\nStories at scale: {args.stories:,} stories in the window, articles of {kb:.1f} KB "
        f"on average ({os.uname().machine}, {cores} cores, Python {sys.version.split()[0]})\n"
    )
    print("| stories | fill s | processes | stories/s | database MB now |")
    print("|---:|---:|---:|---:|---:|")
    if filled is not None:
        earlier = " (an earlier run's fill)" if filled.get("earlier") else ""
        print(
            f"| {args.stories:,} | {filled['seconds']:.0f}{earlier} | {filled['jobs']} | "
            f"{args.stories / filled['seconds']:,.0f} | {size / mb:,.0f} |"
        )

    print("\nStart-up in a fresh process (`StoryTracker.load`, the index rebuilt)\n")
    print(
        "| stories loaded | load s | index MB (nbytes) | RSS before MB | RSS after MB | "
        "RSS added MB | peak RSS MB | keys kept per story | stories with < 2 kept |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {loaded['stories']:,} | {loaded['seconds']:.2f} | {loaded['nbytes'] / mb:.0f} | "
        f"{loaded['before'] / mb:.0f} | {loaded['after'] / mb:.0f} | "
        f"{(loaded['after'] - loaded['before']) / mb:.0f} | {loaded['peak'] / mb:.0f} | "
        f"{loaded['cells_mean']:.1f} of 16 | {loaded['under_two']:.1%} |"
    )

    print(
        f"\n`StoryTracker.assign` per article ({args.articles:,} new articles, "
        f"{NEAR_SHARE:.0%} near-duplicates of stored stories; sketch alone "
        f"{at_full['sketch_us']:.0f} µs)\n"
    )
    print(
        "| stories in window | mean µs | p50 µs | p90 µs | p99 µs | candidates mean | "
        "p50 | p99 | max | > 64 | near-duplicates found | slowest ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in (at_zero, at_full):
        t, c = run["times"], run["cands"]
        found = f"{run['found']}/{run['near']}" if run["window"] else "-"
        print(
            f"| {run['window']:,} | {statistics.mean(t):.0f} | {pct(t, 0.5):.0f} | "
            f"{pct(t, 0.9):.0f} | {pct(t, 0.99):.0f} | {statistics.mean(c):.1f} | "
            f"{pct(c, 0.5):.0f} | {pct(c, 0.99):.0f} | {max(c)} | "
            f"{sum(x > 64 for x in c) / len(c):.1%} | {found} | {max(t) / 1000:.1f} |"
        )

    print(
        f"\n`Pipeline.process_batch` per article ({args.articles:,} files of a `FolderSource` "
        f"per run, the repository's rules, a `file` channel; runs alternated)\n"
    )
    print(
        "| round | without stories ms | with stories ms | added | matches/article | "
        "near-duplicates found |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r, (a, b) in enumerate(zip(without, with_, strict=True)):
        print(
            f"| {r + 1} | {a['ms']:.3f} | {b['ms']:.3f} | {(b['ms'] / a['ms'] - 1):+.1%} | "
            f"{a['matches']:.2f} | {b['found']}/{b['near']} |"
        )
    a_mean = statistics.mean(x["ms"] for x in without)
    b_mean = statistics.mean(x["ms"] for x in with_)
    print(f"| mean | {a_mean:.3f} | {b_mean:.3f} | {(b_mean / a_mean - 1):+.1%} | | |")


if __name__ == "__main__":
    main()
