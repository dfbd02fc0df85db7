"""Helpers shared by the tests: the real printer captures."""

from __future__ import annotations

from functools import cache
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
PRINTERS_DIR = FIXTURES / "printers"
PRINTERS: list[str] = sorted(p.name for p in PRINTERS_DIR.iterdir() if p.is_dir())


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_json(printer: str, name: str) -> dict[str, Any]:
    """A fresh copy of a printer capture (pushall or get_version)."""
    return json.loads(_read(PRINTERS_DIR / printer / f"{name}.json"))


def pushall(printer: str) -> dict[str, Any]:
    """The full report message of a fixture printer."""
    return load_json(printer, "pushall")


def get_version(printer: str) -> dict[str, Any]:
    """The get_version answer of a fixture printer."""
    return load_json(printer, "get_version")
