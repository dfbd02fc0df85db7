"""The JPEG camera of P1 and A1 printers: TLS on port 6000, about 1 frame/s.

After the TLS handshake the client sends an 80-byte hello (four
little-endian uint32 0x40, 0x3000, 0, 0; ``bblp`` and the access code, each
zero-padded to 32 bytes). The printer then sends frames, each a 16-byte
header whose first four bytes are the JPEG's length (little-endian) and the
JPEG itself. A wrong access code makes the printer close the connection
without sending anything. X1, H2 and P2 printers stream RTSP instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import contextlib
import ssl
import struct
from typing import Final

from .errors import ConnectError, ConnectionFailure
from .identity import check_printer
from .mqtt import LOCAL_USERNAME
from .tls import local_ssl_context

PORT: Final = 6000
DEFAULT_TIMEOUT: Final = 10.0
# Real frames are 100-500 KB; a larger length means the stream is garbage.
MAX_FRAME_SIZE: Final = 16 * 1024 * 1024

_HELLO: Final = struct.Struct("<4I32s32s")
_HELLO_WORDS: Final = (0x40, 0x3000, 0, 0)
_HEADER_SIZE: Final = 16
_FIELD_SIZE: Final = 32
_JPEG_START: Final = b"\xff\xd8"
_JPEG_END: Final = b"\xff\xd9"


class JpegCamera:
    """Pictures from a printer's port-6000 camera.

    Each call opens its own connection: ``snapshot`` for one picture,
    ``frames`` for a stream. ``timeout`` bounds the connection (TCP and TLS)
    and the wait for each frame. Failures raise ConnectError: CREDENTIALS
    when the printer hangs up after the hello without a frame (a wrong access
    code), TLS for a certificate it does not trust, UNREACHABLE when the
    printer cannot be reached or drops the connection mid-frame, TIMEOUT, and
    PROTOCOL for anything that is not a JPEG frame.
    """

    def __init__(
        self,
        host: str,
        access_code: str,
        *,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        serial: str | None = None,
    ) -> None:
        """Prepare the hello; ``ssl_context`` defaults to the Bambu CAs.

        ``serial``: the printer's, which its certificate must name before
        the access code is sent (None: any printer).
        """
        code = access_code.encode()
        if len(code) > _FIELD_SIZE:
            raise ValueError(f"an access code has at most {_FIELD_SIZE} bytes")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.serial = serial
        self._ssl_context = ssl_context or local_ssl_context()
        self._hello = _HELLO.pack(*_HELLO_WORDS, LOCAL_USERNAME.encode(), code)

    async def snapshot(self) -> bytes:
        """Connect, take one JPEG and hang up."""
        reader, writer = await self._open()
        try:
            return await self._first_frame(reader)
        finally:
            await _close(writer)

    async def frames(self) -> AsyncGenerator[bytes]:
        """Yield JPEG frames as they come, until the printer ends the stream.

        The connection closes when the iteration ends, is cancelled or the
        generator is closed (``contextlib.aclosing`` does so at once).
        """
        reader, writer = await self._open()
        try:
            frame: bytes | None = await self._first_frame(reader)
            while frame is not None:
                yield frame
                frame = await self._next_frame(reader)
        finally:
            await _close(writer)

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Connect over TLS, check the printer's serial, send the hello."""
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await asyncio.open_connection(
                    self.host, self.port, ssl=self._ssl_context
                )
            if self.serial is not None:
                check_printer(writer.get_extra_info("ssl_object"), self.serial)
        except OSError as err:  # TimeoutError and ssl.SSLError included
            if writer is not None:
                writer.transport.abort()
            raise _connect_error(err, self.timeout) from err
        # 80 bytes fit any buffer: no drain; a failed send shows in the read.
        writer.write(self._hello)
        return reader, writer

    async def _first_frame(self, reader: asyncio.StreamReader) -> bytes:
        frame = await self._next_frame(reader)
        if frame is None:
            raise ConnectError(
                ConnectionFailure.CREDENTIALS,
                "the camera closed the connection after the hello",
            )
        return frame

    async def _next_frame(self, reader: asyncio.StreamReader) -> bytes | None:
        """The next JPEG; None when the stream ended between two frames."""
        try:
            async with asyncio.timeout(self.timeout):
                return await _read_frame(reader)
        except OSError as err:
            raise _connect_error(err, self.timeout) from err


async def _read_frame(reader: asyncio.StreamReader) -> bytes | None:
    try:
        header = await reader.readexactly(_HEADER_SIZE)
    except asyncio.IncompleteReadError as err:
        if err.partial:
            raise _cut_off() from err
        return None
    length = int.from_bytes(header[:4], "little")
    if not len(_JPEG_START + _JPEG_END) <= length <= MAX_FRAME_SIZE:
        raise ConnectError(
            ConnectionFailure.PROTOCOL, f"implausible frame length {length}"
        )
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError as err:
        raise _cut_off() from err
    if not (payload.startswith(_JPEG_START) and payload.endswith(_JPEG_END)):
        raise ConnectError(ConnectionFailure.PROTOCOL, "the frame is not a JPEG")
    return payload


def _cut_off() -> ConnectError:
    return ConnectError(
        ConnectionFailure.UNREACHABLE, "the camera closed the connection mid-frame"
    )


def _connect_error(error: OSError, timeout: float) -> ConnectError:
    """Classify a socket, TLS or timeout error."""
    if isinstance(error, ssl.SSLError):
        return ConnectError(ConnectionFailure.TLS, str(error))
    if isinstance(error, TimeoutError):
        return ConnectError(
            ConnectionFailure.TIMEOUT, f"the camera did not answer within {timeout:g} s"
        )
    return ConnectError(
        ConnectionFailure.UNREACHABLE, str(error) or type(error).__name__
    )


async def _close(writer: asyncio.StreamWriter) -> None:
    """Drop the connection without the TLS close_notify round trip."""
    writer.transport.abort()
    # Only waits for the local teardown; the error it reports is known.
    with contextlib.suppress(OSError):
        await writer.wait_closed()
