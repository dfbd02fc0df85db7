"""The integration loads, and its devices follow the printers it has."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.bambu_cloud.const import CONF_IGNORED, DOMAIN
from simulator.cloud import FakeCloud, Kind
from tests.cloud_helpers import cloud_device, cloud_entry as make_cloud_entry
from tests.common import get_version, pushall
from tests.fake_link import FakeLink

EMAIL = "owner@example.com"
UID = 4243
SERIAL_A = "01P00A000000021"
SERIAL_B = "00M00A000000022"


async def test_integration_loads(hass: HomeAssistant) -> None:
    """Home Assistant finds the integration and sets it up."""
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.name == "Bambu Lab Cloud"
    assert integration.config_flow is True
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


@pytest.fixture
async def cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """An account with a P1P (one AMS) and an X1C (four AMS units)."""
    fake = FakeCloud()
    fake.add_account(
        EMAIL,
        "pw",
        Kind.DIRECT,
        UID,
        devices=[
            cloud_device(SERIAL_A, name="Garage", product="P1P"),
            cloud_device(SERIAL_B, name="Shop", product="X1 Carbon"),
        ],
    )
    await fake.start()
    yield fake
    await fake.stop()


async def _setup_both(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> MockConfigEntry:
    entry = make_cloud_entry(cloud, email=EMAIL, uid=UID)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = fake_link.links[-1]
    for serial, capture in ((SERIAL_A, "p1p-ams"), (SERIAL_B, "x1c-multi-ams")):
        link.deliver(serial, get_version(capture))
        link.deliver(serial, pushall(capture))
    await hass.async_block_till_done()
    return entry


def _identifiers(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    registry = dr.async_get(hass)
    return {
        identifier
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for _, identifier in device.identifiers
    }


async def test_a_printer_no_longer_kept_loses_its_devices(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """Unticking a printer in the options removes it and its AMS units."""
    entry = await _setup_both(hass, fake_link, cloud)
    before = _identifiers(hass, entry)
    assert {SERIAL_A, SERIAL_B, f"{SERIAL_B}_ams_0", f"{SERIAL_A}_ams_0"} <= before

    hass.config_entries.async_update_entry(entry, options={CONF_IGNORED: [SERIAL_B]})
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    after = _identifiers(hass, entry)
    assert not [i for i in after if i.startswith(SERIAL_B)]
    assert {i for i in before if not i.startswith(SERIAL_B)} == after


async def test_only_what_the_printer_no_longer_has_can_be_deleted(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A detached AMS unit can go; the printers, live units and account stay."""
    entry = await _setup_both(hass, fake_link, cloud)
    assert await async_setup_component(hass, "config", {})
    registry = dr.async_get(hass)
    detached = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, f"{SERIAL_A}_ams_3")}
    )
    client = await hass_ws_client(hass)

    async def delete(identifier: str) -> bool:
        device = registry.async_get_device_by_identifier(
            (DOMAIN, identifier), entry.entry_id
        )
        assert device is not None, identifier
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove",
                "device_id": device.id,
            }
        )
        response = await client.receive_json()
        return bool(response["success"])

    for kept in (SERIAL_A, f"{SERIAL_A}_ams_0", f"account_{UID}"):
        assert not await delete(kept), kept
    assert await delete(f"{SERIAL_A}_ams_3")
    assert registry.async_get(detached.id) is None


async def test_removing_the_entry_removes_its_repair_issues(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """Issues about the account or its printers go with the entry, others stay."""
    entry = await _setup_both(hass, fake_link, cloud)
    for issue_id in (f"tls_untrusted_{UID}", f"control_locked_{SERIAL_B}", "other_1"):
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="tls_untrusted",
        )
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    left = {
        issue_id for domain, issue_id in ir.async_get(hass).issues if domain == DOMAIN
    }
    assert left == {"other_1"}


def _unique_ids(hass: HomeAssistant, entry: MockConfigEntry, prefix: str) -> set[str]:
    return {
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id.startswith(prefix)
    }


