"""Commands and their replies: a sequence_id on each command, the reply matched to it.

A printer answers a command with a report whose module object repeats the
command's ``sequence_id`` and ``command``; ``result: failed`` is a refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import copy
from dataclasses import dataclass, field
import re
from typing import Any, Final

from .errors import CommandRefused, NotConnected
from .values import as_int

# Firmware with Bambu's authorization lock refuses unsigned commands with
# reason "mqtt message verify failed" and err_code 0x05024007 (no signature)
# or 0x05024009 (malformed signature), as public projects report; the words
# also catch other phrasings (signature, permission). A heuristic: no
# capture in this project shows such a reply yet.
_LOCK_TEXT: Final = re.compile(r"verif|\bsign|authori[sz]|permission", re.IGNORECASE)
_LOCK_ERR_CODES: Final = frozenset({0x05024007, 0x05024009})


@dataclass(slots=True)
class PendingReply:
    """A request awaiting its reply."""

    serial: str
    module: str
    command: str
    future: asyncio.Future[dict[str, Any]] = field(repr=False)


def stamped(
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


def greetings(next_sequence: Callable[[], str]) -> tuple[dict[str, Any], ...]:
    """What a new session asks each printer: its versions, then its full state."""
    return (
        {"info": {"sequence_id": next_sequence(), "command": "get_version"}},
        {"pushing": {"sequence_id": next_sequence(), "command": "pushall"}},
    )


def succeeded(body: dict[str, Any]) -> bool:
    """Whether a reply says the command worked (no ``result`` counts as yes)."""
    result = body.get("result")
    return result is None or (isinstance(result, str) and result.lower() == "success")


def refusal(body: dict[str, Any]) -> CommandRefused:
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


def settle_replies(
    pending: Mapping[tuple[str, str], PendingReply],
    serial: str,
    data: dict[str, Any],
) -> None:
    """Hand each reply in a report of ``serial`` to the request awaiting it."""
    for module, body in data.items():
        if not isinstance(body, dict):
            continue
        command = body.get("command")
        if not isinstance(command, str):
            continue
        sequence = body.get("sequence_id")
        match: PendingReply | None
        if sequence is not None:
            match = pending.get((serial, str(sequence)))
            if match is not None and match.command != command:
                match = None
        else:
            # A reply without sequence_id (none in the captures, but the
            # field is not guaranteed) answers the oldest such request.
            match = next(
                (
                    p
                    for p in pending.values()
                    if p.serial == serial
                    and p.module == module
                    and p.command == command
                    and not p.future.done()
                ),
                None,
            )
        if match is None or match.future.done():
            continue
        if succeeded(body):
            match.future.set_result(copy.deepcopy(body))
        else:
            match.future.set_exception(refusal(body))


def fail_pending(
    pending: Mapping[tuple[str, str], PendingReply],
    reason: str,
    serial: str | None = None,
) -> None:
    """Fail the requests still waiting (of ``serial``, or all) with NotConnected."""
    for waiting in list(pending.values()):
        if (serial is None or waiting.serial == serial) and not waiting.future.done():
            waiting.future.set_exception(NotConnected(reason))
