"""Typed views of the AMS units, their trays and the external spools."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Any, Final

from .catalog import AmsKind, ModuleVersion
from .filaments import profile
from .values import as_dict, as_float, as_hex, as_int, as_list, as_str

EXTERNAL_AMS_ID = 255  # the "unit" of the external spool(s), as commands use it
# The external spool holders' own ids (vir_slot), one per extruder: 255 feeds
# extruder 0 (right, or the only one), 254 extruder 1 (left). Bambu Studio:
# VIRTUAL_TRAY_MAIN_ID / VIRTUAL_TRAY_DEPUTY_ID, GetExtruderIdByAmsId.
HOLDER_MAIN = 255
HOLDER_DEPUTY = 254
TRAY_NONE = 255
TRAY_EXTERNAL = 254
AMS_HT_FIRST = 128
AMS_HT_LAST = 135
AMS_HT_IDS = range(AMS_HT_FIRST, AMS_HT_LAST + 1)  # the unit ids of AMS HT
# The A2L's AMS Lite: unit id 16, unit type 5 (Bambu Studio AMS_LITE_MIXED,
# "ams lite for N9"); its trays are tray indices 24-27 in tray_exist_bits and
# tray_now (AMS_LITE_MIXED_TRAY_INDEX_OFFSET).
AMS_LITE_MIXED_ID = 16
AMS_LITE_MIXED_TRAY_OFFSET = 24
_AMS_LITE_MIXED_KIND = 5

_KIND_BITS = {
    1: AmsKind.AMS,
    2: AmsKind.AMS_LITE,
    3: AmsKind.AMS_2_PRO,
    4: AmsKind.AMS_HT,
    _AMS_LITE_MIXED_KIND: AmsKind.AMS_LITE,
}
_EXTRUDER_UNINITIALISED = 0xE
_ZERO_TAG = frozenset({"", "0000000000000000", "00000000000000000000000000000000"})


class RemainUnknown(StrEnum):
    """Why a spool's remaining filament is unknown."""

    ESTIMATE_OFF = "estimate_off"  # the printer's remaining estimate is off
    UNTRACKED_SPOOL = "untracked_spool"  # not a spool the printer tracks (no tag)
    EXTERNAL_SPOOL = "external_spool"  # printers never estimate external spools
    NOT_REPORTED = "not_reported"  # no valid value (-1, or out of range)


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
    remaining_unknown: RemainUnknown | None = None  # why ``remaining`` is None

    @property
    def is_external(self) -> bool:
        """Whether this is an external spool, not an AMS tray."""
        return self.ams_id == EXTERNAL_AMS_ID

    @property
    def label(self) -> str:
        """The slot's name: A1-D4, HT1-HT8, L1-L4, external (external 2)."""
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

    id: int  # 0-3, 16 for the A2L's AMS Lite, or 128-135 for AMS HT
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
        if self.id == AMS_LITE_MIXED_ID:
            return 1  # an A2L takes one AMS Lite
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


def _remaining(
    raw: Mapping[str, Any], *, external: bool, estimate: bool, tracked: bool
) -> tuple[int | None, RemainUnknown | None]:
    """A spool's remaining percent, as Bambu Studio shows it, or why not.

    Studio shows ``remain`` only with the printer's remaining estimate on
    (``home_flag`` bit 7) and for a spool with a Bambu tag, and never for an
    external spool (``AMSinfo::parse_ams_info`` / ``parse_ext_info``);
    otherwise printers send 0, -1 or 100 that mean nothing.
    """
    if external:
        return None, RemainUnknown.EXTERNAL_SPOOL
    if not estimate:
        return None, RemainUnknown.ESTIMATE_OFF
    if not tracked:
        return None, RemainUnknown.UNTRACKED_SPOOL
    value = as_int(raw.get("remain"), 0, 100)
    return value, None if value is not None else RemainUnknown.NOT_REPORTED


