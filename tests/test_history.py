"""The print history: cloud paging and caching, LAN recording, storage, faults."""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime, timedelta
import logging
from typing import Any
from unittest.mock import AsyncMock, patch

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud import (
    history as history_module,
    history_cloud,
    history_recorder,
    history_store,
    job as job_module,
)
from custom_components.bambu_cloud.aiobambulab.cloud_tasks import CloudTask
from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.aiobambulab.printer import Printer
from custom_components.bambu_cloud.history import HistoryCoordinator
from custom_components.bambu_cloud.history_jobs import (
    HistoryJob,
    JobOutcome,
    PrinterHistory,
    Totals,
)
from custom_components.bambu_cloud.history_store import storage_key
from custom_components.bambu_cloud.job import JobTracker
from simulator.cloud import TASKS, Canned, FakeCloud, Fault
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    cloud_entry as make_cloud_entry,
    setup_cloud_capture,
)
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink
from tests.history_helpers import EPOCH, entity_id, report, run_job, task

# --- the data ------------------------------------------------------------------


def _job(job_id: str, hours_ago: int, **changes: Any) -> HistoryJob:
    start = EPOCH - timedelta(hours=hours_ago)
    fields: dict[str, Any] = {
        "id": job_id,
        "title": f"Job {job_id}",
        "start": start,
        "end": start + timedelta(minutes=30),
        "outcome": JobOutcome.FINISHED,
        "weight": 10.5,
        "length": 3.25,
        "seconds": 1800,
    }
    fields.update(changes)
    return HistoryJob(**fields)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (2, JobOutcome.FINISHED),
        (3, JobOutcome.FAILED),
        (1, JobOutcome.RUNNING),
        ("2", JobOutcome.FINISHED),
        ("success", JobOutcome.FINISHED),
        (" Failed ", JobOutcome.FAILED),
        ("cancelled", JobOutcome.FAILED),
        (7, JobOutcome.UNKNOWN),
        ("weird", JobOutcome.UNKNOWN),
        (None, JobOutcome.UNKNOWN),
    ],
)
def test_cloud_status_becomes_an_outcome(
    status: int | str | None, outcome: JobOutcome
) -> None:
    job = HistoryJob.from_task(CloudTask.from_json(task(5, "SN", status=status)))
    assert job is not None
    assert job.outcome is outcome
    # A job the cloud still runs has no end yet: the live job stands for it.
    assert (job.end is None) is (outcome is JobOutcome.RUNNING)


def test_task_fields_become_a_job() -> None:
    end = datetime(2026, 1, 5, 10, 30, tzinfo=UTC)
    job = HistoryJob.from_task(
        CloudTask.from_json(
            task(77, "SN", title="Benchy", end=end, minutes=56, length=1850.2)
        )
    )
    assert job == HistoryJob(
        id="77",
        title="Benchy",
        start=end - timedelta(minutes=56),
        end=end,
        outcome=JobOutcome.FINISHED,
        weight=12.5,
        length=1.8502,
        seconds=56 * 60,
        plate=1,
        cover="https://cdn.example/77.png",
    )


def test_tasks_without_id_or_start_are_skipped() -> None:
    assert HistoryJob.from_task(CloudTask.from_json({"title": "x"})) is None
    assert HistoryJob.from_task(CloudTask.from_json({"id": 3, "title": "x"})) is None


def test_duration_falls_back_to_the_cost_time() -> None:
    raw = task(9, "SN", minutes=20)
    del raw["endTime"]
    job = HistoryJob.from_task(CloudTask.from_json(raw))
    assert job is not None
    assert job.seconds == 1200
    assert job.end is None
    assert job.shown_end == job.start + timedelta(seconds=1200)
    raw["costTime"] = -5
    odd = HistoryJob.from_task(CloudTask.from_json(raw))
    assert odd is not None
    assert odd.seconds is None
    # Shown at least a minute long, never ending before it starts.
    assert odd.shown_end == odd.start + timedelta(minutes=1)


def test_only_settled_jobs_count_and_only_finished_ones_count_filament() -> None:
    record = PrinterHistory()
    record.add(_job("1", 10))
    record.add(_job("2", 9, weight=0.3333, length=0.1))
    record.add(_job("3", 8, outcome=JobOutcome.FAILED, seconds=600))
    record.add(_job("4", 7, outcome=JobOutcome.RUNNING, end=None))
    record.add(_job("5", 6, outcome=JobOutcome.UNKNOWN))
    assert record.totals() == Totals(
        finished=2,
        failed=1,
        seconds=1800 * 2 + 600,
        milligrams=10_500 + 333,
        millimetres=3250 + 100,
    )


def test_adding_the_same_job_again_changes_nothing() -> None:
    record = PrinterHistory()
    assert record.add(_job("1", 10, outcome=JobOutcome.RUNNING, end=None))
    revision = record.revision
    assert not record.add(_job("1", 10, outcome=JobOutcome.RUNNING, end=None))
    assert record.revision == revision
    assert record.add(_job("1", 10))  # it ended
    assert record.revision == revision + 1
    assert record.totals().finished == 1


