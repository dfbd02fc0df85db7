"""Sensors of every capture printer, their updates, parts and texts."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import sys
import time
from typing import Any
from unittest.mock import ANY, AsyncMock, patch

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_platform,
    entity_registry as er,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab import hms
from custom_components.bambu_cloud.aiobambulab.catalog import MODELS
from custom_components.bambu_cloud.aiobambulab.hms import load_catalog
from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.aiobambulab.job_views import STAGE_KEYS
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.entity import ams_identifier
from custom_components.bambu_cloud.sensor_filament import (
    ACTIVE_TRAY,
    AMS_SENSORS,
    EXTERNAL_SPOOL_SENSORS,
    TRAY_SENSORS,
)
from custom_components.bambu_cloud.sensor_job import (
    EXTERNAL_SPOOL_JOB_SENSOR,
    JOB_SENSORS,
    TRAY_JOB_SENSOR,
)
from custom_components.bambu_cloud.sensor_messages import MESSAGE_SENSORS
from custom_components.bambu_cloud.sensor_nozzles import nozzle_sensors
from custom_components.bambu_cloud.sensor_printer import PRINTER_SENSORS
from custom_components.bambu_cloud.statistics import STATISTICS_SENSORS
from tests.common import PRINTERS
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink

NOW = "2026-03-04T05:06:07+00:00"
STRINGS = Path(__file__).parents[1] / "custom_components" / DOMAIN / "strings.json"
ICONS = Path(__file__).parents[1] / "custom_components" / DOMAIN / "icons.json"
STAGES = STRINGS.parent / "aiobambulab" / "data" / "stages.json"

# Job files come from the test, never from a printer.
pytestmark = pytest.mark.usefixtures("job_files")


@pytest.fixture(autouse=True)
def _sensor_platform_only() -> Iterator[None]:
    """Load only this platform: snapshots and counts stay the sensors'."""
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.fixture(autouse=True)
def _clock_follows_freezer() -> Iterator[None]:
    """Job times read the clock each time, so frozen time reaches them.

    ``PrinterState`` binds ``time.time`` as a default argument, which the
    freezer cannot reach.
    """
    defaults = PrinterState.__init__.__kwdefaults__
    assert defaults is not None
    with patch.dict(defaults, {"clock": lambda: time.time()}):
        yield


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


