"""Sensors of the current job's file: its totals and the grams per tray."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import UnitOfLength, UnitOfMass
from homeassistant.helpers.device_registry import DeviceInfo

from .aiobambulab.depends import depends_on
from .aiobambulab.job_details import JobDetails, tray_usage
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import BambuEntityDescription, BambuJobEntity
from .job import JobTracker
from .sensor_base import ACTIVE_TRAY_PATHS, Attributes, SensorValue, when_reported


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
        exists_fn=when_reported(PrinterState.job_state),
    ),
    BambuJobSensorEntityDescription(
        key="print_length",
        translation_key="print_length",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.METERS,
        suggested_display_precision=2,
        # Filament is counted in grams (the print weight); the weight's
        # ``filaments`` attribute holds each filament's metres.
        entity_registry_enabled_default=False,
        value_fn=lambda details: details.length_meters,
        exists_fn=when_reported(PrinterState.job_state),
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
