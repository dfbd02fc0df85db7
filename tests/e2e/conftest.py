"""The integration against the simulated world, over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from homeassistant.const import CONF_EMAIL, CONF_HOST, CONF_PORT, CONF_TOKEN
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_PRINTERS,
    CONF_REGION,
    CONF_UID,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.flow_helpers import account_title
from simulator.scenario import DEMO_EMAIL, build_demo
from simulator.world import Simulator


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo world, reporting only when a test moves time (rate 0)."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    await build_demo(simulator, printing=1)
    async with simulator:
        yield simulator


@pytest.fixture
def cloud_entry(world: Simulator) -> MockConfigEntry:
    """A config entry for the demo account, as the config flow stores it."""
    account = world.accounts[DEMO_EMAIL]
    return MockConfigEntry(
        domain=DOMAIN,
        title=account_title(DEMO_EMAIL),
        unique_id=str(account.uid),
        data={
            CONF_KIND: EntryKind.CLOUD,
            CONF_REGION: "global",
            CONF_EMAIL: DEMO_EMAIL,
            CONF_TOKEN: account.token,
            CONF_UID: str(account.uid),
            CONF_API_URL: world.api_url,
            CONF_MQTT_HOST: "127.0.0.1",
            CONF_MQTT_PORT: world.mqtt_port,
            CONF_CA_CERT: world.ca_pem,
        },
    )


@pytest.fixture
def lan_cloud_entry(world: Simulator, cloud_entry: MockConfigEntry) -> MockConfigEntry:
    """The demo account with every printer's LAN address, access code and ports.

    What the options flow stores when the user fills in each printer's local
    connection: commands go over the LAN, the camera and files work.
    """
    printers = {}
    for serial, printer in world.printers.items():
        printers[serial] = {
            CONF_HOST: "127.0.0.1",
            CONF_ACCESS_CODE: printer.access_code,
            CONF_PORT: printer.lan_port,
            CONF_CAMERA: True,
            CONF_FTP_PORT: printer.extra_ports()["ftp_port"],
            CONF_CAMERA_PORT: printer.extra_ports().get("camera_port", 6000),
        }
    return MockConfigEntry(
        domain=DOMAIN,
        title=cloud_entry.title,
        unique_id=cloud_entry.unique_id,
        data=dict(cloud_entry.data),
        options={CONF_PRINTERS: printers},
    )
