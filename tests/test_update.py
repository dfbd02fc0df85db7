"""Firmware entities of printers and AMS units."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.components.update import UpdateEntityFeature
from homeassistant.const import (
    ATTR_SUPPORTED_FEATURES,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import VERSION, FakeCloud, Fault
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import PRINTERS, get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink
from tests.snapshot_helpers import setup_full_capture, snapshot_entities

# Some entities are off by default (see the README); these tests look at all.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


@pytest.fixture(autouse=True)
def _only_updates() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.UPDATE]):
        yield


def _entity_id(hass: HomeAssistant, key: str, serial: str = LAN_SERIAL) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "update", DOMAIN, f"{serial}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


def _state(hass: HomeAssistant, key: str, serial: str = LAN_SERIAL) -> State:
    state = hass.states.get(_entity_id(hass, key, serial))
    assert state is not None
    return state


def _versions(hass: HomeAssistant, key: str) -> tuple[str, str | None, str | None]:
    state = _state(hass, key)
    return (
        state.state,
        state.attributes["installed_version"],
        state.attributes["latest_version"],
    )


def _upgrade(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, "upgrade_state": fields}}


def _version_with(capture: str, module: str, sw_ver: str) -> dict[str, Any]:
    answer = get_version(capture)
    for item in answer["info"]["module"]:
        if item["name"] == module:
            item["sw_ver"] = sw_ver
    return answer


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    entity_ids = await snapshot_entities(hass, snapshot, entry.entry_id, "update")
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_OFF  # no capture is offered an update
        assert state.attributes[ATTR_SUPPORTED_FEATURES] == 0  # read-only


async def test_one_per_ams_unit_with_a_version(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "x1c-multi-ams")
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert {e.unique_id.removeprefix(f"{LAN_SERIAL}_") for e in entries} == {
        "firmware",
        "ams0_firmware",
        "ams1_firmware",
        "ams2_firmware",
        "ams128_firmware",
    }
    assert all(e.entity_category is EntityCategory.DIAGNOSTIC for e in entries)
    ht = registry.async_get(_entity_id(hass, "ams128_firmware"))
    assert ht is not None
    assert ht.device_id is not None
    device = dr.async_get(hass).async_get(ht.device_id)
    assert device is not None
    assert (DOMAIN, f"{LAN_SERIAL}_ams_128") in device.identifiers
    assert _versions(hass, "ams128_firmware") == (
        STATE_OFF,
        "02.00.19.67",
        "02.00.19.67",
    )


async def test_printer_offers_firmware(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    assert _versions(hass, "firmware") == (STATE_OFF, "01.07.00.00", "01.07.00.00")

    link.deliver(
        LAN_SERIAL,
        _upgrade(
            new_ver_list=[
                {"name": "ota", "cur_ver": "01.07.00.00", "new_ver": "01.08.00.00"},
                {"name": "ams/0", "cur_ver": "00.00.06.49", "new_ver": "00.00.06.50"},
            ]
        ),
    )
    await hass.async_block_till_done()
    assert _versions(hass, "firmware") == (STATE_ON, "01.07.00.00", "01.08.00.00")
    assert _versions(hass, "ams0_firmware") == (STATE_ON, "00.00.06.49", "00.00.06.50")

    # The printer installed it and answers get_version with the new version.
    link.deliver(LAN_SERIAL, _version_with("p1p-ams", "ota", "01.08.00.00"))
    await hass.async_block_till_done()
    assert _versions(hass, "firmware") == (STATE_OFF, "01.08.00.00", "01.08.00.00")


async def test_ota_new_version_number(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    link.deliver(LAN_SERIAL, _upgrade(ota_new_version_number="01.02.00.00"))
    await hass.async_block_till_done()
    assert _versions(hass, "firmware") == (STATE_ON, "01.01.00.00", "01.02.00.00")


async def test_installed_version_written_when_state_stays_off(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    link.deliver(LAN_SERIAL, _version_with("x1c-multi-ams", "n3f/2", "02.00.20.00"))
    await hass.async_block_till_done()
    assert _versions(hass, "ams2_firmware") == (STATE_OFF, "02.00.20.00", "02.00.20.00")
    assert _versions(hass, "firmware") == (STATE_OFF, "01.09.00.01", "01.09.00.01")


async def test_ams_unit_removed_makes_its_update_unavailable(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    report = pushall("x1c-multi-ams")
    units = report["print"]["ams"]["ams"]
    report["print"]["ams"]["ams"] = [u for u in units if u["id"] != "2"]
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    assert _state(hass, "ams2_firmware").state == STATE_UNAVAILABLE
    assert _state(hass, "ams0_firmware").state == STATE_OFF


async def test_unavailable_with_the_printer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    link.set_connected(False)
    await hass.async_block_till_done()
    assert _state(hass, "firmware").state == STATE_UNAVAILABLE
    assert _state(hass, "ams0_firmware").state == STATE_UNAVAILABLE
    link.set_connected(True)
    await hass.async_block_till_done()
    assert _state(hass, "firmware").state == STATE_OFF


async def test_lan_entry_has_no_release_notes(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, _link = await setup_capture(hass, "p1p-ams")
    entity = hass.data["update"].get_entity(_entity_id(hass, "firmware"))
    assert entity is not None
    assert await entity.async_release_notes() is None


def _firmware(latest: str, notes: str) -> dict[str, Any]:
    return {
        "devices": [
            {
                "dev_id": CLOUD_SERIAL,
                "version": "01.07.00.00",
                "firmware": [{"version": latest, "description": notes}],
            }
        ]
    }


async def _release_notes(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, entity_id: str
) -> dict[str, Any]:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "update/release_notes", "entity_id": entity_id}
    )
    result: dict[str, Any] = await client.receive_json()
    return result


async def test_cloud_release_notes(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_ws_client: WebSocketGenerator,
) -> None:
    link = await setup_cloud_capture(hass, cloud_entry(cloud), "p1p-ams")
    entity_id = _entity_id(hass, "firmware", CLOUD_SERIAL)
    state = _state(hass, "firmware", CLOUD_SERIAL)
    assert (
        state.attributes[ATTR_SUPPORTED_FEATURES] == UpdateEntityFeature.RELEASE_NOTES
    )
    cloud.firmware = _firmware("01.08.00.00", "Better first layers.")

    # The printer offers nothing yet: the cloud's notes are for another version.
    answer = await _release_notes(hass, hass_ws_client, entity_id)
    assert answer["success"]
    assert answer["result"] is None

    link.deliver(
        CLOUD_SERIAL,
        _upgrade(
            new_ver_list=[
                {"name": "ota", "cur_ver": "01.07.00.00", "new_ver": "01.08.00.00"}
            ]
        ),
    )
    await hass.async_block_till_done()
    answer = await _release_notes(hass, hass_ws_client, entity_id)
    assert answer["success"]
    assert answer["result"] == "Better first layers."


async def test_cloud_release_notes_error(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await setup_cloud_capture(hass, cloud_entry(cloud), "p1p-ams")
    cloud.fail(VERSION, Fault.SERVER_ERROR)
    answer = await _release_notes(
        hass, hass_ws_client, _entity_id(hass, "firmware", CLOUD_SERIAL)
    )
    assert not answer["success"]
    assert answer["error"]["code"] == "home_assistant_error"
    assert answer["error"]["translation_key"] == "release_notes_unavailable"


async def test_no_firmware_entity_before_the_version_answer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Without get_version there is no version to show; it comes with the answer."""
    entry = lan_entry("p1p-ams")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = fake_link.links[-1]
    link.deliver(LAN_SERIAL, pushall("p1p-ams"))
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    assert er.async_entries_for_config_entry(registry, entry.entry_id) == []

    link.deliver(LAN_SERIAL, get_version("p1p-ams"))
    await hass.async_block_till_done()
    assert _versions(hass, "firmware") == (STATE_OFF, "01.07.00.00", "01.07.00.00")
    assert _versions(hass, "ams0_firmware") == (STATE_OFF, "00.00.06.49", "00.00.06.49")
