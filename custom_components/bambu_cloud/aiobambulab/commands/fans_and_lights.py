"""Fan speeds and lights."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from ..errors import UnknownTarget
from .gcode import gcode_line
from .payload import Payload, in_range, message


class Fan(IntEnum):
    """The fans ``M106`` addresses by its ``P`` parameter."""

    PART_COOLING = 1
    AUX = 2
    CHAMBER = 3


def fan_value(percent: float) -> int:
    """Convert a fan percentage (0..100) to the 0..255 value ``M106 S`` takes."""
    return round(in_range("fan_speed", percent, 0, 100) * 255 / 100)


def set_fan_speed(fan: Fan | int, percent: float) -> Payload:
    """Set a fan's speed in percent (0 stops it)."""
    if isinstance(fan, bool) or fan not in tuple(Fan):
        raise UnknownTarget("fan", fan)
    return gcode_line(f"M106 P{int(fan)} S{fan_value(percent)}")


class LightNode(StrEnum):
    """The lights ``ledctrl`` switches."""

    CHAMBER = "chamber_light"
    CHAMBER_2 = "chamber_light2"  # the second chamber light of H2 printers
    WORK = "work_light"


def set_light(on: bool, node: LightNode | str = LightNode.CHAMBER) -> Payload:
    """Switch a light on or off."""
    if node not in tuple(LightNode):
        raise UnknownTarget("light", node)
    return message(
        "system",
        "ledctrl",
        led_node=str(node),
        led_mode="on" if on else "off",
        led_on_time=500,
        led_off_time=500,
        loop_times=0,
        interval_time=0,
    )
