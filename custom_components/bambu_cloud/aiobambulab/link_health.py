"""What a link says about its health: the status snapshot, its callback, one log line per outage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
import logging

from .errors import ConnectionFailure

_LOGGER = logging.getLogger(__name__)


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


type StatusCallback = Callable[[LinkStatus], None]


class LinkHealth:
    """The state of one link's sessions, told to ``on_status`` at each change.

    An outage is logged at info once (lost or unavailable, then back); the
    failed attempts in between only at debug.
    """

    def __init__(self, host: str, on_status: StatusCallback | None) -> None:
        """Start disconnected, with nothing reported yet."""
        self._host = host
        self._on_status = on_status
        self._status = LinkStatus()
        self._reported_down = False
        self.last_message_at: datetime | None = None

    @property
    def connected(self) -> bool:
        """Whether the session is up and subscribed."""
        return self._status.connected

    @property
    def status(self) -> LinkStatus:
        """The current state, with the time of the last message."""
        return replace(self._status, last_message_at=self.last_message_at)

    def up(self) -> None:
        """A session started: connected, no failed attempt."""
        if self._reported_down:
            _LOGGER.info("The MQTT link to %s is back", self._host)
            self._reported_down = False
        else:
            _LOGGER.debug("Connected to %s", self._host)
        self._set(replace(self._status, connected=True, failed_attempts=0))

    def down(
        self,
        failure: ConnectionFailure,
        message: str,
        *,
        was_up: bool,
        untrusted: bool = False,
    ) -> None:
        """A session ended (``was_up``) or an attempt failed, for this reason."""
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
        self._set(
            LinkStatus(
                connected=False,
                failure=failure,
                message=message,
                failed_attempts=0 if was_up else self._status.failed_attempts + 1,
                untrusted=untrusted,
            )
        )

    def stopped(self) -> None:
        """The link was stopped: no longer connected, the last failure kept."""
        if self._status.connected:
            self._set(replace(self._status, connected=False))

    def _set(self, status: LinkStatus) -> None:
        self._status = status
        if self._on_status is None:
            return
        try:
            self._on_status(self.status)
        except Exception:
            _LOGGER.exception(
                "The status callback of the link to %s failed", self._host
            )
