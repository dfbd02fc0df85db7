"""Account printers go local by themselves (issue 17).

The address comes from the printer's own report, the access code from the
account's device list; the LAN link, the camera and the files follow. Out
of reach, refused or turned off: the cloud serves, no repair issue, and the
connection sensor says why.
"""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.components.camera import DOMAIN as CAMERA_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.local_route import (
    AUTO_CONNECT_TIMEOUT,
    AUTO_LINK_OPTIONS,
)
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_KNOWN_PRINTERS,
    CONF_PRINTERS,
    CONF_USE_LAN,
    DOMAIN,
)
from custom_components.bambu_cloud.known_printers import LAN_ADDRESS
from simulator.cloud import BIND, FakeCloud, Fault, Kind
from tests.cloud_helpers import (
    CLOUD_ACCESS_CODE,
    CLOUD_SERIAL,
    EMAIL,
    UID,
    cloud_device,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import pushall
from tests.fake_link import FakeLink

CAPTURE = "p1p-ams"  # a port-6000 camera


def _reported_address(capture: str) -> str:
    state = PrinterState("")
    state.apply(pushall(capture))
    assert state.ip_address is not None
    return state.ip_address


def _connection(hass: HomeAssistant) -> tuple[str, str]:
    """The connection sensor's state and its ``lan`` attribute."""
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{CLOUD_SERIAL}_connection"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state, state.attributes["lan"]


def _lan_links() -> list[FakeLink]:
    return [link for link in FakeLink.links if link.local]


@pytest.mark.usefixtures("fake_link")
async def test_account_printer_goes_local_by_itself(
    hass: HomeAssistant, cloud: FakeCloud, issue_registry: ir.IssueRegistry
) -> None:
    """No option set: LAN link, camera and files at the reported address."""
    address = _reported_address(CAPTURE)
    FakeLink.out_of_reach = set()  # Home Assistant is on the printer's network
    entry = cloud_entry(cloud)
    cloud_link = await setup_cloud_capture(hass, entry, CAPTURE)

    (lan,) = _lan_links()
    assert (lan.host, lan.port) == (address, 8883)
    assert lan.password == CLOUD_ACCESS_CODE  # from the device list
    assert lan.connected
    coordinator = entry.runtime_data.printers[CLOUD_SERIAL]
    assert coordinator.printer.link is lan  # commands go over the LAN now
    access = coordinator.local_access
    assert access is not None
    assert (access.host, access.access_code) == (address, CLOUD_ACCESS_CODE)
    assert (access.camera_port, access.ftp_port) == (6000, 990)
    assert _connection(hass) == ("lan", "up")
    assert len(hass.states.async_entity_ids(CAMERA_DOMAIN)) == 1
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]

    # The LAN link lost: the cloud serves, the sensor says so.
    lan.set_connected(False)
    await hass.async_block_till_done()
    assert coordinator.printer.link is cloud_link
    assert _connection(hass) == ("cloud", "connecting")


@pytest.mark.usefixtures("fake_link")
async def test_printer_moves_to_a_new_address(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    """A new address in the report: the LAN link follows it."""
    FakeLink.out_of_reach = set()
    entry = cloud_entry(cloud)
    cloud_link = await setup_cloud_capture(hass, entry, CAPTURE)
    (first,) = _lan_links()

    # The printer got a new address: its old one answers no more, and its
    # report through the cloud gives the new one (192.0.2.99 as the
    # printer gives it: an integer, its first byte lowest).
    first.set_connected(False)
    moved = int.from_bytes(bytes([192, 0, 2, 99]), "little")
    cloud_link.deliver(
        CLOUD_SERIAL,
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "net": {"info": [{"ip": moved, "mask": 0}]},
            }
        },
    )
    await hass.async_block_till_done()

    assert not first.started
    second = _lan_links()[-1]
    assert (second.host, second.connected) == ("192.0.2.99", True)
    access = entry.runtime_data.printers[CLOUD_SERIAL].local_access
    assert access is not None
    assert access.host == "192.0.2.99"


