"""The simulator keeps its own protocol logic: it checks the library, not itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import zipfile

import pytest

from custom_components.bambu_cloud.aiobambulab.catalog import detect_model
from simulator.threemf import make_3mf, plate_timing
from simulator.world import CAPTURE_MODELS, CAPTURES, capture_model

SIMULATOR = Path(__file__).resolve().parents[2] / "simulator"
LIBRARY = "custom_components.bambu_cloud.aiobambulab"
# What the simulator may take from the library: the catalog's data, no logic.
ALLOWED = {"MODELS", "PrinterModel", "CameraKind"}


def _library_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SIMULATOR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                LIBRARY
            ):
                found.setdefault(path.name, set()).update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(LIBRARY) for a in node.names), path
    return found


def test_simulator_takes_only_catalog_data_from_the_library() -> None:
    imports = _library_imports()
    assert imports, "the simulator still names its models from the catalog"
    borrowed = set().union(*imports.values())
    assert borrowed <= ALLOWED, borrowed - ALLOWED


def test_every_capture_has_its_model_and_the_library_agrees() -> None:
    captures = {path.name for path in CAPTURES.iterdir() if path.is_dir()}
    assert set(CAPTURE_MODELS) == captures
    for capture in captures:
        version = json.loads((CAPTURES / capture / "get_version.json").read_text())
        # Two independent answers: the simulator's record and the library's detection.
        assert capture_model(capture) is detect_model(version["info"]), capture


def test_an_unknown_capture_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no model recorded"):
        capture_model("x9-imaginary")


def test_plate_timing_reads_each_plates_gcode_header() -> None:
    data = make_3mf(
        name="Benchy",
        plates=2,
        layers=[120, 7],
        prediction_seconds=[3725, 90061],
        weight_grams=12.5,
        filaments=[("PLA", "#FFFFFF", 12.5)],
    )
    assert plate_timing(data, 1) == (120, 3725)
    assert plate_timing(data, 2) == (7, 90061)


def test_plate_timing_refuses_what_is_no_project(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no sliced plate 1"):
        plate_timing(b"not a zip", 1)
    data = make_3mf(
        name="Cube",
        layers=10,
        prediction_seconds=60,
        weight_grams=1.0,
        filaments=[("PLA", "#FFFFFF", 1.0)],
    )
    with pytest.raises(ValueError, match="no sliced plate 3"):
        plate_timing(data, 3)
    empty = tmp_path / "empty.3mf"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("3D/3dmodel.model", "<model/>")
    with pytest.raises(ValueError, match="no sliced plate"):
        plate_timing(empty.read_bytes(), 1)
