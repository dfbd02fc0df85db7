"""The command payload builders: structure, values and validation."""

from __future__ import annotations

from collections.abc import Callable
import json
import math
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.bambu_cloud.aiobambulab import commands as cmd
from custom_components.bambu_cloud.aiobambulab.catalog import GENERIC, MODELS, AmsKind
from custom_components.bambu_cloud.aiobambulab.commands import Axis, Fan, LightNode
from custom_components.bambu_cloud.aiobambulab.errors import (
    InvalidCommand,
    NotSupported,
    UnknownTarget,
    ValueOutOfRange,
)
from custom_components.bambu_cloud.aiobambulab.motion_views import SpeedLevel

ALL_MODELS = [*MODELS.values(), GENERIC]
MODEL_IDS = [model.key for model in ALL_MODELS]
H2D = MODELS["H2D"]
X1C = MODELS["X1C"]

NAN = math.nan
INF = math.inf


def body(payload: dict[str, Any], module: str = "print") -> dict[str, Any]:
    """The one module object of a payload, after checking its shape."""
    assert list(payload) == [module]
    inner: dict[str, Any] = payload[module]
    assert isinstance(inner["sequence_id"], str)
    assert inner["sequence_id"].isdigit()
    json.dumps(payload)  # every payload must be publishable as JSON
    return inner


def gcode(payload: dict[str, Any]) -> list[str]:
    """The G-code lines of a gcode_line payload."""
    inner = body(payload)
    assert inner["command"] == "gcode_line"
    text: str = inner["param"]
    assert text.endswith("\n")
    return text[:-1].split("\n")


def words(line: str) -> dict[str, str]:
    """A G-code line as {letter: value}, with the command under ""."""
    command, *params = line.split()
    return {"": command} | {p[0]: p[1:] for p in params}


def single(payload: dict[str, Any]) -> dict[str, str]:
    (line,) = gcode(payload)
    return words(line)


# --- job control and sequence ids ------------------------------------------------


def test_pushall_and_get_version() -> None:
    assert body(cmd.pushall(), "pushing")["command"] == "pushall"
    assert body(cmd.get_version(), "info")["command"] == "get_version"


@pytest.mark.parametrize(
    ("builder", "name"),
    [(cmd.pause, "pause"), (cmd.resume, "resume"), (cmd.stop, "stop")],
)
def test_job_control(builder: Callable[[], dict[str, Any]], name: str) -> None:
    inner = body(builder())
    assert inner["command"] == name
    assert inner["param"] == ""


