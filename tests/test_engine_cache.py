"""The compiled-rules cache: a hit equals a fresh load; any change to the rules is a miss."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import engine as engine_module
from monitor import engine_cache
from monitor.articles.model import Article


def test_cache_hit_miss_and_distrust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(cache))
    monkeypatch.setattr(engine_cache, "MIN_SECONDS", 0.0)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text("id: r\nentities: [NATO]\n", encoding="utf-8")
    fresh, problems = engine_module.load_engine(rules, ["log"])
    engine_cache.wait_for_cache_writes()  # written behind, by a forked child
    assert problems == [] and len(list(cache.glob("engine-*.pickle"))) == 1

    loads: list[Path] = []
    real_load = engine_module._load

    def counting(
        rules_dir: Path, channels: list[str], base: Path | None, weights: object
    ) -> object:
        loads.append(rules_dir)
        return real_load(rules_dir, channels, base, weights)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "_load", counting)
    cached, _ = engine_module.load_engine(rules, ["log"])
    assert loads == []  # served from the cache
    article = Article.create("/a", "Nato summit", "Allies met.")
    assert [m.rule for m in cached.matcher.match(article)] == ["r"]
    assert [m.rule for m in fresh.matcher.match(article)] == ["r"]

    (rules / "r.yaml").write_text("id: r\nentities: [EU]\n", encoding="utf-8")
    changed, _ = engine_module.load_engine(rules, ["log"])
    assert loads == [rules]  # an edited rule file is a miss
    assert changed.matcher.match(article) == []

    cache.chmod(0o777)  # a folder others can write to is never trusted
    engine_module.load_engine(rules, ["log"])
    assert len(loads) == 2


def test_counts_that_doubled_compile_the_anchors_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds the order of magnitude of the articles counted, not the counts."""
    from monitor.matching.weights import Observed

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text("id: r\nkeywords:\n  all: [a, b]\n", encoding="utf-8")
    key = engine_cache.cache_key
    assert key(rules, [], None, 0) != key(rules, [], None, Observed(2000).articles.bit_length())
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(engine_cache, "MIN_SECONDS", 0.0)
    loads: list[int] = []
    real_load = engine_module._load

    def counting(
        rules_dir: Path, channels: list[str], base: Path | None, weights: object
    ) -> object:
        loads.append(1)
        return real_load(rules_dir, channels, base, weights)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "_load", counting)
    for articles in (2000, 1500, 4100, 0, 1023, 5000):
        engine_module.load_engine(rules, [], observed=Observed(articles, {" a ": articles}))
        engine_cache.wait_for_cache_writes()
    # 2000 (11 bits), 4100 (13 bits), 0 (under 1,024: no epoch); 1500, 1023 and 5000 hit
    assert len(loads) == 3


def test_a_file_rewritten_during_the_load_is_cached_under_the_bytes_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that holds other bytes while it is parsed, and its old ones again by the end
    (an editor's save, a deploy writing twice), must not leave the half-way engine under
    the old bytes' key: a restart would then run it, missing rules for good."""
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(engine_cache, "MIN_SECONDS", 0.0)
    rules = tmp_path / "rules"
    rules.mkdir()
    rule_file = rules / "r.yaml"
    full = "rules:\n  - id: a\n    entities: [NATO]\n  - id: b\n    entities: [EU]\n"
    rule_file.write_text(full, encoding="utf-8")
    real_load = engine_module._load

    def rewritten_meanwhile(
        rules_dir: Path, channels: list[str], base: Path | None, weights: object
    ) -> object:
        rule_file.write_text("rules:\n  - id: a\n    entities: [NATO]\n", encoding="utf-8")
        try:
            return real_load(rules_dir, channels, base, weights)  # type: ignore[arg-type]
        finally:
            rule_file.write_text(full, encoding="utf-8")

    monkeypatch.setattr(engine_module, "_load", rewritten_meanwhile)
    half, _ = engine_module.load_engine(rules, ["log"])
    engine_cache.wait_for_cache_writes()
    assert sorted(half.rules) == ["a"]  # what was on disk while it was read
    monkeypatch.setattr(engine_module, "_load", real_load)
    again, _ = engine_module.load_engine(rules, ["log"])
    assert sorted(again.rules) == ["a", "b"]
    engine_cache.wait_for_cache_writes()
    cached, _ = engine_module.load_engine(rules, ["log"])  # now from the cache
    assert sorted(cached.rules) == ["a", "b"]


class _SlowToPickle:
    """Pickling it takes 3 s: the cache writer is still running when the parent is gone."""

    def __reduce__(self) -> tuple[type, tuple[()]]:
        import time

        time.sleep(3)
        return (_SlowToPickle, ())


def test_the_cache_writer_does_not_keep_the_parents_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A daemon killed with -9 during a cold start could not be restarted while its forked
    cache writer lived: the child held a copy of the state lock (found by a review)."""
    import fcntl
    import time

    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    lock = (tmp_path / "lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    engine_cache.write_behind("k", _SlowToPickle())
    lock.close()  # the parent's descriptor goes, as when it is killed
    with (tmp_path / "lock").open() as probe:
        deadline = time.monotonic() + 1.5
        while True:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.monotonic() < deadline, "the cache writer still holds the lock"
                time.sleep(0.05)
    engine_cache.wait_for_cache_writes()


def test_temporary_files_of_writers_killed_mid_write_are_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed mid-write left its `.engine-*.tmp` (as large as an engine) behind,
    and nothing ever deleted it."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(cache))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    now = time.time()

    def temporary(name: str, idle: float) -> Path:
        path = cache / name
        path.write_bytes(b"half a pickle")
        os.utime(path, (now - idle, now - idle))
        return path

    old_format = temporary(".engine-k2j4x.tmp", 2 * 3600)  # no pid, untouched for 2 hours
    orphan = temporary(f".engine-{gone.pid}-abc.tmp", 120)  # its writer is gone
    fresh_orphan = temporary(f".engine-{gone.pid}-def.tmp", 5)  # maybe another pid namespace
    writing = temporary(f".engine-{os.getpid()}-ghi.tmp", 120)  # its writer is alive
    stuck = temporary(f".engine-{os.getpid()}-jkl.tmp", 2 * 3600)
    unrelated = temporary("notes.tmp", 2 * 3600)

    engine_cache._write("k1", {"engine": 1})
    assert (cache / "engine-k1.pickle").exists()
    assert not old_format.exists() and not orphan.exists() and not stuck.exists()
    assert fresh_orphan.exists() and writing.exists() and unrelated.exists()
