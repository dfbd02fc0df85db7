"""The library's Printer and Account against a real broker and fake printers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import ssl

import aiohttp
from aiohttp.test_utils import TestServer
import pytest

from custom_components.bambu_cloud.aiobambulab.account import Account
from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
    InvalidValue,
    NotConnected,
    PrinterOffline,
)
from custom_components.bambu_cloud.aiobambulab.job_views import JobState
from custom_components.bambu_cloud.aiobambulab.lifecycle import (
    JobLifecycle,
    TransitionKind,
)
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions
from custom_components.bambu_cloud.aiobambulab.option_views import PrintOption
from custom_components.bambu_cloud.aiobambulab.printer import (
    PUSHALL_RETRY_FIRST,
    Printer,
    Update,
)
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.broker import MosquittoBroker
from simulator.cloud import FakeCloud, Kind
from simulator.fake_printer import FakePrinter
from simulator.tls import SimulatorPki

from .conftest import ACCESS_CODE, SERIAL, SERIAL2, TOKEN, UID

pytestmark = pytest.mark.usefixtures("socket_enabled")

# The printer greets each session itself; links retry fast.
FAST = LinkOptions(connect_timeout=5.0, backoff_min=0.01, backoff_max=0.05, greet=False)


async def until(predicate: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for a condition the links make true in the background."""
    async with asyncio.timeout(seconds):
        while not predicate():
            await asyncio.sleep(0.01)


