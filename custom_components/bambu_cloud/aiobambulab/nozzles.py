"""Typed views of the nozzles: on the extruders, and in the H2C's hotend rack.

Decoded as Bambu Studio decodes them (``DevNozzleSystem.cpp``):

- A nozzle type is either a name ("hardened_steel") or a code like
  ``HS01``: the second letter is the flow type, characters 3-4 the
  material; a suffix such as ``-0.4`` may follow (``s_parse_nozzle_type``).
- Newer firmware reports every nozzle under ``device.nozzle.info``: an ``id``
  whose low nibble is the position and whose second nibble is 1 for a hotend
  in the rack, its ``type`` code, ``diameter`` and ``stat``
  (``DevNozzleSystemParser::ParseV2_0``); the rack itself is ``device.holder``
  (``DevNozzleRack::ParseRackInfoV1_0``).
- Extruder 0 is the right one (or the only one), extruder 1 the left one
  (``MAIN_EXTRUDER_ID`` / ``DEPUTY_EXTRUDER_ID``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Final

from .values import as_dict, as_float, as_int, as_str

# The most extruders a printer has (H2D, X2D: right and left).
MAX_NOZZLES: Final = 2
# A hotend rack holds six hotends (Bambu Studio's IsRackMaximumInstalled).
RACK_SLOTS: Final = 6
_RACK_FLAG: Final = 0x10  # ids of rack hotends: 0x10 + position


class NozzleMaterial(StrEnum):
    """What a nozzle is made of."""

    STAINLESS_STEEL = "stainless_steel"
    HARDENED_STEEL = "hardened_steel"
    TUNGSTEN_CARBIDE = "tungsten_carbide"
    BRASS = "brass"


class NozzleFlow(StrEnum):
    """A nozzle's flow type."""

    STANDARD = "standard"
    HIGH_FLOW = "high_flow"
    TPU_HIGH_FLOW = "tpu_high_flow"
    E3D_HIGH_FLOW = "e3d_high_flow"


class RackStatus(IntEnum):
    """``device.holder.stat``: what the hotend rack is doing."""

    IDLE = 0
    HOTEND_CENTRE = 1
    TOOLHEAD_CENTRE = 2
    CALIBRATING = 3
    CUTTING_FILAMENT = 4
    UNLOCKING_HOTEND = 5
    LIFTING_RACK = 6
    PLACING_HOTEND = 7
    PICKING_HOTEND = 8
    LOCKING_HOTEND = 9


class RackPosition(IntEnum):
    """``device.holder.pos``: where the rack stands (0 is unknown)."""

    A_TOP = 1
    B_TOP = 2
    CENTRE = 3


# Characters 3-4 of a type code (``_str2_nozzle_type``).
_MATERIAL_CODES: Final = {
    "00": NozzleMaterial.STAINLESS_STEEL,
    "01": NozzleMaterial.HARDENED_STEEL,
    "05": NozzleMaterial.TUNGSTEN_CARBIDE,
}
# The second letter of a type code (``_str2_nozzle_flow_type``).
_FLOW_CODES: Final = {
    "S": NozzleFlow.STANDARD,
    "A": NozzleFlow.STANDARD,
    "X": NozzleFlow.STANDARD,
    "H": NozzleFlow.HIGH_FLOW,
    "E": NozzleFlow.HIGH_FLOW,
    "U": NozzleFlow.TPU_HIGH_FLOW,
    "B": NozzleFlow.E3D_HIGH_FLOW,
}


@dataclass(frozen=True, slots=True)
class NozzleType:
    """A decoded nozzle type: material and flow, each None when unknown."""

    material: NozzleMaterial | None
    flow: NozzleFlow | None
    diameter: float | None  # from a code's suffix ("HS01-0.4"), if any


_UNKNOWN = NozzleType(None, None, None)


def parse_nozzle_type(value: Any) -> NozzleType:
    """Decode a nozzle type name ("hardened_steel") or code ("HS01-0.4")."""
    text = as_str(value)
    if text is None:
        return _UNKNOWN
    text = text.strip()
    try:
        return NozzleType(NozzleMaterial(text.lower()), None, None)
    except ValueError:
        pass
    code, _, suffix = text.upper().partition("-")
    if len(code) < 4:
        return _UNKNOWN
    return NozzleType(
        _MATERIAL_CODES.get(code[2:4]),
        _FLOW_CODES.get(code[1]),
        as_float(suffix, 0.1, 2.0) if suffix else None,
    )


@dataclass(frozen=True, slots=True)
class Nozzle:
    """One nozzle: on an extruder, or a hotend in the rack."""

    position: int  # the extruder (0 right or only, 1 left), or the rack slot
    on_rack: bool
    material: NozzleMaterial | None
    flow: NozzleFlow | None
    diameter: float | None  # millimetres
    reliable: bool | None  # False: the printer has not verified its info
    wear: float | None


@dataclass(frozen=True, slots=True)
class HotendRack:
    """The H2C's hotend rack: its state and the hotends it holds."""

    status: RackStatus | None
    position: RackPosition | None
    hotends: Mapping[int, Nozzle]  # by rack slot (0-5); a missing slot is empty


def _nozzle(raw: Mapping[str, Any]) -> Nozzle | None:
    raw_id = as_int(raw.get("id"), 0, 0xFF)
    if raw_id is None:
        return None
    decoded = parse_nozzle_type(raw.get("type"))
    stat = as_int(raw.get("stat"), 0)
    return Nozzle(
        position=raw_id & 0xF,
        on_rack=raw_id & 0xF0 == _RACK_FLAG,
        material=decoded.material,
        flow=decoded.flow,
        diameter=as_float(raw.get("diameter"), 0.1, 2.0) or decoded.diameter,
        # stat bit 0 set: the printer has not read the nozzle's tag yet.
        reliable=None if stat is None else not stat & 1,
        wear=as_float(raw.get("wear"), 0),
    )


def nozzles_from_device(device: Mapping[str, Any]) -> list[Nozzle] | None:
    """Every nozzle of ``device.nozzle.info``; None when the block is absent."""
    info = _dig_list(device, "nozzle", "info")
    if info is None:
        return None
    return [n for n in (_nozzle(as_dict(item)) for item in info) if n is not None]


def rack_from_device(device: Mapping[str, Any]) -> HotendRack | None:
    """The hotend rack (``device.holder`` and rack nozzles); None without one."""
    holder = device.get("holder")
    hotends = {
        nozzle.position: nozzle
        for nozzle in nozzles_from_device(device) or []
        if nozzle.on_rack and nozzle.position < RACK_SLOTS
    }
    if type(holder) is not dict and not hotends:
        return None
    holder_map = as_dict(holder)
    status = as_int(holder_map.get("stat"), 0, max(RackStatus))
    position = as_int(holder_map.get("pos"), 1, max(RackPosition))
    return HotendRack(
        status=None if status is None else RackStatus(status),
        position=None if position is None else RackPosition(position),
        hotends=hotends,
    )


def _dig_list(root: Mapping[str, Any], *keys: str) -> list[Any] | None:
    """The list at a path, or None when any level is missing."""
    node: Any = root
    for key in keys:
        if type(node) is not dict or key not in node:
            return None
        node = node[key]
    return node if type(node) is list else None
