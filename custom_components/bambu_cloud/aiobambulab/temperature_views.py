"""Temperatures of a printer's nozzles, bed and chamber, within physical limits."""

from __future__ import annotations

from typing import Final

from .catalog import GENERIC
from .report_view import ReportView
from .values import as_float, as_int, high_word, low_word

# What a temperature reading can physically be, in degrees Celsius; anything
# else (a packed 0xFFFF, a corrupt value) is not a reading.
_MEASURED: Final = {
    "nozzle": (-40.0, 500.0),
    "bed": (-40.0, 200.0),
    "chamber": (-40.0, 150.0),
}


def _word(value: int, low: float, high: float) -> float | None:
    """A packed temperature word within its limits, else None."""
    return float(value) if low <= value <= high else None


# Printers report temperatures in 1/32 °C and the readings wobble by fractions
# of a degree around a steady value; Bambu Studio shows whole degrees.
TEMPERATURE_STEP: Final = 1


def settled_temperature(
    reading: float | None, shown: float | None, step: float = TEMPERATURE_STEP
) -> float | None:
    """The temperature to show: ``shown`` until the reading is a step away.

    Once the reading moves a whole step from what is shown, it is shown
    rounded to the step, so a wobble within a step never changes the state
    and a real change always does. Idempotent: the same reading gives the
    same answer when ``shown`` is the previous answer.
    """
    if reading is None:
        return None
    if shown is not None and abs(reading - shown) < step:
        return shown
    return round(reading / step) * step


class TemperatureViews(ReportView):
    """Readings and targets of the heaters, in degrees Celsius."""

    def _limits(self, part: str, *, target: bool) -> tuple[float, float]:
        """What a reading can physically be; a target, what the model allows."""
        if not target:
            return _MEASURED[part]
        model = self.model
        highest = {
            "nozzle": model.nozzle_max,
            "bed": model.bed_max,
            "chamber": model.chamber_heater_max or 0,
        }
        return 0, highest[part]

    def _nozzle(self, index: int, *, target: bool) -> float | None:
        legacy_key = "nozzle_target_temper" if target else "nozzle_temper"
        low, high = self._limits("nozzle", target=target)
        if self.nozzle_count == 1 and legacy_key in self._report:
            return as_float(self._report[legacy_key], low, high)
        extruder = self._extruder(index)
        if extruder is None:
            return None
        packed = as_int(extruder.get("temp"), 0, 0xFFFFFFFF)
        if packed is None:
            return None
        return _word(high_word(packed) if target else low_word(packed), low, high)

    def nozzle_temperature(self, index: int = 0) -> float | None:
        """A nozzle's temperature in degrees Celsius."""
        return self._nozzle(index, target=False)

    def nozzle_target_temperature(self, index: int = 0) -> float | None:
        """A nozzle's target temperature."""
        return self._nozzle(index, target=True)

    def _bed(self, *, target: bool) -> float | None:
        legacy_key = "bed_target_temper" if target else "bed_temper"
        low, high = self._limits("bed", target=target)
        if legacy_key in self._report:
            return as_float(self._report[legacy_key], low, high)
        packed = self._packed("device", "bed", "info", "temp")
        if packed is None:
            return None
        return _word(high_word(packed) if target else low_word(packed), low, high)

    @property
    def bed_temperature(self) -> float | None:
        """The bed temperature."""
        return self._bed(target=False)

    @property
    def bed_target_temperature(self) -> float | None:
        """The bed target temperature."""
        return self._bed(target=True)

    @property
    def chamber_temperature(self) -> float | None:
        """The chamber temperature, on printers with a chamber sensor."""
        if not self.model.chamber_temperature:
            return None  # P1/A1 firmware reports a constant placeholder
        low, high = _MEASURED["chamber"]
        # On a printer of unknown model, chamber_temper may be the P1/A1
        # placeholder: only the ctc block, sent by printers with a chamber
        # sensor, is trusted there.
        if "chamber_temper" in self._report and self.model is not GENERIC:
            return as_float(self._report["chamber_temper"], low, high)
        packed = self._packed("device", "ctc", "info", "temp")
        return None if packed is None else _word(low_word(packed), low, high)

    @property
    def chamber_target_temperature(self) -> float | None:
        """The chamber target, on printers with a chamber heater."""
        if not self.model.has_chamber_heater:
            return None
        packed = self._packed("device", "ctc", "info", "temp")
        low, high = self._limits("chamber", target=True)
        return None if packed is None else _word(high_word(packed), low, high)
