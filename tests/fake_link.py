"""A stand-in for the MQTT transport (``PrinterLink``) in integration unit tests.

Everything above the transport runs for real: the hub, the coordinators,
``PrinterState`` and the entities. Tests deliver printer messages with
``deliver`` and read what the integration published from ``published``.
End-to-end tests use the real link against the simulator instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any, ClassVar, Self

from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    ConnectError,
    ConnectionFailure,
    NotConnected,
)
from custom_components.bambu_cloud.aiobambulab.link_health import LinkStatus
from custom_components.bambu_cloud.aiobambulab.state import PrinterState


def _capture_addresses() -> frozenset[str]:
    """The LAN addresses the captured printers report."""
    addresses = set()
    for path in (Path(__file__).parent / "fixtures" / "printers").glob(
        "*/pushall.json"
    ):
        state = PrinterState("")
        state.apply(json.loads(path.read_text(encoding="utf-8")))
        if state.ip_address is not None:
            addresses.add(state.ip_address)
    return frozenset(addresses)


type Reply = Callable[[str, dict[str, Any]], dict[str, Any] | Exception | None]


@dataclass
class FakeLink:
    """One fake MQTT session; instances register themselves in ``links``."""

    host: str
    serials_set: set[str]
    username: str
    password: str
    on_message: Callable[[str, dict[str, Any]], None]
    on_status: Callable[[LinkStatus], None] | None
    port: int
    local: bool
    connected: bool = False
    started: bool = False
    retries_now: int = 0
    failure: ConnectionFailure | None = None  # why the last attempt failed
    reconnects: int = 0
    published: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    links: ClassVar[list[FakeLink]] = []
    # What the next links do when they connect: None connects, else raises.
    connect_failure: ClassVar[ConnectionFailure | None] = None
    # Hosts whose links fail that way (all when empty).
    failing_hosts: ClassVar[set[str]] = set()
    # How requests are answered; default: success.
    reply: ClassVar[Reply | None] = None
    # Addresses with no route from the tests' Home Assistant: by default the
    # captured printers' own (they report them; a test opts in to reach them).
    out_of_reach: ClassVar[set[str]] = set()

    @classmethod
    def reset(cls) -> None:
        """Forget every link and behaviour (between tests)."""
        cls.links = []
        cls.connect_failure = None
        cls.failing_hosts = set()
        cls.reply = None
        cls.out_of_reach = set(CAPTURE_ADDRESSES)

    @classmethod
    def cloud(
        cls,
        uid: str | int,
        token: str,
        serials: Iterable[str],
        *,
        on_message: Callable[[str, dict[str, Any]], None],
        on_status: Callable[[LinkStatus], None] | None = None,
        host: str = "",
        port: int = 8883,
        **_tls: Any,
    ) -> Self:
        """Like PrinterLink.cloud."""
        link = cls(
            host, set(serials), f"u_{uid}", token, on_message, on_status, port, False
        )
        cls.links.append(link)
        return link

    @classmethod
    def local(
        cls,
        host: str,
        serial: str,
        access_code: str,
        *,
        on_message: Callable[[str, dict[str, Any]], None],
        on_status: Callable[[LinkStatus], None] | None = None,
        port: int = 8883,
        **_tls: Any,
    ) -> Self:
        """Like PrinterLink.local."""
        link = cls(
            host, {serial}, "bblp", access_code, on_message, on_status, port, True
        )
        cls.links.append(link)
        return link

    @property
    def serials(self) -> frozenset[str]:
        """The printers this link serves."""
        return frozenset(self.serials_set)

    @property
    def status(self) -> LinkStatus:
        """Like PrinterLink.status (up or down, and why it is down)."""
        return LinkStatus(connected=self.connected, failure=self.failure)

    async def start(self) -> None:
        """Connect at once, or fail as told."""
        self.started = True
        if self.local and self.host in type(self).out_of_reach:
            self.failure = ConnectionFailure.TIMEOUT
            if self.on_status is not None:
                self.on_status(self.status)
        elif self._failure() is None:
            self.set_connected(True)

    async def stop(self) -> None:
        """Disconnect."""
        self.started = False
        if self.connected:
            self.set_connected(False)

    async def reconnect_with(self, password: str) -> None:
        """Like PrinterLink.reconnect_with: a new session with a new password."""
        self.password = password
        self.reconnects += 1

    def retry_now(self) -> None:
        """Count the calls: the fake has no backoff to skip."""
        self.retries_now += 1

    async def wait_connected(self, timeout: float) -> None:
        """Raise the configured failure, as the real link does."""
        failure = self._failure()
        if failure is not None:
            raise ConnectError(failure, "fake refusal")

    def _failure(self) -> ConnectionFailure | None:
        hosts = type(self).failing_hosts
        if hosts and self.host not in hosts:
            return None
        return type(self).connect_failure

    def set_connected(self, connected: bool) -> None:
        """Go up or down, telling the integration."""
        self.connected = connected
        if self.on_status is not None:
            self.on_status(LinkStatus(connected=connected))

    async def add_serial(self, serial: str) -> None:
        """Serve one more printer."""
        self.serials_set.add(serial)

    async def remove_serial(self, serial: str) -> None:
        """Stop serving a printer."""
        self.serials_set.discard(serial)

    def deliver(self, serial: str, message: dict[str, Any]) -> None:
        """A message from the printer."""
        self.on_message(serial, message)

    async def publish(self, serial: str, payload: dict[str, Any]) -> str:
        """Record a command."""
        if not self.connected:
            raise NotConnected("fake link is down")
        self.published.append((serial, payload))
        return "1"

    async def request(
        self,
        serial: str,
        payload: dict[str, Any],
        timeout: float = 10,
    ) -> dict[str, Any]:
        """Record a command and answer it as configured."""
        await self.publish(serial, payload)
        _module, body = next(iter(payload.items()))
        answer = type(self).reply(serial, payload) if type(self).reply else None
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            answer = {**body, "result": "success"}
        if answer.get("result") == "failed":
            raise CommandRefused(
                str(answer.get("reason", "")), err_code=answer.get("err_code")
            )
        return answer

    def commands(self, command: str | None = None) -> list[dict[str, Any]]:
        """Published payload bodies, optionally of one command."""
        bodies = [next(iter(p.values())) for _, p in self.published]
        return [b for b in bodies if command is None or b.get("command") == command]


CAPTURE_ADDRESSES = _capture_addresses()
