"""Reading the cloud's loosely typed JSON fields: text, flags and times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def text(value: Any) -> str | None:
    """Return a non-empty string (numbers become text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        # Access codes come back with a trailing newline.
        return value.strip() or None
    return None


def flag(value: Any) -> bool:
    """Read a yes/no that may come as a bool, a number or a word."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "online", "yes")
    return bool(value) if isinstance(value, bool | int) else False


def timestamp(value: Any) -> datetime | None:
    """Return an aware time from ISO text (``...Z``) or Unix seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value <= 0:
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.year <= 1:  # Go's zero time: "not set"
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
