"""Print history, calendar and statistics against the simulated world.

The simulator's cloud pages its task history like the real one, printers
finish and fail jobs over real MQTT, and the history follows: fetched once
in pages, then one page when a job ends.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import TASKS
from simulator.firmware import Job
from simulator.world import Simulator
from tests.e2e.helpers import until
from tests.history_helpers import entity_id, history_platforms

SEEDED = 45  # three pages of 20


@pytest.fixture(autouse=True)
def _platforms() -> Generator[None]:
    with history_platforms():
        yield


def _state(hass: HomeAssistant, entity: str) -> str | None:
    state = hass.states.get(entity)
    return None if state is None else state.state


def _has_entity(hass: HomeAssistant, domain: str, serial: str, key: str) -> bool:
    registry = er.async_get(hass)
    return registry.async_get_entity_id(domain, DOMAIN, f"{serial}_{key}") is not None


async def _events(hass: HomeAssistant, calendar: str) -> list[dict[str, Any]]:
    now = dt_util.now()
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": calendar,
            "start_date_time": now - timedelta(days=30),
            "end_date_time": now + timedelta(days=1),
        },
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    events: list[dict[str, Any]] = response[calendar]["events"]
    return events


def _task_queries(world: Simulator, serial: str) -> list[dict[str, str]]:
    return [
        seen.query
        for seen in world.cloud.requests_to(TASKS)
        if seen.query.get("deviceId") == serial
    ]


async def test_history_calendar_and_statistics_follow_the_printer(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    printer = next(p for p in world.printers.values() if p.firmware.job is None)
    serial = printer.serial
    seeded = world.add_history(serial, SEEDED, failed_every=4)
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    await until(hass, lambda: _has_entity(hass, "sensor", serial, "jobs_finished"))
    finished = entity_id(hass, "sensor", serial, "jobs_finished")
    failed = entity_id(hass, "sensor", serial, "jobs_failed")
    weight = entity_id(hass, "sensor", serial, "filament_used_weight")
    hours = entity_id(hass, "sensor", serial, "total_print_time")
    calendar = entity_id(hass, "calendar", serial, "history")

    # The whole history in three pages (and the empty one after the oldest).
    n_failed = sum(1 for t in seeded if t["status"] == 3)
    await until(hass, lambda: _state(hass, finished) == str(SEEDED - n_failed))
    assert _state(hass, failed) == str(n_failed)
    grams = sum(t["weight"] for t in seeded if t["status"] == 2)
    assert float(_state(hass, weight) or 0) == grams
    seconds = sum(t["costTime"] for t in seeded)
    assert float(_state(hass, hours) or 0) == round(seconds / 3600, 3)
    assert [q.get("after") for q in _task_queries(world, serial)] == [
        None,
        str(seeded[25]["id"]),
        str(seeded[5]["id"]),
        str(seeded[0]["id"]),
    ]
    events = await _events(hass, calendar)
    assert len(events) == SEEDED
    assert events[-1]["summary"] == f"Past print #{SEEDED}"

    # A job runs: live on the calendar, then one page fetched when it ends.
    before = len(_task_queries(world, serial))
    printer.start_job(Job(name="E2E part", print_seconds=120, prepare_seconds=10))
    await printer.advance(15)
    await until(hass, lambda: _state(hass, calendar) == STATE_ON)
    live = hass.states.get(calendar)
    assert live is not None
    assert live.attributes["message"] == "E2E part"
    while printer.firmware.job is not None:
        await printer.advance(30)
    await until(hass, lambda: _state(hass, finished) == str(SEEDED - n_failed + 1))
    assert _task_queries(world, serial)[before:] == [
        {"deviceId": serial, "limit": "20"}
    ]
    assert float(_state(hass, weight) or 0) == pytest.approx(grams + 1.6)
    events = await _events(hass, calendar)
    assert events[-1]["summary"] == "E2E part"
    assert events[-1]["description"].startswith("Status: finished")
    assert _state(hass, calendar) != STATE_ON

    # A failed job counts as failed, once.
    printer.start_job(
        Job(name="E2E fail", print_seconds=100, prepare_seconds=5, fail_at_percent=40)
    )
    while printer.firmware.job is not None:
        await printer.advance(20)
    await until(hass, lambda: _state(hass, failed) == str(n_failed + 1))
    assert _state(hass, finished) == str(SEEDED - n_failed + 1)
    assert float(_state(hass, weight) or 0) == pytest.approx(grams + 1.6)
    events = await _events(hass, calendar)
    assert [e["summary"] for e in events[-2:]] == ["E2E part", "E2E fail"]
    assert events[-1]["description"].startswith("Status: failed")
    # The other printers' histories were fetched once each, at start.
    for other in world.printers:
        if other != serial:
            assert [q.get("after") for q in _task_queries(world, other)] == [None]
