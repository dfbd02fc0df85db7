"""The "Start queue on plate check" switch: a printer's print queue opt-in.

Only for printers that say they can check their heatbed for objects
(foreign object detection). On, the queue starts the next item after a
finished job without waiting for "Plate cleared": the printer's check
pauses that job if the plate is not clear. The setting is Home
Assistant's, stored with the queue; nothing is sent to the printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import callback

from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription
from .print_queue import PrintQueue, async_get_queue


@dataclass(frozen=True, kw_only=True)
class QueueAutoStartDescription(BambuEntityDescription, SwitchEntityDescription):
    """The queue's auto-start opt-in."""


QUEUE_AUTO_START = QueueAutoStartDescription(
    key="queue_auto_start",
    translation_key="queue_auto_start",
    entity_category=EntityCategory.CONFIG,
    exists_fn=lambda state: state.foreign_object_detection_supported,
)


def queue_switches(coordinator: PrinterCoordinator) -> list[BambuEntity]:
    """The opt-in, for a printer that has foreign object detection."""
    if not QUEUE_AUTO_START.exists_fn(coordinator.data):
        return []
    return [QueueAutoStartSwitch(coordinator, QUEUE_AUTO_START)]


class QueueAutoStartSwitch(BambuEntity, SwitchEntity):
    """Start the next queued file on the printer's heatbed check."""

    entity_description: QueueAutoStartDescription
    _queue: PrintQueue

    async def async_added_to_hass(self) -> None:
        """Load the queue (where the setting is stored) and follow it."""
        self._queue = await async_get_queue(self.hass, self.coordinator.serial)
        await super().async_added_to_hass()
        self.async_on_remove(self._queue.async_add_listener(self._queue_changed))

    @callback
    def _queue_changed(self) -> None:
        self._write_if_changed()

    @property
    def available(self) -> bool:
        """A setting of Home Assistant's: switchable while the printer is away."""
        return True

    @property
    def is_on(self) -> bool | None:
        """Whether the user opted in."""
        return self._queue.auto_start if hasattr(self, "_queue") else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start the next item after a finished job without the button."""
        self._queue.async_set_auto_start(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Wait for "Plate cleared" after every job."""
        self._queue.async_set_auto_start(False)
