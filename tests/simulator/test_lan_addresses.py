"""Simulated printers at addresses of their own: found as real ones are.

A client learns nothing but what a real one would: the printer's address
from its report (``net.info[0].ip``), its access code from the account's
device list, and a real printer's ports.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_socket import socket_allow_hosts

from custom_components.bambu_cloud.aiobambulab import commands
from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.errors import (
    ConnectError,
    ConnectionFailure,
)
from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions, PrinterLink
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.cloud import Kind
from simulator.world import Simulator

from .test_world import Inbox

EMAIL = "maker@example.com"
PASSWORD = "s3cret-pass"
FAST = LinkOptions(connect_timeout=5, backoff_min=0.05, backoff_max=0.2)


@pytest.fixture
def loopback(socket_enabled: None) -> None:
    """Connections to any loopback address (the printers' own), nothing else."""
    socket_allow_hosts(["127.0.0.0/8"], allow_unix_socket=True)


@pytest.fixture
async def world(tmp_path: Path, loopback: None) -> AsyncIterator[Simulator]:
    """An account with a P1P and an X1C, each at an address of its own."""
    simulator = Simulator(tmp_path / "world", rate_hz=0, lan_addresses=True)
    simulator.add_account(EMAIL, PASSWORD, kind=Kind.DIRECT)
    await simulator.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    await simulator.add_printer(EMAIL, "x1c-multi-ams", name="Workshop X1C")
    async with simulator:
        yield simulator


async def _reported_state(world: Simulator, serial: str) -> PrinterState:
    """The printer's full report, heard through the account's cloud broker."""
    account = world.accounts[EMAIL]
    inbox = Inbox()
    link = PrinterLink.cloud(
        account.uid,
        account.token,
        [serial],
        on_message=inbox.on_message,
        host="127.0.0.1",
        port=world.mqtt_port,
        ca_pem=world.ca_pem,
        options=FAST,
    )
    await link.start()
    try:
        await link.wait_connected(10)
        await link.publish(serial, commands.pushall())
        await inbox.wait(
            lambda: serial in inbox.states and inbox.states[serial].has_full_report
        )
    finally:
        await link.stop()
    return inbox.states[serial]


async def _devices(world: Simulator) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(session, world.api_url, timeout=5)
        await cloud.login(EMAIL, PASSWORD)
        return {device.serial: device for device in await cloud.get_devices()}


async def test_printer_is_reached_at_the_address_it_reports(world: Simulator) -> None:
    """Address from the report, code from the device list, a real printer's ports."""
    devices = await _devices(world)
    for serial, printer in world.printers.items():
        assert printer.address != "127.0.0.1"
        state = await _reported_state(world, serial)
        assert state.ip_address == printer.address
        assert devices[serial].access_code == printer.access_code
        inbox = Inbox()
        link = PrinterLink.local(
            state.ip_address,
            serial,
            devices[serial].access_code,
            on_message=inbox.on_message,
            ca_pem=world.ca_pem,
            options=FAST,
        )  # port 8883, the default
        await link.start()
        try:
            await link.wait_connected(10)
            await link.publish(serial, commands.pushall())
            await inbox.wait(lambda s=serial, i=inbox: s in i.states)
        finally:
            await link.stop()
        files = PrinterFiles(
            state.ip_address,
            devices[serial].access_code,
            ssl_context=local_ssl_context(world.ca_pem),
            serial=serial,
        )  # port 990, the default
        async with files:
            await files.upload("probe.gcode", b"G28\n")
        assert (printer.files.root / "probe.gcode").read_bytes() == b"G28\n"


async def test_printer_certificate_names_only_its_own_serial(world: Simulator) -> None:
    """One printer's address does not pass for another's (CN = serial)."""
    garage, workshop = list(world.printers)
    link = PrinterLink.local(
        world.printers[garage].address,
        workshop,  # expected there, but the garage printer answers
        world.printers[garage].access_code,
        on_message=lambda serial, message: None,
        ca_pem=world.ca_pem,
        options=FAST,
    )
    await link.start()
    try:
        with pytest.raises(ConnectError) as caught:
            await link.wait_connected(10)
    finally:
        await link.stop()
    assert caught.value.reason is ConnectionFailure.TLS
    assert f"of printer {garage}, not {workshop}" in str(caught.value)


async def test_default_world_reports_an_address_out_of_reach(
    tmp_path: Path, socket_enabled: None
) -> None:
    """Without addresses of their own, printers report a documentation network."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(EMAIL, PASSWORD, kind=Kind.DIRECT)
    printer = await simulator.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    async with simulator:
        state = await _reported_state(simulator, printer.serial)
    assert printer.address == "127.0.0.1"
    assert state.ip_address is not None
    assert state.ip_address.startswith("192.0.2.")