def test_sequence_ids_are_unique() -> None:
    builders: list[Callable[[], dict[str, Any]]] = [
        cmd.pushall,
        cmd.pause,
        cmd.home,
        lambda: cmd.set_light(True),
        lambda: cmd.set_camera_recording(False),
    ]
    ids = []
    for i in range(5000):
        payload = builders[i % len(builders)]()
        module, _ = cmd.command_name(payload)
        ids.append(payload[module]["sequence_id"])
    assert len(set(ids)) == len(ids)
    assert len({cmd.next_sequence_id() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("level", [1, 2, 3, 4, *SpeedLevel, 3.0])
def test_print_speed(level: int) -> None:
    inner = body(cmd.print_speed(level))
    assert inner["command"] == "print_speed"
    assert inner["param"] == str(int(level))


@pytest.mark.parametrize(
    ("level", "error"),
    [
        (0, ValueOutOfRange),
        (5, ValueOutOfRange),
        (-1, ValueOutOfRange),
        (2.5, InvalidCommand),
        (True, InvalidCommand),
        ("2", InvalidCommand),
        (NAN, InvalidCommand),
    ],
)
def test_print_speed_rejects(level: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        cmd.print_speed(level)


# --- G-code -------------------------------------------------------------------


def test_gcode_line_adds_newline() -> None:
    assert body(cmd.gcode_line("G28"))["param"] == "G28\n"
    assert body(cmd.gcode_line("M400\n"))["param"] == "M400\n"
    assert body(cmd.gcode_line("G91\nG1 Z5"))["param"] == "G91\nG1 Z5\n"


@pytest.mark.parametrize("bad", ["", "   ", "\n", None, 28])
def test_gcode_line_rejects_empty(bad: Any) -> None:
    with pytest.raises(InvalidCommand):
        cmd.gcode_line(bad)


def test_gcode_line_length_limit() -> None:
    limit = cmd.MAX_GCODE_BYTES
    assert body(cmd.gcode_line("M" * (limit - 1)))["param"].endswith("\n")
    assert body(cmd.gcode_line("M" * limit))
    with pytest.raises(InvalidCommand):
        cmd.gcode_line("M" * (limit + 1))
    with pytest.raises(InvalidCommand):
        cmd.gcode_line("é" * (limit // 2 + 1))  # counted in bytes, not characters


# --- temperatures ---------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=MODEL_IDS)
def test_nozzle_temperature(model: Any) -> None:
    for target in (0, 1, 200, 220.0, model.nozzle_max - 1, model.nozzle_max):
        payload = cmd.set_nozzle_temperature(model, target)
        if model.nozzles > 1:
            assert body(payload, "print") == {
                "command": "set_nozzle_temp",
                "sequence_id": body(payload, "print")["sequence_id"],
                "extruder_index": 0,
                "target_temp": int(target),
            }
            continue
        fields = single(payload)
        assert fields[""] == "M104"
        assert fields["S"] == str(int(target))
        assert "T" not in fields
    bad: tuple[tuple[Any, type[Exception]], ...] = (
        (model.nozzle_max + 1, ValueOutOfRange),
        (-1, ValueOutOfRange),
        (NAN, InvalidCommand),
        (INF, InvalidCommand),
        (-INF, InvalidCommand),
        (220.5, InvalidCommand),
        (True, InvalidCommand),
        ("220", InvalidCommand),
    )
    for target, error in bad:
        with pytest.raises(error):
            cmd.set_nozzle_temperature(model, target)


def test_out_of_range_error_details() -> None:
    with pytest.raises(ValueOutOfRange) as caught:
        cmd.set_nozzle_temperature(X1C, 301)
    assert (caught.value.low, caught.value.high) == (0, X1C.nozzle_max)
    assert caught.value.placeholders["max"] == str(X1C.nozzle_max)
    with pytest.raises(ValueOutOfRange) as caught:
        cmd.set_nozzle_temperature(X1C, 10**400)
    assert caught.value.value == 10**400  # kept exact, too large for a float
    assert caught.value.placeholders["value"] == str(10**400)
    with pytest.raises(ValueOutOfRange) as caught:
        cmd.set_fan_speed(Fan.AUX, -(10**400))
    assert caught.value.placeholders["value"] == str(-(10**400))


def test_dual_nozzle() -> None:
    right = body(cmd.set_nozzle_temperature(H2D, 250, nozzle=1), "print")
    assert (right["extruder_index"], right["target_temp"]) == (1, 250)
    left = body(cmd.set_nozzle_temperature(H2D, 230, nozzle=0), "print")
    assert (left["extruder_index"], left["target_temp"]) == (0, 230)
    nozzles: tuple[Any, ...] = (2, -1, True, 1.0)
    for nozzle in nozzles:
        with pytest.raises(UnknownTarget):
            cmd.set_nozzle_temperature(H2D, 250, nozzle=nozzle)
    with pytest.raises(UnknownTarget):
        cmd.set_nozzle_temperature(X1C, 250, nozzle=1)


def test_nozzle_is_checked_before_temperature() -> None:
    with pytest.raises(UnknownTarget):
        cmd.set_nozzle_temperature(H2D, 9999, nozzle=5)


@pytest.mark.parametrize("model", ALL_MODELS, ids=MODEL_IDS)
def test_bed_temperature(model: Any) -> None:
    for target in (0, 60, 60.0, model.bed_max):
        fields = single(cmd.set_bed_temperature(model, target))
        assert fields == {"": "M140", "S": str(int(target))}
    for target, error in (
        (model.bed_max + 1, ValueOutOfRange),
        (-1, ValueOutOfRange),
        (NAN, InvalidCommand),
        (INF, InvalidCommand),
    ):
        with pytest.raises(error):
            cmd.set_bed_temperature(model, target)


@pytest.mark.parametrize("model", ALL_MODELS, ids=MODEL_IDS)
def test_chamber_temperature(model: Any) -> None:
    if model.chamber_heater_max is None:
        with pytest.raises(NotSupported) as caught:
            cmd.set_chamber_temperature(model, 40)
        assert caught.value.model == model.name
        return
    for target in (0, 35, model.chamber_heater_max):
        fields = single(cmd.set_chamber_temperature(model, target))
        assert fields == {"": "M141", "S": str(target)}
    for target, error in (
        (model.chamber_heater_max + 1, ValueOutOfRange),
        (-1, ValueOutOfRange),
        (NAN, InvalidCommand),
    ):
        with pytest.raises(error):
            cmd.set_chamber_temperature(model, target)


def test_chamber_by_model() -> None:
    for key in ("P1S", "X1C", "A1", "P2S"):
        with pytest.raises(NotSupported):
            cmd.set_chamber_temperature(MODELS[key], 30)
    assert single(cmd.set_chamber_temperature(H2D, 65))["S"] == "65"
    assert single(cmd.set_chamber_temperature(MODELS["X1E"], 60))["S"] == "60"
    with pytest.raises(ValueOutOfRange):
        cmd.set_chamber_temperature(MODELS["X1E"], 61)


NUMBERS = st.one_of(
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -0.0, 0.5, 1e-300, 2**53 + 1, 1e308]),
)


@given(
    st.sampled_from(ALL_MODELS), NUMBERS, st.sampled_from(["nozzle", "bed", "chamber"])
)
def test_temperature_property(model: Any, value: float, heater: str) -> None:
    builders: dict[str, tuple[Callable[..., dict[str, Any]], int | None]] = {
        "nozzle": (cmd.set_nozzle_temperature, model.nozzle_max),
        "bed": (cmd.set_bed_temperature, model.bed_max),
        "chamber": (cmd.set_chamber_temperature, model.chamber_heater_max),
    }
    builder, high = builders[heater]
    try:
        payload = builder(model, value)
    except InvalidCommand:  # ValueOutOfRange and NotSupported are subclasses
        return
    inner = body(payload)
    target = (
        inner["target_temp"]
        if inner["command"] == "set_nozzle_temp"
        else int(single(payload)["S"])
    )
    assert high is not None
    assert 0 <= target <= high
    assert target == value


# --- fans ---------------------------------------------------------------------------


@pytest.mark.parametrize("fan", [*Fan, 1, 2, 3])
def test_fan_endpoints(fan: int) -> None:
    assert single(cmd.set_fan_speed(fan, 0)) == {
        "": "M106",
        "P": str(int(fan)),
        "S": "0",
    }
    assert single(cmd.set_fan_speed(fan, 100))["S"] == "255"
    assert single(cmd.set_fan_speed(fan, 50))["S"] in ("127", "128")


def test_fan_mapping_is_monotonic() -> None:
    values = [cmd.fan_value(percent) for percent in range(101)]
    assert values == sorted(values)
    assert values[0] == 0
    assert values[-1] == 255
    assert all(0 <= v <= 255 for v in values)
    assert cmd.fan_value(33.3) == round(33.3 * 2.55)


@pytest.mark.parametrize(
    ("fan", "percent", "error"),
    [
        (0, 50, UnknownTarget),
        (4, 50, UnknownTarget),
        (True, 50, UnknownTarget),
        ("1", 50, UnknownTarget),
        (Fan.AUX, 101, ValueOutOfRange),
        (Fan.AUX, -1, ValueOutOfRange),
        (Fan.AUX, NAN, InvalidCommand),
        (Fan.AUX, INF, InvalidCommand),
        (Fan.AUX, "50", InvalidCommand),
    ],
)
def test_fan_rejects(fan: Any, percent: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        cmd.set_fan_speed(fan, percent)


@given(st.sampled_from(list(Fan)), NUMBERS)
def test_fan_property(fan: Fan, value: float) -> None:
    try:
        payload = cmd.set_fan_speed(fan, value)
    except InvalidCommand:
        return
    fields = single(payload)
    assert fields["P"] == str(fan.value)
    assert 0 <= int(fields["S"]) <= 255
    assert 0 <= value <= 100


# --- light ----------------------------------------------------------------------------


@pytest.mark.parametrize("node", [*LightNode, "chamber_light", "work_light"])
@pytest.mark.parametrize("on", [True, False])
def test_light(node: str, on: bool) -> None:
    inner = body(cmd.set_light(on, node), "system")
    assert inner == {
        "command": "ledctrl",
        "sequence_id": inner["sequence_id"],
        "led_node": str(node),
        "led_mode": "on" if on else "off",
        "led_on_time": 500,
        "led_off_time": 500,
        "loop_times": 0,
        "interval_time": 0,
    }


def test_light_default_node_and_unknown() -> None:
    assert body(cmd.set_light(True), "system")["led_node"] == "chamber_light"
    with pytest.raises(UnknownTarget):
        cmd.set_light(True, "logo_light")


# --- project file ------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=MODEL_IDS)
def test_project_file_url_per_model(model: Any) -> None:
    inner = body(cmd.print_project_file(model, filename="cube.3mf"))
    assert inner["url"] == model.files_url + "cube.3mf"


def test_project_file_urls() -> None:
    assert body(cmd.print_project_file(H2D, filename="x.3mf"))["url"] == "ftp:///x.3mf"
    url = body(cmd.print_project_file(X1C, filename="x.3mf"))["url"]
    assert url == "file:///sdcard/x.3mf"


def test_project_file_defaults() -> None:
    inner = body(cmd.print_project_file(X1C, filename="Benchy.gcode.3mf"))
    assert inner == {
        "command": "project_file",
        "sequence_id": inner["sequence_id"],
        "param": "Metadata/plate_1.gcode",
        "url": "file:///sdcard/Benchy.gcode.3mf",
        "subtask_name": "Benchy",
        "bed_type": "auto",
        "timelapse": False,
        "bed_leveling": True,
        "flow_cali": False,
        "vibration_cali": False,
        "layer_inspect": False,
        "use_ams": False,
        "profile_id": "0",
        "project_id": "0",
        "subtask_id": "0",
        "task_id": "0",
    }


def test_project_file_options() -> None:
    inner = body(
        cmd.print_project_file(
            H2D,
            filename="jobs/Part A.3MF",
            plate=3,
            ams_mapping=[0, -1, 5, 128, 254, 255, 135, 15],
            timelapse=True,
            bed_leveling=False,
            flow_cali=True,
            vibration_cali=True,
            layer_inspect=True,
            bed_type="textured_plate",
            subtask_name="My part",
        )
    )
    assert inner["param"] == "Metadata/plate_3.gcode"
    assert inner["url"] == "ftp:///jobs/Part A.3MF"
    assert inner["ams_mapping"] == [0, -1, 5, 128, 254, 255, 135, 15]
    assert inner["use_ams"] is True
    assert inner["subtask_name"] == "My part"
    assert inner["bed_type"] == "textured_plate"
    assert inner["timelapse"] is inner["flow_cali"] is inner["vibration_cali"] is True
    assert inner["layer_inspect"] is True
    assert inner["bed_leveling"] is False


@pytest.mark.parametrize(
    ("mapping", "use_ams"),
    [([254], False), ([-1, 255], False), ([3], True), ([129], True), ([], False)],
)
def test_project_file_use_ams_default(mapping: list[int], use_ams: bool) -> None:
    inner = body(cmd.print_project_file(X1C, filename="a.3mf", ams_mapping=mapping))
    assert inner["use_ams"] is use_ams
    forced = cmd.print_project_file(
        X1C, filename="a.3mf", ams_mapping=mapping, use_ams=not use_ams
    )
    assert body(forced)["use_ams"] is (not use_ams)


def test_project_file_subtask_name_edge() -> None:
    inner = body(cmd.print_project_file(X1C, filename=".gcode.3mf"))
    assert inner["subtask_name"] == ".gcode"


@pytest.mark.parametrize(
    "filename",
    [
        "../x.3mf",
        "a/../x.3mf",
        "..",
        "/x.3mf",
        "/sdcard/x.3mf",
        "./x.3mf",
        "a//x.3mf",
        "a\\..\\x.3mf",
        "x\n.3mf",
        "x\x00.3mf",
        "x.gcode",
        "x.3mf.txt",
        ".3mf",
        "dir/.3mf",
        "",
        None,
    ],
)
def test_project_file_rejects_paths(filename: Any) -> None:
    with pytest.raises(InvalidCommand):
        cmd.print_project_file(X1C, filename=filename)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"plate": 0}, ValueOutOfRange),
        ({"plate": -1}, ValueOutOfRange),
        ({"plate": cmd.MAX_PLATE + 1}, ValueOutOfRange),
        ({"plate": 1.5}, InvalidCommand),
        ({"ams_mapping": [16]}, UnknownTarget),
        ({"ams_mapping": [127]}, UnknownTarget),
        ({"ams_mapping": [136]}, UnknownTarget),
        ({"ams_mapping": [253]}, UnknownTarget),
        ({"ams_mapping": [-2]}, UnknownTarget),
        ({"ams_mapping": [True]}, UnknownTarget),
        ({"ams_mapping": ["0"]}, UnknownTarget),
        ({"bed_type": ""}, InvalidCommand),
        ({"bed_type": "Hot Plate"}, InvalidCommand),
        ({"subtask_name": "  "}, InvalidCommand),
    ],
)
def test_project_file_rejects_options(kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        cmd.print_project_file(X1C, filename="a.3mf", **kwargs)


# --- skip objects -------------------------------------------------------------------


def test_skip_objects() -> None:
    inner = body(cmd.skip_objects([3, 0, 12]))
    assert inner["command"] == "skip_objects"
    assert inner["obj_list"] == [3, 0, 12]
    assert body(cmd.skip_objects(i for i in (7,)))["obj_list"] == [7]


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        ([], InvalidCommand),
        ([-1], UnknownTarget),
        ([1, "2"], InvalidCommand),
        ([True], InvalidCommand),
    ],
)
def test_skip_objects_rejects(ids: list[Any], error: type) -> None:
    with pytest.raises(error):
        cmd.skip_objects(ids)


