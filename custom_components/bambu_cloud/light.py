"""Light: the chamber light, both of them on printers that have two.

The entity follows the printer's ``lights_report``: a command changes it
only once the printer reports the new mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.light import LightEntity, LightEntityDescription
from homeassistant.components.light.const import ColorMode
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab import LightNode
from .aiobambulab.depends import depends_on
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .runtime import BambuConfigEntry

# Commands wait for the printer's reply; one at a time per platform.
PARALLEL_UPDATES = 1

# H2 printers light the chamber with two lamps; one switch drives both.
CHAMBER_NODES = (LightNode.CHAMBER, LightNode.CHAMBER_2)


def _chamber_nodes(state: PrinterState) -> list[LightNode]:
    lights = state.lights
    return [node for node in CHAMBER_NODES if node in lights]


@dataclass(frozen=True, kw_only=True)
class BambuLightEntityDescription(BambuEntityDescription, LightEntityDescription):
    """A printer light."""


CHAMBER_LIGHT = BambuLightEntityDescription(
    key="chamber_light",
    translation_key="chamber_light",
    paths=depends_on(PrinterState.light_on),
    exists_fn=lambda state: LightNode.CHAMBER in state.lights,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the chamber light of each printer that reports one."""
    async_add_printer_entities(entry, async_add_entities, _entities)


def _entities(coordinator: PrinterCoordinator) -> Iterator[BambuEntity]:
    if CHAMBER_LIGHT.exists_fn(coordinator.data):
        yield BambuChamberLight(coordinator, CHAMBER_LIGHT)


class BambuChamberLight(BambuEntity, LightEntity):
    """The chamber light (every chamber lamp the printer reports)."""

    entity_description: BambuLightEntityDescription
    _attr_color_mode = ColorMode.ONOFF
    # Home Assistant declares it a set; it is never mutated.
    _attr_supported_color_modes = {ColorMode.ONOFF}  # noqa: RUF012

    @property
    def is_on(self) -> bool | None:
        """On while any chamber lamp is on (or flashing)."""
        nodes = self._nodes()
        if not nodes:
            return None
        return any(self.state_data.light_on(node) for node in nodes)

    def _nodes(self) -> list[LightNode]:
        return _chamber_nodes(self.state_data)

    async def _switch(self, on: bool) -> None:
        for node in self._nodes():
            await self.async_command(self.coordinator.printer.set_light(on, node))

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the chamber lamps on."""
        await self._switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the chamber lamps off."""
        await self._switch(False)
