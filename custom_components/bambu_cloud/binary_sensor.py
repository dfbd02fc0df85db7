"""Binary sensors: online, door, problems, timelapse, control lock, drying.

And one that tells whether the running job will run out of filament.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.ams import AmsUnit
from .aiobambulab.depends import depends_on, reported
from .aiobambulab.hms import format_error_code
from .aiobambulab.job_details import JobKey
from .aiobambulab.markers import CHANGED_ONLINE
from .aiobambulab.state import PrinterState
from .aiobambulab.sufficiency import NO_JOB, FilamentCheck, check_filament
from .const import DOMAIN
from .coordinator import PrinterCoordinator
from .entity import (
    BambuAmsEntity,
    BambuEntity,
    BambuEntityDescription,
    BambuJobEntity,
    async_add_printer_entities,
    described_entities,
)
from .job import async_job_tracker
from .runtime import BambuConfigEntry

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0

# Fired once per job when its trays will not hold out.
EVENT_FILAMENT_SHORTAGE: Final = f"{DOMAIN}_filament_shortage"


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
    if state.print_error is None and not reported(state, PrinterState.hms):
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
    paths=depends_on(CHANGED_ONLINE),
)

PRINTER_BINARY_SENSORS: tuple[BambuBinarySensorEntityDescription, ...] = (
    BambuBinarySensorEntityDescription(
        key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        is_on_fn=lambda s: s.door_open,
        paths=depends_on(PrinterState.door_open),
        exists_fn=lambda s: s.door_open is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=_has_problem,
        attributes_fn=_problem_attributes,
        paths=depends_on(PrinterState.print_error_code, PrinterState.hms),
        exists_fn=lambda s: _has_problem(s) is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="timelapse",
        translation_key="timelapse",
        # The Timelapse switch shows it (and sets it).
        entity_registry_enabled_default=False,
        is_on_fn=lambda s: s.timelapse_enabled,
        paths=depends_on(PrinterState.timelapse_enabled),
        exists_fn=lambda s: s.timelapse_enabled is not None,
    ),
    BambuBinarySensorEntityDescription(
        key="control_locked",
        translation_key="control_locked",
        entity_category=EntityCategory.DIAGNOSTIC,
        # Every firmware may lock third-party control; printers that do not
        # report the lock bit show "unknown" until a refused command tells.
        is_on_fn=lambda s: s.control_locked,
        paths=depends_on(PrinterState.control_locked),
    ),
)


@dataclass(frozen=True, kw_only=True)
class BambuJobBinarySensorEntityDescription(
    BambuEntityDescription, BinarySensorEntityDescription
):
    """A binary sensor of the printer's current job."""


FILAMENT_SHORTAGE = BambuJobBinarySensorEntityDescription(
    key="filament_shortage",
    translation_key="filament_shortage",
    device_class=BinarySensorDeviceClass.PROBLEM,
    # What the job uses and from which trays, what the trays hold, how far
    # the print is, and the job's name (an attribute).
    paths=depends_on(
        PrinterState.ams_units,
        PrinterState.external_spools,
        PrinterState.active_tray,
        PrinterState.filament_mapping,
        PrinterState.job_state,
        PrinterState.progress,
        PrinterState.job_name,
    ),
    exists_fn=lambda s: reported(s, PrinterState.job_state),
)

AMS_BINARY_SENSORS: tuple[BambuAmsBinarySensorEntityDescription, ...] = (
    BambuAmsBinarySensorEntityDescription(
        key="drying",
        translation_key="drying",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda unit: unit.drying,
        unit_exists_fn=lambda unit: unit.drying is not None,
        paths=depends_on(PrinterState.ams_units),
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
    if FILAMENT_SHORTAGE.exists_fn(coordinator.data):
        yield BambuFilamentShortageSensor(
            coordinator, FILAMENT_SHORTAGE, async_job_tracker(coordinator)
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
        printer = self.coordinator.printer
        if printer.cloud_link is None:  # a LAN entry: its link is the answer
            return printer.lan_up
        return super().is_on


class BambuAmsBinarySensor(BambuAmsEntity, BinarySensorEntity):
    """A binary sensor of one AMS unit, on the unit's device."""

    entity_description: BambuAmsBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """The unit's state."""
        unit = self.unit
        return None if unit is None else self.entity_description.is_on_fn(unit)


class BambuFilamentShortageSensor(BambuJobEntity, BinarySensorEntity):
    """On when a tray the running job uses holds less than the job still needs.

    Unknown while the job's use or a tray's content is unknown (and no other
    tray already falls short); off when no job runs.
    """

    entity_description: BambuJobBinarySensorEntityDescription
    _announced: JobKey | None = None

    _filament: FilamentCheck = NO_JOB

    @override
    def _snapshot(self) -> tuple[Any, ...]:
        # Compared once per update; the state and attributes read the result.
        self._filament = check_filament(
            self.job_details, self.state_data, self.coordinator.filament_slot
        )
        return super()._snapshot()

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the job will run out of filament."""
        return self._filament.short

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Grams missing per tray, and the trays whose content is unknown."""
        check = self._filament
        return {
            "job_name": None if check is NO_JOB else self.state_data.job_name,
            "shortfall": check.shortfall,
            "unknown_trays": check.unknown,
        }

    @override
    async def async_added_to_hass(self) -> None:
        """Tell at once if the job already falls short."""
        await super().async_added_to_hass()
        self._announce()

    @callback
    @override
    def _write_if_changed(self) -> bool:
        """Write, and fire the shortage event when the state changed to short."""
        if not super()._write_if_changed():
            return False
        self._announce()
        return True

    @callback
    def _announce(self) -> None:
        """Fire the shortage event the first time the current job falls short."""
        key = self._tracker.key
        if key is None or key == self._announced or self.is_on is not True:
            return
        self._announced = key
        self.hass.bus.async_fire(
            EVENT_FILAMENT_SHORTAGE,
            {
                "device_id": self.coordinator.device_id,
                "serial": self.coordinator.serial,
                "job_name": self.state_data.job_name,
                "shortfall": self._filament.shortfall,
            },
        )
