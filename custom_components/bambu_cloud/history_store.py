"""Where an entry's print history is kept: Home Assistant's storage.

The calendar and the statistics survive restarts without fetching
everything again. What cannot be read is skipped and logged, never failing
the setup: a cloud entry fetches it again, a LAN entry starts over for what
was lost. Writing waits a few seconds and happens only when something worth
storing changed.

A cloud entry also keeps the energy and cost of ended jobs whose task the
cloud does not list yet (``costs_due``), so a restart in between loses
none of them. Figures that cannot be read are dropped with one warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .history_jobs import PrinterHistory
from .job_costs import JobCost

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10  # seconds
MAX_COSTS_DUE: Final = 50  # ended jobs whose task the cloud does not list yet

type _Marker = tuple[
    tuple[tuple[str, int, bool, str | None, str | None], ...],
    tuple[tuple[str, str], ...],
]
type HistoryData = Mapping[str, PrinterHistory]
type CostsDue = dict[tuple[str, str], JobCost]  # (serial, task id) -> figures


@dataclass(slots=True)
class StoredHistory:
    """What an entry keeps: the printers' histories and the figures due."""

    printers: dict[str, PrinterHistory] = field(default_factory=dict)
    costs_due: CostsDue = field(default_factory=dict)


def keep_costs_due(due: CostsDue, key: tuple[str, str], figures: JobCost) -> None:
    """Add a job's figures; the oldest go beyond ``MAX_COSTS_DUE`` (never listed)."""
    due[key] = figures
    while len(due) > MAX_COSTS_DUE:
        del due[next(iter(due))]


def storage_key(entry_id: str) -> str:
    """The storage key of a config entry's history."""
    return f"{DOMAIN}.history.{entry_id}"


class HistoryStore:
    """Reads and writes the history of one config entry, by serial."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare; nothing is read before ``async_load``."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry_id)
        )
        self._dirty = False
        self._saved: _Marker = ((), ())

    async def async_load(self) -> StoredHistory:
        """The stored history; what cannot be read is skipped and logged."""
        loaded = await self._async_read()
        self._saved = _marker(loaded.printers, loaded.costs_due)
        return loaded

    async def _async_read(self) -> StoredHistory:
        try:
            stored = await self._store.async_load()
        except (HomeAssistantError, NotImplementedError, KeyError, TypeError) as err:
            LOGGER.warning("The stored print history could not be read: %s", err)
            return StoredHistory()
        if not isinstance(stored, dict):
            return StoredHistory()
        return StoredHistory(
            _read_printers(stored.get("printers")),
            _read_costs_due(stored.get("costs_due")),
        )

    @callback
    def async_save_later(
        self, current: Callable[[], HistoryData], costs_due: Callable[[], CostsDue]
    ) -> None:
        """Write ``current()`` and ``costs_due()`` in a few seconds, if changed."""
        marker = _marker(current(), costs_due())
        if marker == self._saved:
            return  # a fetch that brought nothing new
        self._saved = marker
        self._dirty = True

        @callback
        def stored() -> dict[str, Any]:
            self._dirty = False
            return _as_stored(current(), costs_due())

        self._store.async_delay_save(stored, SAVE_DELAY)

    async def async_flush(self, data: HistoryData, costs_due: CostsDue) -> None:
        """Write now what is not stored yet (the entry unloads)."""
        if self._dirty:
            self._dirty = False
            await self._store.async_save(_as_stored(data, costs_due))


def _read_printers(printers: Any) -> dict[str, PrinterHistory]:
    loaded: dict[str, PrinterHistory] = {}
    for serial, raw in printers.items() if isinstance(printers, dict) else ():
        if not isinstance(serial, str) or not isinstance(raw, dict):
            continue
        try:
            record = PrinterHistory.from_dict(raw)
        except Exception:  # noqa: BLE001 - stored data must never fail the setup
            LOGGER.warning(
                "Skipped the unreadable stored print history of %s",
                serial,
                exc_info=True,
            )
            continue
        if record.skipped:
            LOGGER.warning(
                "Skipped %d unreadable jobs of the stored print history of %s",
                record.skipped,
                serial,
            )
        loaded[serial] = record
    return loaded


def _read_costs_due(value: Any) -> CostsDue:
    """The stored figures due; each one that cannot be read is dropped."""
    if value is None:
        return {}  # stored before figures were kept, or none due
    items = value if isinstance(value, list) else [value]
    due: CostsDue = {}
    dropped = 0
    for item in items:
        if (read := _cost_due(item)) is None:
            dropped += 1
        else:
            keep_costs_due(due, *read)
    if dropped:
        LOGGER.warning(
            "Dropped %d unreadable stored job costs awaiting their cloud task",
            dropped,
        )
    return due


def _cost_due(item: Any) -> tuple[tuple[str, str], JobCost] | None:
    if not isinstance(item, dict):
        return None
    serial, task_id, raw = item.get("serial"), item.get("task_id"), item.get("figures")
    if not (
        isinstance(serial, str) and serial and isinstance(task_id, str) and task_id
    ):
        return None
    if not isinstance(raw, dict):
        return None
    figures = JobCost.from_dict(raw)
    # A figure that is there but is no amount: the record is damaged.
    if any(raw.get(k) != v for k, v in figures.as_dict().items()):
        return None
    return (serial, task_id), figures


def _marker(data: HistoryData, costs_due: CostsDue) -> _Marker:
    """What changes whenever something worth storing does."""
    return (
        tuple(
            (serial, r.revision, r.complete, r.cursor, r.gap)
            for serial, r in data.items()
        ),
        tuple(costs_due),
    )


def _as_stored(data: HistoryData, costs_due: CostsDue) -> dict[str, Any]:
    return {
        "printers": {serial: record.as_dict() for serial, record in data.items()},
        "costs_due": [
            {"serial": serial, "task_id": task_id, "figures": figures.as_dict()}
            for (serial, task_id), figures in costs_due.items()
        ],
    }


async def async_remove_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed config entry's stored history."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, storage_key(entry_id)
    ).async_remove()
