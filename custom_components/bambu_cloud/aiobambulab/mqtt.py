"""The MQTT link to Bambu Lab printers: one TLS session, local or cloud, kept up.

A local link talks to one printer's own broker (user ``bblp``, the access code
as password); a cloud link talks to Bambu's broker (user ``u_<uid>``, the
access token as password) and serves every printer of the account on one
connection. Both subscribe ``device/<serial>/report`` and publish commands on
``device/<serial>/request``. The link reconnects with backoff until stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import itertools
import logging
import random
import secrets
import ssl
import time
from typing import Any, Final

import aiomqtt
import orjson

from .command_replies import (
    PendingReply,
    fail_pending,
    greetings,
    settle_replies,
    stamped,
)
from .connect_failures import classify, code_value, untrusted_certificate
from .errors import CommandTimeout, ConnectError, ConnectionFailure, NotConnected
from .hosts import GLOBAL
from .identity import printer_context
from .link_health import LinkHealth, LinkStatus, StatusCallback
from .mqtt_client import new_client, open_client, publish
from .nesting import too_deep
from .tls import cloud_ssl_context, local_ssl_context, system_context
from .topics import checked_serial, report_serial, report_topic

_LOGGER = logging.getLogger(__name__)

PORT: Final = 8883
LOCAL_USERNAME: Final = "bblp"
CLOUD_HOST: Final = GLOBAL.mqtt_host
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_REQUEST_TIMEOUT: Final = 10.0

# A session shorter than this does not reset the backoff, so a broker that
# accepts and then drops us at once is not hammered every second.
_STABLE_SESSION: Final = 30.0

type MessageCallback = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkOptions:
    """Tuning of a link; the defaults suit real printers."""

    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    keepalive: int = 60
    backoff_min: float = 1.0
    backoff_max: float = 300.0
    client_id: str | None = None
    # Ask each printer for its versions and full state on every new session;
    # off when the caller does so itself (only one pushall per session).
    greet: bool = True


class PrinterLink:
    """One MQTT session over TLS serving one or more printer serials.

    ``on_message(serial, message)`` receives every JSON object reported by a
    printer, ``on_status(status)`` every change of the connection state. Both
    run in the event loop and must not block; what they raise is logged.
    """

    def __init__(
        self,
        host: str,
        serials: Iterable[str],
        *,
        username: str,
        password: str,
        on_message: MessageCallback,
        on_status: StatusCallback | None = None,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        options: LinkOptions | None = None,
    ) -> None:
        """Prepare a link; ``ssl_context`` None means the system CAs."""
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._ssl_context = ssl_context
        self._options = options or LinkOptions()
        self._client_id = self._options.client_id or f"bblc_{secrets.token_hex(6)}"
        self._on_message = on_message
        self._serials: set[str] = set()
        for serial in serials:
            self._serials.add(checked_serial(serial))
        self._subscribed: set[str] = set()
        self._pending: dict[tuple[str, str], PendingReply] = {}
        self._sequence = itertools.count(10_000 + secrets.randbelow(90_000))
        self._health = LinkHealth(host, on_status)
        self._last_seen: dict[str, datetime] = {}
        self._client: aiomqtt.Client | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._up_since: float | None = None
        self._wake = asyncio.Event()

    @classmethod
    def local(
        cls,
        host: str,
        serial: str,
        access_code: str,
        *,
        on_message: MessageCallback,
        on_status: StatusCallback | None = None,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        ca_pem: str | None = None,
        insecure: bool = False,
        options: LinkOptions | None = None,
    ) -> PrinterLink:
        """Link to one printer on the LAN, verified against the Bambu CAs."""
        if ssl_context is None:
            ssl_context = local_ssl_context(ca_pem, insecure=insecure)
        if ssl_context.verify_mode == ssl.CERT_NONE:
            _LOGGER.warning("TLS verification is off for the printer at %s", host)
        return cls(
            host,
            [serial],
            username=LOCAL_USERNAME,
            password=access_code,
            on_message=on_message,
            on_status=on_status,
            port=port,
            # Checked on every connection: the access code goes to no other
            # printer, even when the address now leads to one.
            ssl_context=printer_context(ssl_context, checked_serial(serial)),
            options=options,
        )

    @classmethod
    def cloud(
        cls,
        uid: str | int,
        token: str,
        serials: Iterable[str],
        *,
        on_message: MessageCallback,
        on_status: StatusCallback | None = None,
        host: str = CLOUD_HOST,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        ca_pem: str | None = None,
        options: LinkOptions | None = None,
    ) -> PrinterLink:
        """Link to the cloud broker for every printer of an account.

        ``uid`` is the account's numeric id; one already prefixed ``u_`` is
        used as is.
        """
        username = str(uid)
        if not username.startswith("u_"):
            username = f"u_{username}"
        if ssl_context is None and ca_pem is not None:
            ssl_context = cloud_ssl_context(ca_pem)
        return cls(
            host,
            serials,
            username=username,
            password=token,
            on_message=on_message,
            on_status=on_status,
            port=port,
            ssl_context=ssl_context,
            options=options,
        )

    # --- state -------------------------------------------------------------

    @property
    def host(self) -> str:
        """The broker's host."""
        return self._host

    @property
    def serials(self) -> frozenset[str]:
        """The printers this link serves."""
        return frozenset(self._serials)

    @property
    def connected(self) -> bool:
        """Whether the session is up and subscribed."""
        return self._health.connected

    @property
    def status(self) -> LinkStatus:
        """The current state of the link."""
        return self._health.status

    def last_seen(self, serial: str) -> datetime | None:
        """When a message from this printer last arrived."""
        return self._last_seen.get(serial)

    # --- life cycle ----------------------------------------------------------

    async def start(self) -> None:
        """Start connecting in the background; reconnects until stopped."""
        if self._task is None:
            self._task = asyncio.create_task(
                self._run(), name=f"bambu_mqtt {self._host}"
            )
            self._task.add_done_callback(self._task_done)

    async def stop(self) -> None:
        """Disconnect and end the background task."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.wait({task})
        self._fail_pending("the link was stopped")
        self._connected.clear()
        self._health.stopped()

    async def reconnect_with(self, password: str) -> None:
        """Open a new session with a new password (a renewed token) at once.

        The link is not reported down meanwhile; a refused password is.
        """
        self._password = password
        task = self._task
        if task is None:
            return
        task.cancel()
        await asyncio.wait({task})
        self._task = None
        self._up_since = None
        await self.start()

    def retry_now(self) -> None:
        """Skip the rest of the backoff pause (e.g. the printer is back online)."""
        if self._task is not None and not self._health.connected:
            self._wake.set()

    def _task_done(self, task: asyncio.Task[None]) -> None:
        # The loop catches everything, so this is a bug: say so at once.
        if not task.cancelled() and (error := task.exception()) is not None:
            _LOGGER.error("The MQTT link to %s stopped", self._host, exc_info=error)

    # A timeout argument (ASYNC109) because expiry raises a classified library
    # error, not a bare TimeoutError.
    async def wait_connected(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait until the session is up; raise ConnectError with the last reason."""
        if self._task is None:
            raise NotConnected("the link is not started")
        try:
            async with asyncio.timeout(timeout):
                await self._connected.wait()
        except TimeoutError:
            status = self._health.status
            raise ConnectError(
                status.failure or ConnectionFailure.TIMEOUT,
                status.message or f"not connected within {timeout:g} s",
            ) from None

    async def add_serial(self, serial: str) -> None:
        """Serve one more printer; subscribes at once when connected."""
        serial = checked_serial(serial)
        if serial in self._serials:
            return
        self._serials.add(serial)
        if (client := self._client) is not None:
            try:
                await self._subscribe(client, [serial])
            except aiomqtt.MqttError as err:
                # The session notices the broken connection and resubscribes.
                _LOGGER.debug("Subscribing to %s failed: %s", serial, err)

    async def remove_serial(self, serial: str) -> None:
        """Stop serving a printer; its pending requests fail."""
        if serial not in self._serials:
            return
        self._serials.discard(serial)
        self._last_seen.pop(serial, None)
        self._fail_pending(f"{serial} was removed from the link", serial)
        if serial in self._subscribed and (client := self._client) is not None:
            self._subscribed.discard(serial)
            try:
                await client.unsubscribe(report_topic(serial))
            except aiomqtt.MqttError as err:
                _LOGGER.debug("Unsubscribing from %s failed: %s", serial, err)

    # --- commands ----------------------------------------------------------

    async def publish(self, serial: str, payload: dict[str, Any]) -> str:
        """Send a command without waiting for a reply.

        A ``sequence_id`` is added when missing; it is returned ("" when the
        payload has no single module object).
        """
        client = self._require_client(serial)
        message, _, body = stamped(payload, self._next_sequence)
        await publish(client, serial, message)
        return "" if body is None else str(body["sequence_id"])

    async def request(
        self,
        serial: str,
        payload: dict[str, Any],
        timeout: float = DEFAULT_REQUEST_TIMEOUT,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Send a command and return the module object of the printer's reply.

        The reply is the report whose module object carries the same
        ``sequence_id`` and ``command``. Raises CommandRefused when it says
        ``result: failed``, CommandTimeout without a reply, NotConnected when
        the link is or goes down.
        """
        client = self._require_client(serial)
        message, module, body = stamped(payload, self._next_sequence)
        command = None if body is None else body.get("command")
        if module is None or body is None or not isinstance(command, str):
            raise ValueError("a request needs one module object with a command")
        key = (serial, str(body["sequence_id"]))
        if key in self._pending:
            raise ValueError(f"sequence_id {key[1]} is already awaiting a reply")
        pending = PendingReply(
            serial, module, command, asyncio.get_running_loop().create_future()
        )
        self._pending[key] = pending
        try:
            await publish(client, serial, message)
            try:
                async with asyncio.timeout(timeout):
                    return await pending.future
            except TimeoutError:
                raise CommandTimeout(
                    f"{serial} did not answer {command} within {timeout:g} s",
                    serial=serial,
                    command=command,
                ) from None
        finally:
            if self._pending.get(key) is pending:
                del self._pending[key]

    def _next_sequence(self) -> str:
        return str(next(self._sequence))

    def _require_client(self, serial: str) -> aiomqtt.Client:
        if serial not in self._serials:
            raise ValueError(f"{serial} is not served by this link")
        if self._client is None or not self._health.connected:
            raise NotConnected(f"the link to {self._host} is down")
        return self._client

    # --- the session ---------------------------------------------------------

    async def _run(self) -> None:
        delay = self._options.backoff_min
        while True:
            try:
                await self._session()
            except Exception as err:  # noqa: BLE001 - the loop must survive anything
                failure, message = classify(
                    err,
                    ConnectionFailure.UNREACHABLE
                    if self._up_since is not None
                    else ConnectionFailure.PROTOCOL,
                )
                untrusted = failure is ConnectionFailure.TLS and untrusted_certificate(
                    err
                )
                if failure is ConnectionFailure.PROTOCOL:
                    _LOGGER.debug(
                        "MQTT session with %s failed", self._host, exc_info=err
                    )
            else:  # pragma: no cover - aiomqtt's message iterator only ends by raising
                failure, message = ConnectionFailure.UNREACHABLE, "connection closed"
                untrusted = False
            up_since = self._up_since
            if up_since is not None and time.monotonic() - up_since >= _STABLE_SESSION:
                delay = self._options.backoff_min
            self._up_since = None
            self._health.down(
                failure,
                message,
                was_up=up_since is not None,
                untrusted=untrusted,
            )
            await self._pause(_jitter(delay))
            delay = min(delay * 2, self._options.backoff_max)

    async def _pause(self, seconds: float) -> None:
        """Wait out the backoff, unless ``retry_now`` cuts it short."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def _session(self) -> None:
        context = self._ssl_context
        if context is None:
            context = await asyncio.get_running_loop().run_in_executor(
                None, system_context
            )
        client = new_client(
            self._host,
            self._port,
            self._username,
            self._password,
            context,
            self._client_id,
            self._options.connect_timeout,
            self._options.keepalive,
        )
        async with open_client(client):
            self._client = client
            self._subscribed.clear()
            try:
                await self._subscribe(client, self._serials)
                self._up_since = time.monotonic()
                self._connected.set()
                self._health.up()
                async for message in client.messages:
                    self._dispatch(message)
            finally:
                self._client = None
                self._connected.clear()
                self._fail_pending(f"the link to {self._host} went down")

    async def _subscribe(self, client: aiomqtt.Client, serials: Iterable[str]) -> None:
        # Claim before awaiting, so a concurrent add_serial does not repeat it.
        todo = sorted(set(serials) - self._subscribed)
        if not todo:
            return
        self._subscribed.update(todo)
        codes = await client.subscribe([(report_topic(serial), 0) for serial in todo])
        for serial, code in zip(todo, codes, strict=False):
            if code_value(code) >= 0x80:
                _LOGGER.warning(
                    "The broker %s refused the reports of %s", self._host, serial
                )
        if not self._options.greet:
            return
        for serial in todo:
            # Ask once per connection; afterwards the printer pushes deltas.
            for hello in greetings(self._next_sequence):
                await publish(client, serial, hello)

    # --- incoming ------------------------------------------------------------

    def _dispatch(self, message: aiomqtt.Message) -> None:
        serial = report_serial(message.topic.value)
        if serial is None or serial not in self._serials:
            _LOGGER.debug("Ignored a message on %s", message.topic.value)
            return
        self._health.last_message_at = self._last_seen[serial] = datetime.now(UTC)
        try:
            data = orjson.loads(message.payload)
        except orjson.JSONDecodeError as err:
            _LOGGER.debug("Dropped a report of %s that is not JSON: %s", serial, err)
            return
        if not isinstance(data, dict):
            _LOGGER.debug("Dropped a report of %s that is not an object", serial)
            return
        if too_deep(data):
            _LOGGER.debug("Dropped a report of %s nested too deep", serial)
            return
        if self._pending:
            # Before on_message: the reply handed out must be the printer's own.
            # Nothing in one message may end the session of every printer.
            try:
                settle_replies(self._pending, serial, data)
            except Exception:
                _LOGGER.exception("Matching the replies of %s failed", serial)
        try:
            self._on_message(serial, data)
        except Exception:
            _LOGGER.exception("The message callback failed for %s", serial)

    def _fail_pending(self, reason: str, serial: str | None = None) -> None:
        fail_pending(self._pending, reason, serial)


def _jitter(delay: float) -> float:
    """Spread reconnects of many clients after an outage (equal jitter)."""
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - not for security