class Timers:
    """A scheduler whose delayed actions the test runs by hand."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, delay: float, action: Callable[[], None]) -> Callable[[], None]:
        entry = (delay, action)
        self.pending.append(entry)
        return lambda: self.pending.remove(entry) if entry in self.pending else None

    def run_next(self) -> float:
        delay, action = self.pending.pop(0)
        action()
        return delay


@pytest.fixture
async def account(ca_context: ssl.SSLContext) -> AsyncIterator[Account]:
    """An account whose cloud client is never asked (the broker is what counts)."""
    async with aiohttp.ClientSession() as session:
        account = Account(BambuCloud(session, "http://127.0.0.1:9"), UID)
        try:
            yield account
        finally:
            await account.stop()


def _connect(
    account: Account,
    printer: Printer,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    ca_context: ssl.SSLContext,
) -> None:
    account.connect(
        TOKEN,
        host=broker.host,
        port=broker.port("cloud"),
        ssl_context=ca_context,
        options=FAST,
    )
    printer.connect_lan(
        broker.host,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
        options=FAST,
    )


async def test_lan_first_cloud_fallback_and_back(
    account: Account,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    ca_context: ssl.SSLContext,
    printer: FakePrinter,
) -> None:
    """Commands go over the LAN while it is up, the cloud meanwhile, then the LAN again."""
    bambu = account.printer(SERIAL, name="Garage")
    _connect(account, bambu, broker, pki, ca_context)
    assert account.link is not None
    await account.link.start()
    await bambu.start()
    await until(lambda: bambu.lan_up and bambu.cloud_up)
    await until(lambda: bambu.state.has_full_report)
    assert bambu.link is bambu.lan_link
    greetings = len(printer.commands("pushall"))

    lan = bambu.lan_link
    assert lan is not None
    await lan.stop()  # the LAN goes: the cloud carries the printer
    assert bambu.link is account.link
    # The cloud was not heard while the LAN fed the printer: asked once more.
    await until(lambda: len(printer.commands("pushall")) == greetings + 1)
    await bambu.pause()
    assert printer.commands("pause")

    await lan.start()  # and comes back: it leads again, greeted on its session
    await until(lambda: bambu.lan_up)
    assert bambu.link is lan
    await until(lambda: len(printer.commands("pushall")) == greetings + 2)


async def test_one_source_at_a_time(
    account: Account,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    ca_context: ssl.SSLContext,
    printer: FakePrinter,
) -> None:
    """A late cloud copy does not move the state back while the LAN is up."""
    bambu = account.printer(SERIAL)
    _connect(account, bambu, broker, pki, ca_context)
    assert account.link is not None
    await account.link.start()
    await bambu.start()
    await until(lambda: bambu.lan_up and bambu.state.has_full_report)
    updates: list[Update] = []
    bambu.add_listener(updates.append)

    late = {"print": {"command": "push_status", "mc_percent": 3}}
    bambu.handle_cloud_message(late)
    assert updates == []  # not applied
    assert bambu.state.progress != 3
    # The cloud's own online events still count.
    bambu.handle_cloud_message({"event": {"event": "client.disconnected"}, **late})
    assert bambu.state.online is False
    assert [update.changed for update in updates] == [{"@online"}]
    assert bambu.state.progress != 3

    lan = bambu.lan_link
    assert lan is not None
    await lan.stop()
    bambu.handle_cloud_message(late)  # the cloud is the source now
    assert bambu.state.progress == 3


async def _report(printer: FakePrinter, gcode_state: str, percent: int) -> None:
    status = {"gcode_state": gcode_state, "mc_percent": percent}
    printer.pushall["print"].update(status)  # asked, it says so too
    await printer.report({"print": {"command": "push_status", **status}})


def _kinds(updates: list[Update]) -> list[TransitionKind]:
    return [transition.kind for update in updates for transition in update.transitions]


async def test_a_job_starts_and_ends_once_across_link_changes(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    ca_context: ssl.SSLContext,
    printer: FakePrinter,
) -> None:
    """LAN -> cloud -> LAN while a job runs: one started, one finished.

    The printer's own ``JobLifecycle`` decides; every switch re-greets the
    printer (a full report showing the same job) and the cloud's late copies
    arrive while the LAN leads, yet no transition is repeated or lost.
    """
    await _report(printer, "IDLE", 0)
    async with aiohttp.ClientSession() as session:
        account = Account(BambuCloud(session, "http://127.0.0.1:9"), UID)
        bambu = account.printer(SERIAL)
        assert isinstance(bambu.jobs, JobLifecycle)
        _connect(account, bambu, broker, pki, ca_context)
        updates: list[Update] = []
        bambu.add_listener(updates.append)
        try:
            assert account.link is not None
            await account.link.start()
            await bambu.start()
            await until(lambda: bambu.lan_up and bambu.cloud_up)
            await until(lambda: bambu.state.has_full_report)

            await _report(printer, "RUNNING", 10)  # heard over both links
            await until(lambda: bambu.state.progress == 10)
            assert _kinds(updates) == [TransitionKind.STARTED]
            lan = bambu.lan_link
            assert lan is not None

            asked = len(printer.commands("pushall"))
            await lan.stop()  # the cloud carries the running job
            await until(lambda: len(printer.commands("pushall")) > asked)
            await _report(printer, "RUNNING", 50)  # heard over the cloud only
            await until(lambda: bambu.state.progress == 50)

            asked = len(printer.commands("pushall"))
            await lan.start()  # the LAN leads again, greeted on its session
            await until(lambda: bambu.lan_up)
            await until(lambda: len(printer.commands("pushall")) > asked)
            await _report(printer, "RUNNING", 90)
            await until(lambda: bambu.state.progress == 90)
            await _report(printer, "FINISH", 100)
            await until(lambda: bambu.state.job_state is JobState.FINISH)
            # The cloud's late copy of the running job is not applied.
            bambu.handle_cloud_message(
                {"print": {"command": "push_status", "gcode_state": "RUNNING"}}
            )
            assert bambu.state.job_state is JobState.FINISH

            transitions = [t for update in updates for t in update.transitions]
            assert [t.kind for t in transitions] == [
                TransitionKind.STARTED,
                TransitionKind.FINISHED,
            ]
            assert transitions[0].job_key == transitions[1].job_key
        finally:
            await account.stop()


async def test_a_printer_ignoring_pushall_is_asked_again_with_backoff(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
) -> None:
    printer.reply = "silent"  # no full report, no version
    timers = Timers()
    bambu = Printer(SERIAL, scheduler=timers)
    bambu.connect_lan(
        broker.host,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
        options=FAST,
    )
    try:
        await bambu.start()
        await until(lambda: len(printer.commands("pushall")) == 1)
        await until(lambda: len(timers.pending) == 1)
        delays = []
        for asked in (2, 3):
            delays.append(timers.run_next())
            await until(lambda asked=asked: len(printer.commands("pushall")) == asked)
            await until(lambda: len(timers.pending) == 1)
        assert delays == [PUSHALL_RETRY_FIRST, PUSHALL_RETRY_FIRST * 2]

        printer.reply = "success"
        timers.run_next()
        await until(lambda: bambu.state.has_full_report)
        assert timers.pending == []  # answered: no more asking
    finally:
        await bambu.stop()


async def test_typed_command_errors(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
) -> None:
    bambu = Printer(SERIAL)
    with pytest.raises(NotConnected):
        await bambu.pause()  # no link at all
    bambu.connect_lan(
        broker.host,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
        options=FAST,
    )
    try:
        await bambu.start()
        await until(lambda: bambu.state.has_full_report)

        printer.reply = "locked"
        with pytest.raises(CommandRefused) as refused:
            await bambu.set_light(True)
        assert refused.value.locked

        printer.reply = "failed"
        with pytest.raises(CommandRefused) as refused:
            await bambu.resume()
        assert not refused.value.locked

        printer.reply = "silent"
        bambu.command_timeout = 0.05
        with pytest.raises(CommandTimeout):
            await bambu.stop_print()

        sent = len(printer.requests)
        with pytest.raises(InvalidValue):
            await bambu.set_nozzle_temperature(9999)
        with pytest.raises(InvalidValue):
            await bambu.set_nozzle_temperature(200, nozzle=1)  # one nozzle only
        assert len(printer.requests) == sent  # nothing went out

        printer.reply = "success"
        await bambu.set_nozzle_temperature(220)
        assert printer.commands("gcode_line")[-1]["param"].startswith("M104 S220")

        # The cloud says offline but the LAN reaches it: still sent.
        bambu.set_online(False)
        await bambu.home()
        lan = bambu.lan_link
        assert lan is not None
        await lan.stop()
    finally:
        await bambu.stop()
    with pytest.raises(PrinterOffline):  # offline and no LAN: refused at once
        await bambu.pause()


async def test_settings_and_print_start_are_typed_commands(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
) -> None:
    """The switches', selects' and print_file's commands: sent, or refused unsent."""
    bambu = Printer(SERIAL)
    bambu.connect_lan(
        broker.host,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
        options=FAST,
    )
    try:
        await bambu.start()
        await until(lambda: bambu.state.has_full_report)
        await bambu.set_camera_recording(True)
        await bambu.set_timelapse(False)
        await bambu.set_xcam_module("first_layer_inspector", True)
        await bambu.set_print_option(PrintOption.AUTO_RECOVERY, False)
        await bambu.set_airduct_mode(1)
        await bambu.stop_buzzer()
        unit = bambu.state.ams_units[0]
        await bambu.refresh_rfid(unit.id, unit.trays[0].slot)
        assert printer.commands("ipcam_record_set")[-1]["control"] == "enable"
        assert printer.commands("ipcam_timelapse")[-1]["control"] == "disable"
        assert printer.commands("xcam_control_set")[-1]["module_name"] == (
            "first_layer_inspector"
        )
        assert printer.commands("print_option")[-1]["auto_recovery"] is False
        assert printer.commands("set_airduct")[-1]["modeId"] == 1
        assert printer.commands("buzzer_ctrl")
        assert printer.commands("ams_get_rfid")[-1]["ams_id"] == unit.id

        uploaded: list[int] = []

        async def upload() -> None:
            uploaded.append(len(printer.requests))

        await bambu.start_print(
            "cube.gcode.3mf", plate=2, ams_mapping=[0, -1], upload=upload
        )
        started = printer.commands("project_file")[-1]
        assert started["param"] == "Metadata/plate_2.gcode"
        assert started["subtask_name"] == "cube"
        assert started["ams_mapping"] == [0, -1]
        assert uploaded == [len(printer.requests) - 1]  # uploaded, then started

        sent = len(printer.requests)
        refused = (
            bambu.set_timelapse("yes"),  # type: ignore[arg-type]
            bambu.set_light(1),  # type: ignore[arg-type]
            bambu.set_xcam_module("no_such_detector", True),
            bambu.set_print_option("no_such_option", True),
            bambu.set_airduct_mode(-1),
            bambu.refresh_rfid(3, 3),  # a unit the printer does not have
            bambu.start_print("cube#1.3mf", upload=upload),
            bambu.start_print("cube.3mf", ams_mapping=[200], upload=upload),
            bambu.start_print("cube.3mf", timelapse=None, upload=upload),  # type: ignore[arg-type]
        )
        for command in refused:
            with pytest.raises(InvalidValue):
                await command
        assert len(printer.requests) == sent  # nothing went out
        assert len(uploaded) == 1  # and nothing was uploaded
    finally:
        await bambu.stop()


