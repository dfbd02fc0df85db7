"""Entry setup, links, availability, and printers coming and going."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_HOST, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.bambu.errors import ConnectionFailure
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_IGNORED,
    CONF_PRINTERS,
    DOMAIN,
)
from simulator.cloud import BIND, FakeCloud, Fault, Kind
from tests.cloud_helpers import cloud_device, cloud_entry as make_cloud_entry
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink

EMAIL = "owner@example.com"
UID = 4242
SERIAL_A = "01P00A000000011"
SERIAL_B = "00M00A000000012"


@pytest.fixture
async def cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake cloud with one account that has two printers."""
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


@pytest.fixture
def cloud_entry(cloud: FakeCloud) -> MockConfigEntry:
    return make_cloud_entry(cloud, email=EMAIL, uid=UID)


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _feed(link: FakeLink, serial: str, capture: str) -> None:
    link.deliver(serial, get_version(capture))
    link.deliver(serial, pushall(capture))


def _printer_devices(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    registry = dr.async_get(hass)
    return {
        ident
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for _, ident in device.identifiers
        if "_" not in ident
    }


async def test_cloud_entry_builds_printers(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud_entry: MockConfigEntry
) -> None:
    await _setup(hass, cloud_entry)
    assert cloud_entry.state is ConfigEntryState.LOADED
    (link,) = fake_link.links
    assert link.serials == {SERIAL_A, SERIAL_B}
    assert link.username == f"u_{UID}"
    # On connect it asks each printer for its versions and full state, once.
    assert sorted(c["command"] for c in link.commands()) == [
        "get_version",
        "get_version",
        "pushall",
        "pushall",
    ]
    _feed(link, SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    assert _printer_devices(hass, cloud_entry) == {SERIAL_A}
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, SERIAL_A), cloud_entry.entry_id
    )
    assert device is not None
    assert device.name == "Garage"
    assert device.model == "P1P"
    assert device.serial_number == SERIAL_A
    ams = [
        d
        for d in dr.async_entries_for_config_entry(
            dr.async_get(hass), cloud_entry.entry_id
        )
        if d.via_device_id == device.id
    ]
    assert ams  # the P1P capture has an AMS, attached to the printer

    assert await hass.config_entries.async_unload(cloud_entry.entry_id)
    assert not link.started


