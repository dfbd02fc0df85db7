"""Job energy and cost of a LAN printer: history, print event, calendar, sensors."""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.history import FOLLOW_UP_DELAYS
from custom_components.bambu_cloud.history_jobs import HistoryJob
from custom_components.bambu_cloud.history_store import (
    MAX_COSTS_DUE,
    HistoryStore,
    storage_key as history_storage_key,
)
from custom_components.bambu_cloud.job_cost_tracker import storage_key
from custom_components.bambu_cloud.sensor_costs import async_add_cost_sensors
from simulator.cloud import FakeCloud
from tests.cloud_helpers import CLOUD_SERIAL, cloud_entry, setup_cloud_capture
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry
from tests.fake_link import FakeLink
from tests.history_helpers import EPOCH, entity_id, report, task

METER = "sensor.plug_energy"
PRICE = "sensor.electricity_price"
PRINTER_FILES = [
    JobFilament(1, "PLA", "#FFFFFF", 40.0, 13.0),
    JobFilament(2, "PETG", "#000000", 10.0, 3.0),
]


async def _cost_sensors_only(hass: HomeAssistant, entry: Any, add: Any) -> None:
    async_add_cost_sensors(entry, add)


@pytest.fixture(autouse=True)
def _platforms(job_files: AsyncMock) -> Generator[None]:
    """The cost sensors, the print event and the calendar; files say PLA + PETG."""

    def lookup(key: JobKey) -> JobDetails:
        return JobDetails(key, JobSource.PRINTER, 50.0, 16.0, tuple(PRINTER_FILES))

    job_files.side_effect = lookup
    with (
        patch(
            "custom_components.bambu_cloud.PLATFORMS",
            [Platform.SENSOR, Platform.EVENT, Platform.CALENDAR],
        ),
        patch(
            "custom_components.bambu_cloud.sensor.async_setup_entry",
            _cost_sensors_only,
        ),
    ):
        yield


def _meter(hass: HomeAssistant, value: float | str, unit: str = "kWh") -> None:
    hass.states.async_set(
        METER,
        str(value),
        {
            "unit_of_measurement": unit,
            "device_class": "energy",
            "state_class": "total_increasing",
        },
    )


async def _setup(
    hass: HomeAssistant, options: dict[str, Any], capture: str = "a1-ams-lite"
) -> tuple[MockConfigEntry, FakeLink]:
    base = lan_entry(capture)
    entry = MockConfigEntry(
        domain=base.domain,
        title=base.title,
        unique_id=base.unique_id,
        data=dict(base.data),
        options={"camera": True, **options},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version(capture))
    link.deliver(LAN_SERIAL, pushall(capture))
    await hass.async_block_till_done()
    return entry, link


def _start(link: FakeLink, name: str = "Cube") -> None:
    link.deliver(
        LAN_SERIAL,
        report(gcode_state="RUNNING", subtask_name=name, mc_percent=0),
    )


def _jobs(entry: MockConfigEntry) -> list[HistoryJob]:
    record = entry.runtime_data.history.printer(LAN_SERIAL)
    assert record is not None
    return sorted(record.jobs.values(), key=lambda job: job.start)


def _value(hass: HomeAssistant, key: str) -> str:
    state = hass.states.get(entity_id(hass, "sensor", LAN_SERIAL, key))
    assert state is not None
    return state.state


FULL = {
    "energy_entity": METER,
    "energy_price": 0.30,
    "filament_prices": {"PLA": 20.0, "PETG": 30.0},
}


