"""The port-6000 JPEG camera client over real loopback TLS sockets.

The well-behaved peer is the simulator's CameraServer; misbehaving printers
are raw asyncio servers doing one wrong thing each.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from datetime import UTC, datetime
import io
import socket
import ssl
import struct

from PIL import Image
import pytest

from custom_components.bambu_cloud.aiobambulab.camera import (
    MAX_FRAME_SIZE,
    PORT,
    JpegCamera,
)
from custom_components.bambu_cloud.aiobambulab.errors import (
    ConnectError,
    ConnectionFailure,
)
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.camera import CameraServer
from simulator.frames import render_frame
from simulator.tls import PemFiles, SimulatorPki

from .conftest import ACCESS_CODE, SERIAL, SERIAL2

pytestmark = pytest.mark.usefixtures("socket_enabled")

type Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

SHORT = 0.2  # client timeout where a test waits for the timeout itself
JPEG = b"\xff\xd8tiny\xff\xd9"


def header(length: int) -> bytes:
    return struct.pack("<4I", length, 0, 1, 0)


def expected_hello(code: str = ACCESS_CODE) -> bytes:
    return (
        struct.pack("<4I", 0x40, 0x3000, 0, 0)
        + b"bblp".ljust(32, b"\0")
        + code.encode().ljust(32, b"\0")
    )


class Source:
    """Small real JPEGs, a new picture each call, remembered in order."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def __call__(self) -> bytes:
        frame = render_frame(
            "P1P",
            state="running",
            progress=len(self.sent),
            now=datetime(2026, 5, 1, tzinfo=UTC),
            size=(160, 90),
        )
        self.sent.append(frame)
        return frame


@pytest.fixture
def context(pki: SimulatorPki) -> ssl.SSLContext:
    """What the integration builds for a printer, trusting the simulator CA."""
    return local_ssl_context(pki.ca.cert_pem)


@pytest.fixture
def source() -> Source:
    """A fresh frame source."""
    return Source()


@contextlib.asynccontextmanager
async def camera_server(
    files: PemFiles, source: Source, fps: float = 200
) -> AsyncIterator[CameraServer]:
    async with CameraServer(
        files.cert_path, files.key_path, ACCESS_CODE, source, fps=fps
    ) as server:
        yield server


@pytest.fixture
async def server(pki: SimulatorPki, source: Source) -> AsyncIterator[CameraServer]:
    """The simulated camera of SERIAL, 200 frames a second."""
    async with camera_server(pki.printers[SERIAL], source) as server:
        yield server


@contextlib.asynccontextmanager
async def raw_server(
    handler: Handler, files: PemFiles | None = None
) -> AsyncIterator[int]:
    """A server on a free port running ``handler`` per connection.

    TLS with ``files`` as its certificate, plain TCP without. Connections
    and handlers still running at the end are dropped.
    """
    context = None
    if files is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(files.cert_path, files.key_path)
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            # The client may hang up at any step: that ends the handler.
            with contextlib.suppress(OSError, EOFError):
                await handler(reader, writer)
        finally:
            writer.transport.abort()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        server.abort_clients()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


def answering(
    data: bytes,
    *,
    then: str = "wait",
    hellos: list[bytes] | None = None,
    go: asyncio.Event | None = None,
) -> Handler:
    """Read the hello, send ``data``, then wait for the client, close or reset.

    A reset waits for ``go`` first: a reset arriving before the client read
    the data would discard it.
    """

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        hello = await reader.readexactly(80)
        if hellos is not None:
            hellos.append(hello)
        writer.write(data)
        await writer.drain()
        if then == "close":  # a clean TLS close: close_notify, then FIN
            writer.close()
            await writer.wait_closed()
        elif then == "reset":
            assert go is not None
            await go.wait()
            writer.get_extra_info("socket").setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            writer.transport.abort()
        else:
            await reader.read()  # until the client hangs up

    return handler


def camera(port: int, context: ssl.SSLContext, timeout: float = 5.0) -> JpegCamera:
    """A client of the test printer; the short timeout bounds a failing test."""
    return JpegCamera(
        "127.0.0.1", ACCESS_CODE, port=port, ssl_context=context, timeout=timeout
    )


async def collect(
    camera: JpegCamera,
    frames: list[bytes] | None = None,
    *,
    limit: int = 100,
    each: Callable[[], object] = lambda: None,
) -> list[bytes]:
    """Stream into ``frames`` (kept when the stream fails) up to ``limit``."""
    frames = [] if frames is None else frames
    async with contextlib.aclosing(camera.frames()) as stream:
        async for frame in stream:
            frames.append(frame)
            each()
            if len(frames) == limit:
                break
    return frames


