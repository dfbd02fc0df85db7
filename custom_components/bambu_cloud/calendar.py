"""Calendar: each printer's print jobs, past and running.

Past jobs come from the history (the cloud's task list, or the jobs a LAN
printer was seen to run). The running job shows from the printer's live
state with its estimated end, so calendar triggers fire when it is due to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .aiobambulab.depends import depends_on
from .aiobambulab.job_views import ACTIVE_JOB_STATES, JobState
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    entry_runtime,
)
from .history import HistoryCoordinator
from .history_jobs import MIN_EVENT, HistoryJob
from .runtime import BambuConfigEntry

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BambuCalendarEntityDescription(BambuEntityDescription, CalendarEntityDescription):
    """A calendar of a printer."""


HISTORY_CALENDAR = BambuCalendarEntityDescription(
    key="history",
    translation_key="history",
    paths=depends_on(
        PrinterState.job_state,
        PrinterState.job_name,
        PrinterState.job_start_time,
        PrinterState.job_end_time,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the print calendar of each printer."""
    history = entry_runtime(entry).history
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: (
            BambuPrintCalendar(coordinator, HISTORY_CALENDAR, history),
        ),
    )


def job_event(serial: str, job: HistoryJob) -> CalendarEvent:
    """A past job as a calendar event."""
    lines = [f"Status: {job.outcome.value}"]
    if job.weight is not None:
        lines.append(f"Filament: {job.weight:.1f} g")
    if job.length is not None:
        lines.append(f"Length: {job.length:.2f} m")
    if job.seconds:
        lines.append(f"Duration: {_duration(job.seconds)}")
    if job.plate is not None:
        lines.append(f"Plate: {job.plate}")
    if job.energy is not None:
        lines.append(f"Energy: {job.energy:.3f} kWh")
    if job.cost is not None:
        lines.append(f"Cost: {job.cost:.2f}")
    return CalendarEvent(
        start=dt_util.as_local(job.start),
        end=dt_util.as_local(job.shown_end),
        summary=job.title,
        description="\n".join(lines),
        uid=f"{serial}_{job.id}",
    )


class BambuPrintCalendar(BambuEntity, CalendarEntity):
    """The print jobs of one printer."""

    entity_description: BambuCalendarEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuCalendarEntityDescription,
        history: HistoryCoordinator,
    ) -> None:
        """Attach to the printer and its history."""
        super().__init__(coordinator, description)
        self._history = history
        self._revision: int | None = None

    @property
    def available(self) -> bool:
        """The history stays readable while the printer is away."""
        return True

    @property
    def event(self) -> CalendarEvent | None:
        """The running job, with its estimated end."""
        coordinator = self.coordinator
        state = coordinator.data
        job_state = state.job_state
        start = self._history.job_start(coordinator.serial) or state.job_start_time
        if (
            not coordinator.printer_available
            or job_state not in ACTIVE_JOB_STATES
            or start is None
        ):
            return None
        end = state.job_end_time or dt_util.utcnow()
        # Whole minutes: the estimate drifts by seconds with every report, and
        # each drift would write the entity (progress has its own sensor).
        end = max(end, start + MIN_EVENT).replace(second=0, microsecond=0)
        return CalendarEvent(
            start=dt_util.as_local(start),
            end=dt_util.as_local(end),
            summary=state.job_name or coordinator.printer_name,
            description=f"Status: {_LIVE_STATUS[job_state]}",
            uid=f"{coordinator.serial}_live_{start.timestamp():.0f}",
        )

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Past jobs and the running one overlapping the range."""
        serial = self.coordinator.serial
        events = []
        if (record := self._history.printer(serial)) is not None:
            events = [
                job_event(serial, job) for job in record.between(start_date, end_date)
            ]
        live = self.event
        if live is not None and live.start < end_date and live.end > start_date:
            events.append(live)
        return events

    def _snapshot(self) -> tuple[object, ...]:
        return (self.available, self.event)

    async def async_added_to_hass(self) -> None:
        """Follow the history too."""
        await super().async_added_to_hass()
        self._revision = self._history_revision()
        self.async_on_remove(
            self._history.async_add_listener(self._handle_history_update)
        )

    def _history_revision(self) -> int | None:
        record = self._history.printer(self.coordinator.serial)
        return None if record is None else record.revision

    @callback
    def _handle_history_update(self) -> None:
        revision = self._history_revision()
        if revision != self._revision:
            self._revision = revision
            # Dashboards showing the calendar fetch its events again.
            self.async_update_event_listeners()


_LIVE_STATUS = {
    JobState.PREPARE: "preparing",
    JobState.RUNNING: "printing",
    JobState.PAUSE: "paused",
}


def _duration(seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
