"""What a loaded config entry holds (``entry.runtime_data``), and its type.

Entities and actions never read this: they talk to their coordinator and
its ``printer``. Platforms get entry-wide parts (history, error texts) when
they set up, through ``entity.entry_runtime``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import ssl
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .aiobambulab.account import Account
    from .aiobambulab.cloud import BambuCloud
    from .aiobambulab.hms import HmsCatalog
    from .aiobambulab.mqtt import PrinterLink
    from .aiobambulab.printer import Printer
    from .coordinator import DeviceListCoordinator, PrinterCoordinator, PrinterListener
    from .history import HistoryCoordinator
    from .hub import BambuHub
    from .job import JobTracker
    from .notifications import NotificationCoordinator


@dataclass(frozen=True, slots=True)
class LocalAccess:
    """How to reach a printer on the LAN (camera, files); secrets not logged."""

    host: str
    access_code: str
    camera_port: int
    ftp_port: int
    ssl_context: ssl.SSLContext  # verifies the printer against the Bambu CA

    def __repr__(self) -> str:
        """Never show the access code."""
        return f"LocalAccess(host={self.host!r})"


@dataclass(slots=True, kw_only=True)
class BambuRuntimeData:
    """The parts of one loaded config entry."""

    hub: BambuHub  # Home Assistant's side: registry, repair issues, new parts
    account: Account | None  # a cloud entry's account
    printer: Printer | None  # a LAN entry's printer
    printers: dict[str, PrinterCoordinator]  # by serial
    device_list: DeviceListCoordinator | None  # a cloud entry's bound printers
    history: HistoryCoordinator
    jobs: dict[str, JobTracker]  # each printer's current job file, by serial
    notifications: NotificationCoordinator | None  # the account's messages
    catalog: HmsCatalog  # error texts in the user's language

    @property
    def cloud(self) -> BambuCloud | None:
        """The account's cloud client (None for a LAN entry)."""
        return None if self.account is None else self.account.cloud

    def async_add_printer_listener(
        self, listener: PrinterListener
    ) -> Callable[[], None]:
        """Hear of every printer now and whenever its parts change."""
        return self.hub.async_add_printer_listener(listener)

    # Kept for the modules that still ask the entry about one printer (the
    # job tracker); the others ask the printer's coordinator.
    def link_for(self, serial: str) -> PrinterLink | None:
        """The link to send a command through: the LAN one when it is up."""
        coordinator = self.printers.get(serial)
        return None if coordinator is None else coordinator.printer.link

    def local_access(self, serial: str) -> LocalAccess | None:
        """The printer's LAN address and access code, if the user gave them."""
        coordinator = self.printers.get(serial)
        return None if coordinator is None else coordinator.local_access


type BambuConfigEntry = ConfigEntry[BambuRuntimeData]
