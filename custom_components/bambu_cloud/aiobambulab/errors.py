"""The exceptions of the Bambu client library.

Every error carries a stable ``key`` (snake_case) and ``placeholders`` so a
caller such as Home Assistant can show a translated message without parsing
English text. Secrets never go into messages.
"""

from __future__ import annotations

from enum import StrEnum


class BambuError(Exception):
    """Base of every error raised by the library."""

    key: str = "unknown"

    def __init__(self, message: str = "", **placeholders: str) -> None:
        """Store a developer message and the translation placeholders."""
        super().__init__(message or self.key)
        self.placeholders: dict[str, str] = placeholders


# --- cloud (REST) ---------------------------------------------------------


class CloudError(BambuError):
    """The Bambu cloud could not do what was asked."""

    key = "cloud_error"


class InvalidCredentials(CloudError):
    """Wrong email/phone or password."""

    key = "invalid_auth"


class VerificationCodeInvalid(CloudError):
    """The email/SMS or authenticator code is wrong."""

    key = "invalid_code"


class VerificationCodeExpired(CloudError):
    """The email/SMS code expired; a new one must be sent."""

    key = "code_expired"


class TwoFactorUnavailable(CloudError):
    """The authenticator (2FA) endpoint refused the request (often 403)."""

    key = "tfa_unavailable"


class TokenExpired(CloudError):
    """The access token is no longer accepted: the user must log in again."""

    key = "token_expired"


class RateLimited(CloudError):
    """Too many requests (HTTP 429)."""

    key = "rate_limited"

    def __init__(self, message: str = "", retry_after: float | None = None) -> None:
        """Remember how long the cloud asked us to wait, when it said."""
        super().__init__(
            message, retry_after="" if retry_after is None else f"{retry_after:g}"
        )
        self.retry_after = retry_after


class CloudUnavailable(CloudError):
    """The cloud did not answer in time, or answered with a server error."""

    key = "cannot_connect"


class UnexpectedResponse(CloudError):
    """The cloud answered something this library does not understand."""

    key = "unexpected_response"


class UploadNotAvailable(CloudError):
    """The account has no cloud storage for uploads."""

    key = "upload_not_available"


# --- MQTT link --------------------------------------------------------------


class ConnectionFailure(StrEnum):
    """Why the last MQTT connection attempt failed."""

    CREDENTIALS = "credentials"
    TLS = "tls"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"
    SERIAL_MISMATCH = "serial_mismatch"  # the printer at that address is another one


class LinkError(BambuError):
    """The MQTT link to a printer or the cloud broker failed."""

    key = "link_error"


class NotConnected(LinkError):
    """A command was sent while the link is down."""

    key = "not_connected"


class ConnectError(LinkError):
    """Connecting failed; ``reason`` says why."""

    key = "cannot_connect"

    def __init__(self, reason: ConnectionFailure, message: str = "") -> None:
        """Keep the classified reason for the caller."""
        super().__init__(message or reason.value, reason=reason.value)
        self.reason = reason


class PrinterOffline(LinkError):
    """The cloud says the printer is offline and no LAN link reaches it."""

    key = "printer_offline"


class CommandTimeout(LinkError):
    """The printer did not answer a command in time."""

    key = "command_timeout"


class CommandRefused(LinkError):
    """The printer answered ``result: failed``."""

    key = "command_refused"

    def __init__(
        self, reason: str = "", err_code: int | None = None, *, locked: bool = False
    ) -> None:
        """Keep the printer's reason, error code and whether control is locked."""
        super().__init__(
            reason or "failed", reason=reason, err_code=str(err_code or "")
        )
        self.reason = reason
        self.err_code = err_code
        self.locked = locked


# --- commands -----------------------------------------------------------------


class InvalidCommand(BambuError, ValueError):
    """A command argument is out of range or does not exist on this printer."""

    key = "invalid_command"


class ValueOutOfRange(InvalidCommand):
    """A number outside what the printer accepts."""

    key = "value_out_of_range"

    def __init__(self, name: str, value: float, low: float, high: float) -> None:
        """Describe the offending value and the allowed range."""
        super().__init__(
            f"{name}={value} is outside {low}..{high}",
            name=name,
            value=_number_text(value),
            min=_number_text(low),
            max=_number_text(high),
        )
        self.name = name
        self.value = value
        self.low = low
        self.high = high


def _number_text(value: float) -> str:
    """Show a number compactly; ints too large for a float stay exact."""
    try:
        return f"{value:g}"
    except OverflowError:
        return str(value)


class UnknownTarget(InvalidCommand):
    """An AMS unit, tray, nozzle or part that this printer does not have."""

    key = "unknown_target"

    def __init__(self, what: str, value: object) -> None:
        """Name the missing thing."""
        super().__init__(
            f"{what} {value!r} does not exist", what=what, value=str(value)
        )
        self.what = what
        self.value = value


class NotSupported(InvalidCommand):
    """The printer model has no such part or feature."""

    key = "not_supported"

    def __init__(self, feature: str, model: str) -> None:
        """Name the feature and the model lacking it."""
        super().__init__(f"{model} has no {feature}", feature=feature, model=model)
        self.feature = feature
        self.model = model


# The name the Printer's commands document for input it can never accept.
InvalidValue = InvalidCommand