async def test_a_finished_job_carries_its_energy_and_cost_everywhere(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    _meter(hass, 10.0)
    entry, link = await _setup(hass, FULL)
    print_id = entity_id(hass, "event", LAN_SERIAL, "print")
    assert _value(hass, "last_job_energy") == STATE_UNKNOWN
    assert _value(hass, "total_job_cost") == "0.0"

    _start(link)
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=30))
    _meter(hass, 10.2)
    freezer.tick(timedelta(minutes=30))
    _meter(hass, 10.5)
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()

    # 0.5 kWh at 0.30; 40 g of PLA at 20/kg and 10 g of PETG at 30/kg.
    [job] = _jobs(entry)
    assert job.energy == pytest.approx(0.5)
    assert job.cost == pytest.approx(0.15 + 0.8 + 0.3)
    event = hass.states.get(print_id)
    assert event is not None
    assert event.attributes["event_type"] == "finished"
    assert event.attributes["energy"] == pytest.approx(0.5)
    assert event.attributes["energy_cost"] == pytest.approx(0.15)
    assert event.attributes["filament_cost"] == pytest.approx(1.1)
    assert event.attributes["cost"] == pytest.approx(1.25)
    assert float(_value(hass, "last_job_energy")) == pytest.approx(0.5)
    assert float(_value(hass, "last_job_cost")) == pytest.approx(1.25)
    assert float(_value(hass, "total_job_energy")) == pytest.approx(0.5)
    assert float(_value(hass, "total_job_cost")) == pytest.approx(1.25)

    calendar = entity_id(hass, CALENDAR_DOMAIN, LAN_SERIAL, "history")
    events = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {"start_date_time": EPOCH - timedelta(hours=1), "duration": {"hours": 3}},
        target={"entity_id": calendar},
        blocking=True,
        return_response=True,
    )
    [shown] = events[calendar]["events"]  # type: ignore[index]
    assert "Energy: 0.500 kWh" in shown["description"]
    assert "Cost: 1.25" in shown["description"]


