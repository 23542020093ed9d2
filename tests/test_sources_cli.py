"""`monitor sources [--json]`: every source, before and after it ran, escaped, no secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from monitor.state import SourceState, open_store

CONFIG = """\
[state]
path = "state"

[sources.wire]
type = "feed"
url = "https://user:pw@example.org/rss.xml?token=SECRETTOKEN"

[sources.api]
type = "http"
listen = "127.0.0.1:8089"
"""


def _sources(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", "sources", *args, "--config", "config.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_before_the_daemon_ever_ran(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    out = _sources(tmp_path, "--json")
    assert out.returncode == 0, out.stderr
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    assert rows["inbox"]["type"] == "folder"
    assert rows["wire"]["last_poll"] is None and rows["wire"]["entries_seen"] == 0
    assert rows["wire"]["url"] == "https://example.org/rss.xml?…"
    assert rows["api"] == {**rows["api"], "type": "http", "listen": "127.0.0.1:8089"}
    assert not (tmp_path / "state").exists()  # a listing creates nothing
    text = _sources(tmp_path)
    assert text.returncode == 0 and "wire (feed)" in text.stdout and "never" in text.stdout
    assert "SECRETTOKEN" not in out.stdout + text.stdout and "pw@" not in text.stdout


def test_state_is_shown_and_hostile_text_escaped(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    store = open_store(tmp_path / "state")
    store.save_source_states(
        [
            SourceState(
                "wire",
                polls=7,
                errors=2,
                last_poll="2026-12-01T10:00:00Z",
                last_status=503,
                last_error="example.org answered HTTP 503\x1b[31m\n",
                next_poll="2026-12-01T10:05:00Z",
            )
        ]
    )
    store.remember_items("wire", [("g1", "f1"), ("g2", "f2")])
    store.close()
    rows = {row["name"]: row for row in json.loads(_sources(tmp_path, "--json").stdout)}
    assert (rows["wire"]["errors"], rows["wire"]["last_status"]) == (2, 503)
    assert rows["wire"]["entries_seen"] == 2 and rows["wire"]["polls"] == 7
    assert rows["wire"]["node"] is None  # SQLite: one daemon, no leases
    text = _sources(tmp_path).stdout
    assert "2 failed polls in a row" in text and "HTTP 503" in text
    assert "\x1b" not in text and "\\x1b" in text


def test_shown_urls_keep_no_secret() -> None:
    from monitor.sources.fetch import shown_url

    assert shown_url("https://u:pw@ex.org:8443/world/rss.xml?k=v#top") == (
        "https://ex.org:8443/world/rss.xml?…"
    )
    assert (
        shown_url("https://ex.org/feeds/3f9a1c07b2e44d5a9c11/rss") == "https://ex.org/feeds/…/rss"
    )
    assert (
        shown_url("https://ex.org/f/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/rss") == "https://ex.org/f/…/rss"
    )
    slug = "https://ex.org/2026/11/30/nato-urges-south-korea-2026"
    assert shown_url(slug) == slug
    assert shown_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
