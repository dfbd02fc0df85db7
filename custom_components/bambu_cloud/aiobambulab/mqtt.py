"""The MQTT link to Bambu Lab printers: one TLS session, local or cloud.

A local link talks to one printer's own broker (user ``bblp``, the access code
as password); a cloud link talks to Bambu's broker (user ``u_<uid>``, the
access token as password) and serves every printer of the account on one
connection. Both subscribe ``device/<serial>/report`` and publish commands on
``device/<serial>/request``.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator, Callable, Iterable
import contextlib
import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import errno
import functools
import itertools
import logging
from pathlib import Path
import random
import re
import secrets
import socket
import ssl
import time
from typing import Any, Final

import aiomqtt
from aiomqtt.exceptions import MqttConnectError
import orjson

from .errors import (
    CommandRefused,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
    NotConnected,
)
from .hosts import GLOBAL
from .identity import certificate_serial, printer_context
from .nesting import too_deep
from .values import as_int

_LOGGER = logging.getLogger(__name__)

PORT: Final = 8883
LOCAL_USERNAME: Final = "bblp"
CLOUD_HOST: Final = GLOBAL.mqtt_host
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_REQUEST_TIMEOUT: Final = 10.0

# Read once at import: building a context later must not touch the disk.
BAMBU_CA_PEM: Final[str] = "\n".join(
    path.read_text(encoding="ascii")
    for path in sorted((Path(__file__).parent / "certs").glob("*.cert"))
)

# CONNACK codes for a wrong user or password: MQTT 3.1.1 (4, 5) and the MQTT 5
# reason codes paho translates them to (134, 135).
_CREDENTIAL_CODES: Final = frozenset({4, 5, 134, 135})
_UNREACHABLE_ERRNOS: Final = frozenset(
    {
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.EHOSTDOWN,
        errno.ENETDOWN,
        errno.EADDRNOTAVAIL,
    }
)
# Firmware with Bambu's authorization lock refuses unsigned commands with
# reason "mqtt message verify failed" and err_code 0x05024007 (no signature)
# or 0x05024009 (malformed signature), as public projects report; the words
# also catch other phrasings (signature, permission). A heuristic: no
# capture in this project shows such a reply yet.
_LOCK_TEXT: Final = re.compile(r"verif|\bsign|authori[sz]|permission", re.IGNORECASE)
_LOCK_ERR_CODES: Final = frozenset({0x05024007, 0x05024009})
# What aiomqtt raises when the CONNACK does not come in time.
_AIOMQTT_TIMEOUT: Final = "Operation timed out"
# A session shorter than this does not reset the backoff, so a broker that
# accepts and then drops us at once is not hammered every second.
_STABLE_SESSION: Final = 30.0
# Messages received and not yet handled. A flood (a broker relaying a storm
# of reports) must not grow memory without end: past this, the oldest status
# report is dropped (a newer one follows), never a reply to a command.
MAX_QUEUED_MESSAGES: Final = 500
_STATUS_REPORT: Final = b'"push_status"'

type MessageCallback = Callable[[str, dict[str, Any]], None]
type StatusCallback = Callable[[LinkStatus], None]


class SerialMismatch(ConnectError):
    """The printer at the given address presents another serial."""

    key = "serial_mismatch"

    def __init__(self, expected: str, actual: str) -> None:
        """Keep both serials for the message."""
        super().__init__(
            ConnectionFailure.SERIAL_MISMATCH,
            f"the printer at this address is {actual}, not {expected}",
        )
        self.placeholders.update(expected=expected, actual=actual)
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """A snapshot of the link's state.

    ``failure`` and ``message`` describe the last failure and stay set after a
    reconnect; ``failed_attempts`` counts connection attempts that failed since
    the last successful one. ``untrusted`` says the last attempt failed because
    the server's certificate does not verify against the trusted CAs (a TLS
    failure the user should hear about: another server, or one in between).
    """

    connected: bool = False
    failure: ConnectionFailure | None = None
    message: str = ""
    failed_attempts: int = 0
    last_message_at: datetime | None = None
    untrusted: bool = False


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


@dataclass(slots=True)
class _Pending:
    serial: str
    module: str
    command: str
    future: asyncio.Future[dict[str, Any]] = field(repr=False)


def local_ssl_context(
    ca_pem: str | None = None, *, insecure: bool = False
) -> ssl.SSLContext:
    """Build the TLS context for a printer's own broker.

    The chain is verified against ``ca_pem`` (default: the bundled Bambu CAs);
    the host name is not checked because the certificate names the serial,
    not the address. ``insecure=True`` turns verification off entirely.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    if insecure:
        context.verify_mode = ssl.CERT_NONE
        return context
    context.verify_mode = ssl.CERT_REQUIRED
    # Trust a bundled intermediate (per model family) even without its root.
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.load_verify_locations(cadata=ca_pem or BAMBU_CA_PEM)
    return context


