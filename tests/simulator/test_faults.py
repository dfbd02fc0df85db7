"""The simulator's fault hooks, driven by plain MQTT clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
from pathlib import Path
import ssl
from typing import Any

import aiomqtt
import pytest

from simulator.broker import MosquittoBroker
from simulator.faults import MqttProxy, _read_packet
from simulator.mqtt_peer import Endpoint, MqttPeer
from simulator.tls import generate_pki
from simulator.world import Simulator

EMAIL = "maker@example.com"
HOST = "127.0.0.1"


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """One account with one printer, reporting only when told (rate 0)."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(EMAIL, "pw")
    await simulator.add_printer(EMAIL, "p1p-ams", name="Garage")
    async with simulator:
        yield simulator


def _client(world: Simulator, port: int | None = None, **kwargs: Any) -> aiomqtt.Client:
    account = world.accounts[EMAIL]
    return aiomqtt.Client(
        HOST,
        port or world.mqtt_port,
        username=account.mqtt_user,
        password=account.token,
        tls_context=ssl.create_default_context(cadata=world.ca_pem),
        **kwargs,
    )


async def _next_report(client: aiomqtt.Client, timeout: float = 5) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        async for message in client.messages:
            assert isinstance(message.payload, bytes)
            report: dict[str, Any] = json.loads(message.payload)
            return report
    raise AssertionError("no report")  # pragma: no cover


async def test_restart_broker_waits_for_the_printers(world: Simulator) -> None:
    printer = next(iter(world.printers.values()))
    assert printer.cloud_connects == 1
    await world.restart_broker()
    assert printer.cloud_connects == 2
    async with _client(world) as client:
        await client.subscribe(f"device/{printer.serial}/report")
        await printer.publish_raw({"print": {"command": "push_status", "x": 1}})
        assert (await _next_report(client))["print"]["x"] == 1


async def test_swapped_broker_certificate_is_refused_then_restored(
    world: Simulator,
) -> None:
    printer = next(iter(world.printers.values()))
    await world.swap_broker_certificate(trusted=False)
    # The printers trust both CAs and are back; a client that trusts only
    # the simulator's CA is refused.
    assert printer.cloud_connects == 2
    with pytest.raises(aiomqtt.MqttError) as caught:
        async with _client(world):
            pass  # pragma: no cover
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    await world.swap_broker_certificate(trusted=True)
    async with _client(world):
        pass


async def test_swapped_printer_certificate(world: Simulator) -> None:
    printer = next(iter(world.printers.values()))
    context = ssl.create_default_context(cadata=world.ca_pem)
    context.check_hostname = False

    def lan() -> aiomqtt.Client:
        return aiomqtt.Client(
            HOST,
            printer.lan_port,
            username="bblp",
            password=printer.access_code,
            tls_context=context,
        )

    await world.swap_printer_certificate(printer.serial, trusted=False)
    with pytest.raises(aiomqtt.MqttError, match="CERTIFICATE_VERIFY_FAILED"):
        async with lan():
            pass  # pragma: no cover
    await world.swap_printer_certificate(printer.serial, trusted=True)
    async with lan() as client:
        await client.subscribe(f"device/{printer.serial}/report")


async def test_lan_broker_goes_away_and_back(world: Simulator) -> None:
    printer = next(iter(world.printers.values()))
    await printer.set_lan_reachable(False)
    assert not printer.lan_broker.running
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(HOST, printer.lan_port)
    # The cloud still hears the printer.
    async with _client(world) as client:
        await client.subscribe(f"device/{printer.serial}/report")
        await printer.publish_raw({"print": {"command": "push_status", "y": 2}})
        assert (await _next_report(client))["print"]["y"] == 2
    await printer.set_lan_reachable(True)
    assert printer.lan_broker.running
    await printer.stop()
    await printer.set_lan_reachable(True)  # a printer that is off stays off
    assert not printer.lan_broker.running


async def test_proxy_forwards_and_cuts_half_a_publish(world: Simulator) -> None:
    printer = next(iter(world.printers.values()))
    proxy = await world.open_proxy()
    async with _client(world, proxy.port) as client:
        await client.subscribe(f"device/{printer.serial}/report")
        await printer.publish_raw({"print": {"command": "push_status", "z": 3}})
        assert (await _next_report(client))["print"]["z"] == 3
        assert proxy.sessions == 1
        proxy.cut_next_publish().cancel()  # withdrawn: not used
        cut = proxy.cut_next_publish()
        await printer.publish_raw({"print": {"command": "push_status", "z": 4}})
        half = await asyncio.wait_for(cut, 5)
        assert half > 10
        with pytest.raises(aiomqtt.MqttError):
            await _next_report(client)
    assert proxy.accepted == 1
    await _until_no_sessions(proxy)
    # A cut armed and never used is cancelled when the proxy stops.
    unused = proxy.cut_next_publish()
    await proxy.stop()
    assert unused.cancelled()


async def _until_no_sessions(proxy: MqttProxy) -> None:
    async with asyncio.timeout(5):
        while proxy.sessions:
            await asyncio.sleep(0.01)


async def test_proxy_without_a_broker_drops_the_client(world: Simulator) -> None:
    proxy = await world.open_proxy()
    await world.stop_broker()
    with pytest.raises(aiomqtt.MqttError):
        async with _client(world, proxy.port, timeout=1):
            pass  # pragma: no cover
    assert proxy.accepted == 1
    await world.start_broker()


async def test_read_packet_handles_long_lengths() -> None:
    reader = asyncio.StreamReader()
    body = b"x" * 200  # a two-byte remaining length
    reader.feed_data(bytes([0x30, 0xC8, 0x01]) + body)
    assert await _read_packet(reader) == bytes([0x30, 0xC8, 0x01]) + body


async def test_peer_announces_itself_after_a_reconnect(
    tmp_path: Path, socket_enabled: None
) -> None:
    pki = generate_pki(tmp_path / "pki", ["S1"])
    broker = MosquittoBroker(tmp_path / "broker")
    port = broker.add_listener("tls", pki.broker.cert_path, pki.broker.key_path)
    broker.add_user("printer", "pw", ["S1"], role="printer")
    broker.add_user("client", "pw", ["S1"])
    context = ssl.create_default_context(cadata=pki.ca.cert_pem)
    peer = MqttPeer(
        "S1",
        Endpoint(HOST, port, "printer", "pw", context),
        lambda _request: None,
        announce={"event": {"event": "client.connected"}},
    )
    peer.retry_delay = 0.05
    async with broker:
        await peer.start()
        try:
            async with aiomqtt.Client(
                HOST, port, username="client", password="pw", tls_context=context
            ) as client:
                await client.subscribe("device/S1/report")
                # Take over the peer's session: the broker drops the peer,
                # which reconnects and says it is back.
                async with aiomqtt.Client(
                    HOST,
                    port,
                    username="printer",
                    password="pw",
                    tls_context=context,
                    identifier=f"printer-S1-{port}",
                ):
                    pass
                report = await _next_report(client)
        finally:
            await peer.stop()
    assert report == {"event": {"event": "client.connected"}}
    assert peer.connects >= 2
