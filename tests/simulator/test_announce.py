"""The simulated printers announce themselves over real UDP on loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path

from custom_components.bambu_cloud.aiobambulab.discovery import (
    Announcement,
    AnnouncementListener,
)
from simulator.cloud import Kind
from simulator.world import Simulator

EMAIL = "maker@example.com"
PASSWORD = "secret-password"


async def test_running_printers_announce_themselves(
    tmp_path: Path, socket_enabled: None
) -> None:
    """Serial, address, model code and name, as a real printer sends them."""
    heard: asyncio.Queue[Announcement] = asyncio.Queue()
    listener = AnnouncementListener(heard.put_nowait)
    await listener.start("127.0.0.1", 0)
    assert listener.port is not None
    world = Simulator(tmp_path / "world", rate_hz=0, announce_port=listener.port)
    world.add_account(EMAIL, PASSWORD, kind=Kind.CODE)
    p1p = await world.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    x1c = await world.add_printer(EMAIL, "x1c-multi-ams", name="Workshop X1C")
    assert world.announcer is not None
    try:
        async with world:
            first = [await asyncio.wait_for(heard.get(), 10) for _ in range(2)]
            assert {(a.serial, a.host, a.model.key, a.name) for a in first} == {
                (p1p.serial, "127.0.0.1", "P1P", "Garage P1P"),
                (x1c.serial, "127.0.0.1", "X1C", "Workshop X1C"),
            }
            # A printer that is switched off says nothing; one that moved
            # announces its new address.
            await x1c.set_online(False)
            world.announcer.host_of[p1p.serial] = "127.0.0.2"
            sent = world.announcer.sent
            world.announcer.announce()
            assert world.announcer.sent == sent + 1
            moved = await asyncio.wait_for(heard.get(), 10)
            assert (moved.serial, moved.host) == (p1p.serial, "127.0.0.2")
    finally:
        listener.stop()
    assert world.announcer.sent >= 3
