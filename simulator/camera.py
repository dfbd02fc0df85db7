"""The JPEG camera of a P1/A1 printer: TLS on port 6000, one frame per second.

After the TLS handshake the client sends an 80-byte hello: four
little-endian uint32 (0x40, 0x3000, 0, 0), ``bblp`` zero-padded to 32 bytes
and the access code zero-padded to 32 bytes. A wrong hello closes the
connection without a byte sent back; a right one gets frames until it
leaves: a 16-byte header (payload length, 0, 1, 0 as little-endian uint32,
the way real printers fill it) and the JPEG.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
import hmac
from pathlib import Path
import ssl
import struct
from types import TracebackType
from typing import Self

HELLO = struct.Struct("<4I32s32s")
HELLO_WORDS = (0x40, 0x3000, 0, 0)
HEADER = struct.Struct("<4I")
_FIELD = 32  # bytes of the username and of the access code in the hello


class CameraServer:
    """A port-6000 camera for one printer, serving any number of clients.

    ``frame_source`` is called for every frame sent and returns JPEG bytes.
    The counters are for tests: ``frames_sent`` (all clients together),
    ``refused`` (connections closed over a bad or missing hello; a failed
    TLS handshake never gets that far), ``served`` (connections that were
    served frames, all told) and ``clients`` (connections being served
    frames now). ``wait_for`` waits until they reach a state.
    """

    def __init__(
        self,
        cert_path: Path | str,
        key_path: Path | str,
        access_code: str,
        frame_source: Callable[[], bytes],
        *,
        fps: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        hello_timeout: float = 10.0,
    ) -> None:
        """Load the printer's certificate; ``port=0`` picks a free port."""
        if fps <= 0:
            raise ValueError(f"fps must be positive, not {fps}")
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert_path, key_path)
        self._code = _field(access_code)
        self._frame_source = frame_source
        self._period = 1.0 / fps
        self._host = host
        self._requested_port = port
        self._hello_timeout = hello_timeout
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()
        self.frames_sent = 0
        self.refused = 0
        self.served = 0
        self.clients = 0

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The port the server listens on (known once started)."""
        if self._port is None:
            raise RuntimeError("the camera server is not started")
        return self._port

    def set_access_code(self, access_code: str) -> None:
        """Change the access code; clients already streaming stay connected."""
        self._code = _field(access_code)

    async def start(self) -> None:
        """Listen for clients."""
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._serve, self._host, self._requested_port, ssl=self._context
        )
        self._port = self._server.sockets[0].getsockname()[1]
        # A printer switched off and on again keeps its address.
        self._requested_port = self._port

    async def stop(self) -> None:
        """Stop listening and drop every client at once; safe to repeat."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        # Connections still in their TLS handshake have no handler yet.
        server.abort_clients()
        while self._handlers:
            handlers = list(self._handlers)
            for task in handlers:
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()

    async def wait_for(
        self, predicate: Callable[[Self], bool], seconds: float = 5.0
    ) -> None:
        """Wait until ``predicate(self)`` holds, re-checked on every change."""
        async with asyncio.timeout(seconds):
            while not predicate(self):
                self._changed.clear()
                await self._changed.wait()

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None  # noqa: S101 - always run as a task
        self._handlers.add(task)
        try:
            if await self._hello_ok(reader):
                await self._stream(reader, writer)
            else:
                self.refused += 1
                self._changed.set()
        finally:
            self._handlers.discard(task)
            # No close_notify round trip: the client may be gone already.
            writer.transport.abort()

    async def _hello_ok(self, reader: asyncio.StreamReader) -> bool:
        try:
            async with asyncio.timeout(self._hello_timeout):
                hello = await reader.readexactly(HELLO.size)
        except (asyncio.IncompleteReadError, OSError):  # OSError: timeouts too
            return False
        *words, username, code = HELLO.unpack(hello)
        return (
            tuple(words) == HELLO_WORDS
            and username == _field("bblp")
            and hmac.compare_digest(code, self._code)
        )

    async def _stream(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        loop = asyncio.get_running_loop()
        # The client says nothing after its hello: a read ending means it left.
        gone = asyncio.ensure_future(_until_eof(reader))
        self.served += 1
        self.clients += 1
        self._changed.set()
        try:
            due = loop.time()
            while True:
                frame = self._frame_source()
                writer.write(HEADER.pack(len(frame), 0, 1, 0) + frame)
                await writer.drain()
                self.frames_sent += 1
                self._changed.set()
                due += self._period
                # Pace by the clock, not by the sleep, so the rate holds.
                await asyncio.wait({gone}, timeout=max(due - loop.time(), 0))
                if gone.done():
                    return
        except OSError:
            return  # the client left while a frame was on its way
        finally:
            gone.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await gone
            self.clients -= 1
            self._changed.set()


async def _until_eof(reader: asyncio.StreamReader) -> None:
    """Read and drop whatever arrives until the connection ends."""
    with contextlib.suppress(OSError):
        while await reader.read(4096):
            pass


def _field(text: str) -> bytes:
    """``text`` as a zero-padded 32-byte hello field."""
    data = text.encode()
    if len(data) > _FIELD:
        raise ValueError(f"at most {_FIELD} bytes fit in the hello")
    return data.ljust(_FIELD, b"\0")
