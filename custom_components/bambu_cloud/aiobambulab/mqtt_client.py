"""aiomqtt's client, made safe to open, close and cancel at any moment.

The fixes live here: no EBADF when a socket closes before its write watch
starts, no socket left open by a cancelled or timed-out connect, no socket
error left unread.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
import ssl
from typing import Any, Final

import aiomqtt
import orjson

from .errors import NotConnected
from .report_queue import ReportQueue
from .topics import request_topic

# What aiomqtt raises when the CONNACK does not come in time.
_AIOMQTT_TIMEOUT: Final = "Operation timed out"


def new_client(
    host: str,
    port: int,
    username: str,
    password: str,
    context: ssl.SSLContext,
    client_id: str,
    connect_timeout: float,
    keepalive: int,
) -> aiomqtt.Client:
    """A client for one session (MQTT 3.1.1, clean session); open it with ``open_client``."""
    return _Client(
        host,
        port,
        username=username,
        password=password,
        identifier=client_id,
        protocol=aiomqtt.ProtocolVersion.V311,
        clean_session=True,
        timeout=connect_timeout,
        keepalive=keepalive,
        tls_context=context,
        queue_type=ReportQueue,
    )


class _Client(aiomqtt.Client):
    """aiomqtt's client, without its race between writing and closing.

    paho asks to watch the socket for writing whenever it queues a packet;
    aiomqtt schedules that watch for the socket's file number, and a socket
    closed before the watch starts made the event loop raise EBADF (or, with
    the number reused, watch another socket). The watch is skipped then.
    """

    def _on_socket_register_write(self, client: Any, userdata: Any, sock: Any) -> None:
        fileno = sock.fileno()

        def write() -> None:
            # A failed write means the connection broke: end the session,
            # as aiomqtt does.
            try:
                client.loop_write()
            except Exception as err:  # noqa: BLE001
                disconnected: asyncio.Future[None] = self._disconnected
                if not disconnected.done():
                    disconnected.set_exception(err)

        def watch() -> None:
            if sock.fileno() != fileno or client.socket() is not sock:
                return  # closed (or replaced) before the watch could start
            self._loop.add_writer(fileno, write)

        # paho may call this from aiomqtt's connect thread.
        self._loop.call_soon_threadsafe(watch)


@contextlib.asynccontextmanager
async def open_client(client: aiomqtt.Client) -> AsyncIterator[aiomqtt.Client]:
    """Connect like ``async with client``, without leaving sockets behind.

    aiomqtt connects in an executor thread that a cancel does not stop, so
    the connect always runs to its end (bounded by the timeouts) and is then
    closed; and it keeps the socket open after a CONNACK timeout.
    """
    connecting = asyncio.ensure_future(client.__aenter__())
    try:
        await asyncio.shield(connecting)
    except asyncio.CancelledError:
        await asyncio.wait({connecting})
        await _close_late(client, connecting)
        raise
    except aiomqtt.MqttError as error:
        await _discard(client, error)
        raise
    try:
        yield client
    finally:
        # A failed DISCONNECT must not replace what ends the session (above
        # all a cancel from stop()).
        with contextlib.suppress(aiomqtt.MqttError):
            await client.__aexit__(None, None, None)
        _retrieve_socket_error(client)


async def _close_late(
    client: aiomqtt.Client, connecting: asyncio.Future[aiomqtt.Client]
) -> None:
    """Close a connect that ended after its caller was cancelled."""
    if connecting.cancelled():
        return
    error = connecting.exception()
    if error is None:
        with contextlib.suppress(aiomqtt.MqttError):
            await client.__aexit__(None, None, None)
    elif isinstance(error, aiomqtt.MqttError):
        await _discard(client, error)


async def _discard(client: aiomqtt.Client, error: aiomqtt.MqttError) -> None:
    """Close the socket a CONNACK timeout leaves open.

    Without this paho would hold it until the keepalive expires. aiomqtt's
    exit sends DISCONNECT (paho then closes the socket) but cannot confirm it
    for a session that never started, so it is not waited for. Other connect
    failures have no socket left.
    """
    _retrieve_socket_error(client)
    if str(error) != _AIOMQTT_TIMEOUT:
        return
    client.timeout = 0
    with contextlib.suppress(aiomqtt.MqttError):
        await client.__aexit__(None, None, None)


def _retrieve_socket_error(client: aiomqtt.Client) -> None:
    """Read the socket error aiomqtt keeps when the connection broke.

    When the socket fails before the CONNACK or while subscribing, nothing
    in aiomqtt reads it, and asyncio logs "Future exception was never
    retrieved" as an error.
    """
    disconnected = getattr(client, "_disconnected", None)
    if (
        isinstance(disconnected, asyncio.Future)
        and disconnected.done()
        and not disconnected.cancelled()
    ):
        disconnected.exception()


async def publish(client: aiomqtt.Client, serial: str, payload: dict[str, Any]) -> None:
    """Send ``payload`` to a printer; NotConnected when the session is broken."""
    try:
        await client.publish(request_topic(serial), orjson.dumps(payload))
    except aiomqtt.MqttError as err:
        raise NotConnected(f"could not send to {serial}: {err}") from err