def _entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """Entity ids by unique id without the serial prefix."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {e.unique_id.removeprefix(f"{LAN_SERIAL}_"): e.entity_id for e in entries}


async def _deliver(hass: HomeAssistant, link: FakeLink, **fields: Any) -> None:
    link.deliver(LAN_SERIAL, _delta(**fields))
    await hass.async_block_till_done()


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


async def _written_by(
    hass: HomeAssistant, ids: dict[str, str], link: FakeLink, message: dict[str, Any]
) -> set[str]:
    """The keys of the entities whose state a message writes.

    Writing an unchanged state updates ``last_reported`` of the same State
    object in place, so the times are copied, not the objects.
    """
    before = {
        key: _state(hass, entity_id).last_reported for key, entity_id in ids.items()
    }
    link.deliver(LAN_SERIAL, message)
    await hass.async_block_till_done()
    return {
        key
        for key, entity_id in ids.items()
        if _state(hass, entity_id).last_reported != before[key]
    }


# --- every capture -------------------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "fake_link")
@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize("capture", PRINTERS)
async def test_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    """Registry entries and states of every capture printer."""
    # Home Assistant's serializer leaves out what changes between runs (ids,
    # times) and writes to tests/snapshots/.
    snapshot = snapshot.use_extension(HomeAssistantSnapshotExtension)
    entry, _link = await setup_capture(hass, capture)
    entries = sorted(
        er.async_entries_for_config_entry(entity_registry, entry.entry_id),
        key=lambda e: e.entity_id,
    )
    assert entries
    for entity_entry in entries:
        assert entity_entry.domain == Platform.SENSOR
        assert entity_entry.disabled_by is None
        assert entity_entry == snapshot(name=f"{entity_entry.entity_id}-entry")
        state = hass.states.get(entity_entry.entity_id)
        assert state == snapshot(name=f"{entity_entry.entity_id}-state")


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "fake_link")
@pytest.mark.parametrize("capture", PRINTERS)
async def test_enum_states_are_options(hass: HomeAssistant, capture: str) -> None:
    """Every enum sensor of every capture shows one of its options."""
    await setup_capture(hass, capture)
    enums = [
        state
        for state in hass.states.async_all(Platform.SENSOR)
        if state.attributes.get(ATTR_DEVICE_CLASS) == SensorDeviceClass.ENUM
    ]
    assert enums
    for state in enums:
        assert state.state in [*state.attributes["options"], STATE_UNKNOWN]


@pytest.mark.usefixtures("fake_link")
@pytest.mark.parametrize(
    ("capture", "present", "absent"),
    [
        (
            "p1p-no-ams",
            {"nozzle_temperature", "external_spool_0", "active_tray"},
            {"chamber_temperature", "nozzle_temperature_0", "tray_0_0"},
        ),
        (
            "a1-ams-lite",
            {"tray_0_3", "tray_remaining_0_0"},
            {"ams_humidity_0", "ams_humidity_index_0", "ams_temperature_0"},
        ),
        (
            "h2d-laser",
            {
                "nozzle_temperature_0",
                "nozzle_target_temperature_1",
                "chamber_target_temperature",
                "external_spool_1",
                "ams_drying_remaining_1",
            },
            {"nozzle_temperature", "nozzle_temperature_2"},
        ),
        (
            "x1c-multi-ams",
            {"chamber_temperature", "ams_humidity_0", "tray_128_0"},
            {"chamber_target_temperature", "ams_drying_remaining_0", "tray_128_1"},
        ),
    ],
)
async def test_sensors_follow_the_parts(
    hass: HomeAssistant, capture: str, present: set[str], absent: set[str]
) -> None:
    """Only what the printer reports or the model has becomes a sensor."""
    entry, _link = await setup_capture(hass, capture)
    keys = set(_entity_ids(hass, entry))
    assert present <= keys
    assert not absent & keys


async def test_noisy_and_technical_sensors_start_disabled(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    entity_registry: er.EntityRegistry,
) -> None:
    """Wi-Fi, IP, duplicates and the like: there, disabled by default."""
    entry, _link = await setup_capture(hass, "h2d-laser")
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    disabled = {
        e.unique_id.removeprefix(f"{LAN_SERIAL}_")
        for e in entries
        if e.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    }
    assert disabled == {
        "wifi_signal",
        "ip_address",
        "nozzle_type",
        "nozzle_type_1",
        "nozzle_flow",
        "nozzle_flow_1",
        "nozzle_diameter",
        "nozzle_diameter_1",
        "heatbreak_fan",
        "print_type",
        "sd_card",
        "external_spool_remaining_0",
        "external_spool_remaining_1",
        # The tray sensors' attributes hold the remaining percentage.
        *(f"tray_remaining_{unit}_{slot}" for unit in (0, 1) for slot in range(4)),
        # The humidity percentage says more than the 1-5 index.
        "ams_humidity_index_0",
        "ams_humidity_index_1",
        # The end and remaining time say more than the start.
        "start_time",
        # The print weight's attributes hold each filament's length.
        "print_length",
        # The print weight's attributes hold the grams per filament.
        *(f"tray_print_weight_{unit}_{slot}" for unit in (0, 1) for slot in range(4)),
        "external_spool_print_weight_0",
        "external_spool_print_weight_1",
        # What a control entity shows (and sets) already.
        "part_cooling_fan",
        "aux_fan",
        "chamber_fan",
        "nozzle_target_temperature_0",
        "nozzle_target_temperature_1",
        "bed_target_temperature",
        "chamber_target_temperature",
        "speed_profile",
    }
    diagnostic = {
        e.unique_id.removeprefix(f"{LAN_SERIAL}_")
        for e in entries
        if e.entity_category is EntityCategory.DIAGNOSTIC
    }
    assert diagnostic == {
        "wifi_signal",
        "ip_address",
        "nozzle_type",
        "nozzle_type_1",
        "nozzle_flow",
        "nozzle_flow_1",
        "nozzle_diameter",
        "nozzle_diameter_1",
        "heatbreak_fan",
        "print_type",
        "sd_card",
        "connection",  # LAN, cloud or offline
    }


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_numbered_names(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """Nozzles, trays and external spools are numbered from 1 in their names."""
    entry, _link = await setup_capture(hass, "h2d-laser")
    ids = _entity_ids(hass, entry)
    (platform,) = entity_platform.async_get_platforms(hass, DOMAIN)
    expected = {
        "nozzle_temperature_0": ("numbered_nozzle_temperature", {"nozzle": "1"}),
        "nozzle_target_temperature_1": (
            "numbered_nozzle_target_temperature",
            {"nozzle": "2"},
        ),
        "tray_1_2": ("tray", {"tray": "3"}),
        "tray_remaining_0_3": ("tray_remaining", {"tray": "4"}),
        "external_spool_1": ("numbered_external_spool", {"spool": "2"}),
        "external_spool_remaining_0": (
            "numbered_external_spool_remaining",
            {"spool": "1"},
        ),
        "bed_temperature": ("bed_temperature", {}),
    }
    for key, (translation_key, placeholders) in expected.items():
        entity = platform.entities[ids[key]]
        assert entity.translation_key == translation_key, key
        assert dict(entity.translation_placeholders) == placeholders, key


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_one_device_info_per_device(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The entities of a device share one DeviceInfo, not a copy each."""
    await setup_capture(hass, "x1c-multi-ams")
    (platform,) = entity_platform.async_get_platforms(hass, DOMAIN)
    objects: dict[tuple[str, str], set[int]] = {}
    for entity in platform.entities.values():
        info = entity.device_info
        assert info is not None
        (identifier,) = info["identifiers"]
        objects.setdefault(identifier, set()).add(id(info))
    assert len(objects) >= 3  # the printer and its AMS units
    assert all(len(ids) == 1 for ids in objects.values())


