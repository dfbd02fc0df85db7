"""PrinterState against the real captures: full reports, deltas, views."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.ams import EXTERNAL_AMS_ID, TrayStatus
from custom_components.bambu_cloud.aiobambulab.catalog import MODELS, AmsKind
from custom_components.bambu_cloud.aiobambulab.device_views import SdCardState
from custom_components.bambu_cloud.aiobambulab.hms import HmsModule, HmsSeverity, hms_id
from custom_components.bambu_cloud.aiobambulab.job_views import STAGE_KEYS, JobState
from custom_components.bambu_cloud.aiobambulab.markers import (
    CHANGED_ONLINE,
    CHANGED_VERSION,
)
from custom_components.bambu_cloud.aiobambulab.motion_views import SpeedLevel
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from tests.common import PRINTERS, get_version, pushall

EXPECTED_MODEL = {
    "a1-ams-lite": "A1",
    "h2d-laser": "H2D",
    "p1p-ams": "P1P",
    "p1p-no-ams": "P1P",
    "p2s": "P2S",
    "x1c-multi-ams": "X1C",
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def loaded(printer: str, clock: Clock | None = None) -> PrinterState:
    """A state that has seen get_version and the full report."""
    state = PrinterState("SERIAL", clock=clock or Clock())
    state.apply(get_version(printer))
    state.apply(pushall(printer))
    return state


def delta(**fields: Any) -> dict[str, Any]:
    """A P1-style delta report."""
    return {"print": {"command": "push_status", "msg": 1, "sequence_id": "7", **fields}}


def raw(printer: str) -> dict[str, Any]:
    return pushall(printer)["print"]


def test_every_printer_has_an_expected_model() -> None:
    assert set(PRINTERS) == set(EXPECTED_MODEL)


@pytest.mark.parametrize("printer", PRINTERS)
def test_model_detected_from_get_version(printer: str) -> None:
    state = loaded(printer)
    assert state.model is MODELS[EXPECTED_MODEL[printer]]
    info = get_version(printer)["info"]
    ota = next(m for m in info["module"] if m["name"] == "ota")
    assert state.firmware_version == ota["sw_ver"]
    assert set(state.modules) == {m["name"] for m in info["module"]}


@pytest.mark.parametrize("printer", PRINTERS)
def test_job_views_match_report(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    assert state.job_state == JobState(report["gcode_state"].lower())
    assert state.progress == int(report["mc_percent"])
    assert state.remaining_minutes == int(report["mc_remaining_time"])
    assert state.current_layer == int(report["layer_num"])
    total = int(report["total_layer_num"])
    assert state.total_layers == (total or None)
    assert state.job_name == (report["subtask_name"].strip() or None)
    assert state.speed_level == SpeedLevel(int(report["spd_lvl"]))
    assert state.speed_percent == int(report["spd_mag"])
    assert state.stage in STAGE_KEYS
    assert state.print_error == int(report["print_error"])
    assert state.print_error_code is None
    assert state.hms == []


@pytest.mark.parametrize("printer", PRINTERS)
def test_temperature_views_match_report(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    extruders = report.get("device", {}).get("extruder", {}).get("info", [])
    if len(extruders) > 1:
        for extruder in extruders:
            assert state.nozzle_temperature(extruder["id"]) == extruder["temp"] & 0xFFFF
            assert state.nozzle_target_temperature(extruder["id"]) == (
                extruder["temp"] >> 16
            )
        assert state.nozzle_count == len(extruders)
    else:
        assert state.nozzle_temperature() == float(report["nozzle_temper"])
        assert state.nozzle_target_temperature() == float(
            report["nozzle_target_temper"]
        )
        assert state.nozzle_count == 1
    assert state.bed_temperature == float(report["bed_temper"])
    assert state.bed_target_temperature == float(report["bed_target_temper"])
    if not state.model.chamber_temperature:
        # P1/A1 firmware reports a placeholder; the printer has no sensor.
        assert "chamber_temper" in report
        assert state.chamber_temperature is None
    elif "chamber_temper" in report:
        assert state.chamber_temperature == float(report["chamber_temper"])
    else:
        assert (
            state.chamber_temperature
            == report["device"]["ctc"]["info"]["temp"] & 0xFFFF
        )
    if state.model.has_chamber_heater:
        ctc = report["device"]["ctc"]["info"]["temp"]
        assert state.chamber_target_temperature == ctc >> 16
    else:
        assert state.chamber_target_temperature is None


@pytest.mark.parametrize("printer", PRINTERS)
def test_hardware_views_match_report(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    assert state.wifi_signal == int(report["wifi_signal"].removesuffix("dBm"))
    packed_ip = report["net"]["info"][0]["ip"]
    assert state.ip_address == str(
        ipaddress.IPv4Address(packed_ip.to_bytes(4, "little"))
    )
    assert state.wired_network is bool(report["net"]["conf"] & 1)
    # device.nozzle.info wins over the top-level fields (the H2D's top level
    # says stainless steel for its HS01 nozzles).
    block = report.get("device", {}).get("nozzle", {}).get("info")
    first = (
        next(n for n in block if n["id"] == 0)
        if block
        else {"type": report["nozzle_type"], "diameter": report["nozzle_diameter"]}
    )
    assert state.nozzle_diameter == float(first["diameter"])
    code = first["type"]
    materials = {"00": "stainless_steel", "01": "hardened_steel"}
    expected_type = materials[code[2:4]] if code[:1] == "H" else code
    assert state.nozzle_type == expected_type
    assert state.sdcard_present is report["sdcard"]
    assert state.sdcard_state is SdCardState.PRESENT
    assert state.lights == {i["node"]: i["mode"] for i in report["lights_report"]}
    assert state.light_on() is (
        {i["node"]: i["mode"] for i in report["lights_report"]}["chamber_light"]
        != "off"
    )
    assert state.timelapse_enabled is (report["ipcam"]["timelapse"] == "enable")
    assert state.camera_recording is (report["ipcam"]["ipcam_record"] == "enable")
    if "fun" in report:
        assert state.control_locked is bool(int(report["fun"], 16) & 1 << 29)
    else:
        assert state.control_locked is None
    if "stat" in report:
        assert state.door_open is bool(int(report["stat"], 16) & 1 << 23)
    elif state.model.key.startswith("X1"):
        assert state.door_open is not None
    else:
        assert state.door_open is None
    assert state.airduct_mode == report.get("device", {}).get("airduct", {}).get(
        "modeCur"
    )


@pytest.mark.parametrize("printer", PRINTERS)
def test_fan_views(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    gear = report.get("fan_gear", 0)
    for view, byte, legacy in (
        (state.part_fan, 0, "cooling_fan_speed"),
        (state.aux_fan, 1, "big_fan1_speed"),
        (state.chamber_fan, 2, "big_fan2_speed"),
    ):
        if gear:
            assert view == round((gear >> 8 * byte & 0xFF) / 255 * 100)
        else:
            assert view == int(int(report[legacy]) // 1.5) * 10
        assert view is not None
        assert 0 <= view <= 100
    assert state.heatbreak_fan == int(int(report["heatbreak_fan_speed"]) // 1.5) * 10


def _kind_from_info(info: str | None, unit_id: int, printer: str) -> AmsKind:
    if info is None:
        return AmsKind.AMS_LITE if printer.startswith("a1") else AmsKind.AMS
    return [AmsKind.AMS, AmsKind.AMS_LITE, AmsKind.AMS_2_PRO, AmsKind.AMS_HT][
        (int(info, 16) & 0xF) - 1
    ]


@pytest.mark.parametrize("printer", PRINTERS)
def test_ams_views_match_report(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    ams = report["ams"]
    exist = int(ams["ams_exist_bits"], 16)
    tray_bits = int(ams["tray_exist_bits"], 16)
    raw_units = [
        u
        for u in ams.get("ams", [])
        if exist >> (int(u["id"]) - 124 if int(u["id"]) >= 128 else int(u["id"])) & 1
    ]
    units = state.ams_units
    assert [u.id for u in units] == [int(u["id"]) for u in raw_units]
    for unit, raw_unit in zip(units, raw_units, strict=True):
        assert unit.kind is _kind_from_info(raw_unit.get("info"), unit.id, printer)
        assert unit.module is not None  # every fixture names its AMS modules
        if unit.kind is AmsKind.AMS_LITE:
            assert unit.humidity_index is None
            assert unit.temperature is None
        else:
            assert unit.humidity_index == 6 - int(raw_unit["humidity"])
            assert 1 <= unit.humidity_index <= 5
        if "humidity_raw" in raw_unit and unit.kind is not AmsKind.AMS_LITE:
            assert unit.humidity == float(raw_unit["humidity_raw"])
        if unit.kind in (AmsKind.AMS_2_PRO, AmsKind.AMS_HT):
            assert unit.drying is bool(int(raw_unit["info"], 16) >> 4 & 0xF)
            assert unit.drying_remaining == raw_unit["dry_time"]
        else:
            assert unit.drying is None
        for tray, raw_tray in zip(unit.trays, raw_unit["tray"], strict=True):
            slot = int(raw_tray["id"])
            bit = 16 + unit.id - 128 if unit.id >= 128 else unit.id * 4 + slot
            present = bool(tray_bits >> bit & 1)
            if not present or not raw_tray.get("tray_type"):
                assert tray.status is not TrayStatus.LOADED
                assert tray.name is None
                assert tray.color is None
                continue
            assert tray.status is TrayStatus.LOADED
            assert tray.type == raw_tray["tray_type"]
            assert tray.color == "#" + raw_tray["tray_color"][:6].upper()
            # Studio shows remain only with the estimate on (home_flag bit 7)
            # and for a tagged spool.
            remain = raw_tray["remain"]
            tagged = raw_tray["tag_uid"].strip("0") != ""
            shown = report["home_flag"] >> 7 & 1 and tagged and 0 <= remain <= 100
            assert tray.remaining == (remain if shown else None)
            assert (tray.remaining_unknown is None) is bool(shown)
            assert tray.nozzle_temp_max == int(raw_tray["nozzle_temp_max"])
            assert tray.name in (
                raw_tray["tray_sub_brands"] or None,
                tray.profile_name,
                raw_tray["tray_type"],
            )
            assert tray.name
            has_tag = raw_tray["tag_uid"].strip("0") != ""
            assert (tray.tag_uid is not None) is has_tag


@pytest.mark.parametrize("printer", PRINTERS)
def test_external_spools(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    # The holder is named by its id: 255 is slot 0, 254 slot 1 (vt_tray: 255).
    expected = {
        255 - int(raw_spool["id"]): raw_spool
        for raw_spool in report.get("vir_slot", [])
    } or {0: report["vt_tray"]}
    spools = state.external_spools
    assert [spool.slot for spool in spools] == sorted(expected)
    for spool in spools:
        raw_spool = expected[spool.slot]
        assert spool.ams_id == EXTERNAL_AMS_ID
        assert spool.is_external
        assert (spool.status is TrayStatus.LOADED) is bool(raw_spool["tray_type"])
        assert spool.remaining is None  # printers never estimate external spools


@pytest.mark.parametrize("printer", PRINTERS)
def test_active_tray(printer: str) -> None:
    state, report = loaded(printer), raw(printer)
    active = state.active_tray
    extruders = report.get("device", {}).get("extruder", {}).get("info", [])
    if len(extruders) > 1:
        current = report["device"]["extruder"]["state"] >> 4 & 0xF
        assert state.active_nozzle == current
        snow = next(e for e in extruders if e["id"] == current)["snow"]
        assert active is not None
        if snow >> 8 in (254, 255):
            assert active == (EXTERNAL_AMS_ID, 255 - (snow >> 8))
        else:
            assert (active.ams_id, active.slot) == (snow >> 8, snow & 0xFF)
        return
    tray_now = int(report["ams"]["tray_now"])
    if tray_now == 255:
        assert active is None
    elif tray_now == 254:
        assert active is not None
        assert active.is_external
    else:
        assert active is not None
        assert (active.ams_id, active.slot) == (tray_now >> 2, tray_now & 3)


# --- deltas ----------------------------------------------------------------


@pytest.mark.parametrize("printer", PRINTERS)
def test_temperature_delta_reports_exactly_that_key(printer: str) -> None:
    state = loaded(printer)
    before = copy.deepcopy(state.report)
    new_bed = float(raw(printer)["bed_temper"]) + 12.5
    changed = state.apply(delta(bed_temper=new_bed))
    assert changed == {"bed_temper"}
    assert state.bed_temperature == new_bed
    before["bed_temper"] = new_bed
    assert state.report == before


@pytest.mark.parametrize("printer", [p for p in PRINTERS if raw(p)["ams"].get("ams")])
def test_tray_delta_inside_one_unit(printer: str) -> None:
    state = loaded(printer)
    unit = state.ams_units[-1]
    tray = next(t for t in unit.trays if t.status is TrayStatus.LOADED)
    others = {(u.id, t.slot): t for u in state.ams_units for t in u.trays}
    new_remaining = 3 if tray.remaining != 3 else 4
    changed = state.apply(
        delta(
            ams={
                "ams": [
                    {
                        "id": str(unit.id),
                        "tray": [{"id": str(tray.slot), "remain": new_remaining}],
                    }
                ]
            }
        )
    )
    base = f"ams/ams/{unit.id}/tray/{tray.slot}"
    assert changed == {
        "ams",
        "ams/ams",
        f"ams/ams/{unit.id}",
        f"ams/ams/{unit.id}/tray",
        base,
        f"{base}/remain",
    }
    after = {(u.id, t.slot): t for u in state.ams_units for t in u.trays}
    updated = after.pop((unit.id, tray.slot))
    # Where the printer does not estimate it (estimate off, untagged spool),
    # the new value means nothing either.
    tracked = tray.remaining_unknown is None
    assert updated.remaining == (new_remaining if tracked else None)
    assert updated.type == tray.type  # fields absent from the delta are kept
    assert updated.color == tray.color
    del others[(unit.id, tray.slot)]
    assert after == others


@pytest.mark.parametrize("printer", PRINTERS)
def test_job_state_delta(printer: str) -> None:
    clock = Clock()
    state = loaded(printer, clock)
    current = state.job_state
    new_state = "PAUSE" if current is JobState.RUNNING else "RUNNING"
    changed = state.apply(delta(gcode_state=new_state))
    assert changed == {"gcode_state"}  # job times are the life cycle's
    assert state.job_state == JobState(new_state.lower())


def test_same_delta_twice_changes_nothing() -> None:
    state = loaded("p1p-ams")
    assert state.apply(delta(mc_percent=42)) == {"mc_percent"}
    assert state.apply(delta(mc_percent=42)) == set()


@pytest.mark.parametrize("printer", PRINTERS)
def test_repeated_full_report_changes_nothing(printer: str) -> None:
    state = loaded(printer)
    assert state.apply(pushall(printer)) == set()
    assert state.report == {
        k: v
        for k, v in raw(printer).items()
        if k not in ("command", "msg", "sequence_id")
    }


def test_full_report_removes_detached_ams_unit() -> None:
    state = loaded("x1c-multi-ams")
    report = pushall("x1c-multi-ams")
    units = report["print"]["ams"]["ams"]
    removed = units.pop(1)
    changed = state.apply(report)
    assert f"ams/ams/{removed['id']}" in changed
    assert "ams" in changed
    assert int(removed["id"]) not in [u.id for u in state.ams_units]


def test_full_report_reorders_like_the_printer() -> None:
    state = loaded("x1c-multi-ams")
    report = pushall("x1c-multi-ams")
    report["print"]["ams"]["ams"].reverse()
    state.apply(report)
    assert state.report["ams"]["ams"] == report["print"]["ams"]["ams"]


def test_new_ams_unit_in_delta_appears() -> None:
    state = loaded("p1p-ams")
    unit = copy.deepcopy(raw("p1p-ams")["ams"]["ams"][0])
    unit["id"] = "1"
    changed = state.apply(delta(ams={"ams": [unit], "ams_exist_bits": "3"}))
    assert {"ams/ams/1", "ams/ams_exist_bits"} <= changed
    assert [u.id for u in state.ams_units] == [0, 1]


def test_only_msg_zero_is_a_full_report() -> None:
    state = loaded("x1c-multi-ams")
    partial = {"print": {"command": "push_status", "mc_percent": 5}}
    for msg in (False, None, 1, "1"):
        partial["print"]["msg"] = msg
        state.apply(copy.deepcopy(partial))
        assert state.ams_units  # merged, not replaced
    partial["print"]["msg"] = "0"
    state.apply(copy.deepcopy(partial))
    assert state.ams_units == []  # a full report without AMS has none


def test_volatile_fields_are_not_state() -> None:
    state = loaded("p1p-ams")
    assert state.apply(delta()) == set()
    assert "sequence_id" not in state.report


def test_malformed_fields_are_dropped_and_old_values_kept() -> None:
    state = loaded("x1c-multi-ams")
    units_before = state.ams_units
    changed = state.apply(
        delta(ams="garbage", mc_percent="abc", gcode_state=5, hms="nope", bed_temper=33)
    )
    assert changed == {"bed_temper"}
    assert state.ams_units == units_before
    assert state.progress == 100
    assert state.job_state is JobState.FINISH
    assert state.bed_temperature == 33


def test_numbers_as_strings_are_accepted() -> None:
    state = loaded("p1p-ams")
    state.apply(delta(mc_percent="57", layer_num="12", nozzle_temper="215.5"))
    assert state.progress == 57
    assert state.current_layer == 12
    assert state.nozzle_temperature() == 215.5


def test_out_of_range_values_read_as_unknown() -> None:
    state = loaded("p1p-ams")
    state.apply(
        delta(mc_percent=250, nozzle_temper=1e9, wifi_signal="+20dBm", spd_lvl=9)
    )
    assert state.progress is None
    assert state.nozzle_temperature() is None
    assert state.wifi_signal is None
    assert state.speed_level is None


def test_messages_that_are_not_reports_are_ignored() -> None:
    state = loaded("p1p-ams")
    report = copy.deepcopy(state.report)
    for message in (
        [],
        "text",
        {},
        {"print": "x"},
        {"print": {"command": "pause", "result": "success", "sequence_id": "3"}},
        {"system": {"command": "ledctrl", "result": "success"}},
        {"info": {"command": "get_version", "module": "broken"}},
    ):
        assert state.apply(message) == set()  # type: ignore[arg-type]
    assert state.report == report


# --- version, online, job times, HMS -----------------------------------------


def test_version_changes_reported_once() -> None:
    state = PrinterState("SERIAL", cloud_names=("P1S",))
    assert state.model is MODELS["P1S"]
    assert state.apply(get_version("p1p-ams")) == {CHANGED_VERSION}
    assert state.model is MODELS["P1P"]
    assert state.apply(get_version("p1p-ams")) == set()


def test_fixed_model_is_kept() -> None:
    state = PrinterState("SERIAL", MODELS["X1E"])
    state.apply(get_version("p1p-ams"))
    assert state.model is MODELS["X1E"]


def test_online_events() -> None:
    state = PrinterState("SERIAL")
    assert state.online is None
    assert state.apply({"event": {"event": "client.connected"}}) == {CHANGED_ONLINE}
    assert state.online is True
    assert state.apply({"event": {"event": "client.connected"}}) == set()
    assert state.apply({"event": {"event": "client.disconnected"}}) == {CHANGED_ONLINE}
    assert state.online is False
    assert state.apply({"event": {"event": 3}}) == set()


def test_hms_and_print_error() -> None:
    state = loaded("p1p-ams")
    attr, code = 0x0C00_0300, 0x0002_0001
    changed = state.apply(
        delta(hms=[{"attr": attr, "code": code}], print_error=50364437)
    )
    assert changed == {"hms", "print_error"}
    [entry] = state.hms
    assert entry.id == hms_id(attr, code)
    assert entry.formatted == "0C00_0300_0002_0001"
    assert entry.severity is HmsSeverity.SERIOUS
    assert entry.module is HmsModule.CAMERA
    assert state.print_error_code == f"{50364437:08X}"
    state.apply(delta(hms=[], print_error=0))
    assert state.hms == []
    assert state.print_error_code is None


def test_firmware_update_offered() -> None:
    state = loaded("p1p-ams")
    changed = state.apply(
        delta(
            upgrade_state={
                "new_ver_list": [
                    {"name": "ota", "cur_ver": "01.07.00.00", "new_ver": "01.08.00.00"},
                    {
                        "name": "ams/0",
                        "cur_ver": "00.00.06.49",
                        "new_ver": "00.00.06.49",
                    },
                ]
            }
        )
    )
    assert "upgrade_state/new_ver_list" in changed
    assert set(state.firmware_updates) == {"ota"}
    assert state.available_firmware == "01.08.00.00"


def test_firmware_update_from_new_firmware_field() -> None:
    state = loaded("h2d-laser")
    state.apply(delta(upgrade_state={"ota_new_version_number": "01.02.00.00"}))
    assert state.available_firmware == "01.02.00.00"
    assert state.firmware_updates["ota"].current == state.firmware_version


def test_stage_between_jobs_is_idle() -> None:
    state = loaded("a1-ams-lite")
    assert state.stage_id == 0
    assert state.stage == "idle"
    state.apply(delta(gcode_state="RUNNING", stg_cur=2))
    assert state.stage == "heatbed_preheating"


def test_light_and_nozzle_type_codes() -> None:
    state = loaded("p2s")
    assert state.nozzle_type == "hardened_steel"  # "HS01"
    state.apply(delta(lights_report=[{"node": "chamber_light", "mode": "off"}]))
    assert state.light_on() is False
    assert state.light_on("work_light") is True  # flashing counts as on
    assert state.light_on("nonexistent") is None


def test_report_without_msg_is_full_when_complete() -> None:
    """H2D firmware answers pushall without "msg": large reports are full."""
    state = PrinterState("SN")
    report = pushall("h2d-laser")
    assert "msg" not in report["print"]
    state.apply(report)
    assert state.has_full_report
    state.apply({"print": {"command": "push_status", "gcode_state": "RUNNING"}})
    assert state.job_state is JobState.RUNNING
    assert state.bed_temperature is not None  # a small one is merged, not replaced


def test_default_clock_is_read_per_report(monkeypatch: pytest.MonkeyPatch) -> None:
    state = PrinterState("SERIAL")
    state.apply(get_version("a1-ams-lite"))
    state.apply(pushall("a1-ams-lite"))
    monkeypatch.setattr("time.time", lambda: 1_900_000_000.0)
    state.apply(delta(gcode_state="RUNNING", mc_remaining_time=5))
    assert state.last_report_at == 1_900_000_000.0
