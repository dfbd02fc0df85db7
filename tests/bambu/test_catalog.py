"""The printer catalog: model detection from get_version, cloud names and the table."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.catalog import (
    GENERIC,
    MODELS,
    AmsKind,
    CameraKind,
    ams_modules,
    detect_model,
    model_from_name,
    model_from_version,
    module_versions,
)
from tests.common import get_version


def _legacy(hw_ver: str, project: str, board: str = "esp32") -> dict[str, Any]:
    """A get_version answer of older firmware: no product_name."""
    return {
        "command": "get_version",
        "module": [
            {
                "name": "ota",
                "project_name": project,
                "sw_ver": "01.00.00.00",
                "hw_ver": "OTA",
            },
            {"name": board, "project_name": project, "sw_ver": "1", "hw_ver": hw_ver},
        ],
    }


@pytest.mark.parametrize(
    ("hw_ver", "project", "board", "expected"),
    [
        ("AP02", "", "rv1126", "X1E"),
        ("AP04", "C11", "esp32", "P1P"),
        ("AP04", "C12", "esp32", "P1S"),
        ("AP05", "N1", "esp32", "A1MINI"),
        ("AP05", "N2S", "esp32", "A1"),
        ("AP05", "", "rv1126", "X1C"),
    ],
)
def test_legacy_hardware_pairs(
    hw_ver: str, project: str, board: str, expected: str
) -> None:
    assert model_from_version(_legacy(hw_ver, project, board)) is MODELS[expected]


def test_project_name_alone_is_a_last_resort() -> None:
    info = {"module": [{"name": "ota", "project_name": "C12", "hw_ver": "OTA"}]}
    assert model_from_version(info) is MODELS["P1S"]


def test_product_name_wins_over_hardware() -> None:
    info = _legacy("AP04", "C11")
    info["module"].append({"name": "x", "product_name": "Bambu Lab H2D Pro"})
    assert model_from_version(info) is MODELS["H2DPRO"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("X1 Carbon", "X1C"),
        ("Bambu Lab X1-Carbon", "X1C"),
        ("BL-P001", "X1C"),
        ("A1 mini", "A1MINI"),
        ("Bambu Lab A1 mini", "A1MINI"),
        ("C11", "P1P"),
        ("p1s", "P1S"),
        ("H2D", "H2D"),
    ],
)
def test_cloud_names(name: str, expected: str) -> None:
    assert model_from_name(name) is MODELS[expected]


def test_unknown_model_is_generic_and_works() -> None:
    assert model_from_name("Z9 Ultra") is None
    assert model_from_name(None) is None
    assert model_from_version({"module": "x"}) is None
    assert detect_model({"module": []}, ["Z9 Ultra", None]) is GENERIC
    assert detect_model(None, [None, "A1"]) is MODELS["A1"]
    assert GENERIC.camera is CameraKind.NONE
    assert not GENERIC.has_chamber_heater


def test_table_limits_are_consistent() -> None:
    for model in MODELS.values():
        assert model.nozzle_max >= 280
        assert 80 <= model.bed_max <= 120
        assert model.nozzles in (1, 2)
        assert model.has_chamber_heater is (model.chamber_heater_max is not None)
        if model.has_chamber_heater:
            assert model.chamber_temperature
    assert MODELS["H2D"].files_url == "ftp:///"
    assert MODELS["P1S"].files_url == "file:///sdcard/"


def test_modules_and_ams_modules_from_fixture() -> None:
    info = get_version("x1c-multi-ams")["info"]
    modules = module_versions(info)
    assert modules["ota"].sw_ver == "01.09.00.01"
    units = ams_modules(info)
    assert {unit: kind for unit, (kind, _) in units.items()} == {
        0: AmsKind.AMS,
        1: AmsKind.AMS,
        2: AmsKind.AMS_2_PRO,
        128: AmsKind.AMS_HT,
    }
    assert units[128][1].product_name == "AMS HT (1)"
    lite = ams_modules(get_version("a1-ams-lite")["info"])
    assert lite[0][0] is AmsKind.AMS_LITE
    assert module_versions({"module": [{"sw_ver": "x"}, "junk"]}) == {}
