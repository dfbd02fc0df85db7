"""The nozzles on the extruders and the hotend rack (H2C)."""

from __future__ import annotations

from .nozzles import (
    HotendRack,
    Nozzle,
    NozzleFlow,
    NozzleMaterial,
    nozzles_from_device,
    parse_nozzle_type,
    rack_from_device,
)
from .report_view import ReportView
from .values import as_float


class NozzleViews(ReportView):
    """Each extruder's nozzle (material, flow, diameter) and the hotend rack."""

    def _block_nozzles(self) -> list[Nozzle] | None:
        device = self._report.get("device")
        return nozzles_from_device(device) if type(device) is dict else None

    def _legacy_nozzle(self) -> Nozzle | None:
        """The one nozzle of the top-level ``nozzle_type`` / ``nozzle_diameter``."""
        raw_type = self._report.get("nozzle_type")
        raw_diameter = self._report.get("nozzle_diameter")
        if raw_type is None and raw_diameter is None:
            return None
        decoded = parse_nozzle_type(raw_type)
        return Nozzle(
            position=0,
            on_rack=False,
            material=decoded.material,
            flow=decoded.flow,
            diameter=as_float(raw_diameter, 0.1, 2.0) or decoded.diameter,
            reliable=None,
            wear=None,
        )

    @property
    def nozzles(self) -> dict[int, Nozzle]:
        """The nozzle on each extruder (0 right or only, 1 left), by extruder.

        ``device.nozzle.info`` wins where reported: the top-level fields can
        contradict it (an H2D reports stainless steel for hardened nozzles,
        and they do not follow a nozzle swap). Bambu Studio reads both the
        same way (``DevNozzleSystemParser`` ParseV2_0 over ParseV1_0).
        """
        block = self._block_nozzles()
        if block is not None:
            return {n.position: n for n in block if not n.on_rack}
        legacy = self._legacy_nozzle()
        return {} if legacy is None else {0: legacy}

    def nozzle(self, index: int = 0) -> Nozzle | None:
        """The nozzle on one extruder, if reported."""
        return self.nozzles.get(index)

    @property
    def nozzle_diameter(self) -> float | None:
        """The (first) nozzle's diameter in millimetres."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.diameter

    @property
    def nozzle_material(self) -> NozzleMaterial | None:
        """The (first) nozzle's material."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.material

    @property
    def nozzle_type(self) -> str | None:
        """The (first) nozzle's material: stainless_steel, hardened_steel, ..."""
        material = self.nozzle_material
        return None if material is None else material.value

    @property
    def nozzle_flow(self) -> NozzleFlow | None:
        """The (first) nozzle's flow type: standard or high flow."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.flow

    @property
    def hotend_rack(self) -> HotendRack | None:
        """The hotend rack (H2C), when the printer reports one.

        Other H2-class printers send ``device.holder`` too (null, or without
        a rack behind it): a rack is one of a model that has it, or one that
        reports hotends in it.
        """
        device = self._report.get("device")
        rack = rack_from_device(device) if type(device) is dict else None
        if rack is None or not (self.model.hotend_rack or rack.hotends):
            return None
        return rack
