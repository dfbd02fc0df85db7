"""Raw G-code, and the safety limits heater codes in it are held to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import re
from typing import Final

from ..catalog import PrinterModel
from ..errors import InvalidCommand
from .payload import Payload, in_range, print_command

# Far above any hand-written command; guards against sending a whole file.
MAX_GCODE_BYTES: Final = 64 * 1024


def gcode_line(gcode: str) -> Payload:
    """Send raw G-code (one or more lines)."""
    if not isinstance(gcode, str) or not gcode.strip():
        raise InvalidCommand("G-code must be a non-empty string")
    if len(gcode.encode("utf-8")) > MAX_GCODE_BYTES:
        raise InvalidCommand(f"G-code longer than {MAX_GCODE_BYTES} bytes")
    if not gcode.endswith("\n"):
        gcode += "\n"
    return print_command("gcode_line", param=gcode)


# Heater commands and the model limit each target is held to: the same
# limits the temperature numbers enforce, so raw G-code cannot bypass them.
# S is the target, R the "wait until cooled to" target; T (the tool) does
# not change the limit.
_HEATERS: Final[Mapping[int, tuple[str, Callable[[PrinterModel], int]]]] = {
    104: ("nozzle_temperature", lambda model: model.nozzle_max),
    109: ("nozzle_temperature", lambda model: model.nozzle_max),
    140: ("bed_temperature", lambda model: model.bed_max),
    190: ("bed_temperature", lambda model: model.bed_max),
    141: ("chamber_temperature", lambda model: model.chamber_heater_max or 0),
}
_TARGET_PARAMETERS: Final = frozenset("SR")
# One G-code word: a letter and what follows up to the next letter ("M104S250"
# has no spaces on some senders); a ";" comment and a "*" checksum end a line.
_WORD: Final = re.compile(r"([A-Za-z])([^A-Za-z\s]*)")


def checked_gcode(model: PrinterModel, gcode: str) -> Payload:
    """Raw G-code whose heater targets stay within the model's limits.

    M104/M109 (nozzle, any tool), M140/M190 (bed) and M141 (chamber) are
    refused beyond what the temperature numbers allow (ValueOutOfRange).
    """
    if isinstance(gcode, str):
        for line in gcode.splitlines():
            _check_heater_line(model, line)
    return gcode_line(gcode)


def _check_heater_line(model: PrinterModel, line: str) -> None:
    code = line.split(";", 1)[0].split("*", 1)[0]
    words = [(letter.upper(), value) for letter, value in _WORD.findall(code)]
    # Any heater code on the line counts, wherever it stands ("T1 M104 S300"):
    # no reading of the firmware's parser can then let a target through.
    heaters = [
        _HEATERS[number]
        for letter, value in words
        if letter == "M" and value.isdigit() and (number := int(value[:6])) in _HEATERS
    ]
    for name, limit in heaters:
        for letter, value in words:
            if letter not in _TARGET_PARAMETERS:
                continue
            try:
                target = float(value)
            except ValueError:
                raise InvalidCommand(
                    f"{name} target {value!r} is not a number"
                ) from None
            in_range(name, target, 0, limit(model))
