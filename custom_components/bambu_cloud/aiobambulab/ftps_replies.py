"""FTP replies: reading a reply code as success, refusal or a broken session."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .errors import CommandRefused, ConnectError, ConnectionFailure

_CODE_FAILURES: Final = {
    421: ConnectionFailure.UNREACHABLE,  # service closing, e.g. too many users
    425: ConnectionFailure.UNREACHABLE,  # the data connection did not open
    426: ConnectionFailure.UNREACHABLE,  # the data connection broke
    522: ConnectionFailure.TLS,  # data TLS refused, e.g. no session reuse
    530: ConnectionFailure.CREDENTIALS,
}


@dataclass(frozen=True, slots=True)
class FtpReply:
    """One reply of the server: its code and its text."""

    code: int
    text: str  # every line, without the codes of the first and last

    def __str__(self) -> str:
        """The reply as the server wrote it (code, then text)."""
        return f"{self.code} {self.text}"


def expected(reply: FtpReply, code: int, what: str) -> None:
    """Require ``code`` of a reply every printer gives; else the session failed."""
    if reply.code == code:
        return
    failure = _CODE_FAILURES.get(reply.code, ConnectionFailure.PROTOCOL)
    raise ConnectError(failure, f"{what}: {reply}")


def refused(
    reply: FtpReply,
    code: int,
    command: str,
    *,
    also: Iterable[int] = (),
) -> None:
    """Require ``code`` (or one of ``also``); a refusal (4xx/5xx) raises."""
    if reply.code == code or reply.code in also:
        return
    if reply.code in _CODE_FAILURES or reply.code < 400:
        expected(reply, code, command.split(" ", 1)[0])
    raise CommandRefused(reply.text.strip(), reply.code)


def protocol_error(reply: FtpReply, what: str) -> ConnectError:
    """The error for a reply that does not read as the protocol says."""
    return ConnectError(ConnectionFailure.PROTOCOL, f"{what}: unexpected {reply}")


def features(lines: Iterable[str]) -> frozenset[str]:
    """The feature names of a FEAT reply's lines."""
    return frozenset(
        line.split()[0].upper()
        for line in lines
        if line.startswith(" ") and line.strip()
    )
