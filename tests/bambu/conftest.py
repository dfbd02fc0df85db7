"""Fixtures for the library tests: a real Mosquitto with TLS and fake printers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
import ssl
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.link_health import LinkStatus
from simulator.broker import MosquittoBroker
from simulator.fake_printer import FakePrinter
from simulator.tls import SimulatorPki, generate_pki
from tests.common import get_version, pushall

SERIAL = "01P00A000000001"
SERIAL2 = "00M09A000000002"
PRINTER_FIXTURE = "p1p-ams"  # get_version answer with result "success"
PRINTER2_FIXTURE = "x1c-multi-ams"  # get_version answer without a result
ACCESS_CODE = "12345678"
UID = "1234567890"
TOKEN = "cloud-access-token"
PRINTER_USER = "printer"
PRINTER_PASSWORD = "printer-secret"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA, printer and broker certificates, and an untrusted twin."""
    return generate_pki(tmp_path_factory.mktemp("pki"), [SERIAL, SERIAL2])


@pytest.fixture
def ca_context(pki: SimulatorPki) -> ssl.SSLContext:
    """A client context trusting the simulator CA (host name checked)."""
    return ssl.create_default_context(cadata=pki.ca.cert_pem)


@pytest.fixture
async def broker(
    pki: SimulatorPki, tmp_path: Path, socket_enabled: None
) -> AsyncIterator[MosquittoBroker]:
    """Mosquitto with a printer listener per serial, a cloud and a rogue one.

    ``local``/``local2`` present the printers' certificates (CN = serial),
    ``cloud`` a broker certificate, ``rogue`` a certificate from a CA the
    clients do not trust.
    """
    broker = MosquittoBroker(tmp_path / "broker")
    for name, files in (
        ("local", pki.printers[SERIAL]),
        ("local2", pki.printers[SERIAL2]),
        ("cloud", pki.broker),
        ("rogue", pki.rogue_printers[SERIAL]),
    ):
        broker.add_listener(name, files.cert_path, files.key_path)
    broker.add_user("bblp", ACCESS_CODE, [SERIAL, SERIAL2])
    broker.add_user(f"u_{UID}", TOKEN, [SERIAL, SERIAL2])
    broker.add_user(PRINTER_USER, PRINTER_PASSWORD, None, role="printer")
    await broker.start()
    try:
        yield broker
    finally:
        await broker.stop()


def make_printer(
    broker: MosquittoBroker, ca_context: ssl.SSLContext, serial: str, fixture: str
) -> FakePrinter:
    """A fake printer for ``serial`` answering with a fixture's captures."""
    return FakePrinter(
        serial,
        host=broker.host,
        port=broker.port("cloud"),
        username=PRINTER_USER,
        password=PRINTER_PASSWORD,
        ssl_context=ca_context,
        pushall=pushall(fixture),
        get_version=get_version(fixture),
    )


async def _running(fake: FakePrinter) -> AsyncIterator[FakePrinter]:
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def printer(
    broker: MosquittoBroker, ca_context: ssl.SSLContext
) -> AsyncIterator[FakePrinter]:
    """The fake printer SERIAL (P1P with AMS), started."""
    async for fake in _running(
        make_printer(broker, ca_context, SERIAL, PRINTER_FIXTURE)
    ):
        yield fake


@pytest.fixture
async def printer2(
    broker: MosquittoBroker, ca_context: ssl.SSLContext
) -> AsyncIterator[FakePrinter]:
    """The fake printer SERIAL2 (X1C, several AMS), started."""
    async for fake in _running(
        make_printer(broker, ca_context, SERIAL2, PRINTER2_FIXTURE)
    ):
        yield fake


class Recorder:
    """Collects what a PrinterLink reports through its callbacks."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.statuses: list[LinkStatus] = []
        self._changed = asyncio.Event()

    def on_message(self, serial: str, message: dict[str, Any]) -> None:
        self.messages.append((serial, message))
        self._changed.set()

    def on_status(self, status: LinkStatus) -> None:
        self.statuses.append(status)
        self._changed.set()

    def reports(self, serial: str, command: str) -> list[dict[str, Any]]:
        """The messages of ``serial`` whose module object has ``command``."""
        return [
            message
            for sender, message in self.messages
            if sender == serial
            and any(
                isinstance(body, dict) and body.get("command") == command
                for body in message.values()
            )
        ]

    async def wait_for(
        self, predicate: Callable[[Recorder], bool], seconds: float = 5.0
    ) -> None:
        """Wait until ``predicate(self)`` holds, re-checked on every callback."""
        async with asyncio.timeout(seconds):
            while not predicate(self):
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_status(
        self, predicate: Callable[[LinkStatus], bool], seconds: float = 5.0
    ) -> LinkStatus:
        """Wait for a status (from now on or already seen) matching ``predicate``."""
        await self.wait_for(lambda r: any(predicate(s) for s in r.statuses), seconds)
        return next(s for s in self.statuses if predicate(s))


@pytest.fixture
def recorder() -> Recorder:
    """A fresh callback recorder."""
    return Recorder()