@pytest.mark.usefixtures("fake_link")
async def test_out_of_reach_costs_nothing(
    hass: HomeAssistant,
    cloud: FakeCloud,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Home Assistant on another network: the cloud serves, quietly."""
    entry = cloud_entry(cloud)
    cloud_link = await setup_cloud_capture(hass, entry, CAPTURE)

    (lan,) = _lan_links()  # one attempt
    assert not lan.connected
    coordinator = entry.runtime_data.printers[CLOUD_SERIAL]
    assert coordinator.printer.link is cloud_link
    assert coordinator.local_access is None  # never proved to be this printer
    assert coordinator.printer_available
    assert _connection(hass) == ("cloud", "timeout")
    # No repair, no camera that could never show a picture, no warning.
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert hass.states.async_entity_ids(CAMERA_DOMAIN) == []
    assert "needs the printer's IP address" not in caplog.text
    assert not [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.bambu_cloud")
        and record.levelno >= logging.WARNING
    ]


def test_auto_link_gives_up_fast_and_retries_slowly() -> None:
    """One short attempt, then a retry a minute later at the soonest."""
    assert AUTO_CONNECT_TIMEOUT <= 5
    assert AUTO_LINK_OPTIONS.connect_timeout == AUTO_CONNECT_TIMEOUT
    assert AUTO_LINK_OPTIONS.backoff_min >= 60
    assert AUTO_LINK_OPTIONS.backoff_max >= 1800


@pytest.mark.usefixtures("fake_link")
async def test_refused_access_code_raises_no_issue(
    hass: HomeAssistant, cloud: FakeCloud, issue_registry: ir.IssueRegistry
) -> None:
    """LAN mode off or a changed code: the reason shows, the cloud serves."""
    FakeLink.out_of_reach = set()
    FakeLink.connect_failure = ConnectionFailure.CREDENTIALS
    FakeLink.failing_hosts = {_reported_address(CAPTURE)}
    entry = cloud_entry(cloud)
    await setup_cloud_capture(hass, entry, CAPTURE)
    (lan,) = _lan_links()
    lan.failure = ConnectionFailure.CREDENTIALS
    lan.set_connected(False)  # the refusal, as the real link reports it
    await hass.async_block_till_done()

    assert _connection(hass) == ("cloud", "credentials")
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]


@pytest.mark.usefixtures("fake_link")
async def test_turned_off_in_the_options(hass: HomeAssistant, cloud: FakeCloud) -> None:
    """ "Never use LAN": no LAN link is tried."""
    FakeLink.out_of_reach = set()
    entry = cloud_entry(cloud, **{CONF_PRINTERS: {CLOUD_SERIAL: {CONF_USE_LAN: False}}})
    await setup_cloud_capture(hass, entry, CAPTURE)
    assert _lan_links() == []
    assert _connection(hass) == ("cloud", "turned_off")


@pytest.mark.usefixtures("fake_link")
async def test_address_in_the_options_wins(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    """An address given by the user is used, not the reported one."""
    FakeLink.out_of_reach = set()
    entry = cloud_entry(
        cloud,
        **{
            CONF_PRINTERS: {
                CLOUD_SERIAL: {CONF_HOST: "192.0.2.50", CONF_ACCESS_CODE: "13572468"}
            }
        },
    )
    await setup_cloud_capture(hass, entry, CAPTURE)
    assert [(link.host, link.password) for link in _lan_links()] == [
        ("192.0.2.50", "13572468")
    ]


@pytest.mark.usefixtures("fake_link", "socket_enabled")
async def test_no_access_code_in_the_device_list(hass: HomeAssistant) -> None:
    """Without the cloud's access code there is nothing to try."""
    FakeLink.out_of_reach = set()
    fake = FakeCloud()
    fake.add_account(
        EMAIL,
        "pw",
        Kind.DIRECT,
        UID,
        devices=[{**cloud_device(), "dev_access_code": None}],
    )
    await fake.start()
    try:
        entry = cloud_entry(fake)
        await setup_cloud_capture(hass, entry, CAPTURE)
        assert _lan_links() == []
        assert _connection(hass) == ("cloud", "no_access_code")
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await fake.stop()


@pytest.mark.usefixtures("fake_link")
async def test_start_without_the_cloud_uses_the_remembered_address(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    """The last device list and address: the printer starts on the LAN."""
    address = _reported_address(CAPTURE)
    FakeLink.out_of_reach = set()
    entry = cloud_entry(cloud)
    await setup_cloud_capture(hass, entry, CAPTURE)
    known = entry.data[CONF_KNOWN_PRINTERS][CLOUD_SERIAL]
    assert known[LAN_ADDRESS] == address
    assert known["dev_access_code"] == CLOUD_ACCESS_CODE
    # The next device list keeps it.
    polls = len(cloud.requests_to(BIND))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(BIND)) > polls
    assert entry.data[CONF_KNOWN_PRINTERS][CLOUD_SERIAL][LAN_ADDRESS] == address
    assert await hass.config_entries.async_unload(entry.entry_id)

    cloud.fail(BIND, Fault.SERVER_ERROR)
    FakeLink.links = []
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    (lan,) = _lan_links()  # before any report: from the remembered address
    assert (lan.host, lan.password, lan.connected) == (
        address,
        CLOUD_ACCESS_CODE,
        True,
    )


@pytest.mark.usefixtures("fake_link")
async def test_never_found_printers_wait_for_the_cloud(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    """Out of reach before: nothing to start from, the setup is retried."""
    entry = cloud_entry(cloud)
    await setup_cloud_capture(hass, entry, CAPTURE)
    assert LAN_ADDRESS not in entry.data[CONF_KNOWN_PRINTERS][CLOUD_SERIAL]
    assert await hass.config_entries.async_unload(entry.entry_id)
    cloud.fail(BIND, Fault.SERVER_ERROR)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.usefixtures("fake_link")
async def test_new_access_code_from_the_device_list(
    hass: HomeAssistant, cloud: FakeCloud
) -> None:
    """LAN mode toggled on the printer: the next device list brings the code."""
    FakeLink.out_of_reach = set()
    entry = cloud_entry(cloud)
    await setup_cloud_capture(hass, entry, CAPTURE)
    (first,) = _lan_links()
    cloud.accounts[EMAIL].devices[0]["dev_access_code"] = "97531864"

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert not first.started
    second = _lan_links()[-1]
    assert (second.host, second.password, second.connected) == (
        first.host,
        "97531864",
        True,
    )
    access = entry.runtime_data.printers[CLOUD_SERIAL].local_access
    assert access is not None
    assert access.access_code == "97531864"
