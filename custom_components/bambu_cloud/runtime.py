"""What a loaded config entry holds (``entry.runtime_data``), and its type.

It stands above everything it holds: the modules below take what they need
as arguments and never import it. Entities and actions never read it: they
talk to their coordinator and its ``printer``. Platforms get entry-wide
parts (history, error texts, job trackers) when they set up, through
``entity.entry_runtime``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .aiobambulab.account import Account
    from .aiobambulab.cloud import BambuCloud
    from .aiobambulab.hms import HmsCatalog
    from .aiobambulab.mqtt import PrinterLink
    from .aiobambulab.printer import Printer
    from .connection import LocalAccess
    from .coordinator import DeviceListCoordinator, PrinterListener
    from .history import HistoryCoordinator
    from .hub import BambuHub
    from .job import JobTrackers
    from .job_cost_tracker import JobCosts
    from .notifications import NotificationCoordinator
    from .printers import EntryPrinters


@dataclass(slots=True, kw_only=True)
class BambuRuntimeData:
    """The parts of one loaded config entry."""

    hub: BambuHub  # Home Assistant's side of the links and the device list
    account: Account | None  # a cloud entry's account
    printer: Printer | None  # a LAN entry's printer
    printers: EntryPrinters  # the printers' coordinators, by serial
    device_list: DeviceListCoordinator | None  # a cloud entry's bound printers
    history: HistoryCoordinator
    jobs: JobTrackers  # each printer's current job file, by serial
    costs: JobCosts  # each printer's job energy and cost
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
        return self.printers.async_add_printer_listener(listener)

    def link_for(self, serial: str) -> PrinterLink | None:
        """The link to send a command through: the LAN one when it is up."""
        coordinator = self.printers.get(serial)
        return None if coordinator is None else coordinator.printer.link

    def local_access(self, serial: str) -> LocalAccess | None:
        """The printer's LAN address and access code, if the user gave them."""
        coordinator = self.printers.get(serial)
        return None if coordinator is None else coordinator.local_access


type BambuConfigEntry = ConfigEntry[BambuRuntimeData]