def cloud_ssl_context(ca_pem: str | None = None) -> ssl.SSLContext:
    """Build the TLS context for the cloud broker (host name checked).

    Without ``ca_pem`` this loads the system CAs from disk: call it in an
    executor, or let the link do so.
    """
    if ca_pem is None:
        return ssl.create_default_context()
    return ssl.create_default_context(cadata=ca_pem)


@functools.cache
def _system_context() -> ssl.SSLContext:
    return cloud_ssl_context()


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
        self._on_status = on_status
        self._serials: set[str] = set()
        for serial in serials:
            self._serials.add(_checked_serial(serial))
        self._subscribed: set[str] = set()
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._sequence = itertools.count(10_000 + secrets.randbelow(90_000))
        self._status = LinkStatus()
        self._last_message_at: datetime | None = None
        self._last_seen: dict[str, datetime] = {}
        self._client: aiomqtt.Client | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._up_since: float | None = None
        self._reported_down = False
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
            ssl_context=printer_context(ssl_context, _checked_serial(serial)),
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
        return self._status.connected

    @property
    def status(self) -> LinkStatus:
        """The current state of the link."""
        return replace(self._status, last_message_at=self._last_message_at)

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
        if self._status.connected:
            self._set_status(replace(self._status, connected=False))

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
        if self._task is not None and not self._status.connected:
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
            status = self._status
            raise ConnectError(
                status.failure or ConnectionFailure.TIMEOUT,
                status.message or f"not connected within {timeout:g} s",
            ) from None

    async def add_serial(self, serial: str) -> None:
        """Serve one more printer; subscribes at once when connected."""
        serial = _checked_serial(serial)
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
                await client.unsubscribe(_report_topic(serial))
            except aiomqtt.MqttError as err:
                _LOGGER.debug("Unsubscribing from %s failed: %s", serial, err)

    # --- commands ----------------------------------------------------------

    async def publish(self, serial: str, payload: dict[str, Any]) -> str:
        """Send a command without waiting for a reply.

        A ``sequence_id`` is added when missing; it is returned ("" when the
        payload has no single module object).
        """
        client = self._require_client(serial)
        message, _, body = _stamped(payload, self._next_sequence)
        await _publish(client, serial, message)
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
        message, module, body = _stamped(payload, self._next_sequence)
        command = None if body is None else body.get("command")
        if module is None or body is None or not isinstance(command, str):
            raise ValueError("a request needs one module object with a command")
        key = (serial, str(body["sequence_id"]))
        if key in self._pending:
            raise ValueError(f"sequence_id {key[1]} is already awaiting a reply")
        pending = _Pending(
            serial, module, command, asyncio.get_running_loop().create_future()
        )
        self._pending[key] = pending
        try:
            await _publish(client, serial, message)
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
        if self._client is None or not self._status.connected:
            raise NotConnected(f"the link to {self._host} is down")
        return self._client

    # --- the session ---------------------------------------------------------

    async def _run(self) -> None:
        delay = self._options.backoff_min
        while True:
            try:
                await self._session()
            except Exception as err:  # noqa: BLE001 - the loop must survive anything
                failure, message = _classify(
                    err,
                    ConnectionFailure.UNREACHABLE
                    if self._up_since is not None
                    else ConnectionFailure.PROTOCOL,
                )
                untrusted = failure is ConnectionFailure.TLS and _untrusted(err)
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
            self._session_ended(
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
                None, _system_context
            )
        client = _new_client(
            self._host,
            self._port,
            self._username,
            self._password,
            context,
            self._client_id,
            self._options,
        )
        async with _open(client):
            self._client = client
            self._subscribed.clear()
            try:
                await self._subscribe(client, self._serials)
                self._session_started()
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
        codes = await client.subscribe([(_report_topic(serial), 0) for serial in todo])
        for serial, code in zip(todo, codes, strict=False):
            if _code_value(code) >= 0x80:
                _LOGGER.warning(
                    "The broker %s refused the reports of %s", self._host, serial
                )
        if not self._options.greet:
            return
        for serial in todo:
            # Ask once per connection; afterwards the printer pushes deltas.
            for hello in (
                {
                    "info": {
                        "sequence_id": self._next_sequence(),
                        "command": "get_version",
                    }
                },
                {
                    "pushing": {
                        "sequence_id": self._next_sequence(),
                        "command": "pushall",
                    }
                },
            ):
                await _publish(client, serial, hello)

    def _session_started(self) -> None:
        self._up_since = time.monotonic()
        self._connected.set()
        if self._reported_down:
            _LOGGER.info("The MQTT link to %s is back", self._host)
            self._reported_down = False
        else:
            _LOGGER.debug("Connected to %s", self._host)
        self._set_status(replace(self._status, connected=True, failed_attempts=0))

    def _session_ended(
        self,
        failure: ConnectionFailure,
        message: str,
        *,
        was_up: bool,
        untrusted: bool = False,
    ) -> None:
        if not self._reported_down:
            _LOGGER.info(
                "The MQTT link to %s is %s (%s): %s",
                self._host,
                "lost" if was_up else "unavailable",
                failure,
                message,
            )
            self._reported_down = True
        else:
            _LOGGER.debug(
                "Connecting to %s failed (%s): %s", self._host, failure, message
            )
        self._set_status(
            LinkStatus(
                connected=False,
                failure=failure,
                message=message,
                failed_attempts=0 if was_up else self._status.failed_attempts + 1,
                untrusted=untrusted,
            )
        )

    def _set_status(self, status: LinkStatus) -> None:
        self._status = status
        if self._on_status is None:
            return
        try:
            self._on_status(self.status)
        except Exception:
            _LOGGER.exception(
                "The status callback of the link to %s failed", self._host
            )

    # --- incoming ------------------------------------------------------------

    def _dispatch(self, message: aiomqtt.Message) -> None:
        serial = _report_serial(message.topic.value)
        if serial is None or serial not in self._serials:
            _LOGGER.debug("Ignored a message on %s", message.topic.value)
            return
        self._last_message_at = self._last_seen[serial] = datetime.now(UTC)
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
                self._settle_replies(serial, data)
            except Exception:
                _LOGGER.exception("Matching the replies of %s failed", serial)
        try:
            self._on_message(serial, data)
        except Exception:
            _LOGGER.exception("The message callback failed for %s", serial)

    def _settle_replies(self, serial: str, data: dict[str, Any]) -> None:
        for module, body in data.items():
            if not isinstance(body, dict):
                continue
            command = body.get("command")
            if not isinstance(command, str):
                continue
            sequence = body.get("sequence_id")
            pending: _Pending | None
            if sequence is not None:
                pending = self._pending.get((serial, str(sequence)))
                if pending is not None and pending.command != command:
                    pending = None
            else:
                # A reply without sequence_id (none in the captures, but the
                # field is not guaranteed) answers the oldest such request.
                pending = next(
                    (
                        p
                        for p in self._pending.values()
                        if p.serial == serial
                        and p.module == module
                        and p.command == command
                        and not p.future.done()
                    ),
                    None,
                )
            if pending is None or pending.future.done():
                continue
            if _succeeded(body):
                pending.future.set_result(copy.deepcopy(body))
            else:
                pending.future.set_exception(_refusal(body))

    def _fail_pending(self, reason: str, serial: str | None = None) -> None:
        for pending in list(self._pending.values()):
            if (
                serial is None or pending.serial == serial
            ) and not pending.future.done():
                pending.future.set_exception(NotConnected(reason))


