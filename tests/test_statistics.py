"""Statistics sensors: exact totals from the history, kept across restarts."""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import (
    ATTR_STATE_CLASS,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNKNOWN,
    UnitOfLength,
    UnitOfMass,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.statistics import STATISTICS_SENSORS
from simulator.cloud import TASKS, FakeCloud, Fault
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.history_helpers import EPOCH, entity_id, history_platforms, run_job, task

KEYS = [description.key for description in STATISTICS_SENSORS]


@pytest.fixture(autouse=True)
def _platforms() -> Generator[None]:
    with history_platforms():
        yield


def _values(hass: HomeAssistant, serial: str) -> dict[str, str]:
    values = {}
    for key in KEYS:
        state = hass.states.get(entity_id(hass, "sensor", serial, key))
        assert state is not None
        values[key] = state.state
    return values


def _history(count: int) -> list[dict[str, Any]]:
    """Finished tasks, every third failed, with odd weights and lengths."""
    return [
        task(
            100 + n,
            CLOUD_SERIAL,
            status=3 if n % 3 == 2 else 2,
            end=EPOCH - timedelta(hours=2 * (count - n)),
            minutes=20 + n,
            weight=0.1 + n * 1.37,
            length=33.3 * (n + 1),
        )
        for n in range(count)
    ]


async def _setup(
    hass: HomeAssistant, cloud: FakeCloud, entry: MockConfigEntry | None = None
) -> tuple[MockConfigEntry, FakeLink]:
    entry = entry or cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry, link


async def test_sensors_describe_themselves(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    await _setup(hass, cloud)
    expected = {
        "jobs_finished": (None, None, "Workshop Finished jobs"),
        "jobs_failed": (None, None, "Workshop Failed jobs"),
        "total_print_time": (
            SensorDeviceClass.DURATION,
            UnitOfTime.HOURS,
            "Workshop Total print time",
        ),
        "filament_used_weight": (
            SensorDeviceClass.WEIGHT,
            UnitOfMass.GRAMS,
            "Workshop Filament used",
        ),
        "filament_used_length": (
            SensorDeviceClass.DISTANCE,
            UnitOfLength.METERS,
            "Workshop Filament length used",
        ),
    }
    registry = er.async_get(hass)
    for key, (device_class, unit, name) in expected.items():
        entity = entity_id(hass, "sensor", CLOUD_SERIAL, key)
        state = hass.states.get(entity)
        assert state is not None
        assert state.attributes.get(ATTR_DEVICE_CLASS) == device_class
        assert state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) == unit
        assert state.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
        assert state.attributes["friendly_name"] == name
        entry = registry.async_get(entity)
        assert entry is not None
        assert entry.unique_id == f"{CLOUD_SERIAL}_{key}"
        assert entry.entity_category is None
    # Empty history: zero, not unknown.
    assert _values(hass, CLOUD_SERIAL) == {
        "jobs_finished": "0",
        "jobs_failed": "0",
        "total_print_time": "0.0",
        "filament_used_weight": "0.0",
        "filament_used_length": "0.0",
    }


async def test_values_are_exact(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    cloud.tasks.extend(_history(45))  # three pages
    await _setup(hass, cloud)
    finished = [n for n in range(45) if n % 3 != 2]
    failed = [n for n in range(45) if n % 3 == 2]
    seconds = sum((20 + n) * 60 for n in range(45))
    grams = sum(round((0.1 + n * 1.37) * 1000) for n in finished) / 1000
    metres = sum(round(33.3 * (n + 1)) for n in finished) / 1000
    assert _values(hass, CLOUD_SERIAL) == {
        "jobs_finished": str(len(finished)),
        "jobs_failed": str(len(failed)),
        "total_print_time": str(round(seconds / 3600, 3)),
        "filament_used_weight": str(grams),
        "filament_used_length": str(metres),
    }
    assert _values(hass, CLOUD_SERIAL) == {
        "jobs_finished": "30",
        "jobs_failed": "15",
        "total_print_time": "31.5",
        "filament_used_weight": "886.65",
        "filament_used_length": "22.476",
    }


async def test_a_job_counts_once_across_refetches_and_restarts(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    cloud.tasks.extend(_history(4))
    entry, link = await _setup(hass, cloud)
    before = _values(hass, CLOUD_SERIAL)
    assert before["jobs_finished"] == "3"

    cloud.tasks.append(task(500, CLOUD_SERIAL, end=EPOCH, weight=20, length=5000))
    run_job(link, CLOUD_SERIAL, "New")
    await hass.async_block_till_done(wait_background_tasks=True)
    after = _values(hass, CLOUD_SERIAL)
    assert after["jobs_finished"] == "4"
    assert float(after["filament_used_weight"]) == pytest.approx(
        float(before["filament_used_weight"]) + 20
    )

    # The same tasks again (another job end, then a restart): no change.
    run_job(link, CLOUD_SERIAL, "Again", "FAILED")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _values(hass, CLOUD_SERIAL) == after
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    link = FakeLink.links[-1]
    link.deliver(CLOUD_SERIAL, get_version("p1p-ams"))
    link.deliver(CLOUD_SERIAL, pushall("p1p-ams"))
    await hass.async_block_till_done()
    assert _values(hass, CLOUD_SERIAL) == after


async def test_unknown_until_known_then_kept_through_an_outage(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    cloud.tasks.extend(_history(2))
    cloud.fail(TASKS, Fault.SERVER_ERROR)
    entry, link = await _setup(hass, cloud)
    assert set(_values(hass, CLOUD_SERIAL).values()) == {STATE_UNKNOWN}

    cloud.clear_fault()
    run_job(link, CLOUD_SERIAL, "Back")
    await hass.async_block_till_done(wait_background_tasks=True)
    known = _values(hass, CLOUD_SERIAL)
    assert known["jobs_finished"] == "2"

    cloud.fail(TASKS, Fault.SERVER_ERROR)
    run_job(link, CLOUD_SERIAL, "Down again")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _values(hass, CLOUD_SERIAL) == known
    # The printer going away leaves the totals alone.
    link.set_connected(False)
    await hass.async_block_till_done()
    assert _values(hass, CLOUD_SERIAL) == known
    assert entry.runtime_data.history.last_update_success is False


async def test_lan_printer_counts_what_it_sees(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "a1-ams-lite")
    run_job(link, LAN_SERIAL, "One")
    link.deliver(
        LAN_SERIAL, {"print": {"command": "push_status", "gcode_state": "IDLE"}}
    )
    run_job(link, LAN_SERIAL, "Two", "FAILED")
    await hass.async_block_till_done()
    values = _values(hass, LAN_SERIAL)
    assert values["jobs_finished"] == "1"
    assert values["jobs_failed"] == "1"
    # No slicing data on the LAN: no filament counted.
    assert values["filament_used_weight"] == "0.0"
    assert entry.entry_id
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert {e.unique_id for e in entries if e.domain == "sensor"} == {
        f"{LAN_SERIAL}_{key}" for key in KEYS
    }
    assert all(e.platform == DOMAIN for e in entries)


async def test_total_print_time_never_goes_down_when_the_clock_goes_back(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    """A total_increasing sensor that went down reads as a meter reset."""
    freezer.move_to(EPOCH)
    _entry, link = await setup_capture(hass, "a1-ams-lite")
    status = {"command": "push_status"}
    link.deliver(
        LAN_SERIAL, {"print": {**status, "gcode_state": "RUNNING", "subtask_name": "A"}}
    )
    freezer.tick(timedelta(hours=2))
    link.deliver(LAN_SERIAL, {"print": {**status, "gcode_state": "FINISH"}})
    link.deliver(LAN_SERIAL, {"print": {**status, "gcode_state": "IDLE"}})
    await hass.async_block_till_done()
    assert _values(hass, LAN_SERIAL)["total_print_time"] == "2.0"

    link.deliver(
        LAN_SERIAL, {"print": {**status, "gcode_state": "RUNNING", "subtask_name": "B"}}
    )
    freezer.tick(timedelta(minutes=20))
    freezer.move_to(EPOCH)  # the clock is set back two hours and a bit
    link.deliver(LAN_SERIAL, {"print": {**status, "gcode_state": "FINISH"}})
    await hass.async_block_till_done()
    values = _values(hass, LAN_SERIAL)
    assert values["jobs_finished"] == "2"
    assert values["total_print_time"] == "2.0"
