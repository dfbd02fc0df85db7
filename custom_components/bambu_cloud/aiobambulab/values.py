"""Read report values defensively.

Firmware sends numbers as numbers or strings ("45", "0.4", "-53dBm"), and a
malformed report can hold anything. These helpers return the value in the
expected type, or None: never a value of the wrong type, never NaN or inf,
and never something outside the given physical range.
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any


def as_float(
    value: Any, low: float = -math.inf, high: float = math.inf
) -> float | None:
    """A finite float within [low, high], from a number or a numeric string."""
    if type(value) is float:
        result = value
    elif type(value) is int:
        result = float(value)
    elif type(value) is str:
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None  # bool, None, containers
    if not math.isfinite(result) or result < low or result > high:
        return None
    return result


def as_int(value: Any, low: int | None = None, high: int | None = None) -> int | None:
    """An int within [low, high], from an int, a whole float or a string."""
    if type(value) is int:
        result = value
    elif type(value) is float:
        if not math.isfinite(value) or not value.is_integer():
            return None
        result = int(value)
    elif type(value) is str:
        text = value.strip()
        try:
            result = int(text)
        except ValueError:
            whole = as_float(text)
            if whole is None or not whole.is_integer():
                return None
            result = int(whole)
    else:
        return None
    if (low is not None and result < low) or (high is not None and result > high):
        return None
    return result


def as_hex(value: Any) -> int | None:
    """An int from a hex string ("1AFFF9CFF") or a non-negative int."""
    if type(value) is int:
        return value if value >= 0 else None
    if type(value) is not str or not value:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


def as_str(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if type(value) is str and value else None


def as_bool(value: Any) -> bool | None:
    """A bool from true/false, 0/1 or "enable"/"disable"-style strings."""
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if type(value) is str:
        lowered = value.strip().lower()
        if lowered in ("true", "1", "enable", "enabled", "on"):
            return True
        if lowered in ("false", "0", "disable", "disabled", "off"):
            return False
    return None


def as_dict(value: Any) -> Mapping[str, Any]:
    """The value if it is an object, else an empty mapping."""
    return value if type(value) is dict else _EMPTY


def as_list(value: Any) -> list[Any]:
    """The value if it is a list, else an empty list."""
    return value if type(value) is list else []


def dig(root: Any, *keys: str) -> Any:
    """Walk nested objects; None as soon as a level is missing or not an object."""
    node = root
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def low_word(packed: int) -> int:
    """The current value of a packed temperature (low 16 bits)."""
    return packed & 0xFFFF


def high_word(packed: int) -> int:
    """The target value of a packed temperature (high 16 bits)."""
    return (packed >> 16) & 0xFFFF


_EMPTY: Mapping[str, Any] = {}
