"""Views against reports built from Bambu Studio's parsers (tests/fixtures/protocol).

Each fixture names the Studio facts it is built from; each test checks the
library's views against the raw JSON and the values those facts give.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab import commands
from custom_components.bambu_cloud.aiobambulab.ams import (
    EXTERNAL_AMS_ID,
    RemainUnknown,
    TrayRef,
    TrayStatus,
    slot_label,
    tray_exists,
    tray_from_snow,
    tray_from_tray_now,
)
from custom_components.bambu_cloud.aiobambulab.catalog import GENERIC, MODELS, AmsKind
from custom_components.bambu_cloud.aiobambulab.errors import UnknownTarget
from custom_components.bambu_cloud.aiobambulab.nozzles import (
    NozzleFlow,
    NozzleMaterial,
    RackPosition,
    RackStatus,
    parse_nozzle_type,
)
from custom_components.bambu_cloud.aiobambulab.state import PrinterState

PROTOCOL = Path(__file__).parent.parent / "fixtures" / "protocol"


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a protocol fixture."""
    return json.loads((PROTOCOL / f"{name}.json").read_text(encoding="utf-8"))


def loaded(name: str) -> tuple[PrinterState, dict[str, Any]]:
    """The state after the fixture's get_version and report, and the fixture."""
    doc = fixture(name)
    serial = doc["get_version"]["info"]["module"][0]["sn"]
    state = PrinterState(serial)
    state.apply(doc["get_version"])
    state.apply(fixture(name)["report"])
    return state, doc


# --- 1. nozzle type codes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "material", "flow", "diameter"),
    [
        ("HS01", NozzleMaterial.HARDENED_STEEL, NozzleFlow.STANDARD, None),
        ("HH00", NozzleMaterial.STAINLESS_STEEL, NozzleFlow.HIGH_FLOW, None),
        ("HS05", NozzleMaterial.TUNGSTEN_CARBIDE, NozzleFlow.STANDARD, None),
        ("HS01-0.4", NozzleMaterial.HARDENED_STEEL, NozzleFlow.STANDARD, 0.4),
        ("HX01", NozzleMaterial.HARDENED_STEEL, NozzleFlow.STANDARD, None),
        ("HU01", NozzleMaterial.HARDENED_STEEL, NozzleFlow.TPU_HIGH_FLOW, None),
        ("HE00", NozzleMaterial.STAINLESS_STEEL, NozzleFlow.HIGH_FLOW, None),
        ("HB00", NozzleMaterial.STAINLESS_STEEL, NozzleFlow.E3D_HIGH_FLOW, None),
        ("HS09", None, NozzleFlow.STANDARD, None),
        ("hardened_steel", NozzleMaterial.HARDENED_STEEL, None, None),
        ("Stainless_Steel", NozzleMaterial.STAINLESS_STEEL, None, None),
        ("brass", NozzleMaterial.BRASS, None, None),
        ("N/A", None, None, None),
        ("", None, None, None),
        (5, None, None, None),
    ],
)
def test_nozzle_type_codes(
    value: object,
    material: NozzleMaterial | None,
    flow: NozzleFlow | None,
    diameter: float | None,
) -> None:
    decoded = parse_nozzle_type(value)
    assert (decoded.material, decoded.flow, decoded.diameter) == (
        material,
        flow,
        diameter,
    )


def test_top_level_code_with_diameter() -> None:
    state = PrinterState("S")
    state.apply(
        {"print": {"command": "push_status", "msg": 0, "nozzle_type": "HS05-0.6"}}
    )
    assert state.nozzle_type == "tungsten_carbide"  # not hardened steel
    assert state.nozzle_flow is NozzleFlow.STANDARD
    assert state.nozzle_diameter == 0.6


# --- 2. the device.nozzle block, 4. external spools -------------------------------