async def read_printer_serial(
    host: str,
    port: int = PORT,
    ssl_context: ssl.SSLContext | None = None,
    *,
    timeout: float = DEFAULT_CONNECT_TIMEOUT,  # noqa: ASYNC109
) -> str | None:
    """Return the subject CN (the serial) of the printer's TLS certificate.

    None when the context does not verify, as Python then hides the
    certificate's fields.
    """
    context = ssl_context or local_ssl_context()
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port, ssl=context)
    except OSError as err:
        failure, message = _classify(err, ConnectionFailure.UNREACHABLE)
        raise ConnectError(failure, message) from err
    try:
        certificate = writer.get_extra_info("peercert")
    finally:
        # Only the handshake was needed; skip the close_notify round trip.
        writer.transport.abort()
    return certificate_serial(certificate)


async def probe(
    host: str,
    serial: str,
    access_code: str,
    *,
    port: int = PORT,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = DEFAULT_CONNECT_TIMEOUT,  # noqa: ASYNC109
) -> dict[str, Any]:
    """Check a LAN printer once and return its ``info`` (get_version) answer.

    Reads the certificate's serial first (skipped when ``ssl_context`` does
    not verify), then logs in over MQTT and asks for the version; ``timeout``
    bounds each of these steps. Raises SerialMismatch when the certificate
    names another serial, ConnectError with the classified reason, or
    CommandTimeout when the printer does not answer.
    """
    context = ssl_context or local_ssl_context()
    actual = await read_printer_serial(host, port, context, timeout=timeout)
    if actual is not None and actual != serial:
        raise SerialMismatch(serial, actual)
    client = _new_client(
        host,
        port,
        LOCAL_USERNAME,
        access_code,
        printer_context(context, serial),
        f"bblc_{secrets.token_hex(6)}",
        LinkOptions(connect_timeout=timeout),
    )
    sequence = str(secrets.randbelow(1_000_000))
    try:
        async with _open(client):
            await client.subscribe(_report_topic(serial))
            await client.publish(
                f"device/{serial}/request",
                orjson.dumps(
                    {"info": {"sequence_id": sequence, "command": "get_version"}}
                ),
            )
            try:
                async with asyncio.timeout(timeout):
                    return await _version_answer(client, sequence)
            except TimeoutError:
                raise CommandTimeout(
                    f"{serial} did not answer get_version within {timeout:g} s",
                    serial=serial,
                    command="get_version",
                ) from None
    except (aiomqtt.MqttError, OSError) as err:
        failure, message = _classify(err, ConnectionFailure.PROTOCOL)
        raise ConnectError(failure, message) from err


