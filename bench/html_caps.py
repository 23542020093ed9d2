"""What one HTML article costs to read, by size and shape: seconds, peak memory, and path.

Each case is built in memory and read with `read_bytes_article` in a fresh child process
(so its peak RSS is its own), with a timeout. The path column says how it was read:
"trafilatura" (main-text extraction), "visible text" (the linear lxml walk), or
"refused" (an ArticleError before parsing). Prints a table.

    .venv/bin/python bench/html_caps.py                  # every case
    .venv/bin/python bench/html_caps.py --only 'p x'     # cases whose name contains it

To compare with older code, put an export of its `monitor` package first on the path:
`git archive REV monitor | tar -x -C /tmp/old && PYTHONPATH=/tmp/old python bench/...`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

_WORDS = [
    "the",
    "government",
    "said",
    "on",
    "minister",
    "talks",
    "security",
    "NATO",
    "South",
    "Korea",
    "weapons",
    "support",
    "officials",
    "according",
    "to",
    "statement",
    "report",
    "week",
    "country",
    "military",
    "agreement",
    "defence",
    "analysts",
    "capital",
    "meeting",
    "president",
    "economic",
    "sanctions",
    "trade",
    "border",
    "region",
    "spokesperson",
    "confirmed",
    "delegation",
    "would",
    "later",
    "news",
    "agency",
    "sources",
    "plan",
]


def _prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _script(rng: random.Random, size: int) -> str:
    """Minified-looking JavaScript, with the "<" characters real bundles are full of."""
    chunk = (
        "!function(e){var t={};for(var n=0;n<e.length;n++){if(e[n]<t.x)"
        'document.body.insertAdjacentHTML("beforeend","<div class=\\"ad\\"><span>"+e[n]'
        '+"</span></div>")}}(window.__DATA__||[]);'
    )
    parts = []
    total = 0
    while total < size:
        piece = chunk.replace("ad", f"ad{rng.randrange(10**6)}")
        parts.append(piece)
        total += len(piece)
    return "".join(parts)


def news_page(elements: int, script_bytes: int = 0, paragraphs: int = 30) -> bytes:
    """A news page: head with metadata and scripts, navigation, the article, a long list of
    related stories (grown until the page has about `elements` elements), a footer."""
    rng = random.Random(elements * 7 + script_bytes)
    head = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Ministers meet over NATO support | Example News</title>",
        "<meta property='og:title' content='Ministers meet over NATO support'>",
        "<meta property='article:published_time' content='2024-03-01T08:00:00Z'>",
        *(f"<meta name='m{i}' content='{_prose(rng, 5)}'>" for i in range(30)),
        *(f"<link rel='preload' href='/static/{i}.js' as='script'>" for i in range(20)),
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "headline": '
        '"Ministers meet over NATO support"}</script>',
        f"<script>{_script(rng, script_bytes)}</script>" if script_bytes else "",
        "<style>.a{color:red}</style></head><body>",
    ]
    nav = ["<header><nav><ul>"]
    nav += [f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(60)]
    nav.append("</ul></nav></header>")
    article = [
        "<main><article><h1>Ministers meet over NATO support</h1>",
        "<p class='byline'>By A. Reporter, <time>1 March 2024</time></p>",
        "<figure><img src='/a.jpg' alt=''><figcaption>The meeting.</figcaption></figure>",
    ]
    for _ in range(paragraphs):
        article.append(
            f"<p>{_prose(rng, 40)} <a href='/x'>{_prose(rng, 3)}</a> "
            f"<em>{_prose(rng, 4)}</em> {_prose(rng, 30)}</p>"
        )
    article.append("</article></main>")
    footer = [
        "<footer><ul>",
        *(f"<li><a href='/f{i}'>Link {i}</a></li>" for i in range(40)),
        "</ul><p>Copyright 2024 Example News.</p></footer></body></html>",
    ]
    base = "".join(head + nav + article + footer)
    if script_bytes:  # the script's text has "<"s of its own, which are not elements
        base = base.replace(head[-2], "<script></script>")
    related = ["<aside><h2>Related</h2><ul>"]
    count = base.count("<") - base.count("</") - 1 + 3  # not the doctype; the aside, h2, ul
    while count < elements:
        related.append(
            f"<li><a href='/r{count}'><img src='/t{count}.jpg' alt=''>"
            f"<span>{_prose(rng, 6)}</span></a></li>"
        )
        count += 4
    related.append("</ul></aside>")
    return "".join(head + nav + article + related + footer).encode()


def _repeat(unit: str, count: int) -> bytes:
    return (
        "<html><head><title>Repeated</title></head><body>" + unit * count + "</body></html>"
    ).encode()


def _nested(depth: int) -> bytes:
    return (
        "<html><head><title>Nested</title></head><body>"
        + "<div>" * depth
        + "<p>NATO South Korea</p>"
        + "</div>" * depth
        + "</body></html>"
    ).encode()


def _chains(depth: int, elements: int) -> bytes:
    chain = "<div>" * depth + "<p>x</p>" + "</div>" * depth
    return _repeat(chain, elements // (depth + 1))


def _attributes(elements: int, attributes: int) -> bytes:
    tag = "<p " + " ".join(f"a{i}=1" for i in range(attributes)) + ">NATO South Korea</p>"
    return _repeat(tag, elements)


CASES: dict[str, Callable[[], bytes]] = {
    "p x 1k": lambda: _repeat("<p>x</p>", 1_000),
    "p x 10k": lambda: _repeat("<p>x</p>", 10_000),
    "p x 19.9k": lambda: _repeat("<p>x</p>", 19_990),
    "p x 20k": lambda: _repeat("<p>x</p>", 20_000),
    "p x 50k": lambda: _repeat("<p>x</p>", 50_000),
    "p x 100k": lambda: _repeat("<p>x</p>", 100_000),
    "p x 300k": lambda: _repeat("<p>x</p>", 300_000),
    "p x 249k": lambda: _repeat("<p>x</p>", 249_990),
    "p x 1M": lambda: _repeat("<p>x</p>", 1_000_000),
    "br x 499k": lambda: _repeat("<br>", 499_990),
    "news 2k el": lambda: news_page(2_000),
    "news 10k el": lambda: news_page(10_000),
    "news 10k el + 2 MB script": lambda: news_page(10_000, script_bytes=2_000_000),
    "news 19.9k el": lambda: news_page(19_900),
    "news 40k el": lambda: news_page(40_000),
    "chains 10 deep, 19.5k el": lambda: _chains(10, 19_500),
    "chains 97 deep, 19.5k el": lambda: _chains(97, 19_500),
    "chains 250 deep, 19.5k el": lambda: _chains(250, 19_500),
    "1 tag with 50k attributes": lambda: _attributes(1, 50_000),
    "1 tag with 2M attributes": lambda: _attributes(1, 2_000_000),
    "19.5k el x 5 attributes": lambda: _attributes(19_500, 5),
    "19.5k el x 100 attributes": lambda: _attributes(19_500, 100),
    "19k links x 10 words": lambda: _repeat("<a href='/x'>" + "word " * 10 + "</a>", 19_000),
    "19k links x 50 words": lambda: _repeat("<a href='/x'>" + "word " * 50 + "</a>", 19_000),
    "nested 300 deep": lambda: _nested(300),
    "nested 3,000 deep": lambda: _nested(3_000),
    "nested 240k deep": lambda: _nested(240_000),
}


def _child(name: str) -> None:
    """Read one case and print its measurements as JSON (run in a fresh process)."""
    import monitor
    from monitor.articles import ArticleError, htmlfmt, read_bytes_article

    data = CASES[name]()
    read_bytes_article(b"<p>warm up</p>", "w.html")  # imports trafilatura
    extracted = []
    original = htmlfmt._extract

    def counting(text: str) -> object | None:
        extracted.append(1)
        return original(text)

    htmlfmt._extract = counting
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        article = read_bytes_article(data, "case.html")
        path = "trafilatura" if extracted else "visible text"
        detail = f"{len(article.body):,} chars"
    except ArticleError as exc:
        path, detail = "refused", str(exc)[:60]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "bytes": len(data),
                "tags": data.count(b"<"),
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "baseline_mb": baseline / 1024,
                "path": path,
                "detail": detail,
                "monitor": str(Path(monitor.__file__).parent),
            }
        )
    )


def main() -> None:
    """Run every (selected) case in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per case")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    names = [n for n in CASES if not args.only or args.only in n]
    print(f"{'case':27} {'bytes':>11} {'tags (<)':>10} {'seconds':>8} {'peak RSS':>9}  path")
    source, baseline = "", 0.0
    for name in names:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", name],
                capture_output=True,
                text=True,
                timeout=args.timeout,
            )
        except subprocess.TimeoutExpired:
            print(
                f"{name:27} {'':>11} {'':>10} {'>' + str(int(args.timeout)):>8} {'':>9}  timed out"
            )
            continue
        if done.returncode != 0:
            print(f"{name:27} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(done.stdout)
        source, baseline = row["monitor"], row["baseline_mb"]
        print(
            f"{name:27} {row['bytes']:>11,} {row['tags']:>10,} {row['seconds']:>8.2f} "
            f"{row['peak_mb']:>6.0f} MB  {row['path']} ({row['detail']})",
            flush=True,
        )
    print(
        f"(monitor from {source}; peak RSS includes the ~{baseline:.0f} MB of the "
        "interpreter with lxml and trafilatura loaded)"
    )


if __name__ == "__main__":
    main()
