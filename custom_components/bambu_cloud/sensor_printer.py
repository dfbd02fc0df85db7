"""Printer sensors: temperatures, the job's progress, fans, network, SD card.

Temperatures are written in whole degrees (a reading that wobbles within a
step writes nothing); targets are exact and off by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfTemperature,
    UnitOfTime,
)

from .aiobambulab.depends import View, depends_on
from .aiobambulab.device_views import SdCardState
from .aiobambulab.job_views import STAGE_KEYS, JobState
from .aiobambulab.motion_views import SpeedLevel
from .aiobambulab.nozzles import MAX_NOZZLES
from .aiobambulab.state import PrinterState
from .aiobambulab.temperature_views import TEMPERATURE_STEP, settled_temperature
from .entity import BambuEntity, BambuEntityDescription
from .sensor_base import Attributes, SensorValue, fit_state, when_reported, when_valued


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
        exists_fn=exists_fn or when_valued(value_fn),
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
        exists_fn=when_valued(value_fn),
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
        "bed_target_temperature", lambda state: state.bed_target_temperature, BED_PATHS
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
        exists_fn=when_reported(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="stage",
        translation_key="stage",
        device_class=SensorDeviceClass.ENUM,
        options=list(STAGE_KEYS),
        value_fn=lambda state: state.stage,
        paths=depends_on(PrinterState.stage),
        exists_fn=when_reported(PrinterState.stage_id),
    ),
    BambuSensorEntityDescription(
        key="progress",
        translation_key="progress",
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda state: state.progress,
        paths=depends_on(PrinterState.progress),
        exists_fn=when_reported(PrinterState.progress),
    ),
    BambuSensorEntityDescription(
        key="remaining_time",
        translation_key="remaining_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda state: state.remaining_minutes,
        paths=depends_on(PrinterState.remaining_minutes),
        exists_fn=when_reported(PrinterState.remaining_minutes),
    ),
    BambuSensorEntityDescription(
        key="start_time",
        translation_key="start_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        # The end time and remaining time are what a user waits for.
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.job_start_time,
        paths=depends_on(PrinterState.job_start_time, PrinterState.job_end_time),
        exists_fn=when_reported(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="end_time",
        translation_key="end_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: _whole_minute(state.job_end_time),
        paths=depends_on(PrinterState.job_start_time, PrinterState.job_end_time),
        exists_fn=when_reported(PrinterState.job_state),
    ),
    BambuSensorEntityDescription(
        key="current_layer",
        translation_key="current_layer",
        value_fn=lambda state: state.current_layer,
        paths=depends_on(PrinterState.current_layer),
        exists_fn=when_reported(PrinterState.current_layer),
    ),
    BambuSensorEntityDescription(
        key="total_layers",
        translation_key="total_layers",
        value_fn=lambda state: state.total_layers,
        paths=depends_on(PrinterState.total_layers),
        exists_fn=when_reported(PrinterState.total_layers),
    ),
    BambuSensorEntityDescription(
        key="job_name",
        translation_key="job_name",
        # A job may be named longer than a state can be.
        value_fn=lambda state: fit_state(name) if (name := state.job_name) else name,
        paths=depends_on(PrinterState.job_name),
        exists_fn=when_reported(PrinterState.job_name),
    ),
    BambuSensorEntityDescription(
        key="print_type",
        translation_key="print_type",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.print_type,
        paths=depends_on(PrinterState.print_type),
        exists_fn=when_reported(PrinterState.print_type),
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
        exists_fn=when_reported(PrinterState.speed_level),
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
        exists_fn=when_valued(lambda state: state.heatbreak_fan),
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
        exists_fn=when_reported(PrinterState.wifi_signal),
    ),
    BambuSensorEntityDescription(
        key="ip_address",
        translation_key="ip_address",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.ip_address,
        paths=depends_on(PrinterState.ip_address),
        exists_fn=when_reported(PrinterState.ip_address),
    ),
    BambuSensorEntityDescription(
        key="sd_card",
        translation_key="sd_card",
        device_class=SensorDeviceClass.ENUM,
        options=[card.value for card in SdCardState],
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_sd_card,
        paths=depends_on(PrinterState.sdcard_state),
        exists_fn=when_reported(PrinterState.sdcard_state),
    ),
)


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
