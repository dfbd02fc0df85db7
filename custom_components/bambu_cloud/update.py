"""Firmware of the printer and of its AMS units (shown, not installed).

The installed version comes from the printer's get_version answer; the
latest is what the printer itself offers to install (its ``upgrade_state``),
else the installed one. Installing is left to the printer's screen or Bambu
Handy. On a cloud entry the printer's release notes come from the cloud.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.ams import AmsUnit
from .aiobambulab.catalog import ModuleVersion
from .aiobambulab.depends import depends_on
from .aiobambulab.errors import CloudError
from .aiobambulab.state import PrinterState
from .const import DOMAIN
from .coordinator import PrinterCoordinator
from .entity import (
    BambuAmsEntity,
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
)
from .runtime import BambuConfigEntry

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BambuUpdateEntityDescription(BambuEntityDescription, UpdateEntityDescription):
    """A firmware entity."""


PRINTER_FIRMWARE = BambuUpdateEntityDescription(
    key="firmware",
    translation_key="firmware",
    device_class=UpdateDeviceClass.FIRMWARE,
    entity_category=EntityCategory.DIAGNOSTIC,
    paths=depends_on(PrinterState.firmware_updates),
    exists_fn=lambda s: s.firmware_version is not None,
)
AMS_FIRMWARE = BambuUpdateEntityDescription(
    key="firmware",
    translation_key="ams_firmware",
    device_class=UpdateDeviceClass.FIRMWARE,
    entity_category=EntityCategory.DIAGNOSTIC,
    # The unit's device shows its version, and the printer's update installs it.
    entity_registry_enabled_default=False,
    paths=depends_on(PrinterState.firmware_updates, PrinterState.ams_units),
)


def _ams_has_version(unit: AmsUnit) -> bool:
    return unit.module is not None and bool(unit.module.sw_ver)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add firmware entities for each printer and AMS unit with a version."""
    async_add_printer_entities(entry, async_add_entities, _entities)


def _entities(coordinator: PrinterCoordinator) -> Iterator[BambuEntity]:
    """The printer's firmware and each AMS unit's that reports a version."""
    state = coordinator.data
    if PRINTER_FIRMWARE.exists_fn(state):
        yield BambuPrinterUpdate(coordinator, PRINTER_FIRMWARE)
    for unit in coordinator.ams_units.values():
        if _ams_has_version(unit):
            yield BambuAmsUpdate(coordinator, AMS_FIRMWARE, unit)


class BambuUpdate(BambuEntity, UpdateEntity):
    """Firmware of a printer part, read-only."""

    entity_description: BambuUpdateEntityDescription

    @abstractmethod
    def _module(self) -> ModuleVersion | None:
        """The get_version module the firmware runs on, if reported."""

    @property
    def installed_version(self) -> str | None:
        """The version the printer reports."""
        module = self._module()
        return None if module is None else module.sw_ver or None

    @property
    def latest_version(self) -> str | None:
        """The version the printer offers, else the installed one."""
        module = self._module()
        if module is None or not module.sw_ver:
            return None
        update = self.state_data.firmware_updates.get(module.name)
        return module.sw_ver if update is None else update.available

    def _snapshot(self) -> tuple[Any, ...]:
        # The state is only on/off: versions change without changing it.
        return (self.available, self.installed_version, self.latest_version)


class BambuPrinterUpdate(BambuUpdate):
    """The printer's firmware; release notes from the cloud where there is one."""

    def __init__(
        self, coordinator: PrinterCoordinator, description: BambuUpdateEntityDescription
    ) -> None:
        """Offer release notes on cloud entries."""
        super().__init__(coordinator, description)
        if coordinator.cloud is not None:
            self._attr_supported_features = UpdateEntityFeature.RELEASE_NOTES

    def _module(self) -> ModuleVersion | None:
        return self.state_data.modules.get("ota")

    async def async_release_notes(self) -> str | None:
        """The cloud's notes for the offered version, if it has them."""
        cloud = self.coordinator.cloud
        if cloud is None:
            return None
        try:
            info = await cloud.get_firmware(self.coordinator.serial)
        except CloudError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="release_notes_unavailable",
                translation_placeholders={"error": str(err)},
            ) from err
        if info.latest is not None and info.latest != self.latest_version:
            return None  # notes of another version than the printer offers
        return info.release_notes


class BambuAmsUpdate(BambuAmsEntity, BambuUpdate):
    """The firmware of one AMS unit, on the unit's device."""

    def _module(self) -> ModuleVersion | None:
        unit = self.unit
        return None if unit is None else unit.module
