"""Entry setup, links, availability, and printers coming and going."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import logging
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.link_health import LinkStatus
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_IGNORED,
    CONF_KNOWN_PRINTERS,
    CONF_MQTT_HOST,
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
    # Job trackers follow the entry's printers, before any platform asks.
    jobs = cloud_entry.runtime_data.jobs
    assert set(jobs) == {SERIAL_A, "03W00X000000013"}
    assert (
        jobs["03W00X000000013"].coordinator
        is (cloud_entry.runtime_data.printers["03W00X000000013"])
    )
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


def _hybrid_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """SERIAL_A also has a LAN address: both links report it."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        options={
            CONF_PRINTERS: {
                SERIAL_A: {CONF_HOST: "192.0.2.20", CONF_ACCESS_CODE: "87654321"}
            }
        },
    )


def _job(state: str, percent: int) -> dict[str, Any]:
    return {
        "print": {
            "command": "push_status",
            "msg": 1,
            "gcode_state": state,
            "mc_percent": percent,
            "subtask_name": "Benchy",
        }
    }


def _print_events(
    captured: list[Event[EventStateChangedData]], entity_id: str
) -> list[str]:
    """The event types the print event entity fired, in order."""
    fired, seen = [], {STATE_UNAVAILABLE, STATE_UNKNOWN}
    for event in captured:
        new = event.data["new_state"]
        if event.data["entity_id"] != entity_id or new is None or new.state in seen:
            continue
        seen.add(new.state)
        fired.append(new.attributes["event_type"])
    return fired


@pytest.mark.usefixtures("job_files")
async def test_hybrid_late_cloud_copies_fire_one_finished_event(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud_entry: MockConfigEntry
) -> None:
    """The cloud's copies of the LAN's reports do not move the job back."""
    _hybrid_entry(hass, cloud_entry)
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    cloud_link, local = fake_link.links
    _feed(local, SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    print_event = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{SERIAL_A}_print"
    )
    assert print_event is not None
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)

    local.deliver(SERIAL_A, _job("RUNNING", 10))
    local.deliver(SERIAL_A, _job("FINISH", 100))
    await hass.async_block_till_done()
    cloud_link.deliver(SERIAL_A, _job("RUNNING", 10))
    cloud_link.deliver(SERIAL_A, _job("FINISH", 100))
    await hass.async_block_till_done()
    assert _print_events(captured, print_event) == ["started", "finished"]

    # With the LAN link down the cloud feeds the printer, and is asked for
    # the whole state first.
    pushalls = len(cloud_link.commands("pushall"))
    local.set_connected(False)
    await hass.async_block_till_done()
    assert len(cloud_link.commands("pushall")) == pushalls + 1
    cloud_link.deliver(SERIAL_A, _job("RUNNING", 5))
    await hass.async_block_till_done()
    assert _print_events(captured, print_event) == ["started", "finished", "started"]


