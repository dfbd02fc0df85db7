"""Sensors: temperatures, job, fans, network, health, AMS units and trays.

Entities exist only where the printer reports the data or the model has the
part: a P1P gets no chamber temperature, an AMS lite no humidity, and an H2D
one temperature pair per nozzle. AMS units and their trays live on the AMS
unit's device; external spools on the printer's.

Nozzles: a two-nozzle printer has a type, flow and diameter sensor per
nozzle, named as Bambu names them (right and left; the X2D's auxiliary and
main) plus the active nozzle; the first nozzle keeps the one-nozzle keys. An
H2C also has its hotend rack: the rack's state and one sensor per place.

Text states. Enum sensors (print status, stage, speed profile, nozzle type
and flow, active nozzle, hotend rack, SD card) use translated states. The filament sensors of trays, external
spools and the active tray show the filament's own name (its sub-brand,
profile name or type, which are product names and not translated), or one of
the translated states ``empty``, ``unidentified`` (a spool the printer
cannot identify) and, for the active tray, ``none``. The print error shows
Bambu's text for the error in Home Assistant's language (from the library's
catalog), or the translated state ``none``.

Job file sensors (print weight and length, and per tray and external spool
the grams the job needs from it) come from the job's project file or cloud
task (``job.py``) and are unknown until it has been read, or when the job
has none; a tray's is unknown while it is not known which tray prints what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    MAX_LENGTH_STATE_STATE,
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfLength,
    UnitOfMass,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.ams import AmsUnit, Tray, TrayStatus
from .aiobambulab.catalog import AmsKind, PrinterModel
from .aiobambulab.depends import View, depends_on, reported
from .aiobambulab.hms import HmsCatalog, format_error_code
from .aiobambulab.job_details import JobDetails, tray_usage
from .aiobambulab.nozzles import (
    MAX_NOZZLES,
    RACK_SLOTS,
    Nozzle,
    NozzleFlow,
    NozzleMaterial,
    RackStatus,
)
from .aiobambulab.state import (
    CHANGED_VERSION,
    STAGE_KEYS,
    TEMPERATURE_STEP,
    JobState,
    PrinterState,
    SdCardState,
    SpeedLevel,
    settled_temperature,
)
from .coordinator import PrinterCoordinator
from .entity import (
    BambuAmsEntity,
    BambuEntity,
    BambuEntityDescription,
    BambuJobEntity,
    ams_device_info,
    async_add_printer_entities,
    described_entities,
    entry_runtime,
)
from .job import JobTracker, async_job_tracker
from .runtime import BambuConfigEntry
from .sensor_costs import async_add_cost_sensors
from .statistics import async_add_statistics_sensors

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0

type SensorValue = str | int | float | datetime | None
type Attributes = dict[str, Any] | None

# Text states that are not a name (see the module docstring).
STATE_NONE = "none"
STATE_EMPTY = "empty"
STATE_UNIDENTIFIED = "unidentified"

NOZZLE_TYPES = [material.value for material in NozzleMaterial]
NOZZLE_FLOWS = [flow.value for flow in NozzleFlow]
# Trays per AMS unit: an AMS HT holds one spool, every other kind four.
AMS_HT_SLOTS = 1
AMS_SLOTS = 4
K_DECIMALS = 4  # the printer sends float32 noise (0.019999999552965164)

# Report keys whose change can change an AMS unit, a tray or an external spool
# (home_flag: whether the printer estimates the filament left).
AMS_PATHS = depends_on(PrinterState.ams_units)
EXTERNAL_SPOOL_PATHS = depends_on(PrinterState.external_spools)
ACTIVE_TRAY_PATHS = (
    AMS_PATHS | EXTERNAL_SPOOL_PATHS | depends_on(PrinterState.active_tray)
)


def _reports(*views: View) -> Callable[[PrinterState], bool]:
    """An ``exists_fn``: the printer reports these views (valid or not)."""
    return lambda state: reported(state, *views)


def _has_value(
    value_fn: Callable[[PrinterState], object],
) -> Callable[[PrinterState], bool]:
    """An ``exists_fn``: the printer reports a usable value now."""
    return lambda state: value_fn(state) is not None


# --- printer sensors -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuSensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A printer sensor: where its value comes from."""

    value_fn: Callable[[PrinterState], SensorValue]
    attributes_fn: Callable[[PrinterState], Attributes] = lambda _state: None
    # A wobbling reading: shown in these steps, written once it moves a step.
    step: float | None = None


