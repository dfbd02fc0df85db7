"""PrinterLink and probe against a real Mosquitto with TLS and fake printers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import errno
import logging
import socket
import ssl
from typing import Any

import aiomqtt
from aiomqtt import MqttError
from aiomqtt.exceptions import MqttCodeError, MqttConnectError
import pytest

from custom_components.bambu_cloud.aiobambulab import (
    command_replies,
    connect_failures,
    link_health,
    mqtt,
    mqtt_client,
    report_queue,
    tls,
)
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
    NotConnected,
)
from custom_components.bambu_cloud.aiobambulab.identity import certificate_serial
from custom_components.bambu_cloud.aiobambulab.lan_probe import (
    SerialMismatch,
    probe,
    read_printer_serial,
)
from custom_components.bambu_cloud.aiobambulab.link_health import LinkStatus
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions, PrinterLink
from custom_components.bambu_cloud.aiobambulab.nesting import MAX_DEPTH, too_deep
from custom_components.bambu_cloud.aiobambulab.report_queue import MAX_QUEUED_MESSAGES
from custom_components.bambu_cloud.aiobambulab.tls import (
    BAMBU_CA_PEM,
    local_ssl_context,
)
from simulator.broker import MosquittoBroker
from simulator.fake_printer import (
    FAILED_ERR_CODE,
    FAILED_REASON,
    LOCKED_ERR_CODE,
    LOCKED_REASON,
    FakePrinter,
)
from simulator.tls import SimulatorPki
from tests.common import get_version, pushall

from .conftest import (
    ACCESS_CODE,
    PRINTER2_FIXTURE,
    PRINTER_FIXTURE,
    SERIAL,
    SERIAL2,
    TOKEN,
    UID,
    Recorder,
)

# Real sockets, to 127.0.0.1 only (the test plugin still blocks other hosts).
pytestmark = pytest.mark.usefixtures("socket_enabled")

FAST = LinkOptions(connect_timeout=5.0, backoff_min=0.01, backoff_max=0.05)


def local_link(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    *,
    listener: str = "local",
    access_code: str = ACCESS_CODE,
    options: LinkOptions = FAST,
    **kwargs: Any,
) -> PrinterLink:
    kwargs.setdefault("ca_pem", pki.ca.cert_pem)
    return PrinterLink.local(
        broker.host,
        SERIAL,
        access_code,
        port=broker.port(listener),
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=options,
        **kwargs,
    )


@pytest.fixture
async def link(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
) -> AsyncIterator[PrinterLink]:
    """A local link to SERIAL, connected, its full report received."""
    link = local_link(broker, pki, recorder)
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL, "push_status")))
        yield link
    finally:
        await link.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- connecting ----------------------------------------------------------------


async def test_local_connect_gets_version_and_full_report(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
) -> None:
    link = local_link(broker, pki, recorder)
    assert not link.connected
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(
            lambda r: bool(
                r.reports(SERIAL, "push_status") and r.reports(SERIAL, "get_version")
            )
        )
        # One get_version, then one pushall, each with a fresh sequence_id.
        assert [body["command"] for body in printer.commands()] == [
            "get_version",
            "pushall",
        ]
        assert list(printer.requests[0]) == ["info"]
        assert list(printer.requests[1]) == ["pushing"]
        sequences = {body["sequence_id"] for body in printer.commands()}
        assert len(sequences) == 2
        assert all(isinstance(s, str) and s.isdigit() for s in sequences)
        # The full report arrives exactly as the printer sent it.
        assert recorder.reports(SERIAL, "push_status") == [pushall(PRINTER_FIXTURE)]
        version = get_version(PRINTER_FIXTURE)
        version["info"]["sequence_id"] = printer.commands("get_version")[0][
            "sequence_id"
        ]
        assert recorder.reports(SERIAL, "get_version") == [version]
        status = link.status
        assert status.connected
        assert status.failure is None
        assert status.failed_attempts == 0
        assert status.last_message_at is not None
        assert link.last_seen(SERIAL) is not None
        assert link.last_seen(SERIAL2) is None
        assert link.serials == frozenset({SERIAL})
        assert link.host == broker.host
        assert recorder.statuses[0].connected
    finally:
        await link.stop()
    assert not link.connected
    assert recorder.statuses[-1] == LinkStatus(
        connected=False, last_message_at=recorder.statuses[-1].last_message_at
    )


async def test_cloud_serves_two_printers_on_one_connection(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
    printer2: FakePrinter,
) -> None:
    link = PrinterLink.cloud(
        UID,
        TOKEN,
        [SERIAL, SERIAL2],
        host=broker.host,
        port=broker.port("cloud"),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(
            lambda r: bool(
                r.reports(SERIAL, "push_status") and r.reports(SERIAL2, "push_status")
            )
        )
        assert recorder.reports(SERIAL, "push_status") == [pushall(PRINTER_FIXTURE)]
        assert recorder.reports(SERIAL2, "push_status") == [pushall(PRINTER2_FIXTURE)]
        for fake in (printer, printer2):
            assert [b["command"] for b in fake.commands()] == ["get_version", "pushall"]
        # A single MQTT connection logged in as the cloud user.
        assert broker.log_text().count(f"u'u_{UID}'") == 1
    finally:
        await link.stop()


async def test_cloud_username_prefix() -> None:
    def ignore(serial: str, message: dict[str, Any]) -> None:
        pass

    plain = PrinterLink.cloud(
        42, "t", [], on_message=ignore, ssl_context=ssl.create_default_context()
    )
    prefixed = PrinterLink.cloud("u_42", "t", [], on_message=ignore)
    assert plain._username == prefixed._username == "u_42"
    assert plain.host == mqtt.CLOUD_HOST
    assert prefixed._ssl_context is None  # system CAs, loaded off the event loop


async def test_add_and_remove_serials_while_connected(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
    printer2: FakePrinter,
) -> None:
    link = PrinterLink.cloud(
        f"u_{UID}",
        TOKEN,
        [SERIAL],
        host=broker.host,
        port=broker.port("cloud"),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        options=FAST,
    )
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL, "push_status")))
        assert printer2.requests == []

        await link.add_serial(SERIAL2)
        await link.add_serial(SERIAL2)  # already served: nothing more
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL2, "push_status")))
        assert link.serials == {SERIAL, SERIAL2}
        assert [b["command"] for b in printer2.commands()] == ["get_version", "pushall"]

        # A request in flight for a printer being removed fails at once;
        # one for another printer goes on.
        printer.reply = printer2.reply = "silent"
        pending = asyncio.create_task(
            link.request(SERIAL, {"print": {"command": "pause"}})
        )
        other = asyncio.create_task(
            link.request(SERIAL2, {"print": {"command": "pause"}})
        )
        await printer.wait_for_command("pause")
        request = (await printer2.wait_for_command("pause"))[0]
        await link.remove_serial(SERIAL)
        await link.remove_serial(SERIAL)  # not served any more: nothing happens
        with pytest.raises(NotConnected):
            await pending
        assert not other.done()
        await printer2.report({"print": {**request, "result": "success"}})
        assert (await other)["sequence_id"] == request["sequence_id"]
        assert link.serials == {SERIAL2}
        assert link.last_seen(SERIAL) is None

        # Unsubscribed: a report SERIAL publishes before one of SERIAL2 (both
        # routed by the broker before returning) never reaches the link.
        await printer.report({"print": {"command": "push_status", "msg": 1}}, qos=1)
        await printer2.report(
            {"print": {"command": "push_status", "msg": 1, "x": 1}}, qos=1
        )
        await recorder.wait_for(
            lambda r: any(m.get("print", {}).get("x") == 1 for _, m in r.messages)
        )
        assert [s for s, _ in recorder.messages].count(SERIAL) == 2  # only the hellos
        with pytest.raises(ValueError, match="not served"):
            await link.publish(SERIAL, {"print": {"command": "pause"}})
    finally:
        await link.stop()


async def test_add_serial_while_disconnected_subscribes_on_connect(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer2: FakePrinter,
) -> None:
    link = local_link(broker, pki, recorder)
    await link.add_serial(SERIAL2)
    await link.remove_serial(SERIAL)
    await link.start()
    try:
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL2, "push_status")))
        assert link.serials == {SERIAL2}
    finally:
        await link.stop()


async def test_invalid_serials_are_refused() -> None:
    def ignore(serial: str, message: dict[str, Any]) -> None:
        pass

    for bad in ("", "a/b", "a+", "#"):
        with pytest.raises(ValueError, match="invalid printer serial"):
            PrinterLink.local("127.0.0.1", bad, ACCESS_CODE, on_message=ignore)


# --- requests --------------------------------------------------------------------


async def test_concurrent_requests_match_replies_out_of_order(
    link: PrinterLink, printer: FakePrinter, recorder: Recorder
) -> None:
    printer.reply = "silent"
    payloads = [
        {"print": {"command": "gcode_line", "param": "M104 S200\n"}},
        {"print": {"command": "gcode_line", "param": "M140 S60\n"}},
        {
            "system": {
                "command": "ledctrl",
                "led_node": "chamber_light",
                "led_mode": "on",
            }
        },
    ]
    tasks = [asyncio.create_task(link.request(SERIAL, p)) for p in payloads]
    await printer.wait_for(lambda p: len(p.commands()) == 5)  # hellos + 3
    sent = printer.requests[2:]
    assert all("sequence_id" not in p[next(iter(p))] for p in payloads)  # left as given
    sequences = [next(iter(r.values()))["sequence_id"] for r in sent]
    assert len(set(sequences)) == 3

    # Noise first: another command with the same sequence_id, and a reply
    # with a sequence_id nobody waits for. Neither settles anything.
    await printer.report(
        {"print": {"command": "push_status", "sequence_id": sequences[0]}}
    )
    await printer.report(
        {"print": {"command": "gcode_line", "sequence_id": "1", "result": "success"}}
    )
    await printer.report({"print": "not an object", "system": {"no": "command"}})
    await printer.report({"system": {"command": "get_version", "result": "success"}})
    # Then the replies in reverse order; one carries the sequence_id as an int.
    for request in reversed(sent):
        module, body = next(iter(request.items()))
        sequence: Any = body["sequence_id"]
        if request is sent[1]:
            sequence = int(sequence)
        reply = {
            "command": body["command"],
            "sequence_id": sequence,
            "result": "success",
            "echo": body.get("param", body.get("led_mode")),
        }
        await printer.report({module: reply})
    results = await asyncio.gather(*tasks)
    assert [r["echo"] for r in results] == ["M104 S200\n", "M140 S60\n", "on"]
    assert results[1]["sequence_id"] == int(sequences[1])
    assert link._pending == {}
    # The replies reached on_message as well.
    assert len(recorder.reports(SERIAL, "gcode_line")) == 3


async def test_request_keeps_a_given_sequence_id(
    link: PrinterLink, printer: FakePrinter
) -> None:
    reply = await link.request(
        SERIAL, {"print": {"command": "pause", "sequence_id": 77}}
    )
    assert reply == {
        "command": "pause",
        "sequence_id": 77,
        "result": "success",
        "reason": "",
    }
    assert printer.commands("pause") == [{"command": "pause", "sequence_id": 77}]


async def test_request_reply_without_sequence_id_matches_oldest(
    link: PrinterLink, printer: FakePrinter
) -> None:
    """Firmware that omits sequence_id in a reply still answers the request."""
    printer.reply = "silent"
    task = asyncio.create_task(
        link.request(SERIAL, {"info": {"command": "get_version"}})
    )
    await printer.wait_for_command("get_version", 2)
    await printer.report({"info": {"command": "get_version", "module": []}})
    assert await task == {"command": "get_version", "module": []}


async def test_failed_reply_raises_command_refused(
    link: PrinterLink, printer: FakePrinter
) -> None:
    printer.reply = "failed"
    with pytest.raises(CommandRefused) as refused:
        await link.request(SERIAL, {"print": {"command": "print_speed", "param": "2"}})
    assert refused.value.reason == FAILED_REASON
    assert refused.value.err_code == FAILED_ERR_CODE
    assert refused.value.locked is False
    assert link._pending == {}


async def test_locked_firmware_refusal_is_flagged(
    link: PrinterLink, printer: FakePrinter
) -> None:
    printer.reply = "locked"
    with pytest.raises(CommandRefused) as refused:
        await link.request(SERIAL, {"system": {"command": "ledctrl", "led_mode": "on"}})
    assert refused.value.reason == LOCKED_REASON
    assert refused.value.err_code == LOCKED_ERR_CODE
    assert refused.value.locked is True
    assert refused.value.key == "command_refused"


@pytest.mark.parametrize(
    ("body", "reason", "err_code", "locked"),
    [
        ({"result": "failed", "err_code": "84033543"}, "failed", 84033543, True),
        ({"result": "failed", "err_code": 84033545}, "failed", 84033545, True),
        (
            {"result": "FAILED", "err_msg": "Permission denied"},
            "Permission denied",
            None,
            True,
        ),
        ({"result": "fail", "reason": "", "error": "bad sign"}, "bad sign", None, True),
        (
            {"result": "failed", "reason": "nozzle too hot", "err_code": True},
            "nozzle too hot",
            None,
            False,
        ),
        (
            {"result": "failed", "reason": "design check", "err_code": 1.5},
            "design check",
            None,
            False,
        ),
        ({"result": "failed", "err_code": "n/a"}, "failed", None, False),
    ],
)
def test_refusal_details(
    body: dict[str, Any], reason: str, err_code: int | None, locked: bool
) -> None:
    refused = command_replies.refusal(body)
    assert (refused.reason, refused.err_code, refused.locked) == (
        reason,
        err_code,
        locked,
    )


async def test_no_reply_raises_command_timeout(
    link: PrinterLink, printer: FakePrinter
) -> None:
    printer.reply = "silent"
    with pytest.raises(CommandTimeout) as timeout:
        await link.request(SERIAL, {"print": {"command": "resume"}}, timeout=0.05)
    assert timeout.value.placeholders == {"serial": SERIAL, "command": "resume"}
    assert link._pending == {}
    # The command did go out.
    assert printer.commands("resume")


async def test_publish_stamps_a_sequence_id(
    link: PrinterLink, printer: FakePrinter
) -> None:
    payload = {"print": {"command": "stop"}}
    sequence = await link.publish(SERIAL, payload)
    assert payload == {"print": {"command": "stop"}}  # the caller's dict untouched
    received = await printer.wait_for_command("stop")
    assert received == [{"command": "stop", "sequence_id": sequence}]
    # Without a single module object the payload goes out as it is.
    assert await link.publish(SERIAL, {"a": {"command": "x"}, "b": {}}) == ""
    await printer.wait_for(lambda p: any("a" in r for r in p.requests))


async def test_bad_request_payloads(link: PrinterLink) -> None:
    with pytest.raises(ValueError, match="one module object"):
        await link.request(SERIAL, {"print": {"param": "no command"}})
    with pytest.raises(ValueError, match="one module object"):
        await link.request(SERIAL, {"a": {"command": "x"}, "b": {"command": "y"}})
    with pytest.raises(ValueError, match="not served"):
        await link.request(SERIAL2, {"print": {"command": "pause"}})


async def test_duplicate_sequence_id_is_refused(
    link: PrinterLink, printer: FakePrinter
) -> None:
    printer.reply = "silent"
    first = asyncio.create_task(
        link.request(SERIAL, {"print": {"command": "pause", "sequence_id": "5"}})
    )
    await printer.wait_for_command("pause")
    with pytest.raises(ValueError, match="already awaiting"):
        await link.request(SERIAL, {"print": {"command": "pause", "sequence_id": "5"}})
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert link._pending == {}


async def test_requests_need_a_connection(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    link = local_link(broker, pki, recorder)
    with pytest.raises(NotConnected):
        await link.request(SERIAL, {"print": {"command": "pause"}})
    with pytest.raises(NotConnected):
        await link.publish(SERIAL, {"print": {"command": "pause"}})
    with pytest.raises(NotConnected, match="not started"):
        await link.wait_connected(1)


async def test_pending_request_fails_when_the_link_drops(
    link: PrinterLink, printer: FakePrinter, broker: MosquittoBroker, recorder: Recorder
) -> None:
    printer.reply = "silent"
    task = asyncio.create_task(
        link.request(SERIAL, {"print": {"command": "pause"}}, timeout=30)
    )
    await printer.wait_for_command("pause")
    await broker.restart()
    with pytest.raises(NotConnected):
        await task
    assert link._pending == {}


async def test_publish_on_a_dead_client_raises_not_connected(link: PrinterLink) -> None:
    client = link._client
    assert client is not None

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise MqttCodeError(4, "no connection")

    client.publish = broken  # type: ignore[method-assign]
    with pytest.raises(NotConnected, match="could not send"):
        await link.publish(SERIAL, {"print": {"command": "pause"}})


# --- failures and reconnection ------------------------------------------------------


async def test_wrong_access_code_is_credentials_and_keeps_retrying(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = local_link(broker, pki, recorder, access_code="s3cret-but-wrong")
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failed_attempts >= 3)
        assert status.failure is ConnectionFailure.CREDENTIALS
        assert not status.connected
        assert all(
            s.failure is ConnectionFailure.CREDENTIALS for s in recorder.statuses
        )
        with pytest.raises(ConnectError) as error:
            await link.wait_connected(0.01)
        assert error.value.reason is ConnectionFailure.CREDENTIALS
    finally:
        await link.stop()
    # Logged once although it failed again and again.
    unavailable = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    assert len(unavailable) == 1
    assert unavailable[0].levelno == logging.INFO
    assert "s3cret-but-wrong" not in caplog.text


async def test_wrong_ca_is_tls(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    link = local_link(broker, pki, recorder, listener="rogue")
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
        assert status.failure is ConnectionFailure.TLS
        assert "certificate verify failed" in status.message
    finally:
        await link.stop()


async def test_bundled_bambu_cas_reject_the_simulator(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    link = local_link(broker, pki, recorder, ca_pem=None)
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
        assert status.failure is ConnectionFailure.TLS
    finally:
        await link.stop()


async def test_cloud_with_system_cas_rejects_the_simulator(
    broker: MosquittoBroker, recorder: Recorder
) -> None:
    link = PrinterLink.cloud(
        UID,
        TOKEN,
        [SERIAL],
        host=broker.host,
        port=broker.port("cloud"),
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
        assert status.failure is ConnectionFailure.TLS
    finally:
        await link.stop()


async def test_insecure_flag_accepts_any_certificate(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = local_link(
        broker, pki, recorder, listener="rogue", ca_pem=None, insecure=True
    )
    assert "TLS verification is off" in caplog.text
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL, "push_status")))
    finally:
        await link.stop()


async def test_nothing_listening_is_unreachable(
    pki: SimulatorPki, recorder: Recorder
) -> None:
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        port=free_port(),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
        assert status.failure is ConnectionFailure.UNREACHABLE
        with pytest.raises(ConnectError) as error:
            await link.wait_connected(0.01)
        assert error.value.reason is ConnectionFailure.UNREACHABLE
    finally:
        await link.stop()


class MuteServer:
    """A TLS server with the printer certificate that never answers MQTT."""

    def __init__(self) -> None:
        self.port = 0
        self.handlers: set[asyncio.Task[Any]] = set()
        self.accepted = asyncio.Event()

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        self.accepted.set()
        try:
            while await reader.read(4096):
                pass
        except OSError:
            pass
        finally:
            writer.transport.abort()


@pytest.fixture
async def mute_server(
    pki: SimulatorPki, socket_enabled: None
) -> AsyncIterator[MuteServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    files = pki.printers[SERIAL]
    context.load_cert_chain(files.cert_path, files.key_path)
    mute = MuteServer()
    server = await asyncio.start_server(mute.handle, "127.0.0.1", 0, ssl=context)
    mute.port = server.sockets[0].getsockname()[1]
    try:
        yield mute
    finally:
        server.close()
        server.close_clients()
        await server.wait_closed()


async def test_no_connack_is_timeout_and_the_socket_is_closed(
    mute_server: MuteServer, pki: SimulatorPki, recorder: Recorder
) -> None:
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        port=mute_server.port,
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=LinkOptions(connect_timeout=0.1, backoff_min=0.01, backoff_max=0.02),
    )
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
        assert status.failure is ConnectionFailure.TIMEOUT
    finally:
        await link.stop()
    # Every attempt's connection is closed by the client at once, not left
    # open until paho's keepalive (60 s) expires.
    done, pending = await asyncio.wait(mute_server.handlers, timeout=2)
    assert done
    assert not pending


async def test_broker_restart_reconnects_resubscribes_and_asks_again(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    link: PrinterLink,
    printer: FakePrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert len(recorder.reports(SERIAL, "push_status")) == 1
    # Restart with the link locked out, so the fake printer is surely back
    # (subscribed) before the link can reconnect and ask again.
    broker.add_user("bblp", "locked-out", [SERIAL])
    await broker.restart()
    lost = await recorder.wait_for_status(lambda s: not s.connected)
    assert lost.failure is ConnectionFailure.UNREACHABLE
    await recorder.wait_for_status(lambda s: s.failed_attempts >= 2)
    await printer.stop()
    await printer.start()
    connects = sum(s.connected for s in recorder.statuses)
    broker.add_user("bblp", ACCESS_CODE, [SERIAL])
    await broker.reload()
    await recorder.wait_for(lambda r: sum(s.connected for s in r.statuses) > connects)
    await recorder.wait_for(lambda r: len(r.reports(SERIAL, "push_status")) == 2)
    assert link.connected
    assert link.status.failed_attempts == 0
    assert [b["command"] for b in printer.commands()] == ["get_version", "pushall"] * 2
    # The link works again for requests.
    assert (await link.request(SERIAL, {"print": {"command": "pause"}}))[
        "result"
    ] == "success"
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.name == link_health.__name__ and r.levelno >= logging.INFO
    ]
    assert sum("is lost" in m for m in messages) == 1
    assert sum("is back" in m for m in messages) == 1


@pytest.mark.parametrize("stable_after", [0.0, 3600.0])
async def test_backoff_doubles_and_resets_only_after_a_stable_session(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    stable_after: float,
) -> None:
    """Retries double up to the cap; a drop resets them only after a long session."""
    link = local_link(broker, pki, recorder, access_code="not-yet")
    delays: list[tuple[float, int]] = []

    def no_jitter(delay: float) -> float:
        delays.append((delay, link.status.failed_attempts))
        return 0.0

    monkeypatch.setattr(mqtt, "_jitter", no_jitter)
    monkeypatch.setattr(mqtt, "_STABLE_SESSION", stable_after)
    broker.add_user("bblp", "locked-out", [SERIAL])
    await broker.restart()
    await link.start()
    try:
        await recorder.wait_for_status(lambda s: s.failed_attempts >= 5)
        broker.add_user("bblp", "not-yet", [SERIAL])
        await broker.reload()
        await recorder.wait_for_status(lambda s: s.connected)
        before_drop = len(delays)
        await broker.restart()
        await recorder.wait_for(lambda r: len(delays) > before_drop)
    finally:
        await link.stop()
    failing = [delay for delay, attempts in delays[:before_drop]]
    assert failing[:4] == [0.01, 0.02, 0.04, 0.05]
    assert set(failing[3:]) == {0.05}
    after_drop, attempts = delays[before_drop]
    assert attempts == 0  # this pause follows the drop, not a failed attempt
    assert after_drop == (0.01 if stable_after == 0.0 else 0.05)


# --- incoming data ---------------------------------------------------------------


async def test_malformed_payloads_are_dropped(
    link: PrinterLink,
    printer: FakePrinter,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = len(recorder.messages)
    for payload in (
        b"not json",
        b"[1, 2]",
        b'"text"',
        b"\xff\xfe{}",
        b"",
        b'{"print": ',
    ):
        await printer.publish_raw(payload)
    await printer.report({"print": {"command": "push_status", "msg": 1, "good": True}})
    await recorder.wait_for(lambda r: len(r.messages) > before)
    assert recorder.messages[before:] == [
        (SERIAL, {"print": {"command": "push_status", "msg": 1, "good": True}})
    ]
    assert link.connected
    assert "not JSON" in caplog.text
    assert "not an object" in caplog.text


async def test_messages_of_other_topics_are_ignored(
    link: PrinterLink, recorder: Recorder
) -> None:
    class Message:
        def __init__(self, topic: str) -> None:
            self.topic = type("T", (), {"value": topic})()
            self.payload = b'{"print": {}}'

    before = len(recorder.messages)
    for topic in ("device/OTHER/report", f"device/{SERIAL}/request", "x/y"):
        link._dispatch(Message(topic))  # type: ignore[arg-type]
    assert len(recorder.messages) == before


async def test_callback_errors_do_not_kill_the_link(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    received: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    def on_message(serial: str, message: dict[str, Any]) -> None:
        received.append(message)
        arrived.set()
        raise RuntimeError("boom in on_message")

    def on_status(status: LinkStatus) -> None:
        raise RuntimeError("boom in on_status")

    link = PrinterLink.local(
        broker.host,
        SERIAL,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
        on_message=on_message,
        on_status=on_status,
        options=FAST,
    )
    await link.start()
    try:
        await link.wait_connected(5)
        reply = await link.request(SERIAL, {"print": {"command": "pause"}})
        assert reply["result"] == "success"
        arrived.clear()
        await printer.report(
            {"print": {"command": "push_status", "msg": 1, "after": 1}}
        )
        async with asyncio.timeout(5):
            while not any(m.get("print", {}).get("after") for m in received):
                arrived.clear()
                await arrived.wait()
        assert link.connected
    finally:
        await link.stop()
    assert "boom in on_message" in caplog.text
    assert "boom in on_status" in caplog.text


async def test_subscribe_errors_leave_the_link_to_the_session(
    link: PrinterLink, printer: FakePrinter
) -> None:
    client = link._client
    assert client is not None

    async def refused(*args: Any, **kwargs: Any) -> None:
        raise MqttCodeError(4, "no connection")

    client.subscribe = refused  # type: ignore[method-assign,assignment]
    client.unsubscribe = refused  # type: ignore[method-assign]
    await link.add_serial(SERIAL2)
    assert link.serials == {SERIAL, SERIAL2}
    await link.remove_serial(SERIAL)
    assert link.serials == {SERIAL2}


async def test_already_subscribed_serials_get_no_second_hello(
    link: PrinterLink, printer: FakePrinter
) -> None:
    assert link._client is not None
    await link._subscribe(link._client, [SERIAL])
    # A round trip after it: a second hello would have reached the printer first.
    await link.request(SERIAL, {"print": {"command": "pause"}})
    assert [b["command"] for b in printer.commands()] == [
        "get_version",
        "pushall",
        "pause",
    ]


async def test_refused_subscription_is_logged(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real_new_client = mqtt.new_client

    def refusing(*args: Any) -> Any:
        client = real_new_client(*args)
        real_subscribe = client.subscribe

        async def subscribe(*args: Any, **kwargs: Any) -> Any:
            await real_subscribe(*args, **kwargs)
            return [128]  # SUBACK failure

        client.subscribe = subscribe  # type: ignore[method-assign]
        return client

    monkeypatch.setattr(mqtt, "new_client", refusing)
    link = local_link(broker, pki, recorder)
    await link.start()
    try:
        await link.wait_connected(5)
    finally:
        await link.stop()
    assert f"refused the reports of {SERIAL}" in caplog.text


async def test_unexpected_errors_are_protocol_failures(
    pki: SimulatorPki,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("unexpected boom")

    monkeypatch.setattr(mqtt, "new_client", broken)
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failed_attempts >= 2)
    finally:
        await link.stop()
    assert status.failure is ConnectionFailure.PROTOCOL
    assert status.message == "unexpected boom"
    assert "unexpected boom" in caplog.text  # with its traceback, at debug


async def test_a_crashed_link_task_is_logged(
    pki: SimulatorPki,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(delay: float) -> float:
        raise RuntimeError("bug in the backoff")

    monkeypatch.setattr(mqtt, "_jitter", broken)
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        port=free_port(),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        options=FAST,
    )
    await link.start()
    task = link._task
    assert task is not None
    await asyncio.wait({task}, timeout=5)
    assert task.done()
    await link.stop()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["The MQTT link to 127.0.0.1 stopped"]
    assert "bug in the backoff" in caplog.text


# --- probe -------------------------------------------------------------------------


async def test_probe_returns_version_info(
    broker: MosquittoBroker, pki: SimulatorPki, printer: FakePrinter
) -> None:
    info = await probe(
        broker.host,
        SERIAL,
        ACCESS_CODE,
        port=broker.port("local"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
    )
    expected = get_version(PRINTER_FIXTURE)["info"]
    expected["sequence_id"] = printer.commands("get_version")[0]["sequence_id"]
    assert info == expected
    # A probe asks only for the version, never for a full report.
    assert printer.commands("pushall") == []


async def test_probe_accepts_an_answer_without_sequence_id(
    broker: MosquittoBroker, pki: SimulatorPki, printer2: FakePrinter
) -> None:
    del printer2.get_version["info"]["sequence_id"]
    info = await probe(
        broker.host,
        SERIAL2,
        ACCESS_CODE,
        port=broker.port("local2"),
        ssl_context=local_ssl_context(pki.ca.cert_pem),
    )
    expected = get_version(PRINTER2_FIXTURE)["info"]
    del expected["sequence_id"]
    assert info == expected


async def test_probe_serial_mismatch(
    broker: MosquittoBroker, pki: SimulatorPki
) -> None:
    with pytest.raises(SerialMismatch) as mismatch:
        await probe(
            broker.host,
            SERIAL2,
            ACCESS_CODE,
            port=broker.port("local"),
            ssl_context=local_ssl_context(pki.ca.cert_pem),
        )
    assert isinstance(mismatch.value, ConnectError)
    assert mismatch.value.key == "serial_mismatch"
    assert (mismatch.value.expected, mismatch.value.actual) == (SERIAL2, SERIAL)
    assert mismatch.value.placeholders["actual"] == SERIAL


async def test_probe_wrong_access_code(
    broker: MosquittoBroker, pki: SimulatorPki
) -> None:
    with pytest.raises(ConnectError) as error:
        await probe(
            broker.host,
            SERIAL,
            "wrong",
            port=broker.port("local"),
            ssl_context=local_ssl_context(pki.ca.cert_pem),
        )
    assert error.value.reason is ConnectionFailure.CREDENTIALS


async def test_probe_wrong_ca(broker: MosquittoBroker, pki: SimulatorPki) -> None:
    with pytest.raises(ConnectError) as error:
        await probe(broker.host, SERIAL, ACCESS_CODE, port=broker.port("rogue"))
    assert error.value.reason is ConnectionFailure.TLS


async def test_probe_nothing_listening() -> None:
    with pytest.raises(ConnectError) as error:
        await probe("127.0.0.1", SERIAL, ACCESS_CODE, port=free_port())
    assert error.value.reason is ConnectionFailure.UNREACHABLE


async def test_probe_silent_printer_times_out(
    broker: MosquittoBroker, pki: SimulatorPki
) -> None:
    with pytest.raises(CommandTimeout):
        await probe(
            broker.host,
            SERIAL,
            ACCESS_CODE,
            port=broker.port("local"),
            ssl_context=local_ssl_context(pki.ca.cert_pem),
            timeout=0.2,
        )


async def test_probe_ignores_other_reports(
    broker: MosquittoBroker, pki: SimulatorPki, printer: FakePrinter
) -> None:
    printer.reply = "silent"
    task = asyncio.create_task(
        probe(
            broker.host,
            SERIAL,
            ACCESS_CODE,
            port=broker.port("local"),
            ssl_context=local_ssl_context(pki.ca.cert_pem),
        )
    )
    requests = await printer.wait_for_command("get_version")
    sequence = requests[0]["sequence_id"]
    # Junk, other messages, someone else's answer, then ours (sequence as int).
    await printer.publish_raw(b"junk")
    await printer.publish_raw(b"[]")
    await printer.report({"print": {"command": "push_status"}})
    await printer.report(
        {"info": {"command": "get_version", "sequence_id": "1", "module": [0]}}
    )
    await printer.report(
        {
            "info": {
                "command": "get_version",
                "sequence_id": int(sequence),
                "module": [1],
            }
        }
    )
    assert await task == {
        "command": "get_version",
        "sequence_id": int(sequence),
        "module": [1],
    }


async def test_read_printer_serial(broker: MosquittoBroker, pki: SimulatorPki) -> None:
    port = broker.port("local2")
    assert (
        await read_printer_serial(broker.host, port, local_ssl_context(pki.ca.cert_pem))
        == SERIAL2
    )
    # Without verification Python hides the certificate: no serial to compare.
    assert (
        await read_printer_serial(broker.host, port, local_ssl_context(insecure=True))
        is None
    )


# --- TLS contexts -----------------------------------------------------------------


def test_bundled_ca_context() -> None:
    assert BAMBU_CA_PEM.count("BEGIN CERTIFICATE") == 8
    context = local_ssl_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname is False
    assert len(context.get_ca_certs()) == 8
    subjects = {certificate_serial(c) for c in context.get_ca_certs()}
    assert {"BBL CA", "BBL CA2 RSA", "BBL Device CA N7-V2"} <= subjects


def test_custom_and_insecure_contexts(pki: SimulatorPki) -> None:
    custom = local_ssl_context(pki.ca.cert_pem)
    assert [c["subject"] for c in custom.get_ca_certs()] == [
        (
            (("organizationName", "Bambu Simulator"),),
            (("commonName", "Bambu Simulator CA"),),
        )
    ]
    insecure = local_ssl_context(insecure=True)
    assert insecure.verify_mode is ssl.CERT_NONE
    cloud = tls.cloud_ssl_context(pki.ca.cert_pem)
    assert cloud.check_hostname is True
    assert cloud.verify_mode is ssl.CERT_REQUIRED


# --- classification ---------------------------------------------------------------


def _wrapped(inner: BaseException) -> MqttError:
    """What aiomqtt raises: MqttError from None, the cause kept as context."""
    outer = MqttError(str(inner))
    outer.__context__ = inner
    outer.__suppress_context__ = True
    return outer


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (MqttConnectError(5), ConnectionFailure.CREDENTIALS),
        (MqttConnectError(4), ConnectionFailure.CREDENTIALS),
        (MqttConnectError(3), ConnectionFailure.PROTOCOL),
        (
            _wrapped(ssl.SSLCertVerificationError("verify failed")),
            ConnectionFailure.TLS,
        ),
        (_wrapped(ssl.SSLError("wrong version number")), ConnectionFailure.TLS),
        (_wrapped(TimeoutError("timed out")), ConnectionFailure.TIMEOUT),
        (
            _wrapped(ConnectionRefusedError(errno.ECONNREFUSED, "refused")),
            ConnectionFailure.UNREACHABLE,
        ),
        (
            _wrapped(socket.gaierror(-2, "Name or service not known")),
            ConnectionFailure.UNREACHABLE,
        ),
        (
            _wrapped(OSError(errno.EHOSTUNREACH, "No route to host")),
            ConnectionFailure.UNREACHABLE,
        ),
        (_wrapped(OSError(errno.EPERM, "not permitted")), ConnectionFailure.PROTOCOL),
        (MqttError(""), ConnectionFailure.PROTOCOL),
        (ValueError("odd"), ConnectionFailure.PROTOCOL),
    ],
)
def test_classify(error: BaseException, failure: ConnectionFailure) -> None:
    found, message = connect_failures.classify(error, ConnectionFailure.PROTOCOL)
    assert found is failure
    assert message


def test_classify_survives_cycles() -> None:
    first, second = MqttError("a"), MqttError("b")
    first.__context__ = second
    second.__context__ = first
    assert connect_failures.classify(first, ConnectionFailure.UNREACHABLE) == (
        ConnectionFailure.UNREACHABLE,
        "a",
    )


def test_common_name() -> None:
    subject = ((("countryName", "CN"),), (("commonName", SERIAL),))
    assert certificate_serial({"subject": subject}) == SERIAL
    assert certificate_serial({"subject": ((("organizationName", "x"),),)}) is None
    assert certificate_serial({}) is None
    assert certificate_serial(None) is None


async def test_close_late_ignores_connects_that_never_opened() -> None:
    loop = asyncio.get_running_loop()
    cancelled: asyncio.Future[Any] = loop.create_future()
    cancelled.cancel()
    failed: asyncio.Future[Any] = loop.create_future()
    failed.set_exception(ValueError("not an MQTT error"))
    # The client is never touched: these connects left nothing to close.
    await mqtt_client._close_late(None, cancelled)  # type: ignore[arg-type]
    await mqtt_client._close_late(None, failed)  # type: ignore[arg-type]


# --- clean stop -----------------------------------------------------------------------


async def assert_no_tasks_left(before: set[asyncio.Task[Any]]) -> None:
    """Nothing of the link runs after stop().

    The link's own task is gone at once. aiomqtt cancels its helper tasks
    (misc loop, message getter) with call_soon when a connection closes, so
    they end within a few loop iterations: they must not outlive a short wait
    (a socket left open would keep them for paho's 60 s keepalive).
    """
    left = asyncio.all_tasks() - before
    assert not [t for t in left if t.get_name().startswith("bambu_mqtt")]
    helpers = {"Client._misc_loop", "Queue.get"}
    assert {t.get_coro().__qualname__ for t in left} <= helpers, left  # type: ignore[union-attr]
    if left:
        _, pending = await asyncio.wait(left, timeout=1)
        assert not pending


async def test_stop_leaves_no_task_behind(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    before = asyncio.all_tasks()
    link = local_link(broker, pki, recorder)
    await link.start()
    await link.start()  # idempotent
    await link.wait_connected(5)
    assert asyncio.all_tasks() - before  # the link's task ran
    await link.stop()
    await link.stop()  # idempotent
    await assert_no_tasks_left(before)
    assert not link.connected


async def test_stop_while_retrying_leaves_no_task(
    pki: SimulatorPki, recorder: Recorder
) -> None:
    before = asyncio.all_tasks()
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        port=free_port(),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=LinkOptions(backoff_min=60, backoff_max=60),
    )
    await link.start()
    await recorder.wait_for_status(lambda s: s.failure is not None)
    await link.stop()
    await assert_no_tasks_left(before)


async def test_stop_while_connecting_closes_the_connection(
    mute_server: MuteServer, pki: SimulatorPki, recorder: Recorder
) -> None:
    """Cancelled mid-connect, the link waits for aiomqtt and leaves nothing open."""
    before = asyncio.all_tasks()
    link = PrinterLink.local(
        "127.0.0.1",
        SERIAL,
        ACCESS_CODE,
        port=mute_server.port,
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=LinkOptions(connect_timeout=0.2),
    )
    await link.start()
    await mute_server.accepted.wait()  # the connect attempt is under way
    await link.stop()
    await assert_no_tasks_left(before | mute_server.handlers)
    assert recorder.statuses == []
    # The half-open connection was closed, not left to the keepalive.
    done, pending = await asyncio.wait(mute_server.handlers, timeout=2)
    assert done
    assert not pending


async def test_stop_after_a_connect_that_succeeds_during_cancel(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A connect that completes after the cancel is closed, not leaked."""
    clients: list[Any] = []
    created = asyncio.Event()
    real_new_client = mqtt.new_client

    def capture(*args: Any) -> Any:
        clients.append(real_new_client(*args))
        created.set()
        return clients[-1]

    monkeypatch.setattr(mqtt, "new_client", capture)
    before = asyncio.all_tasks()
    link = local_link(broker, pki, recorder)
    await link.start()
    await created.wait()  # the connect attempt is under way
    await link.stop()
    assert not link.connected
    assert len(clients) == 1
    # It did connect, and was disconnected again gracefully.
    assert f"as {clients[0].identifier} " in broker.log_text()
    assert clients[0]._disconnected.done()
    assert clients[0]._disconnected.exception() is None
    await assert_no_tasks_left(before)


# --- hardening (issue 14: points 10, 16, 18) ------------------------------------


async def test_certificate_of_another_printer_is_refused(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    """Point 10: a valid Bambu certificate of another serial is not this printer.

    ``local2`` presents SERIAL2's certificate, signed by the trusted CA, and
    accepts the access code: only the serial check keeps the link down.
    """
    link = local_link(broker, pki, recorder, listener="local2")
    await link.start()
    try:
        status = await recorder.wait_for_status(lambda s: s.failure is not None)
    finally:
        await link.stop()
    assert status.failure is ConnectionFailure.TLS
    assert status.untrusted is True  # raises the untrusted-certificate repair
    assert f"of printer {SERIAL2}, not {SERIAL}" in status.message
    assert not any(s.connected for s in recorder.statuses)
    assert recorder.messages == []


async def test_deeply_nested_messages_are_dropped(
    link: PrinterLink, printer: FakePrinter, recorder: Recorder
) -> None:
    """Point 16: 600 levels neither end the session nor reach the callback."""
    nested: Any = "x"
    for _ in range(600):
        nested = {"a": nested}
    printer.reply = "silent"
    task = asyncio.create_task(
        link.request(SERIAL, {"print": {"command": "pause", "sequence_id": 5}})
    )
    await printer.wait_for_command("pause")
    count = len(recorder.messages)
    # A "reply" to the pending command, nested deep: the old code deep-copied
    # it outside any try and the session ended.
    await printer.report(
        {"print": {"command": "pause", "sequence_id": 5, "deep": nested}}
    )
    await printer.report({"print": {"command": "push_status", "deep": nested}})
    await printer.report({"print": {"command": "pause", "sequence_id": 5}})
    assert await task == {"command": "pause", "sequence_id": 5}
    assert link.connected
    assert [m for _, m in recorder.messages[count:]] == [
        {"print": {"command": "pause", "sequence_id": 5}}
    ]


def test_too_deep() -> None:
    assert not too_deep({"print": {"ams": {"ams": [{"tray": [{"id": "0"}]}]}}})
    assert not too_deep("x")
    nested: Any = 1
    for _ in range(MAX_DEPTH):
        nested = [nested]
    assert not too_deep(nested)
    assert too_deep({"a": nested})
    for _ in range(10_000):  # far past the recursion limit: still an answer
        nested = {"a": nested}
    assert too_deep(nested)


def _message(payload: bytes) -> aiomqtt.Message:
    return aiomqtt.Message(f"device/{SERIAL}/report", payload, 0, False, 1, None)


def test_incoming_queue_drops_the_oldest_report_never_a_reply(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Point 18: a flood is bounded; a command's reply survives it."""
    queue = report_queue.ReportQueue()
    reply = _message(b'{"print": {"command": "pause", "sequence_id": "9"}}')
    queue.put_nowait(reply)
    reports = [
        _message(b'{"print": {"command": "push_status", "n": %d}}' % n)
        for n in range(3 * MAX_QUEUED_MESSAGES)
    ]
    for report in reports:
        queue.put_nowait(report)
    assert queue.qsize() == MAX_QUEUED_MESSAGES
    kept = [queue.get_nowait() for _ in range(queue.qsize())]
    assert kept == [reply, *reports[-(MAX_QUEUED_MESSAGES - 1) :]]
    assert queue.dropped == 2 * MAX_QUEUED_MESSAGES + 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1


def test_incoming_queue_keeps_replies_past_the_bound() -> None:
    queue = report_queue.ReportQueue()
    replies = [
        _message(b'{"print": {"command": "pause", "sequence_id": "%d"}}' % n)
        for n in range(MAX_QUEUED_MESSAGES + 5)
    ]
    for reply in replies:
        queue.put_nowait(reply)
    assert queue.qsize() == len(replies)
    assert queue.dropped == 0


async def test_links_use_the_bounded_queue(
    link: PrinterLink, printer: FakePrinter, recorder: Recorder
) -> None:
    client = link._client
    assert client is not None
    assert isinstance(client._queue, report_queue.ReportQueue)


class _PahoSide:
    """What aiomqtt's write watch asks of paho: the socket, and to write."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.writes = 0

    def socket(self) -> socket.socket:
        return self.sock

    def loop_write(self) -> None:
        self.writes += 1


async def _watch_write(client_class: type[aiomqtt.Client], close_first: bool) -> Any:
    """Ask the client to watch a socket for writing, maybe closing it first."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    ours, theirs = socket.socketpair()
    paho = _PahoSide(ours)
    try:
        client = client_class("127.0.0.1", 1)
        client._on_socket_register_write(paho, None, ours)  # type: ignore[arg-type]
        if close_first:
            ours.close()  # the session ended before the loop got to the watch
        for _ in range(3):
            await asyncio.sleep(0)
        if not close_first:
            loop.remove_writer(ours.fileno())
    finally:
        loop.set_exception_handler(previous)
        ours.close()
        theirs.close()
    return errors, paho.writes


async def test_a_socket_closed_before_its_write_watch_is_left_alone() -> None:
    """No EBADF in the event loop when a session ends right after a publish."""
    errors, writes = await _watch_write(mqtt_client._Client, close_first=True)
    assert errors == []
    assert writes == 0


async def test_an_open_socket_is_watched_for_writing() -> None:
    """The watch still writes what paho queued on a live socket."""
    errors, writes = await _watch_write(mqtt_client._Client, close_first=False)
    assert errors == []
    assert writes >= 1
