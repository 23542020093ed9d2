"""Start-up by rule file layout: the same rules as block YAML, flow YAML, JSON, many files.

Issue 15 asks that any layout loads within 2x of block-style YAML. This writes one rule set
(`--rules`, 100,000 by default: each rule an any-of of three words and an all-of of one,
words drawn by their real frequency in English from wordfreq's top 50,000, so rules share
words as real rule sets do) in four layouts: one block-style YAML file; one flow-style YAML
file (a JSON document named `.yaml`); one `.json` file; 1,000 block-style files. For each,
a fresh process times a cold `load_engine` (an empty compiled-rules cache: parse, validate,
compile) and reports its peak RSS. Prints a table; about 2 minutes at 100,000 rules.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from monitor.engine import load_engine
started = time.perf_counter()
engine, problems = load_engine(Path(sys.argv[1]), ["log"], base=Path(sys.argv[1]))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": peak, "rules": len(engine.ruleset.rules),
                  "problems": len(problems)}))
"""


def _rules(count: int, seed: int = 15) -> list[dict[str, object]]:
    from wordfreq import top_n_list, word_frequency

    # Words YAML 1.1 reads as something else (`yes`, `null`) send a file to ruamel: left
    # out, so that the block-style baseline is the fast path it is meant to be.
    special = {"yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
    words = [w for w in top_n_list("en", 50_000) if w.isalpha() and len(w) > 2 and w not in special]
    weights = [word_frequency(w, "en") for w in words]
    rng = random.Random(seed)
    picks = rng.choices(words, weights, k=count * 4)
    return [
        {
            "id": f"r{i}",
            "description": f"generated rule {i}",
            "keywords": {"any": picks[4 * i : 4 * i + 3], "all": [picks[4 * i + 3]]},
        }
        for i in range(count)
    ]


def _block(rules: list[dict[str, object]]) -> str:
    lines = ["rules:"]
    for rule in rules:
        keywords = rule["keywords"]
        assert isinstance(keywords, dict)
        lines += [
            f"  - id: {rule['id']}",
            f"    description: {rule['description']}",
            "    keywords:",
            f"      any: [{', '.join(keywords['any'])}]",
            f"      all: [{keywords['all'][0]}]",
        ]
    return "\n".join(lines) + "\n"


def write_layouts(root: Path, count: int) -> dict[str, Path]:
    rules = _rules(count)
    layouts = {name: root / name for name in ("block", "flow", "json", "1000 files")}
    for folder in layouts.values():
        folder.mkdir(parents=True)
    (layouts["block"] / "rules.yaml").write_text(_block(rules), encoding="utf-8")
    flow = json.dumps({"rules": rules}, indent=1)
    (layouts["flow"] / "rules.yaml").write_text(flow, encoding="utf-8")
    (layouts["json"] / "rules.json").write_text(flow, encoding="utf-8")
    per = max(1, count // 1000)
    for start in range(0, count, per):
        part = layouts["1000 files"] / f"rules-{start // per:04d}.yaml"
        part.write_text(_block(rules[start : start + per]), encoding="utf-8")
    return layouts


def measure(folder: Path) -> dict[str, float]:
    cache = Path(tempfile.mkdtemp(prefix="monitor-cache-"))
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MONITOR_CACHE_DIR": str(cache)},
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=100_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="monitor-layouts-"))
    try:
        layouts = write_layouts(root, args.rules)
        results = {name: measure(folder) for name, folder in layouts.items()}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    block = results["block"]["seconds"]
    print(f"{args.rules:,} rules, cold load_engine (parse, validate, compile)")
    print(f"{'layout':<12} {'seconds':>8} {'x block':>8} {'peak RSS':>9} {'rules':>8} problems")
    for name, r in results.items():
        print(
            f"{name:<12} {r['seconds']:>8.1f} {r['seconds'] / block:>8.2f} "
            f"{r['rss_mb']:>6.0f} MB {int(r['rules']):>8,} {int(r['problems'])}"
        )


if __name__ == "__main__":
    main()
