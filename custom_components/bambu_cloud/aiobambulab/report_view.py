"""What every view of a printer's report stands on: the report and the model.

``PrinterState`` is assembled from view classes, one per part of the printer
(temperatures, job, motion, device, AMS, options). Each reads the merged
report through this base, which also holds what several of them share: the
extruders, ``home_flag`` and its bits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalog import AmsKind, ModuleVersion, PrinterModel
from .values import as_dict, as_hex, as_int, as_list, dig


class ReportView:
    """The merged print report and the printer model, read by typed views."""

    # Set by PrinterState; the views only read them.
    _report: dict[str, Any]
    _modules: dict[str, ModuleVersion]
    _ams_modules: dict[int, tuple[AmsKind, ModuleVersion]]
    model: PrinterModel

    def _extruders(self) -> list[Mapping[str, Any]]:
        return [
            as_dict(e) for e in as_list(dig(self._report, "device", "extruder", "info"))
        ]

    def _extruder(self, index: int) -> Mapping[str, Any] | None:
        for extruder in self._extruders():
            if as_int(extruder.get("id")) == index:
                return extruder
        return None

    def _packed(self, *path: str) -> int | None:
        return as_int(dig(self._report, *path), 0, 0xFFFFFFFF)

    @property
    def nozzle_count(self) -> int:
        """How many nozzles the printer reports (or its model has)."""
        return len(self._extruders()) or self.model.nozzles

    @property
    def active_nozzle(self) -> int | None:
        """Which nozzle prints now (dual-nozzle printers; 0 otherwise).

        ``device.extruder.state`` bits 4-7; 0xF while the extruders switch
        (Bambu Studio ``ExtderSystemParser::ParseV2_0``, ``GetExtderById``).
        """
        state = as_int(dig(self._report, "device", "extruder", "state"), 0)
        if state is None:
            return 0
        current = state >> 4 & 0xF
        return current if current < self.nozzle_count else None

    @property
    def home_flag(self) -> int | None:
        """``home_flag`` as an unsigned 32-bit integer."""
        value = as_int(self._report.get("home_flag"), -(2**31), 2**32 - 1)
        return None if value is None else value & 0xFFFFFFFF

    def _flag_bit(self, key: str, bit: int) -> bool | None:
        """One bit of ``home_flag`` (an int) or of a hex string (``cfg``, ``fun``)."""
        flag = self.home_flag if key == "home_flag" else as_hex(self._report.get(key))
        return None if flag is None else bool(flag >> bit & 1)
