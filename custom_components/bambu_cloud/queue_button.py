"""The "plate cleared" button: the user took the print off, the queue may go on."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription

from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription
from .print_queue import async_get_queue


@dataclass(frozen=True, kw_only=True)
class PlateClearedDescription(BambuEntityDescription, ButtonEntityDescription):
    """The plate-cleared button."""


PLATE_CLEARED = PlateClearedDescription(
    key="plate_cleared", translation_key="plate_cleared"
)


def plate_cleared_buttons(coordinator: PrinterCoordinator) -> list[BambuEntity]:
    """The printer's plate-cleared button."""
    return [PlateClearedButton(coordinator, PLATE_CLEARED)]


class PlateClearedButton(BambuEntity, ButtonEntity):
    """Tell the print queue the plate is clear."""

    entity_description: PlateClearedDescription

    @property
    def available(self) -> bool:
        """Pressable while the printer is away too: the plate is a fact."""
        return True

    async def async_press(self) -> None:
        """Let the next queued file start."""
        queue = await async_get_queue(self.hass, self.coordinator.serial)
        await queue.async_plate_cleared()
