"""Simulated printers announcing themselves, as real ones do on the LAN.

Real printers broadcast an SSDP NOTIFY to UDP port 2021 every few seconds.
The simulator sends the same datagram to 127.0.0.1 on a port of the
caller's choice (tests pick a free one: no privileges, no broadcast), for
each printer that is switched on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
import logging
import socket

from .printer import HOST, SimulatedPrinter

_LOGGER = logging.getLogger(__name__)
INTERVAL = 5.0  # seconds between announcements, as Bambu's firmware
DEVICE_TYPE = "urn:bambulab-com:device:3dprinter:1"


def notify_datagram(
    serial: str,
    host: str,
    *,
    model_code: str,
    name: str,
    connect: str = "lan",
    bind: str = "free",
    version: str = "",
) -> bytes:
    """A NOTIFY as a printer's firmware sends it (public captures' layout)."""
    lines = [
        "NOTIFY * HTTP/1.1",
        "HOST: 239.255.255.250:1900",
        "Server: UPnP/1.0",
        f"Location: {host}",
        f"NT: {DEVICE_TYPE}",
        "NTS: ssdp:alive",
        f"USN: {serial}",
        "Cache-Control: max-age=1800",
        f"DevModel.bambu.com: {model_code}",
        f"DevName.bambu.com: {name}",
        "DevSignal.bambu.com: -44",
        f"DevConnect.bambu.com: {connect}",
        f"DevBind.bambu.com: {bind}",
    ]
    if version:
        lines.append(f"DevVersion.bambu.com: {version}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Announcer:
    """Sends each running printer's NOTIFY to one loopback port."""

    def __init__(
        self,
        port: int,
        model_code: Callable[[SimulatedPrinter], str],
        *,
        interval: float = INTERVAL,
    ) -> None:
        """Announce to 127.0.0.1:``port``; ``model_code`` names each model."""
        self.port = port
        self.interval = interval
        self._model_code = model_code
        self._printers: list[SimulatedPrinter] = []
        self._socket: socket.socket | None = None
        self._task: asyncio.Task[None] | None = None
        self.host_of: dict[str, str] = {}  # serial -> announced address
        self.sent = 0  # datagrams sent, for tests

    def add(self, printer: SimulatedPrinter) -> None:
        """Announce ``printer`` from now on (while it runs)."""
        self._printers.append(printer)

    def start(self) -> None:
        """Announce now and then every ``interval`` seconds."""
        if self._socket is not None:
            return
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.setblocking(False)
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        """Stop announcing (idempotent)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def announce(self) -> None:
        """Send one NOTIFY for every running printer, now."""
        if self._socket is None:
            return
        for printer in self._printers:
            if not printer.online:
                continue
            datagram = notify_datagram(
                printer.serial,
                self.host_of.get(printer.serial, printer.address),
                model_code=self._model_code(printer),
                name=printer.setup.name,
                connect="cloud",
                bind="occupied",
                version="01.09.00.00",
            )
            try:
                self._socket.sendto(datagram, (HOST, self.port))
            except OSError as err:  # nobody listening answers with ICMP
                _LOGGER.debug("Announcing %s failed: %s", printer.serial, err)
            else:
                self.sent += 1

    async def _loop(self) -> None:
        while True:
            self.announce()
            await asyncio.sleep(self.interval)
