"""The FTPS control connection: implicit TLS from the first byte, login, commands and replies.

The printer runs vsftpd: TLS from the first byte, user ``bblp`` with the
access code, passive mode, ``PROT P``. The control channel uses asyncio's
TLS; its session is lent to the data connections (``ftps_transfer``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from typing import Final

from .errors import BambuError, ConnectError, ConnectionFailure
from .ftps_replies import FtpReply, expected, features, protocol_error, refused
from .identity import check_printer

USER: Final = "bblp"
_LINE_LIMIT: Final = 8 * 1024
_MAX_REPLY_LINES: Final = 256
_REPLY = re.compile(r"(\d{3})([ -])(.*)")
_PASV = re.compile(r"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})")


class Control:
    """One logged-in control connection."""

    def __init__(
        self,
        host: str,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
        timeout: float,
        serial: str | None = None,
    ) -> None:
        """Wrap an open, checked connection (see ``open``)."""
        self.host = host
        self.serial = serial
        self._reader = reader
        self._writer = writer
        self.context = context
        self.timeout = timeout
        self.features: frozenset[str] = frozenset()

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        context: ssl.SSLContext,
        timeout: float,  # noqa: ASYNC109
        serial: str | None = None,
    ) -> Control:
        """Connect with TLS from the first byte; check the printer's serial."""
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                host,
                port,
                ssl=context,
                limit=_LINE_LIMIT,
                ssl_shutdown_timeout=timeout,
            )
        if serial is not None:
            try:
                check_printer(writer.get_extra_info("ssl_object"), serial)
            except ssl.SSLError:
                writer.transport.abort()
                raise
        return cls(host, reader, writer, context, timeout, serial)

    async def login(self, access_code: str) -> None:
        """Read the greeting, log in and ask for private binary transfers."""
        # Reading the greeting also takes in TLS 1.3 session tickets, which
        # arrive after the handshake and make the session resumable.
        expected(await self.reply(), 220, "greeting")
        reply = await self.command(f"USER {USER}")
        if reply.code == 331:
            reply = await self.command(f"PASS {access_code}")
        expected(reply, 230, "login")
        await self.expect("PBSZ 0", 200, setup=True)
        await self.expect("PROT P", 200, setup=True)
        await self.expect("TYPE I", 200, setup=True)
        reply = await self.command("FEAT")
        if reply.code == 211:
            self.features = features(reply.text.splitlines()[1:])

    async def size(self, path: str) -> int | None:
        """The size of a file; None when the printer does not say."""
        reply = await self.command(f"SIZE {path}")
        if reply.code in (500, 502):  # SIZE not implemented
            return None
        refused(reply, 213, f"SIZE {path}")
        try:
            return int(reply.text.strip())
        except ValueError:
            raise protocol_error(reply, "SIZE") from None

    async def passive(self) -> int:
        """Enter passive mode; return the data port the printer listens on."""
        reply = await self.command("PASV")
        expected(reply, 227, "PASV")
        match = _PASV.search(reply.text)
        if match is None:
            raise protocol_error(reply, "PASV")
        high, low = int(match[5]), int(match[6])
        port = high * 256 + low
        if not 0 < port <= 0xFFFF:
            raise protocol_error(reply, "PASV")
        # The announced address is ignored: the printer is where we connected.
        return port

    def tls_session(self) -> ssl.SSLSession | None:
        """The control connection's TLS session, which data connections resume."""
        tls: ssl.SSLObject = self._writer.get_extra_info("ssl_object")
        return tls.session

    async def expect(self, command: str, code: int, *, setup: bool = False) -> FtpReply:
        """Send ``command`` and require ``code``.

        Any other answer is a refusal (CommandRefused), or a protocol error
        for ``setup`` commands, which every printer accepts.
        """
        reply = await self.command(command)
        if setup:
            expected(reply, code, command)
        else:
            refused(reply, code, command)
        return reply

    async def command(self, line: str) -> FtpReply:
        """Send one command line and read the reply."""
        self._writer.write(line.encode() + b"\r\n")
        async with asyncio.timeout(self.timeout):
            await self._writer.drain()
        return await self.reply()

    async def reply(self) -> FtpReply:
        """Read one (possibly multi-line) reply."""
        async with asyncio.timeout(self.timeout):
            first = await self._line()
            match = _REPLY.fullmatch(first)
            if match is None:
                raise ConnectError(
                    ConnectionFailure.PROTOCOL, f"not an FTP reply: {first[:80]!r}"
                )
            code, more, text = match[1], match[2] == "-", match[3]
            lines = [text]
            while more:
                if len(lines) >= _MAX_REPLY_LINES:
                    raise ConnectError(ConnectionFailure.PROTOCOL, "reply too long")
                line = await self._line()
                more = not line.startswith(f"{code} ")
                lines.append(line if more else line[4:])
            return FtpReply(int(code), "\n".join(lines))

    async def _line(self) -> str:
        try:
            raw = await self._reader.readline()
        except ValueError:  # longer than the stream's limit
            raise ConnectError(
                ConnectionFailure.PROTOCOL, "reply line too long"
            ) from None
        if not raw.endswith(b"\n"):
            raise ConnectError(
                ConnectionFailure.UNREACHABLE, "the printer closed the connection"
            )
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    async def quit(self) -> None:
        """Say goodbye politely, but never wait long or fail."""
        try:
            with contextlib.suppress(BambuError, OSError):
                await self.command("QUIT")
            self._writer.close()  # TLS close_notify, bounded by the timeout
            with contextlib.suppress(OSError):
                async with asyncio.timeout(self.timeout):
                    await self._writer.wait_closed()
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the connection at once."""
        self._writer.transport.abort()
