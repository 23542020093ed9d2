"""Precision and recall of "same story?" decisions on labelled pairs, by method and threshold.

    python bench/dedup_eval.py           # Markdown tables (for bench/README.md)
    python bench/dedup_eval.py --full    # also every threshold of every method
    python bench/dedup_eval.py --json    # the same numbers as JSON
    python bench/dedup_eval.py --holdout 14  # + those thresholds on pairs made with seed 14

Reads `bench/data/story_pairs.jsonl` (see `data/make_story_pairs.py` for how it is built and
the labelling rules) and scores each pair with each method; a pair is called a duplicate when
its score is at least the threshold. For every method and threshold 0.01..0.99: precision,
recall, F1 and the confusion counts; then per method the threshold with precision >= 0.98
and the highest recall (issue 13's targets: precision >= 0.98, recall >= 0.95), and the
cost of the signature in microseconds per article (one core, best of three). The thresholds
are chosen on the same set they are scored on, so `--holdout SEED` also scores each method's
chosen threshold on a fresh set built by `make_story_pairs.build(SEED)`: what to expect of
the threshold on stories it was not tuned on.

Texts are normalised the same way for every method: title and body, lower-cased, anything
but letters and digits a space, split on spaces; shingles are k consecutive words.
Methods:
* `jaccard kN` (reference, exact sets): |A & B| / |A | B|;
* `containment kN` (reference, exact sets): |A & B| / min(|A|, |B|), which a cut story or
  one wrapped in boilerplate keeps high while its Jaccard drops;
* `minhash J kN`: datasketch `MinHash` (num_perm 128) Jaccard estimate;
* `minhash C kN`: containment estimated from the MinHash Jaccard J and the two set sizes
  (which a store keeps beside the signature): |A & B| = J (|A| + |B|) / (1 + J);
* `simhash kN`: a 64-bit SimHash of the shingles (blake2b-hashed), 1 - hamming / 64;
* `daemon`: what `monitor run` decides (monitor/stories): its 256-bin one-permutation
  sketch over 3-word shingles of the matcher's normalised words, a pair counted as found
  only if the story index would return `a` as a candidate for `b` (two shared keys), and
  scored by the sketch's Jaccard estimate. The table "daemon at the shipped threshold"
  scores `[stories] similarity`'s default on both sets.

A daemon cannot compare a new story with every stored one, so the last table measures the
candidate step: datasketch `MinHashLSH` (num_perm 128) at a few LSH thresholds, every `a`
indexed, every `b` queried: the share of same-story pairs whose `a` comes back (the recall
ceiling of LSH + a check), and the share of different-story pairs whose `a` does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from monitor.config import StoriesConfig
from monitor.matching.normalize import tokenize
from monitor.stories.sketch import keys_of
from monitor.stories.sketch import similarity as story_similarity
from monitor.stories.sketch import sketch as story_sketch

DATA = Path(__file__).resolve().parent / "data" / "story_pairs.jsonl"
NUM_PERM = 128
TARGET_PRECISION = 0.98
TARGET_RECALL = 0.95
THRESHOLDS = [round(0.01 * i, 2) for i in range(1, 100)]
"""Searched for the best threshold; `--full` prints every fifth (0.05, 0.10, ...)."""

_NON_WORD = re.compile(r"[^0-9a-z]+")


def tokens(title: str, body: str) -> list[str]:
    return _NON_WORD.sub(" ", f"{title}\n{body}".lower()).split()


def shingles(words: Sequence[str], k: int) -> set[str]:
    if len(words) < k:
        return {" ".join(words)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")


def simhash(sh: set[str]) -> int:
    """Charikar's SimHash: bit i is set when most shingle hashes have bit i set."""
    hashes = np.fromiter((h64(x) for x in sh), dtype=np.uint64, count=len(sh))
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(sh)
    return sum(1 << i for i in range(64) if votes[i] > 0)


def minhash(sh: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode() for s in sh])
    return m


@dataclass
class Sig:
    """Everything every method needs about one article."""

    sets: dict[int, set[str]]
    mh: dict[int, MinHash]
    sim: dict[int, int]
    daemon: tuple[bytes, bytes]