async def test_a_deleted_ams_unit_plugged_in_again_gets_its_entities_back(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Deleting a detached unit's device (as the README says) is not forever."""
    entry = await _setup_both(hass, fake_link, cloud)
    assert await async_setup_component(hass, "config", {})
    link = fake_link.links[-1]
    unit_prefix = f"{SERIAL_B}_ams1_"
    before = _unique_ids(hass, entry, unit_prefix)
    assert before

    link.deliver(SERIAL_B, _ams_delta("15"))  # unit 1 unplugged
    await hass.async_block_till_done()
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL_B}_ams_1"), entry.entry_id
    )
    assert device is not None
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": entry.entry_id,
            "device_id": device.id,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert not _unique_ids(hass, entry, unit_prefix)

    link.deliver(SERIAL_B, _ams_delta("17"))  # plugged in again
    await hass.async_block_till_done()
    assert _unique_ids(hass, entry, unit_prefix) == before
    assert registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL_B}_ams_1"), entry.entry_id
    )


async def test_an_entity_the_user_enabled_is_added_once(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An entity off by default that the user turned on is not offered twice
    when the printer's parts change (Home Assistant would log a duplicate)."""
    entry = await _setup_both(hass, fake_link, cloud)
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(
        "update", DOMAIN, f"{SERIAL_B}_ams1_firmware"
    )
    assert entity_id is not None
    entry_before = registry.async_get(entity_id)
    assert entry_before is not None
    assert entry_before.disabled
    registry.async_update_entity(entity_id, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    link = fake_link.links[-1]
    link.deliver(SERIAL_B, get_version("x1c-multi-ams"))
    link.deliver(SERIAL_B, pushall("x1c-multi-ams"))
    await hass.async_block_till_done()
    assert hass.states.get(entity_id) is not None

    link.deliver(SERIAL_B, _ams_delta("15"))  # unit 1 unplugged
    await hass.async_block_till_done()
    link.deliver(SERIAL_B, _ams_delta("17"))  # and back: the parts are offered again
    await hass.async_block_till_done()
    assert "does not generate unique IDs" not in caplog.text
    assert hass.states.get(entity_id) is not None


async def test_a_printer_back_on_the_account_gets_its_entities_back(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    entry = await _setup_both(hass, fake_link, cloud)
    link = fake_link.links[-1]
    before = _unique_ids(hass, entry, SERIAL_B)
    assert before
    devices = cloud.accounts[EMAIL].devices
    assert devices is not None
    shop = devices.pop(1)

    await _poll_device_list(hass)
    assert not _unique_ids(hass, entry, SERIAL_B)

    devices.append(shop)
    await _poll_device_list(hass)
    link.deliver(SERIAL_B, get_version("x1c-multi-ams"))
    link.deliver(SERIAL_B, pushall("x1c-multi-ams"))
    await hass.async_block_till_done()
    assert _unique_ids(hass, entry, SERIAL_B) == before
    assert hass.states.get(
        er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{SERIAL_B}_progress")
        or ""
    )


@pytest.mark.parametrize("answer", [None, "not a list"])
async def test_an_odd_device_list_removes_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud, answer: Any
) -> None:
    """``"devices": null`` is no proof that every printer left the account."""
    entry = await _setup_both(hass, fake_link, cloud)
    before = _identifiers(hass, entry)
    cloud.accounts[EMAIL].devices = None
    cloud.devices = answer
    await _poll_device_list(hass)
    assert _identifiers(hass, entry) == before
    assert set(entry.runtime_data.printers) == {SERIAL_A, SERIAL_B}


async def _poll_device_list(hass: HomeAssistant) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done(wait_background_tasks=True)


def _ams_delta(exist_bits: str) -> dict[str, Any]:
    return {
        "print": {
            "command": "push_status",
            "msg": 1,
            "ams": {"ams_exist_bits": exist_bits},
        }
    }
