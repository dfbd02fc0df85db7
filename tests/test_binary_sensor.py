"""Binary sensors: every capture printer, and how each follows the reports."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.binary_sensor import PRINTER_BINARY_SENSORS
from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import FakeCloud
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import PRINTERS, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.snapshot_helpers import setup_full_capture, snapshot_entities


@pytest.fixture(autouse=True)
def _only_binary_sensors() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.BINARY_SENSOR]):
        yield


def _entity_id(hass: HomeAssistant, key: str, serial: str = LAN_SERIAL) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"{serial}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


def _state(hass: HomeAssistant, key: str, serial: str = LAN_SERIAL) -> str:
    state = hass.states.get(_entity_id(hass, key, serial))
    assert state is not None
    return state.state


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


async def _deliver(hass: HomeAssistant, link: FakeLink, **fields: Any) -> None:
    link.deliver(LAN_SERIAL, _delta(**fields))
    await hass.async_block_till_done()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, "binary_sensor")


@pytest.mark.parametrize(
    ("capture", "keys"),
    [
        # P1P: no door sensor; its AMS (gen 1) cannot dry.
        (
            "p1p-ams",
            {"online", "problem", "timelapse", "control_locked", "filament_shortage"},
        ),
        # X1C: door; AMS 2 Pro (2) and AMS HT (128) dry, AMS 0 and 1 cannot.
        (
            "x1c-multi-ams",
            {
                "online",
                "door",
                "problem",
                "timelapse",
                "control_locked",
                "filament_shortage",
                "ams2_drying",
                "ams128_drying",
            },
        ),
    ],
)
async def test_entities_only_where_reported(
    hass: HomeAssistant, fake_link: type[FakeLink], capture: str, keys: set[str]
) -> None:
    entry, _link = await setup_capture(hass, capture)
    registry = er.async_get(hass)
    made = {
        e.unique_id.removeprefix(f"{LAN_SERIAL}_")
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    assert made == keys


async def test_door_follows_deltas(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    assert _state(hass, "door") == STATE_ON  # stat bit 23 set in the capture
    await _deliver(hass, link, stat="7258000")
    assert _state(hass, "door") == STATE_OFF
    await _deliver(hass, link, stat="7A58000")
    assert _state(hass, "door") == STATE_ON


async def test_problem_follows_print_error_and_hms(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    entity_id = _entity_id(hass, "problem")
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["print_error"] is None
    assert state.attributes["hms"] == []

    await _deliver(hass, link, print_error=50364437)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["print_error"] == "0300_8015"

    hms = [{"attr": 0x03000200, "code": 0x00010001}]
    await _deliver(hass, link, print_error=0, hms=hms)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["print_error"] is None
    assert state.attributes["hms"] == ["0300_0200_0001_0001"]

    await _deliver(hass, link, hms=[])
    assert _state(hass, "problem") == STATE_OFF


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_timelapse_and_control_lock(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    assert _state(hass, "timelapse") == STATE_ON
    assert _state(hass, "control_locked") == STATE_ON  # fun bit 29
    await _deliver(hass, link, ipcam={"timelapse": "disable"}, fun="60029FD183FF9CB7")
    assert _state(hass, "timelapse") == STATE_OFF
    assert _state(hass, "control_locked") == STATE_OFF
    registry = er.async_get(hass)
    locked = registry.async_get(_entity_id(hass, "control_locked"))
    assert locked is not None
    assert locked.entity_category is EntityCategory.DIAGNOSTIC


async def test_control_lock_unknown_until_reported(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    assert _state(hass, "control_locked") == "unknown"
    await _deliver(hass, link, fun="20000000")
    assert _state(hass, "control_locked") == STATE_ON


async def test_ams_drying(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    assert _state(hass, "ams2_drying") == STATE_ON
    assert _state(hass, "ams128_drying") == STATE_OFF
    # On the AMS unit's device, not the printer's.
    entry = er.async_get(hass).async_get(_entity_id(hass, "ams2_drying"))
    assert entry is not None
    assert entry.device_id is not None
    device = dr.async_get(hass).async_get(entry.device_id)
    assert device is not None
    assert (DOMAIN, f"{LAN_SERIAL}_ams_2") in device.identifiers

    await _deliver(hass, link, ams={"ams": [{"id": "2", "info": "142003"}]})
    assert _state(hass, "ams2_drying") == STATE_OFF
    assert _state(hass, "ams128_drying") == STATE_OFF


async def test_ams_unit_removed_makes_its_sensor_unavailable(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    report = pushall("x1c-multi-ams")
    units = report["print"]["ams"]["ams"]
    report["print"]["ams"]["ams"] = [u for u in units if u["id"] != "2"]
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    assert _state(hass, "ams2_drying") == STATE_UNAVAILABLE
    assert _state(hass, "ams128_drying") == STATE_OFF


async def test_lan_online_follows_the_link(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    assert _state(hass, "online") == STATE_ON
    registry = er.async_get(hass)
    online = registry.async_get(_entity_id(hass, "online"))
    assert online is not None
    assert online.entity_category is EntityCategory.DIAGNOSTIC

    link.set_connected(False)
    await hass.async_block_till_done()
    # The online sensor stays available to say so; the others go unavailable.
    assert _state(hass, "online") == STATE_OFF
    assert _state(hass, "problem") == STATE_UNAVAILABLE

    link.set_connected(True)
    await hass.async_block_till_done()
    assert _state(hass, "online") == STATE_ON
    assert _state(hass, "problem") == STATE_OFF


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unrelated_delta_writes_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "x1c-multi-ams")
    entity_ids = [
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    ]
    before = {e: hass.states.get(e) for e in entity_ids}
    # A temperature, and an AMS humidity change that leaves drying as it is.
    await _deliver(
        hass, link, bed_temper=61.0, ams={"ams": [{"id": "2", "humidity_raw": "12"}]}
    )
    for entity_id, state in before.items():
        after = hass.states.get(entity_id)
        assert after is not None
        assert state is not None
        assert after.last_reported == state.last_reported, entity_id


async def test_cloud_online_follows_the_cloud(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    entry = cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    assert _state(hass, "online", CLOUD_SERIAL) == STATE_ON

    link.deliver(CLOUD_SERIAL, {"event": {"event": "client.disconnected"}})
    await hass.async_block_till_done()
    assert _state(hass, "online", CLOUD_SERIAL) == STATE_OFF
    assert _state(hass, "problem", CLOUD_SERIAL) == STATE_UNAVAILABLE

    link.deliver(CLOUD_SERIAL, {"event": {"event": "client.connected"}})
    await hass.async_block_till_done()
    assert _state(hass, "online", CLOUD_SERIAL) == STATE_ON
    assert _state(hass, "problem", CLOUD_SERIAL) == STATE_OFF


def test_problem_needs_a_report_of_errors() -> None:
    """No problem sensor for a printer that reports neither errors nor HMS."""
    problem = next(d for d in PRINTER_BINARY_SENSORS if d.key == "problem")
    state = PrinterState(LAN_SERIAL)
    state.apply({"print": {"command": "push_status", "msg": 0, "bed_temper": 20}})
    assert not problem.exists_fn(state)
    assert problem.is_on_fn(state) is None
    state.apply({"print": {"command": "push_status", "msg": 1, "hms": []}})
    assert problem.exists_fn(state)
    assert problem.is_on_fn(state) is False


async def test_timelapse_is_off_by_default(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The Timelapse switch shows the same: the binary sensor starts disabled."""
    entry, _link = await setup_capture(hass, "p2s")
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    disabled = {
        e.unique_id.split("_", 1)[1]
        for e in entries
        if e.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    }
    assert disabled == {"timelapse"}
