"""A printer's print queue: files printed one after the other, each on a cleared plate.

An item is a project file: a path Home Assistant may read (or a media id),
as ``print_file`` takes it, or a file on the printer written
``printer:/cache/cube.gcode.3mf`` (or its Bambu Lab media browser id), as
``print_stored_file`` takes it. When the printer is idle and the user has
said the plate is clear, the first waiting item starts through those
actions, so it gets their checks; an item they refuse (filaments that do not
match, a missing file) is held with the reason in its description and the
next one is tried. A started item is checked off with the job's result.
The queue (items, the plate, the running item) is stored, so it survives
restarts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final
import uuid

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.helpers.translation import async_get_exception_message

from .aiobambulab.filament_match import mismatches
from .aiobambulab.job_views import ACTIVE_JOB_STATES
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .const import DOMAIN, LOGGER
from .control import invalid_call
from .print_file import async_local_path, load_project
from .reprint import SERVICE_PRINT_STORED_FILE

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

STORAGE_VERSION: Final = 1
PRINTER_PREFIX: Final = "printer:"
_STORED_MEDIA: Final = f"media-source://{DOMAIN}/"
_QUEUES: Final = f"{DOMAIN}_print_queues"


@dataclass(slots=True)
class QueueItem:
    """One file to print, and what became of it."""

    uid: str
    source: str  # as the user gave it
    plate: int = 1
    done: bool = False
    description: str | None = None  # why it is held, or the job's result


async def async_get_queue(hass: HomeAssistant, serial: str) -> PrintQueue:
    """The printer's queue, loaded from storage on first use."""
    queues: dict[str, asyncio.Future[PrintQueue]] = hass.data.setdefault(_QUEUES, {})
    if serial not in queues:
        future: asyncio.Future[PrintQueue] = hass.loop.create_future()
        queues[serial] = future
        queue = PrintQueue(hass, serial)
        await queue.async_load()
        future.set_result(queue)
    return await queues[serial]


