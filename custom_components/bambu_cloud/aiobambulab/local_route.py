"""An account printer's own LAN link, found without the user's help.

The account's device list gives each printer's access code and the printer
reports its LAN address (``net.info``); with both, the printer gets a LAN
link to that address. The link checks the certificate: Bambu's CA, and the
printer's serial as its CN, so the access code goes to no other printer
whatever the address leads to. Until it connects (and whenever it cannot)
the account's cloud link serves the printer.

Home Assistant on another network, a printer with LAN mode off or one that
refuses another client cost little: one attempt with a short timeout, then
a slow retry, logged once.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
import ssl
from typing import Final

from .link_health import LinkStatus
from .mqtt import LinkOptions
from .printer import Cancel, LinkSource, Printer, Update

# A printer on the LAN answers within a second; one out of reach should not
# hold a connection attempt open for long.
AUTO_CONNECT_TIMEOUT: Final = 5.0  # seconds
# Out of reach or refused: try again rarely (the cloud serves meanwhile).
AUTO_RETRY_FIRST: Final = 60.0  # seconds
AUTO_RETRY_MAX: Final = 1800.0  # seconds
AUTO_LINK_OPTIONS: Final = LinkOptions(
    connect_timeout=AUTO_CONNECT_TIMEOUT,
    backoff_min=AUTO_RETRY_FIRST,
    backoff_max=AUTO_RETRY_MAX,
    greet=False,  # the printer greets each session itself
)


class LanState(StrEnum):
    """Why a printer has no LAN link up (or that it has one)."""

    UP = "up"
    CONNECTING = "connecting"
    NO_ACCESS_CODE = "no_access_code"  # the device list has none
    NO_ADDRESS = "no_address"  # the printer reported none yet
    TURNED_OFF = "turned_off"  # the user wants the cloud only
    # A failed attempt, by ``ConnectionFailure``: credentials (wrong code or
    # LAN mode off), tls (not a Bambu certificate, or another printer's),
    # unreachable, timeout (no route), protocol (e.g. too many clients).
    CREDENTIALS = "credentials"
    TLS = "tls"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"
    SERIAL_MISMATCH = "serial_mismatch"


def lan_state(printer: Printer) -> LanState:
    """How the printer's own LAN link stands (NO_ADDRESS without a link)."""
    link = printer.lan_link
    if link is None:
        return LanState.NO_ADDRESS
    status = link.status
    if status.connected:
        return LanState.UP
    if status.failure is None:
        return LanState.CONNECTING
    return LanState(status.failure.value)


class LocalRoute:
    """Keeps an account printer's LAN link at the address the printer reports."""

    def __init__(
        self,
        printer: Printer,
        access_code: str,
        *,
        ssl_context: ssl.SSLContext | None,
        address: str | None = None,
        options: LinkOptions = AUTO_LINK_OPTIONS,
        on_verified: Callable[[str, str], None] | None = None,
    ) -> None:
        """Follow ``printer``'s reports; its first address starts the link.

        ``address``: where the link last came up (remembered); tried at
        once, before any report (the cloud may be out of reach).

        ``on_verified`` hears the address and access code each time the LAN
        link comes up there: the printer proved who it is (the camera and the files may
        go there too).
        """
        self.printer = printer
        self.address: str | None = None
        self._access_code = access_code
        self._ssl_context = ssl_context
        self._options = options
        self._on_verified = on_verified
        self._cancels: list[Cancel] = [
            printer.add_listener(self._on_update),
            printer.add_link_listener(self._on_link),
        ]
        if address is not None:
            self._move(address)
        self._on_update(Update({"net"}))  # an address already reported

    def __repr__(self) -> str:
        """Serial and address; never the access code."""
        return f"LocalRoute({self.printer.serial!r}, address={self.address!r})"

    @property
    def access_code(self) -> str:
        """The access code the link uses (the device list's)."""
        return self._access_code

    def use_access_code(self, access_code: str) -> None:
        """The device list has a new code (LAN mode toggled): connect with it."""
        if access_code == self._access_code:
            return
        self._access_code = access_code
        if self.address is not None:
            self._move(self.address)

    def stop(self) -> None:
        """Stop following the address (the printer's ``stop`` closes the link)."""
        cancels, self._cancels = self._cancels, []
        for cancel in cancels:
            cancel()

    def _on_update(self, update: Update) -> None:
        if "net" not in update.changed:
            return
        address = self.printer.state.ip_address
        if address is not None and address != self.address:
            self._move(address)

    def _move(self, address: str) -> None:
        self.address = address
        self.printer.move_lan_soon(
            address,
            self._access_code,
            ssl_context=self._ssl_context,
            options=self._options,
        )

    def _on_link(self, source: LinkSource, status: LinkStatus) -> None:
        if source is not LinkSource.LAN or not status.connected:
            return
        if self.address is not None and self._on_verified is not None:
            self._on_verified(self.address, self._access_code)