def _temperature(
    key: str,
    value_fn: Callable[[PrinterState], float | None],
    paths: frozenset[str],
    *,
    exists_fn: Callable[[PrinterState], bool] | None = None,
    translation_key: str | None = None,
    nozzle: int | None = None,
) -> BambuSensorEntityDescription:
    # Targets are exact settings: no statistics, no steps, and off by default
    # (the number entities show and set them). Readings are whole degrees,
    # as Bambu Studio shows them.
    target = "_target_" in key
    return BambuSensorEntityDescription(
        key=key,
        translation_key=translation_key or key,
        translation_placeholders=None if nozzle is None else {"nozzle": str(nozzle)},
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=None if target else SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=0,
        step=None if target else TEMPERATURE_STEP,
        entity_registry_enabled_default=not target,
        value_fn=value_fn,
        paths=paths,
        exists_fn=exists_fn or _has_value(value_fn),
    )


NOZZLE_PATHS = depends_on(
    PrinterState.nozzle_temperature,
    PrinterState.nozzle_target_temperature,
    PrinterState.nozzle_count,
)
BED_PATHS = depends_on(
    PrinterState.bed_temperature, PrinterState.bed_target_temperature
)
CHAMBER_PATHS = depends_on(
    PrinterState.chamber_temperature, PrinterState.chamber_target_temperature
)


def _nozzle(
    index: int, *, target: bool, numbered: bool
) -> BambuSensorEntityDescription:
    """A nozzle's temperature or target; numbered on printers with several."""
    key = "nozzle_target_temperature" if target else "nozzle_temperature"

    def value(state: PrinterState) -> float | None:
        if target:
            return state.nozzle_target_temperature(index)
        return state.nozzle_temperature(index)

    def exists(state: PrinterState) -> bool:
        return (state.nozzle_count > 1) == numbered and value(state) is not None

    if not numbered:
        return _temperature(key, value, NOZZLE_PATHS, exists_fn=exists)
    return _temperature(
        f"{key}_{index}",
        value,
        NOZZLE_PATHS,
        exists_fn=exists,
        translation_key=f"numbered_{key}",
        nozzle=index + 1,
    )


def _fan(
    key: str, value_fn: Callable[[PrinterState], int | None], view: View
) -> BambuSensorEntityDescription:
    return BambuSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=PERCENTAGE,
        # The fan entities show the same percentage (and set it).
        entity_registry_enabled_default=False,
        value_fn=value_fn,
        paths=depends_on(view),
        exists_fn=_has_value(value_fn),
    )


def _whole_minute(moment: datetime | None) -> datetime | None:
    """An estimate to the minute: it drifts by seconds with every report."""
    return None if moment is None else moment.replace(second=0, microsecond=0)


def _job_state(state: PrinterState) -> str | None:
    job_state = state.job_state
    return None if job_state is None else job_state.value


def _speed_profile(state: PrinterState) -> str | None:
    level = state.speed_level
    return None if level is None else level.name.lower()


def _sd_card(state: PrinterState) -> str | None:
    card = state.sdcard_state
    return None if card is None else card.value


