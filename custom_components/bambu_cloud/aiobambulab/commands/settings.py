"""Camera recording, air duct, printer settings, camera detectors and the buzzer."""

from __future__ import annotations

from typing import Any, Final

from ..errors import InvalidCommand, UnknownTarget
from ..option_views import XCAM_MODULES, PrintOption
from .payload import Payload, message, print_command, whole


def set_camera_recording(on: bool) -> Payload:
    """Turn the camera's recording of prints on or off."""
    return message("camera", "ipcam_record_set", control="enable" if on else "disable")


def set_timelapse(on: bool) -> Payload:
    """Turn time-lapse recording on or off."""
    return message("camera", "ipcam_timelapse", control="enable" if on else "disable")


MAX_AIRDUCT_MODE: Final = 255  # a sanity cap; printers know a handful of modes


def set_airduct_mode(mode_id: int) -> Payload:
    """Switch the air duct mode (cooling/heating) of printers that have one."""
    mode = whole("airduct_mode", mode_id, 0, MAX_AIRDUCT_MODE)
    return print_command("set_airduct", modeId=mode, submode=-1)


def _switch(name: str, on: object) -> bool:
    if not isinstance(on, bool):
        raise InvalidCommand(f"{name} must be true or false, not {on!r}")
    return on


def set_print_option(option: PrintOption | str, on: bool) -> Payload:
    """Switch a printer setting (prompt sound, tangle detection...) on or off.

    Bambu Studio sends auto recovery with an ``option`` bit field as well,
    which older firmware reads instead of the named key.
    """
    try:
        which = PrintOption(option)
    except ValueError:
        raise UnknownTarget("option", option) from None
    value = _switch(which.value, on)
    fields: dict[str, Any] = {which.value: value}
    if which is PrintOption.AUTO_RECOVERY:
        fields["option"] = int(value)
    return print_command("print_option", **fields)


def set_xcam_module(module: str, on: bool) -> Payload:
    """Switch a camera detector (AI monitoring, first layer inspection...).

    As Bambu Studio does, ``enable`` repeats ``control`` for older firmware
    and ``print_halt`` keeps pausing the print on a detection.
    """
    if module not in XCAM_MODULES:
        raise UnknownTarget("detector", module)
    value = _switch(module, on)
    return message(
        "xcam",
        "xcam_control_set",
        module_name=module,
        control=value,
        enable=value,
        print_halt=True,
    )


def stop_buzzer() -> Payload:
    """Silence the alarm buzzer of H2-series printers."""
    return print_command("buzzer_ctrl", mode=0)