# --- AMS --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ams_id", "tray_id", "target", "slot"),
    [
        (0, 0, 0, 0),
        (0, 3, 3, 3),
        (1, 2, 6, 2),
        (3, 3, 15, 3),
        (128, 0, 128, 0),
        (135, 0, 135, 0),
        (255, 254, 254, 0),
    ],
)
def test_load_filament(ams_id: int, tray_id: int, target: int, slot: int) -> None:
    inner = body(cmd.load_filament(ams_id, tray_id))
    assert inner == {
        "command": "ams_change_filament",
        "sequence_id": inner["sequence_id"],
        "target": target,
        "ams_id": ams_id,
        "slot_id": slot,
        "curr_temp": -1,
        "tar_temp": -1,
    }


def test_load_filament_temperatures() -> None:
    inner = body(
        cmd.load_filament(0, 1, target_temperature=220, current_temperature=250.0)
    )
    assert (inner["curr_temp"], inner["tar_temp"]) == (250, 220)
    with pytest.raises(ValueOutOfRange):
        cmd.load_filament(0, 1, target_temperature=cmd.MAX_FILAMENT_TEMPERATURE + 1)
    with pytest.raises(InvalidCommand):
        cmd.load_filament(0, 1, current_temperature=NAN)


BAD_TRAYS = [
    (4, 0),
    (0, 4),
    (0, -1),
    (-1, 0),
    (127, 0),
    (128, 1),
    (136, 0),
    (254, 0),
    (255, 0),
    (255, 255),
    (True, 0),
    (0, False),
    ("0", 0),
    (0, 1.0),
]


