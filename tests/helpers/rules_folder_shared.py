"""What tests/test_rules_folder.py and tests/e2e/test_rules_folder_daemon.py share: the
autouse `_own_cache` fixture and the `deep` fixture (both imported into the two modules, where
pytest finds them), saving a rule file as editors do, and odd entries in a rules folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEPTH = 1100


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled rule sets are cached under the test's folder, never the user's."""
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))


def _save(path: Path, text: str) -> None:
    """Save a rule file as editors do: a temporary name, then a rename into place."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.rename(tmp, path)


Deep = Callable[..., Path]


@pytest.fixture
def deep() -> Iterator[Deep]:
    """`deep(root, name="d")` nests DEPTH folders `name` in `root`, returns the bottom one;
    they are removed after the test."""
    made: list[Path] = []

    def make(root: Path, name: str = "d") -> Path:
        chain = root
        for _ in range(DEPTH):
            chain = chain / name
            chain.mkdir()  # one level at a time: os.makedirs recurses per level
            made.append(chain)
        return chain

    yield make
    for folder in reversed(made):  # bottom up: shutil.rmtree (pytest's cleanup) recurses
        for entry in folder.iterdir() if folder.exists() else ():
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
        folder.rmdir()


def _odd(rules: Path, kind: str, name: str = "l1.yaml") -> None:
    if kind == "looping links":
        (rules / "l2.yaml").symlink_to("l1.yaml")
        (rules / "l1.yaml").symlink_to("l2.yaml")
    elif kind == "a link through a file":
        (rules / "l1.yaml").symlink_to("/etc/passwd/x.yaml")
    elif kind == "a link too long":
        (rules / "l1.yaml").symlink_to("a" * 300 + ".yaml")
    elif kind == "a dangling link":
        (rules / "l1.yaml").symlink_to("gone.yaml")
    elif kind == "a FIFO":
        os.mkfifo(rules / name)
