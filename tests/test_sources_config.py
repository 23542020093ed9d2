"""`[sources.NAME]` in config.toml: feed and ingest keys, names, listeners, FILE:LINE errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import FeedSourceConfig, HttpSourceConfig, load_config
from monitor.errors import ConfigError


def _load(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path, env=env or {})
    except ConfigError as exc:
        return exc.problems
    return []


def test_a_feed_with_defaults_and_durations(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[sources.world]\ntype = "feed"\nurl = "https://example.org/rss.xml"\n'
        '[sources.fast]\ntype = "feed"\nurl = "http://127.0.0.1:1/x"\ninterval = "10s"\n'
        "timeout = 5\nbackfill = true\nfull_text = true\nallow_private = true\n",
        encoding="utf-8",
    )
    config = load_config(path, env={})
    world, fast = config.sources["world"], config.sources["fast"]
    assert isinstance(world, FeedSourceConfig) and isinstance(fast, FeedSourceConfig)
    assert (world.interval, world.timeout, world.max_size_mb) == (300.0, 30.0, 10.0)
    assert not (world.backfill or world.full_text or world.allow_private)
    assert (fast.interval, fast.timeout, fast.backfill, fast.full_text) == (10.0, 5.0, True, True)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('url = "ftp://example.org/feed"', "must be an http:// or https:// address"),
        ('url = "https://example.org/"\ninterval = "0s"', "too short"),
        ('url = "https://example.org/"\ninterval = "soon"', "not a duration"),
        ('url = "https://example.org/"\ntimeout = "1h"', "at most 10m"),
        ('url = "https://example.org/"\npoll = true', "unknown key `sources.w.poll`"),
        ("", "missing key `sources.w.url`"),
    ],
)
def test_feed_mistakes_name_the_line_and_the_fix(tmp_path: Path, body: str, needle: str) -> None:
    problems = _load(tmp_path, f'\n[sources.w]\ntype = "feed"\n{body}\n')
    assert problems and any(needle in p for p in problems), problems
    assert all(p.startswith(f"{tmp_path / 'config.toml'}:") for p in problems)


def test_unknown_source_type(tmp_path: Path) -> None:
    problems = _load(tmp_path, '[sources.x]\ntype = "smoke"\n')
    assert "source `type` must be one of feed, http" in problems[0]


def test_ingest_needs_a_token_off_loopback(tmp_path: Path) -> None:
    problems = _load(tmp_path, '[sources.api]\ntype = "http"\nlisten = "0.0.0.0:8089"\n')
    assert "reachable from other machines" in problems[0]
    assert _load(tmp_path, '[sources.api]\ntype = "http"\nlisten = "127.0.0.1:8089"\n') == []
    short = _load(tmp_path, '[sources.api]\ntype = "http"\ntoken = "abc"\n')
    assert "at least 16 characters" in short[0] and "abc" not in short[0]


def test_ingest_token_from_the_environment_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[sources.api]\ntype = "http"\nlisten = "0.0.0.0:8089"\ntoken = "${TOK}"\n',
        encoding="utf-8",
    )
    config = load_config(path, env={"TOK": "t0ken-t0ken-t0ken-t0ken"})
    api = config.sources["api"]
    assert isinstance(api, HttpSourceConfig) and api.token is not None
    assert "t0ken" not in repr(config)


def test_names_and_listeners(tmp_path: Path) -> None:
    inbox = _load(tmp_path, '[sources.inbox]\ntype = "feed"\nurl = "https://e.org/"\n')
    assert 'not "inbox"' in inbox[0]
    clash = _load(
        tmp_path,
        '[metrics]\nlisten = "127.0.0.1:9464"\n'
        '[sources.api]\ntype = "http"\nlisten = "127.0.0.1:9464"\n',
    )
    assert "already used by [metrics] listen" in clash[0]
    two = _load(
        tmp_path,
        '[sources.a]\ntype = "http"\nlisten = "127.0.0.1:8000"\n'
        '[sources.b]\ntype = "http"\nlisten = "127.0.0.1:8000"\n',
    )
    assert "already used by [sources.a] listen" in two[0]
