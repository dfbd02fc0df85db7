"""The camera platform: a real port-6000 camera server, RTSP URLs, no-LAN repairs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import dataclasses
from datetime import UTC, datetime
import io
from typing import Any
from unittest.mock import AsyncMock, patch

import aiohttp
from homeassistant.components.camera import (
    DOMAIN as CAMERA_DOMAIN,
    CameraState,
    async_get_image,
    async_get_stream_source,
)
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.components.camera.helper import get_camera_from_entity_id
from homeassistant.const import (
    ATTR_SUPPORTED_FEATURES,
    CONF_HOST,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud import camera as camera_module
from custom_components.bambu_cloud.aiobambulab import camera_feed
from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.camera import (
    BOUNDARY,
    JpegPrinterCamera,
    camera_issue_id,
)
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_KIND,
    CONF_PRINTERS,
    CONF_SERIAL,
    CONF_USE_LAN,
    DOMAIN,
    EntryKind,
)
from simulator.camera import CameraServer
from simulator.cloud import FakeCloud
from simulator.frames import render_frame
from simulator.tls import SimulatorPki, generate_pki
from tests.cloud_helpers import CLOUD_SERIAL, add_account, cloud_entry
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink

ACCESS_CODE = "12345678"


@pytest.fixture(autouse=True)
def _camera_platform_only() -> Iterator[None]:
    """Only the camera platform; quick backoff."""
    with (
        patch("custom_components.bambu_cloud.PLATFORMS", [Platform.CAMERA]),
        patch.object(camera_feed, "BACKOFF_START", 0.05),
    ):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA and the printer's certificate."""
    return generate_pki(tmp_path_factory.mktemp("camera-pki"), [LAN_SERIAL])


class Frames:
    """Small real JPEGs, a new one per call."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> bytes:
        self.count += 1
        return render_frame(
            "P1P",
            state="running",
            progress=self.count % 100,
            now=datetime(2026, 5, 1, tzinfo=UTC),
            size=(160, 90),
        )


@pytest.fixture
async def server(
    pki: SimulatorPki, socket_enabled: None
) -> AsyncIterator[CameraServer]:
    """The printer's camera, 20 frames a second."""
    leaf = pki.printers[LAN_SERIAL]
    async with CameraServer(
        leaf.cert_path, leaf.key_path, ACCESS_CODE, Frames(), fps=20
    ) as camera:
        yield camera


