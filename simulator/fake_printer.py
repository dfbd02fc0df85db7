"""A minimal fake printer: an MQTT peer answering requests like firmware does.

It connects to the broker as a printer-role user, listens on
``device/<serial>/request`` and answers on ``device/<serial>/report``:
``pushall`` with the full report it was given, ``get_version`` with its
version answer, anything else with ``result`` success or failed depending on
``reply``; with ``reply="silent"`` it answers nothing at all. Every request
is recorded for tests to inspect.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
import copy
import json
import logging
import ssl
from typing import Any, Literal

import aiomqtt

_LOGGER = logging.getLogger(__name__)

type Reply = Literal["success", "failed", "locked", "silent"]

# What firmware with the authorization lock answers to unsigned commands.
LOCKED_REASON = "mqtt message verify failed"
LOCKED_ERR_CODE = 84033543
FAILED_REASON = "command not supported"
FAILED_ERR_CODE = 0x0700_8011


class FakePrinter:
    """One simulated printer on a broker."""

    def __init__(
        self,
        serial: str,
        *,
        host: str,
        port: int,
        username: str,
        password: str,
        ssl_context: ssl.SSLContext,
        pushall: dict[str, Any],
        get_version: dict[str, Any],
        reply: Reply = "success",
    ) -> None:
        """Prepare the peer; ``pushall``/``get_version`` are captured answers."""
        self.serial = serial
        self.pushall = pushall
        self.get_version = get_version
        self.reply: Reply = reply
        self.requests: list[dict[str, Any]] = []
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._ssl_context = ssl_context
        self._client: aiomqtt.Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    @property
    def request_topic(self) -> str:
        """Where the printer listens."""
        return f"device/{self.serial}/request"

    @property
    def report_topic(self) -> str:
        """Where the printer reports."""
        return f"device/{self.serial}/report"

    async def start(self) -> None:
        """Connect, subscribe to the request topic and start answering."""
        client = aiomqtt.Client(
            self._host,
            self._port,
            username=self._username,
            password=self._password,
            identifier=f"printer-{self.serial}",
            tls_context=self._ssl_context,
        )
        await client.__aenter__()
        self._client = client
        await client.subscribe(self.request_topic)
        self._task = asyncio.create_task(
            self._serve(client), name=f"fake printer {self.serial}"
        )

    async def stop(self) -> None:
        """Stop answering and disconnect (also after the broker dropped us)."""
        task, self._task = self._task, None
        client, self._client = self._client, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task})
        if client is not None:
            with contextlib.suppress(aiomqtt.MqttError):
                await client.__aexit__(None, None, None)

    async def report(self, message: dict[str, Any], qos: int = 0) -> None:
        """Publish a report as the printer.

        With ``qos=1`` this returns once the broker has routed the message.
        """
        await self.publish_raw(json.dumps(message).encode(), qos)

    async def publish_raw(self, payload: bytes, qos: int = 0) -> None:
        """Publish any bytes on the report topic (malformed payload tests)."""
        if self._client is None:
            raise RuntimeError("the fake printer is not started")
        await self._client.publish(self.report_topic, payload, qos=qos)

    def commands(self, command: str | None = None) -> list[dict[str, Any]]:
        """The module objects of the requests received, optionally of one command."""
        bodies = [body for request in self.requests for body in _modules(request)]
        return [b for b in bodies if command is None or b.get("command") == command]

    async def wait_for(
        self, predicate: Callable[[FakePrinter], bool], seconds: float = 5.0
    ) -> None:
        """Wait until ``predicate(self)`` holds, re-checked on every request."""
        async with asyncio.timeout(seconds):
            while not predicate(self):
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_command(
        self, command: str, count: int = 1, seconds: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` requests of ``command`` arrived; return them."""
        await self.wait_for(
            lambda printer: len(printer.commands(command)) >= count, seconds
        )
        return self.commands(command)

    def answer(self, module: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The reply the firmware sends to one request (None: no reply)."""
        command = body.get("command")
        sequence = body.get("sequence_id")
        if self.reply == "silent":
            return None
        if command == "pushall":
            return copy.deepcopy(self.pushall)
        if command == "get_version":
            answer = copy.deepcopy(self.get_version)
            info = answer.get("info")
            # Some firmware echoes the sequence_id, some omits it (as captured).
            if isinstance(info, dict) and "sequence_id" in info:
                info["sequence_id"] = sequence
            return answer
        reply: dict[str, Any] = {"command": command, "sequence_id": sequence}
        if self.reply == "success":
            reply |= {"result": "success", "reason": ""}
        elif self.reply == "locked":
            reply |= {
                "result": "failed",
                "reason": LOCKED_REASON,
                "err_code": LOCKED_ERR_CODE,
            }
        else:
            reply |= {
                "result": "failed",
                "reason": FAILED_REASON,
                "err_code": FAILED_ERR_CODE,
            }
        return {module: reply}

    async def _serve(self, client: aiomqtt.Client) -> None:
        try:
            async for message in client.messages:
                await self._handle(message.payload)
        except aiomqtt.MqttError as err:
            _LOGGER.debug("Fake printer %s disconnected: %s", self.serial, err)

    async def _handle(self, payload: Any) -> None:
        try:
            request = json.loads(payload)
        except (ValueError, TypeError):
            _LOGGER.debug("Fake printer %s got a non-JSON request", self.serial)
            return
        if not isinstance(request, dict):
            return
        self.requests.append(request)
        self._changed.set()
        for module, body in request.items():
            if (
                isinstance(body, dict)
                and (answer := self.answer(module, body)) is not None
            ):
                await self.report(answer)


def _modules(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [body for body in request.values() if isinstance(body, dict)]