async def test_expired_token_starts_reauth(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    cloud.fail(BIND, Fault.UNAUTHORIZED)
    await _setup(hass, cloud_entry)
    assert cloud_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert fake_link.links == []  # nothing connected with a dead token


async def test_cloud_down_retries(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    cloud.fail(BIND, Fault.SERVER_ERROR)
    await _setup(hass, cloud_entry)
    assert cloud_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize(
    ("failure", "state"),
    [
        (ConnectionFailure.CREDENTIALS, ConfigEntryState.SETUP_ERROR),
        (ConnectionFailure.UNREACHABLE, ConfigEntryState.SETUP_RETRY),
        (ConnectionFailure.TLS, ConfigEntryState.SETUP_RETRY),
    ],
)
async def test_broker_refusal(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud_entry: MockConfigEntry,
    failure: ConnectionFailure,
    state: ConfigEntryState,
) -> None:
    fake_link.connect_failure = failure
    await _setup(hass, cloud_entry)
    assert cloud_entry.state is state
    assert all(not link.started for link in fake_link.links)


async def test_new_and_removed_printers(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    await _setup(hass, cloud_entry)
    (link,) = fake_link.links
    _feed(link, SERIAL_A, "p1p-ams")
    _feed(link, SERIAL_B, "x1c-multi-ams")
    await hass.async_block_till_done()
    assert _printer_devices(hass, cloud_entry) == {SERIAL_A, SERIAL_B}

    devices = cloud.accounts[EMAIL].devices
    assert devices is not None
    devices.pop(1)  # SERIAL_B unbound from the account
    devices.append(cloud_device("03W00X000000013", name="New", product="A1"))
    polls = len(cloud.requests_to(BIND))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(BIND)) == polls + 1

    assert link.serials == {SERIAL_A, "03W00X000000013"}
    assert _printer_devices(hass, cloud_entry) == {SERIAL_A}
    assert not [
        e
        for e in er.async_entries_for_config_entry(
            er.async_get(hass), cloud_entry.entry_id
        )
        if e.unique_id.startswith(SERIAL_B)
    ]
    _feed(link, "03W00X000000013", "a1-ams-lite")
    await hass.async_block_till_done()
    assert _printer_devices(hass, cloud_entry) == {SERIAL_A, "03W00X000000013"}


async def test_ignored_printers_are_skipped(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud_entry: MockConfigEntry
) -> None:
    cloud_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        cloud_entry, options={CONF_IGNORED: [SERIAL_B]}
    )
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert fake_link.links[0].serials == {SERIAL_A}


async def test_printer_offline_in_device_list(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _setup(hass, cloud_entry)
    (link,) = fake_link.links
    _feed(link, SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    progress = _entity(hass, cloud_entry, f"{SERIAL_A}_progress")
    assert hass.states.get(progress).state != STATE_UNAVAILABLE

    caplog.set_level(logging.INFO)
    link.deliver(SERIAL_A, {"event": {"event": "client.disconnected"}})
    link.deliver(SERIAL_A, {"event": {"event": "client.disconnected"}})
    await hass.async_block_till_done()
    assert hass.states.get(progress).state == STATE_UNAVAILABLE
    link.deliver(SERIAL_A, {"event": {"event": "client.connected"}})
    await hass.async_block_till_done()
    assert hass.states.get(progress).state != STATE_UNAVAILABLE
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.name == "custom_components.bambu_cloud"
        and r.getMessage().startswith("Printer")
    ]
    assert messages == [
        "Printer Garage is unavailable",
        "Printer Garage is available again",
    ]


def _entity(hass: HomeAssistant, entry: MockConfigEntry, unique_id: str) -> str:
    return next(
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id == unique_id
    )


async def test_lan_path_with_cloud_fallback(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud_entry: MockConfigEntry
) -> None:
    cloud_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        cloud_entry,
        options={
            CONF_PRINTERS: {
                SERIAL_A: {CONF_HOST: "192.0.2.20", CONF_ACCESS_CODE: "87654321"}
            }
        },
    )
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    cloud_link, local = fake_link.links
    assert local.local
    assert local.host == "192.0.2.20"
    assert local.serials == {SERIAL_A}
    hub = cloud_entry.runtime_data
    assert hub.link_for(SERIAL_A) is local
    assert hub.link_for(SERIAL_B) is cloud_link
    local.set_connected(False)
    assert hub.link_for(SERIAL_A) is cloud_link  # the cloud carries it meanwhile
    _feed(cloud_link, SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    assert hub.printers[SERIAL_A].printer_available
    # The camera and files reach the printer the user gave an address for.
    access = hub.local_access(SERIAL_A)
    assert access is not None
    assert (access.host, access.access_code) == ("192.0.2.20", "87654321")
    assert hub.local_access(SERIAL_B) is None


async def test_lan_entry_unavailable_when_link_drops(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "p1p-ams")
    progress = _entity(hass, entry, f"{LAN_SERIAL}_progress")
    assert hass.states.get(progress).state != STATE_UNAVAILABLE
    link.set_connected(False)
    await hass.async_block_till_done()
    assert hass.states.get(progress).state == STATE_UNAVAILABLE
    link.set_connected(True)
    await hass.async_block_till_done()
    assert hass.states.get(progress).state != STATE_UNAVAILABLE
    # A reconnect asks for the whole state again.
    assert [c["command"] for c in link.commands()].count("pushall") == 2


async def test_reports_for_unknown_serials_are_ignored(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "p1p-ams")
    before = len(hass.states.async_all())
    link.deliver("SOMEONE-ELSE", pushall("x1c-multi-ams"))
    await hass.async_block_till_done()
    assert len(hass.states.async_all()) == before
    assert entry.state is ConfigEntryState.LOADED