def test_trimmed_jobs_stay_counted_and_are_not_counted_again() -> None:
    record = PrinterHistory()
    for number in range(5):
        record.add(_job(str(number), 10 - number))
    before = record.totals()
    record.trim(3)
    assert sorted(record.jobs) == ["2", "3", "4"]
    assert record.totals() == before
    assert record.archived_before == EPOCH - timedelta(hours=9)
    # Fetched again from the newest page: already counted.
    assert not record.add(_job("1", 9))
    assert record.totals() == before
    # From beyond the oldest page fetched so far: new to us.
    assert record.add(_job("old", 30), older=True)
    assert record.totals().finished == 6
    record.trim(10)  # nothing to do
    assert len(record.jobs) == 4


def test_jobs_between_skip_running_ones() -> None:
    record = PrinterHistory()
    record.add(_job("1", 10))
    record.add(_job("2", 5))
    record.add(_job("3", 2, outcome=JobOutcome.RUNNING, end=None))
    found = record.between(
        EPOCH - timedelta(hours=6), EPOCH - timedelta(hours=4, minutes=45)
    )
    assert [job.id for job in found] == ["2"]
    assert [j.id for j in record.between(EPOCH - timedelta(days=1), EPOCH)] == [
        "1",
        "2",
    ]


def test_storage_round_trip_skips_what_cannot_be_read() -> None:
    record = PrinterHistory(complete=True, cursor="12", gap="20")
    record.add(_job("1", 10, plate=2, cover="https://x/1.png"))
    record.add(_job("2", 9, outcome=JobOutcome.FAILED, weight=None, length=None))
    record.trim(1)
    stored = record.as_dict()
    stored["jobs"].extend(
        [
            {"id": 5},  # no start
            {"id": 6, "start": "2026-01-01T00:00:00"},  # no time zone
            "garbage",
            {
                "id": "7",
                "start": "2026-01-01T00:00:00+00:00",
                "outcome": "exploded",
                "weight": "heavy",
                "seconds": True,
            },
        ]
    )
    loaded = PrinterHistory.from_dict(stored)
    assert loaded.jobs["2"] == record.jobs["2"]
    assert loaded.jobs["7"].outcome is JobOutcome.UNKNOWN
    assert loaded.jobs["7"].weight is None
    assert loaded.jobs["7"].seconds == 0
    assert set(loaded.jobs) == {"2", "7"}
    assert loaded.archived == record.archived
    assert loaded.archived_before == record.archived_before
    assert (loaded.complete, loaded.cursor, loaded.gap) == (True, "12", "20")
    empty = PrinterHistory.from_dict({"jobs": "x", "archived": 3, "cursor": 4})
    assert empty.jobs == {}
    assert empty.archived == Totals()
    assert empty.cursor is None
    assert Totals.from_dict({"finished": "2", "failed": 1.0}) == Totals(failed=1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start", "2026-13-01T10:00:00+00:00"),  # month 13
        ("start", "2026-01-01T10:00:00+25:00"),  # offset beyond a day
        ("start", "9999-12-31T23:59:59+00:00"),  # no room for the job's span
        ("start", "0001-01-01T00:00:00+00:00"),
        ("start", 1767261600),
        ("id", 7),
    ],
)
def test_a_stored_job_with_an_impossible_start_or_id_is_skipped(
    field: str, value: Any
) -> None:
    stored = _job("1", 10).as_dict()
    stored[field] = value
    assert HistoryJob.from_dict(stored) is None


@pytest.mark.parametrize(
    ("field", "value", "read_as"),
    [
        ("end", "2026-02-30T10:00:00+00:00", None),
        ("end", "2026-01-01T10:00:00-25:00", None),
        ("seconds", float("inf"), 0),
        ("seconds", float("nan"), 0),
        ("seconds", -6000, 0),  # a clock set back while it ran
        pytest.param("seconds", 10**400, 365 * 24 * 3600, id="seconds-huge"),
        ("weight", float("inf"), None),
        ("weight", -3.5, None),
        ("length", float("nan"), None),
        ("plate", float("-inf"), 0),
        ("title", {"nested": True}, "1"),  # named after its id
        ("title", "", "1"),
        ("cover", 5, None),
    ],
)
def test_every_stored_job_field_is_checked(
    field: str, value: Any, read_as: Any
) -> None:
    """Valid JSON with an impossible value: the value goes, the job stays."""
    stored = _job("1", 10).as_dict()
    stored[field] = value
    job = HistoryJob.from_dict(stored)
    assert job is not None
    assert getattr(job, field) == read_as
    assert job.totals().seconds >= 0
    job.shown_end  # noqa: B018 - computing it must not overflow


