"""Bambu's error texts, read when a printer first reports an error.

The texts take megabytes in memory and are needed only for errors, so none
is read at setup. A report that raises an HMS or print error whose text has
not been read waits (with the printer's later reports, kept in order) while
the executor reads it; then the report is taken, so its sensor state and
event carry the text from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .aiobambulab.hms import HmsCatalog, report_codes
from .const import DOMAIN, LOGGER

type MessageHandler = Callable[[str, dict[str, Any]], None]


class ErrorTextLoader:
    """Holds a printer's reports back while their error texts are read."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        catalog: HmsCatalog,
        take: MessageHandler,
    ) -> None:
        """Pass each report to ``take`` once ``catalog`` has its texts."""
        self._hass = hass
        self._entry = entry
        self._catalog = catalog
        self._take = take
        self._held: dict[str, list[dict[str, Any]]] = {}  # serial -> reports
        self._unreadable = False  # the files failed once: shown without texts

    @callback
    def feed(self, serial: str, message: dict[str, Any]) -> None:
        """Take a report now, or after the texts it needs have been read."""
        if (held := self._held.get(serial)) is not None:
            held.append(message)  # behind the one that waits
            return
        hms_ids, error_codes = report_codes(message)
        if self._unreadable or not self._catalog.missing(hms_ids, error_codes):
            self._take(serial, message)
            return
        self._held[serial] = [message]
        self._entry.async_create_task(
            self._hass,
            self._read(serial, hms_ids, error_codes),
            f"{DOMAIN} error texts {serial}",
        )

    async def _read(
        self, serial: str, hms_ids: set[str], error_codes: set[str]
    ) -> None:
        try:
            await self._hass.async_add_executor_job(
                self._catalog.load, hms_ids, error_codes
            )
        except (OSError, ValueError) as err:
            # The reports still count; only their texts are missing.
            LOGGER.warning("Could not read Bambu's error texts: %s", err)
            self._unreadable = True
        held = self._held.pop(serial, [])
        for index, message in enumerate(held):
            self.feed(serial, message)
            if (waiting := self._held.get(serial)) is not None:
                # Another unread code: the rest waits behind it again.
                waiting.extend(held[index + 1 :])
                return
