"""Printer settings (``print_option``) and camera detectors (xcam)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from .ams_views import AmsViews
from .values import as_hex, as_int, dig


class PrintOption(StrEnum):
    """Settings switched with ``print_option``; the value is the command's key."""

    PROMPT_SOUND = "sound_enable"
    FILAMENT_TANGLE_DETECT = "filament_tangle_detect"
    AUTO_RECOVERY = "auto_recovery"  # resume after the toolhead lost steps
    AUTO_SWITCH_FILAMENT = "auto_switch_filament"  # AMS: same filament, next spool


# Where each setting's state is: (home_flag bit, cfg bit or None).
_OPTION_BITS: Final[Mapping[PrintOption, tuple[int, int | None]]] = {
    PrintOption.PROMPT_SOUND: (17, 22),
    PrintOption.FILAMENT_TANGLE_DETECT: (20, 23),
    PrintOption.AUTO_RECOVERY: (4, 16),
    PrintOption.AUTO_SWITCH_FILAMENT: (10, None),
}
# How the printer says it has a setting: (support_* field, fun bit, home_flag bit).
_OPTION_SUPPORT: Final[Mapping[PrintOption, tuple[str, int | None, int | None]]] = {
    PrintOption.PROMPT_SOUND: ("support_prompt_sound", 8, 18),
    PrintOption.FILAMENT_TANGLE_DETECT: ("support_filament_tangle_detect", 9, 19),
    PrintOption.AUTO_RECOVERY: ("support_auto_recovery_step_loss", None, None),
    PrintOption.AUTO_SWITCH_FILAMENT: ("support_filament_backup", None, None),
}

# The camera detectors ``xcam_control_set`` switches, by report key.
XCAM_MODULES: Final = (
    "printing_monitor",  # AI print monitoring
    "spaghetti_detector",
    "first_layer_inspector",
    "buildplate_marker_detector",
)

# Foreign object detection: the printer checks the heatbed when a job starts
# and pauses it when something is left there. Support is ``fun2`` bit 13, the
# setting ``xcam.cfg`` bit 21 (20: plate alignment, 22: part displacement).
_FOD_SUPPORT_BIT: Final = 13
_FOD_CFG_BIT: Final = 21


class OptionViews(AmsViews):
    """Which settings and detectors are on, and which the printer offers."""

    def print_option(self, option: PrintOption) -> bool | None:
        """Whether a ``print_option`` setting is on.

        Firmware with a ``cfg`` field reports the settings there, older
        firmware only in ``home_flag``; Bambu Studio reads them the same way.
        """
        home_bit, cfg_bit = _OPTION_BITS[option]
        if cfg_bit is not None and "cfg" in self._report:
            return self._flag_bit("cfg", cfg_bit)
        return self._flag_bit("home_flag", home_bit)

    def print_option_supported(self, option: PrintOption) -> bool:
        """Whether the printer says it offers a ``print_option`` setting.

        The newest word wins, as in Bambu Studio: an explicit
        ``support_<option>`` field, then the ``fun`` feature bits, then the
        ``home_flag`` support bit. AMS auto-switching needs an AMS unit.
        """
        key, fun_bit, home_bit = _OPTION_SUPPORT[option]
        explicit = self._report.get(key)
        if type(explicit) is bool:
            return explicit
        if option is PrintOption.AUTO_SWITCH_FILAMENT:
            return bool(self.ams_units) and self.print_option(option) is not None
        if fun_bit is not None and as_hex(self._report.get("fun")) is not None:
            return self._flag_bit("fun", fun_bit) is True
        if home_bit is not None:
            return self._flag_bit("home_flag", home_bit) is True
        return False

    @property
    def xcam_modules(self) -> tuple[str, ...]:
        """The camera detectors (xcam) the printer reports, sorted."""
        xcam = self._report.get("xcam")
        return tuple(sorted(xcam)) if type(xcam) is dict else ()

    def xcam_option(self, module: str) -> bool | None:
        """Whether a camera (xcam) detector is on; None when not reported."""
        value = dig(self._report, "xcam", module)
        return value if type(value) is bool else None

    @property
    def foreign_object_detection_supported(self) -> bool:
        """Whether the printer can check its heatbed for objects (H2, X2, P2S)."""
        return self._flag_bit("fun2", _FOD_SUPPORT_BIT) is True

    @property
    def foreign_object_detection(self) -> bool | None:
        """Whether the heatbed check before each job is on; None when not reported."""
        cfg = as_int(dig(self._report, "xcam", "cfg"), 0)
        return None if cfg is None else bool(cfg >> _FOD_CFG_BIT & 1)
