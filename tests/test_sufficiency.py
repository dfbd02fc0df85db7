"""The filament shortage sensor: the library's check, shown and told once per job."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.binary_sensor import EVENT_FILAMENT_SHORTAGE
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, state_of

# Job files come from the test, never from a printer.
pytestmark = pytest.mark.usefixtures("job_files")


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
