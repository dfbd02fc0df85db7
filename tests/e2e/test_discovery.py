"""Printers announcing themselves reach Home Assistant's discovery, end to end.

The simulated printers send their SSDP NOTIFY over real UDP to the port
Home Assistant's listener opened on 127.0.0.1; the discovery flow checks
the access code against the printer's own TLS broker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud import discovery
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.flow_schemas import SECTION_ADVANCED
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL, build_demo
from simulator.world import Simulator
from tests.e2e.helpers import until

# The announcer is pointed at Home Assistant's port once that is open.
UNSET_PORT = 9


@pytest.fixture(autouse=True)
def _listen_on_loopback() -> Generator[None]:
    """Home Assistant listens on a free loopback port, not port 2021."""
    with patch.object(discovery, "LISTEN_ADDRESS", ("127.0.0.1", 0)):
        yield


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo world, its printers announcing themselves."""
    simulator = Simulator(tmp_path / "world", rate_hz=0, announce_port=UNSET_PORT)
    await build_demo(simulator, printing=1)
    async with simulator:
        yield simulator


def _ports(printer: SimulatedPrinter) -> dict[str, Any]:
    return {
        CONF_PORT: printer.lan_port,
        CONF_CAMERA_PORT: printer.extra_ports().get("camera_port", 6000),
        CONF_FTP_PORT: printer.extra_ports()["ftp_port"],
    }


def _lan_entry(
    world: Simulator, printer: SimulatedPrinter, host: str
) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"{printer.model.name} {printer.serial}",
        unique_id=printer.serial,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_SERIAL: printer.serial,
            CONF_HOST: host,
            CONF_ACCESS_CODE: printer.access_code,
            CONF_CA_CERT: world.ca_pem,
            **_ports(printer),
        },
    )


def _announce(hass: HomeAssistant, world: Simulator) -> discovery.PrinterDiscovery:
    """Point the printers at Home Assistant's listener; they announce once."""
    listening = hass.data[discovery.DATA_DISCOVERY]
    assert listening.port is not None
    assert world.announcer is not None
    world.announcer.port = listening.port
    world.announcer.announce()
    return listening


def _discovery_flows(hass: HomeAssistant) -> list[Any]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]


async def test_a_new_printer_is_added_with_only_its_access_code(
    hass: HomeAssistant, world: Simulator
) -> None:
    """One printer is set up; the others announce and are offered, one added."""
    known, new, *others = world.printers.values()
    # An address the printer no longer has (the tests' socket guard refuses
    # it as a network would): the entry waits to retry, and the printer's
    # announcement repairs it.
    entry = _lan_entry(world, known, "127.0.0.2")
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    listening = _announce(hass, world)
    await until(hass, lambda: set(listening.listener.printers) == set(world.printers))
    await until(hass, lambda: len(_discovery_flows(hass)) == 1 + len(others))
    await until(hass, lambda: entry.data[CONF_HOST] == "127.0.0.1")
    flow = next(
        f for f in _discovery_flows(hass) if f["context"]["unique_id"] == new.serial
    )
    assert flow["step_id"] == "discovery_confirm"
    assert flow["context"]["title_placeholders"] == {
        "name": f"Bambu Lab {new.model.name} “{new.setup.name}”"
    }

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"],
        {
            CONF_ACCESS_CODE: new.access_code,
            SECTION_ADVANCED: {**_ports(new), CONF_CA_CERT: world.ca_pem},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    added = result["result"]
    assert added.data[CONF_HOST] == "127.0.0.1"
    await hass.async_block_till_done()
    assert added.state is ConfigEntryState.LOADED
    # It reports over its own LAN broker.
    entities = er.async_get(hass)

    def status() -> str | None:
        entity_id = entities.async_get_entity_id(
            "sensor", DOMAIN, f"{new.serial}_print_status"
        )
        state = hass.states.get(entity_id) if entity_id else None
        return None if state is None else state.state

    await until(hass, lambda: status() not in (None, "unavailable", "unknown"))
    assert (
        dr.async_get(hass).async_get_device_by_identifier(
            (DOMAIN, new.serial), added.entry_id
        )
        is not None
    )
    # The known printer's entry connected at the announced address.
    await until(hass, lambda: entry.state is ConfigEntryState.LOADED)
    assert entry.runtime_data.printer is not None


async def test_the_account_s_printers_are_not_offered_again(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """Every announcing printer is the account's: no flow, no second device."""
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    listening = _announce(hass, world)
    await until(hass, lambda: set(listening.listener.printers) == set(world.printers))
    await hass.async_block_till_done()
    assert _discovery_flows(hass) == []
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    registry = dr.async_get(hass)

    def devices_of(serial: str) -> int:
        return sum(
            (DOMAIN, serial) in device.identifiers for device in registry.devices
        )

    await until(hass, lambda: all(devices_of(s) for s in world.printers))
    assert {devices_of(serial) for serial in world.printers} == {1}


async def test_a_printer_bound_to_the_account_joins_it(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """Newly bound, announcing before the next device-list poll: the account path."""
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    new = await world.add_printer(DEMO_EMAIL, "p1p-no-ams", name="Basement P1P")
    listening = _announce(hass, world)
    await until(hass, lambda: new.serial in listening.listener.printers)
    await until(hass, lambda: len(_discovery_flows(hass)) == 1)
    (flow,) = _discovery_flows(hass)
    assert flow["step_id"] == "discovery"  # the menu: access code or account

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"next_step_id": "discovery_account"}
    )
    assert result["step_id"] == "discovery_account"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "added_to_account"
    runtime = cloud_entry.runtime_data
    await until(hass, lambda: new.serial in runtime.printers)
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
