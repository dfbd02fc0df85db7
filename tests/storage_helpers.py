"""A LAN printer whose storage is the simulator's FTPS server (media, reprint, queue)."""

from __future__ import annotations

from pathlib import Path

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from simulator.ftps import FtpsServer
from simulator.tls import SimulatorPki
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink

ACCESS_CODE = "12345678"


def storage_server(pki: SimulatorPki, root: Path) -> FtpsServer:
    """The printer's FTPS storage at ``root``, with its certificate (not started)."""
    leaf = pki.printers[LAN_SERIAL]
    return FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, root)


async def setup_storage_printer(
    hass: HomeAssistant, pki: SimulatorPki, ftp_port: int, capture: str
) -> tuple[MockConfigEntry, FakeLink]:
    """Set up the LAN printer "Garage" whose files are at ``ftp_port``."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=LAN_SERIAL,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_HOST: "127.0.0.1",
            CONF_SERIAL: LAN_SERIAL,
            CONF_ACCESS_CODE: ACCESS_CODE,
            CONF_FTP_PORT: ftp_port,
            CONF_CA_CERT: pki.ca.cert_pem,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    return entry, await report_full_state(hass, capture)


async def report_full_state(hass: HomeAssistant, capture: str) -> FakeLink:
    """The printer's newest link delivers its version and full state."""
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version(capture))
    link.deliver(LAN_SERIAL, pushall(capture))
    await hass.async_block_till_done()
    return link