PRINTER_SENSORS: tuple[BambuSensorEntityDescription, ...] = (
    _nozzle(0, target=False, numbered=False),
    _nozzle(0, target=True, numbered=False),
    *(
        _nozzle(index, target=target, numbered=True)
        for index in range(MAX_NOZZLES)
        for target in (False, True)
    ),
    _temperature("bed_temperature", lambda state: state.bed_temperature, BED_PATHS),
    _temperature(
        "bed_target_temperature",
        lambda state: state.bed_target_temperature,
        BED_PATHS,
    ),
    _temperature(
        "chamber_temperature", lambda state: state.chamber_temperature, CHAMBER_PATHS
    ),
    _temperature(
        "chamber_target_temperature",
        lambda state: state.chamber_target_temperature,
        CHAMBER_PATHS,
    ),
    BambuSensorEntityDescription(
        key="print_status",
        translation_key="print_status",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in JobState],
        value_fn=_job_state,
        paths=depends_on(PrinterState.job_state),
        exists_fn=_reports(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="stage",
        translation_key="stage",
        device_class=SensorDeviceClass.ENUM,
        options=list(STAGE_KEYS),
        value_fn=lambda state: state.stage,
        paths=depends_on(PrinterState.stage),
        exists_fn=_reports(PrinterState.stage_id),
    ),
    BambuSensorEntityDescription(
        key="progress",
        translation_key="progress",
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda state: state.progress,
        paths=depends_on(PrinterState.progress),
        exists_fn=_reports(PrinterState.progress),
    ),
    BambuSensorEntityDescription(
        key="remaining_time",
        translation_key="remaining_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda state: state.remaining_minutes,
        paths=depends_on(PrinterState.remaining_minutes),
        exists_fn=_reports(PrinterState.remaining_minutes),
    ),
    BambuSensorEntityDescription(
        key="start_time",
        translation_key="start_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: state.job_start_time,
        paths=depends_on(PrinterState.job_start_time, PrinterState.job_end_time),
        exists_fn=_reports(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="end_time",
        translation_key="end_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: _whole_minute(state.job_end_time),
        paths=depends_on(PrinterState.job_start_time, PrinterState.job_end_time),
        exists_fn=_reports(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="current_layer",
        translation_key="current_layer",
        value_fn=lambda state: state.current_layer,
        paths=depends_on(PrinterState.current_layer),
        exists_fn=_reports(PrinterState.current_layer),
    ),
    BambuSensorEntityDescription(
        key="total_layers",
        translation_key="total_layers",
        value_fn=lambda state: state.total_layers,
        paths=depends_on(PrinterState.total_layers),
        exists_fn=_reports(PrinterState.total_layers),
    ),
    BambuSensorEntityDescription(
        key="job_name",
        translation_key="job_name",
        # A job may be named longer than a state can be.
        value_fn=lambda state: _truncate(name) if (name := state.job_name) else name,
        paths=depends_on(PrinterState.job_name),
        exists_fn=_reports(PrinterState.job_name),
    ),
    BambuSensorEntityDescription(
        key="print_type",
        translation_key="print_type",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.print_type,
        paths=depends_on(PrinterState.print_type),
        exists_fn=_reports(PrinterState.print_type),
    ),
    BambuSensorEntityDescription(
        key="speed_profile",
        translation_key="speed_profile",
        # The Print speed select shows it (and sets it).
        entity_registry_enabled_default=False,
        device_class=SensorDeviceClass.ENUM,
        options=[level.name.lower() for level in SpeedLevel],
        value_fn=_speed_profile,
        paths=depends_on(PrinterState.speed_level),
        exists_fn=_reports(PrinterState.speed_level),
    ),
    _fan("part_cooling_fan", lambda state: state.part_fan, PrinterState.part_fan),
    _fan("aux_fan", lambda state: state.aux_fan, PrinterState.aux_fan),
    _fan("chamber_fan", lambda state: state.chamber_fan, PrinterState.chamber_fan),
    BambuSensorEntityDescription(
        key="heatbreak_fan",
        translation_key="heatbreak_fan",
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.heatbreak_fan,
        paths=depends_on(PrinterState.heatbreak_fan),
        exists_fn=_has_value(lambda state: state.heatbreak_fan),
    ),
    BambuSensorEntityDescription(
        key="wifi_signal",
        translation_key="wifi_signal",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.wifi_signal,
        paths=depends_on(PrinterState.wifi_signal),
        exists_fn=_reports(PrinterState.wifi_signal),
    ),
    BambuSensorEntityDescription(
        key="ip_address",
        translation_key="ip_address",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.ip_address,
        paths=depends_on(PrinterState.ip_address),
        exists_fn=_reports(PrinterState.ip_address),
    ),
    BambuSensorEntityDescription(
        key="sd_card",
        translation_key="sd_card",
        device_class=SensorDeviceClass.ENUM,
        options=[card.value for card in SdCardState],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_sd_card,
        paths=depends_on(PrinterState.sdcard_state),
        exists_fn=_reports(PrinterState.sdcard_state),
    ),
)


# --- nozzles and hotend rack -----------------------------------------------------

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


# --- health messages (texts from the HMS catalog) ---------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuMessageSensorEntityDescription(
    BambuEntityDescription, SensorEntityDescription
):
    """A printer sensor whose value needs Bambu's texts."""

    value_fn: Callable[[PrinterState, HmsCatalog], SensorValue]
    attributes_fn: Callable[[PrinterState, HmsCatalog], Attributes]


def _truncate(text: str) -> str:
    """Fit a text into a state (a few of Bambu's texts are longer)."""
    if len(text) <= MAX_LENGTH_STATE_STATE:
        return text
    return text[: MAX_LENGTH_STATE_STATE - 1] + "…"


def _hms_attributes(state: PrinterState, catalog: HmsCatalog) -> Attributes:
    model = state.model.key
    return {
        "errors": [
            {
                "code": code.formatted,
                "severity": code.severity.key,
                "module": code.module.value,
                "text": catalog.hms_text(code.id, model),
                "url": catalog.wiki_url(code.id, model),
            }
            for code in state.hms
        ]
    }


def _print_error(state: PrinterState, catalog: HmsCatalog) -> str | None:
    code = state.print_error_code
    if code is None:
        return None if state.print_error is None else STATE_NONE
    text = catalog.error_text(code, state.model.key)
    return _truncate(text) if text else format_error_code(code)


def _print_error_attributes(state: PrinterState, _catalog: HmsCatalog) -> Attributes:
    code = state.print_error_code
    return {"code": format_error_code(code) if code else None}


MESSAGE_SENSORS: tuple[BambuMessageSensorEntityDescription, ...] = (
    BambuMessageSensorEntityDescription(
        key="hms_errors",
        translation_key="hms_errors",
        value_fn=lambda state, _catalog: len(state.hms),
        attributes_fn=_hms_attributes,
        paths=depends_on(PrinterState.hms, CHANGED_VERSION),
        exists_fn=_reports(PrinterState.hms),
    ),
    BambuMessageSensorEntityDescription(
        key="print_error",
        translation_key="print_error",
        value_fn=_print_error,
        attributes_fn=_print_error_attributes,
        paths=depends_on(PrinterState.print_error_code, CHANGED_VERSION),
        exists_fn=_reports(PrinterState.print_error),
    ),
)


# --- AMS units ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuAmsSensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A sensor of one AMS unit."""

    value_fn: Callable[[AmsUnit], SensorValue]
    unit_exists_fn: Callable[[AmsUnit], bool]


AMS_SENSORS: tuple[BambuAmsSensorEntityDescription, ...] = (
    # Names come from the device classes: the entity sits on the AMS device.
    BambuAmsSensorEntityDescription(
        key="ams_humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda unit: unit.humidity,
        unit_exists_fn=lambda unit: unit.humidity is not None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_humidity_index",
        translation_key="ams_humidity_index",
        value_fn=lambda unit: unit.humidity_index,
        unit_exists_fn=lambda unit: unit.humidity_index is not None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda unit: unit.temperature,
        unit_exists_fn=lambda unit: unit.temperature is not None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_drying_remaining",
        translation_key="ams_drying_remaining",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda unit: unit.drying_remaining,
        unit_exists_fn=lambda unit: unit.drying_remaining is not None,
        paths=AMS_PATHS,
    ),
)


# --- trays and external spools -------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuTraySensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A sensor of one filament slot: an AMS tray or an external spool."""

    value_fn: Callable[[Tray], SensorValue]
    attributes_fn: Callable[[Tray], Attributes] = lambda _tray: None


def _filament(tray: Tray) -> str | None:
    """The filament's name, or why there is none."""
    if tray.status is TrayStatus.EMPTY:
        return STATE_EMPTY
    if tray.status is TrayStatus.UNKNOWN:
        return STATE_UNIDENTIFIED
    return tray.name


def _filament_attributes(tray: Tray) -> dict[str, Any]:
    return {
        "color": tray.color,
        "colors": list(tray.colors),
        "type": tray.type,
        "profile": tray.profile_name,
        "profile_id": tray.profile_id,
        "nozzle_temperature_min": tray.nozzle_temp_min,
        "nozzle_temperature_max": tray.nozzle_temp_max,
        "remaining": tray.remaining,
        "k": None if tray.k is None else round(tray.k, K_DECIMALS),
        "tag_uid": tray.tag_uid,
    }


def _filament_sensor(
    key: str, paths: frozenset[str]
) -> BambuTraySensorEntityDescription:
    return BambuTraySensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=_filament,
        attributes_fn=_filament_attributes,
        paths=paths,
    )


