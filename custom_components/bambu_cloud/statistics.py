"""Statistics sensors of each printer, added up from its print history.

Jobs finished and failed, hours printed, and filament used by finished jobs
(weight and length; the cloud lists what a failed job would have used, not
what it did). Each job counts once, by its id, however often the history is
fetched, and the totals are stored, so they only grow across restarts. They
stay available while the printer is away: they describe the past.

The sensor platform adds them with ``async_add_statistics_sensors``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfLength, UnitOfMass, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    entry_runtime,
)
from .history import HistoryCoordinator
from .history_jobs import Totals
from .runtime import BambuConfigEntry


@dataclass(frozen=True, kw_only=True)
class BambuStatisticsSensorEntityDescription(
    BambuEntityDescription, SensorEntityDescription
):
    """A statistic of a printer's history."""

    value_fn: Callable[[Totals], int | float]


STATISTICS_SENSORS: tuple[BambuStatisticsSensorEntityDescription, ...] = (
    BambuStatisticsSensorEntityDescription(
        key="jobs_finished",
        translation_key="jobs_finished",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda totals: totals.finished,
    ),
    BambuStatisticsSensorEntityDescription(
        key="jobs_failed",
        translation_key="jobs_failed",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda totals: totals.failed,
    ),
    BambuStatisticsSensorEntityDescription(
        key="total_print_time",
        translation_key="total_print_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.HOURS,
        suggested_display_precision=1,
        value_fn=lambda totals: round(totals.seconds / 3600, 3),
    ),
    BambuStatisticsSensorEntityDescription(
        key="filament_used_weight",
        translation_key="filament_used_weight",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfMass.GRAMS,
        suggested_display_precision=0,
        value_fn=lambda totals: totals.milligrams / 1000,
    ),
    BambuStatisticsSensorEntityDescription(
        key="filament_used_length",
        translation_key="filament_used_length",
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfLength.METERS,
        suggested_display_precision=1,
        value_fn=lambda totals: totals.millimetres / 1000,
    ),
)


def statistics_sensors(
    coordinator: PrinterCoordinator, history: HistoryCoordinator
) -> list[BambuStatisticsSensor]:
    """The statistics sensors of one printer."""
    return [
        BambuStatisticsSensor(coordinator, description, history)
        for description in STATISTICS_SENSORS
    ]


@callback
def async_add_statistics_sensors(
    entry: BambuConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the statistics sensors of each printer (from the sensor platform)."""
    history = entry_runtime(entry).history
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: statistics_sensors(coordinator, history),
    )


class BambuStatisticsSensor(BambuEntity, SensorEntity):
    """A total of a printer's print history."""

    entity_description: BambuStatisticsSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuStatisticsSensorEntityDescription,
        history: HistoryCoordinator,
    ) -> None:
        """Attach to the printer's device and its history."""
        super().__init__(coordinator, description)
        self._history = history

    @property
    def available(self) -> bool:
        """The history stays readable while the printer is away."""
        return True

    @property
    def native_value(self) -> int | float | None:
        """The total; unknown until the printer's history is."""
        totals = self._history.totals(self.coordinator.serial)
        return None if totals is None else self.entity_description.value_fn(totals)

    async def async_added_to_hass(self) -> None:
        """Follow the history."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._history.async_add_listener(self._handle_history_update)
        )

    @callback
    def _handle_history_update(self) -> None:
        self._write_if_changed()