def camera_entry(pki: SimulatorPki, port: int) -> MockConfigEntry:
    """A LAN entry whose camera is at ``port``, trusting the simulator CA."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=LAN_SERIAL,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_HOST: "127.0.0.1",
            CONF_SERIAL: LAN_SERIAL,
            CONF_ACCESS_CODE: ACCESS_CODE,
            CONF_CAMERA_PORT: port,
            CONF_CA_CERT: pki.ca.cert_pem,
        },
    )


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, capture: str = "p1p-ams"
) -> str:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(entry.data.get(CONF_SERIAL, CLOUD_SERIAL), get_version(capture))
    link.deliver(entry.data.get(CONF_SERIAL, CLOUD_SERIAL), pushall(capture))
    await hass.async_block_till_done()
    serial = entry.data.get(CONF_SERIAL, CLOUD_SERIAL)
    entity_id = er.async_get(hass).async_get_entity_id(
        CAMERA_DOMAIN, DOMAIN, f"{serial}_camera"
    )
    assert entity_id is not None
    return entity_id


async def _until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not predicate():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def assert_jpeg(data: bytes) -> tuple[int, int]:
    """A complete JPEG that decodes; its size."""
    assert data[:2] == b"\xff\xd8"
    assert data[-2:] == b"\xff\xd9"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        image.load()
        return image.size


async def read_parts(response: aiohttp.ClientResponse, count: int) -> list[bytes]:
    """The first ``count`` JPEG parts of a multipart MJPEG response."""
    assert response.status == 200
    assert response.headers["Content-Type"] == (
        f"multipart/x-mixed-replace;boundary={BOUNDARY}"
    )
    buffer = b""
    parts: list[bytes] = []
    while len(parts) < count:
        buffer += await response.content.readany()
        while True:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end < 0:
                break
            head = buffer[:head_end].decode()
            assert head.startswith(f"--{BOUNDARY}\r\n"), head
            length = int(head.rsplit("Content-Length: ", 1)[1])
            end = head_end + 4 + length
            if len(buffer) < end + 2:
                break
            parts.append(buffer[head_end + 4 : end])
            assert buffer[end : end + 2] == b"\r\n"
            buffer = buffer[end + 2 :]
    return parts


def _entity(hass: HomeAssistant, entity_id: str) -> JpegPrinterCamera:
    camera = get_camera_from_entity_id(hass, entity_id)
    assert isinstance(camera, JpegPrinterCamera)
    return camera


# --- the port-6000 JPEG camera ---------------------------------------------------------


@pytest.mark.usefixtures("fake_link")
async def test_snapshot_is_a_jpeg_from_the_printer(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """A snapshot connects, takes one frame and hangs up; a second reuses it."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    assert _state(hass, entity_id) == CameraState.IDLE
    assert server.clients == 0  # nothing connects before someone looks

    image = await async_get_image(hass, entity_id)
    assert image.content_type == "image/jpeg"
    assert assert_jpeg(image.content) == (160, 90)
    await server.wait_for(lambda s: s.clients == 0)
    sent = server.frames_sent

    again = await async_get_image(hass, entity_id)
    assert again.content == image.content  # fresh enough: no new connection
    assert server.frames_sent == sent
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == CameraState.IDLE
    assert not state.attributes.get(ATTR_SUPPORTED_FEATURES)


@pytest.mark.usefixtures("fake_link")
async def test_mjpeg_viewers_share_one_connection(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
) -> None:
    """Two viewers, one printer connection, closed when the last one leaves."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    client = await hass_client()
    url = f"/api/camera_proxy_stream/{entity_id}"

    first = await client.get(url)
    parts = await read_parts(first, 3)
    assert parts[0] == parts[1]  # the first frame twice, for browsers
    for part in parts:
        assert_jpeg(part)
    assert _state(hass, entity_id) == CameraState.STREAMING

    second = await client.get(url)
    assert len(await read_parts(second, 2)) == 2
    assert server.clients == 1
    camera = _entity(hass, entity_id)
    feed = camera._feed
    assert feed is not None
    assert feed.viewers == 2

    # A snapshot while streaming is the newest frame, not a new connection.
    image = await async_get_image(hass, entity_id)
    assert image.content == feed._frame
    assert server.clients == 1

    first.close()
    await _until(hass, lambda: feed.viewers == 1)
    assert server.clients == 1
    second.close()
    await _until(hass, lambda: feed.viewers == 0)
    await server.wait_for(lambda s: s.clients == 0)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.IDLE)


@pytest.mark.usefixtures("fake_link")
async def test_wrong_access_code_makes_it_unavailable_until_it_works(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The printer hangs up on a wrong code: unavailable, logged once, retried."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    server.set_access_code("87654321")

    with pytest.raises(HomeAssistantError, match="cannot be reached"):
        await async_get_image(hass, entity_id)
    await hass.async_block_till_done()
    assert _state(hass, entity_id) == STATE_UNAVAILABLE
    feed = _entity(hass, entity_id)._feed
    assert feed is not None
    assert feed.error is not None
    assert feed.error.reason is ConnectionFailure.CREDENTIALS
    # The background probe keeps failing, without logging it again.
    await server.wait_for(lambda s: s.refused >= 3)
    assert caplog.text.count("The camera of Garage is unavailable") == 1
    assert "closed the connection after the hello" in caplog.text

    # A viewer meanwhile is refused at once (502), not kept waiting.
    client = await hass_client()
    response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
    assert response.status == 502

    server.set_access_code(ACCESS_CODE)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.IDLE)
    assert "The camera of Garage works again" in caplog.text
    await server.wait_for(lambda s: s.clients == 0)  # the probe hung up


@pytest.mark.usefixtures("fake_link")
async def test_always_on_keeps_the_connection(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """The always-on setting streams without viewers until it is switched off."""
    entry = camera_entry(pki, server.port)
    entity_id = await _setup(hass, entry)
    coordinator = entry.runtime_data.printers[LAN_SERIAL]

    coordinator.set_camera_always_on(True)
    await server.wait_for(lambda s: s.clients == 1 and s.frames_sent >= 2)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.STREAMING)
    sent = server.frames_sent
    image = await async_get_image(hass, entity_id)
    assert_jpeg(image.content)
    assert server.clients == 1

    coordinator.set_camera_always_on(False)
    await server.wait_for(lambda s: s.clients == 0)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.IDLE)
    assert server.frames_sent >= sent


@pytest.mark.usefixtures("fake_link")
async def test_stream_reconnects_after_the_printer_drops_it(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
) -> None:
    """A viewer keeps its stream while the camera comes back."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    client = await hass_client()
    response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
    await read_parts(response, 2)

    await server.stop()
    await _until(hass, lambda: _state(hass, entity_id) == STATE_UNAVAILABLE)
    await server.start()
    parts = await read_parts(response, 3)
    for part in parts:
        assert_jpeg(part)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.STREAMING)
    response.close()
    await server.wait_for(lambda s: s.clients == 0)


