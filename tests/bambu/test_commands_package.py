"""The commands package: one module per kind of command, every builder in one place."""

from __future__ import annotations

import ast
from pathlib import Path
import pkgutil

from custom_components.bambu_cloud.aiobambulab import commands

# Helpers the builders share; callers build payloads with the builders.
SHARED = frozenset(
    {"message", "print_command", "finite_number", "in_range", "whole", "format_mm"}
)
SHARED_BY_MODULES = frozenset({"is_int", "IDENT", "AMS_UNITS", "TrayRef"})


def _public_names(module_name: str) -> set[str]:
    """What a module of the package defines at its top level (not imports)."""
    source = Path(commands.__path__[0]) / f"{module_name}.py"
    names: set[str] = set()
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.TypeAlias):
            names.add(node.name.id)
    return {name for name in names if not name.startswith("_")}


def test_every_builder_is_found_in_the_package() -> None:
    """A builder added to one of the modules is reachable as ``commands.<name>``."""
    modules = [info.name for info in pkgutil.iter_modules(commands.__path__)]
    assert len(modules) >= 8
    defined: set[str] = set()
    for name in modules:
        defined |= _public_names(name)
    defined -= SHARED | SHARED_BY_MODULES
    assert {"pause", "set_nozzle_temperature", "load_filament"} <= defined
    assert defined - set(commands.__all__) == set()
    assert all(hasattr(commands, name) for name in commands.__all__)


def test_the_package_hands_on_no_helper() -> None:
    """Shared checks stay inside the package."""
    assert not (SHARED | SHARED_BY_MODULES) & set(commands.__all__)
