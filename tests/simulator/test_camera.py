"""The simulated port-6000 camera and its frames, read by a raw TLS client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
import io
from pathlib import Path
import ssl
import struct

from PIL import Image
import pytest

from simulator.camera import CameraServer
from simulator.frames import BACKGROUND, BAR_FILL, render_frame
from simulator.tls import SimulatorPki, generate_pki

SERIAL = "01S00C000000001"
CODE = "12345678"
NOW = datetime(2026, 5, 1, 12, 34, 56, tzinfo=UTC)
SIZE = (320, 180)
HEADER_TAIL = struct.pack("<3I", 0, 1, 0)  # bytes 4-15 of every real header


def hello(
    code: str = CODE,
    words: tuple[int, ...] = (0x40, 0x3000, 0, 0),
    user: bytes = b"bblp",
) -> bytes:
    """The 80-byte hello, built here independently of the simulator."""
    return (
        struct.pack("<4I", *words)
        + user.ljust(32, b"\0")
        + code.encode().ljust(32, b"\0")
    )


class Source:
    """Frames whose progress grows by one per frame, remembered in order."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def __call__(self) -> bytes:
        frame = render_frame(
            "Sim P1S", state="running", progress=len(self.sent), now=NOW, size=SIZE
        )
        self.sent.append(frame)
        return frame


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA and the printer's certificate (CN = serial)."""
    return generate_pki(tmp_path_factory.mktemp("camera-pki"), [SERIAL])


@pytest.fixture
def context(pki: SimulatorPki) -> ssl.SSLContext:
    """A client context trusting the simulator CA (host name checked)."""
    return ssl.create_default_context(cadata=pki.ca.cert_pem)


@pytest.fixture
def source() -> Source:
    """A fresh frame source."""
    return Source()


def make_server(
    pki: SimulatorPki, source: Source, fps: float = 1.0, hello_timeout: float = 10.0
) -> CameraServer:
    files = pki.printers[SERIAL]
    return CameraServer(
        files.cert_path,
        files.key_path,
        CODE,
        source,
        fps=fps,
        hello_timeout=hello_timeout,
    )


@pytest.fixture
async def server(
    pki: SimulatorPki, source: Source, socket_enabled: None
) -> AsyncIterator[CameraServer]:
    """A started camera sending 200 frames a second."""
    async with make_server(pki, source, fps=200, hello_timeout=0.2) as camera:
        yield camera