@pytest.mark.parametrize(("ams_id", "tray_id"), BAD_TRAYS)
def test_tray_commands_reject_unknown_trays(ams_id: Any, tray_id: Any) -> None:
    with pytest.raises(UnknownTarget):
        cmd.load_filament(ams_id, tray_id)
    with pytest.raises(UnknownTarget):
        cmd.refresh_rfid(ams_id, tray_id)
    with pytest.raises(UnknownTarget):
        cmd.set_filament(ams_id, tray_id, **FILAMENT)


def test_existing_trays() -> None:
    existing = {(0, 0), (0, 1), (128, 0)}
    assert body(cmd.load_filament(0, 1, existing=existing))["target"] == 1
    assert body(cmd.load_filament(128, 0, existing=existing))["target"] == 128
    # The external spool is always there.
    assert body(cmd.load_filament(255, 254, existing=existing))["target"] == 254
    with pytest.raises(UnknownTarget) as caught:
        cmd.load_filament(0, 2, existing=existing)
    assert caught.value.value == (0, 2)
    with pytest.raises(UnknownTarget):
        cmd.load_filament(1, 0, existing=frozenset())
    with pytest.raises(UnknownTarget):
        cmd.set_filament(129, 0, existing=existing, **FILAMENT)
    with pytest.raises(UnknownTarget):
        cmd.refresh_rfid(0, 3, existing=[(0, 0)])
    assert body(cmd.refresh_rfid(0, 0, existing=[(0, 0)]))["slot_id"] == 0