async def failure_of(action: Awaitable[object]) -> ConnectionFailure:
    with pytest.raises(ConnectError) as caught:
        await action
    assert caught.value.key == "cannot_connect"
    assert caught.value.placeholders == {"reason": caught.value.reason.value}
    return caught.value.reason


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- with the simulated camera --------------------------------------------------


async def test_snapshot_is_the_printers_picture(
    server: CameraServer, source: Source, context: ssl.SSLContext
) -> None:
    snapshot = await camera(server.port, context).snapshot()
    assert snapshot == source.sent[0]
    with Image.open(io.BytesIO(snapshot)) as image:
        assert image.format == "JPEG"
        assert image.size == (160, 90)
    # The connection is closed once the picture is in.
    await server.wait_for(lambda s: s.clients == 0 and s.frames_sent >= 1)
    assert server.refused == 0


async def test_frames_stream_in_order_and_close(
    server: CameraServer, source: Source, context: ssl.SSLContext
) -> None:
    frames = await collect(camera(server.port, context), limit=5)
    assert frames == source.sent[:5]
    assert len(set(frames)) == 5
    await server.wait_for(lambda s: s.clients == 0)


async def test_cancelled_stream_closes_the_connection(
    server: CameraServer, context: ssl.SSLContext
) -> None:
    received = asyncio.Event()

    async def watch() -> None:
        async for _ in camera(server.port, context).frames():
            received.set()

    task = asyncio.create_task(watch())
    await received.wait()
    await server.wait_for(lambda s: s.clients == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await server.wait_for(lambda s: s.clients == 0)


@pytest.mark.parametrize("method", ["snapshot", "frames"])
async def test_wrong_access_code_is_credentials(
    server: CameraServer, context: ssl.SSLContext, method: str
) -> None:
    wrong = JpegCamera("127.0.0.1", "87654321", port=server.port, ssl_context=context)
    action = wrong.snapshot() if method == "snapshot" else collect(wrong)
    assert await failure_of(action) is ConnectionFailure.CREDENTIALS
    assert server.refused == 1
    assert server.frames_sent == 0


async def test_access_code_change_on_the_printer(
    server: CameraServer, source: Source, context: ssl.SSLContext
) -> None:
    server.set_access_code("newcode1")
    assert await failure_of(camera(server.port, context).snapshot()) is (
        ConnectionFailure.CREDENTIALS
    )
    renewed = JpegCamera("127.0.0.1", "newcode1", port=server.port, ssl_context=context)
    assert await renewed.snapshot() == source.sent[0]


async def test_untrusted_certificate_is_tls(
    pki: SimulatorPki, source: Source, context: ssl.SSLContext
) -> None:
    async with camera_server(pki.rogue_printers[SERIAL], source) as rogue:
        assert await failure_of(camera(rogue.port, context).snapshot()) is (
            ConnectionFailure.TLS
        )
        assert rogue.frames_sent == 0


async def test_default_context_trusts_only_bambu(server: CameraServer) -> None:
    # The bundled Bambu CAs do not sign the simulator's certificate.
    default = JpegCamera("127.0.0.1", ACCESS_CODE, port=server.port)
    assert default.port == server.port
    assert await failure_of(default.snapshot()) is ConnectionFailure.TLS


async def test_closed_port_is_unreachable(context: ssl.SSLContext) -> None:
    closed = camera(free_port(), context)
    assert await failure_of(closed.snapshot()) is ConnectionFailure.UNREACHABLE


# --- misbehaving printers -------------------------------------------------------


async def test_hello_layout_and_smallest_jpeg(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    hellos: list[bytes] = []
    smallest = b"\xff\xd8\xff\xd9"
    handler = answering(header(len(smallest)) + smallest, hellos=hellos)
    async with raw_server(handler, pki.printers[SERIAL]) as port:
        assert await camera(port, context).snapshot() == smallest
    assert hellos == [expected_hello()]


async def test_stream_ends_when_printer_closes_between_frames(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    two = (header(len(JPEG)) + JPEG) * 2
    async with raw_server(answering(two, then="close"), pki.printers[SERIAL]) as port:
        assert await collect(camera(port, context)) == [JPEG, JPEG]


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 400 Bad Request\r\n\r\n",
        header(MAX_FRAME_SIZE + 1),
        header(0),
        header(3) + b"\xff\xd8\xff",
        header(10) + b"not a jpeg",
        header(6) + b"\xff\xd8data",
        header(6) + b"data\xff\xd9",
    ],
    ids=["garbage", "oversized", "empty", "too-short", "text", "no-end", "no-start"],
)
async def test_garbage_is_protocol(
    pki: SimulatorPki, context: ssl.SSLContext, data: bytes
) -> None:
    async with raw_server(answering(data), pki.printers[SERIAL]) as port:
        assert await failure_of(camera(port, context).snapshot()) is (
            ConnectionFailure.PROTOCOL
        )


async def test_garbage_after_good_frames_is_protocol(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    data = header(len(JPEG)) + JPEG + header(4) + b"junk"
    frames: list[bytes] = []
    async with raw_server(answering(data), pki.printers[SERIAL]) as port:
        reason = await failure_of(collect(camera(port, context), frames))
    assert frames == [JPEG]
    assert reason is ConnectionFailure.PROTOCOL


@pytest.mark.parametrize(
    "data",
    [header(len(JPEG))[:8], header(100) + b"\xff\xd8" + b"x" * 48],
    ids=["mid-header", "mid-payload"],
)
async def test_close_mid_frame_is_unreachable(
    pki: SimulatorPki, context: ssl.SSLContext, data: bytes
) -> None:
    handler = answering(data, then="close")
    async with raw_server(handler, pki.printers[SERIAL]) as port:
        assert await failure_of(camera(port, context).snapshot()) is (
            ConnectionFailure.UNREACHABLE
        )


async def test_reset_mid_stream_is_unreachable(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    go = asyncio.Event()
    handler = answering(header(len(JPEG)) + JPEG, then="reset", go=go)
    frames: list[bytes] = []
    async with raw_server(handler, pki.printers[SERIAL]) as port:
        reason = await failure_of(collect(camera(port, context), frames, each=go.set))
    assert frames == [JPEG]
    assert reason is ConnectionFailure.UNREACHABLE


async def test_no_frame_is_timeout(pki: SimulatorPki, context: ssl.SSLContext) -> None:
    async with raw_server(answering(b""), pki.printers[SERIAL]) as port:
        silent = camera(port, context, timeout=SHORT)
        assert silent.timeout == SHORT
        with pytest.raises(ConnectError, match=r"within 0\.2 s") as caught:
            await silent.snapshot()
    assert caught.value.reason is ConnectionFailure.TIMEOUT


async def test_no_tls_handshake_is_timeout(context: ssl.SSLContext) -> None:
    async def mute(reader: asyncio.StreamReader, _: asyncio.StreamWriter) -> None:
        await reader.read()  # plain TCP: the ClientHello gets no answer

    async with raw_server(mute) as port:
        silent = camera(port, context, timeout=SHORT)
        assert await failure_of(silent.snapshot()) is ConnectionFailure.TIMEOUT


def test_access_code_must_fit_the_hello() -> None:
    assert JpegCamera("127.0.0.1", "x" * 32).port == PORT
    with pytest.raises(ValueError, match="32 bytes"):
        JpegCamera("127.0.0.1", "x" * 33)


# --- hardening (issue 14, point 10) ------------------------------------------------


async def test_certificate_of_another_printer_gets_no_hello(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    """A valid Bambu certificate of SERIAL when SERIAL2 is asked for."""
    received: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        data = b""
        with contextlib.suppress(OSError):
            data = await reader.read()  # until the client hangs up
        received.set_result(data)

    async with raw_server(handler, pki.printers[SERIAL]) as port:
        camera = JpegCamera(
            "127.0.0.1", ACCESS_CODE, port=port, ssl_context=context, serial=SERIAL2
        )
        with pytest.raises(ConnectError) as caught:
            await camera.snapshot()
        assert caught.value.reason is ConnectionFailure.TLS
        assert f"of printer {SERIAL}, not {SERIAL2}" in str(caught.value)
        assert await received == b""  # the access code never left


async def test_the_right_printer_passes_the_check(
    pki: SimulatorPki, context: ssl.SSLContext, server: CameraServer
) -> None:
    camera = JpegCamera(
        server.host, ACCESS_CODE, port=server.port, ssl_context=context, serial=SERIAL
    )
    assert (await camera.snapshot()).startswith(b"\xff\xd8")
