"""FTPS data transfers: uploads and downloads over TLS that resumes the control session.

A data connection must resume the control connection's TLS session or the
printer refuses it (522). asyncio's TLS transport cannot resume a given
session, so the data channel runs TLS itself over memory BIOs
(``SSLContext.wrap_bio(..., session=...)``) on a plain connection. Like
ftplib, the client connects the data socket after PASV, sends the command,
and starts TLS only after the 150 reply, which is when vsftpd starts it on
its side.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import ssl
from typing import Final

from .errors import BambuError, CommandRefused, LinkError
from .ftps_control import Control
from .ftps_replies import refused
from .identity import check_printer

_CHUNK: Final = 64 * 1024

type Progress = Callable[[int, int], None]


class FileTooLarge(LinkError):
    """A download is larger than the caller allows."""

    key = "file_too_large"

    def __init__(self, path: str, size: int, limit: int) -> None:
        """Name the file, its size (or the size reached) and the limit."""
        super().__init__(
            f"{path} is larger than {limit} bytes ({size})",
            path=path,
            size=str(size),
            limit=str(limit),
        )
        self.path = path
        self.size = size
        self.limit = limit


async def transfer(
    control: Control,
    command: str,
    *,
    send: bytes | None = None,
    progress: Progress | None = None,
    limit: int = 0,
    path: str = "",
) -> bytes:
    """Run a data command: send ``send``, or receive at most ``limit`` bytes."""
    async with _data_connection(control, command) as (channel, writer):
        received = bytearray()
        failure: OSError | None = None
        too_large = False
        try:
            await channel.handshake(control.serial)
            if send is not None:
                await channel.send_all(send, progress)
                await channel.close_notify()
            else:
                while chunk := await channel.receive():
                    received += chunk
                    if len(received) > limit:
                        too_large = True
                        break
                # Done, or enough: close before the final reply, which
                # a server may send only once the data connection is gone.
                writer.transport.abort()
        except TimeoutError:
            raise
        except OSError as err:  # ssl.SSLError is an OSError too
            failure = err  # the final reply tells more; read it first
        reply = await control.reply()
        if too_large:
            raise FileTooLarge(path, len(received), limit)
        refused(reply, 226, command, also=(250,))
        if failure is not None:
            raise failure
        return bytes(received)


@contextlib.asynccontextmanager
async def _data_connection(
    control: Control, command: str
) -> AsyncIterator[tuple[TlsDataChannel, asyncio.StreamWriter]]:
    """Connect the data socket (PASV), send ``command`` and wait for 150.

    TLS is not started yet: the caller shakes hands. The plain connection
    is closed on exit.
    """
    port = await control.passive()
    async with asyncio.timeout(control.timeout):
        reader, writer = await asyncio.open_connection(control.host, port)
    try:
        refused(await control.command(command), 150, command, also=(125,))
        yield (
            TlsDataChannel(
                reader,
                writer,
                control.context,
                control.tls_session(),
                control.host,
                control.timeout,
            ),
            writer,
        )
    finally:
        writer.transport.abort()


class Incomplete(Exception):
    """The reader stopped before the end: the control session is out of step."""


class RestartRefused(CommandRefused):
    """The server refused ``REST``: it can only send files from their start."""


# What a server answers a transfer the client cut short: aborted (vsftpd
# says 426 once writing to the closed data connection fails), or done (it
# had already handed the last bytes to the network).
_CUT_REPLIES: Final = frozenset({226, 250, 426, 451})


@contextlib.asynccontextmanager
async def receiving(
    control: Control, command: str, *, offset: int = 0, settle: bool = False
) -> AsyncIterator[AsyncIterator[bytes]]:
    """Run a download command; the block reads its chunks as they arrive.

    Nothing is held beyond one chunk, so a file of any size streams in flat
    memory. ``offset`` starts the file there (REST; RestartRefused when the
    server cannot). A block that leaves before the last chunk closes the
    data connection; with ``settle`` it then reads the server's reply to the
    cut transfer, so the session stays usable. Without ``settle``, or when
    that reply does not come as it should, it raises Incomplete on exit:
    the session is out of step and the caller must drop it.
    """
    if offset:
        reply = await control.command(f"REST {offset}")
        try:
            refused(reply, 350, "REST")  # a broken session raises ConnectError
        except CommandRefused:
            raise RestartRefused(reply.text.strip(), reply.code) from None
    async with _data_connection(control, command) as (channel, writer):
        await channel.handshake(control.serial)
        finished = False

        async def chunks() -> AsyncIterator[bytes]:
            nonlocal finished
            while chunk := await channel.receive():
                yield chunk
            finished = True

        yield chunks()
        writer.transport.abort()
        if finished:
            refused(await control.reply(), 226, command, also=(250,))
        elif not settle or not await _settled(control):
            raise Incomplete(command)


async def _settled(control: Control) -> bool:
    """Read the reply to a transfer cut short; False when it is not one."""
    try:
        reply = await control.reply()
    except (BambuError, TimeoutError, OSError):
        return False
    return reply.code in _CUT_REPLIES


class TlsDataChannel:
    """TLS over a plain stream through memory BIOs, resuming a given session."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
        session: ssl.SSLSession | None,
        server_hostname: str,
        timeout: float,
    ) -> None:
        """Prepare TLS over the plain connection; nothing is sent yet."""
        self._reader = reader
        self._writer = writer
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(
            self._incoming,
            self._outgoing,
            server_hostname=server_hostname,
            session=session,
        )
        self._timeout = timeout

    async def handshake(self, serial: str | None) -> None:
        """Run the TLS handshake; the certificate must name ``serial``.

        A resumed session keeps the certificate of its first handshake: the
        data connection is checked as the control connection was.
        """
        await self._run(self._tls.do_handshake)
        if serial is not None:
            check_printer(self._tls, serial)

    async def send_all(self, data: bytes, progress: Progress | None) -> None:
        """Encrypt and send ``data`` chunk by chunk."""
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK):
            chunk = view[start : start + _CHUNK]
            await self._run(lambda: self._tls.write(chunk))  # noqa: B023
            if progress is not None:
                progress(start + len(chunk), len(view))

    async def receive(self) -> bytes:
        """The next decrypted bytes; empty at the end of the stream."""
        try:
            return await self._run(lambda: self._tls.read(_CHUNK))
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            # Also a close without close_notify: the final reply and the
            # size check tell whether everything arrived.
            return b""

    async def close_notify(self) -> None:
        """Send close_notify: the end of an upload."""
        with contextlib.suppress(ssl.SSLError):
            self._tls.unwrap()  # queues ours; the peer's may follow or not
        await self._flush()

    async def _run[T](self, operation: Callable[[], T]) -> T:
        """Repeat ``operation`` while TLS needs bytes from the peer."""
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                await self._flush()
                async with asyncio.timeout(self._timeout):
                    chunk = await self._reader.read(_CHUNK)
                if chunk:
                    self._incoming.write(chunk)
                else:
                    self._incoming.write_eof()
                continue
            await self._flush()
            return result

    async def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self._writer.write(data)
            async with asyncio.timeout(self._timeout):
                await self._writer.drain()


# --- replies --------------------------------------------------------------------