def test_nozzle_block_wins_over_top_level() -> None:
    state, doc = loaded("h2d-nozzles-external-spools")
    report = doc["report"]["print"]
    assert report["nozzle_type"] == "stainless_steel"  # what the top level says
    raw = {n["id"]: n for n in report["device"]["nozzle"]["info"]}
    expected = doc["expected"]["nozzles"]
    assert set(state.nozzles) == set(raw) == {0, 1}
    for index, nozzle in state.nozzles.items():
        decoded = parse_nozzle_type(raw[index]["type"])
        assert nozzle.material is decoded.material
        assert nozzle.flow is decoded.flow
        assert nozzle.diameter == raw[index]["diameter"]
        assert nozzle.wear == raw[index]["wear"]
        assert nozzle.material == expected[str(index)]["material"]
        assert nozzle.flow == expected[str(index)]["flow"]
        assert nozzle.diameter == expected[str(index)]["diameter"]
    assert state.nozzle_type == "hardened_steel"
    assert state.nozzle_diameter == 0.6
    assert state.model is MODELS["H2D"]
    assert state.nozzle_count == 2


def test_nozzle_swap_follows_the_block() -> None:
    state, _doc = loaded("h2d-nozzles-external-spools")
    state.apply(
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "device": {
                    "nozzle": {
                        "info": [
                            {"id": 0, "type": "HS00", "diameter": 0.2},
                            {"id": 1, "type": "HS05", "diameter": 0.4},
                        ]
                    }
                },
            }
        }
    )
    nozzle = state.nozzle(0)
    assert nozzle is not None
    assert nozzle.material is NozzleMaterial.STAINLESS_STEEL
    assert nozzle.flow is NozzleFlow.STANDARD
    assert nozzle.diameter == 0.2


def test_active_nozzle_and_external_spool_by_holder_id() -> None:
    state, doc = loaded("h2d-nozzles-external-spools")
    report = doc["report"]["print"]
    expected = doc["expected"]
    assert state.active_nozzle == report["device"]["extruder"]["state"] >> 4 & 0xF
    assert state.active_nozzle == expected["active_nozzle"]
    # vir_slot lists 254 first: the holder comes from the id, not the order.
    assert [raw["id"] for raw in report["vir_slot"]] == ["254", "255"]
    spools = {spool.slot: spool for spool in state.external_spools}
    for slot, want in expected["spools"].items():
        spool = spools[int(slot)]
        raw = next(r for r in report["vir_slot"] if 255 - int(r["id"]) == int(slot))
        assert spool.type == raw["tray_type"] == want["type"]
        assert spool.label == want["label"]
        assert spool.remaining is None
        assert spool.remaining_unknown is RemainUnknown.EXTERNAL_SPOOL
    active = state.active_tray
    assert active == TrayRef(EXTERNAL_AMS_ID, expected["active_tray"]["slot"])
    assert spools[active.slot].type == expected["active_tray"]["type"]
    assert slot_label(active.ams_id, active.slot) == expected["active_tray"]["label"]


def test_snow_names_the_holder() -> None:
    assert tray_from_snow(0xFF00) == TrayRef(EXTERNAL_AMS_ID, 0)
    assert tray_from_snow(0xFE00) == TrayRef(EXTERNAL_AMS_ID, 1)
    assert tray_from_snow(0xFEFF) is None


def test_switching_extruders_have_no_active_tray() -> None:
    state, _doc = loaded("h2d-nozzles-external-spools")
    state.apply(
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "device": {"extruder": {"state": 0xF2}},
            }
        }
    )
    assert state.active_nozzle is None
    assert state.active_tray is None


# --- 3. hotend rack --------------------------------------------------------------------


def test_hotend_rack() -> None:
    state, doc = loaded("h2c-hotend-rack")
    device = doc["report"]["print"]["device"]
    expected = doc["expected"]
    assert state.model is MODELS["H2C"]
    assert state.model.nozzles == 2
    assert state.model.hotend_rack
    raw_rack = {n["id"] & 0xF: n for n in device["nozzle"]["info"] if n["id"] >> 4 == 1}
    rack = state.hotend_rack
    assert rack is not None
    assert rack.status is RackStatus(device["holder"]["stat"])
    assert rack.status.name.lower() == expected["rack"]["status"]
    assert rack.position is RackPosition(device["holder"]["pos"])
    assert rack.position.name.lower() == expected["rack"]["position"]
    assert set(rack.hotends) == set(raw_rack) == {0, 2}
    for place, hotend in rack.hotends.items():
        want = expected["rack"]["hotends"][str(place)]
        assert hotend.on_rack
        assert hotend.material == want["material"]
        assert hotend.flow == want["flow"]
        assert hotend.diameter == raw_rack[place]["diameter"] == want["diameter"]
        assert hotend.reliable is want["reliable"]
    # Rack hotends are not extruder nozzles.
    assert set(state.nozzles) == {0, 1}
    mounted = state.nozzle(0)
    assert mounted is not None
    assert mounted.material == expected["nozzles"]["0"]["material"]
    assert mounted.diameter == expected["nozzles"]["0"]["diameter"]


