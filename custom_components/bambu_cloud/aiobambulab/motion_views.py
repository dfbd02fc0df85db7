"""Speed, fans, air duct and lights of a printer."""

from __future__ import annotations

from enum import IntEnum

from .report_view import ReportView
from .values import as_dict, as_int, as_list, as_str, dig


class SpeedLevel(IntEnum):
    """``spd_lvl``: the print speed profile."""

    SILENT = 1
    STANDARD = 2
    SPORT = 3
    LUDICROUS = 4


class MotionViews(ReportView):
    """The speed profile, the fans, the air duct and the lights."""

    @property
    def speed_level(self) -> SpeedLevel | None:
        """The speed profile."""
        value = as_int(self._report.get("spd_lvl"), 1, 4)
        return None if value is None else SpeedLevel(value)

    @property
    def speed_percent(self) -> int | None:
        """The speed magnitude in percent."""
        return as_int(self._report.get("spd_mag"), 1, 1000)

    def _fan_gear_byte(self, byte: int) -> int | None:
        gear = as_int(self._report.get("fan_gear"), 0, 0xFFFFFFFF)
        if not gear:
            return None  # absent, or 0 on firmware that does not maintain it
        return round((gear >> 8 * byte & 0xFF) * 100 / 255)

    def _legacy_fan(self, key: str) -> int | None:
        value = as_int(self._report.get(key), 0, 15)
        # Bambu Studio shows 0-15 in steps of 10 %.
        return None if value is None else min(int(value / 1.5) * 10, 100)

    @property
    def part_fan(self) -> int | None:
        """Part cooling fan speed in percent."""
        gear = self._fan_gear_byte(0)
        return gear if gear is not None else self._legacy_fan("cooling_fan_speed")

    @property
    def aux_fan(self) -> int | None:
        """Auxiliary part cooling fan speed in percent."""
        gear = self._fan_gear_byte(1)
        return gear if gear is not None else self._legacy_fan("big_fan1_speed")

    @property
    def chamber_fan(self) -> int | None:
        """Chamber (exhaust) fan speed in percent."""
        gear = self._fan_gear_byte(2)
        return gear if gear is not None else self._legacy_fan("big_fan2_speed")

    @property
    def heatbreak_fan(self) -> int | None:
        """Hotend heatbreak fan speed in percent."""
        return self._legacy_fan("heatbreak_fan_speed")

    @property
    def airduct_mode(self) -> int | None:
        """The air duct mode id on printers that have one."""
        return as_int(dig(self._report, "device", "airduct", "modeCur"), 0, 255)

    @property
    def lights(self) -> dict[str, str]:
        """Each light node ("chamber_light", "work_light"...) to its mode."""
        result: dict[str, str] = {}
        for item in as_list(self._report.get("lights_report")):
            node, mode = (
                as_str(as_dict(item).get("node")),
                as_str(as_dict(item).get("mode")),
            )
            if node and mode:
                result[node] = mode
        return result

    def light_on(self, node: str = "chamber_light") -> bool | None:
        """Whether a light is on (flashing counts as on)."""
        mode = self.lights.get(node)
        return None if mode is None else mode in ("on", "flashing")

    @property
    def airduct_modes(self) -> list[int]:
        """The air duct mode ids the printer offers (``device.airduct.modeList``)."""
        modes: list[int] = []
        for item in as_list(dig(self._report, "device", "airduct", "modeList")):
            mode = as_int(as_dict(item).get("modeId"), 0, 255)
            if mode is not None and mode not in modes:
                modes.append(mode)
        return modes

    @property
    def has_aux_fan(self) -> bool:
        """Whether the printer has an auxiliary part cooling fan."""
        reported = self._report.get("support_aux_fan")
        return reported if type(reported) is bool else self.model.aux_fan

    @property
    def has_chamber_fan(self) -> bool:
        """Whether the printer has a chamber (exhaust) fan."""
        reported = self._report.get("support_chamber_fan")
        return reported if type(reported) is bool else self.model.chamber_fan
