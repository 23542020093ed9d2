"""What the benchmark scripts share: the repository's paths, a config, and the real daemon."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_9738bd22683e892a.txt"

CONFIG = """\
[inbox]
path = "inbox"
[rules]
path = "{rules}"
[state]
path = "state"
[channels.log]
type = "file"
path = "alerts.jsonl"
"""


def start_daemon(root: Path, rules: Path, extra: str = "") -> subprocess.Popen[bytes]:
    """Write `root/config.toml` (file channel, plus `extra` TOML) and start `monitor run`
    there, once watching.

    With BENCH_PROFILE=FILE in the environment the daemon runs under cProfile.
    """
    (root / "config.toml").write_text(CONFIG.format(rules=rules) + extra, encoding="utf-8")
    log_path = root / "daemon.log"
    prof = (
        ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
        if os.environ.get("BENCH_PROFILE")
        else []
    )
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                *prof,
                "-m",
                "monitor.cli",
                "run",
                "--config",
                str(root / "config.toml"),
            ],
            cwd=root,
            stdout=log,
            stderr=log,
        )
    deadline = time.monotonic() + 60
    while "watching" not in log_path.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("daemon did not start:\n" + log_path.read_text())
        time.sleep(0.05)
    return proc


def distinct_story(seed: str, i: int) -> str:
    """The seed's title and first paragraph (what the rules match), then its other words in
    an order of their own for every `i`: a different story each, of the seed's size and
    vocabulary. Copies of the seed with a number changed are near-duplicates, one story that
    alerts once (issue 13), which would time only the first."""
    title, _, body = seed.partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    first, rest = paragraphs[0], " ".join(paragraphs[1:]).split()
    rng = random.Random(i)
    rng.shuffle(rest)
    return f"{title}\n\n{first}\n\n{' '.join(rest)}\n"
