"""The whole simulated Bambu world: cloud, cloud broker, accounts and printers.

``Simulator`` is what the demo and the end-to-end tests start. It owns a CA
(clients trust it instead of Bambu's), the fake cloud (REST), one Mosquitto
as the cloud broker (user ``u_<uid>`` with the account's token, topic rights
for the account's printers only) and the printers, each with its own LAN
broker, camera and file server. Everything listens on 127.0.0.1 on ports
picked at run time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import io
import itertools
import json
import logging
from pathlib import Path
import secrets
import shutil
import ssl
import tempfile
import time
from typing import Any, Self

import aiomqtt
from PIL import Image, ImageDraw

from custom_components.bambu_cloud.aiobambulab.catalog import MODELS, PrinterModel

from .announce import Announcer
from .broker import MosquittoBroker
from .cloud import FakeCloud, Kind, stored_name
from .faults import MqttProxy
from .firmware import Job
from .mqtt_peer import Endpoint
from .printer import HOST, PrinterSetup, SimulatedPrinter
from .tls import CertificateAuthority, PemFiles

_LOGGER = logging.getLogger(__name__)
CAPTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "printers"
# The cloud's dev_model_name for each model (what the bind list reports).
MODEL_CODES = {
    "X1C": "BL-P001",
    "X1": "BL-P002",
    "X1E": "C13",
    "P1P": "C11",
    "P1S": "C12",
    "A1MINI": "N1",
    "A1": "N2S",
    "P2S": "N7",
    "H2S": "O1S",
    "H2C": "O1C",
    "H2D": "O1D",
    "H2DPRO": "O1E",
}


@dataclass(slots=True)
class Account:
    """A cloud account of the simulated world."""

    email: str
    password: str = field(repr=False)
    uid: int
    kind: Kind
    token: str = field(repr=False)
    devices: list[dict[str, Any]] = field(default_factory=list, repr=False)
    tasks: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def mqtt_user(self) -> str:
        """The cloud broker user name."""
        return f"u_{self.uid}"


class Simulator:
    """Start, drive and stop a simulated Bambu world."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        rate_hz: float = 1.0,
        speed: float = 1.0,
        announce_port: int | None = None,
        lan_addresses: bool = False,
    ) -> None:
        """Prepare an empty world; files go to ``directory`` (default: temp).

        ``announce_port``: printers announce themselves (SSDP NOTIFY) to
        127.0.0.1 on that UDP port, as real ones broadcast to port 2021.
        ``lan_addresses``: each printer gets a loopback address of its own and
        listens there on a real printer's ports, so clients reach it from the
        address it reports (as on a LAN; binding port 990 needs root). Without
        them the printers listen on 127.0.0.1 (ports picked at run time) and
        report an address of a documentation network (192.0.2.0/24): Home
        Assistant is then on another network, with no route to them.
        """
        self._owns_directory = directory is None
        self.directory = directory or Path(tempfile.mkdtemp(prefix="bambu-sim-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self.rate_hz = rate_hz
        self.speed = speed
        self.lan_addresses = lan_addresses
        self.ca = CertificateAuthority.generate("Bambu Simulator CA")
        self.ca_files = self.ca.write(self.directory / "pki")
        # Signs certificates for TLS faults; only the simulated printers trust
        # it (they must reach a broker whose certificate was swapped).
        self.rogue_ca = CertificateAuthority.generate("Untrusted Simulator CA")
        self._peer_ca_pem = self.ca.cert_pem + self.rogue_ca.cert_pem
        self.cloud = FakeCloud()
        self.cloud.before_bind = self._refresh_devices
        self.cloud.on_refresh = self._token_renewed
        self.broker = MosquittoBroker(self.directory / "cloud-broker")
        broker_cert = self.ca.issue(HOST).write(self.directory / "pki", "cloud-broker")
        self._broker_cert = broker_cert
        self.mqtt_port = self.broker.add_listener(
            "cloud", broker_cert.cert_path, broker_cert.key_path
        )
        self._proxies: list[MqttProxy] = []
        self.accounts: dict[str, Account] = {}
        self.printers: dict[str, SimulatedPrinter] = {}
        self._owner: dict[str, Account] = {}  # serial -> account
        self._serials = itertools.count(1)
        self._task_ids = itertools.count(int(time.time()))
        self._history_ids = itertools.count(1_000_000)  # seeded past tasks
        self._running = False
        self.announcer = (
            None
            if announce_port is None
            else Announcer(announce_port, lambda p: MODEL_CODES.get(p.model.key, ""))
        )

    # --- building the world ----------------------------------------------------

    @property
    def ca_pem(self) -> str:
        """The CA certificate clients must trust (PEM)."""
        return self.ca.cert_pem

    @property
    def api_url(self) -> str:
        """The fake cloud's base URL (empty until started)."""
        return self.cloud.base_url

    def add_account(
        self,
        email: str,
        password: str,
        *,
        kind: Kind = Kind.CODE,
        uid: int | None = None,
    ) -> Account:
        """Create a cloud account (before or after start)."""
        uid = uid if uid is not None else 1_000_000_000 + len(self.accounts) + 1
        cloud_account = self.cloud.add_account(email, password, kind, uid)
        token = self.cloud.make_token(email)
        self.cloud.fixed_tokens[email] = token
        account = Account(email, password, uid, kind, token)
        # The fake cloud reads the same lists the world keeps up to date.
        cloud_account.devices = account.devices
        cloud_account.tasks = account.tasks
        self.accounts[email] = account
        self._allow(account)
        return account

    async def add_printer(
        self,
        email: str,
        capture: str,
        *,
        name: str,
        serial: str | None = None,
        access_code: str | None = None,
    ) -> SimulatedPrinter:
        """Bind a printer built from a capture to an account; start it if running."""
        account = self.accounts[email]
        report = _load(capture, "pushall")
        version = _load(capture, "get_version")
        model = capture_model(capture)
        serial = serial or f"{model.key[:3]}SIM{next(self._serials):09d}"
        access_code = access_code or f"{secrets.randbelow(10**8):08d}"
        directory = self.directory / "printers" / serial
        addresses = self._addresses()
        # Its own firmware's client checks the host name, as real peers would.
        certificate: PemFiles = self.ca.issue(
            serial, ip_addresses=(addresses.get("address", HOST),)
        ).write(directory, "printer")
        setup = PrinterSetup(
            serial=serial,
            name=name,
            model=model,
            access_code=access_code,
            report=report,
            version=version,
            certificate=certificate,
            ca_pem=self._peer_ca_pem,
            directory=directory,
        )
        printer_password = secrets.token_urlsafe(12)
        self.broker.add_user(
            f"printer_{serial}", printer_password, [serial], role="printer"
        )
        printer = SimulatedPrinter(
            setup,
            cloud=Endpoint(
                HOST,
                self.mqtt_port,
                f"printer_{serial}",
                printer_password,
                ssl.create_default_context(cadata=self._peer_ca_pem),
            ),
            rate_hz=self.rate_hz,
            speed=self.speed,
            **addresses,
        )
        printer.cloud_files = self._cloud_file
        printer.on_job_end = lambda job, state: self._record_task(
            account, printer, job, state
        )
        self.printers[serial] = printer
        self._owner[serial] = account
        account.devices.append(_device_entry(printer))
        if self.announcer is not None:
            self.announcer.add(printer)
        self._allow(account)
        if self._running:
            await self.broker.reload()
            await self._wait_for_login(f"printer_{serial}", printer_password)
            await printer.start()
        return printer

    def _allow(self, account: Account) -> None:
        serials = [d["dev_id"] for d in account.devices]
        self.broker.add_user(account.mqtt_user, account.token, serials)

    # --- life cycle --------------------------------------------------------------

    async def start(self) -> None:
        """Start the cloud, the cloud broker and every printer."""
        if self._running:
            return
        await self.cloud.start()
        await self.broker.start()
        self._running = True
        await asyncio.gather(*(p.start() for p in self.printers.values()))
        if self.announcer is not None:
            self.announcer.start()

    async def stop(self) -> None:
        """Stop everything (idempotent)."""
        if not self._running:
            return
        self._running = False
        if self.announcer is not None:
            await self.announcer.stop()
        proxies, self._proxies = self._proxies, []
        await asyncio.gather(*(proxy.stop() for proxy in proxies))
        await asyncio.gather(*(p.stop() for p in self.printers.values()))
        await self.broker.stop()
        await self.cloud.stop()
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    async def __aenter__(self) -> Self:
        """Start the world."""
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Stop the world."""
        await self.stop()

    # --- test hooks ----------------------------------------------------------------

    def printer(self, serial: str) -> SimulatedPrinter:
        """A printer by serial."""
        return self.printers[serial]

    def last_code(self, email: str) -> str | None:
        """The login code last sent to ``email``, as its mailbox would show."""
        return self.cloud.last_code(email)

    async def revoke_token(self, email: str) -> str:
        """Revoke the account's sign-in (REST 401, MQTT refused, no renewal).

        Returns the token the next login gets, which the broker accepts.
        """
        account = self.accounts[email]
        self.cloud.tokens.pop(account.token, None)
        self.cloud.revoke_refresh_tokens(email)  # renewing does not help either
        account.token = self.cloud.make_token(email)
        self.cloud.tokens.pop(account.token)  # valid only once logged in again
        self.cloud.fixed_tokens[email] = account.token
        self._allow(account)
        await self.broker.reload()
        await self._wait_for_login(account.mqtt_user, account.token)
        return account.token

    async def _token_renewed(self, email: str, token: str) -> None:
        """A renewed sign-in: the broker takes the new token as the password."""
        account = self.accounts.get(email)
        if account is None:
            return
        account.token = token
        self._allow(account)
        if self._running:
            await self.broker.reload()
            await self._wait_for_login(account.mqtt_user, token)

    # --- faults --------------------------------------------------------------------

    async def stop_broker(self) -> None:
        """Stop the cloud broker: every client and printer loses it."""
        await asyncio.gather(*(p.pause_cloud() for p in self.printers.values()))
        await self.broker.stop()

    async def start_broker(self) -> None:
        """Start the cloud broker; return once every running printer is back.

        The broker then tells clients (``client.connected``), as Bambu's does.
        """
        await self.broker.start()
        await asyncio.gather(*(p.resume_cloud() for p in self.printers.values()))

    async def restart_broker(self) -> None:
        """Restart the cloud broker; return once every running printer is back."""
        await self.stop_broker()
        await self.start_broker()

    def untrusted_certificate(self, common_name: str) -> PemFiles:
        """A server certificate for ``common_name`` from a CA no client trusts."""
        return self.rogue_ca.issue(common_name).write(
            self.directory / "pki" / "rogue", f"rogue-{common_name}"
        )

    async def swap_broker_certificate(self, *, trusted: bool) -> None:
        """Restart the cloud broker with an untrusted certificate, or its own."""
        files = self._broker_cert if trusted else self.untrusted_certificate(HOST)
        self.broker.set_certificate("cloud", files.cert_path, files.key_path)
        await self.restart_broker()

    async def swap_printer_certificate(self, serial: str, *, trusted: bool) -> None:
        """Restart a printer's LAN broker with an untrusted certificate, or its own."""
        await self.printers[serial].swap_lan_certificate(
            None if trusted else self.untrusted_certificate(serial)
        )

    async def open_proxy(self) -> MqttProxy:
        """A cutting proxy in front of the cloud broker (stopped with the world).

        Point a client at ``proxy.port`` instead of ``mqtt_port``.
        """
        proxy = MqttProxy(self.mqtt_port, self._broker_cert, self.ca.cert_pem)
        await proxy.start()
        self._proxies.append(proxy)
        return proxy

    def add_history(
        self,
        serial: str,
        count: int,
        *,
        title: str = "Past print",
        failed_every: int | None = None,
        last_end: int | None = None,
    ) -> list[dict[str, Any]]:
        """Give a printer ``count`` past tasks, one every 3 hours; return them.

        Task ``i`` (0 is the oldest) weighs 10 + i grams, uses 3000 + 100 i
        millimetres of filament and took 1800 + 60 i seconds; every
        ``failed_every``-th task failed. The newest ends at ``last_end``
        (Unix seconds, default a day ago). Ids grow with time, below those of
        the jobs the printers run later.
        """
        account = self._owner[serial]
        printer = self.printers[serial]
        newest_end = last_end if last_end is not None else int(time.time()) - 86_400
        tasks = []
        for index in range(count):
            cost = 1800 + 60 * index
            end = newest_end - (count - 1 - index) * 3 * 3600
            failed = failed_every is not None and (index + 1) % failed_every == 0
            tasks.append(
                {
                    "id": next(self._history_ids),
                    "designTitle": f"{title} #{index + 1}",
                    "title": f"{title} #{index + 1}",
                    "cover": "",
                    "status": 3 if failed else 2,
                    "weight": 10.0 + index,
                    "length": 3000.0 + 100 * index,
                    "costTime": cost,
                    "startTime": _iso(end - cost),
                    "endTime": _iso(end),
                    "deviceId": serial,
                    "deviceName": printer.setup.name,
                    "deviceModel": printer.model.name,
                    "plateIndex": 1 + index % 4,
                    "amsDetailMapping": [],
                    "bedType": "textured_plate",
                    "mode": "cloud_file",
                }
            )
        account.tasks.extend(tasks)
        return tasks

    def describe(self) -> dict[str, Any]:
        """Everything a person needs to connect, as plain data."""
        return {
            "api_url": self.api_url,
            "mqtt": {"host": HOST, "port": self.mqtt_port},
            "ca_cert": str(self.ca_files.cert_path),
            "accounts": [
                {
                    "email": a.email,
                    "password": a.password,
                    "login": a.kind.value,
                    "uid": a.uid,
                    "printers": [
                        _printer_facts(self.printers[d["dev_id"]]) for d in a.devices
                    ],
                }
                for a in self.accounts.values()
            ],
        }

    # --- internals -------------------------------------------------------------------

    def _cloud_file(self, url: str) -> bytes | None:
        """A file of the fake cloud's storage, as a printer downloads it."""
        name = stored_name(url)
        return None if name is None else self.cloud.files.get(name)

    def _addresses(self) -> dict[str, str]:
        """Where the next printer listens and which address it reports."""
        if self.lan_addresses:
            return {"address": _own_address()}
        return {"reported_address": f"192.0.2.{len(self.printers) % 250 + 1}"}

    def _refresh_devices(self) -> None:
        for serial, printer in self.printers.items():
            entry = next(
                d for d in self._owner[serial].devices if d["dev_id"] == serial
            )
            entry["online"] = printer.online
            entry["print_status"] = printer.firmware.state.get("gcode_state", "IDLE")

    def _record_task(
        self, account: Account, printer: SimulatedPrinter, job: Job, state: str
    ) -> None:
        task_id = next(self._task_ids)
        cover = f"task-{task_id}.png"
        self.cloud.covers[cover] = cover_png(job.name)
        now = int(time.time())
        account.tasks.insert(
            0,
            {
                "id": task_id,
                "designTitle": job.name,
                "title": job.name,
                "cover": f"{self.cloud.base_url}/covers/{cover}",
                "status": 2 if state == "FINISH" else 3,
                "weight": round(job.print_seconds / 60 * 0.8, 2),
                "length": round(job.print_seconds * 0.3, 2),
                "costTime": int(job.prepare_seconds + job.print_seconds),
                "startTime": _iso(now - int(job.elapsed)),
                "endTime": _iso(now),
                "deviceId": printer.serial,
                "deviceName": printer.setup.name,
                "deviceModel": printer.model.name,
                "plateIndex": 1,
                "amsDetailMapping": [],
                "bedType": "textured_plate",
                "mode": "cloud_file",
            },
        )

    async def _wait_for_login(self, username: str, password: str) -> None:
        """Mosquitto rereads its files a moment after SIGHUP: wait for it."""
        context = ssl.create_default_context(cadata=self.ca.cert_pem)
        async with asyncio.timeout(10):
            while True:
                try:
                    async with aiomqtt.Client(
                        HOST,
                        self.mqtt_port,
                        username=username,
                        password=password,
                        tls_context=context,
                    ):
                        return
                except aiomqtt.MqttError:
                    await asyncio.sleep(0.05)


# Which printer each capture came from. The simulator knows what it simulates
# rather than detecting it with the library's logic (see the package docstring).
CAPTURE_MODELS: dict[str, str] = {
    "a1-ams-lite": "A1",
    "h2d-laser": "H2D",
    "p1p-ams": "P1P",
    "p1p-no-ams": "P1P",
    "p2s": "P2S",
    "x1c-multi-ams": "X1C",
}


def capture_model(capture: str) -> PrinterModel:
    """The catalog entry of the printer a capture was taken from."""
    try:
        return MODELS[CAPTURE_MODELS[capture]]
    except KeyError:
        raise ValueError(f"no model recorded for the capture {capture!r}") from None


def _own_address() -> str:
    """A loopback address no other world picks (127.0.0.0/8 all reaches lo)."""
    a, b, c = (secrets.randbelow(190) + 64 for _ in range(3))
    return f"127.{a}.{b}.{c}"


def _load(capture: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (CAPTURES / capture / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


def _device_entry(printer: SimulatedPrinter) -> dict[str, Any]:
    model = printer.model
    return {
        "dev_id": printer.serial,
        "name": printer.setup.name,
        "online": False,
        "print_status": "IDLE",
        "dev_model_name": MODEL_CODES.get(model.key, model.key),
        "dev_product_name": model.name,
        "dev_structure": "CoreXY",
        "nozzle_diameter": 0.4,
        "dev_access_code": printer.access_code,
    }


def _printer_facts(printer: SimulatedPrinter) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "serial": printer.serial,
        "name": printer.setup.name,
        "model": printer.model.name,
        "access_code": printer.access_code,
        "address": printer.address,
        "lan_mqtt_port": printer.lan_port,
    }
    facts.update(printer.extra_ports())
    return facts


def cover_png(title: str, size: tuple[int, int] = (256, 256)) -> bytes:
    """A plate picture for a task: the title on a coloured plate."""
    hue = sum(title.encode()) % 200
    image = Image.new("RGB", size, (40 + hue // 4, 60, 90 + hue // 3))
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, size[0] - 24, size[1] - 24), outline=(230, 230, 230))
    draw.text((32, size[1] // 2), title[:28], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
