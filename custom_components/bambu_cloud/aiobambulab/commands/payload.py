"""What every command payload is made of: a module object, a command, a sequence id.

Also the argument checks the builders share; they raise the typed errors of
``errors`` before anything could be sent.
"""

from __future__ import annotations

from collections.abc import Mapping
import itertools
import math
import secrets
from typing import Any

from ..errors import InvalidCommand, ValueOutOfRange

type Payload = dict[str, Any]

# --- sequence ids ------------------------------------------------------------

# Start at a random offset: other clients (Bambu Studio, Handy) count from
# small numbers, and their replies must not match one of our commands.
_sequence = itertools.count(secrets.randbelow(1_000_000) + 1_000)


def next_sequence_id() -> str:
    """Return a sequence id never returned before in this process."""
    # next() on itertools.count is atomic; callers live on one event loop.
    return str(next(_sequence))


def command_name(payload: Mapping[str, Any]) -> tuple[str, str]:
    """Return the (module key, command) of a payload or reply: ("print", "pause").

    Raises InvalidCommand when no module object carries a ``command``.
    """
    for module, body in payload.items():
        if isinstance(body, Mapping) and isinstance(body.get("command"), str):
            return str(module), body["command"]
    raise InvalidCommand("payload has no command")


def message(module: str, command: str, **fields: Any) -> Payload:
    """A command of one module object (``print``, ``system``...), numbered."""
    return {module: {"command": command, "sequence_id": next_sequence_id(), **fields}}


def print_command(command: str, **fields: Any) -> Payload:
    """A command of the ``print`` module object, where most commands go."""
    return message("print", command, **fields)


# --- validation --------------------------------------------------------------


def finite_number(name: str, value: object) -> float:
    """Return a finite int or float (bool excluded), else raise InvalidCommand."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidCommand(f"{name} must be a number, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidCommand(f"{name} must be a finite number, not {value!r}")
    return value


def in_range(name: str, value: object, low: float, high: float) -> float:
    """Return a finite number within low..high, else raise a typed error."""
    number = finite_number(name, value)
    if not low <= number <= high:
        raise ValueOutOfRange(name, number, low, high)
    return number


def whole(name: str, value: object, low: int, high: int) -> int:
    """Return a whole number (int, or float without fraction) within low..high."""
    number = finite_number(name, value)
    if isinstance(number, float) and not number.is_integer():
        raise InvalidCommand(f"{name} must be a whole number, not {number!r}")
    if not low <= number <= high:
        raise ValueOutOfRange(name, number, low, high)
    return int(number)


def format_mm(value: float) -> str:
    """Format a length for G-code: plain decimals, never exponent notation."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def is_int(value: object) -> bool:
    """Whether ``value`` is an int (a bool is not)."""
    return isinstance(value, int) and not isinstance(value, bool)
