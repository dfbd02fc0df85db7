"""Energy and cost sensors of each printer: its last job's and its totals.

They exist once the printer's options name an energy meter (energy) or a
price (cost). The last job's figures are unknown where its meter or a price
was; the totals add up the known figures, only grow, and are stored, so a
restart keeps them (long-term statistics follow them). A failed job counts
too: users want to know what failures cost. They stay available while the
printer is away: they describe the past.

The sensor platform adds them with ``async_add_cost_sensors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform, UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    entry_runtime,
)
from .job_cost_tracker import JobCosts
from .job_costs import CostSettings
from .runtime import BambuConfigEntry


@dataclass(frozen=True, kw_only=True)
class BambuCostSensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A figure of a printer's job energy and cost."""

    value_fn: Callable[[JobCosts, str], float | None]
    wanted_fn: Callable[[CostSettings], bool]
    monetary: bool = False


def _priced(settings: CostSettings) -> bool:
    return bool(settings.filament_prices) or (
        settings.energy_entity is not None and settings.priced_energy
    )


def _metered(settings: CostSettings) -> bool:
    return settings.energy_entity is not None


def _last_energy(costs: JobCosts, serial: str) -> float | None:
    last = costs.last(serial)
    return None if last is None else last.energy


def _last_cost(costs: JobCosts, serial: str) -> float | None:
    last = costs.last(serial)
    return None if last is None else last.cost


COST_SENSORS: tuple[BambuCostSensorEntityDescription, ...] = (
    BambuCostSensorEntityDescription(
        key="last_job_energy",
        translation_key="last_job_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        value_fn=_last_energy,
        wanted_fn=_metered,
    ),
    BambuCostSensorEntityDescription(
        key="total_job_energy",
        translation_key="total_job_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        value_fn=lambda costs, serial: costs.totals(serial).energy,
        wanted_fn=_metered,
    ),
    BambuCostSensorEntityDescription(
        key="last_job_cost",
        translation_key="last_job_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        value_fn=_last_cost,
        wanted_fn=_priced,
        monetary=True,
    ),
    BambuCostSensorEntityDescription(
        key="total_job_cost",
        translation_key="total_job_cost",
        device_class=SensorDeviceClass.MONETARY,
        # Monetary sensors take ``total``; this one only grows all the same.
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda costs, serial: costs.totals(serial).cost,
        wanted_fn=_priced,
        monetary=True,
    ),
)


def cost_sensors(
    coordinator: PrinterCoordinator, costs: JobCosts
) -> Iterator[BambuCostSensor]:
    """The energy and cost sensors the printer's settings call for."""
    settings = costs.settings(coordinator.serial)
    registry = er.async_get(coordinator.hass)
    for description in COST_SENSORS:
        if description.wanted_fn(settings):
            yield BambuCostSensor(coordinator, description, costs)
        # A figure no longer set up (its meter or price removed in the
        # options) leaves no unavailable entity behind.
        elif entity_id := registry.async_get_entity_id(
            Platform.SENSOR, DOMAIN, f"{coordinator.serial}_{description.key}"
        ):
            registry.async_remove(entity_id)


@callback
def async_add_cost_sensors(
    entry: BambuConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the energy and cost sensors of each printer (from the sensor platform)."""
    costs = entry_runtime(entry).costs
    async_add_printer_entities(
        entry, async_add_entities, lambda coordinator: cost_sensors(coordinator, costs)
    )


class BambuCostSensor(BambuEntity, SensorEntity):
    """A figure of a printer's job energy or cost."""

    entity_description: BambuCostSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuCostSensorEntityDescription,
        costs: JobCosts,
    ) -> None:
        """Attach to the printer's device and its job costs."""
        super().__init__(coordinator, description)
        self._costs = costs
        if description.monetary:
            self._attr_native_unit_of_measurement = coordinator.hass.config.currency

    @property
    def available(self) -> bool:
        """The figures stay readable while the printer is away."""
        return True

    @property
    def native_value(self) -> float | None:
        """The figure; unknown until known."""
        return self.entity_description.value_fn(self._costs, self.coordinator.serial)

    async def async_added_to_hass(self) -> None:
        """Follow the job costs."""
        await super().async_added_to_hass()
        self.async_on_remove(self._costs.async_add_listener(self._handle_costs))

    @callback
    def _handle_costs(self) -> None:
        self._write_if_changed()
