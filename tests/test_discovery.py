"""One UDP listener per Home Assistant turns announcements into discovery flows."""

from __future__ import annotations

from collections.abc import Generator
import socket
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntryState
from homeassistant.const import CONF_HOST, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant
import pytest

from custom_components.bambu_cloud import discovery
from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.const import CONF_SERIAL, DOMAIN
from simulator.announce import notify_datagram
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry
from tests.e2e.helpers import until
from tests.fake_link import FakeLink

NEW_SERIAL = "01P00A000000077"

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_link")


@pytest.fixture(autouse=True)
def _listen_on_loopback() -> Generator[None]:
    """A free loopback port instead of every interface's port 2021."""
    with patch.object(discovery, "LISTEN_ADDRESS", ("127.0.0.1", 0)):
        yield


def _announce(hass: HomeAssistant, serial: str, host: str, name: str) -> None:
    port = hass.data[discovery.DATA_DISCOVERY].port
    assert port is not None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.sendto(
            notify_datagram(serial, host, model_code="C12", name=name),
            ("127.0.0.1", port),
        )


def _discovery_flows(hass: HomeAssistant) -> list[dict[str, object]]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]


async def _load(hass: HomeAssistant, serial: str) -> str:
    entry = lan_entry("p1p-ams", serial)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(serial, get_version("p1p-ams"))
    link.deliver(serial, pushall("p1p-ams"))
    await hass.async_block_till_done()
    return entry.entry_id


async def test_an_unknown_printer_starts_a_discovery_flow(
    hass: HomeAssistant,
) -> None:
    """Over a real UDP socket: the flow asks for the new printer's access code."""
    await _load(hass, LAN_SERIAL)
    _announce(hass, NEW_SERIAL, "192.0.2.77", "Garage")
    await until(hass, lambda: bool(_discovery_flows(hass)))
    (flow,) = _discovery_flows(hass)
    assert flow["step_id"] == "discovery_confirm"
    assert flow["context"]["unique_id"] == NEW_SERIAL
    assert flow["context"]["title_placeholders"] == {"name": "Bambu Lab P1S “Garage”"}


async def test_a_known_printer_moving_updates_its_entry(hass: HomeAssistant) -> None:
    """The LAN entry takes the announced address; no flow stays open."""
    entry_id = await _load(hass, LAN_SERIAL)
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    assert entry.data[CONF_HOST] == "192.0.2.10"
    _announce(hass, LAN_SERIAL, "192.0.2.11", "Garage")
    await until(hass, lambda: entry.data[CONF_HOST] == "192.0.2.11")
    assert entry.data[CONF_SERIAL] == LAN_SERIAL
    assert _discovery_flows(hass) == []


async def test_one_listener_while_the_integration_has_entries(
    hass: HomeAssistant,
) -> None:
    """Opened once, kept while entries unload, closed with the last removed."""
    first = await _load(hass, LAN_SERIAL)
    listening = hass.data[discovery.DATA_DISCOVERY]
    port = listening.port
    assert port is not None
    second = await _load(hass, NEW_SERIAL)
    assert hass.data[discovery.DATA_DISCOVERY] is listening
    assert listening.port == port
    assert await hass.config_entries.async_unload(first)
    assert await hass.config_entries.async_unload(second)
    assert listening.port == port  # printers may still be added
    await hass.config_entries.async_remove(first)
    assert listening.port == port
    await hass.config_entries.async_remove(second)
    assert listening.port is None
    # A new entry listens again.
    await _load(hass, LAN_SERIAL)
    assert listening.port is not None


async def test_an_entry_waiting_to_retry_still_hears_its_printer(
    hass: HomeAssistant,
) -> None:
    """The printer moved, the entry cannot connect: its announcement repairs it."""
    FakeLink.connect_failure = ConnectionFailure.UNREACHABLE
    FakeLink.failing_hosts = {"192.0.2.10"}  # the old address
    entry = lan_entry("p1p-ams", LAN_SERIAL)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    _announce(hass, LAN_SERIAL, "192.0.2.11", "Garage")
    await until(hass, lambda: entry.state is ConfigEntryState.LOADED)
    assert entry.data[CONF_HOST] == "192.0.2.11"


async def test_home_assistant_stopping_closes_the_listener(
    hass: HomeAssistant,
) -> None:
    await _load(hass, LAN_SERIAL)
    listening = hass.data[discovery.DATA_DISCOVERY]
    assert listening.port is not None
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert listening.port is None


async def test_a_taken_port_leaves_the_integration_working(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Another program holding the port: one warning, the entry loads."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind(("127.0.0.1", 0))
        with patch.object(
            discovery, "LISTEN_ADDRESS", ("127.0.0.1", holder.getsockname()[1])
        ):
            entry_id = await _load(hass, LAN_SERIAL)
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    assert entry.runtime_data is not None
    assert hass.data[discovery.DATA_DISCOVERY].port is None
    assert "new printers must be added by hand" in caplog.text