def tray_from_report(
    raw: Mapping[str, Any],
    ams_id: int,
    slot: int,
    present: bool | None,
    *,
    estimate: bool = False,
) -> Tray:
    """Build a tray view from its report object.

    ``present`` comes from ``tray_exist_bits``; None when the printer does
    not say, then the tray's own fields decide. ``estimate`` is whether the
    printer's remaining-filament estimate is on.
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
    tracked = tag not in _ZERO_TAG and tag is not None
    remaining, unknown = (
        _remaining(
            raw,
            external=ams_id == EXTERNAL_AMS_ID,
            estimate=estimate,
            tracked=tracked,
        )
        if loaded
        else (None, None)
    )
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
        remaining=remaining,
        remaining_unknown=unknown,
        # Spools without a Bambu tag report 0: the printer does not know.
        spool_weight=as_int(raw.get("tray_weight"), 1, 100_000) if loaded else None,
        k=as_float(raw.get("k"), 0, 10) if loaded else None,
        tag_uid=tag if loaded and tracked else None,
        uuid=uuid if loaded and uuid not in _ZERO_TAG else None,
    )


def unit_exists(exist_bits: int | None, unit_id: int) -> bool:
    """Whether ``ams_exist_bits`` marks a unit present (True when unknown)."""
    if exist_bits is None or unit_id == AMS_LITE_MIXED_ID:
        # No presence bit of the A2L's AMS Lite is known (Studio's formula
        # for units 0-3 does not apply to it): a reported, initialised unit
        # is present.
        return True
    bit = 4 + unit_id - AMS_HT_FIRST if unit_id >= AMS_HT_FIRST else unit_id
    return bool(exist_bits >> bit & 1)


def tray_exists(exist_bits: int | None, unit_id: int, slot: int) -> bool | None:
    """Whether ``tray_exist_bits`` marks a tray present (None when unknown)."""
    if exist_bits is None:
        return None
    if unit_id >= AMS_HT_FIRST:
        bit = 16 + unit_id - AMS_HT_FIRST
    elif unit_id == AMS_LITE_MIXED_ID:
        bit = AMS_LITE_MIXED_TRAY_OFFSET + slot
    else:
        bit = unit_id * 4 + slot
    return bool(exist_bits >> bit & 1)


def units_from_report(
    ams: Mapping[str, Any],
    modules: Mapping[int, tuple[AmsKind, ModuleVersion]],
    default_kind: AmsKind,
    *,
    estimate: bool = False,
) -> list[AmsUnit]:
    """Every AMS unit the printer reports as present.

    ``estimate``: whether the printer's remaining-filament estimate is on.
    """
    exist_bits = as_hex(ams.get("ams_exist_bits"))
    tray_bits = as_hex(ams.get("tray_exist_bits"))
    units: list[AmsUnit] = []
    for raw_unit in as_list(ams.get("ams")):
        unit = as_dict(raw_unit)
        unit_id = as_int(unit.get("id"), 0, AMS_HT_LAST)
        if unit_id is None or not unit_exists(exist_bits, unit_id):
            continue
        if 3 < unit_id < AMS_HT_FIRST and unit_id != AMS_LITE_MIXED_ID:
            continue  # no unit has such an id
        info = as_hex(unit.get("info"))
        extruder = None if info is None else info >> 8 & 0xF
        if extruder == _EXTRUDER_UNINITIALISED:
            continue
        kind = _KIND_BITS.get(info & 0xF) if info is not None else None
        module_kind, module = modules.get(unit_id, (None, None))
        if kind is None and unit_id == AMS_LITE_MIXED_ID:
            kind = AmsKind.AMS_LITE
        if kind is None:
            kind = module_kind or (
                AmsKind.AMS_HT if unit_id >= AMS_HT_FIRST else default_kind
            )
        units.append(
            _unit(unit, unit_id, kind, info, extruder, tray_bits, module, estimate)
        )
    return units


def _unit(
    unit: Mapping[str, Any],
    unit_id: int,
    kind: AmsKind,
    info: int | None,
    extruder: int | None,
    tray_bits: int | None,
    module: ModuleVersion | None,
    estimate: bool,
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
        trays.append(tray_from_report(tray, unit_id, slot, present, estimate=estimate))
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


def holder_slot(holder_id: int) -> int | None:
    """A holder's slot number: the extruder it feeds (255: 0, 254: 1)."""
    if holder_id in (HOLDER_MAIN, HOLDER_DEPUTY):
        return HOLDER_MAIN - holder_id
    return None


