"""Base entities: a printer's and an AMS unit's, written only on real change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override
import weakref

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import (
    AddConfigEntryEntitiesCallback,
    async_get_current_platform,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from . import control
from .aiobambulab.ams import AmsUnit
from .aiobambulab.catalog import AmsKind
from .aiobambulab.state import PrinterState
from .const import AMS_SEPARATOR, DOMAIN
from .coordinator import CHANGED_AVAILABILITY, PrinterCoordinator, PrinterNews

if TYPE_CHECKING:
    from .aiobambulab.job_details import JobDetails
    from .job import JobTracker

MANUFACTURER = "Bambu Lab"
# Product names are not translated: they are what the box says.
AMS_LABELS = {
    AmsKind.AMS: "AMS",
    AmsKind.AMS_LITE: "AMS lite",
    AmsKind.AMS_2_PRO: "AMS 2 Pro",
    AmsKind.AMS_HT: "AMS HT",
}


@dataclass(frozen=True, kw_only=True)
class BambuEntityDescription(EntityDescription):
    """What every entity of this integration declares.

    ``paths`` are the top-level report keys (or ``@``-keys) whose change can
    change the entity, named by the library views it reads
    (``depends_on(PrinterState.progress)``); other updates are skipped
    without computing anything.
    ``exists_fn`` says whether the printer has the part (decided once, when
    the entity set is built).
    """

    paths: frozenset[str] = frozenset()
    exists_fn: Callable[[PrinterState], bool] = lambda _state: True


# Each printer's device infos by identifier: entities of one device share one.
_DEVICE_INFOS: weakref.WeakKeyDictionary[PrinterCoordinator, dict[str, DeviceInfo]] = (
    weakref.WeakKeyDictionary()
)


def _shared(coordinator: PrinterCoordinator, info: DeviceInfo) -> DeviceInfo:
    """The device info already handed out when it is the same, else ``info``."""
    infos = _DEVICE_INFOS.setdefault(coordinator, {})
    ((_domain, identifier),) = info["identifiers"]
    known = infos.get(identifier)
    if known == info:
        return known
    infos[identifier] = info
    return info


def printer_device_info(coordinator: PrinterCoordinator) -> DeviceInfo:
    """The device of a printer (one object for all its entities)."""
    state = coordinator.data
    ota = state.modules.get("ota")
    return _shared(
        coordinator,
        DeviceInfo(
            identifiers={(DOMAIN, coordinator.serial)},
            manufacturer=MANUFACTURER,
            model=state.model.name,
            name=coordinator.printer_name,
            serial_number=coordinator.serial,
            sw_version=state.firmware_version,
            hw_version=(ota.hw_ver or None) if ota is not None else None,
        ),
    )


def ams_device_info(coordinator: PrinterCoordinator, unit: AmsUnit) -> DeviceInfo:
    """The device of one AMS unit, attached to its (registered) printer."""
    module = unit.module
    label = AMS_LABELS[unit.kind]
    return _shared(
        coordinator,
        DeviceInfo(
            identifiers={(DOMAIN, ams_identifier(coordinator.serial, unit.id))},
            manufacturer=MANUFACTURER,
            model=label,
            name=f"{coordinator.printer_name} {label} {unit.number}",
            serial_number=(module.serial or None) if module is not None else None,
            sw_version=(module.sw_ver or None) if module is not None else None,
            hw_version=(module.hw_ver or None) if module is not None else None,
            via_device_id=coordinator.device_id,
        ),
    )


def ams_identifier(serial: str, unit_id: int) -> str:
    """The device identifier of an AMS unit."""
    return f"{serial}{AMS_SEPARATOR}{unit_id}"


def entry_runtime[R](entry: ConfigEntry[R]) -> R:
    """The entry's parts, for a platform's entry setup only.

    Entities and actions talk to their coordinator (and its ``printer``); a
    test checks no other module code reads ``runtime_data``.
    """
    return entry.runtime_data


def async_add_printer_entities[R: PrinterNews](
    entry: ConfigEntry[R],
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[PrinterCoordinator], Iterable[BambuEntity]],
) -> None:
    """Add a platform's entities for each printer, and again when its parts change.

    ``build`` returns every entity the printer has now; only those not
    present already are added, so a new AMS unit brings just its own
    entities. An entity removed from Home Assistant (its printer left the
    account, the user deleted its AMS unit's device) is forgotten, so it is
    added again when its part comes back.
    """
    platform = async_get_current_platform()
    domain = platform.domain
    registry = er.async_get(platform.hass)

    @callback
    def add_printer(coordinator: PrinterCoordinator) -> None:
        present = coordinator.entities_present
        new = []
        for entity in build(coordinator):
            key = (domain, entity.unique_id)
            registered = _registry_entry(registry, domain, entity)
            if key in present or (registered is not None and registered.disabled):
                continue
            new.append(entity)
            # A disabled entity is never added, so never removed: it is not
            # kept as present, is offered again, and returns once its
            # registry entry was deleted (with its device).
            if registered is not None or entity.entity_registry_enabled_default:
                present.add(key)
        if new:
            async_add_entities(new)

    entry.async_on_unload(entry_runtime(entry).async_add_printer_listener(add_printer))


def _registry_entry(
    registry: er.EntityRegistry, domain: str, entity: BambuEntity
) -> er.RegistryEntry | None:
    """The entity's registry entry, if it has one."""
    if entity.unique_id is None:  # every entity here has one
        return None
    entity_id = registry.async_get_entity_id(domain, DOMAIN, entity.unique_id)
    return registry.async_get(entity_id) if entity_id else None


def described_entities[D: BambuEntityDescription, E: BambuEntity](
    coordinator: PrinterCoordinator,
    descriptions: Iterable[D],
    factory: Callable[[PrinterCoordinator, D], E],
) -> Iterator[E]:
    """One entity per description whose part the printer has."""
    state = coordinator.data
    return (factory(coordinator, d) for d in descriptions if d.exists_fn(state))


class BambuEntity(CoordinatorEntity[PrinterCoordinator]):
    """An entity of one printer."""

    _attr_has_entity_name = True
    entity_description: BambuEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuEntityDescription,
        *,
        key_suffix: str = "",
        device_info: DeviceInfo | None = None,
    ) -> None:
        """Attach to the printer (or the given device) with a stable unique id."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.serial}_{description.key}{key_suffix}"
        self._attr_device_info = device_info or printer_device_info(coordinator)
        self._written: tuple[Any, ...] | None = None

    @property
    def state_data(self) -> PrinterState:
        """The printer's state."""
        return self.coordinator.data

    @property
    def available(self) -> bool:
        """Available while the printer is reachable and reporting."""
        return self.coordinator.printer_available

    async def async_command(self, command: Awaitable[None]) -> None:
        """Await one of the printer's typed commands (translated errors).

        The entity changes when the printer reports the new value, never
        optimistically.
        """
        await control.async_command(self.coordinator, command)

    def _snapshot(self) -> tuple[Any, ...]:
        # What the state machine would record; equal means nothing to write.
        return (self.available, self.state, self.extra_state_attributes)

    async def async_added_to_hass(self) -> None:
        """Remember what was written first."""
        await super().async_added_to_hass()
        self._written = self._snapshot()

    async def async_will_remove_from_hass(self) -> None:
        """Forget the entity, so it is added again when its part returns.

        One set on the coordinator instead of a removal callback per entity:
        a printer has about 90 entities, and each callback costs memory.
        """
        await super().async_will_remove_from_hass()
        self.coordinator.entities_present.discard(
            (self.platform.domain, self.unique_id)
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        changed = self.coordinator.changed
        if CHANGED_AVAILABILITY not in changed and not (
            self.entity_description.paths & changed
        ):
            return
        self._write_if_changed()

    @callback
    def _write_if_changed(self) -> bool:
        """Write the state if it differs from the last one; return whether."""
        snapshot = self._snapshot()
        if snapshot == self._written:
            return False
        self._written = snapshot
        self.async_write_ha_state()
        return True


class BambuAmsEntity(BambuEntity):
    """An entity of one AMS unit, on the unit's device.

    Unavailable once the printer no longer reports the unit (detached).
    """

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuEntityDescription,
        unit: AmsUnit,
        *,
        key_suffix: str | None = None,
    ) -> None:
        """Attach to the unit's device.

        The unique id is ``<serial>_ams<id>_<key>``; the sensors keep their
        ``<serial>_<key><key_suffix>`` form.
        """
        super().__init__(
            coordinator,
            description,
            key_suffix=key_suffix or "",
            device_info=ams_device_info(coordinator, unit),
        )
        if key_suffix is None:
            self._attr_unique_id = (
                f"{coordinator.serial}_ams{unit.id}_{description.key}"
            )
        self._unit_id = unit.id

    @property
    def unit(self) -> AmsUnit | None:
        """The unit's current state; None once it is detached."""
        return self.coordinator.ams_unit(self._unit_id)

    @property
    def available(self) -> bool:
        """Available while the printer is and it still reports the unit."""
        return super().available and self.unit is not None


class BambuJobEntity(BambuEntity):
    """An entity of the current job's details; written when they change."""

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuEntityDescription,
        tracker: JobTracker,
        **kwargs: Any,
    ) -> None:
        """Follow ``tracker`` besides the printer's reports."""
        super().__init__(coordinator, description, **kwargs)
        self._tracker = tracker

    @property
    def job_details(self) -> JobDetails | None:
        """What is known of the current job's file."""
        return self._tracker.details

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the job's details."""
        await super().async_added_to_hass()
        self.async_on_remove(self._tracker.async_add_listener(self._job_changed))

    @callback
    def _job_changed(self) -> None:
        self._write_if_changed()