async def test_minimal_report_gets_only_its_sensors(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A printer that reports only temperatures and a job state has only those."""
    entry = lan_entry("minimal")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    report = {"nozzle_temper": 30.5, "bed_temper": 25, "gcode_state": "IDLE"}
    FakeLink.links[-1].deliver(LAN_SERIAL, _delta(**report, msg=0))
    await hass.async_block_till_done()

    assert set(_entity_ids(hass, entry)) == {
        "nozzle_temperature",
        "bed_temperature",
        "print_status",
        "start_time",
        "end_time",
        "print_weight",
        "print_length",
        # The print history's totals exist for every printer.
        *(d.key for d in STATISTICS_SENSORS),
        "connection",
    }
    assert _state(hass, _entity_ids(hass, entry)["print_status"]).state == "idle"


# --- updates -----------------------------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_delta_writes_only_dependents(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A delta writes the entities that depend on it, nothing else."""
    entry, link = await setup_capture(hass, "p1p-ams")
    ids = _entity_ids(hass, entry)

    written = await _written_by(hass, ids, link, _delta(bed_temper=42.0))
    assert written == {"bed_temperature"}
    assert _state(hass, ids["bed_temperature"]).state == "42"

    written = await _written_by(hass, ids, link, _delta(mc_percent=37, layer_num=9))
    assert written == {"progress", "current_layer"}

    # The same values again: nothing changes, nothing is written.
    assert not await _written_by(hass, ids, link, _delta(mc_percent=37, layer_num=9))

    written = await _written_by(hass, ids, link, _delta(big_fan1_speed="15"))
    assert written == {"aux_fan"}
    assert _state(hass, ids["aux_fan"]).state == "100"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_temperature_wobble_writes_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A reading wobbling within a degree writes no state; a degree more does.

    Printers report 1/32 °C; Bambu Studio shows whole degrees. Targets are
    exact and written as they are.
    """
    entry, link = await setup_capture(hass, "p1p-ams")
    ids = _entity_ids(hass, entry)
    nozzle = {"nozzle_temperature": ids["nozzle_temperature"]}
    await _deliver(hass, link, nozzle_temper=220.03125)
    assert _state(hass, ids["nozzle_temperature"]).state == "220"

    for reading in (220.5, 219.59375, 220.96875, 219.0625, 220.25):
        assert not await _written_by(hass, nozzle, link, _delta(nozzle_temper=reading))
    assert _state(hass, ids["nozzle_temperature"]).state == "220"

    written = await _written_by(hass, nozzle, link, _delta(nozzle_temper=221.03125))
    assert written == {"nozzle_temperature"}
    assert _state(hass, ids["nozzle_temperature"]).state == "221"
    # Back down a little: still within a degree of 221.
    assert not await _written_by(hass, nozzle, link, _delta(nozzle_temper=220.1))
    written = await _written_by(hass, nozzle, link, _delta(nozzle_temper=218.6))
    assert _state(hass, ids["nozzle_temperature"]).state == "219"

    bed = {"bed_target_temperature": ids["bed_target_temperature"]}
    written = await _written_by(hass, bed, link, _delta(bed_target_temper=55.5))
    assert written == {"bed_target_temperature"}
    assert _state(hass, ids["bed_target_temperature"]).state == "55.5"


def test_statistics_only_where_they_make_sense() -> None:
    """Readings keep long-term statistics; settings and job counters do not."""
    by_key = {d.key: d for d in PRINTER_SENSORS}
    for key in (
        "nozzle_temperature",
        "bed_temperature",
        "chamber_temperature",
        "nozzle_temperature_0",
    ):
        assert by_key[key].state_class is SensorStateClass.MEASUREMENT, key
    for key in (
        "nozzle_target_temperature",
        "bed_target_temperature",
        "chamber_target_temperature",
        "nozzle_target_temperature_1",
        "progress",
        "current_layer",
        "part_cooling_fan",
        "aux_fan",
        "chamber_fan",
        "heatbreak_fan",
    ):
        assert by_key[key].state_class is None, key
    ams = {d.key: d for d in AMS_SENSORS}
    assert ams["ams_humidity"].state_class is SensorStateClass.MEASUREMENT
    assert ams["ams_temperature"].state_class is SensorStateClass.MEASUREMENT
    assert ams["ams_humidity_index"].state_class is None
    for tray in (*TRAY_SENSORS, *EXTERNAL_SPOOL_SENSORS):
        assert tray.state_class is None, tray.key


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_tray_delta_updates_only_that_tray(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A tray's remaining filament writes that tray's sensors, no other."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)
    assert _state(hass, ids["tray_remaining_0_2"]).state == "100"

    tray_delta = {"ams": {"ams": [{"id": "0", "tray": [{"id": "2", "remain": 10}]}]}}
    written = await _written_by(hass, ids, link, _delta(**tray_delta))

    assert written == {"tray_0_2", "tray_remaining_0_2"}
    assert _state(hass, ids["tray_remaining_0_2"]).state == "10"
    tray = _state(hass, ids["tray_0_2"])
    assert tray.state == "PLA Matte"
    assert tray.attributes["remaining"] == 10


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_ams_is_parsed_once_per_update(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The AMS sensors share one parse of the units per update."""
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    parse = PrinterState.ams_units.fget
    assert parse is not None
    callers: list[str] = []

    def counting(state: PrinterState) -> Any:
        callers.append(sys._getframe(1).f_globals["__name__"])
        return parse(state)

    with patch.object(PrinterState, "ams_units", property(counting)):
        await _deliver(
            hass, link, ams={"ams": [{"id": "1", "humidity_raw": "12", "temp": "30.5"}]}
        )
    # The coordinator parses once; the entities read its result.
    assert callers == ["custom_components.bambu_cloud.coordinator"]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_new_ams_unit_adds_its_sensors(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An AMS unit attached later gets its sensors on its own device."""
    entry, link = await setup_capture(hass, "p1p-no-ams")
    before = _entity_ids(hass, entry)
    assert not any(key.startswith(("tray_", "ams_")) for key in before)

    unit = {
        "id": "0",
        "humidity": "4",
        "temp": "24.5",
        "tray": [
            {"id": "0", "tray_type": "PETG", "tray_color": "FF0000FF"},
            {"id": "1", "tray_type": ""},
        ],
    }
    await _deliver(
        hass,
        link,
        ams={"ams": [unit], "ams_exist_bits": "1", "tray_exist_bits": "1"},
    )

    after = _entity_ids(hass, entry)
    added = set(after) - set(before)
    assert added == {
        "ams_humidity_index_0",
        "ams_temperature_0",
        *(f"tray_0_{slot}" for slot in range(4)),
        *(f"tray_remaining_0_{slot}" for slot in range(4)),
        *(f"tray_print_weight_0_{slot}" for slot in range(4)),
    }
    assert set(before) <= set(after)
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ams_identifier(LAN_SERIAL, 0)), entry.entry_id
    )
    assert device is not None
    registry = er.async_get(hass)
    for key in added:
        entity_entry = registry.async_get(after[key])
        assert entity_entry is not None
        assert entity_entry.device_id == device.id
    assert _state(hass, after["ams_humidity_index_0"]).state == "2"
    assert _state(hass, after["tray_0_0"]).state == "PETG"
    assert _state(hass, after["tray_0_0"]).attributes["color"] == "#FF0000"
    assert _state(hass, after["tray_0_1"]).state == "empty"
    # A slot the unit does not report yet.
    assert _state(hass, after["tray_0_2"]).state == STATE_UNAVAILABLE

    # Another structure change (one more light) adds nothing twice.
    await _deliver(hass, link, lights_report=[{"node": "test_light", "mode": "on"}])
    assert _entity_ids(hass, entry) == after
    assert "does not generate unique IDs" not in caplog.text


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_detached_ams_unit_is_unavailable(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A unit the printer no longer reports makes its sensors unavailable."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)

    await _deliver(hass, link, ams={"ams_exist_bits": "15"})  # unit 1 gone

    for key in ("ams_humidity_1", "tray_1_0", "tray_remaining_1_3"):
        assert _state(hass, ids[key]).state == STATE_UNAVAILABLE
    for key in ("ams_humidity_0", "tray_0_0", "tray_128_0", "bed_temperature"):
        assert _state(hass, ids[key]).state != STATE_UNAVAILABLE


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_availability_follows_the_link(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Every sensor is unavailable while the printer is unreachable."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)

    link.set_connected(False)
    await hass.async_block_till_done()
    # The history's totals do not depend on the printer being there; the
    # connection sensor says it is offline.
    history = {d.key for d in STATISTICS_SENSORS}
    live = {
        key: entity
        for key, entity in ids.items()
        if key not in history and key != "connection"
    }
    assert {_state(hass, e).state for e in live.values()} == {STATE_UNAVAILABLE}
    assert STATE_UNAVAILABLE not in {_state(hass, ids[key]).state for key in history}
    assert _state(hass, ids["connection"]).state == "offline"

    link.set_connected(True)
    await hass.async_block_till_done()
    states = {key: _state(hass, e).state for key, e in ids.items()}
    assert STATE_UNAVAILABLE not in states.values()
    assert states["bed_temperature"] == "23"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_job_times(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: Any
) -> None:
    """Start and end follow the job as the integration observes it."""
    freezer.move_to("2026-03-04T05:00:00+00:00")
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)
    assert _state(hass, ids["start_time"]).state == STATE_UNKNOWN

    await _deliver(hass, link, gcode_state="RUNNING", mc_remaining_time=90)

    assert _state(hass, ids["start_time"]).state == "2026-03-04T05:00:00+00:00"
    assert _state(hass, ids["end_time"]).state == "2026-03-04T06:30:00+00:00"
    assert _state(hass, ids["print_status"]).state == "running"
    assert _state(hass, ids["remaining_time"]).state == "90"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_enum_values_outside_the_options(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Stages map to options; values the sensors do not know read as unknown."""
    entry, link = await setup_capture(hass, "p2s")
    ids = _entity_ids(hass, entry)
    stage = ids["stage"]
    stages = json.loads(STAGES.read_text(encoding="utf-8"))["stages"]
    for stage_id, key in stages.items():
        await _deliver(hass, link, stg_cur=int(stage_id))
        assert _state(hass, stage).state == key
        assert key in STAGE_KEYS

    # The P2S reports its nozzle in device.nozzle.info, which wins; "HS09"
    # has a material code Bambu Studio does not know.
    await _deliver(
        hass,
        link,
        device={"nozzle": {"info": [{"id": 0, "type": "HS09", "diameter": 0.4}]}},
        spd_lvl=9,
        gcode_state="WARMING",
    )
    assert _state(hass, ids["nozzle_type"]).state == STATE_UNKNOWN
    assert _state(hass, ids["speed_profile"]).state == STATE_UNKNOWN
    assert _state(hass, ids["print_status"]).state == STATE_UNKNOWN

    await _deliver(
        hass,
        link,
        device={"nozzle": {"info": [{"id": 0, "type": "HS05", "diameter": 0.4}]}},
        spd_lvl=4,
        gcode_state="PAUSE",
    )
    assert _state(hass, ids["nozzle_type"]).state == "tungsten_carbide"
    assert _state(hass, ids["speed_profile"]).state == "ludicrous"
    assert _state(hass, ids["print_status"]).state == "pause"


# --- trays ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_tray_states(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """A tray shows its filament, ``empty`` or ``unidentified``."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)
    assert _state(hass, ids["tray_2_0"]).state == "empty"
    assert _state(hass, ids["tray_2_1"]).state == "ABS"
    assert _state(hass, ids["tray_remaining_2_0"]).state == STATE_UNKNOWN

    # A spool in slot 0 of unit 2 that the printer cannot read.
    await _deliver(hass, link, ams={"tray_exist_bits": "10fff"})
    assert _state(hass, ids["tray_2_0"]).state == "unidentified"

    tray = _state(hass, ids["tray_0_1"])
    assert tray.attributes == {
        "friendly_name": ANY,
        "color": "#7D6556",
        "colors": ["#7D6556"],
        "type": "PLA",
        "profile": "Bambu PLA Matte",
        "profile_id": "GFA01",
        "nozzle_temperature_min": 190,
        "nozzle_temperature_max": 230,
        "remaining": 100,
        "k": None,
        "tag_uid": "6B0486FF00000100",
    }
    # k comes without the float32 noise of the report.
    await _deliver(
        hass,
        link,
        ams={"ams": [{"id": "0", "tray": [{"id": "1", "k": 0.019999999552965164}]}]},
    )
    assert _state(hass, ids["tray_0_1"]).attributes["k"] == 0.02


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_external_spools(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    entity_registry: er.EntityRegistry,
) -> None:
    """External spools sit on the printer; numbered where there are two."""
    entry, _link = await setup_capture(hass, "h2d-laser")
    ids = _entity_ids(hass, entry)
    printer = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, LAN_SERIAL), entry.entry_id
    )
    assert printer is not None
    for index in (0, 1):
        spool = entity_registry.async_get(ids[f"external_spool_{index}"])
        assert spool is not None
        assert spool.device_id == printer.id
        assert spool.translation_key == "numbered_external_spool"
        assert _state(hass, spool.entity_id).state == "empty"
    remaining = entity_registry.async_get(ids["external_spool_remaining_1"])
    assert remaining is not None
    assert remaining.translation_key == "numbered_external_spool_remaining"


