"""The simulated world driven by the bambu library over real sockets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import io
from pathlib import Path
from typing import Any

import aiohttp
from PIL import Image
import pytest

from custom_components.bambu_cloud.aiobambulab import commands
from custom_components.bambu_cloud.aiobambulab.camera import JpegCamera
from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.cloud_signin import LoginStep
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    ConnectError,
    ConnectionFailure,
    TokenExpired,
)
from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.job_views import JobState
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions, PrinterLink
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.cloud import Kind
from simulator.firmware import Job
from simulator.threemf import make_3mf
from simulator.world import Simulator

EMAIL = "maker@example.com"
OTHER = "other@example.com"
PASSWORD = "s3cret-pass"
FAST = LinkOptions(connect_timeout=5, backoff_min=0.05, backoff_max=0.2)


@dataclass
class Inbox:
    """What a link delivered, with a way to wait for a condition."""

    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    states: dict[str, PrinterState] = field(default_factory=dict)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def on_message(self, serial: str, message: dict[str, Any]) -> None:
        self.messages.append((serial, message))
        self.states.setdefault(serial, PrinterState(serial)).apply(message)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait(self, predicate: Any, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout), self.changed:
            await self.changed.wait_for(predicate)


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """Two accounts; the first with an X1C and a P1P, the second with an A1."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(EMAIL, PASSWORD, kind=Kind.CODE)
    simulator.add_account(OTHER, PASSWORD, kind=Kind.DIRECT)
    await simulator.add_printer(EMAIL, "x1c-multi-ams", name="Workshop X1C")
    await simulator.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    await simulator.add_printer(OTHER, "a1-ams-lite", name="Office A1")
    async with simulator:
        yield simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def _login(world: Simulator, session: aiohttp.ClientSession) -> BambuCloud:
    cloud = BambuCloud(session, world.api_url, timeout=5)
    result = await cloud.login(EMAIL, PASSWORD)
    assert result.needs is LoginStep.CODE
    await cloud.request_code(EMAIL)
    code = world.last_code(EMAIL)
    assert code is not None
    await cloud.login_with_code(EMAIL, code)
    return cloud


def _link(
    world: Simulator, uid: str, token: str, serials: list[str], inbox: Inbox
) -> PrinterLink:
    return PrinterLink.cloud(
        uid,
        token,
        serials,
        on_message=inbox.on_message,
        host="127.0.0.1",
        port=world.mqtt_port,
        ca_pem=world.ca_pem,
        options=FAST,
    )


async def _lan_link(world: Simulator, serial: str, inbox: Inbox) -> PrinterLink:
    printer = world.printer(serial)
    link = PrinterLink.local(
        "127.0.0.1",
        serial,
        printer.access_code,
        on_message=inbox.on_message,
        port=printer.lan_port,
        ca_pem=world.ca_pem,
        options=FAST,
    )
    await link.start()
    await link.wait_connected(10)
    return link


def _serial(world: Simulator, name: str) -> str:
    return next(s for s, p in world.printers.items() if p.setup.name == name)


async def test_login_devices_and_cloud_mqtt(
    world: Simulator, session: aiohttp.ClientSession
) -> None:
    cloud = await _login(world, session)
    uid = await cloud.get_uid()
    assert uid == str(world.accounts[EMAIL].uid)
    devices = {d.serial: d for d in await cloud.get_devices()}
    assert len(devices) == 2
    for serial, device in devices.items():
        printer = world.printer(serial)
        assert device.name == printer.setup.name
        assert device.access_code == printer.access_code
        assert device.online is True
        assert device.product_name == printer.model.name

    inbox = Inbox()
    assert cloud.token is not None
    link = _link(world, uid, cloud.token, list(devices), inbox)
    await link.start()
    try:
        await link.wait_connected(10)
        for serial in devices:
            await link.publish(serial, commands.pushall())
            await inbox.wait(
                lambda s=serial: s in inbox.states and inbox.states[s].has_full_report
            )
            version = await link.request(serial, commands.get_version(), timeout=10)
            assert any(m.get("sn") == serial for m in version["module"])
    finally:
        await link.stop()


async def test_topic_rights_follow_the_account(
    world: Simulator, session: aiohttp.ClientSession
) -> None:
    """A user subscribing to another account's printer hears nothing from it."""
    cloud = await _login(world, session)
    uid = await cloud.get_uid()
    assert cloud.token is not None
    foreign = _serial(world, "Office A1")
    own = next(s for s in world.printers if s != foreign)
    inbox = Inbox()
    link = _link(world, uid, cloud.token, [own, foreign], inbox)
    await link.start()
    try:
        await link.wait_connected(10)
        await link.request(own, commands.get_version(), timeout=10)
        await world.printer(foreign).publish_raw({"print": {"nozzle_temper": 1.0}})
        await world.printer(own).publish_raw({"print": {"nozzle_temper": 2.0}})
        await inbox.wait(
            lambda: any(
                m["print"].get("nozzle_temper") == 2.0
                for _, m in inbox.messages
                if "print" in m
            )
        )
        assert all(serial == own for serial, _ in inbox.messages)
    finally:
        await link.stop()