class PrintQueue:
    """The queue of one printer (by serial), attached to its coordinator while loaded."""

    def __init__(self, hass: HomeAssistant, serial: str) -> None:
        """An empty queue; ``async_load`` reads the stored one."""
        self.hass = hass
        self.serial = serial
        self.items: list[QueueItem] = []
        self.plate_clear = False  # the user said so, and nothing printed since
        self.running: str | None = None  # the uid of the item printing now
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.print_queue.{serial}"
        )
        self._coordinator: PrinterCoordinator | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._lock = asyncio.Lock()

    # --- storage ------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the stored queue, if any."""
        stored = await self._store.async_load()
        if not stored:
            return
        self.items = [QueueItem(**item) for item in stored.get("items", [])]
        self.plate_clear = bool(stored.get("plate_clear", False))
        self.running = stored.get("running")

    @callback
    def _changed(self) -> None:
        self._store.async_delay_save(self._data, 1)
        for listener in list(self._listeners):
            listener()

    def _data(self) -> dict[str, Any]:
        return {
            "items": [asdict(item) for item in self.items],
            "plate_clear": self.plate_clear,
            "running": self.running,
        }

    # --- the printer -----------------------------------------------------------

    @callback
    def async_attach(
        self, coordinator: PrinterCoordinator, listener: CALLBACK_TYPE
    ) -> Callable[[], None]:
        """Follow the printer's jobs and state; ``listener`` hears of changes."""
        self._coordinator = coordinator
        self._listeners.append(listener)
        removers = [
            coordinator.async_add_job_listener(self._on_transition),
            coordinator.async_add_listener(self._on_update),
        ]

        @callback
        def detach() -> None:
            for remove in removers:
                remove()
            if listener in self._listeners:
                self._listeners.remove(listener)
            if self._coordinator is coordinator:
                self._coordinator = None

        self._on_update()
        return detach

    @callback
    def _on_transition(self, transition: JobTransition) -> None:
        if self.running is None or not transition.kind.ends_job:
            return
        item = self._item(self.running)
        self.running = None
        if item is not None:
            item.done = True
            item.description = self._message(
                _RESULT_KEYS.get(transition.kind, "queue_item_failed"),
                error=transition.error_code or "",
            )
        self._changed()

    @callback
    def _on_update(self) -> None:
        if self._ready():
            self.hass.async_create_task(self.async_start_next(), eager_start=False)

    def _ready(self) -> bool:
        coordinator = self._coordinator
        return (
            coordinator is not None
            and coordinator.printer_available
            and coordinator.data.job_state not in ACTIVE_JOB_STATES
            and self.plate_clear
            and self.running is None
            and any(not item.done for item in self.items)
        )

    # --- what users do -------------------------------------------------------------

    @callback
    def async_add(self, source: str, plate: int = 1) -> QueueItem:
        """Add a file at the end of the queue."""
        item = QueueItem(uuid.uuid4().hex, source.strip(), plate)
        self.items.append(item)
        self._changed()
        self._on_update()
        return item

    @callback
    def async_update(self, uid: str, *, source: str, done: bool) -> None:
        """Change an item's file, or check it off / put it back in the queue."""
        item = self._item(uid)
        if item is None:
            raise invalid_call("queue_item_not_found", item=uid)
        if item.source != source or (item.done and not done):
            item.description = None  # edited or back in the queue: check again
        item.source, item.done = source.strip(), done
        self._changed()
        self._on_update()

    @callback
    def async_delete(self, uids: list[str]) -> None:
        """Drop items; the one printing is only forgotten, not stopped."""
        self.items = [item for item in self.items if item.uid not in uids]
        if self.running in uids:
            self.running = None
        self._changed()

    @callback
    def async_move(self, uid: str, previous_uid: str | None) -> None:
        """Put an item after ``previous_uid`` (first when None)."""
        item = self._item(uid)
        if item is None:
            raise invalid_call("queue_item_not_found", item=uid)
        self.items.remove(item)
        index = 0
        if previous_uid is not None:
            previous = self._item(previous_uid)
            if previous is None:
                raise invalid_call("queue_item_not_found", item=previous_uid)
            index = self.items.index(previous) + 1
        self.items.insert(index, item)
        self._changed()

    async def async_plate_cleared(self) -> None:
        """The user cleared the plate: the next item may start."""
        self.plate_clear = True
        self._changed()
        await self.async_start_next()

    # --- starting ----------------------------------------------------------------

    async def async_start_next(self) -> None:
        """Start the first waiting item that the printer takes, if ready."""
        async with self._lock:
            if not self._ready():
                return
            for item in [item for item in self.items if not item.done]:
                if (coordinator := self._coordinator) is None:
                    return  # the entry unloaded meanwhile
                try:
                    await self._start(coordinator, item)
                except HomeAssistantError as err:
                    LOGGER.debug("Queue item %s held: %s", item.source, err)
                    item.description = self._held(err)
                    self._changed()
                    continue
                item.description = None
                self.running = item.uid
                self.plate_clear = False  # the print will be on it
                self._changed()
                return

    async def _start(self, coordinator: PrinterCoordinator, item: QueueItem) -> None:
        source = item.source
        if source.startswith((PRINTER_PREFIX, _STORED_MEDIA)):
            path = source.removeprefix(PRINTER_PREFIX)
            await self.hass.services.async_call(
                DOMAIN,
                SERVICE_PRINT_STORED_FILE,
                {"device_id": coordinator.device_id, "path": path, "plate": item.plate},
                blocking=True,
            )
            return
        # print_file checks no filaments: the queue does, before the upload.
        local = await async_local_path(self.hass, source)
        _data, info = await self.hass.async_add_executor_job(
            load_project, self.hass, local, source, item.plate
        )
        wrong = mismatches(
            info.filaments, None, coordinator.filament_slot, use_ams=False
        )
        if wrong:
            raise invalid_call(
                "filament_mismatch",
                file=source,
                name=coordinator.printer_name,
                mismatches="; ".join(m.describe() for m in wrong),
            )
        await self.hass.services.async_call(
            DOMAIN,
            "print_file",
            {"device_id": coordinator.device_id, "file": source, "plate": item.plate},
            blocking=True,
        )

    def _held(self, err: HomeAssistantError) -> str:
        if err.translation_domain == DOMAIN and err.translation_key:
            reason = self._message(
                err.translation_key, **(err.translation_placeholders or {})
            )
        else:
            reason = str(err)
        return self._message("queue_item_held", reason=reason)

    def _message(self, key: str, **placeholders: str) -> str:
        return async_get_exception_message(DOMAIN, key, placeholders)

    def _item(self, uid: str) -> QueueItem | None:
        return next((item for item in self.items if item.uid == uid), None)


_RESULT_KEYS: Final = {
    TransitionKind.FINISHED: "queue_item_finished",
    TransitionKind.FAILED: "queue_item_failed",
    TransitionKind.CANCELED: "queue_item_canceled",
    TransitionKind.ABANDONED: "queue_item_canceled",
}