def test_unload_filament() -> None:
    inner = body(cmd.unload_filament())
    assert inner == {
        "command": "ams_change_filament",
        "sequence_id": inner["sequence_id"],
        "target": 255,
        "ams_id": 255,
        "slot_id": 255,
        "curr_temp": -1,
        "tar_temp": -1,
    }
    inner = body(cmd.unload_filament(ams_id=1, current_temperature=230))
    assert (inner["ams_id"], inner["curr_temp"], inner["target"]) == (1, 230, 255)
    assert body(cmd.unload_filament(ams_id=130))["ams_id"] == 130
    for bad in (4, 136, -1, True):
        with pytest.raises(UnknownTarget):
            cmd.unload_filament(ams_id=bad)


FILAMENT: dict[str, Any] = {
    "tray_info_idx": "GFA00",
    "tray_type": "PLA",
    "color": "#FF8000",
    "nozzle_temp_min": 190,
    "nozzle_temp_max": 230,
}


def test_set_filament() -> None:
    inner = body(cmd.set_filament(1, 2, **FILAMENT))
    assert inner == {
        "command": "ams_filament_setting",
        "sequence_id": inner["sequence_id"],
        "ams_id": 1,
        "tray_id": 2,
        "slot_id": 2,
        "tray_info_idx": "GFA00",
        "tray_color": "FF8000FF",
        "tray_type": "PLA",
        "nozzle_temp_min": 190,
        "nozzle_temp_max": 230,
    }


def test_set_filament_external_and_ht() -> None:
    inner = body(cmd.set_filament(255, 254, **FILAMENT))
    assert (inner["ams_id"], inner["tray_id"], inner["slot_id"]) == (255, 254, 0)
    inner = body(cmd.set_filament(128, 0, **(FILAMENT | {"tray_type": "PA-CF"})))
    assert (inner["ams_id"], inner["tray_id"], inner["tray_type"]) == (128, 0, "PA-CF")


