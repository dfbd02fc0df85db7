"""A printer's print queue: files printed one after the other, each on a cleared plate.

An item is a project file: a path Home Assistant may read (or a media id),
as ``print_file`` takes it, or a file on the printer written
``printer:/cache/cube.gcode.3mf`` (or its Bambu Lab media browser id), as
``print_stored_file`` takes it. When the printer is idle and the user has
said the plate is clear, the first waiting item starts through those
actions, so it gets their checks; an item they refuse (filaments that do not
match, a missing file) is held with the reason in its description and the
next one is tried. A started item is checked off with the job's result.
An item added with ``bambu_cloud.add_to_queue`` carries its plate, AMS
mapping and print options; one added from the To-do panel prints plate 1
with the printer's own mapping.

Auto-start (a per-printer opt-in): after a *finished* job the next item
starts without "Plate cleared" when the printer checks its heatbed itself
(foreign object detection, supported and on): a plate that is not clear
pauses that job on the printer. After a failed or stopped job the plate's
state is unknown, so the queue always waits for the button.
The queue (items, the plate, the running item, the opt-in) is stored, so it
survives restarts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final
import uuid

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.helpers.translation import async_get_exception_message

from .aiobambulab.ams import slot_label, tray_from_tray_now
from .aiobambulab.filament_match import mismatches
from .aiobambulab.job_views import ACTIVE_JOB_STATES
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .aiobambulab.listeners import add_listener
from .const import DOMAIN, LOGGER
from .control import invalid_call
from .print_file import ams_mapping, async_local_path, load_project
from .reprint import SERVICE_PRINT_STORED_FILE

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

STORAGE_VERSION: Final = 1
PRINTER_PREFIX: Final = "printer:"
_STORED_MEDIA: Final = f"media-source://{DOMAIN}/"
_QUEUES: Final = f"{DOMAIN}_print_queues"


# print_file's start options an item may carry (besides plate and mapping).
ITEM_OPTIONS: Final = (
    "use_ams",
    "bed_leveling",
    "flow_calibration",
    "vibration_calibration",
    "layer_inspect",
    "timelapse",
    "job_name",
)


@dataclass(slots=True)
class QueueItem:
    """One file to print, and what became of it."""

    uid: str
    source: str  # as the user gave it
    plate: int = 1
    done: bool = False
    description: str | None = None  # why it is held, or the job's result
    ams_mapping: list[int] | None = None  # Bambu's tray numbers; None: automatic
    options: dict[str, Any] = field(default_factory=dict)  # of ITEM_OPTIONS


# Stored items are read by these names: fields added later take their default.
_ITEM_FIELDS: Final = frozenset(f.name for f in fields(QueueItem))


class AutoStart(StrEnum):
    """Whether the next item starts after a finished job without the button."""

    OFF = "off"  # not opted in
    READY = "ready"  # the printer's heatbed check stands in for the button
    DETECTION_OFF = "detection_off"  # opted in, the printer's check is off
    DETECTION_UNSUPPORTED = "detection_unsupported"  # the printer has none


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
        # A job finished on the plate since: the printer's check can judge it.
        self.finished_on_plate = False
        self.auto_start = False  # the user's opt-in
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
        self.items = [
            QueueItem(**{k: v for k, v in item.items() if k in _ITEM_FIELDS})
            for item in stored.get("items", [])
        ]
        self.plate_clear = bool(stored.get("plate_clear", False))
        self.finished_on_plate = bool(stored.get("finished_on_plate", False))
        self.auto_start = bool(stored.get("auto_start", False))
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
            "finished_on_plate": self.finished_on_plate,
            "auto_start": self.auto_start,
            "running": self.running,
        }

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> Callable[[], None]:
        """Hear of changes (items, the opt-in) without following the printer."""
        return add_listener(self._listeners, listener)

    # --- the printer -----------------------------------------------------------

    @callback
    def async_attach(
        self, coordinator: PrinterCoordinator, listener: CALLBACK_TYPE
    ) -> Callable[[], None]:
        """Follow the printer's jobs and state; ``listener`` hears of changes."""
        self._coordinator = coordinator
        removers = [
            add_listener(self._listeners, listener),
            coordinator.async_add_job_listener(self._on_transition),
            coordinator.async_add_listener(self._on_update),
        ]

        @callback
        def detach() -> None:
            for remove in removers:
                remove()
            if self._coordinator is coordinator:
                self._coordinator = None

        self._on_update()
        return detach

    @callback
    def _on_transition(self, transition: JobTransition) -> None:
        if not transition.kind.ends_job:
            return
        # Whatever printed, the plate holds it now; only a finished print
        # is a known state the printer's own check can judge.
        self.plate_clear = False
        self.finished_on_plate = transition.kind is TransitionKind.FINISHED
        if self.running is not None:
            item = self._item(self.running)
            self.running = None
            if item is not None:
                item.done = True
                item.description = self._message(
                    _RESULT_KEYS.get(transition.kind, "queue_item_failed"),
                    error=transition.error_code or "",
                )
        self._changed()
        self._on_update()

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
            and self._plate_ready()
            and self.running is None
            and any(not item.done for item in self.items)
        )

    def _plate_ready(self) -> bool:
        if self.plate_clear:
            return True
        return self.finished_on_plate and self.auto_start_state is AutoStart.READY

    @property
    def auto_start_state(self) -> AutoStart:
        """Whether a finished job lets the next item start without the button."""
        if not self.auto_start:
            return AutoStart.OFF
        coordinator = self._coordinator
        if (
            coordinator is None
            or not coordinator.data.foreign_object_detection_supported
        ):
            return AutoStart.DETECTION_UNSUPPORTED
        if coordinator.data.foreign_object_detection is not True:
            return AutoStart.DETECTION_OFF
        return AutoStart.READY

    def describe(self, item: QueueItem) -> str | None:
        """An item's description: why it is held, its result, or its plan."""
        if item.description is not None or item.done or item.uid == self.running:
            return item.description
        if item.ams_mapping is None:
            return self._message("queue_item_plan_auto", plate=str(item.plate))
        return self._message(
            "queue_item_plan",
            plate=str(item.plate),
            trays=", ".join(_tray_label(value) for value in item.ams_mapping),
        )

    # --- what users do -------------------------------------------------------------

    @callback
    def async_add(
        self,
        source: str,
        *,
        plate: int = 1,
        ams_mapping: list[int] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> QueueItem:
        """Add a file at the end of the queue, with its plate and print options."""
        if plate < 1:
            raise invalid_call("invalid_plate", plate=str(plate))
        item = QueueItem(
            uuid.uuid4().hex,
            source.strip(),
            plate,
            ams_mapping=ams_mapping,
            options={k: v for k, v in (options or {}).items() if k in ITEM_OPTIONS},
        )
        self.items.append(item)
        self._changed()
        self._on_update()
        return item

    @callback
    def async_set_auto_start(self, on: bool) -> None:
        """Opt in to (or out of) starting on the printer's heatbed check."""
        self.auto_start = on
        self._changed()
        self._on_update()

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
                self.finished_on_plate = False
                self._changed()
                return

    async def _start(self, coordinator: PrinterCoordinator, item: QueueItem) -> None:
        source = item.source
        call = {"device_id": coordinator.device_id, "plate": item.plate, **item.options}
        if item.ams_mapping is not None:
            call["ams_mapping"] = item.ams_mapping
        if source.startswith((PRINTER_PREFIX, _STORED_MEDIA)):
            path = source.removeprefix(PRINTER_PREFIX)
            await self.hass.services.async_call(
                DOMAIN, SERVICE_PRINT_STORED_FILE, {**call, "path": path}, blocking=True
            )
            return
        # print_file checks no filaments: the queue does, before the upload.
        local = await async_local_path(self.hass, source)
        _data, info = await self.hass.async_add_executor_job(
            load_project, self.hass, local, source, item.plate
        )
        mapping = ams_mapping(coordinator, item.ams_mapping, info)
        use_ams = bool(item.options.get("use_ams")) if mapping is None else True
        wrong = mismatches(
            info.filaments, mapping, coordinator.filament_slot, use_ams=use_ams
        )
        if wrong:
            raise invalid_call(
                "filament_mismatch",
                file=source,
                name=coordinator.printer_name,
                mismatches="; ".join(m.describe() for m in wrong),
            )
        await self.hass.services.async_call(
            DOMAIN, "print_file", {**call, "file": source}, blocking=True
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


def _tray_label(value: int) -> str:
    """A tray number as the printer's screen names it (— for none)."""
    ref = tray_from_tray_now(value)
    return "—" if ref is None else slot_label(ref.ams_id, ref.slot)


_RESULT_KEYS: Final = {
    TransitionKind.FINISHED: "queue_item_finished",
    TransitionKind.FAILED: "queue_item_failed",
    TransitionKind.CANCELED: "queue_item_canceled",
    TransitionKind.ABANDONED: "queue_item_canceled",
}
