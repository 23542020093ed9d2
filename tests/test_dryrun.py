"""`monitor test`'s forked workers (`monitor.dryrun.render_all`), in process."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest

from monitor import dryrun
from monitor.engine import Engine, load_engine


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(dryrun, "workers", lambda: 2)  # forks even on a one-core machine
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text("id: r\nkeywords: {any: [storm]}\n", encoding="utf-8")
    loaded, problems = load_engine(rules, ["log"])
    assert problems == []
    return loaded


def _articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(count):
        # Names that are not valid UTF-8 become surrogate escapes in `str`: the workers'
        # bytes must carry them back exactly.
        name = os.fsdecode(b"a%04d-\xff.txt" % i) if i % 50 == 7 else f"a{i:04d}.txt"
        path = folder / name
        path.write_text(
            f"Storm {i}\n\nA storm hit.\n" if i % 2 else f"Calm {i}\n\nSun.\n", encoding="utf-8"
        )
        paths.append(path)
    paths[33].write_bytes(b"")  # unreadable: an error in the middle
    return paths


@pytest.mark.parametrize("as_json", [True, False])
def test_workers_give_exactly_the_sequential_output(
    engine: Engine, tmp_path: Path, as_json: bool
) -> None:
    paths = _articles(tmp_path / "in", dryrun.POOL_THRESHOLD + 3 * dryrun.CHUNK + 5)
    sequential = [dryrun.render(path, engine, as_json, False) for path in paths]
    forked = list(dryrun.render_all(paths, engine, as_json, False))
    assert len(forked) < len(paths)  # a Rendered per chunk: it did fork
    assert "".join(r.out for r in forked) == "".join(r.out for r in sequential)
    assert "".join(r.err for r in forked) == "".join(r.err for r in sequential)
    assert [r.failed for r in forked] == [
        any(r.failed for r in sequential[start : start + dryrun.CHUNK])
        for start in range(0, len(paths), dryrun.CHUNK)
    ]


def test_a_failing_worker_is_an_error_not_short_output(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _articles(tmp_path / "in", dryrun.POOL_THRESHOLD + 10)
    real_render = dryrun.render

    def buggy(path: Path, *args: object) -> dryrun.Rendered:
        if path == paths[150]:
            raise ZeroDivisionError("a bug in a reader")
        return real_render(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(dryrun, "render", buggy)
    with pytest.raises(RuntimeError, match="worker stopped before sending its results"):
        list(dryrun.render_all(paths, engine, True, False))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no worker left behind


def test_stopping_early_leaves_no_worker_behind(engine: Engine, tmp_path: Path) -> None:
    paths = _articles(tmp_path / "in", dryrun.POOL_THRESHOLD * 3)
    results = dryrun.render_all(paths, engine, True, False)
    assert isinstance(results, Generator)  # so it has close(), which `| head` amounts to
    first = next(results)
    assert first.out.count("\n") == dryrun.CHUNK
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
