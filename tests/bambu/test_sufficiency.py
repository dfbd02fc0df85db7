"""Filament sufficiency: what the running job still needs against its trays."""

from __future__ import annotations

from typing import Any

from custom_components.bambu_cloud.aiobambulab.ams import (
    EXTERNAL_AMS_ID,
    Tray,
    TrayStatus,
)
from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.aiobambulab.sufficiency import check_filament

from .conftest import SERIAL


def _state(**fields: Any) -> PrinterState:
    state = PrinterState(SERIAL)
    state.apply({"print": {"command": "push_status", "msg": 0, **fields}})
    return state


def _details(*grams: float | None) -> JobDetails:
    return JobDetails(
        JobKey("Cube", None, None, 1),
        JobSource.PRINTER,
        filaments=tuple(
            JobFilament(index, "PLA", "", weight, None)
            for index, weight in enumerate(grams, start=1)
        ),
    )


def _tray(
    ams_id: int,
    slot: int,
    remaining: int | None,
    spool_weight: int | None = 1000,
    status: TrayStatus = TrayStatus.LOADED,
) -> Tray:
    return Tray(
        ams_id=ams_id,
        slot=slot,
        status=status,
        type="PLA",
        sub_brand=None,
        profile_id=None,
        profile_name=None,
        color=None,
        colors=(),
        nozzle_temp_min=None,
        nozzle_temp_max=None,
        remaining=remaining,
        spool_weight=spool_weight,
        k=None,
        tag_uid=None,
        uuid=None,
    )


def _lookup(*trays: Tray) -> Any:
    by_slot = {(tray.ams_id, tray.slot): tray for tray in trays}
    return lambda ams_id, slot: by_slot.get((ams_id, slot))


# Colour 1 from AMS 0 slot 1 (A2), colour 2 from AMS 1 slot 0 (B1).
MAPPING = [0x0001, 0x0100]


def test_no_running_job_needs_nothing() -> None:
    for gcode_state in ("IDLE", "FINISH", "FAILED"):
        check = check_filament(
            _details(300), _state(gcode_state=gcode_state), _lookup()
        )
        assert check.short is False
        assert check.trays == ()


def test_a_tray_short_of_what_is_left_to_print() -> None:
    """200 g on A2 against 300 g at the start: short by 100 g until half-way."""
    trays = _lookup(_tray(0, 1, 20), _tray(1, 0, 90))
    details = _details(300, 50)
    check = check_filament(
        details, _state(gcode_state="RUNNING", mc_percent=0, mapping=MAPPING), trays
    )
    assert check.short is True
    assert check.shortfall == {"A2": 100.0}
    assert check.unknown == []

    # A third printed: 200 g left to print from 200 g on the spool.
    check = check_filament(
        details, _state(gcode_state="RUNNING", mc_percent=34, mapping=MAPPING), trays
    )
    assert check.short is False
    assert check.shortfall == {}


def test_trays_of_one_colour_add_up() -> None:
    """Two colours printed from the same tray need their sum from it."""
    check = check_filament(
        _details(150, 100),
        _state(gcode_state="PREPARE", mapping=[0x0001, 0x0001]),
        _lookup(_tray(0, 1, 20)),
    )
    assert check.shortfall == {"A2": 50.0}


def test_unknown_remaining_is_unknown() -> None:
    """A spool the printer does not track says nothing either way."""
    state = _state(gcode_state="RUNNING", mapping=MAPPING)
    for unknown in (_tray(0, 1, None), _tray(0, 1, 50, spool_weight=None)):
        check = check_filament(
            _details(10, 10), state, _lookup(unknown, _tray(1, 0, 9))
        )
        assert check.short is None
        assert check.unknown == ["A2"]


def test_a_short_tray_is_short_whatever_the_others() -> None:
    check = check_filament(
        _details(500, 10),
        _state(gcode_state="RUNNING", mapping=MAPPING),
        _lookup(_tray(0, 1, 10), _tray(1, 0, None)),
    )
    assert check.short is True
    assert check.shortfall == {"A2": 400.0}
    assert check.unknown == ["B1"]


def test_external_spool_without_a_tag_is_unknown() -> None:
    external = _tray(EXTERNAL_AMS_ID, 0, 0, spool_weight=None)
    check = check_filament(
        _details(10), _state(gcode_state="RUNNING", mapping=[0xFF00]), _lookup(external)
    )
    assert check.short is None
    assert check.unknown == ["external"]


def test_an_empty_tray_the_job_needs_is_short() -> None:
    empty = _tray(1, 0, None, None, TrayStatus.EMPTY)
    check = check_filament(
        _details(10, 25),
        _state(gcode_state="RUNNING", mapping=MAPPING),
        _lookup(_tray(0, 1, 100), empty),
    )
    assert check.short is True
    assert check.shortfall == {"B1": 25.0}


def test_a_job_without_a_tray_mapping_is_unknown() -> None:
    """Two colours and no mapping: which tray gives what is not known."""
    check = check_filament(
        _details(10, 10), _state(gcode_state="RUNNING"), _lookup(_tray(0, 1, 100))
    )
    assert check.short is None
    assert check.trays == ()
    # Nor without the job's file.
    check = check_filament(
        None, _state(gcode_state="RUNNING", mapping=MAPPING), _lookup()
    )
    assert check.short is None


# --- the binary sensor and its event -------------------------------------------------