def test_stored_totals_with_impossible_values_count_as_nothing() -> None:
    totals = Totals.from_dict(
        {
            "finished": float("inf"),
            "failed": float("nan"),
            "seconds": -7200,
            "milligrams": 10**400,
            "millimetres": 5,
        }
    )
    assert totals == Totals(milligrams=2**53, millimetres=5)
    record = PrinterHistory.from_dict(
        {"archived": {"seconds": -1}, "archived_before": "2026-13-01T00:00:00Z"}
    )
    assert record.archived == Totals()
    assert record.archived_before is None


# --- LAN printers ------------------------------------------------------------------


def _history(entry: MockConfigEntry) -> HistoryCoordinator:
    history: HistoryCoordinator = entry.runtime_data.history
    return history


@pytest.fixture(autouse=True)
def _no_platforms(job_files: AsyncMock) -> Generator[None]:
    """The history works without any entity; platforms are tested elsewhere.

    The job trackers (started with the entry) read no file here
    (``job_files``): reading them is tested in test_job.
    """
    with patch("custom_components.bambu_cloud.PLATFORMS", []):
        yield


async def test_lan_printer_records_the_jobs_it_sees_end(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")  # IDLE
    history = _history(entry)
    assert history.totals(LAN_SERIAL) == Totals()

    link.deliver(
        LAN_SERIAL,
        report(gcode_state="PREPARE", subtask_name="Cube", mc_remaining_time=30),
    )
    freezer.tick(timedelta(minutes=5))
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", mc_remaining_time=25))
    freezer.tick(timedelta(minutes=25))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_remaining_time=0))
    link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))  # no second job
    freezer.tick(timedelta(minutes=10))
    run_job(link, LAN_SERIAL, "Stopped", "FAILED")
    freezer.tick(timedelta(minutes=10))
    run_job(link, LAN_SERIAL, "Canceled", "IDLE")
    await hass.async_block_till_done()

    record = history.printer(LAN_SERIAL)
    assert record is not None
    jobs = sorted(record.jobs.values(), key=lambda j: j.start)
    assert [(j.title, j.outcome) for j in jobs] == [
        ("Cube", JobOutcome.FINISHED),
        ("Stopped", JobOutcome.FAILED),
        ("Canceled", JobOutcome.FAILED),
    ]
    assert jobs[0].start == EPOCH
    assert jobs[0].end == EPOCH + timedelta(minutes=30)
    assert jobs[0].seconds == 1800
    assert jobs[0].weight is None
    assert history.totals(LAN_SERIAL) == Totals(finished=1, failed=2, seconds=1800)


async def test_a_job_already_ended_at_start_up_is_not_recorded(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "x1c-multi-ams")  # FINISH
    link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    assert _history(entry).printer(LAN_SERIAL) is None


async def test_a_job_running_at_start_up_is_recorded_when_it_ends(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "p2s")  # RUNNING
    link.deliver(LAN_SERIAL, report(gcode_state="PAUSE"))
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING"))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    record = _history(entry).printer(LAN_SERIAL)
    assert record is not None
    assert [j.title for j in record.jobs.values()] == ["Rear Dry Pod AMS 2 PRO"]


async def test_a_job_without_a_name_is_named_after_the_printer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "a1-ams-lite")
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", gcode_file=""))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    record = _history(entry).printer(LAN_SERIAL)
    assert record is not None
    assert [j.title for j in record.jobs.values()] == [entry.title]


async def test_lan_job_takes_weight_and_length_from_its_file(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """What the job's file says it uses goes into the history and the totals."""

    def lookup(key: JobKey) -> JobDetails:
        return JobDetails(key, JobSource.PRINTER, weight_grams=12.5, length_meters=4.25)

    with (
        patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]),
        patch.object(job_module, "SETTLE_SECONDS", 0),
        patch.object(JobTracker, "_lookup", AsyncMock(side_effect=lookup)),
    ):
        entry, link = await setup_capture(hass, "a1-ams-lite")
        link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", subtask_name="Gear"))
        await hass.async_block_till_done()
        link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
        await hass.async_block_till_done()
    record = _history(entry).printer(LAN_SERIAL)
    assert record is not None
    [gear] = record.jobs.values()
    assert (gear.title, gear.weight, gear.length) == ("Gear", 12.5, 4.25)
    totals = _history(entry).totals(LAN_SERIAL)
    assert totals is not None
    assert (totals.milligrams, totals.millimetres) == (12500, 4250)


async def test_lan_history_survives_a_restart(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    run_job(link, LAN_SERIAL, "Before restart")
    await hass.async_block_till_done()
    # Written on unload without waiting for the delayed save.
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[storage_key(entry.entry_id)]["data"]
    assert [j["title"] for j in stored["printers"][LAN_SERIAL]["jobs"]] == [
        "Before restart"
    ]

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    history = _history(entry)
    assert history.totals(LAN_SERIAL) == Totals(finished=1)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version("a1-ams-lite"))
    link.deliver(LAN_SERIAL, pushall("a1-ams-lite"))
    freezer.tick(timedelta(hours=1))
    run_job(link, LAN_SERIAL, "After restart")
    await hass.async_block_till_done()
    assert history.totals(LAN_SERIAL) == Totals(finished=2)


