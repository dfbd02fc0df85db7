"""A printer's side of one MQTT connection: listen for requests, publish reports.

A simulated printer keeps one peer on the cloud broker and one on its own LAN
broker, as real printers do; both receive every report it sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from dataclasses import dataclass, field
import json
import logging
import ssl
from typing import Any

import aiomqtt

_LOGGER = logging.getLogger(__name__)

type RequestHandler = Callable[[Any], None]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and as whom a peer connects."""

    host: str
    port: int
    username: str
    password: str = field(repr=False)
    ssl_context: ssl.SSLContext = field(repr=False)


class MqttPeer:
    """One connection of a printer to a broker; reconnects like firmware does."""

    retry_delay = 0.2  # seconds between reconnection attempts

    def __init__(
        self,
        serial: str,
        endpoint: Endpoint,
        on_request: RequestHandler,
        *,
        announce: dict[str, Any] | None = None,
    ) -> None:
        """Prepare the peer; ``on_request`` gets each decoded request.

        ``announce`` is reported after every reconnect (not the first
        connect): what the cloud broker says when a printer comes back.
        """
        self.serial = serial
        self.endpoint = endpoint
        self._on_request = on_request
        self._announce = announce
        self.connects = 0  # sessions started so far
        self._client: aiomqtt.Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    @property
    def connected(self) -> bool:
        """Whether the peer is connected and listening."""
        return self._client is not None

    async def start(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Connect, subscribe to the request topic and wait until listening."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        async with asyncio.timeout(timeout):
            await self._connected.wait()

    async def stop(self) -> None:
        """Disconnect and stop reconnecting (idempotent)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._client = None
        self._connected.clear()

    async def publish(self, message: dict[str, Any]) -> None:
        """Send one report; while disconnected it is lost, as on a printer."""
        client = self._client
        if client is None:
            return
        payload = json.dumps(message, separators=(",", ":"))
        try:
            await client.publish(f"device/{self.serial}/report", payload)
        except aiomqtt.MqttError as err:
            _LOGGER.debug("Printer %s could not report: %s", self.serial, err)

    async def _run(self) -> None:
        endpoint = self.endpoint
        while True:
            try:
                async with _connected(
                    aiomqtt.Client(
                        endpoint.host,
                        endpoint.port,
                        username=endpoint.username,
                        password=endpoint.password,
                        tls_context=endpoint.ssl_context,
                        identifier=f"printer-{self.serial}-{endpoint.port}",
                    )
                ) as client:
                    await client.subscribe(f"device/{self.serial}/request")
                    self._client = client
                    self.connects += 1
                    self._connected.set()
                    if self.connects > 1 and self._announce is not None:
                        await self.publish(self._announce)
                    async for message in client.messages:
                        self._deliver(message.payload)
            except aiomqtt.MqttError as err:
                _LOGGER.debug("Printer %s lost its broker: %s", self.serial, err)
            self._client = None
            self._connected.clear()
            await asyncio.sleep(self.retry_delay)

    def _deliver(self, payload: Any) -> None:
        try:
            request = json.loads(payload)
        except (TypeError, ValueError):
            _LOGGER.debug("Printer %s got a non-JSON request", self.serial)
            return
        self._on_request(request)


@contextlib.asynccontextmanager
async def _connected(client: aiomqtt.Client) -> AsyncIterator[aiomqtt.Client]:
    """``async with client``, but a stop() while connecting waits for the end.

    A connect cancelled halfway leaves aiomqtt a socket whose callbacks later
    fail on the cancelled future (an error logged after the test).
    """
    connecting = asyncio.ensure_future(client.__aenter__())
    try:
        await asyncio.shield(connecting)
    except asyncio.CancelledError:
        await asyncio.wait({connecting})
        if not connecting.cancelled() and connecting.exception() is None:
            with contextlib.suppress(aiomqtt.MqttError):
                await client.__aexit__(None, None, None)
        raise
    try:
        yield client
    finally:
        with contextlib.suppress(aiomqtt.MqttError):
            await client.__aexit__(None, None, None)
