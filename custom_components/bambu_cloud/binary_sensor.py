"""Binary sensors: online, door, problems, timelapse, control lock, AMS drying."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BambuConfigEntry
from .bambu.ams import AmsUnit
from .bambu.hms import format_error_code
from .bambu.state import CHANGED_ONLINE, PrinterState
from .const import EntryKind
from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    ams_device_info,
    async_add_printer_entities,
    described_entities,
)

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BambuBinarySensorEntityDescription(
    BambuEntityDescription, BinarySensorEntityDescription
):
    """A printer binary sensor: where its state comes from."""

    is_on_fn: Callable[[PrinterState], bool | None]
    attributes_fn: Callable[[PrinterState], dict[str, Any] | None] = lambda _s: None


@dataclass(frozen=True, kw_only=True)
class BambuAmsBinarySensorEntityDescription(
    BambuEntityDescription, BinarySensorEntityDescription
):
    """A binary sensor of one AMS unit."""

    is_on_fn: Callable[[AmsUnit], bool | None]
    unit_exists_fn: Callable[[AmsUnit], bool]


def _has_problem(state: PrinterState) -> bool | None:
    if state.print_error is None and "hms" not in state.report:
        return None
    return bool(state.print_error_code) or bool(state.hms)


def _problem_attributes(state: PrinterState) -> dict[str, Any]:
    code = state.print_error_code
    return {
        "print_error": format_error_code(code) if code else None,
        "hms": [hms.formatted for hms in state.hms],
    }


ONLINE = BambuBinarySensorEntityDescription(
    key="online",
    translation_key="online",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
    # The cloud's view; a LAN entry goes by its link (see the entity).
    is_on_fn=lambda s: s.online,
    paths=frozenset({CHANGED_ONLINE}),
)

PRINTER_BINARY_SENSORS: tuple[BambuBinarySensorEntityDescription, ...] = (
    BambuBinarySensorEntityDescription(
        key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        is_on_fn=lambda s: s.door_open,
        paths=frozenset({"stat", "home_flag"}),
        exists_fn=lambda s: s.door_open is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=_has_problem,
        attributes_fn=_problem_attributes,
        paths=frozenset({"print_error", "hms"}),
        exists_fn=lambda s: _has_problem(s) is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="timelapse",
        translation_key="timelapse",
        is_on_fn=lambda s: s.timelapse_enabled,
        paths=frozenset({"ipcam"}),
        exists_fn=lambda s: s.timelapse_enabled is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="control_locked",
        translation_key="control_locked",
        entity_category=EntityCategory.DIAGNOSTIC,
        # Every firmware may lock third-party control; printers that do not
        # report the lock bit show "unknown" until a refused command tells.
        is_on_fn=lambda s: s.control_locked,
        paths=frozenset({"fun"}),
    ),
)

AMS_BINARY_SENSORS: tuple[BambuAmsBinarySensorEntityDescription, ...] = (
    BambuAmsBinarySensorEntityDescription(
        key="drying",
        translation_key="drying",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda unit: unit.drying,
        unit_exists_fn=lambda unit: unit.drying is not None,
        paths=frozenset({"ams"}),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors for each printer, and again when its parts change."""
    async_add_printer_entities(entry, async_add_entities, _entities)


def _entities(coordinator: PrinterCoordinator) -> Iterator[BambuEntity]:
    """Every binary sensor the printer has now."""
    yield BambuOnlineBinarySensor(coordinator, ONLINE)
    yield from described_entities(
        coordinator, PRINTER_BINARY_SENSORS, BambuBinarySensor
    )
    for unit in coordinator.ams_units.values():
        for ams in AMS_BINARY_SENSORS:
            if ams.unit_exists_fn(unit):
                yield BambuAmsBinarySensor(coordinator, ams, unit)


class BambuBinarySensor(BambuEntity, BinarySensorEntity):
    """A binary sensor of a printer."""

    entity_description: BambuBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """The state from the printer's report."""
        return self.entity_description.is_on_fn(self.state_data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details beyond the state, where the description has any."""
        return self.entity_description.attributes_fn(self.state_data)


class BambuOnlineBinarySensor(BambuBinarySensor):
    """Whether the printer is online.

    A cloud entry takes the cloud's word (the device list and the broker's
    connect events); a LAN entry has only its own link to go by. The sensor
    stays available while the printer is not: that is what it shows.
    """

    @property
    def available(self) -> bool:
        """Always: reachability is the state itself."""
        return True

    @property
    def is_on(self) -> bool | None:
        """Whether the printer is reachable."""
        hub = self.coordinator.config_entry.runtime_data
        if hub.kind is EntryKind.LAN:
            link = hub.link_for(self.coordinator.serial)
            return link is not None and link.connected
        return super().is_on


class BambuAmsBinarySensor(BambuEntity, BinarySensorEntity):
    """A binary sensor of one AMS unit, on the unit's device."""

    entity_description: BambuAmsBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuAmsBinarySensorEntityDescription,
        unit: AmsUnit,
    ) -> None:
        """Attach to the unit's device."""
        super().__init__(
            coordinator, description, device_info=ams_device_info(coordinator, unit)
        )
        self._unit_id = unit.id
        self._attr_unique_id = f"{coordinator.serial}_ams{unit.id}_{description.key}"

    def _unit(self) -> AmsUnit | None:
        return self.coordinator.ams_unit(self._unit_id)

    @property
    def available(self) -> bool:
        """Available while the printer is and it still reports the unit."""
        return super().available and self._unit() is not None

    @property
    def is_on(self) -> bool | None:
        """The unit's state."""
        unit = self._unit()
        return None if unit is None else self.entity_description.is_on_fn(unit)
