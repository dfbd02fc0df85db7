"""Property tests: no report, however malformed, breaks PrinterState."""

from __future__ import annotations

import copy
from datetime import datetime
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.bambu_cloud.aiobambulab.ams import (
    AmsUnit,
    Tray,
    TrayRef,
    TrayStatus,
)
from custom_components.bambu_cloud.aiobambulab.device_views import SdCardState
from custom_components.bambu_cloud.aiobambulab.job_views import (
    STAGE_KEYS,
    HmsCode,
    JobState,
)
from custom_components.bambu_cloud.aiobambulab.motion_views import SpeedLevel
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from tests.common import PRINTERS, get_version, pushall

FIELDS = sorted({key for printer in PRINTERS for key in pushall(printer)["print"]})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["0", "255", "1e400", "nan", "-53dBm", "FFFFFFFF", "", "RUNNING"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["id", "tray", "ams", "info", "temp", "remain", "node", "mode", "x"]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)
reports = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)

# The fields the views read, with values near and beyond every boundary.
VIEW_FIELDS = [
    "nozzle_temper",
    "nozzle_target_temper",
    "bed_temper",
    "bed_target_temper",
    "chamber_temper",
    "mc_percent",
    "mc_remaining_time",
    "layer_num",
    "total_layer_num",
    "stg_cur",
    "print_error",
    "spd_lvl",
    "spd_mag",
    "home_flag",
    "fan_gear",
    "cooling_fan_speed",
    "big_fan1_speed",
    "big_fan2_speed",
    "heatbreak_fan_speed",
    "nozzle_diameter",
    "wifi_signal",
    "gcode_state",
    "subtask_name",
    "gcode_file",
    "nozzle_type",
    "task_id",
    "fun",
    "stat",
    "sdcard",
    "hms",
    "lights_report",
    "net",
    "ipcam",
    "upgrade_state",
    "device",
    "ams",
    "vt_tray",
    "vir_slot",
    "ams_status",
]
edgy_numbers = st.one_of(
    st.integers(min_value=-300, max_value=70_000),
    st.sampled_from(
        [-1, 0, 1, 15, 16, 100, 101, 255, 256, 2**31, 2**32, 2**64, -(2**40)]
    ),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300]),
)
edgy_values = st.one_of(
    edgy_numbers,
    edgy_numbers.map(str),
    json_values,
    st.sampled_from(["", "x", "1.5.2"]),
)
view_reports = st.dictionaries(
    st.sampled_from(VIEW_FIELDS), edgy_values, min_size=3, max_size=12
)


def _check_views(state: PrinterState) -> None:
    """Every view returns its declared type, within its physical range."""

    def number(value: Any, low: float, high: float) -> None:
        if value is None:
            return
        assert type(value) in (int, float)
        assert not isinstance(value, bool)
        assert math.isfinite(value)
        assert low <= value <= high

    for index in range(3):
        number(state.nozzle_temperature(index), -40, 500)
        number(state.nozzle_target_temperature(index), -40, 0xFFFF)
    number(state.bed_temperature, -40, 0xFFFF)
    number(state.bed_target_temperature, -40, 0xFFFF)
    number(state.chamber_temperature, -40, 0xFFFF)
    number(state.chamber_target_temperature, 0, 0xFFFF)
    number(state.progress, 0, 100)
    number(state.remaining_minutes, 0, 60 * 24 * 90)
    number(state.current_layer, 0, 1_000_000)
    number(state.total_layers, 1, 1_000_000)
    for fan in (state.part_fan, state.aux_fan, state.chamber_fan, state.heatbreak_fan):
        number(fan, 0, 100)
    number(state.wifi_signal, -120, 0)
    number(state.nozzle_diameter, 0.1, 2)
    number(state.speed_percent, 1, 1000)
    assert state.job_state is None or isinstance(state.job_state, JobState)
    assert state.speed_level is None or isinstance(state.speed_level, SpeedLevel)
    assert state.sdcard_state is None or isinstance(state.sdcard_state, SdCardState)
    assert state.stage is None or state.stage in STAGE_KEYS
    for text in (
        state.job_name,
        state.gcode_file,
        state.print_type,
        state.task_id,
        state.ip_address,
        state.nozzle_type,
        state.print_error_code,
        state.rtsp_url,
    ):
        assert text is None or (type(text) is str and text)
    for flag in (
        state.door_open,
        state.control_locked,
        state.timelapse_enabled,
        state.camera_recording,
        state.sdcard_present,
        state.wired_network,
        state.light_on(),
    ):
        assert flag is None or type(flag) is bool
    for moment in (state.job_start_time, state.job_end_time):
        assert moment is None or isinstance(moment, datetime)
    assert all(isinstance(code, HmsCode) and len(code.id) == 16 for code in state.hms)
    assert all(type(k) is str and type(v) is str for k, v in state.lights.items())
    active = state.active_tray
    assert active is None or isinstance(active, TrayRef)
    for unit in state.ams_units:
        assert isinstance(unit, AmsUnit)
        number(unit.humidity_index, 1, 5)
        number(unit.humidity, 0, 100)
        number(unit.temperature, -40, 150)
        for tray in unit.trays:
            _check_tray(tray, number)
    for spool in state.external_spools:
        _check_tray(spool, number)
    assert isinstance(state.firmware_updates, dict)
    state.ams_status  # noqa: B018


def _check_tray(tray: Tray, number: Any) -> None:
    assert isinstance(tray.status, TrayStatus)
    number(tray.remaining, 0, 100)
    number(tray.k, 0, 10)
    number(tray.nozzle_temp_min, 1, 500)
    assert tray.color is None or (len(tray.color) == 7 and tray.color[0] == "#")
    if tray.status is not TrayStatus.LOADED:
        assert tray.name is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msg=st.sampled_from([0, 1, "0", None]), fields=reports)
def test_random_reports_never_break_the_state(msg: Any, fields: dict[str, Any]) -> None:
    state = PrinterState("SERIAL")
    state.apply(pushall("x1c-multi-ams"))
    state.apply({"print": {"command": "push_status", "msg": msg, **fields}})
    _check_views(state)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(printer=st.sampled_from(PRINTERS), fields=view_reports)
def test_edge_values_in_view_fields(printer: str, fields: dict[str, Any]) -> None:
    state = PrinterState("SERIAL")
    state.apply(get_version(printer))
    state.apply(pushall(printer))
    state.apply({"print": {"command": "push_status", "msg": 1, **fields}})
    _check_views(state)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), printer=st.sampled_from(PRINTERS), full=st.booleans())
def test_mutated_real_reports_never_break_the_state(
    data: st.DataObject, printer: str, full: bool
) -> None:
    state = PrinterState("SERIAL")
    state.apply(get_version(printer))
    state.apply(pushall(printer))
    report = pushall(printer)
    if not full:
        report["print"]["msg"] = 1
    paths = _paths(report["print"])
    for _ in range(data.draw(st.integers(1, 5))):
        path = data.draw(st.sampled_from(paths))
        parent: Any = report["print"]
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced an ancestor
    state.apply(copy.deepcopy(report))
    _check_views(state)
    # The state is still usable: a good report afterwards reads correctly.
    state.apply(pushall(printer))
    assert state.progress == int(pushall(printer)["print"]["mc_percent"])
