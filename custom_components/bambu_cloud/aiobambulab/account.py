"""A Bambu account: its cloud client, its one MQTT link and its printers.

The account's broker session serves every printer of the account; each
``Printer`` it hands out uses that session as its fallback link (its own LAN
link, when it has one, goes first). The device list says which printers are
bound and whether the cloud sees them online.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import ssl
from typing import Any

from . import printer as printer_module
from .cloud import BambuCloud
from .cloud_devices import CloudDevice
from .lifecycle import JobLifecycle
from .link_health import LinkStatus
from .listeners import add_listener
from .mqtt import PORT, LinkOptions, PrinterLink
from .printer import (
    Printer,
    Scheduler,
    Spawner,
    loop_scheduler,
    loop_spawner,
)

type StatusListener = Callable[[LinkStatus], None]


class Account:
    """The cloud side of one Bambu account; hands out its ``Printer``s."""

    def __init__(
        self,
        cloud: BambuCloud,
        uid: str | int,
        *,
        scheduler: Scheduler = loop_scheduler,
        spawner: Spawner = loop_spawner,
        lifecycle: Callable[[], JobLifecycle | None] = lambda: None,
    ) -> None:
        """Prepare; ``connect`` creates the broker link, ``start`` starts it.

        ``lifecycle`` makes each new printer's job life cycle (a fresh
        ``JobLifecycle`` when it gives None).
        """
        self.cloud = cloud
        self.uid = uid
        self.printers: dict[str, Printer] = {}
        self.devices: dict[str, CloudDevice] = {}
        self.link: PrinterLink | None = None
        self._scheduler = scheduler
        self._spawner = spawner
        self._lifecycle = lifecycle
        self._status_listeners: list[StatusListener] = []

    def __repr__(self) -> str:
        """The account id only; never a token."""
        return f"Account(uid={self.uid!r})"

    # --- printers --------------------------------------------------------------

    def printer(
        self,
        serial: str,
        *,
        name: str | None = None,
        cloud_names: Iterable[str | None] = (),
    ) -> Printer:
        """The account's printer ``serial``, created on first use."""
        if (printer := self.printers.get(serial)) is not None:
            return printer
        printer = Printer(
            serial,
            name=name,
            cloud_names=cloud_names,
            lifecycle=self._lifecycle(),
            scheduler=self._scheduler,
            spawner=self._spawner,
        )
        printer.use_cloud(self.link)
        self.printers[serial] = printer
        return printer

    async def add_printer(
        self,
        serial: str,
        *,
        name: str | None = None,
        cloud_names: Iterable[str | None] = (),
    ) -> Printer:
        """A printer bound while running: subscribe to it and greet it."""
        printer = self.printer(serial, name=name, cloud_names=cloud_names)
        if (link := self.link) is not None:
            await link.add_serial(serial)
            if link.connected and serial in self.printers:  # not removed meanwhile
                printer.cloud_status_changed(link.status)
        return printer

    async def remove_printer(self, serial: str) -> Printer | None:
        """A printer left the account: stop reaching it."""
        printer = self.printers.pop(serial, None)
        if self.link is not None:
            await self.link.remove_serial(serial)
        if printer is not None:
            await printer.stop()
        return printer

    # --- device list ---------------------------------------------------------------

    async def fetch_devices(
        self, *, null_is_empty: bool = True
    ) -> dict[str, CloudDevice]:
        """Read the account's bound printers from the cloud (raises CloudError)."""
        devices = await self.cloud.get_devices(null_is_empty=null_is_empty)
        self.devices = {device.serial: device for device in devices}
        return self.devices

    def sync_online(self, devices: Mapping[str, CloudDevice]) -> None:
        """Tell each printer whether the cloud sees it online."""
        for serial, device in devices.items():
            if (printer := self.printers.get(serial)) is not None:
                printer.set_online(device.online)

    # --- the broker link -------------------------------------------------------------

    def connect(
        self,
        token: str,
        *,
        host: str,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        options: LinkOptions | None = None,
    ) -> PrinterLink:
        """Create the account's broker link for every printer handed out so far."""
        self.link = PrinterLink.cloud(
            self.uid,
            token,
            self.printers,
            on_message=self._on_message,
            on_status=self._on_status,
            host=host,
            port=port,
            ssl_context=ssl_context,
            options=options or printer_module.LINK_OPTIONS,
        )
        for printer in self.printers.values():
            printer.use_cloud(self.link)
        return self.link

    def add_status_listener(self, listener: StatusListener) -> Callable[[], None]:
        """Call ``listener`` on every status change of the broker link."""
        return add_listener(self._status_listeners, listener)

    async def reconnect_with(self, token: str) -> None:
        """A renewed token: the broker link reconnects with it."""
        if self.link is not None:
            await self.link.reconnect_with(token)

    async def stop(self) -> None:
        """Close every printer's LAN link and the broker link."""
        for printer in list(self.printers.values()):
            await printer.stop()
        link, self.link = self.link, None
        if link is not None:
            await link.stop()

    def _on_message(self, serial: str, message: dict[str, Any]) -> None:
        if (printer := self.printers.get(serial)) is not None:
            printer.handle_cloud_message(message)

    def _on_status(self, status: LinkStatus) -> None:
        for listener in list(self._status_listeners):
            listener(status)
        link = self.link
        for serial in list(link.serials if link is not None else ()):
            if (printer := self.printers.get(serial)) is not None:
                printer.cloud_status_changed(status)
