"""Nozzle sensors (type, flow, diameter, active nozzle) and the H2C's hotend rack.

A two-nozzle printer has a type, flow and diameter sensor per nozzle, named
as Bambu names them (right and left; the X2D's auxiliary and main) plus the
active nozzle; the first nozzle keeps the one-nozzle keys.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import EntityCategory, UnitOfLength

from .aiobambulab.catalog import PrinterModel
from .aiobambulab.depends import depends_on
from .aiobambulab.nozzles import (
    RACK_SLOTS,
    Nozzle,
    NozzleFlow,
    NozzleMaterial,
    RackStatus,
)
from .aiobambulab.state import PrinterState
from .sensor_base import Attributes, SensorValue
from .sensor_printer import BambuSensorEntityDescription

NOZZLE_TYPES = [material.value for material in NozzleMaterial]
NOZZLE_FLOWS = [flow.value for flow in NozzleFlow]
# The nozzle block, the legacy fields, and the model (two-nozzle or not).
NOZZLE_INFO_PATHS = depends_on(PrinterState.nozzles, PrinterState.nozzle_count)
RACK_PATHS = depends_on(PrinterState.hotend_rack)
STATE_EMPTY_RACK = "empty"


def _nozzle_value(
    index: int, read: Callable[[Nozzle], SensorValue]
) -> Callable[[PrinterState], SensorValue]:
    def value(state: PrinterState) -> SensorValue:
        nozzle = state.nozzle(index)
        return None if nozzle is None else read(nozzle)

    return value


def _material(nozzle: Nozzle) -> str | None:
    return None if nozzle.material is None else nozzle.material.value


def _flow(nozzle: Nozzle) -> str | None:
    return None if nozzle.flow is None else nozzle.flow.value


def _nozzle_descriptions(
    index: int, name: str | None
) -> tuple[BambuSensorEntityDescription, ...]:
    """Type, flow and diameter of one nozzle.

    ``name`` is how Bambu names the nozzle on a two-nozzle printer (right,
    left); None on a printer with one. The first nozzle keeps the keys of a
    one-nozzle printer (``nozzle_type``), so the entities a two-nozzle printer
    had before its nozzles were read one by one stay, now for that nozzle.
    """
    prefix = "" if name is None else f"{name}_"
    key_suffix = "" if index == 0 else f"_{index}"

    def exists(read: Callable[[Nozzle], SensorValue]) -> Callable[[PrinterState], bool]:
        value = _nozzle_value(index, read)
        return lambda state: value(state) is not None

    return (
        BambuSensorEntityDescription(
            key=f"nozzle_type{key_suffix}",
            translation_key=f"{prefix}nozzle_type",
            device_class=SensorDeviceClass.ENUM,
            options=NOZZLE_TYPES,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=False,
            value_fn=_nozzle_value(index, _material),
            paths=NOZZLE_INFO_PATHS,
            exists_fn=exists(_material),
        ),
        BambuSensorEntityDescription(
            key=f"nozzle_flow{key_suffix}",
            translation_key=f"{prefix}nozzle_flow",
            device_class=SensorDeviceClass.ENUM,
            options=NOZZLE_FLOWS,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=False,
            value_fn=_nozzle_value(index, _flow),
            paths=NOZZLE_INFO_PATHS,
            exists_fn=exists(_flow),
        ),
        BambuSensorEntityDescription(
            key=f"nozzle_diameter{key_suffix}",
            translation_key=f"{prefix}nozzle_diameter",
            device_class=SensorDeviceClass.DISTANCE,
            native_unit_of_measurement=UnitOfLength.MILLIMETERS,
            suggested_display_precision=1,
            entity_category=EntityCategory.DIAGNOSTIC,
            # Changes with a hotend swap only, like the type and flow.
            entity_registry_enabled_default=False,
            value_fn=_nozzle_value(index, lambda nozzle: nozzle.diameter),
            paths=NOZZLE_INFO_PATHS,
            exists_fn=exists(lambda nozzle: nozzle.diameter),
        ),
    )


def _active_nozzle(names: tuple[str, ...]) -> Callable[[PrinterState], str | None]:
    def value(state: PrinterState) -> str | None:
        active = state.active_nozzle
        return names[active] if active is not None and active < len(names) else None

    return value


def _rack_status(state: PrinterState) -> str | None:
    rack = state.hotend_rack
    return None if rack is None or rack.status is None else rack.status.name.lower()


def _rack_attributes(state: PrinterState) -> Attributes:
    rack = state.hotend_rack
    if rack is None:
        return None
    mounted = state.nozzle(0)  # the right extruder takes its hotends from the rack
    return {
        "position": None if rack.position is None else rack.position.name.lower(),
        "hotends": len(rack.hotends),
        "mounted_type": None if mounted is None else _material(mounted),
        "mounted_diameter": None if mounted is None else mounted.diameter,
    }


def _rack_hotend(place: int) -> Callable[[PrinterState], str | None]:
    def value(state: PrinterState) -> str | None:
        rack = state.hotend_rack
        if rack is None:
            return None
        hotend = rack.hotends.get(place)
        return STATE_EMPTY_RACK if hotend is None else _material(hotend)

    return value


def _rack_hotend_attributes(place: int) -> Callable[[PrinterState], Attributes]:
    def attributes(state: PrinterState) -> Attributes:
        rack = state.hotend_rack
        hotend = None if rack is None else rack.hotends.get(place)
        if hotend is None:
            return None
        return {
            "diameter": hotend.diameter,
            "flow": _flow(hotend),
            "wear": hotend.wear,
            "verified": hotend.reliable,
        }

    return attributes


def nozzle_sensors(
    model: PrinterModel, nozzle_count: int
) -> tuple[BambuSensorEntityDescription, ...]:
    """Nozzle, active nozzle and hotend rack sensors of a printer.

    ``nozzle_count`` is how many nozzles the printer has (reported, or its
    model's).
    """
    names = model.nozzle_names
    if nozzle_count < 2:
        return (*_nozzle_descriptions(0, None), *_rack_sensors())
    descriptions = [
        description
        for index in range(min(nozzle_count, len(names)))
        for description in _nozzle_descriptions(index, names[index])
    ]
    descriptions.append(
        BambuSensorEntityDescription(
            key="active_nozzle",
            translation_key="active_nozzle",
            device_class=SensorDeviceClass.ENUM,
            options=list(names),
            value_fn=_active_nozzle(names),
            paths=depends_on(PrinterState.active_nozzle),
            exists_fn=lambda state: state.nozzle_count > 1,
        )
    )
    return (*descriptions, *_rack_sensors())


def _has_rack(state: PrinterState) -> bool:
    return state.hotend_rack is not None


def _rack_sensors() -> tuple[BambuSensorEntityDescription, ...]:
    """The rack's state and each of its places, where the printer has one."""
    rack_state = (
        BambuSensorEntityDescription(
            key="hotend_rack",
            translation_key="hotend_rack",
            device_class=SensorDeviceClass.ENUM,
            options=[status.name.lower() for status in RackStatus],
            value_fn=_rack_status,
            attributes_fn=_rack_attributes,
            paths=RACK_PATHS,
            exists_fn=_has_rack,
        ),
    )
    return rack_state + tuple(
        BambuSensorEntityDescription(
            key=f"rack_hotend_{place}",
            translation_key="rack_hotend",
            translation_placeholders={"place": str(place + 1)},
            device_class=SensorDeviceClass.ENUM,
            options=[*NOZZLE_TYPES, STATE_EMPTY_RACK],
            value_fn=_rack_hotend(place),
            attributes_fn=_rack_hotend_attributes(place),
            paths=RACK_PATHS,
            exists_fn=_has_rack,
        )
        for place in range(RACK_SLOTS)
    )