async def test_a_meter_reset_during_a_job_is_counted_from_zero(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _meter(hass, 10.0)
    entry, link = await _setup(hass, {"energy_entity": METER})
    _start(link)
    await hass.async_block_till_done()
    _meter(hass, 10.3)
    _meter(hass, 0.1)  # the plug restarted its counter
    _meter(hass, 400, "Wh")
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    [job] = _jobs(entry)
    assert job.energy == pytest.approx(0.7)
    assert job.cost is None  # nothing priced
    assert float(_value(hass, "total_job_energy")) == pytest.approx(0.7)
    # No price set: no cost sensors.
    registry = er.async_get(hass)
    for key in ("last_job_cost", "total_job_cost"):
        assert (
            registry.async_get_entity_id("sensor", DOMAIN, f"{LAN_SERIAL}_{key}")
            is None
        )


async def test_a_meter_unavailable_for_long_makes_the_jobs_energy_unknown(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    _meter(hass, 10.0)
    entry, link = await _setup(hass, FULL)
    _start(link)
    await hass.async_block_till_done()
    _meter(hass, 10.1)
    _meter(hass, STATE_UNAVAILABLE)
    freezer.tick(timedelta(minutes=40))
    _meter(hass, 10.9)
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    [job] = _jobs(entry)
    assert job.energy is None
    assert job.cost is None  # the energy part is unknown, so the whole is
    assert _value(hass, "last_job_energy") == STATE_UNKNOWN
    assert _value(hass, "last_job_cost") == STATE_UNKNOWN
    assert float(_value(hass, "total_job_energy")) == 0.0
    event = hass.states.get(entity_id(hass, "event", LAN_SERIAL, "print"))
    assert event is not None
    assert event.attributes["energy"] is None
    assert event.attributes["filament_cost"] == pytest.approx(1.1)


async def test_a_missing_filament_price_makes_the_cost_unknown_not_zero(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await _setup(hass, {"filament_prices": {"PLA": 20.0}})
    _start(link)
    await hass.async_block_till_done()
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    [job] = _jobs(entry)
    assert job.cost is None  # PETG has no price
    assert _value(hass, "last_job_cost") == STATE_UNKNOWN
    assert float(_value(hass, "total_job_cost")) == 0.0


async def test_a_failed_job_costs_what_its_progress_printed(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _meter(hass, 5.0)
    hass.states.async_set(PRICE, "250", {"unit_of_measurement": "EUR/MWh"})
    options = {**FULL, "energy_price_entity": PRICE}
    entry, link = await _setup(hass, options)
    _start(link)
    await hass.async_block_till_done()
    _meter(hass, 5.4)
    link.deliver(
        LAN_SERIAL,
        report(gcode_state="FAILED", mc_percent=50, print_error=0x0300400C),
    )
    await hass.async_block_till_done()
    [job] = _jobs(entry)
    # 0.4 kWh at 0.25 (the entity wins), and half of the filament.
    assert job.energy == pytest.approx(0.4)
    assert job.cost == pytest.approx(0.1 + 0.55)
    assert float(_value(hass, "total_job_cost")) == pytest.approx(0.65)


async def test_a_restart_during_a_job_keeps_its_energy_and_the_totals(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_storage: dict[str, Any],
) -> None:
    _meter(hass, 10.0)
    entry, link = await _setup(hass, FULL)
    _start(link, "First")
    await hass.async_block_till_done()
    _meter(hass, 10.5)
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    _start(link, "Long one")
    await hass.async_block_till_done()
    _meter(hass, 10.7)
    await hass.async_block_till_done()

    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[storage_key(entry.entry_id)]["data"]
    assert stored["runs"][LAN_SERIAL]["job_name"] == "Long one"
    _meter(hass, 11.0)  # the plug counts while Home Assistant is away
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # The printer is still on the same job: adopted, then it finishes.
    link = FakeLink.links[-1]
    running = pushall("a1-ams-lite")
    running["print"].update(gcode_state="RUNNING", subtask_name="Long one")
    link.deliver(LAN_SERIAL, get_version("a1-ams-lite"))
    link.deliver(LAN_SERIAL, running)
    await hass.async_block_till_done()
    assert float(_value(hass, "total_job_energy")) == pytest.approx(0.5)
    assert float(_value(hass, "total_job_cost")) == pytest.approx(0.15 + 1.1)
    _meter(hass, 11.2)
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    long_one = _jobs(entry)[-1]
    assert long_one.title == "Long one"
    assert long_one.energy == pytest.approx(0.7)  # 10.5 -> 11.2, downtime too
    assert float(_value(hass, "total_job_energy")) == pytest.approx(1.2)


async def test_a_job_seen_only_after_its_start_has_no_energy(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _meter(hass, 10.0)
    entry, link = await _setup(hass, {"energy_entity": METER}, "p2s")  # RUNNING
    _meter(hass, 10.4)
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done()
    [job] = _jobs(entry)
    assert job.energy is None  # its start was not seen


async def test_lan_options_store_the_meter_and_prices(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await _setup(hass, {})
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "lan"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"camera": True, "energy_entity": METER, "filament_prices": "PLA 20"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"filament_prices": "invalid_filament_prices"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "camera": False,
            "energy_entity": METER,
            "energy_price": 0.3,
            "filament_prices": "pla = 20, PETG = 25.5",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == {
        "camera": False,
        "energy_entity": METER,
        "energy_price": 0.3,
        "filament_prices": {"PLA": 20.0, "PETG": 25.5},
    }
    await hass.async_block_till_done()
    # Shown again as they were written.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    assert suggested["filament_prices"] == "PLA = 20, PETG = 25.5"
    assert suggested["energy_entity"] == METER


async def test_an_account_printers_job_gets_its_figures_on_the_clouds_task(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """The cloud lists the task a little later; the figures join it there."""
    _meter(hass, 3.0)
    entry = cloud_entry(
        cloud,
        printers={CLOUD_SERIAL: {"energy_entity": METER, "energy_price": 0.5}},
    )
    link = await setup_cloud_capture(hass, entry, "a1-ams-lite")
    await hass.async_block_till_done(wait_background_tasks=True)
    link.deliver(
        CLOUD_SERIAL,
        report(gcode_state="RUNNING", subtask_name="Fresh", task_id="2000"),
    )
    await hass.async_block_till_done()
    _meter(hass, 3.8)
    cloud.tasks.append(task(2000, CLOUD_SERIAL, title="Fresh", end=EPOCH))
    link.deliver(CLOUD_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done(wait_background_tasks=True)

    history = entry.runtime_data.history
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    fresh = record.jobs["2000"]
    assert fresh.energy == pytest.approx(0.8)
    assert fresh.cost == pytest.approx(0.4)
    # Fetching the task again (the safety refresh) keeps them.
    await history.async_refresh()
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert record.jobs["2000"].energy == pytest.approx(0.8)


async def _end_unlisted_cloud_job(
    hass: HomeAssistant, cloud: FakeCloud
) -> MockConfigEntry:
    """An account printer ends job 2000 (0.8 kWh at 0.5); the cloud lists nothing."""
    _meter(hass, 3.0)
    entry = cloud_entry(
        cloud,
        printers={CLOUD_SERIAL: {"energy_entity": METER, "energy_price": 0.5}},
    )
    link = await setup_cloud_capture(hass, entry, "a1-ams-lite")
    await hass.async_block_till_done(wait_background_tasks=True)
    link.deliver(
        CLOUD_SERIAL,
        report(gcode_state="RUNNING", subtask_name="Fresh", task_id="2000"),
    )
    await hass.async_block_till_done()
    _meter(hass, 3.8)
    link.deliver(CLOUD_SERIAL, report(gcode_state="FINISH", mc_percent=100))
    await hass.async_block_till_done(wait_background_tasks=True)
    record = entry.runtime_data.history.printer(CLOUD_SERIAL)
    assert record is not None
    assert "2000" not in record.jobs  # not listed yet
    return entry


async def test_an_account_printers_figures_survive_a_restart_before_the_task_is_listed(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant restarts between the job's end and the cloud listing it."""
    entry = await _end_unlisted_cloud_job(hass, cloud)
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[history_storage_key(entry.entry_id)]["data"]
    assert [(d["serial"], d["task_id"]) for d in stored["costs_due"]] == [
        (CLOUD_SERIAL, "2000")
    ]

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    history = entry.runtime_data.history
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    assert "2000" not in record.jobs  # still not listed after the restart
    # The cloud lists it a little later; the history looks again by itself.
    cloud.tasks.append(task(2000, CLOUD_SERIAL, title="Fresh", end=EPOCH))
    freezer.tick(timedelta(seconds=FOLLOW_UP_DELAYS[0] + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    record = history.printer(CLOUD_SERIAL)
    assert record is not None
    fresh = record.jobs["2000"]
    assert fresh.energy == pytest.approx(0.8)
    assert fresh.cost == pytest.approx(0.4)
    # Attached: no longer due, in memory or in storage.
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[history_storage_key(entry.entry_id)]["data"]
    assert stored["costs_due"] == []
    assert [
        (j["id"], j["energy"]) for j in stored["printers"][CLOUD_SERIAL]["jobs"]
    ] == [("2000", pytest.approx(0.8))]


async def test_damaged_stored_figures_are_dropped_and_the_rest_is_kept(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = cloud_entry(cloud)
    good = {"energy": 0.8, "energy_cost": 0.4, "filament_cost": None, "cost": 0.4}
    hass_storage[history_storage_key(entry.entry_id)] = {
        "version": 1,
        "key": history_storage_key(entry.entry_id),
        "data": {
            "printers": {},
            "costs_due": [
                {"serial": CLOUD_SERIAL, "task_id": "2000", "figures": good},
                {"serial": CLOUD_SERIAL, "task_id": "2001", "figures": "0.8 kWh"},
                {"serial": CLOUD_SERIAL, "task_id": 2002, "figures": good},
                {
                    "serial": CLOUD_SERIAL,
                    "task_id": "2003",
                    "figures": {**good, "energy": -1},
                },
                {"serial": CLOUD_SERIAL, "task_id": "2004", "figures": good},
                "garbage",
            ],
        },
    }
    for number in (2000, 2001, 2002, 2003, 2004):
        cloud.tasks.append(task(number, CLOUD_SERIAL, title=str(number), end=EPOCH))
    await setup_cloud_capture(hass, entry, "a1-ams-lite")
    await hass.async_block_till_done(wait_background_tasks=True)

    record = entry.runtime_data.history.printer(CLOUD_SERIAL)
    assert record is not None
    assert sorted(record.jobs) == ["2000", "2001", "2002", "2003", "2004"]
    figures = {job_id: (j.energy, j.cost) for job_id, j in record.jobs.items()}
    assert figures == {
        "2000": (0.8, 0.4),
        "2001": (None, None),
        "2002": (None, None),
        "2003": (None, None),
        "2004": (0.8, 0.4),
    }
    warnings = [r for r in caplog.records if "job costs awaiting" in r.getMessage()]
    assert [r.getMessage() for r in warnings] == [
        "Dropped 4 unreadable stored job costs awaiting their cloud task"
    ]


async def test_stored_figures_stay_bounded(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """More than MAX_COSTS_DUE stored (an older, larger bound): the newest stay."""
    figures = {"energy": 0.1, "energy_cost": None, "filament_cost": None, "cost": None}
    hass_storage[history_storage_key("entry")] = {
        "version": 1,
        "key": history_storage_key("entry"),
        "data": {
            "costs_due": [
                {"serial": CLOUD_SERIAL, "task_id": str(n), "figures": figures}
                for n in range(MAX_COSTS_DUE + 5)
            ]
        },
    }
    loaded = await HistoryStore(hass, "entry").async_load()
    assert loaded.printers == {}
    assert list(loaded.costs_due) == [
        (CLOUD_SERIAL, str(n)) for n in range(5, MAX_COSTS_DUE + 5)
    ]
    assert loaded.costs_due[CLOUD_SERIAL, "5"].energy == pytest.approx(0.1)


async def test_account_printer_options_store_the_meter_and_prices(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    entry = cloud_entry(cloud, printers={CLOUD_SERIAL: {"camera": False}})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "account"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "device_list_interval": 5,
            "selected_printers": [CLOUD_SERIAL],
            "configure_printer": CLOUD_SERIAL,
        },
    )
    assert result["step_id"] == "printer"
    printer = {
        "camera": False,
        "energy_entity": METER,
        "energy_price_entity": PRICE,
        "filament_prices": "PLA = 19.99",
        "advanced": {},
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**printer, "filament_prices": "PLA: cheap"}
    )
    assert result["errors"] == {"filament_prices": "invalid_filament_prices"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], printer
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["printers"][CLOUD_SERIAL] == {
        "camera": False,
        "use_lan": True,  # the form's default, kept with the rest
        "energy_entity": METER,
        "energy_price_entity": PRICE,
        "filament_prices": {"PLA": 19.99},
    }


async def test_removing_the_entry_deletes_its_job_costs(
    hass: HomeAssistant, fake_link: type[FakeLink], hass_storage: dict[str, Any]
) -> None:
    _meter(hass, 1.0)
    entry, link = await _setup(hass, {"energy_entity": METER})
    _start(link)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert storage_key(entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(entry.entry_id) not in hass_storage


async def test_figures_no_longer_set_up_leave_no_sensor_behind(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The meter removed in the options: its energy sensors go, the cost stays."""
    _meter(hass, 1.0)
    entry, _link = await _setup(hass, FULL)
    registry = er.async_get(hass)
    energy = entity_id(hass, "sensor", LAN_SERIAL, "last_job_energy")
    cost = entity_id(hass, "sensor", LAN_SERIAL, "last_job_cost")
    kept = {
        k: v
        for k, v in entry.options.items()
        if k not in {"energy_entity", "energy_price"}
    }
    hass.config_entries.async_update_entry(entry, options=kept)
    await hass.config_entries.async_reload(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version("a1-ams-lite"))
    link.deliver(LAN_SERIAL, pushall("a1-ams-lite"))
    await hass.async_block_till_done()
    assert registry.async_get(energy) is None
    assert hass.states.get(energy) is None
    assert registry.async_get(cost) is not None  # filament prices still set
