"""Where an entry's print history is kept: Home Assistant's storage.

The calendar and the statistics survive restarts without fetching
everything again. What cannot be read is skipped and logged, never failing
the setup: a cloud entry fetches it again, a LAN entry starts over for what
was lost. Writing waits a few seconds and happens only when something worth
storing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .history_jobs import PrinterHistory

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10  # seconds

type _Marker = tuple[tuple[str, int, bool, str | None, str | None], ...]
type HistoryData = Mapping[str, PrinterHistory]


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
        self._saved: _Marker = ()

    async def async_load(self) -> dict[str, PrinterHistory]:
        """The stored history; what cannot be read is skipped and logged."""
        loaded = await self._async_read()
        self._saved = _marker(loaded)
        return loaded

    async def _async_read(self) -> dict[str, PrinterHistory]:
        try:
            stored = await self._store.async_load()
        except (HomeAssistantError, NotImplementedError, KeyError, TypeError) as err:
            LOGGER.warning("The stored print history could not be read: %s", err)
            return {}
        printers = stored.get("printers") if isinstance(stored, dict) else None
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

    @callback
    def async_save_later(self, current: Callable[[], HistoryData]) -> None:
        """Write ``current()`` in a few seconds, if it changed since last written."""
        marker = _marker(current())
        if marker == self._saved:
            return  # a fetch that brought nothing new
        self._saved = marker
        self._dirty = True

        @callback
        def stored() -> dict[str, Any]:
            self._dirty = False
            return _as_stored(current())

        self._store.async_delay_save(stored, SAVE_DELAY)

    async def async_flush(self, data: HistoryData) -> None:
        """Write now what is not stored yet (the entry unloads)."""
        if self._dirty:
            self._dirty = False
            await self._store.async_save(_as_stored(data))


def _marker(data: HistoryData) -> _Marker:
    """What changes whenever something worth storing does."""
    return tuple(
        (serial, r.revision, r.complete, r.cursor, r.gap) for serial, r in data.items()
    )


def _as_stored(data: HistoryData) -> dict[str, Any]:
    return {"printers": {serial: record.as_dict() for serial, record in data.items()}}


async def async_remove_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed config entry's stored history."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, storage_key(entry_id)
    ).async_remove()
