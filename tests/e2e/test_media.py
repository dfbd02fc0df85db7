"""The printer's storage end to end: the demo world over real MQTT (Mosquitto) and FTPS.

Each simulated printer's storage is stocked with real ffmpeg-made
timelapses (MP4 on the X1 Carbon, MJPEG AVI on a P1/A1) and print files.
Home Assistant browses it in the Media panel, plays a timelapse through a
signed link (checked with ffprobe), reprints a stored project in the
simulated firmware, and runs it from the print queue.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from homeassistant.components import media_source
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.bambu_cloud.const import DOMAIN
from simulator.printer import SimulatedPrinter
from simulator.storage import stock
from simulator.threemf import make_3mf
from simulator.world import Simulator
from tests.e2e.test_print_file import entity_id, idle_x1c, setup_entry, state, until


def jpeg_printer(world: Simulator) -> SimulatedPrinter:
    """A P1/A1 of the demo: it records AVI timelapses."""
    return next(p for p in world.printers.values() if p.has_jpeg_camera)


def idle_a1(world: Simulator) -> SimulatedPrinter:
    """The demo's A1: idle, an AMS Lite, PLA on the external spool."""
    return next(p for p in world.printers.values() if p.model.key == "A1")


async def ffprobe(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "played.mp4"
    path.write_bytes(data)
    process = await asyncio.create_subprocess_exec(
        "ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
        "-count_frames", str(path),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    assert process.returncode == 0
    result: dict[str, Any] = json.loads(out)
    return result


async def test_browse_and_play_timelapses_of_the_demo_printers(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    hass.config.config_dir = str(tmp_path / "config")  # its own cache
    x1c, p1 = idle_x1c(world), jpeg_printer(world)
    await stock(x1c.files.root, avi=False)
    await stock(p1.files.root, avi=True)
    assert await async_setup_component(hass, "media_source", {})
    await setup_entry(hass, lan_cloud_entry, x1c)

    root = await media_source.async_browse_media(hass, f"media-source://{DOMAIN}")
    assert root.title == "Bambu Lab"
    by_serial = {c.media_content_id.rsplit("/", 1)[1]: c for c in root.children}
    assert {x1c.serial, p1.serial} <= by_serial.keys()

    websocket = await hass_ws_client(hass)
    anonymous = await hass_client_no_auth()
    for printer, suffix in ((x1c, "mp4"), (p1, "avi")):
        folder = by_serial[printer.serial].media_content_id + "/timelapse"
        timelapses = await media_source.async_browse_media(hass, folder)
        newest = timelapses.children[0]
        assert newest.title == f"video_2026-12-02_10-00-00.{suffix}"
        await websocket.send_json_auto_id(
            {
                "type": "media_source/resolve_media",
                "media_content_id": newest.media_content_id,
            }
        )
        reply = await websocket.receive_json()
        assert reply["success"], reply
        response = await anonymous.get(reply["result"]["url"])
        assert response.status == 200
        info = await ffprobe(await response.read(), tmp_path)
        assert info["streams"][0]["codec_name"] == "h264"
        assert int(info["streams"][0]["nb_read_frames"]) == 20


async def test_reprint_a_stored_project_and_run_the_queue(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    printer = idle_a1(world)  # PLA on the external spool
    await stock(printer.files.root, avi=True)  # cube: PLA; benchy: PETG
    device = await setup_entry(hass, lan_cloud_entry, printer)
    status = await entity_id(hass, "sensor", f"{printer.serial}_print_status")
    await until(hass, lambda: state(hass, status) == "idle")
    entry = hass.config_entries.async_get_entry(lan_cloud_entry.entry_id)
    assert entry is not None
    coordinator = entry.runtime_data.printers[printer.serial]
    trays = {
        (tray.ams_id, tray.slot): tray.type
        for unit in coordinator.ams_units.values()
        for tray in unit.trays
    }
    pla = next(f"{'ABCD'[a]}{s + 1}" for (a, s), t in trays.items() if t == "PLA")
    not_petg = next(
        (f"{'ABCD'[a]}{s + 1}", t)
        for (a, s), t in trays.items()
        if t and t != "PETG" and a < 4
    )

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "print_stored_file",
            {
                "device_id": device,
                "path": "/cache/benchy.gcode.3mf",
                "ams_mapping": [not_petg[0]],
            },
            blocking=True,
        )
    assert caught.value.translation_key == "filament_mismatch"
    assert caught.value.translation_placeholders["mismatches"] == (
        f"1 PETG → {not_petg[0]}: {not_petg[1]}"
    )
    assert printer.firmware.job is None  # nothing was sent

    # A matching reprint runs in the firmware, from the file on the card.
    queue = await entity_id(hass, "todo", f"{printer.serial}_print_queue")
    cleared = await entity_id(hass, "button", f"{printer.serial}_plate_cleared")
    await hass.services.async_call(
        DOMAIN,
        "print_stored_file",
        {"device_id": device, "path": "/cube.gcode.3mf", "ams_mapping": [pla]},
        blocking=True,
    )
    job = printer.firmware.job
    assert job is not None
    assert job.name == "cube"
    await until(hass, lambda: state(hass, status) == "prepare")
    await printer.advance(job.prepare_seconds + job.print_seconds + 1)
    await until(hass, lambda: state(hass, status) == "finish")

    # Without a mapping the queue prints from the external spool: a file of
    # another material is held, the next one, of the spool's (PLA), starts.
    other = "PETG"
    for name, kind in (("other", other), ("spool", "PLA")):
        (printer.files.root / "cache" / f"{name}.gcode.3mf").write_bytes(
            make_3mf(
                name=name,
                layers=10,
                prediction_seconds=60,
                weight_grams=1.0,
                filaments=[(kind, "#FFFFFF", 1.0)],
            )
        )
        await hass.services.async_call(
            "todo",
            "add_item",
            {"item": f"printer:/cache/{name}.gcode.3mf"},
            target={"entity_id": queue},
            blocking=True,
        )
    await hass.async_block_till_done()
    assert printer.firmware.job is None  # the plate is not cleared yet
    await hass.services.async_call(
        "button", "press", target={"entity_id": cleared}, blocking=True
    )
    await until(hass, lambda: printer.firmware.job is not None)
    assert printer.firmware.job.name == "spool"  # type: ignore[union-attr]
    result: dict[str, Any] = await hass.services.async_call(
        "todo",
        "get_items",
        {},
        target={"entity_id": queue},
        blocking=True,
        return_response=True,
    )
    held, started = result[queue]["items"]
    assert held["description"].startswith("Held: ")
    assert "1 PETG → external: PLA" in held["description"]
    assert started["status"] == "needs_action"
    assert "description" not in started or not started["description"]