def _remaining_attributes(tray: Tray) -> Attributes:
    """Why the remaining amount is unknown, when it is."""
    reason = tray.remaining_unknown
    return {"unknown_reason": None if reason is None else reason.value}


def _remaining_sensor(
    key: str, paths: frozenset[str], *, enabled: bool = True
) -> BambuTraySensorEntityDescription:
    return BambuTraySensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=PERCENTAGE,
        # No long-term statistics: the level restarts with each spool, and
        # the history's "Filament used" counts what was printed.
        entity_registry_enabled_default=enabled,
        value_fn=lambda tray: tray.remaining,
        attributes_fn=_remaining_attributes,
        paths=paths,
    )


TRAY_SENSORS: tuple[BambuTraySensorEntityDescription, ...] = (
    _filament_sensor("tray", AMS_PATHS),
    _remaining_sensor("tray_remaining", AMS_PATHS),
)
# Printers never estimate what is left on an external spool (Bambu Studio
# shows none): unknown, with the reason.
EXTERNAL_SPOOL_SENSORS: tuple[BambuTraySensorEntityDescription, ...] = (
    _filament_sensor("external_spool", EXTERNAL_SPOOL_PATHS),
    _remaining_sensor("external_spool_remaining", EXTERNAL_SPOOL_PATHS, enabled=False),
)
ACTIVE_TRAY = _filament_sensor("active_tray", ACTIVE_TRAY_PATHS)


