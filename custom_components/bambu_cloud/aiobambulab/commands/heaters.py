"""Target temperatures of the nozzles, the bed and the chamber."""

from __future__ import annotations

from ..catalog import PrinterModel
from ..errors import NotSupported, UnknownTarget
from .gcode import gcode_line
from .payload import Payload, print_command, whole


def set_nozzle_temperature(
    model: PrinterModel, target: float, nozzle: int = 0
) -> Payload:
    """Set a nozzle's target temperature (0 turns the heater off).

    Single-nozzle printers take ``M104``; printers with several nozzles take
    the ``set_nozzle_temp`` command with the nozzle's index, as Bambu Studio
    sends it (their G-code ``T`` parameter would switch tools).
    """
    if isinstance(nozzle, bool) or not isinstance(nozzle, int):
        raise UnknownTarget("nozzle", nozzle)
    if not 0 <= nozzle < model.nozzles:
        raise UnknownTarget("nozzle", nozzle)
    value = whole("nozzle_temperature", target, 0, model.nozzle_max)
    if model.nozzles > 1:
        return print_command(
            "set_nozzle_temp", extruder_index=nozzle, target_temp=value
        )
    return gcode_line(f"M104 S{value}")


def set_bed_temperature(model: PrinterModel, target: float) -> Payload:
    """Set the bed's target temperature (0 turns the heater off)."""
    value = whole("bed_temperature", target, 0, model.bed_max)
    return gcode_line(f"M140 S{value}")


def set_chamber_temperature(model: PrinterModel, target: float) -> Payload:
    """Set the chamber heater's target; only models with a chamber heater."""
    if model.chamber_heater_max is None:
        raise NotSupported("chamber heater", model.name)
    value = whole("chamber_temperature", target, 0, model.chamber_heater_max)
    return gcode_line(f"M141 S{value}")