@pytest.mark.usefixtures("job_files")
async def test_lan_printers_start_while_the_internet_is_down(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    """The last device list starts the LAN links; the cloud is the fallback."""
    _hybrid_entry(hass, cloud_entry)
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert set(cloud_entry.data[CONF_KNOWN_PRINTERS]) == {SERIAL_A, SERIAL_B}
    assert await hass.config_entries.async_unload(cloud_entry.entry_id)

    # Home Assistant restarts without internet: no cloud, no cloud broker.
    cloud.fail(BIND, Fault.SERVER_ERROR)
    fake_link.links.clear()
    fake_link.connect_failure = ConnectionFailure.UNREACHABLE
    fake_link.failing_hosts = {cloud_entry.data[CONF_MQTT_HOST]}
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert cloud_entry.state is ConfigEntryState.LOADED
    cloud_link, local = fake_link.links
    assert not cloud_link.connected
    assert cloud_link.started  # retrying in the background
    assert local.connected
    _feed(local, SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    progress = _entity(hass, cloud_entry, f"{SERIAL_A}_progress")
    assert hass.states.get(progress).state != STATE_UNAVAILABLE
    hub = cloud_entry.runtime_data
    assert set(hub.printers) == {SERIAL_A, SERIAL_B}
    assert hub.printers[SERIAL_A].printer_name == "Garage"
    assert not hub.printers[SERIAL_B].printer_available

    # The cloud is back: the next poll reads the list and keeps both printers.
    cloud.clear_fault()
    polls = len(cloud.requests_to(BIND))
    await _poll(hass)
    assert len(cloud.requests_to(BIND)) == polls + 1
    assert hub.device_list is not None
    assert hub.device_list.last_update_success
    assert set(hub.printers) == {SERIAL_A, SERIAL_B}


async def test_without_a_remembered_list_the_cloud_is_needed(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    """A first start knows no printer: it waits for the cloud."""
    _hybrid_entry(hass, cloud_entry)
    cloud.fail(BIND, Fault.SERVER_ERROR)
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert cloud_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.usefixtures("job_files")
async def test_a_printer_ignoring_pushall_is_asked_again(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Asked again with growing pauses until the full report arrives."""
    entry, link = await setup_capture(hass, "p1p-ams")
    assert await hass.config_entries.async_unload(entry.entry_id)
    link_count = len(fake_link.links)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    (link,) = fake_link.links[link_count:]
    assert len(link.commands("pushall")) == 1  # ignored by the printer

    # Each pause doubles (15 s, 30 s, 60 s), counted from the last ask.
    now = dt_util.utcnow()
    for seconds, expected in ((14, 1), (16, 2), (28, 2), (32, 3), (58, 3), (62, 4)):
        async_fire_time_changed(hass, now + timedelta(seconds=seconds))
        await hass.async_block_till_done()
        assert len(link.commands("pushall")) == expected, seconds

    link.deliver(LAN_SERIAL, pushall("p1p-ams"))
    await hass.async_block_till_done()
    async_fire_time_changed(hass, now + timedelta(seconds=125))
    await hass.async_block_till_done()
    assert len(link.commands("pushall")) == 4  # answered: no more asking
    assert _entity(hass, entry, f"{LAN_SERIAL}_progress")


@pytest.mark.usefixtures("job_files")
async def test_a_renamed_printer_follows_unless_renamed_in_home_assistant(
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
    registry = dr.async_get(hass)
    shop = registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL_B), cloud_entry.entry_id
    )
    assert shop is not None
    registry.async_update_device(shop.id, name_by_user="My X1")

    devices = cloud.accounts[EMAIL].devices
    assert devices is not None
    devices[0]["name"] = "Attic"
    devices[1]["name"] = "Lab"
    await _poll(hass)

    garage = registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL_A), cloud_entry.entry_id
    )
    assert garage is not None
    assert garage.name == "Attic"
    ams = registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL_A}_ams_0"), cloud_entry.entry_id
    )
    assert ams is not None
    assert ams.name == "Attic AMS 1"
    progress = _entity(hass, cloud_entry, f"{SERIAL_A}_progress")
    link.deliver(SERIAL_A, _job("RUNNING", 10))
    await hass.async_block_till_done()
    assert hass.states.get(progress).name.startswith("Attic ")
    shop = registry.async_get(shop.id)
    assert shop is not None
    assert shop.name_by_user == "My X1"  # the user's name stays
    assert cloud_entry.runtime_data.printers[SERIAL_A].printer_name == "Attic"


async def test_a_refused_access_code_raises_a_repair_issue(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud_entry: MockConfigEntry
) -> None:
    _hybrid_entry(hass, cloud_entry)
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    _cloud_link, local = fake_link.links
    issues = ir.async_get(hass)
    issue_id = f"access_code_refused_{SERIAL_A}"

    assert local.on_status is not None
    local.set_connected(False)
    local.on_status(
        LinkStatus(failure=ConnectionFailure.CREDENTIALS, failed_attempts=1)
    )
    await hass.async_block_till_done()
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "access_code_refused"
    assert issue.translation_placeholders == {"name": "Garage", "host": "192.0.2.20"}
    # The account's token is fine: no reauth for a printer's access code.
    assert not hass.config_entries.flow.async_progress()

    local.set_connected(True)
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None

    # Refused again, then the LAN address is removed in the options (reload).
    local.on_status(LinkStatus(failure=ConnectionFailure.CREDENTIALS))
    assert issues.async_get_issue(DOMAIN, issue_id) is not None
    hass.config_entries.async_update_entry(cloud_entry, options={})
    await hass.config_entries.async_reload(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def _poll(hass: HomeAssistant) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_cloud_only_printers_wait_for_the_cloud(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    cloud_entry: MockConfigEntry,
) -> None:
    """With no LAN address the remembered list helps nothing: retry the setup."""
    await _setup(hass, cloud_entry)
    assert cloud_entry.data[CONF_KNOWN_PRINTERS]
    assert await hass.config_entries.async_unload(cloud_entry.entry_id)
    cloud.fail(BIND, Fault.SERVER_ERROR)
    await hass.config_entries.async_setup(cloud_entry.entry_id)
    await hass.async_block_till_done()
    assert cloud_entry.state is ConfigEntryState.SETUP_RETRY


def _owners(hass: HomeAssistant, serial: str) -> list[str]:
    """The entries that have a device for the printer itself."""
    return [
        entry.entry_id
        for entry in hass.config_entries.async_entries(DOMAIN)
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        if (DOMAIN, serial) in device.identifiers
    ]


async def test_a_printer_added_on_its_own_leaves_the_account(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud_entry: MockConfigEntry,
) -> None:
    """The same printer as a LAN entry and in the account: one device, the LAN's.

    The account lets the printer go when the LAN entry comes (and starts
    without it afterwards), and takes it back when the LAN entry goes.
    """
    await _setup(hass, cloud_entry)
    _feed(fake_link.links[0], SERIAL_A, "p1p-ams")
    _feed(fake_link.links[0], SERIAL_B, "x1c-multi-ams")
    await hass.async_block_till_done()
    assert _owners(hass, SERIAL_A) == [cloud_entry.entry_id]

    lan, lan_link = await setup_capture(hass, "p1p-ams", serial=SERIAL_A)
    await hass.async_block_till_done(wait_background_tasks=True)
    account_link = fake_link.links[-1]  # the account's, after its reload
    assert account_link is not lan_link
    assert account_link.serials == {SERIAL_B}
    assert set(cloud_entry.runtime_data.printers) == {SERIAL_B}
    assert _owners(hass, SERIAL_A) == [lan.entry_id]
    # Its entities are the LAN entry's, none left with the account.
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, cloud_entry.entry_id)
        if e.unique_id.startswith(SERIAL_A)
    ]
    assert [
        e
        for e in er.async_entries_for_config_entry(registry, lan.entry_id)
        if e.unique_id.startswith(SERIAL_A)
    ]

    await hass.config_entries.async_remove(lan.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert set(cloud_entry.runtime_data.printers) == {SERIAL_A, SERIAL_B}
    _feed(fake_link.links[-1], SERIAL_A, "p1p-ams")
    await hass.async_block_till_done()
    assert _owners(hass, SERIAL_A) == [cloud_entry.entry_id]
