"""The print queue of each printer as a to-do list (see print_queue.py).

Items are files to print, added from the To-do panel or with
``todo.add_item``; the first waiting one starts when the printer is idle and
the plate was cleared (or, opted in, on the printer's own heatbed check).
Waiting items say which plate and trays they will print with, held ones
why they are held; printed ones are checked off with the job's result. The
``auto_start`` attribute says whether a finished job lets the next item
start without "Plate cleared", and if not, why.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.depends import depends_on
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .print_queue import PrintQueue, QueueItem, async_get_queue
from .runtime import BambuConfigEntry

PARALLEL_UPDATES = 0

QUEUE = BambuEntityDescription(
    key="print_queue",
    translation_key="print_queue",
    # The auto_start attribute follows the printer's heatbed check.
    paths=depends_on(
        PrinterState.foreign_object_detection,
        PrinterState.foreign_object_detection_supported,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each printer's print queue."""
    async_add_printer_entities(
        entry, async_add_entities, lambda coordinator: [PrintQueueEntity(coordinator)]
    )


class PrintQueueEntity(BambuEntity, TodoListEntity):
    """The printer's print queue."""

    _attr_supported_features = (
        TodoListEntityFeature.CREATE_TODO_ITEM
        | TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.DELETE_TODO_ITEM
        | TodoListEntityFeature.MOVE_TODO_ITEM
        | TodoListEntityFeature.SET_DESCRIPTION_ON_ITEM
    )
    _queue: PrintQueue

    def __init__(self, coordinator: PrinterCoordinator) -> None:
        """The queue entity of one printer."""
        super().__init__(coordinator, QUEUE)

    async def async_added_to_hass(self) -> None:
        """Load the queue and follow it."""
        await super().async_added_to_hass()
        self._queue = await async_get_queue(self.hass, self.coordinator.serial)
        self.async_on_remove(
            self._queue.async_attach(self.coordinator, self.async_write_ha_state)
        )

    @property
    def available(self) -> bool:
        """The queue can be edited while the printer is away."""
        return True

    @property
    def todo_items(self) -> list[TodoItem] | None:
        """The items, in queue order."""
        if not hasattr(self, "_queue"):
            return None
        return [_todo_item(self._queue, item) for item in self._queue.items]

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Whether the queue goes on after a finished job without the button."""
        if not hasattr(self, "_queue"):
            return None
        return {"auto_start": self._queue.auto_start_state.value}

    async def async_create_todo_item(self, item: TodoItem) -> None:
        """Queue a file."""
        self._queue.async_add(item.summary or "")

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Edit a file or check it off / back."""
        self._queue.async_update(
            item.uid or "",
            source=item.summary or "",
            done=item.status == TodoItemStatus.COMPLETED,
        )

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Drop items."""
        self._queue.async_delete(uids)

    async def async_move_todo_item(
        self, uid: str, previous_uid: str | None = None
    ) -> None:
        """Reorder."""
        self._queue.async_move(uid, previous_uid)


def _todo_item(queue: PrintQueue, item: QueueItem) -> TodoItem:
    return TodoItem(
        uid=item.uid,
        summary=item.source,
        status=TodoItemStatus.COMPLETED if item.done else TodoItemStatus.NEEDS_ACTION,
        description=queue.describe(item),
    )