async def test_account_hands_out_printers_from_its_device_list(
    broker: MosquittoBroker,
    ca_context: ssl.SSLContext,
    printer: FakePrinter,
    printer2: FakePrinter,
) -> None:
    """Device list -> printers on one cloud link; offline refused; added, removed."""
    fake = FakeCloud()
    fake.add_account("a@example.com", "secret", Kind.DIRECT, int(UID))
    fake.devices = [
        {"dev_id": SERIAL, "online": True, "name": "Garage"},
        {"dev_id": SERIAL2, "online": False, "name": "Lab"},
    ]
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.base_url = str(server.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(
            session, fake.base_url, token=fake.issue_token("a@example.com")
        )
        account = Account(cloud, UID)
        try:
            devices = await account.fetch_devices()
            assert set(devices) == {SERIAL, SERIAL2}
            garage = account.printer(SERIAL, name=devices[SERIAL].name)
            assert account.printer(SERIAL) is garage  # one object per printer
            link = account.connect(
                TOKEN,
                host=broker.host,
                port=broker.port("cloud"),
                ssl_context=ca_context,
                options=FAST,
            )
            assert garage.cloud_link is link
            await link.start()
            await until(lambda: garage.cloud_up and garage.state.has_full_report)
            assert garage.name == "Garage"

            # A printer bound later joins the same link and is greeted.
            lab = await account.add_printer(SERIAL2, name="Lab")
            assert link.serials == {SERIAL, SERIAL2}
            await until(lambda: lab.state.has_full_report)
            account.sync_online(devices)  # the cloud says the lab is offline
            assert lab.state.online is False
            with pytest.raises(PrinterOffline):
                await lab.pause()
            assert not printer2.commands("pause")
            await garage.pause()
            assert printer.commands("pause")

            assert await account.remove_printer(SERIAL2) is lab
            assert link.serials == {SERIAL}
            assert SERIAL2 not in account.printers
        finally:
            await account.stop()
            await server.close()
