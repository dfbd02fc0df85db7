"""The shared camera feed against the simulated port-6000 camera (real TLS)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
import ssl
from unittest.mock import patch

import pytest

from custom_components.bambu_cloud.aiobambulab import camera_feed
from custom_components.bambu_cloud.aiobambulab.camera import JpegCamera
from custom_components.bambu_cloud.aiobambulab.camera_feed import JpegFeed
from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.rtsp import rtsp_url
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.camera import CameraServer
from simulator.frames import render_frame
from simulator.tls import SimulatorPki

from .conftest import ACCESS_CODE, SERIAL

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _frame() -> bytes:
    return render_frame(
        "P1P", state="running", progress=1, now=datetime(2026, 5, 1, tzinfo=UTC)
    )


@pytest.fixture
async def server(pki: SimulatorPki) -> AsyncIterator[CameraServer]:
    """The simulated camera of SERIAL, 50 frames a second."""
    files = pki.printers[SERIAL]
    async with CameraServer(
        files.cert_path, files.key_path, ACCESS_CODE, _frame, fps=50
    ) as server:
        yield server


class Changes:
    """Counts the feed's change callbacks; waits for a state they announce."""

    def __init__(self) -> None:
        self.count = 0
        self._event = asyncio.Event()

    def __call__(self) -> None:
        self.count += 1
        self._event.set()

    async def until(self, predicate: Callable[[], bool]) -> None:
        """Wait until ``predicate()`` holds, re-checked on every change."""
        async with asyncio.timeout(5):
            while not predicate():
                self._event.clear()
                await self._event.wait()


@pytest.fixture
async def feed(
    pki: SimulatorPki, server: CameraServer
) -> AsyncIterator[tuple[JpegFeed, Changes]]:
    """A feed of the simulated camera, closed after the test."""
    context: ssl.SSLContext = local_ssl_context(pki.ca.cert_pem)
    changes = Changes()
    camera = JpegCamera(
        "127.0.0.1", ACCESS_CODE, port=server.port, ssl_context=context, timeout=5
    )
    feed = JpegFeed(camera, name="P1P", on_change=changes)
    try:
        yield feed, changes
    finally:
        feed.close()


async def test_viewers_share_one_connection(
    feed: tuple[JpegFeed, Changes], server: CameraServer
) -> None:
    """Two viewers get frames over one connection, closed when both leave."""
    jpeg_feed, changes = feed
    async with jpeg_feed.watch() as first, jpeg_feed.watch() as second:
        assert (await anext(first)).startswith(b"\xff\xd8")
        assert (await anext(second)).startswith(b"\xff\xd8")
        assert jpeg_feed.viewers == 2
        assert jpeg_feed.streaming
        assert server.clients == 1
    assert jpeg_feed.viewers == 0
    await server.wait_for(lambda s: s.clients == 0)
    await changes.until(lambda: not jpeg_feed.streaming)
    assert changes.count >= 2  # streaming on, then off


async def test_concurrent_snapshots_share_one_frame(
    feed: tuple[JpegFeed, Changes], server: CameraServer
) -> None:
    """Snapshots at once share one connection; a fresh frame is served again.

    Counted in connections, not frames: on a busy machine the server may
    send a second frame before the snapshot's connection closes.
    """
    jpeg_feed, _ = feed
    # Freshness is wall-clock: on a busy machine the second ask could come
    # after FRESH_SECONDS, which is not what this test is about.
    with patch.object(camera_feed, "FRESH_SECONDS", 3600):
        frames = await asyncio.gather(*(jpeg_feed.snapshot() for _ in range(3)))
        assert len(set(frames)) == 1
        assert server.served == 1
        assert await jpeg_feed.snapshot() == frames[0]
    assert server.served == 1


async def test_wrong_access_code_is_retried_until_it_works(
    feed: tuple[JpegFeed, Changes], server: CameraServer
) -> None:
    """A refused snapshot sets the error; the probe clears it once it works."""
    jpeg_feed, changes = feed
    server.set_access_code("87654321")
    with patch.object(camera_feed, "BACKOFF_START", 0.05):
        with pytest.raises(camera_feed.ConnectError) as err:
            await jpeg_feed.snapshot()
        assert err.value.reason is ConnectionFailure.CREDENTIALS
        assert jpeg_feed.error is not None
        assert changes.count == 1
        server.set_access_code(ACCESS_CODE)
        await changes.until(lambda: jpeg_feed.error is None)
    assert changes.count == 2
    assert not jpeg_feed.wanted


async def test_always_on_streams_without_viewers(
    feed: tuple[JpegFeed, Changes], server: CameraServer
) -> None:
    """Kept on, the feed streams with nobody watching; off, it stops."""
    jpeg_feed, changes = feed
    jpeg_feed.set_always_on(True)
    await changes.until(lambda: jpeg_feed.streaming)
    assert server.clients == 1
    jpeg_feed.set_always_on(False)
    await server.wait_for(lambda s: s.clients == 0)
    assert not jpeg_feed.streaming


async def test_closed_feed_stays_closed(
    feed: tuple[JpegFeed, Changes], server: CameraServer
) -> None:
    """After close nothing connects, whoever asks."""
    jpeg_feed, _ = feed
    jpeg_feed.close()
    jpeg_feed.set_always_on(True)
    async with jpeg_feed.watch() as frames:
        assert jpeg_feed.closed
        assert not jpeg_feed.wanted
        with patch.object(camera_feed, "VIEWER_PATIENCE", 0.1):
            assert await anext(frames, None) is None
    assert server.clients == 0


def test_rtsp_url() -> None:
    """Credentials are quoted; IPv6 hosts get brackets; odd URLs use defaults."""
    assert rtsp_url("fd00::5", "a/b@c") == (
        "rtsps://bblp:a%2Fb%40c@[fd00::5]:322/streaming/live/1"
    )
    assert rtsp_url("fd00::5", "a/b@c", "rtsps://x:99999") == (
        "rtsps://bblp:a%2Fb%40c@[fd00::5]:322/streaming/live/1"
    )
    assert rtsp_url("10.0.0.9", "1234", "rtsps://10.0.0.7:8322/streaming/live/2") == (
        "rtsps://bblp:1234@10.0.0.9:8322/streaming/live/2"
    )
