"""Filament sufficiency: what the running job still needs against its trays."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bambu_cloud.bambu.ams import EXTERNAL_AMS_ID, Tray, TrayStatus
from custom_components.bambu_cloud.bambu.state import PrinterState
from custom_components.bambu_cloud.binary_sensor import EVENT_FILAMENT_SHORTAGE
from custom_components.bambu_cloud.job import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.sufficiency import check_filament
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, state_of

# --- the comparison --------------------------------------------------------------

# Job files come from the test, never from a printer.
pytestmark = pytest.mark.usefixtures("job_files")


def _state(**fields: Any) -> PrinterState:
    state = PrinterState(LAN_SERIAL)
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


@pytest.fixture(autouse=True)
def _binary_sensors_only() -> Iterator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.BINARY_SENSOR]):
        yield


def _file_needing(grams: float) -> Any:
    def lookup(key: JobKey) -> JobDetails:
        return JobDetails(
            key,
            JobSource.PRINTER,
            filaments=(JobFilament(1, "PLA", "", grams, None),),
        )

    return lookup


def _shortage(hass: HomeAssistant) -> Any:
    return state_of(hass, "filament_shortage", domain="binary_sensor")


async def test_shortage_turns_on_and_tells_once_per_job(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    """The H2D capture prints from B4 (51 % of 1000 g) and is 6 % done."""
    events: list[Event] = async_capture_events(hass, EVENT_FILAMENT_SHORTAGE)
    job_files.side_effect = _file_needing(600)
    _entry, link = await setup_capture(hass, "h2d-laser")
    await hass.async_block_till_done()

    state = _shortage(hass)
    assert state.state == STATE_ON  # 564 g still to print, 510 g on the spool
    assert state.attributes["device_class"] == "problem"
    assert state.attributes["shortfall"] == {"B4": 54.0}
    assert state.attributes["unknown_trays"] == []
    assert len(events) == 1
    assert events[0].data["serial"] == LAN_SERIAL
    assert events[0].data["shortfall"] == {"B4": 54.0}
    assert events[0].data["device_id"]

    # Still short a little later: no second event for the same job.
    await deliver_report(hass, link, mc_percent=7)
    assert _shortage(hass).attributes["shortfall"] == {"B4": 48.0}
    assert len(events) == 1

    # Far enough along, the spool holds out.
    await deliver_report(hass, link, mc_percent=20)
    assert _shortage(hass).state == STATE_OFF
    assert _shortage(hass).attributes["shortfall"] == {}

    # The next job falls short again: told again.
    job_files.side_effect = _file_needing(2000)
    await deliver_report(hass, link, subtask_name="Big vase", mc_percent=0)
    await hass.async_block_till_done()
    assert _shortage(hass).state == STATE_ON
    assert len(events) == 2
    assert events[1].data["shortfall"] == {"B4": 1490.0}

    # The job ends: nothing is needed any more.
    await deliver_report(hass, link, gcode_state="FINISH", mc_percent=100)
    assert _shortage(hass).state == STATE_OFF
    assert _shortage(hass).attributes["job_name"] is None


async def test_shortage_unknown_while_the_job_file_is_unknown(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "h2d-laser")
    await hass.async_block_till_done()
    assert _shortage(hass).state == STATE_UNKNOWN


async def test_idle_printer_has_no_shortage(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    job_files.side_effect = _file_needing(5000)
    await setup_capture(hass, "a1-ams-lite")
    await hass.async_block_till_done()
    assert _shortage(hass).state == STATE_OFF
