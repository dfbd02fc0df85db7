"""A printer's side of one MQTT connection: listen for requests, publish reports.

A simulated printer keeps one peer on the cloud broker and one on its own LAN
broker, as real printers do; both receive every report it sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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
        self, serial: str, endpoint: Endpoint, on_request: RequestHandler
    ) -> None:
        """Prepare the peer; ``on_request`` gets each decoded request."""
        self.serial = serial
        self.endpoint = endpoint
        self._on_request = on_request
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
                async with aiomqtt.Client(
                    endpoint.host,
                    endpoint.port,
                    username=endpoint.username,
                    password=endpoint.password,
                    tls_context=endpoint.ssl_context,
                    identifier=f"printer-{self.serial}-{endpoint.port}",
                ) as client:
                    await client.subscribe(f"device/{self.serial}/request")
                    self._client = client
                    self._connected.set()
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
