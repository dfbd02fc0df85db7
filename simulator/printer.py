"""One simulated printer on the network: firmware logic behind real sockets.

The printer has its own LAN broker (Mosquitto, user ``bblp`` with the access
code, its certificate's CN is the serial) and a connection to the cloud
broker; every report goes to both, as on real printers. A ticker advances the
firmware and publishes what changed as deltas. P1/A1-class models also serve
the port-6000 JPEG camera; every model serves implicit FTPS for files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
import logging
from pathlib import Path
import secrets
import socket
import ssl
from typing import Any

from custom_components.bambu_cloud.aiobambulab.catalog import CameraKind, PrinterModel

from .broker import MosquittoBroker
from .camera import CameraServer
from .firmware import Job, PrinterFirmware
from .frames import render_frame
from .ftps import FtpsServer
from .mqtt_peer import Endpoint, MqttPeer
from .threemf import plate_timing
from .tls import PemFiles

_LOGGER = logging.getLogger(__name__)
HOST = "127.0.0.1"
LAN_USER = "bblp"
CONNECTED = {"event": {"event": "client.connected"}}
DISCONNECTED = {"event": {"event": "client.disconnected"}}
# The ports of a real printer, used when the printer has an address of its own.
STANDARD_PORTS = {"mqtt": 8883, "camera": 6000, "ftps": 990}
# Models with foreign object detection (a camera checks the heatbed when a
# job starts): the simulated ones report it, on. Not the P2S: its capture
# (fun2 "1") says it has none.
PLATE_CHECK_MODELS = frozenset({"H2D", "H2DPRO", "H2S", "H2C"})


@dataclass(slots=True)
class PrinterSetup:
    """What a simulated printer is made of."""

    serial: str
    name: str
    model: PrinterModel
    access_code: str
    report: dict[str, Any] = field(repr=False)  # a captured full report
    version: dict[str, Any] = field(repr=False)  # its get_version answer
    certificate: PemFiles = field(repr=False)  # CN = serial
    ca_pem: str = field(repr=False)  # trusted by the printer's own peers
    directory: Path = field(repr=False)


class SimulatedPrinter:
    """A printer: firmware, LAN broker, cloud connection, camera and files."""

    def __init__(
        self,
        setup: PrinterSetup,
        *,
        cloud: Endpoint | None,
        rate_hz: float = 1.0,
        speed: float = 1.0,
        address: str | None = None,
        reported_address: str | None = None,
    ) -> None:
        """Build the printer; ``rate_hz`` 0 reports only on ``advance``.

        ``address``: a loopback address of its own, where it listens on a
        real printer's ports (8883, 6000, 990) as on a LAN; without one it
        listens on 127.0.0.1, ports picked at run time. Its reports give
        ``reported_address`` (default: where it listens) as its LAN address.
        """
        self.setup = setup
        self.serial = setup.serial
        self.address = address or HOST
        ports: dict[str, int | None] = (
            dict(STANDARD_PORTS) if address else dict.fromkeys(STANDARD_PORTS)
        )
        report = _with_address(setup.report, reported_address or self.address)
        self.firmware = PrinterFirmware(setup.serial, report, setup.version)
        if setup.model.key in PLATE_CHECK_MODELS:
            self.firmware.add_plate_check()
        self.rate_hz = rate_hz
        self.speed = speed  # simulated seconds per real second
        self.repeat_jobs: Callable[[], Job] | None = None  # demo: print forever
        self.on_job_end: Callable[[Job, str], None] | None = None
        self._job: Job | None = None
        self.idle_between_jobs = 60.0  # simulated seconds
        self._idle_for = 0.0
        self._cloud_endpoint = cloud
        self._context = ssl.create_default_context(cadata=setup.ca_pem)
        self._printer_password = secrets.token_urlsafe(12)
        self.lan_broker = MosquittoBroker(
            setup.directory / "lan-broker", host=self.address
        )
        self.lan_port = self.lan_broker.add_listener(
            "lan",
            setup.certificate.cert_path,
            setup.certificate.key_path,
            port=ports["mqtt"],
        )
        self.lan_broker.add_user(LAN_USER, setup.access_code, [self.serial])
        self.lan_broker.add_user(
            "printer", self._printer_password, [self.serial], role="printer"
        )
        self.camera: CameraServer | None = None
        if setup.model.camera is CameraKind.JPEG:
            self.camera = CameraServer(
                setup.certificate.cert_path,
                setup.certificate.key_path,
                setup.access_code,
                self._render_frame,
                host=self.address,
                port=ports["camera"] or 0,
            )
        self.files = FtpsServer(
            setup.certificate.cert_path,
            setup.certificate.key_path,
            setup.access_code,
            setup.directory / "sdcard",
            host=self.address,
            port=ports["ftps"] or 0,
        )
        self.firmware.job_source = self._job_for
        # Where a cloud print's file comes from (its URL -> the project);
        # None: any URL is taken as a default job.
        self.cloud_files: Callable[[str], bytes | None] | None = None
        self._peers: list[MqttPeer] = []
        self._outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._running = False
        self.sent: list[dict[str, Any]] = []  # every message published, in order

    # --- facts for clients -------------------------------------------------

    @property
    def access_code(self) -> str:
        """The LAN access code (``bblp``'s password)."""
        return self.setup.access_code

    @property
    def model(self) -> PrinterModel:
        """The printer's model."""
        return self.setup.model

    @property
    def has_jpeg_camera(self) -> bool:
        """Whether the model streams JPEGs on port 6000 (P1/A1 class)."""
        return self.setup.model.camera is CameraKind.JPEG

    @property
    def online(self) -> bool:
        """Whether the printer is switched on and connected."""
        return self._running

    @property
    def commands(self) -> list[dict[str, Any]]:
        """Every request the firmware received, oldest first."""
        return self.firmware.commands

    # --- life cycle ----------------------------------------------------------

    async def start(self) -> None:
        """Switch the printer on: LAN broker, connections, ticker."""
        if self._running:
            return
        await self.lan_broker.start()
        lan = Endpoint(
            self.address,
            self.lan_port,
            "printer",
            self._printer_password,
            self._context,
        )
        self._peers = [MqttPeer(self.serial, lan, self._on_request)]
        if self._cloud_endpoint is not None:
            # The cloud broker tells clients when the printer is back.
            self._peers.append(
                MqttPeer(
                    self.serial,
                    self._cloud_endpoint,
                    self._on_request,
                    announce=CONNECTED,
                )
            )
        try:
            await asyncio.gather(*(peer.start() for peer in self._peers))
            if self.camera is not None:
                await self.camera.start()
            await self.files.start()
        except BaseException:
            await self._stop_parts()
            raise
        self._running = True
        self._tasks = [asyncio.create_task(self._send_loop())]
        if self.rate_hz > 0:
            self._tasks.append(asyncio.create_task(self._tick_loop()))
        self._outbox.put_nowait(CONNECTED)

    async def stop(self) -> None:
        """Switch the printer off (idempotent)."""
        if not self._running:
            return
        self._running = False
        # Tell the cloud first, as its broker would once the printer is gone.
        await self._publish(DISCONNECTED)
        await self._stop_parts()

    async def _stop_parts(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.gather(*(peer.stop() for peer in self._peers))
        self._peers = []
        if self.camera is not None:
            await self.camera.stop()
        await self.files.stop()
        await self.lan_broker.stop()
        self._outbox = asyncio.Queue()

    async def set_online(self, online: bool) -> None:
        """Switch the printer on or off."""
        if online:
            await self.start()
        else:
            await self.stop()

    @property
    def cloud_connects(self) -> int:
        """Sessions the printer has started on the cloud broker since it started."""
        peer = self._cloud_peer()
        return 0 if peer is None else peer.connects

    def _cloud_peer(self) -> MqttPeer | None:
        if self._cloud_endpoint is None or len(self._peers) < 2:
            return None
        return self._peers[1]

    # --- faults --------------------------------------------------------------

    async def set_lan_reachable(self, reachable: bool) -> None:
        """Take the LAN broker down (local sockets lost) or back up.

        The printer itself stays on and keeps reporting to the cloud.
        """
        if reachable:
            if self._running:
                await self.lan_broker.start()
                await self._peers[0].start()
        else:
            await self._stop_lan_peer()
            await self.lan_broker.stop()

    async def swap_lan_certificate(self, certificate: PemFiles | None) -> None:
        """Serve ``certificate`` on the LAN broker (None: the printer's own).

        The broker restarts, so LAN clients reconnect and meet it at once.
        """
        files = certificate or self.setup.certificate
        self.lan_broker.set_certificate("lan", files.cert_path, files.key_path)
        if self.lan_broker.running:
            await self._stop_lan_peer()
            await self.lan_broker.restart()
            await self._peers[0].start()

    async def pause_cloud(self) -> None:
        """Drop the connection to the cloud broker (it is going away)."""
        if (peer := self._cloud_peer()) is not None:
            await peer.stop()

    async def resume_cloud(self) -> None:
        """Reconnect to the cloud broker; the broker then says it is back."""
        if self._running and (peer := self._cloud_peer()) is not None:
            await peer.start()

    async def _stop_lan_peer(self) -> None:
        # The firmware's own client of its LAN broker goes with the broker:
        # aiomqtt fails on a socket closed under a publish.
        if self._peers:
            await self._peers[0].stop()

    # --- driving it from a test or a scenario --------------------------------

    async def advance(self, seconds: float) -> None:
        """Let ``seconds`` of printer time pass and report what changed."""
        self._advance(seconds)
        await self.flush()

    async def flush(self) -> None:
        """Queue the pending delta and wait until everything queued is sent."""
        self._queue_delta()
        await self.drain()

    async def drain(self) -> None:
        """Wait until every queued message has been published.

        A printer that is off sends nothing: what it queued is lost.
        """
        if not self._running:
            self._outbox = asyncio.Queue()
            return
        await self._outbox.join()

    def start_job(self, job: Job) -> None:
        """Start printing ``job`` (reported with the next delta)."""
        self.firmware.start_job(job)

    def set_control_locked(self, locked: bool) -> None:
        """Refuse (or accept) third-party commands like authorization firmware."""
        self.firmware.control_locked = locked

    async def raise_hms(self, attr: int, code: int) -> None:
        """Raise an HMS error and report it."""
        self.firmware.raise_hms(attr, code)
        await self.flush()

    async def clear_hms(self) -> None:
        """Clear every HMS error and report it."""
        self.firmware.clear_hms()
        await self.flush()

    def clear_plate(self) -> None:
        """Someone takes the print off the heatbed (no report says so)."""
        self.firmware.plate_occupied = False

    async def set_print_error(self, code: int) -> None:
        """Set (0: clear) the print error and report it."""
        self.firmware.set_print_error(code)
        await self.flush()

    async def publish_raw(self, message: dict[str, Any]) -> None:
        """Publish any message as the printer (e.g. a malformed report)."""
        self._outbox.put_nowait(message)
        await self.drain()

    async def publish_late_cloud_copy(self, message: dict[str, Any]) -> None:
        """Publish a report on the cloud broker only, as a copy that comes late.

        The cloud relays what the printer reported with a delay; with the LAN
        link up, Home Assistant hears the same report twice, the cloud's last.
        """
        if (peer := self._cloud_peer()) is not None:
            await peer.publish(message)

    # --- internals -------------------------------------------------------------

    def _on_request(self, request: Any) -> None:
        for reply in self.firmware.handle(request):
            self._outbox.put_nowait(reply)
        # The change a command makes follows its reply, as on real firmware.
        self._queue_delta()

    def _queue_delta(self) -> None:
        self._notice_job_end()
        delta = self.firmware.pending_delta()
        if delta is not None:
            self._outbox.put_nowait(delta)

    def _notice_job_end(self) -> None:
        job, self._job = self._job, self.firmware.job
        if job is not None and job is not self._job and self.on_job_end is not None:
            self.on_job_end(job, str(self.firmware.state.get("gcode_state")))

    def _advance(self, seconds: float) -> None:
        self.firmware.advance(seconds)
        if self.repeat_jobs is None or self.firmware.job is not None:
            self._idle_for = 0.0
            return
        self._idle_for += seconds
        if self._idle_for >= self.idle_between_jobs:
            self._idle_for = 0.0
            self.clear_plate()  # the demo's operator, between jobs
            self.firmware.start_job(self.repeat_jobs())

    async def _tick_loop(self) -> None:
        period = 1.0 / self.rate_hz
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(period)
            now = loop.time()
            self._advance((now - last) * self.speed)
            last = now
            self._queue_delta()

    async def _send_loop(self) -> None:
        while True:
            message = await self._outbox.get()
            try:
                await self._publish(message)
            finally:
                self._outbox.task_done()

    async def _publish(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        await asyncio.gather(*(peer.publish(message) for peer in self._peers))

    def extra_ports(self) -> dict[str, int]:
        """Ports of the camera and file servers, by name."""
        ports: dict[str, int] = {}
        if self._running:
            if self.camera is not None:
                ports["camera_port"] = self.camera.port
            ports["ftp_port"] = self.files.port
        return ports

    def _job_for(self, request: dict[str, Any]) -> Job | None:
        """A job from the project file the request names, as on the SD card.

        Files on the printer's storage must exist; a cloud URL (http) is
        "downloaded" and printed with default timings.
        """
        url = str(request.get("url", ""))
        name = str(request.get("subtask_name") or Path(url).stem)
        if url.startswith(("http://", "https://")):
            if self.cloud_files is None:
                return Job(name=name)
            project = self.cloud_files(url)  # downloaded from the cloud
            if project is None:
                return None
        else:
            path = self.files.root / url.split("://", 1)[-1].lstrip("/").removeprefix(
                "sdcard/"
            )
            if not path.resolve().is_relative_to(self.files.root.resolve()):
                return None
            if not path.is_file():
                return None
            project = path.read_bytes()
        param = str(request.get("param", ""))
        digits = "".join(ch for ch in param if ch.isdigit())
        layers, seconds = plate_timing(project, int(digits) if digits else 1)
        mapping = [int(v) for v in request.get("ams_mapping") or []]
        if "mapping" in self.firmware.state:
            # Newer firmware reports the tray of each colour of the job.
            self.firmware.state["mapping"] = [_tray_code(v) for v in mapping]
        return Job(
            name=name,
            total_layers=layers or 50,
            print_seconds=float(seconds or 600),
            ams_mapping=[v for v in mapping if v >= 0],
        )

    def _render_frame(self) -> bytes:
        """What the camera shows: name, job state, progress and the time."""
        progress = self.firmware.state.get("mc_percent")
        return render_frame(
            self.setup.name,
            state=str(self.firmware.state.get("gcode_state", "IDLE")),
            progress=progress if isinstance(progress, int) else None,
            now=datetime.now().astimezone(),
        )


def _tray_code(tray: int) -> int:
    """A global tray number (``ams_mapping``) as ``mapping`` reports it.

    AMS id in the high byte and slot in the low one; 0xFE00 the external
    spool, 0xFFFF no tray.
    """
    if tray < 0:
        return 0xFFFF
    if tray in (254, 255):
        return 0xFE00
    if tray >= 128:  # an AMS HT: one slot
        return tray << 8
    return (tray >> 2) << 8 | tray & 3


def _with_address(report: dict[str, Any], address: str) -> dict[str, Any]:
    """``report`` with ``address`` as its ``net.info[0].ip``.

    Printers give their IPv4 address as an integer, its first byte lowest
    (192.168.1.81 is 0x5101A8C0).
    """
    raw = int.from_bytes(socket.inet_aton(address), "little")
    body = dict(report["print"])
    net = dict(body.get("net") or {})
    infos = [dict(item) for item in net.get("info") or [{}]]
    infos[0]["ip"] = raw
    net["info"] = infos
    body["net"] = net
    return {**report, "print": body}
