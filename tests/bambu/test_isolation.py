"""The bambu library stands alone: no Home Assistant import anywhere in it."""

from __future__ import annotations

import ast
from pathlib import Path
import shutil
import subprocess
import sys

LIBRARY = (
    Path(__file__).parents[2] / "custom_components" / "bambu_cloud" / "aiobambulab"
)


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    # A module of a subpackage (commands/) may go up to the library, no further.
    depth = len(path.relative_to(LIBRARY).parts)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level > depth:
                names.add("..")  # reaches out of the library
            elif node.level == 0 and node.module:
                names.add(node.module)
    return names


def test_no_module_imports_homeassistant() -> None:
    """No source file imports homeassistant or the integration around it."""
    sources = sorted(LIBRARY.rglob("*.py"))
    assert len(sources) >= 5
    for source in sources:
        imported = _imported_modules(source)
        offenders = {
            name
            for name in imported
            if name == ".."
            or name.split(".")[0] in ("homeassistant", "custom_components")
        }
        assert not offenders, f"{source.name} imports {offenders}"


def test_library_imports_standalone(tmp_path: Path) -> None:
    """Imported as a top-level package, nothing pulls Home Assistant in.

    A copy of the library runs alone: from the integration's folder, its
    platform modules (calendar.py, ...) would hide the standard library's.
    """
    code = (
        "import sys, importlib, pkgutil\n"
        "import aiobambulab\n"
        "for m in pkgutil.iter_modules(aiobambulab.__path__):\n"
        "    importlib.import_module('aiobambulab.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('homeassistant', 'custom_components'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    shutil.copytree(LIBRARY, tmp_path / "aiobambulab")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