@pytest.mark.parametrize(
    ("color", "expected"),
    [
        ("#ff0000", "FF0000FF"),
        ("00ff00", "00FF00FF"),
        ("0000ff80", "0000FF80"),
        ("#12345678", "12345678"),
        (" abcdef ", "ABCDEFFF"),
    ],
)
def test_color_normalisation(color: str, expected: str) -> None:
    assert cmd.normalize_color(color) == expected
    inner = body(cmd.set_filament(0, 0, **(FILAMENT | {"color": color})))
    assert inner["tray_color"] == expected


@pytest.mark.parametrize(
    "color", ["red", "#12345", "1234567", "", "#GGGGGG", "##123456", None]
)
def test_color_rejected(color: Any) -> None:
    with pytest.raises(InvalidCommand):
        cmd.normalize_color(color)
    with pytest.raises(InvalidCommand):
        cmd.set_filament(0, 0, **(FILAMENT | {"color": color}))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"nozzle_temp_min": 240}, InvalidCommand),  # min above max
        ({"nozzle_temp_max": cmd.MAX_FILAMENT_TEMPERATURE + 1}, ValueOutOfRange),
        ({"nozzle_temp_min": -1}, ValueOutOfRange),
        ({"nozzle_temp_min": NAN}, InvalidCommand),
        ({"tray_info_idx": ""}, InvalidCommand),
        ({"tray_info_idx": None}, InvalidCommand),
        ({"tray_type": ""}, InvalidCommand),
        ({"tray_type": "PLA\n"}, InvalidCommand),
        ({"tray_type": "X" * 33}, InvalidCommand),
    ],
)
def test_set_filament_rejects(changes: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        cmd.set_filament(0, 0, **(FILAMENT | changes))


def test_set_filament_equal_temperatures() -> None:
    inner = body(
        cmd.set_filament(
            0, 0, **(FILAMENT | {"nozzle_temp_min": 220, "nozzle_temp_max": 220})
        )
    )
    assert inner["nozzle_temp_min"] == inner["nozzle_temp_max"] == 220


def test_refresh_rfid() -> None:
    inner = body(cmd.refresh_rfid(2, 3))
    assert inner == {
        "command": "ams_get_rfid",
        "sequence_id": inner["sequence_id"],
        "ams_id": 2,
        "slot_id": 3,
    }
    assert body(cmd.refresh_rfid(128, 0))["ams_id"] == 128
    with pytest.raises(UnknownTarget):
        cmd.refresh_rfid(255, 254)  # the external holder has no reader


# --- drying ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ams_id", "kind", "high"),
    [
        (0, AmsKind.AMS_2_PRO, 65),
        (3, AmsKind.AMS_2_PRO, 65),
        (128, AmsKind.AMS_HT, 85),
        (135, AmsKind.AMS_HT, 85),
    ],
)
def test_start_drying(ams_id: int, kind: AmsKind, high: int) -> None:
    inner = body(cmd.start_drying(ams_id, 55, 8, kind=kind, filament="PETG"))
    assert inner == {
        "command": "ams_filament_drying",
        "sequence_id": inner["sequence_id"],
        "ams_id": ams_id,
        "mode": 1,
        "filament": "PETG",
        "temp": 55,
        "duration": 8,
        "humidity": 0,
        "rotate_tray": False,
        "cooling_temp": inner["cooling_temp"],
        "close_power_conflict": False,
    }
    assert body(cmd.start_drying(ams_id, high, 24, kind=kind))["temp"] == high
    assert (
        body(cmd.start_drying(ams_id, 45, 1.0, kind=kind, rotate_tray=True))[
            "rotate_tray"
        ]
        is True
    )
    for temperature, hours, error in (
        (high + 1, 8, ValueOutOfRange),
        (44, 8, ValueOutOfRange),
        (55, 0, ValueOutOfRange),
        (55, 25, ValueOutOfRange),
        (NAN, 8, InvalidCommand),
        (55, 1.5, InvalidCommand),
    ):
        with pytest.raises(error):
            cmd.start_drying(ams_id, temperature, hours, kind=kind)


@pytest.mark.parametrize("kind", [AmsKind.AMS, AmsKind.AMS_LITE])
def test_drying_not_supported(kind: AmsKind) -> None:
    with pytest.raises(NotSupported) as caught:
        cmd.start_drying(0, 55, 8, kind=kind)
    assert caught.value.model in ("AMS", "AMS Lite")
    with pytest.raises(NotSupported):
        cmd.stop_drying(0, kind=kind)


