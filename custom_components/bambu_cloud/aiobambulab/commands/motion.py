"""Homing and jogging the axes and the extruder."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from ..errors import UnknownTarget
from .gcode import gcode_line
from .payload import Payload, format_mm, in_range


class Axis(StrEnum):
    """The axes ``move_axis`` moves."""

    X = "X"
    Y = "Y"
    Z = "Z"
    E = "E"  # the extruder: feeds (positive) or retracts (negative) filament


MAX_MOVE_MM: Final = 250.0  # larger than any bed: one jog never needs more
# Up to 100 mm of filament at once is a normal purge or retract; more than
# that is a load or unload, which the AMS commands do properly.
MAX_EXTRUDE_MM: Final = 100.0
MAX_SPEED_MM_MIN: Final = 30_000.0  # 500 mm/s, the fastest Bambu travel
# Bambu Studio's jog speeds; Z and the extruder move much slower than X/Y.
DEFAULT_SPEEDS: Final[Mapping[Axis, float]] = {
    Axis.X: 3000.0,
    Axis.Y: 3000.0,
    Axis.Z: 900.0,
    Axis.E: 900.0,
}


def home() -> Payload:
    """Home all axes."""
    return gcode_line("G28")


def move_axis(
    axis: Axis | str, distance_mm: float, speed_mm_min: float | None = None
) -> Payload:
    """Move one axis by a relative distance (negative: towards the minimum).

    The move is relative and leaves the printer in the positioning mode it
    was in (a paused print's absolute coordinates must survive a jog).
    ``speed_mm_min`` defaults to Bambu Studio's speed for the axis.
    """
    try:
        which = Axis(axis.upper() if isinstance(axis, str) else axis)
    except ValueError:
        raise UnknownTarget("axis", axis) from None
    limit = MAX_EXTRUDE_MM if which is Axis.E else MAX_MOVE_MM
    distance = in_range(f"{which.value.lower()}_distance", distance_mm, -limit, limit)
    speed = in_range(
        "speed",
        DEFAULT_SPEEDS[which] if speed_mm_min is None else speed_mm_min,
        1,
        MAX_SPEED_MM_MIN,
    )
    move = f"G1 {which.value}{format_mm(distance)} F{round(speed)}"
    if which is Axis.E:
        # Relative extrusion is how Bambu prints run anyway.
        return gcode_line(f"M83\n{move}")
    # push/pop_ref_mode restore the positioning mode on Bambu firmware; G90
    # before the pop keeps absolute mode should a firmware ignore them.
    return gcode_line(f"M1002 push_ref_mode\nG91\n{move}\nG90\nM1002 pop_ref_mode")
