"""Drying filament in an AMS 2 Pro or AMS HT unit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..ams import AMS_HT_IDS
from ..catalog import AmsKind
from ..errors import InvalidCommand, NotSupported, UnknownTarget
from .filament import AMS_UNITS, IDENT
from .payload import Payload, is_int, print_command, whole

# Drying limits: AMS 2 Pro dries up to 65 C and AMS HT up to 85 C (Bambu's
# product specifications, also what Bambu Studio enforces). The printer drops
# targets below 45 C, and Bambu Studio offers 1 to 24 hours.
DRYING_MIN_TEMPERATURE: Final = 45
DRYING_MAX_TEMPERATURE: Final[Mapping[AmsKind, int]] = {
    AmsKind.AMS_2_PRO: 65,
    AmsKind.AMS_HT: 85,
}
DRYING_MIN_HOURS: Final = 1
DRYING_MAX_HOURS: Final = 24
# What Bambu Studio's drying dialog sends as cooling_temp.
_DRYING_COOLING_TEMP: Final = 20

_KIND_NAMES: Final[Mapping[AmsKind, str]] = {
    AmsKind.AMS: "AMS",
    AmsKind.AMS_LITE: "AMS Lite",
    AmsKind.AMS_2_PRO: "AMS 2 Pro",
    AmsKind.AMS_HT: "AMS HT",
}


def _check_dryer(ams_id: int, kind: AmsKind) -> None:
    if kind not in DRYING_MAX_TEMPERATURE:
        raise NotSupported("filament drying", _KIND_NAMES.get(kind, str(kind)))
    units = AMS_HT_IDS if kind is AmsKind.AMS_HT else AMS_UNITS
    if not is_int(ams_id) or ams_id not in units:
        raise UnknownTarget("ams", ams_id)


def start_drying(
    ams_id: int,
    temperature: float,
    hours: float,
    *,
    kind: AmsKind,
    filament: str = "",
    rotate_tray: bool = False,
) -> Payload:
    """Start drying in an AMS 2 Pro or AMS HT unit of the given ``kind``.

    ``filament`` is the material being dried ("PLA"), shown by the printer;
    ``rotate_tray`` turns the spools while drying.
    """
    _check_dryer(ams_id, kind)
    temp = whole(
        "drying_temperature",
        temperature,
        DRYING_MIN_TEMPERATURE,
        DRYING_MAX_TEMPERATURE[kind],
    )
    duration = whole("drying_hours", hours, DRYING_MIN_HOURS, DRYING_MAX_HOURS)
    if not isinstance(filament, str) or (filament and not IDENT.fullmatch(filament)):
        raise InvalidCommand(f"invalid filament: {filament!r}")
    return print_command(
        "ams_filament_drying",
        ams_id=ams_id,
        mode=1,  # on for a time
        filament=filament,
        temp=temp,
        duration=duration,
        humidity=0,
        rotate_tray=bool(rotate_tray),
        cooling_temp=_DRYING_COOLING_TEMP,
        close_power_conflict=False,
    )


def stop_drying(ams_id: int, *, kind: AmsKind) -> Payload:
    """Stop drying in an AMS 2 Pro or AMS HT unit."""
    _check_dryer(ams_id, kind)
    return print_command(
        "ams_filament_drying",
        ams_id=ams_id,
        mode=0,  # off
        filament="",
        temp=0,
        duration=0,
        humidity=0,
        rotate_tray=False,
        cooling_temp=0,
        close_power_conflict=False,
    )