def _tray_slots(unit: AmsUnit) -> range:
    return range(AMS_HT_SLOTS if unit.kind is AmsKind.AMS_HT else AMS_SLOTS)


# --- the job's file ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuJobSensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A sensor of the current job, from its project file or cloud task."""

    value_fn: Callable[[JobDetails], SensorValue]
    attributes_fn: Callable[[JobDetails | None], Attributes] = lambda _details: None


def _job_filaments(details: JobDetails | None) -> Attributes:
    """Each colour of the job with the filament it needs, when known."""
    if details is None or not details.filaments:
        return None
    filaments = details.filaments
    return {
        "filaments": [
            {
                "type": filament.type or None,
                "color": filament.color or None,
                "weight": filament.grams,
                "length": filament.meters,
            }
            for filament in filaments
        ]
    }


JOB_SENSORS: tuple[BambuJobSensorEntityDescription, ...] = (
    BambuJobSensorEntityDescription(
        key="print_weight",
        translation_key="print_weight",
        device_class=SensorDeviceClass.WEIGHT,
        native_unit_of_measurement=UnitOfMass.GRAMS,
        suggested_display_precision=1,
        value_fn=lambda details: details.weight_grams,
        attributes_fn=_job_filaments,
        exists_fn=_reports(PrinterState.job_state),
    ),
    BambuJobSensorEntityDescription(
        key="print_length",
        translation_key="print_length",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.METERS,
        suggested_display_precision=2,
        value_fn=lambda details: details.length_meters,
        exists_fn=_reports(PrinterState.job_state),
    ),
)


@dataclass(frozen=True, kw_only=True)
class BambuSlotJobSensorEntityDescription(
    BambuEntityDescription, SensorEntityDescription
):
    """The filament the current job needs from one tray or external spool."""


# Which tray prints what can follow the mapping, or the active tray.
SLOT_JOB_PATHS = ACTIVE_TRAY_PATHS | depends_on(
    PrinterState.filament_mapping, PrinterState.job_state
)


def _slot_job_sensor(key: str) -> BambuSlotJobSensorEntityDescription:
    return BambuSlotJobSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.WEIGHT,
        native_unit_of_measurement=UnitOfMass.GRAMS,
        suggested_display_precision=1,
        # One per tray: the print weight's attributes hold the same grams.
        entity_registry_enabled_default=False,
        paths=SLOT_JOB_PATHS,
    )


TRAY_JOB_SENSOR = _slot_job_sensor("tray_print_weight")
EXTERNAL_SPOOL_JOB_SENSOR = _slot_job_sensor("external_spool_print_weight")