def signature(title: str, body: str, ks: Sequence[int]) -> Sig:
    words = tokens(title, body)
    sets = {k: shingles(words, k) for k in ks}
    return Sig(
        sets=sets,
        mh={k: minhash(sets[k]) for k in ks},
        sim={k: simhash(sets[k]) for k in ks},
        daemon=story_sketch(tokenize(title).text + tokenize(body).text),
    )


def daemon_score(a: Sig, b: Sig) -> float:
    """The daemon's decision: a candidate from the index (two shared keys), then the
    sketch's similarity; 0 when the index would not even offer `a` for `b`."""
    ka, kb = set(keys_of(a.daemon[1])), set(keys_of(b.daemon[1]))
    if len(ka & kb) < min(2, len(ka), len(kb)):
        return 0.0
    return story_similarity(a.daemon[0], b.daemon[0])


def est_containment(j: float, na: int, nb: int) -> float:
    inter = j * (na + nb) / (1 + j)
    return min(1.0, inter / max(1, min(na, nb)))


def methods(ks: Sequence[int]) -> dict[str, Callable[[Sig, Sig], float]]:
    out: dict[str, Callable[[Sig, Sig], float]] = {}
    for k in ks:

        def jac(a: Sig, b: Sig, k: int = k) -> float:
            return len(a.sets[k] & b.sets[k]) / max(1, len(a.sets[k] | b.sets[k]))

        def con(a: Sig, b: Sig, k: int = k) -> float:
            inter = len(a.sets[k] & b.sets[k])
            return inter / max(1, min(len(a.sets[k]), len(b.sets[k])))

        def mhj(a: Sig, b: Sig, k: int = k) -> float:
            return float(a.mh[k].jaccard(b.mh[k]))

        def mhc(a: Sig, b: Sig, k: int = k) -> float:
            j = float(a.mh[k].jaccard(b.mh[k]))
            return est_containment(j, len(a.sets[k]), len(b.sets[k]))

        def sim(a: Sig, b: Sig, k: int = k) -> float:
            return 1 - bin(a.sim[k] ^ b.sim[k]).count("1") / 64

        out[f"jaccard k{k} (exact)"] = jac
        out[f"containment k{k} (exact)"] = con
        out[f"minhash J k{k}"] = mhj
        out[f"minhash C k{k}"] = mhc
        out[f"simhash k{k}"] = sim
    out["daemon (sketch 256 + index)"] = daemon_score
    return out


def confusion(scores: list[float], labels: list[bool], t: float) -> dict[str, Any]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= t and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= t and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < t and y)
    tn = len(scores) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"threshold": t, "precision": p, "recall": r, "f1": f1,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}  # fmt: skip


def time_signatures(arts: list[tuple[str, str]], k: int, n: int = 200) -> dict[str, float]:
    """Microseconds per article: shingles alone, + MinHash, + SimHash (best of three)."""
    sample = arts[:n]

    def best(fn: Callable[[str, str], object]) -> float:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            for title, body in sample:
                fn(title, body)
            runs.append((time.perf_counter() - t0) / len(sample) * 1e6)
        return min(runs)

    return {
        "shingles": best(lambda t, b: shingles(tokens(t, b), k)),
        "minhash": best(lambda t, b: minhash(shingles(tokens(t, b), k))),
        "simhash": best(lambda t, b: simhash(shingles(tokens(t, b), k))),
    }


def run(data: Path, ks: Sequence[int], holdout: int | None = None) -> dict[str, Any]:
    pairs = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    result = evaluate(pairs, ks)
    if holdout is not None:
        from data.make_story_pairs import build  # bench/ is on sys.path as the script's folder

        other = evaluate(build(holdout), ks)
        result["holdout"] = {"seed": holdout, "pairs": other["pairs"], "methods": {}}
        for name, m in result["methods"].items():
            if m["best"] is None:
                continue
            t = m["best"]["threshold"]
            row = next(r for r in other["methods"][name]["rows"] if r["threshold"] == t)
            result["holdout"]["methods"][name] = row
    shipped = StoriesConfig().similarity
    name = "daemon (sketch 256 + index)"
    result["shipped"] = {"threshold": shipped, "sets": {}}
    sets = [("labelled set", result)]
    if holdout is not None:
        sets.append((f"fresh set (seed {holdout})", other))
    for label, res in sets:
        row = next(r for r in res["methods"][name]["rows"] if r["threshold"] == shipped)
        result["shipped"]["sets"][label] = row
    result["lsh"] = lsh_candidates(pairs, ks)
    arts = [(p["a"]["title"], p["a"]["body"]) for p in pairs]
    result["timing_us"] = {f"k{k}": time_signatures(arts, k) for k in ks}
    return result


