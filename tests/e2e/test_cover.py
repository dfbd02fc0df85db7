"""The job's cover and details end to end: a real .3mf on the simulated SD card, a cloud task.

A project built in the test (plate G-code, picture, slice info) lies on the
X1C's SD card and is started over the printer's LAN broker; the integration
finds it over FTPS, shows its plate picture and its filament as sensors. A
cloud job's picture comes from the fake cloud's task list instead.
"""

from __future__ import annotations

import io
import time

from homeassistant.components.image import async_get_image
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.aiobambulab.catalog import CameraKind
from custom_components.bambu_cloud.const import DOMAIN
from simulator.firmware import Job
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL
from simulator.threemf import make_3mf
from simulator.world import Simulator, cover_png
from tests.e2e.helpers import until

PROJECT = "e2e_bracket.gcode.3mf"


async def _load(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)


async def _entity(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    registry = er.async_get(hass)
    await until(
        hass,
        lambda: registry.async_get_entity_id(platform, DOMAIN, unique_id) is not None,
    )
    entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None
    return entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


def _printer(world: Simulator, kind: CameraKind) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.model.camera is kind)


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), colour).save(buffer, format="PNG")
    return buffer.getvalue()


# It reads sensors that are off by default.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_cover_and_details_from_the_project_on_the_printer(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    """The X1C prints a .3mf from its SD card: its picture, weight and trays."""
    printer = _printer(world, CameraKind.RTSP)
    serial = printer.serial
    picture = _png("orange")
    (printer.files.root / PROJECT).write_bytes(
        make_3mf(
            name="e2e bracket",
            plates=2,
            layers=[20, 30],
            prediction_seconds=[600, 900],
            weight_grams=[7.5, 21.25],
            filaments=[("PLA", "#F2754E", 15.0), ("PETG", "#1F79E5", 6.25)],
            cover_png=picture,
        )
    )
    await _load(hass, lan_cloud_entry)
    status = await _entity(hass, "sensor", f"{serial}_print_status")
    cover = await _entity(hass, "image", f"{serial}_cover")
    weight = await _entity(hass, "sensor", f"{serial}_print_weight")
    length = await _entity(hass, "sensor", f"{serial}_print_length")
    first_tray = await _entity(hass, "sensor", f"{serial}_tray_print_weight_0_0")
    second_tray = await _entity(hass, "sensor", f"{serial}_tray_print_weight_0_1")
    await until(hass, lambda: _state(hass, weight) is not None)

    coordinator = lan_cloud_entry.runtime_data.printers[serial]
    started = time.monotonic()
    await coordinator.printer.start_print(PROJECT, plate=2, ams_mapping=[0, 1])
    await until(hass, lambda: _state(hass, weight) == "21.25")
    ready = time.monotonic() - started

    assert float(_state(hass, length) or 0) == pytest.approx((15.0 + 6.25) / 3, 0.01)
    assert _state(hass, first_tray) == "15.0"
    assert _state(hass, second_tray) == "6.25"
    weight_state = hass.states.get(weight)
    assert weight_state is not None
    assert weight_state.attributes["filaments"][1] == {
        "type": "PETG",
        "color": "#1F79E5",
        "weight": 6.25,
        "length": 2.08,
    }
    image = await async_get_image(hass, cover)
    assert image.content == picture
    assert image.content_type == "image/png"
    shown = hass.states.get(cover)
    assert shown is not None
    assert shown.state != STATE_UNKNOWN

    # The job runs on: reports do not fetch or change the picture again.
    fetched = [c for c in printer.files.commands if c.startswith("RETR")]
    assert fetched == [f"RETR /{PROJECT}"]
    await printer.advance(120)
    await until(hass, lambda: _state(hass, status) == "running")
    later = hass.states.get(cover)
    assert later is not None
    assert later.last_updated == shown.last_updated
    assert [c for c in printer.files.commands if c.startswith("RETR")] == fetched
    assert ready < 5


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # Print length
async def test_cover_of_a_cloud_job(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """A job the cloud started: its task's cover picture and totals."""
    # The A1: idle, and without a LAN address in this entry.
    printer = next(
        p
        for p in world.printers.values()
        if p.firmware.job is None and p.has_jpeg_camera
    )
    task_id = 880_001
    picture = cover_png("Cloud vase")
    world.cloud.covers[f"task-{task_id}.png"] = picture
    world.accounts[DEMO_EMAIL].tasks.insert(
        0,
        {
            "id": task_id,
            "title": "Cloud vase",
            "cover": f"{world.api_url}/covers/task-{task_id}.png",
            "status": 4,
            "weight": 33.3,
            "length": 11100,
            "deviceId": printer.serial,
            "plateIndex": 1,
            "amsDetailMapping": [],
            "mode": "cloud_file",
        },
    )
    await _load(hass, cloud_entry)
    cover = await _entity(hass, "image", f"{printer.serial}_cover")
    weight = await _entity(hass, "sensor", f"{printer.serial}_print_weight")
    length = await _entity(hass, "sensor", f"{printer.serial}_print_length")

    printer.start_job(Job(name="Cloud vase"))
    printer.firmware.state.update({"task_id": str(task_id), "print_type": "cloud"})
    await printer.flush()
    await until(hass, lambda: _state(hass, weight) == "33.3")
    assert _state(hass, length) == "11.1"
    await until(hass, lambda: _state(hass, cover) not in (None, STATE_UNKNOWN))
    image = await async_get_image(hass, cover)
    assert image.content == picture