def test_no_rack_without_a_holder() -> None:
    state, _doc = loaded("h2d-nozzles-external-spools")
    assert state.hotend_rack is None


# --- 5. the A2L's AMS Lite ---------------------------------------------------------------


def test_ams_lite_mixed_unit() -> None:
    state, doc = loaded("a2l-ams-lite-mixed")
    ams = doc["report"]["print"]["ams"]
    expected = doc["expected"]
    assert state.model is MODELS["A2L"]
    units = {unit.id: unit for unit in state.ams_units}
    assert set(units) == {int(u["id"]) for u in ams["ams"]} == {0, 16}
    for unit_id, want in expected["units"].items():
        unit = units[int(unit_id)]
        assert unit.kind == want["kind"]
        assert unit.number == want["number"]
    lite = units[16]
    assert lite.kind is AmsKind.AMS_LITE
    assert lite.humidity is None
    tray_bits = int(ams["tray_exist_bits"], 16)
    for tray in lite.trays:
        # Trays of this unit sit at tray index 24 + slot in tray_exist_bits.
        present = bool(tray_bits >> (24 + tray.slot) & 1)
        assert present is expected["present"]["16"][tray.slot]
        assert tray_exists(tray_bits, 16, tray.slot) is present
        assert (tray.status is TrayStatus.LOADED) is present
        assert tray.label == expected["labels"]["16"][tray.slot]
        assert tray.remaining == expected["remaining"]["16"][tray.slot]
    # Unit 0's trays keep their own bits and labels.
    assert [t.status is TrayStatus.LOADED for t in units[0].trays] == [
        True,
        False,
        False,
        False,
    ]
    assert units[0].trays[0].label == "A1"
    active = state.active_tray
    assert active == TrayRef(
        expected["active_tray"]["ams_id"], expected["active_tray"]["slot"]
    )
    assert int(ams["tray_now"]) == 24 + expected["active_tray"]["slot"]


def test_ams_lite_mixed_without_info_is_an_ams_lite() -> None:
    """Unit 16 is the A2L's AMS Lite even when its info field is missing."""
    doc = fixture("a2l-ams-lite-mixed")
    for unit in doc["report"]["print"]["ams"]["ams"]:
        unit.pop("info")
    state = PrinterState("26A8AB000000001")
    state.apply(doc["get_version"])
    state.apply(doc["report"])
    kinds = {unit.id: unit.kind for unit in state.ams_units}
    assert kinds == {0: AmsKind.AMS, 16: AmsKind.AMS_LITE}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (24, TrayRef(16, 0)),
        (27, TrayRef(16, 3)),
        (28, None),
        (23, None),
    ],
)
def test_tray_now_of_the_ams_lite_mixed(value: int, expected: TrayRef | None) -> None:
    assert tray_from_tray_now(value) == expected


def test_snow_of_the_ams_lite_mixed() -> None:
    assert tray_from_snow(0x1002) == TrayRef(16, 2)
    assert tray_from_snow(0x0502) is None


# --- 6. remaining filament ------------------------------------------------------------------