def external_spools(report: Mapping[str, Any]) -> list[Tray]:
    """The external spool holders: ``vir_slot`` (newer firmware) or ``vt_tray``.

    Which holder an entry is comes from its ``id`` (255 or 254), never from
    its place in the list: an H2D lists 254 first. ``vt_tray`` is the one
    holder of older firmware, which Bambu Studio takes as 255 whatever id it
    carries.
    """
    raw_slots = [as_dict(raw) for raw in as_list(report.get("vir_slot"))]
    if not raw_slots:
        if type(report.get("vt_tray")) is not dict:
            return []
        return [tray_from_report(report["vt_tray"], EXTERNAL_AMS_ID, 0, None)]
    spools: dict[int, Tray] = {}
    for raw in raw_slots:
        slot = holder_slot(as_int(raw.get("id"), 0, 0xFFFF) or -1)
        if slot is None and len(raw_slots) == 1:
            slot = 0  # a single holder without a usable id is the main one
        if slot is not None and slot not in spools:
            spools[slot] = tray_from_report(raw, EXTERNAL_AMS_ID, slot, None)
    return [spools[slot] for slot in sorted(spools)]


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
    if ams_id == AMS_LITE_MIXED_ID:
        return f"L{slot + 1}"
    return f"{'ABCD'[ams_id % 4]}{slot + 1}"


# Tray labels as Bambu Studio and the printer's screen show them: A1 is the
# first tray of the first AMS unit, D4 the last tray of the fourth, L1-L4 the
# A2L's AMS Lite.
_TRAY_LABEL: Final = re.compile(r"([A-DL])([1-4])", re.IGNORECASE)
_EXTERNAL_LABELS: Final = frozenset({"external", "ext"})


def tray_index_from_label(text: str) -> int | None:
    """A tray label (A1-D4, L1-L4, external) as a ``tray_now`` index; None if not one.

    The inverse of ``tray_from_tray_now`` for the trays a label can name.
    """
    text = text.strip()
    if text.lower() in _EXTERNAL_LABELS:
        return TRAY_EXTERNAL
    if match := _TRAY_LABEL.fullmatch(text):
        if match[1].upper() == "L":  # the A2L's AMS Lite: tray index 24 + slot
            return AMS_LITE_MIXED_TRAY_OFFSET + int(match[2]) - 1
        return (ord(match[1].upper()) - ord("A")) * 4 + int(match[2]) - 1
    return None


def tray_from_tray_now(value: int | None) -> TrayRef | None:
    """Decode ``ams.tray_now``: 255 none, 254 external, 128+ AMS HT.

    A tray index is unit * 4 + slot and an AMS HT's its unit id (Bambu
    Studio ``ExtderSystemParser::ParseV1_0``); the A2L's AMS Lite's is
    24 + slot (Studio's ``AMS_LITE_MIXED_TRAY_INDEX_OFFSET``).
    """
    if value is None or value == TRAY_NONE or value < 0:
        return None
    if value == TRAY_EXTERNAL:
        return TrayRef(EXTERNAL_AMS_ID, 0)
    if AMS_HT_FIRST <= value <= AMS_HT_LAST:
        return TrayRef(value, 0)
    offset = AMS_LITE_MIXED_TRAY_OFFSET
    if offset <= value < offset + 4:
        return TrayRef(AMS_LITE_MIXED_ID, value - offset)
    if value > 15:
        return None
    return TrayRef(value >> 2, value & 3)


def tray_from_snow(value: int | None) -> TrayRef | None:
    """Decode an extruder's ``snow``: AMS id in the high byte, slot in the low.

    The id of an external spool is its holder's (0xFF00: holder 255, the
    right or only one; 0xFE00: holder 254, the left one), as Bambu Studio
    reads it (``ExtderSystemParser::ParseV2_0``).
    """
    if value is None or value < 0:
        return None
    unit, slot = value >> 8 & 0xFF, value & 0xFF
    if slot == 0xFF:  # 0xFFFF, 0xFEFF: nothing loaded
        return None
    holder = holder_slot(unit)
    if holder is not None:
        return TrayRef(EXTERNAL_AMS_ID, holder)
    if (unit <= 3 or unit == AMS_LITE_MIXED_ID) and slot <= 3:
        return TrayRef(unit, slot)
    if AMS_HT_FIRST <= unit <= AMS_HT_LAST:
        return TrayRef(unit, 0)
    return None
