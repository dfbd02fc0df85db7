"""Printers announcing themselves on the network start a discovery flow.

One UDP listener per Home Assistant, open while at least one entry of the
integration is loaded (Home Assistant's own SSDP discovery listens on port
1900; Bambu printers broadcast to port 2021). Each printer heard for the
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
    """The one listener, and which loaded entries keep it open."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen for nobody yet."""
        self.hass = hass
        self.listener = AnnouncementListener(self._async_announced)
        self._entries: set[str] = set()
        self._unsub_stop: CALLBACK_TYPE | None = None

    @property
    def port(self) -> int | None:
        """The UDP port listened on (None when not listening)."""
        return self.listener.port

    def announced(self, serial: str) -> Announcement | None:
        """A printer's latest announcement, if it was heard."""
        return self.listener.printers.get(serial)

    async def async_add_entry(self, entry_id: str) -> None:
        """An entry loaded: listen, if it is the first."""
        first = not self._entries
        self._entries.add(entry_id)
        if not first or LISTEN_ADDRESS is None:
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
            EVENT_HOMEASSISTANT_STOP, self._async_stop
        )

    @callback
    def async_remove_entry(self, entry_id: str) -> None:
        """An entry unloaded: stop listening, if it was the last."""
        self._entries.discard(entry_id)
        if self._entries:
            return
        self.listener.stop()
        if self._unsub_stop is not None:
            self._unsub_stop()
            self._unsub_stop = None

    @callback
    def _async_stop(self, _event: Event) -> None:
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


async def async_start_discovery(hass: HomeAssistant, entry_id: str) -> None:
    """Keep the listener open while ``entry_id`` is loaded."""
    discovery = hass.data.get(DATA_DISCOVERY)
    if discovery is None:
        discovery = hass.data[DATA_DISCOVERY] = PrinterDiscovery(hass)
    await discovery.async_add_entry(entry_id)


@callback
def async_stop_discovery(hass: HomeAssistant, entry_id: str) -> None:
    """``entry_id`` unloaded: the listener closes with the last entry."""
    if (discovery := hass.data.get(DATA_DISCOVERY)) is not None:
        discovery.async_remove_entry(entry_id)
