"""A committed data file is exactly what its generator script writes (bench/data/make_*.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def assert_written_by(script: Path, data: Path, tmp_path: Path) -> None:
    """Run `script`'s `main(["--out", FILE])` and compare FILE with the committed `data`:
    a hand edit of the data, or a script changed without regenerating, fails here."""
    spec = importlib.util.spec_from_file_location(script.stem, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / data.name
    assert module.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == data.read_text(encoding="utf-8")
