"""AMS and external spool: loading, unloading, what a tray holds, its RFID tag."""

from __future__ import annotations

from collections.abc import Collection
import re
from typing import Final

from ..ams import AMS_HT_IDS, AMS_LITE_MIXED_ID, EXTERNAL_AMS_ID
from ..catalog import MODELS
from ..errors import InvalidCommand, UnknownTarget
from .payload import Payload, is_int, print_command, whole

EXTERNAL_TRAY_ID: Final = 254  # the external spool's tray id
UNLOAD_TARGET: Final = 255
AMS_UNITS: Final = range(4)  # AMS, AMS Lite, AMS 2 Pro: 4 trays each
# Highest nozzle target of any printer: bounds filament temperatures, which
# are not tied to one model here.
MAX_FILAMENT_TEMPERATURE: Final = max(model.nozzle_max for model in MODELS.values())

type TrayRef = tuple[int, int]


def _check_tray(
    ams_id: int,
    tray_id: int,
    existing: Collection[TrayRef] | None,
    *,
    allow_external: bool = True,
) -> None:
    """Check an (AMS unit, tray) pair exists on any printer, and on this one.

    The external spool (255, 254) is always there, so ``existing`` (the pairs
    the printer reports now) does not need to list it.
    """
    if not is_int(ams_id):
        raise UnknownTarget("ams", ams_id)
    if not is_int(tray_id):
        raise UnknownTarget("tray", tray_id)
    if ams_id == EXTERNAL_AMS_ID and allow_external:
        if tray_id != EXTERNAL_TRAY_ID:
            raise UnknownTarget("tray", tray_id)
        return
    if ams_id in AMS_UNITS or ams_id == AMS_LITE_MIXED_ID:
        trays: range = range(4)
    elif ams_id in AMS_HT_IDS:
        trays = range(1)
    else:
        raise UnknownTarget("ams", ams_id)
    if tray_id not in trays:
        raise UnknownTarget("tray", tray_id)
    if existing is not None and (ams_id, tray_id) not in existing:
        raise UnknownTarget("tray", (ams_id, tray_id))


def _optional_temperature(name: str, value: float | None) -> int:
    if value is None:
        return -1
    return whole(name, value, 0, MAX_FILAMENT_TEMPERATURE)


def load_filament(
    ams_id: int,
    tray_id: int,
    *,
    existing: Collection[TrayRef] | None = None,
    target_temperature: float | None = None,
    current_temperature: float | None = None,
) -> Payload:
    """Load the filament of a tray (the external spool: 255, 254).

    ``target_temperature`` is the nozzle temperature for the new filament,
    ``current_temperature`` the one for the filament now loaded (to cut and
    retract it); the printer picks its own when they are not given.
    """
    _check_tray(ams_id, tray_id, existing)
    if ams_id == EXTERNAL_AMS_ID:
        # Bambu Studio addresses the single external slot as slot 0.
        target, slot = EXTERNAL_TRAY_ID, 0
    elif ams_id in AMS_HT_IDS or ams_id == AMS_LITE_MIXED_ID:
        # Units from id 16 up are addressed by their id (Bambu Studio
        # MachineObject::command_ams_change_filament).
        target, slot = ams_id, tray_id
    else:
        target, slot = ams_id * 4 + tray_id, tray_id
    return print_command(
        "ams_change_filament",
        target=target,
        ams_id=ams_id,
        slot_id=slot,
        curr_temp=_optional_temperature("current_temperature", current_temperature),
        tar_temp=_optional_temperature("target_temperature", target_temperature),
    )


def unload_filament(
    *,
    ams_id: int = EXTERNAL_AMS_ID,
    target_temperature: float | None = None,
    current_temperature: float | None = None,
) -> Payload:
    """Unload the filament in the toolhead back to where it came from.

    ``ams_id`` names the unit the loaded filament came from, which newer
    (dual-nozzle) firmware wants; older firmware ignores it.
    """
    if not is_int(ams_id) or not (
        ams_id in (EXTERNAL_AMS_ID, AMS_LITE_MIXED_ID)
        or ams_id in AMS_UNITS
        or ams_id in AMS_HT_IDS
    ):
        raise UnknownTarget("ams", ams_id)
    return print_command(
        "ams_change_filament",
        target=UNLOAD_TARGET,
        ams_id=ams_id,
        slot_id=UNLOAD_TARGET,  # slot 255 marks an unload in newer firmware
        curr_temp=_optional_temperature("current_temperature", current_temperature),
        tar_temp=_optional_temperature("target_temperature", target_temperature),
    )


_COLOR: Final = re.compile(r"#?([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?")
IDENT: Final = re.compile(r"[A-Za-z0-9_+\-. ]{1,32}")


def normalize_color(color: str) -> str:
    """Turn "#RRGGBB", "RRGGBB" or "RRGGBBAA" into a tray colour (RRGGBBAA)."""
    match = _COLOR.fullmatch(color.strip()) if isinstance(color, str) else None
    if match is None:
        raise InvalidCommand(f"not a colour: {color!r}")
    rgb, alpha = match.groups()
    return (rgb + (alpha or "FF")).upper()


def set_filament(
    ams_id: int,
    tray_id: int,
    *,
    tray_info_idx: str,
    tray_type: str,
    color: str,
    nozzle_temp_min: int,
    nozzle_temp_max: int,
    existing: Collection[TrayRef] | None = None,
) -> Payload:
    """Tell the printer which filament a tray (or the external spool) holds.

    ``tray_info_idx`` is the filament profile id ("GFA00"), ``tray_type``
    the material ("PLA").
    """
    _check_tray(ams_id, tray_id, existing)
    for name, value in (("tray_info_idx", tray_info_idx), ("tray_type", tray_type)):
        if not isinstance(value, str) or not IDENT.fullmatch(value):
            raise InvalidCommand(f"invalid {name}: {value!r}")
    low = whole("nozzle_temp_min", nozzle_temp_min, 0, MAX_FILAMENT_TEMPERATURE)
    high = whole("nozzle_temp_max", nozzle_temp_max, 0, MAX_FILAMENT_TEMPERATURE)
    if low > high:
        raise InvalidCommand(f"nozzle_temp_min {low} is above nozzle_temp_max {high}")
    return print_command(
        "ams_filament_setting",
        ams_id=ams_id,
        tray_id=tray_id,
        # Newer firmware reads slot_id; the external spool is slot 0 there.
        slot_id=0 if ams_id == EXTERNAL_AMS_ID else tray_id,
        tray_info_idx=tray_info_idx,
        tray_color=normalize_color(color),
        tray_type=tray_type,
        nozzle_temp_min=low,
        nozzle_temp_max=high,
    )


def refresh_rfid(
    ams_id: int, tray_id: int, *, existing: Collection[TrayRef] | None = None
) -> Payload:
    """Re-read a tray's RFID tag (AMS units only: the external holder has none)."""
    _check_tray(ams_id, tray_id, existing, allow_external=False)
    return print_command("ams_get_rfid", ams_id=ams_id, slot_id=tray_id)
