"""Switches: camera recording, timelapse, camera detectors and printer options.

Each printer switch exists only where the printer reports the setting (and,
for ``print_option`` settings, says it supports it), and follows the report:
a command changes nothing until the printer says so.

"Camera always on" is no printer setting: it keeps Home Assistant's
connection to a P1/A1 printer's JPEG camera open while nobody watches. It is
restored across restarts and needs the printer's LAN address.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .aiobambulab.catalog import CameraKind
from .aiobambulab.depends import depends_on
from .aiobambulab.option_views import XCAM_MODULES, PrintOption
from .aiobambulab.printer import Printer
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    described_entities,
)
from .queue_switch import queue_switches
from .runtime import BambuConfigEntry

# Commands wait for the printer's reply; one at a time per platform.
PARALLEL_UPDATES = 1

# Where option states are reported (support is decided when the entity is made).
OPTION_PATHS = depends_on(PrinterState.print_option)


@dataclass(frozen=True, kw_only=True)
class BambuLocalSwitchEntityDescription(
    BambuEntityDescription, SwitchEntityDescription
):
    """A setting of Home Assistant's own: nothing is sent to the printer."""


@dataclass(frozen=True, kw_only=True)
class BambuSwitchEntityDescription(BambuEntityDescription, SwitchEntityDescription):
    """A printer setting: where it is reported and how it is switched."""

    is_on_fn: Callable[[PrinterState], bool | None]
    command_fn: Callable[[Printer, bool], Awaitable[None]]


def _reported(
    is_on_fn: Callable[[PrinterState], bool | None],
) -> Callable[[PrinterState], bool]:
    return lambda state: is_on_fn(state) is not None


def _xcam(module: str) -> BambuSwitchEntityDescription:
    def is_on(state: PrinterState) -> bool | None:
        return state.xcam_option(module)

    return BambuSwitchEntityDescription(
        key=module,
        translation_key=module,
        entity_category=EntityCategory.CONFIG,
        is_on_fn=is_on,
        command_fn=lambda printer, on: printer.set_xcam_module(module, on),
        paths=depends_on(PrinterState.xcam_option),
        exists_fn=_reported(is_on),
    )


def _option(key: str, option: PrintOption) -> BambuSwitchEntityDescription:
    def is_on(state: PrinterState) -> bool | None:
        return state.print_option(option)

    def exists(state: PrinterState) -> bool:
        return state.print_option_supported(option) and is_on(state) is not None

    return BambuSwitchEntityDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        is_on_fn=is_on,
        command_fn=lambda printer, on: printer.set_print_option(option, on),
        paths=OPTION_PATHS,
        exists_fn=exists,
    )


SWITCHES: tuple[BambuSwitchEntityDescription, ...] = (
    BambuSwitchEntityDescription(
        key="camera_recording",
        translation_key="camera_recording",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda state: state.camera_recording,
        command_fn=Printer.set_camera_recording,
        paths=depends_on(PrinterState.camera_recording),
        exists_fn=_reported(lambda state: state.camera_recording),
    ),
    BambuSwitchEntityDescription(
        key="timelapse",
        translation_key="timelapse",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda state: state.timelapse_enabled,
        command_fn=Printer.set_timelapse,
        paths=depends_on(PrinterState.timelapse_enabled),
        exists_fn=_reported(lambda state: state.timelapse_enabled),
    ),
    *(_xcam(module) for module in XCAM_MODULES),
    _option("prompt_sound", PrintOption.PROMPT_SOUND),
    _option("filament_tangle_detect", PrintOption.FILAMENT_TANGLE_DETECT),
    _option("auto_recovery", PrintOption.AUTO_RECOVERY),
    _option("auto_switch_filament", PrintOption.AUTO_SWITCH_FILAMENT),
)

CAMERA_ALWAYS_ON = BambuLocalSwitchEntityDescription(
    key="camera_always_on",
    translation_key="camera_always_on",
    entity_category=EntityCategory.CONFIG,
    exists_fn=lambda state: state.model.camera is CameraKind.JPEG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches each printer has."""
    async_add_printer_entities(entry, async_add_entities, _entities)


def _entities(coordinator: PrinterCoordinator) -> Iterator[BambuEntity]:
    yield from described_entities(coordinator, SWITCHES, BambuSwitch)
    yield from queue_switches(coordinator)
    if (
        CAMERA_ALWAYS_ON.exists_fn(coordinator.data)
        and coordinator.camera_wanted
        and coordinator.local_access is not None
    ):
        yield BambuCameraAlwaysOnSwitch(coordinator, CAMERA_ALWAYS_ON)


class BambuSwitch(BambuEntity, SwitchEntity):
    """A printer setting that is on or off."""

    entity_description: BambuSwitchEntityDescription

    @property
    def is_on(self) -> bool | None:
        """The setting the printer reports."""
        return self.entity_description.is_on_fn(self.state_data)

    async def _switch(self, on: bool) -> None:
        await self.async_command(
            self.entity_description.command_fn(self.coordinator.printer, on)
        )

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask the printer to turn the setting on."""
        await self._switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask the printer to turn the setting off."""
        await self._switch(False)


class BambuCameraAlwaysOnSwitch(BambuEntity, SwitchEntity, RestoreEntity):
    """Keep the JPEG camera connected while nobody watches (default off)."""

    entity_description: BambuLocalSwitchEntityDescription

    @property
    def available(self) -> bool:
        """Always: a setting of Home Assistant's, not of the printer."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the camera stays connected."""
        return self.coordinator.camera_always_on

    async def async_added_to_hass(self) -> None:
        """Take the setting back from before the restart."""
        last = await self.async_get_last_state()
        if last is not None and last.state == STATE_ON:
            self._set(True)
        await super().async_added_to_hass()

    async def async_will_remove_from_hass(self) -> None:
        """Without the switch, the camera connects only while watched."""
        self._set(False)
        await super().async_will_remove_from_hass()

    def _set(self, on: bool) -> None:
        self.coordinator.set_camera_always_on(on)

    def _write(self, on: bool) -> None:
        self._set(on)
        self._written = self._snapshot()
        self.async_write_ha_state()

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Keep the camera connected."""
        self._write(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Connect the camera only while someone watches."""
        self._write(False)
