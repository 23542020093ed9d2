"""The shipped config, rules and sample articles: what a newcomer sees with `make run`."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers.workspace import REPO


def test_sample_articles_against_the_shipped_rules() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "test", "--json", "seeds"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    matched = {}
    for line in result.stdout.splitlines():
        obj = json.loads(line)
        matched[obj["path"].split("/")[-1]] = {m["rule"] for m in obj["matches"]}
    assert {"nato-south-korea", "stoltenberg-asia"} <= matched["000_9738bd22683e892a.txt"]
    assert "nato-south-korea" in matched["001_korea_ammunition.json"]
    # North Korea is not South Korea; a senator is not NATO.
    assert matched["002_north_korea_missile.md"] == set()
    assert matched["003_senator_tennis.txt"] == set()
    assert "eu-energy" in matched["004_eu_energy.html"]
    assert matched["005_port_strike.eml"] == set()