@pytest.mark.usefixtures("fake_link")
async def test_viewer_gives_up_without_frames(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
) -> None:
    """Without a frame for a while the MJPEG response ends."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    await server.stop()
    with patch.object(camera_feed, "VIEWER_PATIENCE", 0.3):
        client = await hass_client()
        response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
        assert response.status == 502
    feed = _entity(hass, entity_id)._feed
    assert feed is not None
    await _until(hass, lambda: feed.viewers == 0)


@pytest.mark.usefixtures("fake_link")
async def test_removed_camera_stops(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """Unloading the entry closes the always-on connection."""
    entry = camera_entry(pki, server.port)
    await _setup(hass, entry)
    entry.runtime_data.printers[LAN_SERIAL].set_camera_always_on(True)
    await server.wait_for(lambda s: s.clients == 1)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await server.wait_for(lambda s: s.clients == 0)


@pytest.mark.usefixtures("fake_link")
async def test_camera_follows_the_printer_to_a_new_address(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """The printer found elsewhere (new address or port): the camera goes there.

    Always on, it stays on at the new place; the old place hears no more.
    """
    entry = camera_entry(pki, server.port)
    entity_id = await _setup(hass, entry)
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    coordinator.set_camera_always_on(True)
    await server.wait_for(lambda s: s.clients == 1)
    leaf = pki.printers[LAN_SERIAL]
    async with CameraServer(
        leaf.cert_path, leaf.key_path, ACCESS_CODE, Frames(), fps=20
    ) as moved:
        access = coordinator.local_access
        assert access is not None
        coordinator.async_set_local_access(
            dataclasses.replace(access, camera_port=moved.port)
        )
        FakeLink.links[-1].deliver(
            LAN_SERIAL, {"print": {"command": "push_status", "mc_percent": 7}}
        )
        await hass.async_block_till_done()
        await server.wait_for(lambda s: s.clients == 0)
        await moved.wait_for(lambda s: s.clients == 1)  # still always on
        image = await async_get_image(hass, entity_id)
        assert assert_jpeg(image.content) == (160, 90)
        assert server.served == 1  # nothing asked of the old place since
        assert await hass.config_entries.async_unload(entry.entry_id)
        await moved.wait_for(lambda s: s.clients == 0)


# --- RTSP cameras -----------------------------------------------------------------------


@pytest.mark.usefixtures("fake_link")
async def test_rtsp_stream_source_and_snapshot(hass: HomeAssistant) -> None:
    """X1 cameras stream RTSPS with the access code; ffmpeg takes snapshots."""
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    entity_id = er.async_get(hass).async_get_entity_id(
        CAMERA_DOMAIN, DOMAIN, f"{LAN_SERIAL}_camera"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == CameraState.IDLE
    assert state.attributes[ATTR_SUPPORTED_FEATURES] == CameraEntityFeature.STREAM
    url = "rtsps://bblp:12345678@192.0.2.10:322/streaming/live/1"
    assert await async_get_stream_source(hass, entity_id) == url

    with patch.object(
        camera_module.ffmpeg, "async_get_image", AsyncMock(return_value=b"jpeg")
    ) as grab:
        image = await async_get_image(hass, entity_id, width=640, height=360)
    assert image.content == b"jpeg"
    grab.assert_awaited_once_with(hass, url, width=640, height=360)

    # The printer's own URL gives port and path; the user's address is kept.
    link.deliver(
        LAN_SERIAL,
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "ipcam": {"rtsp_url": "rtsps://10.0.0.9:8322/streaming/live/2"},
            }
        },
    )
    await hass.async_block_till_done()
    assert await async_get_stream_source(hass, entity_id) == (
        "rtsps://bblp:12345678@192.0.2.10:8322/streaming/live/2"
    )


@pytest.mark.usefixtures("fake_link")
async def test_rtsp_live_view_off(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A printer with LAN live view off: unavailable, said once, back when on."""
    _entry, link = await setup_capture(hass, "p2s")
    entity_id = er.async_get(hass).async_get_entity_id(
        CAMERA_DOMAIN, DOMAIN, f"{LAN_SERIAL}_camera"
    )
    assert entity_id is not None
    assert _state(hass, entity_id) == STATE_UNAVAILABLE
    assert caplog.text.count("LAN live view is off") == 1
    assert await async_get_stream_source(hass, entity_id) is None
    camera = get_camera_from_entity_id(hass, entity_id)
    assert await camera.async_camera_image() is None

    def ipcam(url: str) -> dict[str, Any]:
        return {
            "print": {"command": "push_status", "msg": 1, "ipcam": {"rtsp_url": url}}
        }

    link.deliver(LAN_SERIAL, ipcam("rtsps://192.0.2.10/streaming/live/1"))
    await hass.async_block_till_done()
    assert _state(hass, entity_id) == CameraState.IDLE
    assert "LAN live view of p2s printer is on again" in caplog.text
    link.deliver(LAN_SERIAL, ipcam("disable"))
    await hass.async_block_till_done()
    assert _state(hass, entity_id) == STATE_UNAVAILABLE
    assert caplog.text.count("LAN live view is off") == 2