async def test_wrong_token_is_refused(world: Simulator) -> None:
    inbox = Inbox()
    account = world.accounts[EMAIL]
    link = _link(
        world, str(account.uid), "not-the-token", list(world.printers)[:1], inbox
    )
    await link.start()
    try:
        with pytest.raises(ConnectError) as refused:
            await link.wait_connected(5)
        assert refused.value.reason is ConnectionFailure.CREDENTIALS
    finally:
        await link.stop()


async def test_job_runs_to_finish_over_lan(world: Simulator) -> None:
    serial = _serial(world, "Garage P1P")
    printer = world.printer(serial)
    inbox = Inbox()
    link = await _lan_link(world, serial, inbox)
    try:
        await link.publish(serial, commands.pushall())
        await inbox.wait(lambda: serial in inbox.states)
        (printer.files.root / "benchy.3mf").write_bytes(
            make_3mf(
                name="Benchy",
                layers=40,
                prediction_seconds=900,
                weight_grams=10,
                filaments=[("PLA", "#FFFFFF", 10)],
            )
        )
        reply = await link.request(
            serial,
            commands.print_project_file(
                printer.model, filename="benchy.3mf", subtask_name="Benchy"
            ),
            timeout=10,
        )
        assert reply["result"] == "success"
        state = inbox.states[serial]
        await inbox.wait(lambda: state.job_state is JobState.PREPARE)
        seen: list[tuple[JobState | None, int | None, int | None]] = []
        total = printer.firmware.state["total_layer_num"]
        for _ in range(200):
            before = len(inbox.messages)
            await printer.advance(10)
            await inbox.wait(lambda b=before: len(inbox.messages) > b)
            seen.append((state.job_state, state.progress, state.current_layer))
            if state.job_state is JobState.FINISH:
                break
        percents = [p for _, p, _ in seen if p is not None]
        assert percents == sorted(percents)  # never goes down
        assert seen[-1] == (JobState.FINISH, 100, total)
        assert JobState.RUNNING in {s for s, _, _ in seen}
        assert state.job_name == "Benchy"
    finally:
        await link.stop()


async def test_commands_are_obeyed_and_recorded(world: Simulator) -> None:
    serial = _serial(world, "Workshop X1C")
    printer = world.printer(serial)
    inbox = Inbox()
    link = await _lan_link(world, serial, inbox)
    try:
        await link.publish(serial, commands.pushall())
        await inbox.wait(lambda: serial in inbox.states)
        state = inbox.states[serial]
        await link.request(serial, commands.set_bed_temperature(printer.model, 80))
        await printer.advance(120)
        await inbox.wait(lambda: state.bed_temperature == 80)
        assert printer.commands[-1]["print"]["param"].startswith("M140 S80")

        printer.set_control_locked(True)
        with pytest.raises(CommandRefused) as refused:
            await link.request(serial, commands.set_bed_temperature(printer.model, 50))
        assert refused.value.locked
        assert printer.firmware.state["bed_target_temper"] == 80  # nothing changed

        printer.set_control_locked(False)
        with pytest.raises(CommandRefused) as invalid:
            await link.request(serial, commands.resume())
        assert not invalid.value.locked  # "not paused": the firmware's own refusal
    finally:
        await link.stop()


async def test_hms_and_print_error_on_demand(world: Simulator) -> None:
    serial = _serial(world, "Garage P1P")
    printer = world.printer(serial)
    inbox = Inbox()
    link = await _lan_link(world, serial, inbox)
    try:
        await link.publish(serial, commands.pushall())
        await inbox.wait(lambda: serial in inbox.states)
        state = inbox.states[serial]
        await printer.raise_hms(0x0700_2000, 0x0002_0001)
        await inbox.wait(lambda: len(state.hms) == 1)
        assert state.hms[0].formatted == "0700_2000_0002_0001"
        await printer.set_print_error(0x0300_8015)
        await inbox.wait(lambda: state.print_error == 0x0300_8015)
        assert state.print_error_code == "03008015"
        await printer.clear_hms()
        await printer.set_print_error(0)
        await inbox.wait(lambda: not state.hms and state.print_error == 0)
    finally:
        await link.stop()


