"""The cover picture of the printer's current job.

The plate picture comes from the job's project file on the printer, else
from the cloud task (see ``job.py``). The image changes only when the job
does: its state, the time it last changed, is written once per job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import override

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .aiobambulab.job_details import JobKey
from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .job import JobTracker, async_job_tracker
from .runtime import BambuConfigEntry

# Entities only read; the job tracker fetches once per job for all of them.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BambuImageEntityDescription(BambuEntityDescription, ImageEntityDescription):
    """An image of a printer."""


COVER = BambuImageEntityDescription(key="cover", translation_key="cover")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the cover image of each printer."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: [
            BambuCoverImage(coordinator, async_job_tracker(coordinator))
        ],
    )


class BambuCoverImage(BambuEntity, ImageEntity):
    """The plate picture of the current job; unknown when there is none."""

    entity_description: BambuImageEntityDescription

    def __init__(self, coordinator: PrinterCoordinator, tracker: JobTracker) -> None:
        """Show the pictures ``tracker`` finds."""
        super().__init__(coordinator, COVER)
        ImageEntity.__init__(self, coordinator.hass)
        self._tracker = tracker
        self._cover: bytes | None = None
        self._shown: JobKey | None = None  # the job whose picture is shown

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the job's details."""
        self._take_cover()
        await super().async_added_to_hass()
        self.async_on_remove(self._tracker.async_add_listener(self._job_changed))

    @override
    async def async_image(self) -> bytes | None:
        """The picture, kept in memory (never in the state)."""
        return self._cover

    @callback
    def _job_changed(self) -> None:
        if self._take_cover():
            self._written = self._snapshot()
            self.async_write_ha_state()

    @callback
    def _take_cover(self) -> bool:
        """Take the tracker's picture; whether it is another job's."""
        details = self._tracker.details
        key = None if details is None else details.key
        cover = None if details is None else details.cover
        if key == self._shown and cover == self._cover:
            return False
        self._shown = key
        self._cover = cover
        self._attr_image_last_updated = None if cover is None else dt_util.utcnow()
        if details is not None and cover is not None:
            self._attr_content_type = details.cover_type
        return True