# --- without LAN access -------------------------------------------------------------


@pytest.fixture
async def fake_cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake Bambu cloud with one account and printer."""
    cloud = FakeCloud()
    add_account(cloud)
    await cloud.start()
    try:
        yield cloud
    finally:
        await cloud.stop()


@pytest.mark.usefixtures("fake_link")
@pytest.mark.parametrize("capture", ["p1p-ams", "x1c-multi-ams"])
async def test_camera_without_lan_access(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,
    issue_registry: ir.IssueRegistry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    capture: str,
) -> None:
    """No camera entity with the LAN turned off; it comes with the options."""
    entry = cloud_entry(
        fake_cloud, **{CONF_PRINTERS: {CLOUD_SERIAL: {CONF_USE_LAN: False}}}
    )
    entry.add_to_hass(hass)
    # A camera entity from a time the printer's LAN address was set.
    entity_registry.async_get_or_create(
        CAMERA_DOMAIN, DOMAIN, f"{CLOUD_SERIAL}_camera", config_entry=entry
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(CLOUD_SERIAL, get_version(capture))
    link.deliver(CLOUD_SERIAL, pushall(capture))
    link.deliver(CLOUD_SERIAL, pushall(capture))  # asked again: said once
    await hass.async_block_till_done()

    assert hass.states.async_entity_ids(CAMERA_DOMAIN) == []
    assert (
        entity_registry.async_get_entity_id(
            CAMERA_DOMAIN, DOMAIN, f"{CLOUD_SERIAL}_camera"
        )
        is None
    )
    issue = issue_registry.async_get_issue(DOMAIN, camera_issue_id(CLOUD_SERIAL))
    assert issue is not None
    assert issue.translation_key == "camera_needs_lan"
    assert issue.translation_placeholders == {"name": "Workshop"}
    assert not issue.is_fixable
    assert caplog.text.count("needs the printer's IP address and access code") == 1

    # The user gives the printer's address and access code: the entry
    # reloads, the camera is there and the issue is gone.
    hass.config_entries.async_update_entry(
        entry,
        options={
            CONF_PRINTERS: {
                CLOUD_SERIAL: {CONF_HOST: "192.0.2.20", CONF_ACCESS_CODE: "13572468"}
            }
        },
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(CLOUD_SERIAL, get_version(capture))
    link.deliver(CLOUD_SERIAL, pushall(capture))
    await hass.async_block_till_done()
    (camera,) = hass.states.async_entity_ids(CAMERA_DOMAIN)
    assert _state(hass, camera) != STATE_UNAVAILABLE
    assert issue_registry.async_get_issue(DOMAIN, camera_issue_id(CLOUD_SERIAL)) is None


@pytest.mark.usefixtures("fake_link")
async def test_camera_issue_goes_with_the_entry(
    hass: HomeAssistant, fake_cloud: FakeCloud, issue_registry: ir.IssueRegistry
) -> None:
    """Unloading the entry drops the camera's repair issue."""
    entry = cloud_entry(
        fake_cloud, **{CONF_PRINTERS: {CLOUD_SERIAL: {CONF_USE_LAN: False}}}
    )
    await _setup_without_camera(hass, entry)
    assert issue_registry.async_get_issue(DOMAIN, camera_issue_id(CLOUD_SERIAL))
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, camera_issue_id(CLOUD_SERIAL)) is None