LSH_THRESHOLDS = [0.15, 0.2, 0.25, 0.3]


def lsh_candidates(pairs: list[dict[str, Any]], ks: Sequence[int]) -> list[dict[str, Any]]:
    rows = []
    for k in ks:
        sig_a = [minhash(shingles(tokens(p["a"]["title"], p["a"]["body"]), k)) for p in pairs]
        sig_b = [minhash(shingles(tokens(p["b"]["title"], p["b"]["body"]), k)) for p in pairs]
        for t in LSH_THRESHOLDS:
            lsh = MinHashLSH(threshold=t, num_perm=NUM_PERM)
            keys: dict[str, str] = {}
            for p, m in zip(pairs, sig_a, strict=True):
                key = keys.setdefault(p["a"]["title"] + "\0" + p["a"]["body"], p["id"])
                if key == p["id"]:
                    lsh.insert(key, m)
            found = [
                keys[p["a"]["title"] + "\0" + p["a"]["body"]] in lsh.query(m)
                for p, m in zip(pairs, sig_b, strict=True)
            ]
            pos = [f for f, p in zip(found, pairs, strict=True) if p["same"]]
            neg = [f for f, p in zip(found, pairs, strict=True) if not p["same"]]
            rows.append(
                {
                    "k": k,
                    "lsh_threshold": t,
                    "bands_rows": [int(lsh.b), int(lsh.r)],
                    "same_found": sum(pos) / len(pos),
                    "different_found": sum(neg) / len(neg),
                }
            )
    return rows


def evaluate(pairs: list[dict[str, Any]], ks: Sequence[int]) -> dict[str, Any]:
    cache: dict[tuple[str, str], Sig] = {}

    def sig(art: dict[str, str]) -> Sig:
        key = (art["title"], art["body"])
        if key not in cache:
            cache[key] = signature(art["title"], art["body"], ks)
        return cache[key]

    labels = [bool(p["same"]) for p in pairs]
    kinds = [str(p["kind"]) for p in pairs]
    result: dict[str, Any] = {"pairs": len(pairs), "positives": sum(labels), "methods": {}}
    for name, fn in methods(ks).items():
        scores = [fn(sig(p["a"]), sig(p["b"])) for p in pairs]
        rows = [confusion(scores, labels, t) for t in THRESHOLDS]
        ok = [r for r in rows if r["precision"] >= TARGET_PRECISION]
        best = max(ok, key=lambda r: (r["recall"], -r["threshold"])) if ok else None
        per_kind: dict[str, float] = {}
        if best is not None:
            for kind in sorted(set(kinds)):
                idx = [i for i, k in enumerate(kinds) if k == kind]
                hit = sum(1 for i in idx if scores[i] >= best["threshold"])
                per_kind[kind] = hit / len(idx)
        ranges = {
            kind: (
                min(s for s, k in zip(scores, kinds, strict=True) if k == kind),
                max(s for s, k in zip(scores, kinds, strict=True) if k == kind),
            )
            for kind in sorted(set(kinds))
        }
        result["methods"][name] = {
            "rows": rows,
            "best": best,
            "called_same_by_kind": per_kind,
            "score_range_by_kind": ranges,
        }
    return result


