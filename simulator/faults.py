"""Network faults for the tests: an MQTT proxy that cuts connections mid-packet.

``MqttProxy`` sits between clients and a broker and terminates TLS on both
sides (it serves a certificate the clients trust and verifies the broker), so
it sees MQTT packets, not just encrypted records. It forwards everything
unchanged until told to cut: then it passes on only the first half of the
next PUBLISH the broker sends and closes the connection, as a network that
fails in the middle of a report would.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import logging
import ssl

from .tls import PemFiles

_LOGGER = logging.getLogger(__name__)
HOST = "127.0.0.1"
PUBLISH = 3  # MQTT control packet type


@dataclass(slots=True, eq=False)
class _Session:
    """One client connection and its connection to the broker."""

    client: asyncio.StreamWriter
    broker: asyncio.StreamWriter
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class MqttProxy:
    """A TLS-terminating MQTT proxy in front of one broker listener."""

    def __init__(
        self,
        broker_port: int,
        certificate: PemFiles,
        ca_pem: str,
        *,
        broker_host: str = HOST,
    ) -> None:
        """Serve ``certificate``; reach the broker verified against ``ca_pem``."""
        self._broker = (broker_host, broker_port)
        self._server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server_context.load_cert_chain(
            certificate.cert_path, certificate.key_path
        )
        self._client_context = ssl.create_default_context(cadata=ca_pem)
        self._server: asyncio.Server | None = None
        self._sessions: set[_Session] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._cuts: list[asyncio.Future[int]] = []
        self.port = 0
        self.accepted = 0  # client connections served so far

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._server = await asyncio.start_server(
            self._serve, HOST, 0, ssl=self._server_context
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close the listener and every connection (idempotent)."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for session in list(self._sessions):
            _abort(session)
        if self._handlers:
            await asyncio.wait(self._handlers)
        if server is not None:
            await server.wait_closed()
        for cut in self._cuts:
            cut.cancel()
        self._cuts.clear()

    @property
    def sessions(self) -> int:
        """Client connections open now."""
        return len(self._sessions)

    def cut_next_publish(self) -> asyncio.Future[int]:
        """Arm a cut: the next PUBLISH to a client arrives half, then EOF.

        The future gets the number of bytes of that packet the client got.
        """
        cut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._cuts.append(cut)
        return cut

    # --- internals -------------------------------------------------------------

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # Tracked so that stop() can wait for every connection to end.
        if (handler := asyncio.current_task()) is not None:
            self._handlers.add(handler)
            handler.add_done_callback(self._handlers.discard)
        await self._relay(reader, writer)

    async def _relay(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            broker_reader, broker_writer = await asyncio.open_connection(
                *self._broker, ssl=self._client_context
            )
        except OSError as err:
            _LOGGER.debug("The proxy could not reach the broker: %s", err)
            writer.transport.abort()
            return
        session = _Session(writer, broker_writer)
        self._sessions.add(session)
        session.tasks = [
            asyncio.create_task(_pipe(reader, broker_writer)),
            asyncio.create_task(self._downstream(broker_reader, writer)),
        ]
        try:
            await asyncio.wait(session.tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in session.tasks:
                task.cancel()
            await asyncio.wait(session.tasks)
            self._sessions.discard(session)
            _abort(session)

    async def _downstream(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Broker to client, one MQTT packet at a time."""
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:
                packet = await _read_packet(reader)
                cut = self._pending_cut()
                if packet[0] >> 4 == PUBLISH and cut is not None:
                    half = len(packet) // 2
                    writer.write(packet[:half])
                    await writer.drain()
                    cut.set_result(half)
                    # A clean TLS close: the client reads half a packet, then
                    # EOF. Clients need not answer the close, so do not wait.
                    writer.close()
                    with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
                        async with asyncio.timeout(0.5):
                            await writer.wait_closed()
                    return
                writer.write(packet)
                await writer.drain()

    def _pending_cut(self) -> asyncio.Future[int] | None:
        while self._cuts:
            cut = self._cuts[0]
            if not cut.done():
                self._cuts.pop(0)
                return cut
            self._cuts.pop(0)
        return None


async def _read_packet(reader: asyncio.StreamReader) -> bytes:
    """One MQTT control packet: fixed header, remaining length, body."""
    header = await reader.readexactly(1)
    length_bytes = b""
    length = 0
    for shift in range(0, 28, 7):
        byte = await reader.readexactly(1)
        length_bytes += byte
        length |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            break
    body = await reader.readexactly(length)
    return header + length_bytes + body


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()


def _abort(session: _Session) -> None:
    for writer in (session.client, session.broker):
        writer.transport.abort()