# --- platform ----------------------------------------------------------------------


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for each printer, and again when its parts change."""
    catalog = entry_runtime(entry).catalog
    async_add_printer_entities(
        entry, async_add_entities, lambda coordinator: _entities(coordinator, catalog)
    )
    async_add_statistics_sensors(entry, async_add_entities)
    async_add_cost_sensors(entry, async_add_entities)


def _entities(
    coordinator: PrinterCoordinator, catalog: HmsCatalog
) -> Iterator[BambuEntity]:
    """Every sensor the printer has now."""
    state = coordinator.data
    yield from described_entities(coordinator, PRINTER_SENSORS, BambuSensor)
    yield from described_entities(
        coordinator, nozzle_sensors(state.model, state.nozzle_count), BambuSensor
    )
    for message in MESSAGE_SENSORS:
        if message.exists_fn(state):
            yield BambuMessageSensor(coordinator, message, catalog)
    tracker = async_job_tracker(coordinator)
    for job in JOB_SENSORS:
        if job.exists_fn(state):
            yield BambuJobSensor(coordinator, job, tracker)
    units = list(coordinator.ams_units.values())
    spools = state.external_spools
    if units or spools:
        yield BambuActiveTraySensor(coordinator, ACTIVE_TRAY)
    for unit in units:
        device_info = ams_device_info(coordinator, unit)
        for ams in AMS_SENSORS:
            if ams.unit_exists_fn(unit):
                yield BambuAmsSensor(coordinator, ams, unit, key_suffix=f"_{unit.id}")
        for slot in _tray_slots(unit):
            for tray in TRAY_SENSORS:
                yield BambuTraySensor(
                    coordinator,
                    tray,
                    (unit.id, slot),
                    key_suffix=f"_{unit.id}_{slot}",
                    device_info=device_info,
                    placeholders={"tray": str(slot + 1)},
                )
            yield BambuSlotJobSensor(
                coordinator,
                TRAY_JOB_SENSOR,
                tracker,
                (unit.id, slot),
                key_suffix=f"_{unit.id}_{slot}",
                device_info=device_info,
                placeholders={"tray": str(slot + 1)},
            )
    # Numbered only where the printer has more than one holder.
    numbered = len(spools) > 1
    for spool in spools:
        for spool_description in EXTERNAL_SPOOL_SENSORS:
            yield BambuTraySensor(
                coordinator,
                spool_description,
                (spool.ams_id, spool.slot),
                key_suffix=f"_{spool.slot}",
                translation_key=(
                    f"numbered_{spool_description.translation_key}"
                    if numbered
                    else None
                ),
                placeholders={"spool": str(spool.slot + 1)} if numbered else None,
            )
        yield BambuSlotJobSensor(
            coordinator,
            EXTERNAL_SPOOL_JOB_SENSOR,
            tracker,
            (spool.ams_id, spool.slot),
            key_suffix=f"_{spool.slot}",
            translation_key=(
                f"numbered_{EXTERNAL_SPOOL_JOB_SENSOR.translation_key}"
                if numbered
                else None
            ),
            placeholders={"spool": str(spool.slot + 1)} if numbered else None,
        )


# --- entities --------------------------------------------------------------------------


class BambuSensor(BambuEntity, SensorEntity):
    """A sensor of a printer."""

    entity_description: BambuSensorEntityDescription
    _shown: float | None = None  # a stepped reading, as last shown

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the printer's state (a stepped reading settled)."""
        value = self.entity_description.value_fn(self.state_data)
        step = self.entity_description.step
        if step is None or not isinstance(value, int | float):
            return value
        # Same reading, same answer: reading this twice writes nothing new.
        self._shown = settled_temperature(value, self._shown, step)
        return self._shown

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """Details beyond the state, where the description has any."""
        return self.entity_description.attributes_fn(self.state_data)


class BambuMessageSensor(BambuEntity, SensorEntity):
    """A health sensor of a printer, with Bambu's texts in the user's language."""

    entity_description: BambuMessageSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuMessageSensorEntityDescription,
        catalog: HmsCatalog,
    ) -> None:
        """Keep the catalog the texts come from."""
        super().__init__(coordinator, description)
        self._catalog = catalog

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the printer's state."""
        return self.entity_description.value_fn(self.state_data, self._catalog)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """The codes with their texts."""
        return self.entity_description.attributes_fn(self.state_data, self._catalog)