@pytest.mark.parametrize(
    ("ams_id", "kind"),
    [
        (0, AmsKind.AMS_HT),
        (4, AmsKind.AMS_2_PRO),
        (128, AmsKind.AMS_2_PRO),
        (255, AmsKind.AMS_HT),
        (True, AmsKind.AMS_2_PRO),
    ],
)
def test_drying_unknown_unit(ams_id: Any, kind: AmsKind) -> None:
    with pytest.raises(UnknownTarget):
        cmd.start_drying(ams_id, 55, 8, kind=kind)
    with pytest.raises(UnknownTarget):
        cmd.stop_drying(ams_id, kind=kind)


def test_drying_filament_name() -> None:
    with pytest.raises(InvalidCommand):
        cmd.start_drying(0, 55, 8, kind=AmsKind.AMS_2_PRO, filament="PLA\n")
    with pytest.raises(InvalidCommand):
        cmd.start_drying(0, 55, 8, kind=AmsKind.AMS_2_PRO, filament=None)  # type: ignore[arg-type]


def test_stop_drying() -> None:
    inner = body(cmd.stop_drying(129, kind=AmsKind.AMS_HT))
    assert (inner["command"], inner["ams_id"], inner["mode"]) == (
        "ams_filament_drying",
        129,
        0,
    )
    assert inner["temp"] == inner["duration"] == 0


# --- motion ---------------------------------------------------------------------------------


def test_home() -> None:
    assert gcode(cmd.home()) == ["G28"]


@pytest.mark.parametrize(
    ("axis", "distance", "speed", "move"),
    [
        (Axis.X, 10, None, "G1 X10 F3000"),
        ("y", -5.5, None, "G1 Y-5.5 F3000"),
        (Axis.Z, 0.1, None, "G1 Z0.1 F900"),
        ("Z", 250, 600, "G1 Z250 F600"),
        (Axis.X, -250.0, 12000.4, "G1 X-250 F12000"),
        (Axis.Y, 1e-5, None, "G1 Y0 F3000"),
        (Axis.Y, -0.0001, None, "G1 Y0 F3000"),
        (Axis.X, 0, None, "G1 X0 F3000"),
        (Axis.X, 12.3456, None, "G1 X12.346 F3000"),
    ],
)
def test_move_axis(axis: Any, distance: float, speed: float | None, move: str) -> None:
    lines = gcode(cmd.move_axis(axis, distance, speed))
    assert lines == ["M1002 push_ref_mode", "G91", move, "G90", "M1002 pop_ref_mode"]
    assert "e" not in move.lower()  # never exponent notation


def test_move_extruder() -> None:
    assert gcode(cmd.move_axis(Axis.E, 10)) == ["M83", "G1 E10 F900"]
    assert gcode(cmd.move_axis("e", -100, 300)) == ["M83", "G1 E-100 F300"]


@pytest.mark.parametrize(
    ("axis", "distance", "speed", "error"),
    [
        (Axis.X, 250.1, None, ValueOutOfRange),
        (Axis.Z, -251, None, ValueOutOfRange),
        (Axis.E, 100.5, None, ValueOutOfRange),
        (Axis.E, -101, None, ValueOutOfRange),
        (Axis.X, 10, 0, ValueOutOfRange),
        (Axis.X, 10, cmd.MAX_SPEED_MM_MIN + 1, ValueOutOfRange),
        (Axis.X, NAN, None, InvalidCommand),
        (Axis.X, 10, INF, InvalidCommand),
        ("A", 10, None, UnknownTarget),
        ("", 10, None, UnknownTarget),
        (1, 10, None, UnknownTarget),
    ],
)
def test_move_axis_rejects(axis: Any, distance: Any, speed: Any, error: type) -> None:
    with pytest.raises(error):
        cmd.move_axis(axis, distance, speed)


# --- camera and options -------------------------------------------------------------------


@pytest.mark.parametrize("on", [True, False])
def test_camera_options(on: bool) -> None:
    control = "enable" if on else "disable"
    inner = body(cmd.set_camera_recording(on), "camera")
    assert (inner["command"], inner["control"]) == ("ipcam_record_set", control)
    inner = body(cmd.set_timelapse(on), "camera")
    assert (inner["command"], inner["control"]) == ("ipcam_timelapse", control)


def test_airduct_mode() -> None:
    inner = body(cmd.set_airduct_mode(1))
    assert inner == {
        "command": "set_airduct",
        "sequence_id": inner["sequence_id"],
        "modeId": 1,
        "submode": -1,
    }
    assert body(cmd.set_airduct_mode(0))["modeId"] == 0
    bad: tuple[tuple[Any, type[Exception]], ...] = (
        (-1, ValueOutOfRange),
        (1.5, InvalidCommand),
        ("1", InvalidCommand),
    )
    for mode, error in bad:
        with pytest.raises(error):
            cmd.set_airduct_mode(mode)


# --- command_name ---------------------------------------------------------------------------


