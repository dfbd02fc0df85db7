"""Commands that ask for the printer's state and control the running job."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ..errors import InvalidCommand, UnknownTarget
from ..motion_views import SpeedLevel
from .payload import Payload, message, print_command, whole


def pushall() -> Payload:
    """Ask for a full state report (expensive on P1/A1: not too often)."""
    return message("pushing", "pushall")


def get_version() -> Payload:
    """Ask for the firmware and module versions (model detection, AMS units)."""
    return message("info", "get_version")


def pause() -> Payload:
    """Pause the running print."""
    return print_command("pause", param="")


def resume() -> Payload:
    """Resume a paused print."""
    return print_command("resume", param="")


def stop() -> Payload:
    """Stop (cancel) the print."""
    return print_command("stop", param="")


def print_speed(level: SpeedLevel | int) -> Payload:
    """Switch the print speed profile (1 silent .. 4 ludicrous)."""
    value = whole("speed_level", level, SpeedLevel.SILENT, SpeedLevel.LUDICROUS)
    return print_command("print_speed", param=str(value))


MAX_OBJECT_ID: Final = 2**64 - 1


def skip_objects(object_ids: Iterable[int]) -> Payload:
    """Skip objects of the running print by their ids (from the plate data)."""
    ids = list(object_ids)
    if not ids:
        raise InvalidCommand("no objects to skip")
    for object_id in ids:
        if isinstance(object_id, bool) or not isinstance(object_id, int):
            raise InvalidCommand(f"object id must be an integer, not {object_id!r}")
        # The printer reads ids as unsigned 64-bit numbers (and the JSON
        # encoder cannot carry larger ones).
        if not 0 <= object_id <= MAX_OBJECT_ID:
            raise UnknownTarget("object", object_id)
    return print_command("skip_objects", obj_list=ids)
