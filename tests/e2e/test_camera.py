"""Cameras end to end: the simulated printers' real TLS camera through Home Assistant.

The P1P serves its port-6000 JPEG stream over TLS with a certificate of the
simulator's CA; Home Assistant's camera API and MJPEG endpoint deliver its
frames. A wrong access code, an X1C's RTSPS URL and an account without LAN
addresses are checked the same way, over real sockets.
"""

from __future__ import annotations

from collections.abc import Iterator
import io
import time
from unittest.mock import patch

from homeassistant.components.camera import (
    CameraState,
    async_get_image,
    async_get_stream_source,
)
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud.aiobambulab import camera_feed
from custom_components.bambu_cloud.aiobambulab.catalog import CameraKind
from custom_components.bambu_cloud.camera import BOUNDARY, camera_issue_id
from custom_components.bambu_cloud.const import CONF_PRINTERS, CONF_USE_LAN, DOMAIN
from simulator.printer import SimulatedPrinter
from simulator.world import Simulator
from tests.e2e.helpers import until


@pytest.fixture(autouse=True)
def _quick_retry() -> Iterator[None]:
    """Retry a failed camera within a test's patience."""
    with patch.object(camera_feed, "BACKOFF_START", 0.1):
        yield


def _printer(world: Simulator, kind: CameraKind) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.model.camera is kind)


async def _load(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)


async def _camera(hass: HomeAssistant, serial: str) -> str:
    """The printer's camera entity id, once it has a state."""
    registry = er.async_get(hass)
    unique_id = f"{serial}_camera"
    await until(
        hass,
        lambda: registry.async_get_entity_id("camera", DOMAIN, unique_id) is not None,
    )
    entity_id = registry.async_get_entity_id("camera", DOMAIN, unique_id)
    assert entity_id is not None
    await until(hass, lambda: hass.states.get(entity_id) is not None)
    return entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


def _decoded(jpeg: bytes) -> tuple[int, int]:
    assert jpeg[:2] == b"\xff\xd8"
    assert jpeg[-2:] == b"\xff\xd9"
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG"
        image.load()
        return image.size


async def test_frames_arrive_as_jpegs(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
) -> None:
    """Snapshots and the MJPEG stream carry the printer's real frames."""
    printer = _printer(world, CameraKind.JPEG)
    camera = printer.camera
    assert camera is not None
    await _load(hass, lan_cloud_entry)
    entity_id = await _camera(hass, printer.serial)
    assert _state(hass, entity_id) == CameraState.IDLE

    image = await async_get_image(hass, entity_id)
    assert image.content_type == "image/jpeg"
    assert _decoded(image.content) == (1280, 720)

    client = await hass_client()
    started = time.monotonic()
    response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
    assert response.status == 200
    assert response.headers["Content-Type"] == (
        f"multipart/x-mixed-replace;boundary={BOUNDARY}"
    )
    frames: list[bytes] = []
    buffer = b""
    while len(frames) < 3:  # the first frame twice, then the next one
        buffer += await response.content.readany()
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            continue
        length = int(buffer[:head_end].rsplit(b"Content-Length: ", 1)[1])
        if len(buffer) < head_end + 4 + length + 2:
            continue
        frames.append(buffer[head_end + 4 : head_end + 4 + length])
        buffer = buffer[head_end + 4 + length + 2 :]
    elapsed = time.monotonic() - started
    assert frames[0] == frames[1]
    assert frames[2] != frames[0]
    for frame in frames:
        assert _decoded(frame) == (1280, 720)
    assert _state(hass, entity_id) == CameraState.STREAMING
    assert camera.clients == 1
    assert elapsed < 5  # about one frame a second

    response.close()
    await camera.wait_for(lambda server: server.clients == 0)
    await until(hass, lambda: _state(hass, entity_id) == CameraState.IDLE)


async def test_wrong_access_code_is_unavailable_with_a_reason(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The camera hangs up on a wrong code; the entity says so and recovers."""
    printer = _printer(world, CameraKind.JPEG)
    camera = printer.camera
    assert camera is not None
    await _load(hass, lan_cloud_entry)
    entity_id = await _camera(hass, printer.serial)
    camera.set_access_code("00000000")

    with pytest.raises(HomeAssistantError, match="cannot be reached"):
        await async_get_image(hass, entity_id)
    await until(hass, lambda: _state(hass, entity_id) == STATE_UNAVAILABLE)
    assert f"The camera of {printer.setup.name} is unavailable" in caplog.text
    assert "closed the connection after the hello (credentials)" in caplog.text
    await camera.wait_for(lambda server: server.refused >= 2)
    assert caplog.text.count(f"The camera of {printer.setup.name} is unavailable") == 1

    camera.set_access_code(printer.access_code)
    await until(hass, lambda: _state(hass, entity_id) == CameraState.IDLE)
    image = await async_get_image(hass, entity_id)
    assert _decoded(image.content) == (1280, 720)


async def test_rtsp_printer_stream_source(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    """The X1C's camera is its RTSPS URL with the access code at the LAN address."""
    printer = _printer(world, CameraKind.RTSP)
    await _load(hass, lan_cloud_entry)
    entity_id = await _camera(hass, printer.serial)
    assert await async_get_stream_source(hass, entity_id) == (
        f"rtsps://bblp:{printer.access_code}@127.0.0.1:322/streaming/live/1"
    )


async def test_without_lan_access_the_camera_explains(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Local network turned off: no camera entity, one repair issue per camera."""
    cloud_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        cloud_entry,
        options={
            CONF_PRINTERS: {serial: {CONF_USE_LAN: False} for serial in world.printers}
        },
    )
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    for printer in world.printers.values():
        if printer.model.camera is CameraKind.NONE:
            continue
        issue_id = camera_issue_id(printer.serial)

        def raised(issue_id: str = issue_id) -> bool:
            return issue_registry.async_get_issue(DOMAIN, issue_id) is not None

        await until(hass, raised)
        issue = issue_registry.async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_placeholders == {"name": printer.setup.name}
    assert hass.states.async_entity_ids("camera") == []
