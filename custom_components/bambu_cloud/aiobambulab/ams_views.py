"""The AMS units, spools and the tray that feeds the printing nozzle."""

from __future__ import annotations

from .ams import (
    AmsUnit,
    Tray,
    TrayRef,
    external_spools,
    tray_from_snow,
    tray_from_tray_now,
    units_from_report,
)
from .catalog import AmsKind
from .report_view import ReportView
from .values import as_dict, as_int, dig


class AmsViews(ReportView):
    """The AMS units and spools the printer reports."""

    @property
    def ams_units(self) -> list[AmsUnit]:
        """The AMS units present."""
        ams = as_dict(self._report.get("ams"))
        if not ams:
            return []
        lite_only = self.model.ams_kinds == frozenset({AmsKind.AMS_LITE})
        default = AmsKind.AMS_LITE if lite_only else AmsKind.AMS
        return units_from_report(
            ams, self._ams_modules, default, estimate=self.remaining_estimate is True
        )

    @property
    def remaining_estimate(self) -> bool | None:
        """Whether the printer estimates the filament left on tracked spools.

        ``home_flag`` bit 7 (Bambu Studio ``MachineObject::parse_home_flag``),
        else the AMS report's ``calibrate_remain_flag``. A tray's ``remain``
        means nothing while this is off.
        """
        if self.home_flag is not None:
            return bool(self.home_flag >> 7 & 1)
        flag = dig(self._report, "ams", "calibrate_remain_flag")
        return flag if type(flag) is bool else None

    @property
    def external_spools(self) -> list[Tray]:
        """The external spool holder(s), by holder (0: id 255, 1: id 254)."""
        return external_spools(self._report)

    @property
    def active_tray(self) -> TrayRef | None:
        """The slot that feeds the printing nozzle."""
        extruders = self._extruders()
        if len(extruders) > 1:
            active = self.active_nozzle
            extruder = None if active is None else self._extruder(active)
            return tray_from_snow(as_int(extruder.get("snow"))) if extruder else None
        return tray_from_tray_now(as_int(dig(self._report, "ams", "tray_now")))

    @property
    def ams_status(self) -> tuple[int, int] | None:
        """The AMS main state (0 idle, 1 changing filament...) and sub-state."""
        value = as_int(self._report.get("ams_status"), 0, 0xFFFF)
        return None if value is None else (value >> 8 & 0xFF, value & 0xFF)
