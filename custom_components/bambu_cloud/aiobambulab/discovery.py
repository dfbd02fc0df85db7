"""Printers announcing themselves on the local network (SSDP NOTIFY).

Bambu printers broadcast an SSDP-style ``NOTIFY * HTTP/1.1`` datagram every
few seconds to UDP port 2021 (Bambu Studio listens there; a copy also goes
to 239.255.255.250:1990). The headers carry what identifies the printer,
with no credential: ``Location`` (its IP address, bare), ``USN`` (its serial),
``NT: urn:bambulab-com:device:3dprinter:1`` and Bambu's own
``DevModel.bambu.com`` (model code such as ``C12``), ``DevName.bambu.com``,
``DevConnect.bambu.com`` (``lan``/``cloud``), ``DevBind.bambu.com``
(``free``/``occupied``), ``DevVersion.bambu.com`` and
``DevSignal.bambu.com``. Printers do not answer M-SEARCH, so listening is
the only way to hear them.

Anyone on the network can send such a datagram: an announcement is a hint
of where a printer might be, never proof. The TLS check of the printer's
certificate (CN = serial) decides when connecting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import ipaddress
import logging
import re
import socket
from typing import Final, override

from .catalog import PrinterModel, detect_model

_LOGGER = logging.getLogger(__name__)

DISCOVERY_PORT: Final = 2021  # where printers broadcast their NOTIFY
DEVICE_TYPE: Final = "urn:bambulab-com:device:3dprinter:1"
# Same rule as a LAN entry's serial: upper-case letters and digits only
# (anything else could become an MQTT wildcard in a topic).
_SERIAL: Final = re.compile(r"[0-9A-Z]{4,40}")
_MAX_DATAGRAM: Final = 2048  # a real NOTIFY is about 400 bytes
_MAX_TEXT: Final = 64  # longest name or code kept from a header
_START_LINES: Final = ("NOTIFY * HTTP/1.1", "HTTP/1.1 200 OK")
# Printers remembered at most: a flood of made-up serials stays bounded.
MAX_PRINTERS: Final = 256


@dataclass(frozen=True, slots=True)
class Announcement:
    """What one printer says about itself in a NOTIFY."""

    serial: str
    host: str  # IP address from Location (else the datagram's sender)
    model_code: str  # DevModel.bambu.com, e.g. "C12"; empty when absent
    name: str  # DevName.bambu.com, the name given in the app; may be empty
    connect: str  # DevConnect.bambu.com: "lan" (LAN-only mode) or "cloud"
    bind: str  # DevBind.bambu.com: "free" or "occupied" (bound to an account)
    version: str  # DevVersion.bambu.com, the firmware; may be empty

    @property
    def model(self) -> PrinterModel:
        """The catalog's model for the announced code (GENERIC if unknown)."""
        code = self.model_code
        # Some firmware names the model "3DPrinter-X1-Carbon" instead of a code.
        code = code.removeprefix("3DPrinter-")
        return detect_model(cloud_names=(code,), serial=self.serial)

    @property
    def label(self) -> str:
        """The name to show: the printer's own, else its serial."""
        return self.name or self.serial

    @property
    def lan_only(self) -> bool:
        """Whether the printer says it is in LAN-only mode."""
        return self.connect == "lan"


