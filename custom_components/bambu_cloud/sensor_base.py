"""What every sensor module shares: value types, text states, when a sensor exists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from homeassistant.const import MAX_LENGTH_STATE_STATE

from .aiobambulab.depends import View, depends_on, reported
from .aiobambulab.state import PrinterState

type SensorValue = str | int | float | datetime | None
type Attributes = dict[str, Any] | None

# Text states that are not a name (see sensor.py's docstring).
STATE_NONE = "none"
STATE_EMPTY = "empty"
STATE_UNIDENTIFIED = "unidentified"

# Report keys whose change can change an AMS unit, a tray or an external spool
# (home_flag: whether the printer estimates the filament left).
AMS_PATHS = depends_on(PrinterState.ams_units)
EXTERNAL_SPOOL_PATHS = depends_on(PrinterState.external_spools)
ACTIVE_TRAY_PATHS = (
    AMS_PATHS | EXTERNAL_SPOOL_PATHS | depends_on(PrinterState.active_tray)
)


def when_reported(*views: View) -> Callable[[PrinterState], bool]:
    """An ``exists_fn``: the printer reports these views (valid or not)."""
    return lambda state: reported(state, *views)


def when_valued(
    value_fn: Callable[[PrinterState], object],
) -> Callable[[PrinterState], bool]:
    """An ``exists_fn``: the printer reports a usable value now."""
    return lambda state: value_fn(state) is not None


def fit_state(text: str) -> str:
    """Fit a text into a state (a few of Bambu's texts are longer)."""
    if len(text) <= MAX_LENGTH_STATE_STATE:
        return text
    return text[: MAX_LENGTH_STATE_STATE - 1] + "…"