async def test_single_external_spool_is_not_numbered(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    entity_registry: er.EntityRegistry,
) -> None:
    """One holder: no number, and its remaining sensor starts disabled."""
    entry, _link = await setup_capture(hass, "a1-ams-lite")
    ids = _entity_ids(hass, entry)
    spool = entity_registry.async_get(ids["external_spool_0"])
    assert spool is not None
    assert spool.translation_key == "external_spool"
    assert _state(hass, spool.entity_id).state == "Bambu PLA Basic"
    remaining = entity_registry.async_get(ids["external_spool_remaining_0"])
    assert remaining is not None
    assert remaining.disabled_by is er.RegistryEntryDisabler.INTEGRATION


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_active_tray(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """The active tray names the filament and says where it comes from."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    active = _entity_ids(hass, entry)["active_tray"]
    assert _state(hass, active).state == "none"
    assert "tray" not in _state(hass, active).attributes

    await _deliver(hass, link, ams={"tray_now": "5"})  # unit 1, slot 1
    state = _state(hass, active)
    assert state.state == "ABS"
    assert state.attributes["ams_id"] == 1
    assert state.attributes["tray"] == 2
    assert state.attributes["external"] is False
    assert state.attributes["color"] == "#489FDF"

    await _deliver(hass, link, ams={"tray_now": "128"})  # the AMS HT
    assert _state(hass, active).state == "PAHT-CF"
    assert _state(hass, active).attributes["ams_id"] == 128

    await _deliver(hass, link, ams={"tray_now": "13"})  # unit 3: not attached
    assert _state(hass, active).state == STATE_UNKNOWN

    await _deliver(hass, link, ams={"tray_now": "254"})
    state = _state(hass, active)
    assert state.state == "empty"
    assert state.attributes["external"] is True
    assert state.attributes["ams_id"] is None


async def test_active_tray_on_two_nozzles(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """On an H2D the active nozzle's extruder says which tray feeds it."""
    entry, _link = await setup_capture(hass, "h2d-laser")
    state = _state(hass, _entity_ids(hass, entry)["active_tray"])
    assert state.state == "PETG HF"
    assert (state.attributes["ams_id"], state.attributes["tray"]) == (1, 4)


# --- health texts ------------------------------------------------------------------------

HMS_HEATBED = {"attr": 0x03000100, "code": 0x00010003}  # 0300_0100_0001_0003
HEATBED_EN = "The heatbed temperature is abnormal; the heater is over temperature."
HEATBED_DE = (
    "Die Temperatur des Heizbetts ist abnormal. Das Heizelement hat eine zu hohe "
    "Temperatur."
)
HEATBED_WIKI = (
    "https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0300_0100_0001_0003"
)


async def test_hms_errors(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """The HMS sensor counts the messages and carries their texts and links."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    hms = _entity_ids(hass, entry)["hms_errors"]
    assert _state(hass, hms).state == "0"
    assert _state(hass, hms).attributes["errors"] == []

    unknown = {"attr": 0x12345600, "code": 0x00040001}
    await _deliver(hass, link, hms=[HMS_HEATBED, unknown])

    state = _state(hass, hms)
    assert state.state == "2"
    assert state.attributes["errors"] == [
        {
            "code": "0300_0100_0001_0003",
            "severity": "fatal",
            "module": "motion_controller",
            "text": HEATBED_EN,
            "url": HEATBED_WIKI,
        },
        {
            "code": "1234_5600_0004_0001",
            "severity": "info",
            "module": "other",
            "text": None,
            "url": None,
        },
    ]


async def test_first_error_shows_its_text_though_none_was_read(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Nothing is read at setup; the first state with an error has its text."""
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    with patch.object(hms, "_read_gz_json", wraps=hms._read_gz_json) as read:
        entry, link = await setup_capture(hass, "x1c-multi-ams")
        assert read.call_count == 0
        assert entry.runtime_data.catalog.loaded == 0
        ids = _entity_ids(hass, entry)
        await _deliver(hass, link, hms=[HMS_HEATBED], print_error=0x03004000)
        assert read.call_count == 2  # English and the wiki, once
        await _deliver(hass, link, hms=[HMS_HEATBED], print_error=0x03004000)
        assert read.call_count == 2

    written = [
        event.data["new_state"]
        for event in captured
        if event.data["entity_id"] in (ids["hms_errors"], ids["print_error"])
        and event.data["new_state"] is not None
    ]
    hms_states = [s for s in written if s.entity_id == ids["hms_errors"]]
    error_states = [s for s in written if s.entity_id == ids["print_error"]]
    # Setup wrote "0" and "none"; the error's first state has its text.
    assert [s.state for s in hms_states] == ["0", "1"]
    assert hms_states[1].attributes["errors"][0]["text"] == HEATBED_EN
    assert hms_states[1].attributes["errors"][0]["url"] == HEATBED_WIKI
    assert [s.state for s in error_states] == [
        "none",
        "Z axis homing failed; the task has been stopped.",
    ]


async def test_unreadable_texts_lose_no_report(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Texts that cannot be read: the errors still show, without text, said once."""
    with patch.object(hms, "_read_gz_json", side_effect=OSError("disk gone")) as read:
        entry, link = await setup_capture(hass, "x1c-multi-ams")
        ids = _entity_ids(hass, entry)
        await _deliver(hass, link, hms=[HMS_HEATBED])
        await _deliver(hass, link, print_error=0x03004000)
    assert read.call_count == 1  # not tried again for every report
    state = _state(hass, ids["hms_errors"])
    assert state.state == "1"
    assert state.attributes["errors"][0]["text"] is None
    assert _state(hass, ids["print_error"]).state == "0300_4000"
    assert caplog.text.count("Could not read Bambu's error texts: disk gone") == 1


async def test_texts_follow_the_language(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Bambu's texts come in Home Assistant's language, read once per setup."""
    hass.config.language = "de"
    with patch(
        "custom_components.bambu_cloud.load_catalog", wraps=load_catalog
    ) as load:
        entry, link = await setup_capture(hass, "x1c-multi-ams")
    load.assert_called_once_with("de")
    ids = _entity_ids(hass, entry)

    await _deliver(hass, link, hms=[HMS_HEATBED], print_error=0x03004000)

    errors = _state(hass, ids["hms_errors"]).attributes["errors"]
    assert errors[0]["text"] == HEATBED_DE
    assert errors[0]["url"] == HEATBED_WIKI
    assert _state(hass, ids["print_error"]).state == (
        "Das Homing der Z-Achse ist fehlgeschlagen, die Aufgabe wurde gestoppt."
    )


async def test_print_error(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """The print error shows Bambu's text, its code, or ``none``."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    error = _entity_ids(hass, entry)["print_error"]
    assert _state(hass, error).state == "none"
    assert _state(hass, error).attributes["code"] is None

    await _deliver(hass, link, print_error=0x03004000)
    state = _state(hass, error)
    assert state.state == "Z axis homing failed; the task has been stopped."
    assert state.attributes["code"] == "0300_4000"

    # Longer than a state may be: cut, with an ellipsis.
    await _deliver(hass, link, print_error=0x0500402C)
    state = _state(hass, error)
    assert len(state.state) == 255
    assert state.state.startswith("Failed to obtain IP address")
    assert state.state.endswith("…")

    # A code without a text shows the code.
    await _deliver(hass, link, print_error=0x0ABC0001)
    assert _state(hass, error).state == "0ABC_0001"

    # A value that is not a code: the error is not known.
    await _deliver(hass, link, print_error=1.5)
    assert _state(hass, error).state == STATE_UNKNOWN

    await _deliver(hass, link, print_error=0)
    assert _state(hass, error).state == "none"


async def test_long_job_name_is_cut_like_the_print_error(
    hass: HomeAssistant, fake_link: type[FakeLink], caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 14, point 14: a name over 255 characters left the state unknown."""
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    job_name = _entity_ids(hass, entry)["job_name"]
    name = "Very long job " + "x" * 300
    await _deliver(hass, link, subtask_name=name)
    state = _state(hass, job_name).state
    assert len(state) == 255
    assert state == name[:254] + "…"
    assert "exceeds the maximum length" not in caplog.text
    await _deliver(hass, link, subtask_name="Short")
    assert _state(hass, job_name).state == "Short"


# --- the job's file ------------------------------------------------------------------------


def _job(weight: float | None, *filaments: tuple[str, float, float]) -> Any:
    """A lookup answering with a printer file of these colours (type, g, m)."""

    def lookup(key: JobKey) -> JobDetails:
        return JobDetails(
            key,
            JobSource.PRINTER,
            weight_grams=weight,
            length_meters=sum(m for _t, _g, m in filaments) if filaments else None,
            filaments=tuple(
                JobFilament(index, kind, "#FF0000", grams, meters)
                for index, (kind, grams, meters) in enumerate(filaments, start=1)
            ),
        )

    return lookup


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_job_sensors(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    """Weight, length and the grams per tray the report's mapping names."""
    job_files.side_effect = _job(12.25, ("PLA", 9.0, 3.0), ("PETG", 3.25, 1.1))
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    ids = _entity_ids(hass, entry)
    # The capture maps colour 1 to AMS 1 slot 3 (0x0102) and has no colour 2.
    await _deliver(hass, link, mapping=[0x0102, 0x0000])

    weight = _state(hass, ids["print_weight"])
    assert weight.state == "12.25"
    assert weight.attributes["unit_of_measurement"] == "g"
    assert weight.attributes["device_class"] == "weight"
    assert "state_class" not in weight.attributes
    assert weight.attributes["filaments"] == [
        {"type": "PLA", "color": "#FF0000", "weight": 9.0, "length": 3.0},
        {"type": "PETG", "color": "#FF0000", "weight": 3.25, "length": 1.1},
    ]
    length = _state(hass, ids["print_length"])
    assert float(length.state) == pytest.approx(4.1)
    assert length.attributes["unit_of_measurement"] == "m"
    assert _state(hass, ids["tray_print_weight_1_2"]).state == "9.0"
    assert _state(hass, ids["tray_print_weight_0_0"]).state == "3.25"
    assert _state(hass, ids["tray_print_weight_0_1"]).state == "0.0"
    assert _state(hass, ids["external_spool_print_weight_0"]).state == "0.0"

    # The mapping changes which trays the job needs.
    # 0xFF00: the external holder 255, the one of a single-nozzle printer.
    await _deliver(hass, link, mapping=[0xFF00, 0x0102])
    assert _state(hass, ids["external_spool_print_weight_0"]).state == "9.0"
    assert _state(hass, ids["tray_print_weight_1_2"]).state == "3.25"
    assert _state(hass, ids["tray_print_weight_0_0"]).state == "0.0"
    # A colour without a tray: unknown which tray gives what.
    await _deliver(hass, link, mapping=[0xFFFF, 0x0102])
    assert _state(hass, ids["tray_print_weight_1_2"]).state == STATE_UNKNOWN
    assert _state(hass, ids["print_weight"]).state == "12.25"

    # Another job: unknown until its file is read, then its own values.
    lookups = job_files.await_count
    job_files.side_effect = _job(None)
    await _deliver(hass, link, subtask_name="Something else")
    assert job_files.await_count == lookups + 1
    for key in ("print_weight", "print_length", "tray_print_weight_0_0"):
        assert _state(hass, ids[key]).state == STATE_UNKNOWN, key
    assert "filaments" not in _state(hass, ids["print_weight"]).attributes


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_job_sensors_unknown_without_details(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A job whose file is not found leaves every job sensor unknown."""
    entry, _link = await setup_capture(hass, "p1p-ams")
    ids = _entity_ids(hass, entry)
    for key in ("print_weight", "print_length", "tray_print_weight_0_0"):
        assert _state(hass, ids[key]).state == STATE_UNKNOWN, key


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_job_sensor_of_a_missing_tray(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    """A tray the printer does not report is unavailable, like its other sensors."""
    job_files.side_effect = _job(5.0, ("PLA", 5.0, 1.6))
    entry, _link = await setup_capture(hass, "h2d-laser")
    ids = _entity_ids(hass, entry)
    external = [key for key in ids if key.startswith("external_spool_print_weight")]
    assert external == [
        "external_spool_print_weight_0",
        "external_spool_print_weight_1",
    ]
    registry = er.async_get(hass)
    numbered = registry.async_get(ids["external_spool_print_weight_1"])
    assert numbered is not None
    assert numbered.translation_key == "numbered_external_spool_print_weight"


# --- descriptions, strings and icons --------------------------------------------------------


def _translation_keys() -> set[str]:
    keys = {
        d.translation_key
        for d in (
            *PRINTER_SENSORS,
            *MESSAGE_SENSORS,
            *AMS_SENSORS,
            *TRAY_SENSORS,
            *EXTERNAL_SPOOL_SENSORS,
            ACTIVE_TRAY,
            *JOB_SENSORS,
            TRAY_JOB_SENSOR,
            EXTERNAL_SPOOL_JOB_SENSOR,
            *STATISTICS_SENSORS,
            *(
                d
                for model in MODELS.values()
                for count in (1, 2)
                for d in nozzle_sensors(model, count)
            ),
        )
        if d.translation_key
    }
    return keys | {
        f"numbered_{d.translation_key}"
        for d in (*EXTERNAL_SPOOL_SENSORS, EXTERNAL_SPOOL_JOB_SENSOR)
    }


def test_unique_keys() -> None:
    """No two descriptions share a key (unique ids would collide)."""
    keys = [
        d.key
        for d in (
            *PRINTER_SENSORS,
            *MESSAGE_SENSORS,
            *AMS_SENSORS,
            *TRAY_SENSORS,
            *EXTERNAL_SPOOL_SENSORS,
            ACTIVE_TRAY,
            *JOB_SENSORS,
            TRAY_JOB_SENSOR,
            EXTERNAL_SPOOL_JOB_SENSOR,
            *STATISTICS_SENSORS,
            *nozzle_sensors(MODELS["H2C"], 2),
        )
    ]
    assert len(keys) == len(set(keys))


def test_icons_name_only_known_sensors() -> None:
    """Every icon belongs to a translation key the platform uses."""
    icons = json.loads(ICONS.read_text(encoding="utf-8"))["entity"]["sensor"]
    assert set(icons) <= _translation_keys()
    for key, icon in icons.items():
        assert icon["default"].startswith("mdi:"), key


def _sensor_strings() -> dict[str, Any] | None:
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))
    sensor: dict[str, Any] | None = strings.get("entity", {}).get("sensor")
    return sensor


@pytest.mark.skipif(
    _sensor_strings() is None, reason="sensor strings are not merged yet"
)
def test_strings_cover_every_sensor() -> None:
    """Every translation key has a name and every enum option a state."""
    strings = _sensor_strings()
    assert strings is not None
    assert _translation_keys() <= set(strings)
    for key, placeholder in (
        ("numbered_nozzle_temperature", "{nozzle}"),
        ("numbered_nozzle_target_temperature", "{nozzle}"),
        ("tray", "{tray}"),
        ("tray_remaining", "{tray}"),
        ("numbered_external_spool", "{spool}"),
        ("numbered_external_spool_remaining", "{spool}"),
        ("tray_print_weight", "{tray}"),
        ("numbered_external_spool_print_weight", "{spool}"),
    ):
        assert placeholder in strings[key]["name"], key
    for description in PRINTER_SENSORS:
        if description.device_class == SensorDeviceClass.ENUM:
            assert description.options is not None
            states = strings[description.translation_key or ""]["state"]
            assert set(description.options) <= set(states), description.key
