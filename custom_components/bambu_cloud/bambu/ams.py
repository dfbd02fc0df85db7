"""Typed views of the AMS units, their trays and the external spools."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .filaments import profile
from .models import AmsKind, ModuleVersion
from .values import as_dict, as_float, as_hex, as_int, as_list, as_str

EXTERNAL_AMS_ID = 255  # the "unit" of the external spool(s), as commands use it
TRAY_NONE = 255
TRAY_EXTERNAL = 254
AMS_HT_FIRST = 128
AMS_HT_LAST = 135

_KIND_BITS = {
    1: AmsKind.AMS,
    2: AmsKind.AMS_LITE,
    3: AmsKind.AMS_2_PRO,
    4: AmsKind.AMS_HT,
}
_EXTRUDER_UNINITIALISED = 0xE
_ZERO_TAG = frozenset({"", "0000000000000000", "00000000000000000000000000000000"})


class TrayStatus(StrEnum):
    """Whether a slot holds a known spool."""

    LOADED = "loaded"  # a spool with a known filament type
    EMPTY = "empty"  # nothing in the slot
    UNKNOWN = "unknown"  # a spool the printer cannot identify


@dataclass(frozen=True, slots=True)
class Tray:
    """One filament slot: an AMS tray or an external spool holder."""

    ams_id: int  # the unit id; EXTERNAL_AMS_ID for external spools
    slot: int  # tray index in the unit; the holder index for external spools
    status: TrayStatus
    type: str | None  # PLA, PETG-CF ...
    sub_brand: str | None  # "PLA Basic" (Bambu spools)
    profile_id: str | None  # tray_info_idx, e.g. GFA00
    profile_name: str | None  # "Bambu PLA Basic" from the profile table
    color: str | None  # "#RRGGBB"
    colors: tuple[str, ...]  # every colour of a multi-colour spool
    nozzle_temp_min: int | None
    nozzle_temp_max: int | None
    remaining: int | None  # percent; None when the printer does not know
    spool_weight: int | None  # grams on a full spool (tray_weight); None if unknown
    k: float | None  # pressure advance
    tag_uid: str | None  # RFID tag of a Bambu spool
    uuid: str | None

    @property
    def is_external(self) -> bool:
        """Whether this is an external spool, not an AMS tray."""
        return self.ams_id == EXTERNAL_AMS_ID

    @property
    def label(self) -> str:
        """How Bambu Studio names the slot: A1-D4, HT1-HT8, external."""
        return slot_label(self.ams_id, self.slot)

    @property
    def name(self) -> str | None:
        """The filament as a person names it: sub-brand, profile, or type."""
        if self.status is not TrayStatus.LOADED:
            return None
        return self.sub_brand or self.profile_name or self.type


@dataclass(frozen=True, slots=True)
class AmsUnit:
    """One AMS unit and its trays."""

    id: int  # 0-3, or 128-135 for AMS HT
    kind: AmsKind
    humidity_index: int | None  # 1 (dry) to 5 (wet), as the printer screen shows
    humidity: float | None  # percent relative humidity
    temperature: float | None
    drying: bool | None  # None: this kind cannot dry
    drying_remaining: int | None  # minutes
    extruder: int | None  # the nozzle it feeds on dual-nozzle printers
    trays: tuple[Tray, ...]
    module: ModuleVersion | None  # serial and firmware from get_version

    @property
    def number(self) -> int:
        """1-based number within its kind, as Bambu Studio shows it."""
        return self.id - AMS_HT_FIRST + 1 if self.id >= AMS_HT_FIRST else self.id + 1


def _color(value: Any) -> str | None:
    text = as_str(value)
    if text is None or len(text) < 6:
        return None
    rgb = text[:6]
    try:
        int(rgb, 16)
    except ValueError:
        return None
    return f"#{rgb.upper()}"


def tray_from_report(
    raw: Mapping[str, Any], ams_id: int, slot: int, present: bool | None
) -> Tray:
    """Build a tray view from its report object.

    ``present`` comes from ``tray_exist_bits``; None when the printer does
    not say, then the tray's own fields decide.
    """
    tray_type = as_str(raw.get("tray_type"))
    profile_id = as_str(raw.get("tray_info_idx"))
    known = profile(profile_id)
    if present is False:
        status = TrayStatus.EMPTY
    elif tray_type:
        status = TrayStatus.LOADED
    elif present:
        status = TrayStatus.UNKNOWN
    else:
        status = TrayStatus.EMPTY
    loaded = status is TrayStatus.LOADED
    colors = tuple(
        c for c in (_color(v) for v in as_list(raw.get("cols"))) if c is not None
    )
    tag = as_str(raw.get("tag_uid"))
    uuid = as_str(raw.get("tray_uuid"))
    return Tray(
        ams_id=ams_id,
        slot=slot,
        status=status,
        type=tray_type if loaded else None,
        sub_brand=as_str(raw.get("tray_sub_brands")) if loaded else None,
        profile_id=profile_id if loaded else None,
        profile_name=known.name if known and loaded else None,
        color=_color(raw.get("tray_color")) if loaded else None,
        colors=colors if loaded else (),
        nozzle_temp_min=as_int(raw.get("nozzle_temp_min"), 1, 500) if loaded else None,
        nozzle_temp_max=as_int(raw.get("nozzle_temp_max"), 1, 500) if loaded else None,
        remaining=as_int(raw.get("remain"), 0, 100) if loaded else None,
        # Spools without a Bambu tag report 0: the printer does not know.
        spool_weight=as_int(raw.get("tray_weight"), 1, 100_000) if loaded else None,
        k=as_float(raw.get("k"), 0, 10) if loaded else None,
        tag_uid=tag if loaded and tag not in _ZERO_TAG else None,
        uuid=uuid if loaded and uuid not in _ZERO_TAG else None,
    )


def unit_exists(exist_bits: int | None, unit_id: int) -> bool:
    """Whether ``ams_exist_bits`` marks a unit present (True when unknown)."""
    if exist_bits is None:
        return True
    bit = 4 + unit_id - AMS_HT_FIRST if unit_id >= AMS_HT_FIRST else unit_id
    return bool(exist_bits >> bit & 1)


def tray_exists(exist_bits: int | None, unit_id: int, slot: int) -> bool | None:
    """Whether ``tray_exist_bits`` marks a tray present (None when unknown)."""
    if exist_bits is None:
        return None
    bit = 16 + unit_id - AMS_HT_FIRST if unit_id >= AMS_HT_FIRST else unit_id * 4 + slot
    return bool(exist_bits >> bit & 1)


def units_from_report(
    ams: Mapping[str, Any],
    modules: Mapping[int, tuple[AmsKind, ModuleVersion]],
    default_kind: AmsKind,
) -> list[AmsUnit]:
    """Every AMS unit the printer reports as present."""
    exist_bits = as_hex(ams.get("ams_exist_bits"))
    tray_bits = as_hex(ams.get("tray_exist_bits"))
    units: list[AmsUnit] = []
    for raw_unit in as_list(ams.get("ams")):
        unit = as_dict(raw_unit)
        unit_id = as_int(unit.get("id"), 0, AMS_HT_LAST)
        if unit_id is None or not unit_exists(exist_bits, unit_id):
            continue
        info = as_hex(unit.get("info"))
        extruder = None if info is None else info >> 8 & 0xF
        if extruder == _EXTRUDER_UNINITIALISED:
            continue
        kind = _KIND_BITS.get(info & 0xF) if info is not None else None
        module_kind, module = modules.get(unit_id, (None, None))
        if kind is None:
            kind = module_kind or (
                AmsKind.AMS_HT if unit_id >= AMS_HT_FIRST else default_kind
            )
        units.append(_unit(unit, unit_id, kind, info, extruder, tray_bits, module))
    return units


def _unit(
    unit: Mapping[str, Any],
    unit_id: int,
    kind: AmsKind,
    info: int | None,
    extruder: int | None,
    tray_bits: int | None,
    module: ModuleVersion | None,
) -> AmsUnit:
    can_dry = kind in (AmsKind.AMS_2_PRO, AmsKind.AMS_HT)
    lite = kind is AmsKind.AMS_LITE  # no humidity or temperature sensor
    level = None if lite else as_int(unit.get("humidity"), 1, 5)
    temperature = None if lite else as_float(unit.get("temp"), -40, 150)
    if temperature == 0.0 and not can_dry:
        temperature = None  # older AMS firmware sends 0.0 for "not measured"
    trays = []
    for raw_tray in as_list(unit.get("tray")):
        tray = as_dict(raw_tray)
        slot = as_int(tray.get("id"), 0, 3)
        if slot is None:
            continue
        present = tray_exists(tray_bits, unit_id, slot)
        trays.append(tray_from_report(tray, unit_id, slot, present))
    return AmsUnit(
        id=unit_id,
        kind=kind,
        # The report counts 5 = driest; people see 1 = driest.
        humidity_index=None if level is None else 6 - level,
        humidity=None if lite else as_float(unit.get("humidity_raw"), 0, 100),
        temperature=temperature,
        drying=(info >> 4 & 0xF) != 0 if can_dry and info is not None else None,
        drying_remaining=as_int(unit.get("dry_time"), 0, 100_000) if can_dry else None,
        extruder=extruder,
        trays=tuple(trays),
        module=module,
    )


def external_spools(report: Mapping[str, Any]) -> list[Tray]:
    """The external spool holders: ``vir_slot`` (newer firmware) or ``vt_tray``."""
    raw_slots = as_list(report.get("vir_slot"))
    if not raw_slots and type(report.get("vt_tray")) is dict:
        raw_slots = [report["vt_tray"]]
    return [
        tray_from_report(as_dict(raw), EXTERNAL_AMS_ID, index, None)
        for index, raw in enumerate(raw_slots)
    ]


@dataclass(frozen=True, slots=True)
class TrayRef:
    """Which slot feeds the nozzle: an AMS tray or an external spool."""

    ams_id: int
    slot: int

    @property
    def is_external(self) -> bool:
        """Whether the external spool is loaded."""
        return self.ams_id == EXTERNAL_AMS_ID


def slot_label(ams_id: int, slot: int) -> str:
    """A slot's name: A1-D4 for AMS trays, HT1-HT8, external (external 2)."""
    if ams_id == EXTERNAL_AMS_ID:
        return "external" if slot == 0 else f"external {slot + 1}"
    if ams_id >= AMS_HT_FIRST:
        return f"HT{ams_id - AMS_HT_FIRST + 1}"
    return f"{'ABCD'[ams_id % 4]}{slot + 1}"


def tray_from_tray_now(value: int | None) -> TrayRef | None:
    """Decode ``ams.tray_now``: 255 none, 254 external, 128+ AMS HT."""
    if value is None or value == TRAY_NONE or value < 0:
        return None
    if value == TRAY_EXTERNAL:
        return TrayRef(EXTERNAL_AMS_ID, 0)
    if AMS_HT_FIRST <= value <= AMS_HT_LAST:
        return TrayRef(value, 0)
    if value > 15:
        return None
    return TrayRef(value >> 2, value & 3)


def tray_from_snow(value: int | None) -> TrayRef | None:
    """Decode an extruder's ``snow``: AMS id in the high byte, slot in the low."""
    if value is None or value < 0:
        return None
    unit, slot = value >> 8 & 0xFF, value & 0xFF
    if slot == 0xFF:  # 0xFFFF, 0xFEFF: nothing loaded
        return None
    if unit in (0xFE, 0xFF):  # 0xFF00: an external spool
        return TrayRef(EXTERNAL_AMS_ID, slot if slot <= 1 else 0)
    if unit <= 3 and slot <= 3:
        return TrayRef(unit, slot)
    if AMS_HT_FIRST <= unit <= AMS_HT_LAST:
        return TrayRef(unit, 0)
    return None