class BambuAmsSensor(BambuAmsEntity, SensorEntity):
    """A sensor of one AMS unit, on the unit's device."""

    entity_description: BambuAmsSensorEntityDescription

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the unit's state."""
        unit = self.unit
        return None if unit is None else self.entity_description.value_fn(unit)


class BambuTraySensor(BambuEntity, SensorEntity):
    """A sensor of one AMS tray (on the unit's device) or external spool."""

    entity_description: BambuTraySensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuTraySensorEntityDescription,
        slot: tuple[int, int],
        *,
        key_suffix: str,
        device_info: DeviceInfo | None = None,
        translation_key: str | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> None:
        """Attach to the slot ``(ams_id, slot)``, numbered by ``placeholders``."""
        super().__init__(
            coordinator, description, key_suffix=key_suffix, device_info=device_info
        )
        self._slot = slot
        if translation_key is not None:
            self._attr_translation_key = translation_key
        if placeholders is not None:
            self._attr_translation_placeholders = placeholders

    def _tray(self) -> Tray | None:
        return self.coordinator.filament_slot(*self._slot)

    @property
    @override
    def available(self) -> bool:
        """Available while the printer is and reports the slot."""
        return super().available and self._tray() is not None

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the slot's state."""
        tray = self._tray()
        return None if tray is None else self.entity_description.value_fn(tray)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """The filament's details, where the description has any."""
        tray = self._tray()
        return None if tray is None else self.entity_description.attributes_fn(tray)


class BambuActiveTraySensor(BambuEntity, SensorEntity):
    """The filament that feeds the printing nozzle, and where it comes from."""

    entity_description: BambuTraySensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuTraySensorEntityDescription,
    ) -> None:
        """Follow the slot that feeds the nozzle."""
        super().__init__(coordinator, description)

    def _active(self) -> tuple[bool, Tray | None]:
        """Whether a slot feeds the nozzle, and that slot if it is reported."""
        ref = self.state_data.active_tray
        if ref is None:
            return False, None
        return True, self.coordinator.filament_slot(ref.ams_id, ref.slot)

    @property
    @override
    def native_value(self) -> SensorValue:
        """The active filament, ``none``, or unknown for an unreported slot."""
        active, tray = self._active()
        if not active:
            return STATE_NONE
        return None if tray is None else self.entity_description.value_fn(tray)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """Which slot is active and its filament's details."""
        _active, tray = self._active()
        if tray is None:
            return None
        return {
            "ams_id": None if tray.is_external else tray.ams_id,
            "tray": tray.slot + 1,
            "external": tray.is_external,
            **(self.entity_description.attributes_fn(tray) or {}),
        }


class BambuJobSensor(BambuJobEntity, SensorEntity):
    """A total of the current job: weight or length."""

    entity_description: BambuJobSensorEntityDescription

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the job's details; unknown without them."""
        details = self.job_details
        return None if details is None else self.entity_description.value_fn(details)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """The job's colours, where the description has any."""
        return self.entity_description.attributes_fn(self.job_details)


class BambuSlotJobSensor(BambuJobEntity, SensorEntity):
    """The grams of filament the current job needs from one tray or spool."""

    entity_description: BambuSlotJobSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuSlotJobSensorEntityDescription,
        tracker: JobTracker,
        slot: tuple[int, int],
        *,
        key_suffix: str,
        device_info: DeviceInfo | None = None,
        translation_key: str | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> None:
        """Attach to the slot ``(ams_id, slot)``, numbered by ``placeholders``."""
        super().__init__(
            coordinator,
            description,
            tracker,
            key_suffix=key_suffix,
            device_info=device_info,
        )
        self._slot = slot
        if translation_key is not None:
            self._attr_translation_key = translation_key
        if placeholders is not None:
            self._attr_translation_placeholders = placeholders

    @property
    @override
    def available(self) -> bool:
        """Available while the printer is and reports the slot."""
        return (
            super().available
            and self.coordinator.filament_slot(*self._slot) is not None
        )

    @property
    @override
    def native_value(self) -> SensorValue:
        """Grams from this slot (0 when the job uses it not); else unknown."""
        usage = tray_usage(self.job_details, self.state_data)
        return None if usage is None else round(usage.get(self._slot, 0.0), 2)
