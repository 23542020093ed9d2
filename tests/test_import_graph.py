"""The import graph has no cycle: not between modules of `monitor.matching`, nor between
the subpackages of `monitor`, counting imports made only for type checking.

A cycle hidden behind `if TYPE_CHECKING:` still ties modules together: neither can be read,
tested or moved without the other. Imports are read from the source with `ast`, so every
import counts, whether it runs at import time, inside a function or only for mypy.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import monitor

PACKAGE = Path(monitor.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[str]:
    """Every `monitor...` module `path` imports (for `from a import b`: `a.b` if that is a
    module, else `a`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
            yield node.module


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {t for t in _imports(path) if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph`, as a path that ends where it starts; None if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_module_cycle_in_matching() -> None:
    graph = _graph()
    inside = {
        name: {t for t in targets if t.startswith("monitor.matching.")}
        for name, targets in graph.items()
        if name.startswith("monitor.matching.")
    }
    assert _cycle(inside) is None


def _unit(name: str) -> str:
    """The part of `monitor` a module belongs to: its subpackage, or itself if top-level."""
    return ".".join(name.split(".")[:2])


def test_no_cycle_between_the_parts_of_monitor() -> None:
    """Subpackages (`monitor.rules`, `monitor.matching`, ...) and top-level modules."""
    units: dict[str, set[str]] = {}
    for name, targets in _graph().items():
        if name == "monitor":
            continue
        own = _unit(name)
        units.setdefault(own, set()).update(
            _unit(t) for t in targets if t != "monitor" and _unit(t) != own
        )
    assert _cycle(units) is None


def test_the_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