async def test_offline_and_back(
    world: Simulator, session: aiohttp.ClientSession
) -> None:
    cloud = await _login(world, session)
    uid = await cloud.get_uid()
    serial = _serial(world, "Garage P1P")
    printer = world.printer(serial)
    inbox = Inbox()
    assert cloud.token is not None
    link = _link(world, uid, cloud.token, [serial], inbox)
    await link.start()
    try:
        await link.wait_connected(10)
        await link.publish(serial, commands.pushall())
        await inbox.wait(lambda: serial in inbox.states)
        state = inbox.states[serial]
        await printer.set_online(False)
        await inbox.wait(lambda: state.online is False)
        device = {d.serial: d for d in await cloud.get_devices()}[serial]
        assert device.online is False
        await printer.set_online(True)
        await inbox.wait(lambda: state.online is True)
        assert {d.serial: d for d in await cloud.get_devices()}[serial].online
        # Back online, it answers again.
        await link.request(serial, commands.get_version(), timeout=10)
    finally:
        await link.stop()


async def test_revoked_token(world: Simulator, session: aiohttp.ClientSession) -> None:
    cloud = await _login(world, session)
    old = cloud.token
    new = await world.revoke_token(EMAIL)
    with pytest.raises(TokenExpired):
        await cloud.get_devices()
    inbox = Inbox()
    account = world.accounts[EMAIL]
    assert old is not None
    link = _link(world, str(account.uid), old, [_serial(world, "Garage P1P")], inbox)
    await link.start()
    try:
        with pytest.raises(ConnectError) as refused:
            await link.wait_connected(5)
        assert refused.value.reason is ConnectionFailure.CREDENTIALS
    finally:
        await link.stop()
    again = await _login(world, session)
    assert again.token == new
    assert len(await again.get_devices()) == 2


async def test_finished_jobs_become_history(
    world: Simulator, session: aiohttp.ClientSession
) -> None:
    serial = _serial(world, "Workshop X1C")
    printer = world.printer(serial)
    printer.start_job(Job(name="Calibration cube", print_seconds=60, prepare_seconds=5))
    await printer.advance(10)
    await printer.advance(100)
    assert printer.firmware.state["gcode_state"] == "FINISH"
    cloud = await _login(world, session)
    page = await cloud.get_tasks(serial)
    assert [t.title for t in page.tasks] == ["Calibration cube"]
    cover = page.tasks[0].cover
    assert cover is not None
    async with session.get(cover) as response:
        assert response.status == 200
        assert (await response.read()).startswith(b"\x89PNG")


async def test_jpeg_camera_of_a_p1p(world: Simulator) -> None:
    printer = world.printer(_serial(world, "Garage P1P"))
    assert printer.camera is not None
    assert world.printer(_serial(world, "Workshop X1C")).camera is None  # RTSP model
    port = printer.extra_ports()["camera_port"]
    camera = JpegCamera(
        "127.0.0.1",
        printer.access_code,
        port=port,
        ssl_context=local_ssl_context(world.ca_pem),
    )
    frame = await camera.snapshot()
    with Image.open(io.BytesIO(frame)) as image:
        assert image.format == "JPEG"
        assert image.size == (1280, 720)
    wrong = JpegCamera(
        "127.0.0.1", "00000000", port=port, ssl_context=local_ssl_context(world.ca_pem)
    )
    with pytest.raises(ConnectError) as refused:
        await wrong.snapshot()
    assert refused.value.reason is ConnectionFailure.CREDENTIALS
    # Off and on again: same port, frames again.
    await printer.set_online(False)
    await printer.set_online(True)
    assert printer.extra_ports()["camera_port"] == port
    assert (await camera.snapshot()).startswith(b"\xff\xd8")


async def test_upload_over_ftps_then_print(world: Simulator) -> None:
    serial = _serial(world, "Garage P1P")
    printer = world.printer(serial)
    project = make_3mf(
        name="Bracket",
        layers=120,
        prediction_seconds=1800,
        weight_grams=12.5,
        filaments=[("PLA", "#FF8800", 12.5)],
    )
    files = PrinterFiles(
        "127.0.0.1",
        printer.access_code,
        port=printer.extra_ports()["ftp_port"],
        ssl_context=local_ssl_context(world.ca_pem),
    )
    async with files:
        await files.upload("/bracket.3mf", project)
        listed = {f.name: f.size for f in await files.list("/")}
    assert listed["bracket.3mf"] == len(project)

    inbox = Inbox()
    link = await _lan_link(world, serial, inbox)
    try:
        missing = commands.print_project_file(printer.model, filename="nothing.3mf")
        with pytest.raises(CommandRefused) as refused:
            await link.request(serial, missing)
        assert refused.value.reason == "file not found"
        await link.request(
            serial, commands.print_project_file(printer.model, filename="bracket.3mf")
        )
    finally:
        await link.stop()
    job = printer.firmware.job
    assert job is not None
    assert (job.name, job.total_layers, job.print_seconds) == ("bracket", 120, 1800)