def test_remaining_unknown_while_the_estimate_is_off() -> None:
    state, doc = loaded("remaining-estimate-off")
    report = doc["report"]["print"]
    expected = doc["expected"]
    assert report["home_flag"] >> 7 & 1 == 0
    assert state.remaining_estimate is False
    trays = state.ams_units[0].trays
    assert [t.remaining for t in trays] == expected["remaining"]
    assert [t.remaining_unknown for t in trays] == expected["reasons"]
    # The raw values that would have shown: 0 %, 100 %, -1, 100 %.
    assert [t["remain"] for t in report["ams"]["ams"][0]["tray"]] == [0, 100, -1, 100]
    (spool,) = state.external_spools
    assert spool.remaining is None
    assert spool.remaining_unknown == expected["external_reason"]


def test_remaining_with_the_estimate_on() -> None:
    state, doc = loaded("remaining-estimate-off")
    flag = doc["report"]["print"]["home_flag"] | 0x80
    state.apply({"print": {"command": "push_status", "msg": 1, "home_flag": flag}})
    want = doc["expected"]["with_estimate_on"]
    trays = state.ams_units[0].trays
    assert state.remaining_estimate is True
    assert [t.remaining for t in trays] == want["remaining"]
    assert [t.remaining_unknown for t in trays] == want["reasons"]


def test_remaining_estimate_from_the_ams_flag_without_home_flag() -> None:
    state = PrinterState("S")
    state.apply(
        {
            "print": {
                "command": "push_status",
                "msg": 0,
                "ams": {"calibrate_remain_flag": True},
            }
        }
    )
    assert state.remaining_estimate is True


# --- 7. model detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    fixture("version-without-product-name")["cases"],
    ids=lambda case: case["expected"] + "-" + case["serial"][:3],
)
def test_model_without_product_name(case: dict[str, Any]) -> None:
    state = PrinterState(case["serial"])
    state.apply(case["get_version"])
    want = GENERIC if case["expected"] == "GENERIC" else MODELS[case["expected"]]
    assert state.model is want
    # Never a single-nozzle model of another family for an H2 or X2D.
    assert state.model not in (MODELS["X1C"], MODELS["P1P"]) or case["expected"] in (
        "X1C",
        "P1P",
    )


def test_generic_printer_hides_the_placeholder_chamber_temperature() -> None:
    doc = fixture("version-without-product-name")
    state = PrinterState("XXX8AB000000001")
    state.apply(doc["cases"][4]["get_version"])
    state.apply(doc["generic_chamber_report"])
    assert state.model is GENERIC
    assert doc["generic_chamber_report"]["print"]["chamber_temper"] == 5
    assert state.chamber_temperature is None
    # The ctc block is sent only by printers with a chamber sensor.
    state.apply(
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "device": {"ctc": {"info": {"temp": 31}}},
            }
        }
    )
    assert state.chamber_temperature == 31.0


# --- 5. commands for the A2L's AMS Lite ------------------------------------------------


def test_commands_address_the_ams_lite_mixed_unit() -> None:
    existing = {(16, 0), (16, 2), (0, 0)}
    load = commands.load_filament(16, 2, existing=existing)["print"]
    # Units from id 16 up are their own target (command_ams_change_filament).
    assert (load["target"], load["ams_id"], load["slot_id"]) == (16, 16, 2)
    plain = commands.load_filament(0, 0, existing=existing)["print"]
    assert (plain["target"], plain["ams_id"], plain["slot_id"]) == (0, 0, 0)
    unload = commands.unload_filament(ams_id=16)["print"]
    assert (unload["ams_id"], unload["target"]) == (16, 255)
    setting = commands.set_filament(
        16,
        2,
        tray_info_idx="GFA00",
        tray_type="PLA",
        color="#FFFFFF",
        nozzle_temp_min=190,
        nozzle_temp_max=230,
        existing=existing,
    )["print"]
    assert (setting["ams_id"], setting["tray_id"], setting["slot_id"]) == (16, 2, 2)
    with pytest.raises(UnknownTarget):
        commands.load_filament(16, 1, existing=existing)  # not reported
    with pytest.raises(UnknownTarget):
        commands.load_filament(17, 0)  # no such unit
    printing = commands.print_project_file(
        MODELS["A2L"], filename="a.3mf", ams_mapping=[26, -1]
    )["print"]
    assert printing["ams_mapping"] == [26, -1]
    assert printing["use_ams"] is True
