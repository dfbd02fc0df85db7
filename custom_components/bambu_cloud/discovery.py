"""Printers announcing themselves on the network start a discovery flow.

One UDP listener per Home Assistant, open while the integration has an
entry (Home Assistant's own SSDP discovery listens on port 1900; Bambu
printers broadcast to port 2021). Each printer heard for the
first time, or announcing a new address, starts an integration discovery
flow; the flow decides (``flow_discovery``): a new printer is offered, a LAN
entry's address is updated, an account's printer is left alone.
"""

from __future__ import annotations

from typing import Final

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY
from homeassistant.const import CONF_HOST, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.discovery_flow import DiscoveryKey
from homeassistant.util.hass_dict import HassKey

from .aiobambulab.discovery import DISCOVERY_PORT, Announcement, AnnouncementListener
from .const import CONF_SERIAL, DOMAIN, LOGGER

# Where announcements are heard: every interface (printers broadcast), port
# 2021. None: not at all. The tests listen on a free loopback port, or not
# at all where sockets are off.
LISTEN_ADDRESS: tuple[str, int] | None = ("0.0.0.0", DISCOVERY_PORT)  # noqa: S104 - broadcasts reach only a wildcard socket
DATA_DISCOVERY: Final[HassKey[PrinterDiscovery]] = HassKey(f"{DOMAIN}_discovery")

# The discovery flow's data.
CONF_MODEL: Final = "model"  # the catalog's model name, e.g. "P1S"
CONF_NAME: Final = "name"  # the printer's name as announced (may be empty)


class PrinterDiscovery:
    """The one listener of this Home Assistant."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen for nobody yet."""
        self.hass = hass
        self.listener = AnnouncementListener(self._async_announced)
        self._unsub_stop: CALLBACK_TYPE | None = None

    @property
    def port(self) -> int | None:
        """The UDP port listened on (None when not listening)."""
        return self.listener.port

    def announced(self, serial: str) -> Announcement | None:
        """A printer's latest announcement, if it was heard."""
        return self.listener.printers.get(serial)

    async def async_start(self) -> None:
        """Listen, unless already listening (or told not to)."""
        if self.listener.port is not None or LISTEN_ADDRESS is None:
            return
        host, port = LISTEN_ADDRESS
        try:
            await self.listener.start(host, port)
        except OSError as err:
            # Another program holds the port without sharing it: the
            # integration works as before, without discovery.
            LOGGER.warning(
                "Cannot listen for printers announcing themselves on UDP port"
                " %s (%s); new printers must be added by hand",
                port,
                err,
            )
            return
        self._unsub_stop = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_stopping
        )

    @callback
    def async_stop(self) -> None:
        """Stop listening (idempotent)."""
        self.listener.stop()
        if self._unsub_stop is not None:
            self._unsub_stop()
            self._unsub_stop = None

    @callback
    def _async_stopping(self, _event: Event) -> None:
        self._unsub_stop = None  # a once-listener is gone once it ran
        self.listener.stop()

    @callback
    def _async_announced(self, announcement: Announcement) -> None:
        """A printer heard for the first time, or with news: let a flow decide."""
        discovery_flow.async_create_flow(
            self.hass,
            DOMAIN,
            context={"source": SOURCE_INTEGRATION_DISCOVERY},
            data={
                CONF_SERIAL: announcement.serial,
                CONF_HOST: announcement.host,
                CONF_MODEL: announcement.model.name,
                CONF_NAME: announcement.name,
            },
            # Lets Home Assistant offer the printer again once an ignored
            # or removed entry of it is gone.
            discovery_key=DiscoveryKey(
                domain=DOMAIN, key=announcement.serial, version=1
            ),
        )


async def async_start_discovery(hass: HomeAssistant) -> None:
    """Listen for printers (idempotent).

    Called when the integration sets up and before each entry sets up:
    an entry whose printer moved fails to set up, and its announcement
    is what repairs it.
    """
    discovery = hass.data.get(DATA_DISCOVERY)
    if discovery is None:
        discovery = hass.data[DATA_DISCOVERY] = PrinterDiscovery(hass)
    await discovery.async_start()


@callback
def async_stop_discovery(hass: HomeAssistant) -> None:
    """Stop listening: the integration's last entry is gone."""
    if (discovery := hass.data.get(DATA_DISCOVERY)) is not None:
        discovery.async_stop()
