"""Helpers of the print history, calendar and statistics tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
import time
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from custom_components.bambu_cloud import BambuConfigEntry, job as job_module
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.job import JobDetails, JobKey, JobTracker
from custom_components.bambu_cloud.statistics import async_add_statistics_sensors
from tests.fake_link import FakeLink

# A fixed point the seeded tasks end before.
EPOCH = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def report(**fields: Any) -> dict[str, Any]:
    """A delta report of the printer."""
    return {"print": {"command": "push_status", **fields}}


def task(
    task_id: int,
    serial: str,
    *,
    title: str | None = None,
    status: int | str = 2,
    end: datetime | None = None,
    minutes: int = 30,
    weight: float | None = 12.5,
    length: float | None = 4000.0,
    **extra: Any,
) -> dict[str, Any]:
    """A task of the cloud's history as it answers it."""
    end = end or EPOCH - timedelta(hours=task_id % 1000)
    start = end - timedelta(minutes=minutes)
    return {
        "id": task_id,
        "title": title or f"Task {task_id}",
        "cover": f"https://cdn.example/{task_id}.png",
        "status": status,
        "weight": weight,
        "length": length,
        "costTime": minutes * 60,
        "startTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "deviceId": serial,
        "plateIndex": 1,
        "amsDetailMapping": [],
        "mode": "cloud_file",
        **extra,
    }


def run_job(link: FakeLink, serial: str, name: str, end_state: str = "FINISH") -> None:
    """The printer runs a job and ends it with ``end_state``."""
    link.deliver(
        serial,
        report(gcode_state="PREPARE", subtask_name=name, mc_remaining_time=30),
    )
    link.deliver(serial, report(gcode_state="RUNNING", mc_remaining_time=20))
    link.deliver(serial, report(gcode_state=end_state, mc_remaining_time=0))


async def _statistics_only(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_statistics_sensors(entry, async_add_entities)


def _no_details(key: JobKey) -> JobDetails:
    return JobDetails(key, None)


@contextmanager
def history_platforms() -> Iterator[None]:
    """Load only the calendar and the statistics sensors.

    The sensor platform is replaced by one adding only the statistics, so
    these tests do not depend on how the sensor platform adds them; the job
    trackers (started with the entry) read no file: test_job reads them.
    """
    with (
        patch.object(job_module, "SETTLE_SECONDS", 0),
        patch.object(JobTracker, "_lookup", AsyncMock(side_effect=_no_details)),
        patch(
            "custom_components.bambu_cloud.PLATFORMS",
            [Platform.CALENDAR, Platform.SENSOR],
        ),
        patch(
            "custom_components.bambu_cloud.sensor.async_setup_entry", _statistics_only
        ),
    ):
        yield


def entity_id(hass: HomeAssistant, domain: str, serial: str, key: str) -> str:
    """The entity id of a printer's entity by its key."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{serial}_{key}")
    assert found is not None, key
    return found


def follow_frozen_time(entry: Any, serial: str) -> None:
    """Let a printer's state read the (frozen) clock of the test.

    ``PrinterState`` keeps the real ``time.time`` it got at import; the job
    start and end it estimates must agree with the test's frozen time.
    """
    entry.runtime_data.printers[serial].data._clock = lambda: time.time()
