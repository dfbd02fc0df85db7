"""The integration's modules import each other without a circle.

Type-only imports (under ``TYPE_CHECKING``) count too: a module that names
another's types depends on it. ``runtime.py`` (the entry's runtime data)
stands above everything it holds, so none of those modules imports it; they
take what they need as arguments instead.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "bambu_cloud"


def _imports(source: str, modules: set[str]) -> set[str]:
    """The integration's modules that ``source`` imports, at any depth of code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module is None:  # from . import control
            found.update(alias.name for alias in node.names)
        else:
            found.add(node.module.partition(".")[0])
    return found & modules


def _graph() -> dict[str, set[str]]:
    paths = {path.stem: path for path in INTEGRATION.glob("*.py")}
    modules = set(paths)
    return {
        name: _imports(path.read_text(encoding="utf-8"), modules)
        for name, path in paths.items()
    }


def _circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_import_circle() -> None:
    graph = _graph()
    assert {"runtime", "coordinator", "hub", "history"} <= graph.keys()
    assert "coordinator" in graph["runtime"]  # type-only imports are read
    assert _circles(graph) == []


def test_what_runtime_holds_never_imports_it() -> None:
    graph = _graph()
    held = graph["runtime"]
    assert {"history", "hub", "job", "notifications", "printers"} <= held
    assert sorted(name for name in held if "runtime" in graph[name]) == []


def test_the_check_finds_a_circle() -> None:
    """The scan sees a type-only import, and the search finds a loop through it."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import control\n"
        "from .aiobambulab.printer import Printer\n"
        "if TYPE_CHECKING:\n"
        "    from .runtime import BambuConfigEntry\n"
    )
    modules = {"control", "runtime", "coordinator"}
    assert _imports(source, modules) == {"control", "runtime"}
    graph = {
        "runtime": {"coordinator"},
        "coordinator": {"runtime", "const"},
        "const": set(),
        "entity": {"entity"},
    }
    assert _circles(graph) == [["coordinator", "runtime"], ["entity"]]