async def test_stored_history_is_read_at_start_up(
    hass: HomeAssistant, fake_link: type[FakeLink], hass_storage: dict[str, Any]
) -> None:
    entry = lan_entry("a1-ams-lite")
    stored = PrinterHistory()
    stored.add(_job("lan-1", 5))
    stored.add(_job("lan-2", 3, outcome=JobOutcome.FAILED))
    hass_storage[storage_key(entry.entry_id)] = {
        "version": 1,
        "key": storage_key(entry.entry_id),
        "data": {"printers": {LAN_SERIAL: stored.as_dict(), "bad": 3}},
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    history = _history(entry)
    assert history.totals(LAN_SERIAL) == Totals(
        finished=1, failed=1, seconds=3600, milligrams=10_500, millimetres=3250
    )
    assert history.printer("bad") is None


async def test_impossible_stored_dates_never_fail_the_setup(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Month 13, an offset of 25 hours: skipped and logged, the rest is kept."""
    entry = lan_entry("a1-ams-lite")
    stored = PrinterHistory()
    stored.add(_job("lan-1", 5))
    record = stored.as_dict()
    record["jobs"] += [
        {**_job("lan-2", 4).as_dict(), "start": "2026-13-01T10:00:00+00:00"},
        {**_job("lan-3", 3).as_dict(), "end": "2026-01-01T10:00:00+25:00"},
        {**_job("lan-4", 2).as_dict(), "start": "2026-01-01T10:00:00+25:00"},
    ]
    record["archived"] = {"finished": float("inf"), "seconds": -50}
    record["archived_before"] = "2026-13-01T00:00:00+00:00"
    hass_storage[storage_key(entry.entry_id)] = {
        "version": 1,
        "key": storage_key(entry.entry_id),
        "data": {"printers": {LAN_SERIAL: record}},
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    kept = _history(entry).printer(LAN_SERIAL)
    assert kept is not None
    assert sorted(kept.jobs) == ["lan-1", "lan-3"]
    assert kept.jobs["lan-3"].end is None
    assert kept.totals() == Totals(
        finished=2, seconds=3600, milligrams=21_000, millimetres=6500
    )
    assert (
        f"Skipped 2 unreadable jobs of the stored print history of {LAN_SERIAL}"
        in caplog.text
    )


async def test_an_unreadable_store_never_fails_the_setup(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A newer storage version (after a downgrade) starts an empty history."""
    entry = lan_entry("a1-ams-lite")
    hass_storage[storage_key(entry.entry_id)] = {
        "version": 99,
        "key": storage_key(entry.entry_id),
        "data": {"printers": {}},
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert _history(entry).totals(LAN_SERIAL) == Totals()
    assert "The stored print history could not be read" in caplog.text


async def test_a_clock_set_back_during_a_job_adds_no_negative_time(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")  # IDLE
    history = _history(entry)
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", subtask_name="Cube"))
    freezer.tick(timedelta(minutes=30))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))
    assert history.totals(LAN_SERIAL) == Totals(finished=1, seconds=1800)

    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", subtask_name="Back"))
    freezer.tick(timedelta(minutes=20))
    freezer.move_to(EPOCH - timedelta(hours=1))  # NTP corrects a fast clock
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    record = history.printer(LAN_SERIAL)
    assert record is not None
    back = next(job for job in record.jobs.values() if job.title == "Back")
    assert back.seconds == 0
    assert history.totals(LAN_SERIAL) == Totals(finished=2, seconds=1800)


async def test_history_is_saved_a_little_after_a_change(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry, link = await setup_capture(hass, "a1-ams-lite")
    run_job(link, LAN_SERIAL, "Saved later")
    await hass.async_block_till_done()
    key = storage_key(entry.entry_id)
    assert key not in hass_storage
    freezer.tick(timedelta(seconds=history_store.SAVE_DELAY + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    jobs = hass_storage[key]["data"]["printers"][LAN_SERIAL]["jobs"]
    assert [j["title"] for j in jobs] == ["Saved later"]


async def test_lan_history_is_bounded(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    with patch.object(history_recorder, "MAX_JOBS", 3):
        for number in range(5):
            freezer.tick(timedelta(hours=1))
            run_job(link, LAN_SERIAL, f"Job {number}")
            link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))
    await hass.async_block_till_done()
    history = _history(entry)
    record = history.printer(LAN_SERIAL)
    assert record is not None
    assert sorted(j.title for j in record.jobs.values()) == ["Job 2", "Job 3", "Job 4"]
    assert history.totals(LAN_SERIAL) == Totals(finished=5)


async def test_removing_the_entry_deletes_its_history(
    hass: HomeAssistant, fake_link: type[FakeLink], hass_storage: dict[str, Any]
) -> None:
    entry, link = await setup_capture(hass, "a1-ams-lite")
    run_job(link, LAN_SERIAL, "Gone")
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert storage_key(entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(entry.entry_id) not in hass_storage


# --- cloud accounts ------------------------------------------------------------------


@pytest.fixture
def entry(cloud: FakeCloud) -> MockConfigEntry:
    return make_cloud_entry(cloud)


async def _settle(hass: HomeAssistant) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)


async def _start(
    hass: HomeAssistant, entry: MockConfigEntry, capture: str = "a1-ams-lite"
) -> FakeLink:
    link = await setup_cloud_capture(hass, entry, capture)
    await _settle(hass)
    return link


def _seed(
    cloud: FakeCloud, count: int, *, first_id: int = 1000
) -> list[dict[str, Any]]:
    """``count`` finished tasks, oldest first; every 4th failed."""
    tasks = [
        task(
            first_id + n,
            CLOUD_SERIAL,
            status=3 if n % 4 == 3 else 2,
            end=EPOCH - timedelta(hours=count - n),
            weight=10 + n,
            length=1000 + n,
        )
        for n in range(count)
    ]
    cloud.tasks.extend(tasks)
    return tasks


def _expected(tasks: list[dict[str, Any]]) -> Totals:
    finished = [t for t in tasks if t["status"] == 2]
    failed = [t for t in tasks if t["status"] == 3]
    return Totals(
        finished=len(finished),
        failed=len(failed),
        seconds=sum(t["costTime"] for t in finished + failed),
        milligrams=sum(round(t["weight"] * 1000) for t in finished),
        millimetres=sum(round(t["length"]) for t in finished),
    )


def _queries(cloud: FakeCloud) -> list[dict[str, str]]:
    return [seen.query for seen in cloud.requests_to(TASKS)]


async def test_first_fetch_pages_through_the_whole_history(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 45)
    cloud.tasks.append(task(5000, "OTHERPRINTER"))  # not ours
    await _start(hass, entry)
    history = _history(entry)
    queries = _queries(cloud)
    assert [q.get("after") for q in queries] == [None, "1025", "1005", "1000"]
    assert {q["deviceId"] for q in queries} == {CLOUD_SERIAL}
    assert {q["limit"] for q in queries} == {"20"}
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert record.complete
    assert len(record.jobs) == 45
    assert history.last_update_success


async def test_totals_are_unknown_until_the_first_fetch(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    _seed(cloud, 3)
    cloud.fail(TASKS, Fault.SERVER_ERROR)
    await _start(hass, entry)
    history = _history(entry)
    assert history.totals(CLOUD_SERIAL) is None
    assert history.totals("UNKNOWN") is None
    assert not history.last_update_success


async def test_a_job_end_fetches_only_the_new_page(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 30)
    link = await _start(hass, entry)
    history = _history(entry)
    fetched = len(_queries(cloud))

    new = task(2000, CLOUD_SERIAL, title="Fresh", end=EPOCH, weight=7.25, length=2500)
    cloud.tasks.append(new)
    run_job(link, CLOUD_SERIAL, "Fresh")
    await _settle(hass)

    assert _queries(cloud)[fetched:] == [{"deviceId": CLOUD_SERIAL, "limit": "20"}]
    assert history.totals(CLOUD_SERIAL) == _expected([*tasks, new])
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert record.jobs["2000"].title == "Fresh"


async def test_a_running_task_updates_when_it_ends(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 3)
    running = task(2000, CLOUD_SERIAL, status=1, end=EPOCH)
    cloud.tasks.append(running)
    link = await _start(hass, entry)
    history = _history(entry)
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)

    running["status"] = 2
    run_job(link, CLOUD_SERIAL, "Running")
    await _settle(hass)
    assert history.totals(CLOUD_SERIAL) == _expected([*tasks, running])


async def test_a_late_task_is_looked_for_again(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    _seed(cloud, 2)
    link = await _start(hass, entry)
    history = _history(entry)
    fetched = len(_queries(cloud))

    run_job(link, CLOUD_SERIAL, "Late")
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 1  # not listed yet
    cloud.tasks.append(task(2000, CLOUD_SERIAL, title="Late", end=EPOCH))
    freezer.tick(timedelta(seconds=history_module.FOLLOW_UP_DELAYS[0] + 1))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 2
    assert history.totals(CLOUD_SERIAL) == Totals(
        finished=3,
        seconds=3 * 1800,
        milligrams=12_500 + 10_000 + 11_000,
        millimetres=4000 + 1000 + 1001,
    )
    # Found: nothing more is scheduled.
    freezer.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 2


async def test_looking_again_gives_up_after_a_while(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    link = await _start(hass, entry)
    fetched = len(_queries(cloud))
    run_job(link, CLOUD_SERIAL, "Never listed")
    await _settle(hass)
    for delay in history_module.FOLLOW_UP_DELAYS:
        freezer.tick(timedelta(seconds=delay + 1))
        async_fire_time_changed(hass)
        await _settle(hass)
    assert len(_queries(cloud)) == fetched + 1 + len(history_module.FOLLOW_UP_DELAYS)
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 1 + len(history_module.FOLLOW_UP_DELAYS)


async def test_restart_reuses_the_stored_history_without_counting_twice(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 45)
    await _start(hass, entry)
    expected = _expected(tasks)
    assert _history(entry).totals(CLOUD_SERIAL) == expected

    assert await hass.config_entries.async_unload(entry.entry_id)
    fetched = len(_queries(cloud))
    assert await hass.config_entries.async_setup(entry.entry_id)
    # Known at once, from storage, before anything is fetched.
    assert _history(entry).totals(CLOUD_SERIAL) == expected
    await _settle(hass)
    assert _history(entry).totals(CLOUD_SERIAL) == expected
    assert _queries(cloud)[fetched:] == [{"deviceId": CLOUD_SERIAL, "limit": "20"}]


async def test_a_long_history_is_fetched_over_several_refreshes(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    tasks = _seed(cloud, 95)
    with (
        patch.object(history_cloud, "MAX_PAGES", 2),
        patch.object(history_cloud, "MAX_JOBS", 50),
    ):
        await _start(hass, entry)
        history = _history(entry)
        record = history.printer(CLOUD_SERIAL)
        assert record is not None
        assert not record.complete
        assert len(_queries(cloud)) == 2
        # Not counted before the oldest page: the totals only ever grow.
        assert history.totals(CLOUD_SERIAL) is None
        for _ in range(10):
            if record.complete:
                break
            freezer.tick(timedelta(seconds=history_module.CONTINUE_DELAY + 1))
            async_fire_time_changed(hass)
            await _settle(hass)
    assert record.complete
    # The newest 50 are kept; all 95 are counted, each once.
    assert len(record.jobs) == 50
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)
    # Each refresh: the newest page (it holds known tasks), then older ones.
    assert [q.get("after") for q in _queries(cloud)] == [
        *(None, "1075"),
        *(None, "1055"),
        *(None, "1035"),
        *(None, "1015"),
        *(None, "1000"),  # the empty page after the oldest
    ]
    freezer.tick(history_module.SAFETY_INTERVAL)
    async_fire_time_changed(hass)
    await _settle(hass)
    assert [q.get("after") for q in _queries(cloud)][10:] == [None]
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)


async def test_a_printer_added_later_is_fetched(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    await _start(hass, entry)
    history = _history(entry)
    new_serial = "01P00A000000078"
    cloud.tasks.append(task(3000, new_serial))
    hub = entry.runtime_data.hub
    assert hub.account is not None
    coordinator = hub._add_coordinator(hub.account.printer(new_serial, name="New"))
    link = FakeLink.links[0]
    link.deliver(new_serial, get_version("p1p-ams"))
    link.deliver(new_serial, pushall("p1p-ams"))
    await _settle(hass)
    assert coordinator.data.has_full_report
    assert history.totals(new_serial) == Totals(
        finished=1, seconds=1800, milligrams=12_500, millimetres=4000
    )


# --- cloud faults ------------------------------------------------------------------


async def test_expired_token_starts_reauth_and_leaves_the_printer_alone(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    _seed(cloud, 3)
    cloud.fail(TASKS, Fault.UNAUTHORIZED)
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        link = await _start(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    flows = hass.config_entries.flow.async_progress_by_handler("bambu_cloud")
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    status = entity_id(hass, "sensor", CLOUD_SERIAL, "print_status")
    assert hass.states.get(status).state not in (STATE_UNAVAILABLE, None)
    # No more asking until the user logged in again.
    fetched = len(_queries(cloud))
    run_job(link, CLOUD_SERIAL, "Ignored")
    await _settle(hass)
    assert len(_queries(cloud)) == fetched
    assert hass.states.get(status).state != STATE_UNAVAILABLE


async def test_throttling_is_honoured(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    tasks = _seed(cloud, 3)
    link = await _start(hass, entry)
    history = _history(entry)
    cloud.fail(TASKS, Fault.RATE_LIMITED)  # Retry-After: 7
    run_job(link, CLOUD_SERIAL, "First")
    await _settle(hass)
    fetched = len(_queries(cloud))
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)  # kept

    link.deliver(CLOUD_SERIAL, report(gcode_state="IDLE"))
    run_job(link, CLOUD_SERIAL, "Second")  # during the back-off: not asked
    await _settle(hass)
    freezer.tick(timedelta(seconds=5))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched

    cloud.clear_fault()
    new = task(2000, CLOUD_SERIAL, end=EPOCH)
    cloud.tasks.append(new)
    freezer.tick(timedelta(seconds=3))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 1
    assert history.totals(CLOUD_SERIAL) == _expected([*tasks, new])
    assert history.last_update_success


async def test_throttling_without_retry_after_waits_a_minute(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    cloud.retry_after = None
    cloud.fail(TASKS, Fault.RATE_LIMITED)
    await _start(hass, entry)
    fetched = len(_queries(cloud))
    freezer.tick(timedelta(seconds=50))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 1


async def test_outage_keeps_the_data_and_logs_once(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks = _seed(cloud, 5)
    link = await _start(hass, entry)
    history = _history(entry)
    caplog.clear()
    cloud.fail(TASKS, Fault.SERVER_ERROR)
    run_job(link, CLOUD_SERIAL, "During the outage")
    await _settle(hass)
    freezer.tick(timedelta(seconds=history_module.RETRY_DELAY + 1))
    async_fire_time_changed(hass)
    await _settle(hass)
    logged = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and r.levelno >= logging.WARNING
    ]
    assert len(logged) == 1
    assert "history" in logged[0].getMessage()
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert len(record.jobs) == 5

    cloud.clear_fault()
    new = task(2000, CLOUD_SERIAL, end=EPOCH)
    cloud.tasks.append(new)
    freezer.tick(timedelta(seconds=history_module.RETRY_DELAY + 1))
    async_fire_time_changed(hass)
    await _settle(hass)
    recovered = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(recovered) == 1
    assert history.totals(CLOUD_SERIAL) == _expected([*tasks, new])


@pytest.mark.parametrize(
    "fault",
    [
        Fault.INVALID_JSON,
        Canned(200, {"nothing": "here"}),
        Canned(403, {"error": "forbidden"}),
    ],
)
async def test_unusable_answers_keep_the_data(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    fault: Fault | Canned,
) -> None:
    tasks = _seed(cloud, 2)
    link = await _start(hass, entry)
    history = _history(entry)
    cloud.fail(TASKS, fault)
    run_job(link, CLOUD_SERIAL, "Bad answer")
    await _settle(hass)
    assert not history.last_update_success
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)


async def test_a_timeout_keeps_the_data(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 2)
    link = await _start(hass, entry)
    history = _history(entry)
    hub = entry.runtime_data
    assert hub.cloud is not None
    hub.cloud._timeout = aiohttp.ClientTimeout(total=0.2)
    cloud.fail(TASKS, Fault.SLOW)
    run_job(link, CLOUD_SERIAL, "Slow")
    await _settle(hass)
    cloud.release.set()
    assert not history.last_update_success
    assert isinstance(history.last_exception, Exception)
    assert "timed out" in str(history.last_exception)
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)


async def test_a_page_failing_halfway_keeps_the_pages_before(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 45)
    cloud.fail(TASKS, Fault.SERVER_ERROR, after=1)
    await _start(hass, entry)
    history = _history(entry)
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert len(record.jobs) == 20  # the first page, shown on the calendar
    assert history.totals(CLOUD_SERIAL) is None  # not counted before complete

    cloud.clear_fault()
    link = FakeLink.links[0]
    run_job(link, CLOUD_SERIAL, "Next")
    await _settle(hass)
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)


# --- corners ---------------------------------------------------------------------


async def test_a_lan_entry_fetches_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "a1-ams-lite")
    history = _history(entry)
    await history.async_refresh()
    assert history.last_update_success
    assert history.data == {}


async def test_printers_without_job_state_are_followed_quietly(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    entry, link = await setup_capture(hass, "a1-ams-lite")
    history = _history(entry)
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING"))
    assert history.job_start(LAN_SERIAL) is not None
    link.deliver(LAN_SERIAL, report(gcode_state="BOGUS"))  # ignored
    assert history.job_start(LAN_SERIAL) is not None
    link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))
    assert history.job_start(LAN_SERIAL) is None
    # Parts changing (a new AMS) call the listener again: still one watch.
    history._follow(coordinator)
    freezer.tick(timedelta(minutes=1))
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING"))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    record = history.printer(LAN_SERIAL)
    assert record is not None
    # The first ended in IDLE without FINISH: stopped.
    assert sorted(j.outcome for j in record.jobs.values()) == [
        JobOutcome.FAILED,
        JobOutcome.FINISHED,
    ]


async def test_a_replaced_coordinator_is_followed_instead(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "a1-ams-lite")
    history = _history(entry)
    hub = entry.runtime_data.hub
    old = hub.printers[LAN_SERIAL]
    new = hub._add_coordinator(Printer(LAN_SERIAL, name="Again"))
    history._follow(new)
    old.handle_message(report(gcode_state="RUNNING"))
    old.handle_message(report(gcode_state="FINISH"))
    assert history.printer(LAN_SERIAL) is None  # no longer followed
    new.handle_message(pushall("a1-ams-lite"))  # jobs count from a full report
    new.handle_message(report(gcode_state="RUNNING", subtask_name="New one"))
    new.handle_message(report(gcode_state="FINISH"))
    record = history.printer(LAN_SERIAL)
    assert record is not None
    assert [j.title for j in record.jobs.values()] == ["New one"]


async def test_many_new_tasks_are_fetched_down_to_the_known_ones(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 5)
    link = await _start(hass, entry)
    fetched = len(_queries(cloud))
    newer = _seed(cloud, 30, first_id=3000)
    broken = task(2999, CLOUD_SERIAL)
    del broken["startTime"]
    cloud.tasks.append(broken)
    run_job(link, CLOUD_SERIAL, "Busy day")
    await _settle(hass)
    assert [q.get("after") for q in _queries(cloud)[fetched:]] == [None, "3010"]
    history = _history(entry)
    assert history.totals(CLOUD_SERIAL) == _expected([*tasks, *newer])


async def test_a_stored_history_without_cursor_is_completed(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    tasks = _seed(cloud, 25)
    stored = PrinterHistory()
    for item in tasks[-3:]:
        job = HistoryJob.from_task(CloudTask.from_json(item))
        assert job is not None
        stored.add(job)
    hass_storage[storage_key(entry.entry_id)] = {
        "version": 1,
        "key": storage_key(entry.entry_id),
        "data": {"printers": {CLOUD_SERIAL: stored.as_dict()}},
    }
    await _start(hass, entry)
    assert [q.get("after") for q in _queries(cloud)] == [None, "1005", "1000"]
    history = _history(entry)
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert record.complete
    assert history.totals(CLOUD_SERIAL) == _expected(tasks)


async def test_an_emptied_cloud_history_keeps_what_we_have(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 3)
    link = await _start(hass, entry)
    cloud.tasks.clear()
    run_job(link, CLOUD_SERIAL, "Deleted in the app")
    await _settle(hass)
    assert _history(entry).totals(CLOUD_SERIAL) == _expected(tasks)


async def test_a_refresh_while_throttled_asks_nothing(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    cloud.fail(TASKS, Fault.RATE_LIMITED)
    await _start(hass, entry)
    fetched = len(_queries(cloud))
    history = _history(entry)
    await history.async_refresh()
    assert len(_queries(cloud)) == fetched
    assert not history.last_update_success


async def test_two_jobs_ending_close_together_ask_once_each(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    link = await _start(hass, entry)
    fetched = len(_queries(cloud))
    run_job(link, CLOUD_SERIAL, "One")
    link.deliver(CLOUD_SERIAL, report(gcode_state="IDLE"))
    run_job(link, CLOUD_SERIAL, "Two")
    await _settle(hass)
    # The second request waits for the first, which took it along.
    assert len(_queries(cloud)) == fetched + 1
    # Neither is listed: one follow-up is scheduled.
    freezer.tick(timedelta(seconds=history_module.FOLLOW_UP_DELAYS[0] + 1))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 2


async def test_a_job_ending_during_a_follow_up_wait_restarts_it(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    link = await _start(hass, entry)
    fetched = len(_queries(cloud))
    run_job(link, CLOUD_SERIAL, "One")
    await _settle(hass)
    freezer.tick(timedelta(seconds=20))
    link.deliver(CLOUD_SERIAL, report(gcode_state="IDLE"))
    run_job(link, CLOUD_SERIAL, "Two")
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 2
    freezer.tick(timedelta(seconds=15))  # the first wait would be over
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 2
    freezer.tick(timedelta(seconds=20))
    async_fire_time_changed(hass)
    await _settle(hass)
    assert len(_queries(cloud)) == fetched + 3


async def test_new_tasks_beyond_the_page_budget_are_fetched_next_time(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
) -> None:
    tasks = _seed(cloud, 5)
    with patch.object(history_cloud, "MAX_PAGES", 2):
        link = await _start(hass, entry)
        newer = _seed(cloud, 50, first_id=3000)
        run_job(link, CLOUD_SERIAL, "Busy")
        await _settle(hass)
        history = _history(entry)
        record = history.printer(CLOUD_SERIAL)
        assert record is not None
        assert record.gap == "3010"
        assert history.totals(CLOUD_SERIAL) == _expected(newer[-40:] + tasks)
        fetched = len(_queries(cloud))
        link.deliver(CLOUD_SERIAL, report(gcode_state="IDLE"))
        run_job(link, CLOUD_SERIAL, "Busier")
        await _settle(hass)
    assert [q.get("after") for q in _queries(cloud)[fetched:]] == [None, "3010"]
    assert record.gap is None
    assert history.totals(CLOUD_SERIAL) == _expected(newer + tasks)


async def test_jobs_starting_in_the_same_instant_are_both_kept(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    run_job(link, LAN_SERIAL, "First")
    run_job(link, LAN_SERIAL, "Second", "FAILED")
    record = _history(entry).printer(LAN_SERIAL)
    assert record is not None
    assert sorted(j.title for j in record.jobs.values()) == ["First", "Second"]
    assert _history(entry).totals(LAN_SERIAL) == Totals(finished=1, failed=1)