async def _version_answer(client: aiomqtt.Client, sequence: str) -> dict[str, Any]:
    async for message in client.messages:
        try:
            data = orjson.loads(message.payload)
        except orjson.JSONDecodeError:
            continue
        info = data.get("info") if isinstance(data, dict) else None
        if (
            isinstance(info, dict)
            and info.get("command") == "get_version"
            and str(info.get("sequence_id", sequence)) == sequence
        ):
            return info
    raise NotConnected("the broker closed the connection")  # pragma: no cover


# --- helpers -------------------------------------------------------------------


def _new_client(
    host: str,
    port: int,
    username: str,
    password: str,
    context: ssl.SSLContext,
    client_id: str,
    options: LinkOptions,
) -> aiomqtt.Client:
    return _Client(
        host,
        port,
        username=username,
        password=password,
        identifier=client_id,
        protocol=aiomqtt.ProtocolVersion.V311,
        clean_session=True,
        timeout=options.connect_timeout,
        keepalive=options.keepalive,
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


class ReportQueue(asyncio.Queue[aiomqtt.Message]):
    """aiomqtt's incoming queue, bounded by dropping the oldest status report.

    aiomqtt's own bound drops the newest message, which may be the reply a
    command waits for. Replies are never dropped here: should the queue hold
    nothing else, it grows past the bound rather than lose one.
    """

    def __init__(self, maxsize: int = 0) -> None:
        """Bound at MAX_QUEUED_MESSAGES (aiomqtt's own ``maxsize`` stays 0)."""
        super().__init__(maxsize)
        self.dropped = 0

    def put_nowait(self, item: aiomqtt.Message) -> None:
        """Queue ``item``; when full, first drop the oldest status report."""
        if self.qsize() >= MAX_QUEUED_MESSAGES:
            self._drop_oldest_report()
        super().put_nowait(item)

    def _drop_oldest_report(self) -> None:
        waiting: collections.deque[aiomqtt.Message] = self._queue  # type: ignore[attr-defined]
        for index, message in enumerate(waiting):
            payload = message.payload
            if isinstance(payload, bytes | bytearray) and _STATUS_REPORT in payload:
                del waiting[index]
                self.task_done()
                self.dropped += 1
                log = _LOGGER.warning if self.dropped == 1 else _LOGGER.debug
                log(
                    "Reports arrive faster than they are handled: dropped the "
                    "oldest waiting one (%s so far)",
                    self.dropped,
                )
                return


@contextlib.asynccontextmanager
async def _open(client: aiomqtt.Client) -> AsyncIterator[aiomqtt.Client]:
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


async def _publish(
    client: aiomqtt.Client, serial: str, payload: dict[str, Any]
) -> None:
    try:
        await client.publish(f"device/{serial}/request", orjson.dumps(payload))
    except aiomqtt.MqttError as err:
        raise NotConnected(f"could not send to {serial}: {err}") from err


def _stamped(
    payload: dict[str, Any], next_sequence: Callable[[], str]
) -> tuple[dict[str, Any], str | None, dict[str, Any] | None]:
    """Return the payload with a sequence_id, its module name and object."""
    modules = [(name, body) for name, body in payload.items() if isinstance(body, dict)]
    if len(modules) != 1:
        return payload, None, None
    module, body = modules[0]
    if "sequence_id" not in body:
        # A copy: the caller's dict is left as it was.
        body = {**body, "sequence_id": next_sequence()}
        payload = {**payload, module: body}
    return payload, module, body


def _succeeded(body: dict[str, Any]) -> bool:
    result = body.get("result")
    return result is None or (isinstance(result, str) and result.lower() == "success")


def _refusal(body: dict[str, Any]) -> CommandRefused:
    """Turn a failed reply into CommandRefused, spotting the firmware lock."""
    texts = [
        value
        for key in ("reason", "err_msg", "error")
        if isinstance(value := body.get(key), str) and value
    ]
    err_code = as_int(body.get("err_code"))
    reason = texts[0] if texts else str(body.get("result"))
    locked = err_code in _LOCK_ERR_CODES or any(_LOCK_TEXT.search(t) for t in texts)
    return CommandRefused(reason, err_code, locked=locked)


def _classify(
    error: BaseException, default: ConnectionFailure
) -> tuple[ConnectionFailure, str]:
    """Say why a connection failed, looking through the exception chain.

    aiomqtt re-raises socket and TLS errors as MqttError, keeping the original
    as the context.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        failure = _failure_of(current)
        if failure is not None:
            return failure, str(current) or type(current).__name__
        current = current.__cause__ or current.__context__
    return default, str(error) or type(error).__name__


def _untrusted(error: BaseException) -> bool:
    """Whether the server's certificate failed verification (chain or name)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        current = current.__cause__ or current.__context__
    return False


def _failure_of(error: BaseException) -> ConnectionFailure | None:
    if isinstance(error, MqttConnectError):
        if _code_value(error.rc) in _CREDENTIAL_CODES:
            return ConnectionFailure.CREDENTIALS
        return ConnectionFailure.PROTOCOL
    if isinstance(error, (ssl.SSLError, ssl.CertificateError)):
        return ConnectionFailure.TLS
    if isinstance(error, TimeoutError):
        return ConnectionFailure.TIMEOUT
    if isinstance(error, (ConnectionError, socket.gaierror)):
        return ConnectionFailure.UNREACHABLE
    if isinstance(error, OSError) and error.errno in _UNREACHABLE_ERRNOS:
        return ConnectionFailure.UNREACHABLE
    return None


def _jitter(delay: float) -> float:
    """Spread reconnects of many clients after an outage (equal jitter)."""
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - not for security


def _code_value(code: object) -> int:
    """Return the number of a paho ReasonCode or of a plain int code."""
    value = getattr(code, "value", code)
    return value if isinstance(value, int) else -1


def _checked_serial(serial: str) -> str:
    if not serial or any(char in serial for char in "/+#"):
        raise ValueError(f"invalid printer serial {serial!r}")
    return serial


def _report_topic(serial: str) -> str:
    return f"device/{serial}/report"


def _report_serial(topic: str) -> str | None:
    parts = topic.split("/")
    if len(parts) == 3 and parts[0] == "device" and parts[2] == "report":
        return parts[1]
    return None
