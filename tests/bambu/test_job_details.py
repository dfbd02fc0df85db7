"""The job model: keys, colours, tray usage and where project files are."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.ams import EXTERNAL_AMS_ID, TrayRef
from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
    _color,
    details_from_plate,
    image_type,
    job_key,
    tray_usage,
)
from custom_components.bambu_cloud.aiobambulab.projects import (
    project_name,
    storage_path,
)
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.aiobambulab.threemf import PlateFilament, PlateInfo

from .conftest import SERIAL


def _mapping(state: PrinterState) -> list[TrayRef | None] | None:
    return state.filament_mapping


def _state(**fields: Any) -> PrinterState:
    state = PrinterState(SERIAL)
    state.apply({"print": {"command": "push_status", "msg": 0, **fields}})
    return state


def test_job_key() -> None:
    """Name, file, task and plate tell jobs apart; nothing named is no job."""
    assert job_key(_state(subtask_name="", gcode_file="", task_id="0")) is None
    assert job_key(_state(subtask_name="  Cube ")) == JobKey("Cube", None, None, 1)
    assert job_key(
        _state(subtask_name="A", gcode_file="/data/Metadata/plate_12.gcode")
    ) == JobKey("A", "/data/Metadata/plate_12.gcode", None, 12)
    assert job_key(_state(task_id="5", plate_idx=3)) == JobKey(None, None, "5", 3)
    assert job_key(_state(subtask_name="A", plate_idx="junk")) == JobKey(
        "A", None, None, 1
    )


def test__mapping() -> None:
    """AMS id in the high byte, slot in the low one; 0xFFFF none."""
    assert _mapping(_state()) is None
    assert _mapping(_state(mapping="0")) is None
    assert _mapping(_state(mapping=[258, 3, 65535, 0xFE00, 0x8000, "x", -1])) == [
        TrayRef(1, 2),
        TrayRef(0, 3),
        None,
        TrayRef(EXTERNAL_AMS_ID, 1),  # 0xFE: the left holder (254)
        TrayRef(128, 0),
        None,
        None,
    ]


def _details(*filaments: JobFilament) -> JobDetails:
    return JobDetails(
        JobKey("A", None, None, 1), JobSource.PRINTER, filaments=filaments
    )


def test_tray_usage_from_the__mapping() -> None:
    """Colours add up per tray; unused colours need no tray."""
    details = _details(
        JobFilament(1, "PLA", "", 4.0, None),
        JobFilament(2, "PLA", "", 0.0, None),  # in the project, not on the plate
        JobFilament(3, "PLA", "", 1.5, None),
    )
    state = _state(mapping=[258, 65535, 258])
    assert tray_usage(details, state) == {(1, 2): 5.5}
    # A used colour without a tray: unknown which tray gives what.
    assert tray_usage(details, _state(mapping=[258])) is None
    assert tray_usage(None, state) is None
    assert tray_usage(_details(), state) is None
    unknown_weight = _details(JobFilament(1, "PLA", "", None, None))
    assert tray_usage(unknown_weight, state) is None


def test_tray_usage_of_a_single_colour_follows_the_printing_tray() -> None:
    """Without a mapping, one colour prints from the active tray once printing."""
    details = _details(JobFilament(1, "PLA", "", 7.0, None))
    ams = {"ams": [], "tray_now": "6"}
    assert tray_usage(details, _state(gcode_state="PREPARE", ams=ams)) is None
    assert tray_usage(details, _state(gcode_state="RUNNING", ams=ams)) == {(1, 2): 7.0}
    assert tray_usage(details, _state(gcode_state="PAUSE", ams=ams)) == {(1, 2): 7.0}
    two = _details(
        JobFilament(1, "PLA", "", 7.0, None), JobFilament(2, "PLA", "", 1.0, None)
    )
    assert tray_usage(two, _state(gcode_state="RUNNING", ams=ams)) is None


@pytest.mark.parametrize(
    ("name", "job_name"),
    [
        ("Cube.gcode.3mf", "Cube"),
        ("Cube.3MF", "Cube"),
        ("v1.2 bracket.3mf", "v1.2 bracket"),
        (".gcode.3mf", None),
        ("Cube.gcode", None),
    ],
)
def test_project_name(name: str, job_name: str | None) -> None:
    assert project_name(name) == job_name


@pytest.mark.parametrize(
    ("location", "path"),
    [
        ("file:///sdcard/Cube.3mf", "/Cube.3mf"),
        ("ftp:///Cube.3mf", "/Cube.3mf"),
        ("/sdcard/cache/Cube.3mf", "/cache/Cube.3mf"),
        ("/mnt/sdcard/Cube.3mf", "/Cube.3mf"),
        ("Cube.3mf", "/Cube.3mf"),
        ("/usb/x/Cube.3mf", "/x/Cube.3mf"),
    ],
)
def test_storage_path(location: str, path: str) -> None:
    assert storage_path(location) == path


def test_plate_without_a_total_weight_adds_up_its_colours() -> None:
    """Slice info without a plate weight: the colours' grams add up."""
    plate = PlateInfo(
        index=1,
        prediction_seconds=None,
        weight_grams=None,
        filaments=(
            PlateFilament(id=None, type="PLA", color="", used_grams=2.0),
            PlateFilament(id=4, type="PLA", color="", used_grams=0.5),
        ),
        total_layers=None,
    )
    details = details_from_plate(JobKey("A", None, None, 1), plate, None, "image/png")
    assert details.weight_grams == pytest.approx(2.5)
    assert [f.index for f in details.filaments] == [1, 4]
    assert details.length_meters is None


@pytest.mark.parametrize(
    ("value", "color"),
    [("FF8800FF", "#FF8800"), ("#00ff00", "#00FF00"), ("red", ""), (None, "")],
)
def test_cloud_colors(value: Any, color: str) -> None:
    assert _color(value) == color


def test_cover_types() -> None:
    assert image_type(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_type(b"GIF89a") is None
