"""Why a connection failed: an exception (and its chain) read as a ConnectionFailure."""

from __future__ import annotations

import errno
import socket
import ssl
from typing import Final

from aiomqtt.exceptions import MqttConnectError

from .errors import ConnectionFailure

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


def classify(
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


def untrusted_certificate(error: BaseException) -> bool:
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
        if code_value(error.rc) in _CREDENTIAL_CODES:
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


def code_value(code: object) -> int:
    """Return the number of a paho ReasonCode or of a plain int code."""
    value = getattr(code, "value", code)
    return value if isinstance(value, int) else -1