def parse_announcement(datagram: bytes, sender: str) -> Announcement | None:
    """Read a Bambu printer's NOTIFY; None for anything else.

    ``sender`` is the datagram's source address, used when ``Location``
    is missing. Other SSDP traffic (other devices, M-SEARCH, byebye) and
    malformed datagrams are ignored, not errors: port 2021 is shared.
    """
    if len(datagram) > _MAX_DATAGRAM:
        return None
    text = datagram.decode("utf-8", errors="replace")
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].strip().upper() not in _START_LINES:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        key, colon, value = line.partition(":")
        if colon:
            headers[key.strip().lower()] = value.strip()
    if DEVICE_TYPE not in (headers.get("nt"), headers.get("st")):
        return None
    if headers.get("nts", "ssdp:alive").lower() != "ssdp:alive":
        return None
    serial = headers.get("usn", "").removeprefix("uuid:").partition("::")[0]
    if not _SERIAL.fullmatch(serial):
        return None
    host = _host(headers.get("location", "")) or _host(sender)
    if host is None:
        return None
    return Announcement(
        serial=serial,
        host=host,
        model_code=_text(headers.get("devmodel.bambu.com")),
        name=_text(headers.get("devname.bambu.com")),
        connect=_text(headers.get("devconnect.bambu.com")).lower(),
        bind=_text(headers.get("devbind.bambu.com")).lower(),
        version=_text(headers.get("devversion.bambu.com")),
    )


def _host(location: str) -> str | None:
    """The IP address of a Location header: bare, or inside a URL."""
    value = location.strip()
    if "://" in value:
        value = value.partition("://")[2]
    value = value.partition("/")[0]
    if value.count(":") == 1:  # an IPv4 address with a port
        value = value.partition(":")[0]
    value = value.strip("[]")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.is_unspecified or address.is_multicast:
        return None
    return str(address)


def _text(value: str | None) -> str:
    """A header's value, printable and short (it ends up in titles)."""
    if not value:
        return ""
    return "".join(ch for ch in value if ch.isprintable())[:_MAX_TEXT].strip()


type AnnouncementCallback = Callable[[Announcement], None]


class AnnouncementListener(asyncio.DatagramProtocol):
    """Hears printers' NOTIFY datagrams on one UDP port.

    Printers repeat themselves every few seconds; ``on_change`` hears a
    printer when it is first heard and whenever what it announces changes
    (a new address, name or firmware), not at every repetition.
    """

    def __init__(self, on_change: AnnouncementCallback) -> None:
        """Call ``on_change`` with each new or changed announcement."""
        self._on_change = on_change
        self._transport: asyncio.DatagramTransport | None = None
        self.printers: dict[str, Announcement] = {}  # latest, by serial

    @property
    def port(self) -> int | None:
        """The UDP port listened on (None when stopped)."""
        if self._transport is None:
            return None
        port: int = self._transport.get_extra_info("sockname")[1]
        return port

    async def start(self, host: str = "0.0.0.0", port: int = DISCOVERY_PORT) -> None:  # noqa: S104 - broadcasts reach only a wildcard socket
        """Listen on ``host``:``port``; raises OSError when it cannot.

        The port is shared (SO_REUSEPORT) with other listeners on the same
        machine, such as Bambu Studio.
        """
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if hasattr(socket, "SO_REUSEPORT"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.setblocking(False)
            sock.bind((host, port))
        except OSError:
            sock.close()
            raise
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: self, sock=sock
        )

    def stop(self) -> None:
        """Stop listening (idempotent)."""
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()

    @override
    def datagram_received(self, data: bytes, addr: tuple[str | bytes, int]) -> None:
        """Keep a printer's announcement; report it when new or changed."""
        announcement = parse_announcement(data, str(addr[0]))
        if announcement is None:
            return
        known = self.printers.get(announcement.serial)
        if known == announcement:
            return
        if known is None and len(self.printers) >= MAX_PRINTERS:
            return
        self.printers[announcement.serial] = announcement
        _LOGGER.debug(
            "Printer %s announced itself at %s",
            announcement.serial,
            announcement.host,
        )
        self._on_change(announcement)

    @override
    def error_received(self, exc: Exception) -> None:
        """A UDP error (an ICMP answer) is no reason to stop listening."""
        _LOGGER.debug("Discovery socket error: %s", exc)


__all__ = [
    "DEVICE_TYPE",
    "DISCOVERY_PORT",
    "Announcement",
    "AnnouncementListener",
    "parse_announcement",
]