class Client:
    """A raw camera client: TLS, a hello of its choice, frames read by hand."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(
        cls, port: int, context: ssl.SSLContext, first: bytes | None = None
    ) -> Client:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        if first is not None:
            writer.write(first)
        return cls(reader, writer)

    async def frame(self) -> tuple[bytes, bytes]:
        async with asyncio.timeout(5):
            header = await self.reader.readexactly(16)
            length = int.from_bytes(header[:4], "little")
            return header, await self.reader.readexactly(length)

    async def rest(self) -> bytes:
        """Everything until the server closes (a reset counts as a close)."""
        async with asyncio.timeout(5):
            try:
                return await self.reader.read()
            except ConnectionResetError:
                return b""

    def close(self) -> None:
        self.writer.transport.abort()


# --- frames ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (320, 180)])
def test_frame_is_a_jpeg_of_the_requested_size(size: tuple[int, int]) -> None:
    frame = render_frame("P1S", state="running", progress=42, now=NOW, size=size)
    assert frame.startswith(b"\xff\xd8")
    assert frame.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(frame)) as image:
        assert image.format == "JPEG"
        assert image.size == size
        image.load()


def test_frame_changes_with_progress_state_time_and_name() -> None:
    def frame(
        name: str = "P1S",
        state: str = "running",
        progress: int | None = 42,
        now: datetime = NOW,
    ) -> bytes:
        return render_frame(name, state=state, progress=progress, now=now)

    base = frame()
    assert frame() == base  # the same picture for the same inputs
    variants = [
        frame(progress=43),
        frame(progress=None),
        frame(state="pause"),
        frame(now=NOW + timedelta(seconds=1)),
        frame(name="A1 mini"),
    ]
    assert base not in variants
    assert len(set(variants)) == len(variants)


def _pixel(frame: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    with Image.open(io.BytesIO(frame)) as image:
        pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def _near(color: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(color, expected, strict=True))


def test_progress_bar_fills_with_progress() -> None:
    # Inside the bar (it starts at half height, 1/12 of the height tall).
    inside_left, inside_right = (160, 390), (1100, 390)
    empty = render_frame("P1S", state="idle", progress=0, now=NOW)
    half = render_frame("P1S", state="running", progress=50, now=NOW)
    full = render_frame("P1S", state="finish", progress=100, now=NOW)
    assert _near(_pixel(empty, inside_left), BACKGROUND)
    assert _near(_pixel(half, inside_left), BAR_FILL)
    assert _near(_pixel(half, inside_right), BACKGROUND)
    assert _near(_pixel(full, inside_right), BAR_FILL)


def test_progress_is_clamped() -> None:
    def frame(progress: int) -> bytes:
        return render_frame("P1S", state="running", progress=progress, now=NOW)

    assert frame(150) == frame(100)
    assert frame(-5) == frame(0)


def test_tiny_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        render_frame("P1S", state="idle", progress=None, now=NOW, size=(8, 8))


# --- server -----------------------------------------------------------------------


async def test_streams_jpeg_frames_with_real_headers(
    server: CameraServer, source: Source, context: ssl.SSLContext
) -> None:
    client = await Client.connect(server.port, context, hello())
    try:
        received = [await client.frame() for _ in range(3)]
        await server.wait_for(lambda s: s.clients == 1)
    finally:
        client.close()
    for header, payload in received:
        assert header[4:] == HEADER_TAIL
        assert int.from_bytes(header[:4], "little") == len(payload)
        with Image.open(io.BytesIO(payload)) as image:
            assert image.format == "JPEG"
            assert image.size == SIZE
    # The source is asked for every frame: each one is the next picture.
    assert [payload for _, payload in received] == source.sent[:3]
    assert len(set(source.sent[:3])) == 3
    await server.wait_for(lambda s: s.clients == 0)
    assert server.frames_sent >= 3
    assert server.refused == 0


@pytest.mark.parametrize(
    "first",
    [
        hello(code="87654321"),
        hello(code=""),
        hello(words=(0x40, 0x3000, 0, 1)),
        hello(words=(0x41, 0x3000, 0, 0)),
        hello(user=b"admin"),
        b"\0" * 80,
    ],
    ids=["wrong-code", "no-code", "word", "magic", "user", "zeros"],
)
async def test_bad_hello_is_refused_without_a_byte(
    server: CameraServer, context: ssl.SSLContext, first: bytes
) -> None:
    client = await Client.connect(server.port, context, first)
    try:
        assert await client.rest() == b""
    finally:
        client.close()
    await server.wait_for(lambda s: s.refused == 1)
    assert server.frames_sent == 0
    assert server.clients == 0


async def test_short_hello_is_refused(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    client = await Client.connect(server.port, context, hello()[:40])
    client.close()
    await server.wait_for(lambda s: s.refused == 1)
    assert server.frames_sent == 0


async def test_silent_client_is_dropped(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    # The fixture's hello timeout is short; the wait is on the server.
    client = await Client.connect(server.port, context)
    try:
        assert await client.rest() == b""
    finally:
        client.close()
    assert server.refused == 1


async def test_access_code_can_change(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    streaming = await Client.connect(server.port, context, hello())
    try:
        await streaming.frame()
        server.set_access_code("abcdefgh")
        old = await Client.connect(server.port, context, hello())
        new = await Client.connect(server.port, context, hello(code="abcdefgh"))
        try:
            assert await old.rest() == b""
            _, payload = await new.frame()
            assert payload.startswith(b"\xff\xd8")
            # A client already streaming keeps its stream.
            await streaming.frame()
        finally:
            old.close()
            new.close()
    finally:
        streaming.close()
    assert server.refused == 1


async def test_several_clients_and_one_leaving(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    first = await Client.connect(server.port, context, hello())
    second = await Client.connect(server.port, context, hello())
    try:
        await first.frame()
        await second.frame()
        await server.wait_for(lambda s: s.clients == 2)
        first.close()
        await server.wait_for(lambda s: s.clients == 1)
        sent = server.frames_sent
        await second.frame()
        await server.wait_for(lambda s: s.frames_sent > sent)
    finally:
        second.close()
    await server.wait_for(lambda s: s.clients == 0)


async def test_stop_closes_live_clients(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    clients = [await Client.connect(server.port, context, hello()) for _ in range(2)]
    silent = await Client.connect(server.port, context)  # still in its hello
    try:
        for client in clients:
            await client.frame()
        port = server.port
        await server.stop()
        assert server.clients == 0
        for client in [*clients, silent]:
            # Returns (instead of timing out) only once the connection ended.
            await client.rest()
        await server.stop()  # a second stop does nothing
        with pytest.raises(ConnectionRefusedError):
            await Client.connect(port, context)
    finally:
        for client in [*clients, silent]:
            client.close()


async def test_context_manager_and_port(
    pki: SimulatorPki, source: Source, context: ssl.SSLContext, socket_enabled: None
) -> None:
    camera = make_server(pki, source)
    with pytest.raises(RuntimeError, match="not started"):
        _ = camera.port
    async with camera:
        await camera.start()  # already listening: nothing changes
        assert camera.host == "127.0.0.1"
        assert camera.port > 0
        client = await Client.connect(camera.port, context, hello())
        try:
            _, payload = await client.frame()
        finally:
            client.close()
        assert payload == source.sent[0]
    assert camera.clients == 0


def test_bad_arguments_are_refused(pki: SimulatorPki, source: Source) -> None:
    with pytest.raises(ValueError, match="fps"):
        make_server(pki, source, fps=0)
    files = pki.printers[SERIAL]
    with pytest.raises(ValueError, match="32 bytes"):
        CameraServer(files.cert_path, files.key_path, "x" * 33, source)
    camera = make_server(pki, source)
    with pytest.raises(ValueError, match="32 bytes"):
        camera.set_access_code("y" * 33)
    with pytest.raises(FileNotFoundError):
        CameraServer(Path("missing.crt"), Path("missing.key"), CODE, source)
