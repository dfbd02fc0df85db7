"""One-off checks of a LAN printer: the serial its certificate names, a login and an answer."""

from __future__ import annotations

import asyncio
import secrets
import ssl
from typing import Any

import aiomqtt
import orjson

from .connect_failures import classify
from .errors import CommandTimeout, ConnectError, ConnectionFailure, NotConnected
from .identity import certificate_serial, printer_context
from .mqtt import DEFAULT_CONNECT_TIMEOUT, LOCAL_USERNAME, PORT, LinkOptions
from .mqtt_client import new_client, open_client
from .tls import local_ssl_context
from .topics import report_topic, request_topic


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
        failure, message = classify(err, ConnectionFailure.UNREACHABLE)
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
    client = new_client(
        host,
        port,
        LOCAL_USERNAME,
        access_code,
        printer_context(context, serial),
        f"bblc_{secrets.token_hex(6)}",
        timeout,
        LinkOptions().keepalive,
    )
    sequence = str(secrets.randbelow(1_000_000))
    try:
        async with open_client(client):
            await client.subscribe(report_topic(serial))
            await client.publish(
                request_topic(serial),
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
        failure, message = classify(err, ConnectionFailure.PROTOCOL)
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