async def _setup_without_camera(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(CLOUD_SERIAL, get_version("p1p-ams"))
    link.deliver(CLOUD_SERIAL, pushall("p1p-ams"))
    await hass.async_block_till_done()


@pytest.mark.usefixtures("fake_link")
async def test_lan_access_configured_clears_the_issue(
    hass: HomeAssistant, fake_cloud: FakeCloud, issue_registry: ir.IssueRegistry
) -> None:
    """With the printer's address in the options there is no issue."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        camera_issue_id(CLOUD_SERIAL),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="camera_needs_lan",
    )
    entry = cloud_entry(
        fake_cloud,
        **{
            CONF_PRINTERS: {
                CLOUD_SERIAL: {CONF_HOST: "192.0.2.20", CONF_ACCESS_CODE: "13572468"}
            }
        },
    )
    entity_id = await _setup(hass, entry)
    assert _state(hass, entity_id) == CameraState.IDLE
    assert issue_registry.async_get_issue(DOMAIN, camera_issue_id(CLOUD_SERIAL)) is None


@pytest.mark.usefixtures("fake_link")
async def test_camera_turned_off_in_the_options(
    hass: HomeAssistant, fake_cloud: FakeCloud, issue_registry: ir.IssueRegistry
) -> None:
    """A printer whose camera the user does not want has no camera entity."""
    entry = cloud_entry(
        fake_cloud, **{CONF_PRINTERS: {CLOUD_SERIAL: {CONF_CAMERA: False}}}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[0]
    link.deliver(CLOUD_SERIAL, get_version("p1p-ams"))
    link.deliver(CLOUD_SERIAL, pushall("p1p-ams"))
    await hass.async_block_till_done()
    assert hass.states.async_entity_ids(CAMERA_DOMAIN) == []
    assert not issue_registry.issues


async def test_printer_without_a_known_camera(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A printer of an unknown model has no camera entity."""
    entry = lan_entry("minimal")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    report = {"command": "push_status", "msg": 0, "gcode_state": "IDLE"}
    fake_link.links[-1].deliver(LAN_SERIAL, {"print": report})
    await hass.async_block_till_done()
    assert hass.states.async_entity_ids(CAMERA_DOMAIN) == []


@pytest.mark.usefixtures("fake_link")
async def test_snapshots_at_once_share_one_connection(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """Concurrent snapshots wait for the same frame."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    images = await asyncio.gather(*(async_get_image(hass, entity_id) for _ in range(3)))
    assert len({image.content for image in images}) == 1
    assert server.frames_sent == 1


@pytest.mark.usefixtures("fake_link")
async def test_snapshot_while_streaming_waits_for_a_fresh_frame(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """An old frame is not served: the next one of the open stream is."""
    entry = camera_entry(pki, server.port)
    entity_id = await _setup(hass, entry)
    entry.runtime_data.printers[LAN_SERIAL].set_camera_always_on(True)
    await _until(hass, lambda: _state(hass, entity_id) == CameraState.STREAMING)
    feed = _entity(hass, entity_id)._feed
    assert feed is not None
    received = feed.frames_received
    with patch.object(camera_feed, "FRESH_SECONDS", 0):
        image = await async_get_image(hass, entity_id)
    assert feed.frames_received > received
    assert image.content == feed._frame
    assert server.clients == 1


@pytest.mark.usefixtures("fake_link")
async def test_stream_ends_when_frames_stop(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
) -> None:
    """A viewer whose camera stays away gets the end of its response."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    with patch.object(camera_feed, "VIEWER_PATIENCE", 0.5):
        client = await hass_client()
        response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
        await read_parts(response, 2)
        await server.stop()
        # The response ends (EOF) instead of hanging on.
        await asyncio.wait_for(response.content.read(), 5)
    assert response.content.at_eof()
    feed = _entity(hass, entity_id)._feed
    assert feed is not None
    await _until(hass, lambda: feed.viewers == 0)


@pytest.mark.usefixtures("fake_link")
async def test_closed_feed_stays_closed(
    hass: HomeAssistant, pki: SimulatorPki, server: CameraServer
) -> None:
    """After its entity is gone the feed connects for nobody."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    feed = _entity(hass, entity_id)._feed
    assert feed is not None
    feed.close()
    feed.set_always_on(True)
    await hass.async_block_till_done()
    assert feed.closed
    assert not feed.wanted
    assert server.clients == 0


@pytest.mark.usefixtures("fake_link")
async def test_viewer_cuts_the_backoff_short(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    server: CameraServer,
) -> None:
    """After a failure the probe waits long; a viewer arriving tries at once."""
    entity_id = await _setup(hass, camera_entry(pki, server.port))
    with patch.object(camera_feed, "BACKOFF_START", 30):
        server.set_access_code("87654321")
        with pytest.raises(HomeAssistantError):
            await async_get_image(hass, entity_id)
        server.set_access_code(ACCESS_CODE)
        client = await hass_client()
        async with asyncio.timeout(5):
            response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
            assert_jpeg((await read_parts(response, 1))[0])
        await _until(hass, lambda: _state(hass, entity_id) == CameraState.STREAMING)
        response.close()
        await server.wait_for(lambda s: s.clients == 0)


@pytest.mark.usefixtures("fake_link")
async def test_rtsp_url_only_while_the_lan_link_vouches_for_the_printer(
    hass: HomeAssistant,
) -> None:
    """ffmpeg does not check the certificate: the LAN link's serial check must.

    Issue 14, point 10: with the LAN link down (e.g. refused because the
    address now leads to another printer) the access code is not handed out.
    """
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    entity_id = er.async_get(hass).async_get_entity_id(
        CAMERA_DOMAIN, DOMAIN, f"{LAN_SERIAL}_camera"
    )
    assert entity_id is not None
    camera = get_camera_from_entity_id(hass, entity_id)
    url = "rtsps://bblp:12345678@192.0.2.10:322/streaming/live/1"
    assert await camera.stream_source() == url
    link.set_connected(False)
    await hass.async_block_till_done()
    assert await camera.stream_source() is None
    assert await camera.async_camera_image() is None
    link.set_connected(True)
    await hass.async_block_till_done()
    assert await camera.stream_source() == url