def test_command_name() -> None:
    assert cmd.command_name(cmd.pause()) == ("print", "pause")
    assert cmd.command_name(cmd.pushall()) == ("pushing", "pushall")
    assert cmd.command_name(cmd.get_version()) == ("info", "get_version")
    assert cmd.command_name(cmd.set_light(True)) == ("system", "ledctrl")
    assert cmd.command_name(cmd.set_timelapse(True)) == ("camera", "ipcam_timelapse")
    reply = {
        "print": {"command": "gcode_line", "sequence_id": "7", "result": "success"}
    }
    assert cmd.command_name(reply) == ("print", "gcode_line")
    # A module without a command (e.g. a stray key) is skipped.
    assert cmd.command_name({"t_utc": 1, "info": {"command": "get_version"}}) == (
        "info",
        "get_version",
    )


@pytest.mark.parametrize(
    "payload", [{}, {"print": {}}, {"print": {"command": 3}}, {"print": "x"}]
)
def test_command_name_rejects(payload: dict[str, Any]) -> None:
    with pytest.raises(InvalidCommand):
        cmd.command_name(payload)


def test_every_payload_is_json() -> None:
    payloads = [
        cmd.pushall(),
        cmd.get_version(),
        cmd.pause(),
        cmd.resume(),
        cmd.stop(),
        cmd.print_speed(SpeedLevel.SPORT),
        cmd.gcode_line("M400"),
        cmd.set_nozzle_temperature(H2D, 220, 1),
        cmd.set_bed_temperature(X1C, 60),
        cmd.set_chamber_temperature(H2D, 40),
        cmd.set_fan_speed(Fan.CHAMBER, 40),
        cmd.set_light(False, LightNode.WORK),
        cmd.print_project_file(H2D, filename="a.3mf", ams_mapping=[0, 128]),
        cmd.skip_objects([1]),
        cmd.load_filament(0, 0),
        cmd.unload_filament(),
        cmd.set_filament(0, 0, **FILAMENT),
        cmd.refresh_rfid(0, 0),
        cmd.start_drying(128, 60, 4, kind=AmsKind.AMS_HT),
        cmd.stop_drying(0, kind=AmsKind.AMS_2_PRO),
        cmd.home(),
        cmd.move_axis(Axis.Z, 5),
        cmd.set_camera_recording(True),
        cmd.set_timelapse(False),
        cmd.set_airduct_mode(2),
    ]
    for payload in payloads:
        assert json.loads(json.dumps(payload)) == payload
        module, command = cmd.command_name(payload)
        assert payload[module]["command"] == command


# --- hardening (issue 14: points 9, 17, 18) ----------------------------------------


@pytest.mark.parametrize("name", ["a#b.3mf", "what?.3mf", "100%.3mf", "dir/#/x.3mf"])
def test_project_file_name_must_fit_a_url(name: str) -> None:
    with pytest.raises(InvalidCommand, match="URL"):
        cmd.print_project_file(X1C, filename=name)


def test_url_safe_filename() -> None:
    assert cmd.url_safe_filename("Part #2 v?50%\t.3mf") == "Part__2_v_50__.3mf"
    safe = cmd.url_safe_filename("Bäume (v2)+[x].gcode.3mf")
    assert safe == "Bäume_(v2)+[x].gcode.3mf"
    assert body(cmd.print_project_file(X1C, filename=safe))["url"].endswith(safe)


def test_skip_objects_ids_fit_64_bits() -> None:
    assert body(cmd.skip_objects([0, 2**64 - 1]))["obj_list"] == [0, 2**64 - 1]
    with pytest.raises(UnknownTarget):
        cmd.skip_objects([2**64])
    # What the old code let through, to fail in the JSON encoder.
    json.dumps(cmd.skip_objects([2**64 - 1]))


@pytest.mark.parametrize(
    ("model", "gcode", "name", "high"),
    [
        (X1C, "M104 S301", "nozzle_temperature", 300),
        (H2D, "M109 T1 S351", "nozzle_temperature", 350),
        (X1C, "M190 S111", "bed_temperature", 110),
        (H2D, "M141 S66", "chamber_temperature", 65),
        (X1C, "M141 S1", "chamber_temperature", 0),
    ],
)
def test_checked_gcode_holds_the_model_limits(
    model: Any, gcode: str, name: str, high: int
) -> None:
    with pytest.raises(ValueOutOfRange) as caught:
        cmd.checked_gcode(model, gcode)
    assert (caught.value.name, caught.value.high) == (name, high)
    target = int(gcode.rsplit("S", 1)[1]) - 1
    within = gcode.rsplit("S", 1)[0] + f"S{target}"
    assert body(cmd.checked_gcode(model, within))["param"] == within + "\n"