def markdown(result: dict[str, Any], full: bool) -> str:
    out = [
        f"{result['pairs']} pairs, {result['positives']} same story. Best threshold per "
        f"method: precision >= {TARGET_PRECISION}, highest recall.",
        "",
        "| method | threshold | precision | recall | F1 | TP | FP | FN | TN | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, m in result["methods"].items():
        b = m["best"]
        if b is None:
            out.append(f"| {name} | - | no threshold reaches {TARGET_PRECISION} | | | | | | | no |")
            continue
        meets = "yes" if b["recall"] >= TARGET_RECALL else "no"
        out.append(
            f"| {name} | {b['threshold']:.2f} | {b['precision']:.3f} | {b['recall']:.3f} | "
            f"{b['f1']:.3f} | {b['tp']} | {b['fp']} | {b['fn']} | {b['tn']} | {meets} |"
        )
    kinds = sorted(next(iter(result["methods"].values()))["score_range_by_kind"])
    out += ["", "Share of each kind called the same story at the method's best threshold:", ""]
    out.append("| method | " + " | ".join(kinds) + " |")
    out.append("|---|" + "---:|" * len(kinds))
    for name, m in result["methods"].items():
        if m["best"] is None:
            continue
        cells = " | ".join(f"{m['called_same_by_kind'][k]:.2f}" for k in kinds)
        out.append(f"| {name} | {cells} |")
    out += ["", "Score range (min-max) of each kind:", ""]
    out.append("| method | " + " | ".join(kinds) + " |")
    out.append("|---|" + "---:|" * len(kinds))
    for name, m in result["methods"].items():
        rng = m["score_range_by_kind"]
        cells = " | ".join(f"{rng[k][0]:.2f}-{rng[k][1]:.2f}" for k in kinds)
        out.append(f"| {name} | {cells} |")
    if "holdout" in result:
        h = result["holdout"]
        out += [
            "",
            f"The same thresholds on {h['pairs']} fresh pairs (seed {h['seed']}):",
            "",
            "| method | threshold | precision | recall | F1 | TP | FP | FN | TN | meets targets |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for name, r in h["methods"].items():
            meets = r["precision"] >= TARGET_PRECISION and r["recall"] >= TARGET_RECALL
            out.append(
                f"| {name} | {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | "
                f"{r['f1']:.3f} | {r['tp']} | {r['fp']} | {r['fn']} | {r['tn']} | "
                f"{'yes' if meets else 'no'} |"
            )
    shipped = result["shipped"]
    out += [
        "",
        f"The daemon at the shipped threshold (`[stories] similarity = {shipped['threshold']}`):",
        "",
        "| pairs | precision | recall | F1 | TP | FP | FN | TN | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in shipped["sets"].items():
        meets = r["precision"] >= TARGET_PRECISION and r["recall"] >= TARGET_RECALL
        out.append(
            f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
            f"{r['tp']} | {r['fp']} | {r['fn']} | {r['tn']} | {'yes' if meets else 'no'} |"
        )
    out += [
        "",
        "LSH candidates (datasketch MinHashLSH, num_perm 128; `a` indexed, `b` queried):",
        "",
        "| shingles | LSH threshold | bands x rows | same-story pairs found | "
        "different-story pairs found |",
        "|---|---:|---|---:|---:|",
    ]
    for r in result["lsh"]:
        out.append(
            f"| k{r['k']} | {r['lsh_threshold']:.2f} | {r['bands_rows'][0]} x "
            f"{r['bands_rows'][1]} | {r['same_found']:.3f} | "
            f"{r['different_found']:.3f} |"
        )
    out += ["", "Signature cost, microseconds per article (one core, best of three):", ""]
    out += ["| shingles | words only | + MinHash 128 | + SimHash 64 |", "|---|---:|---:|---:|"]
    for k, t in result["timing_us"].items():
        out.append(f"| {k} | {t['shingles']:.0f} | {t['minhash']:.0f} | {t['simhash']:.0f} |")
    if full:
        for name, m in result["methods"].items():
            out += ["", f"#### {name}", ""]
            out += ["| threshold | precision | recall | F1 | TP | FP | FN | TN |"]
            out += ["|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for r in m["rows"][4::5]:
                out.append(
                    f"| {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | "
                    f"{r['f1']:.3f} | {r['tp']} | {r['fp']} | {r['fn']} | {r['tn']} |"
                )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--k", type=int, nargs="+", default=[3, 5], help="shingle sizes")
    parser.add_argument("--full", action="store_true", help="every threshold of every method")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument(
        "--holdout", type=int, metavar="SEED", help="also score the thresholds on fresh pairs"
    )
    args = parser.parse_args(argv)
    result = run(args.data, args.k, args.holdout)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(markdown(result, args.full))
    return 0


if __name__ == "__main__":
    sys.exit(main())
