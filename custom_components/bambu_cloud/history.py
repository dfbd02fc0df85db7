"""Print history of each printer: the cloud's task list, or the jobs seen on the LAN.

A cloud entry pages through the account's task history (``my/tasks``) per
printer, newest first, until it reaches a task it already holds; the first
time it walks back to the oldest page, ``MAX_PAGES`` pages a minute. It
fetches again when a printer's job ends (and a few times more if the cloud
is slow to list the new task), and every few hours as a safety net: never on
a short timer. A printer's totals are known once its oldest page is in, so
they only grow. Jobs the cloud does not list (printed in LAN-only mode) are
not in a cloud entry's history.

A LAN entry has no cloud: it records each job it sees end while Home
Assistant runs. What a job did comes from the library's job transitions
(``bambu.lifecycle``), the same ones the print event fires: a finished job
is stored as finished; a failed, canceled or abandoned one (the printer
went idle without saying how it ended) as failed.

Both keep their history in Home Assistant's storage, so the calendar and the
statistics survive restarts without fetching everything again. At most
``MAX_JOBS`` jobs are kept per printer; older ones leave the calendar but stay
counted in the totals. A job is counted once, by its id, however often the
history is fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
import math
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_tasks import CloudTask
from .aiobambulab.errors import CloudError, RateLimited, TokenExpired
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .const import DOMAIN, LOGGER, EntryKind
from .coordinator import PrinterCoordinator, cloud_update_error

if TYPE_CHECKING:
    from .hub import BambuHub
    from .runtime import BambuConfigEntry

PAGE_SIZE: Final = 20  # the cloud's own default page size
MAX_PAGES: Final = 50  # per printer and fetch; older pages follow next time
MAX_JOBS: Final = 1000  # kept per printer; older jobs only count in the totals
SAFETY_INTERVAL: Final = timedelta(hours=6)
# The cloud may list a task a little after the printer reports its end.
FOLLOW_UP_DELAYS: Final = (30.0, 120.0, 600.0)  # seconds
RETRY_DELAY: Final = 300.0  # seconds after a failed fetch
CONTINUE_DELAY: Final = 60.0  # seconds before fetching more of a long history
DEFAULT_RETRY_AFTER: Final = 60.0  # seconds, for a 429 without Retry-After
STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10  # seconds
MIN_EVENT: Final = timedelta(minutes=1)  # the shortest span a job is shown with
# Bounds of what storage may hold: a job runs for less than a year, a sum
# stays exact in a float, and times leave room for a job's span.
MAX_JOB_SECONDS: Final = 365 * 24 * 3600
MAX_COUNT: Final = 2**53
_FIRST_YEAR: Final = 1970
_LAST_YEAR: Final = 9998


class JobOutcome(StrEnum):
    """How a job of the history ended."""

    FINISHED = "finished"
    FAILED = "failed"  # failed or canceled
    RUNNING = "running"  # the cloud lists it, not ended yet
    UNKNOWN = "unknown"


def storage_key(entry_id: str) -> str:
    """The storage key of a config entry's history."""
    return f"{DOMAIN}.history.{entry_id}"


# --- data ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Totals:
    """What a set of jobs adds up to, in whole units so sums are exact."""

    finished: int = 0
    failed: int = 0
    seconds: int = 0  # how long finished and failed jobs ran
    milligrams: int = 0  # filament of finished jobs
    millimetres: int = 0

    def __add__(self, other: Totals) -> Totals:
        """Add two totals."""
        return Totals(
            self.finished + other.finished,
            self.failed + other.failed,
            self.seconds + other.seconds,
            self.milligrams + other.milligrams,
            self.millimetres + other.millimetres,
        )

    def as_dict(self) -> dict[str, int]:
        """For storage."""
        return {
            "finished": self.finished,
            "failed": self.failed,
            "seconds": self.seconds,
            "milligrams": self.milligrams,
            "millimetres": self.millimetres,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Totals:
        """From storage; missing or odd values count as zero."""
        return cls(**{k: _count(data.get(k)) for k in cls().as_dict()})


@dataclass(frozen=True, slots=True)
class HistoryJob:
    """One print of a printer's history."""

    id: str
    title: str
    start: datetime  # aware
    end: datetime | None
    outcome: JobOutcome
    weight: float | None = None  # grams
    length: float | None = None  # metres
    seconds: int | None = None  # how long it ran
    plate: int | None = None
    cover: str | None = None  # URL of the plate picture

    @property
    def settled(self) -> bool:
        """Whether the job has ended for good."""
        return self.outcome in (JobOutcome.FINISHED, JobOutcome.FAILED)

    @property
    def shown_end(self) -> datetime:
        """Where the job ends on a calendar: never before it starts."""
        end = self.end
        if end is None and self.seconds:
            end = self.start + timedelta(seconds=self.seconds)
        if end is None or end - self.start < MIN_EVENT:
            return self.start + MIN_EVENT
        return end

    def totals(self) -> Totals:
        """What the job adds to the statistics: never less than nothing."""
        seconds = max(0, self.seconds or 0)
        if self.outcome is JobOutcome.FAILED:
            return Totals(failed=1, seconds=seconds)
        if self.outcome is not JobOutcome.FINISHED:
            return Totals()
        # Only finished jobs count filament: the cloud lists what a failed
        # job would have used, not what it did.
        return Totals(
            finished=1,
            seconds=seconds,
            milligrams=round((self.weight or 0) * 1000),
            millimetres=round((self.length or 0) * 1000),
        )

    @classmethod
    def from_task(cls, task: CloudTask) -> HistoryJob | None:
        """A job from a cloud task; None without an id or a start."""
        if task.id is None or task.start_time is None:
            return None
        outcome = JobOutcome(task.outcome.value)
        seconds = task.cost_time
        if task.end_time is not None and task.end_time > task.start_time:
            seconds = job_seconds(task.start_time, task.end_time)
        return cls(
            id=task.id,
            title=task.title or task.id,
            start=task.start_time,
            end=task.end_time if outcome is not JobOutcome.RUNNING else None,
            outcome=outcome,
            weight=task.weight,
            length=None if task.length is None else task.length / 1000,
            seconds=seconds if seconds is None or seconds >= 0 else None,
            plate=task.plate_index,
            cover=task.cover,
        )

    def as_dict(self) -> dict[str, Any]:
        """For storage."""
        return {
            "id": self.id,
            "title": self.title,
            "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "outcome": self.outcome.value,
            "weight": self.weight,
            "length": self.length,
            "seconds": self.seconds,
            "plate": self.plate,
            "cover": self.cover,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HistoryJob | None:
        """From storage; None for an entry that cannot be read.

        Every field is checked: the file is valid JSON, but a value in it
        may still be impossible (month 13, an offset of 25 hours, inf).
        """
        start = _time(data.get("start"))
        job_id = data.get("id")
        if start is None or not isinstance(job_id, str):
            return None
        try:
            outcome = JobOutcome(str(data.get("outcome")))
        except ValueError:
            outcome = JobOutcome.UNKNOWN
        title = data.get("title")
        cover = data.get("cover")
        return cls(
            id=job_id,
            title=title if isinstance(title, str) and title else job_id,
            start=start,
            end=_time(data.get("end")),
            outcome=outcome,
            weight=_number(data.get("weight")),
            length=_number(data.get("length")),
            seconds=min(_count(data.get("seconds")), MAX_JOB_SECONDS)
            if data.get("seconds") is not None
            else None,
            plate=_count(data.get("plate")) if data.get("plate") is not None else None,
            cover=cover if isinstance(cover, str) else None,
        )


@dataclass(slots=True)
class PrinterHistory:
    """The jobs of one printer, and what older, forgotten jobs added up to."""

    jobs: dict[str, HistoryJob] = field(default_factory=dict)
    archived: Totals = field(default_factory=Totals)
    archived_before: datetime | None = None  # jobs up to here are archived
    complete: bool = False  # cloud: the oldest page was reached
    cursor: str | None = None  # cloud: the oldest task fetched, to go on from
    gap: str | None = None  # cloud: new tasks older than this are not fetched yet
    revision: int = 0  # bumped on every change
    skipped: int = 0  # stored jobs that could not be read
    _totals: Totals | None = None

    def totals(self) -> Totals:
        """Everything this printer's history adds up to."""
        if self._totals is None:
            total = self.archived
            for job in self.jobs.values():
                total += job.totals()
            self._totals = total
        return self._totals

    def add(self, job: HistoryJob, *, older: bool = False) -> bool:
        """Add or update a job; return whether anything changed.

        A job not held but starting before ``archived_before`` was archived
        already, unless ``older`` says it comes from beyond the oldest page
        fetched so far.
        """
        known = self.jobs.get(job.id)
        if known == job:
            return False
        if (
            known is None
            and not older
            and self.archived_before is not None
            and job.start <= self.archived_before
        ):
            return False
        self.jobs[job.id] = job
        self._changed()
        return True

    def trim(self, limit: int) -> None:
        """Keep the newest ``limit`` jobs; the others go into the totals."""
        excess = len(self.jobs) - limit
        if excess <= 0:
            return
        for job in sorted(self.jobs.values(), key=lambda j: j.start)[:excess]:
            del self.jobs[job.id]
            self.archived += job.totals()
            if self.archived_before is None or job.start > self.archived_before:
                self.archived_before = job.start
        self._changed()

    def between(self, start: datetime, end: datetime) -> Iterator[HistoryJob]:
        """Ended jobs overlapping [start, end), oldest first."""
        for job in sorted(self.jobs.values(), key=lambda j: j.start):
            if job.outcome is JobOutcome.RUNNING:
                continue  # the live job stands for it
            if job.start < end and job.shown_end > start:
                yield job

    def _changed(self) -> None:
        self._totals = None
        self.revision += 1

    def as_dict(self) -> dict[str, Any]:
        """For storage."""
        return {
            "jobs": [job.as_dict() for job in self.jobs.values()],
            "archived": self.archived.as_dict(),
            "archived_before": None
            if self.archived_before is None
            else self.archived_before.isoformat(),
            "complete": self.complete,
            "cursor": self.cursor,
            "gap": self.gap,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrinterHistory:
        """From storage, skipping what cannot be read."""
        jobs = data.get("jobs")
        archived = data.get("archived")
        record = cls(
            archived=Totals.from_dict(archived if isinstance(archived, dict) else {}),
            archived_before=_time(data.get("archived_before")),
            complete=data.get("complete") is True,
            cursor=data.get("cursor") if isinstance(data.get("cursor"), str) else None,
            gap=data.get("gap") if isinstance(data.get("gap"), str) else None,
        )
        skipped = 0
        for raw in jobs if isinstance(jobs, list) else ():
            job = HistoryJob.from_dict(raw) if isinstance(raw, dict) else None
            if job is None:
                skipped += 1
            else:
                record.jobs[job.id] = job
        record.skipped = skipped
        return record


# --- the coordinator --------------------------------------------------------------


type _Marker = tuple[tuple[str, int, bool, str | None, str | None], ...]


@dataclass(slots=True)
class _Followed:
    """A printer whose job transitions the history records."""

    coordinator: PrinterCoordinator
    unsub: Callable[[], None]


class HistoryCoordinator(DataUpdateCoordinator[dict[str, PrinterHistory]]):
    """The print history of every printer of a config entry, by serial.

    Its failures (an expired token, throttling, an outage) never touch the
    printers' own entities: the history keeps its last good data.
    """

    config_entry: BambuConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: BambuConfigEntry, hub: BambuHub
    ) -> None:
        """Prepare; nothing is read or fetched before ``async_start``."""
        self._cloud_entry = hub.kind is EntryKind.CLOUD
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} history",
            update_interval=SAFETY_INTERVAL if self._cloud_entry else None,
        )
        self.data = {}
        self._hub = hub
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry.entry_id)
        )
        self._synced: set[str] = set()  # cloud: printers stored or fetched
        self._first_fetch_done = False
        self._fetch_all = True  # the first and the safety fetches ask for all
        self._pending: set[str] = set()  # cloud: printers to fetch next
        self._awaiting: dict[str, int] = {}  # serial -> follow-ups done
        self._follow_ups: dict[str, Callable[[], None]] = {}
        self._not_before: datetime | None = None  # throttled until then
        self._auth_failed = False
        self._followed: dict[str, _Followed] = {}
        self._unsubs: list[Callable[[], None]] = []
        self._dirty = False
        self._saved: _Marker = ()

    # --- life cycle ------------------------------------------------------------

    async def async_start(self) -> None:
        """Read the stored history, follow the printers, fetch in the background."""
        self.data = await self._async_load()
        self._synced.update(self.data)
        self._saved = self._marker()
        # A listener of our own, so the safety refresh runs without entities.
        self._unsubs.append(self.async_add_listener(self._save_later))
        self._unsubs.append(self._hub.async_add_printer_listener(self._follow))
        if self._cloud_entry:
            self.config_entry.async_create_background_task(
                self.hass, self._async_first_fetch(), f"{DOMAIN} history first fetch"
            )

    async def _async_load(self) -> dict[str, PrinterHistory]:
        """The stored history; what cannot be read is skipped and logged.

        Stored data never fails the setup: a cloud entry fetches it again, a
        LAN entry starts over for what was lost.
        """
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

    async def _async_first_fetch(self) -> None:
        await self.async_refresh()
        self._first_fetch_done = True

    async def async_stop(self) -> None:
        """Stop following and fetching; write what is not stored yet."""
        await self.async_shutdown()
        for unsub in [*self._unsubs, *self._follow_ups.values()]:
            unsub()
        for followed in self._followed.values():
            followed.unsub()
        self._unsubs.clear()
        self._follow_ups.clear()
        self._followed.clear()
        if self._dirty:
            self._dirty = False
            await self._store.async_save(self._as_stored())

    # --- what entities read ------------------------------------------------------

    def printer(self, serial: str) -> PrinterHistory | None:
        """The history of one printer, if any is known."""
        return self.data.get(serial)

    def job_start(self, serial: str) -> datetime | None:
        """When the printer's running job started, as seen; None if none runs."""
        coordinator = self._hub.printers.get(serial)
        job = None if coordinator is None else coordinator.jobs.current
        return None if job is None else job.started_at

    def totals(self, serial: str) -> Totals | None:
        """A printer's totals; None while its history is not known yet."""
        record = self.data.get(serial)
        if record is None:
            return None if self._cloud_entry else Totals()
        if self._cloud_entry and not record.complete:
            return None  # counted once the oldest page is in: they only grow
        return record.totals()

    # --- following the printers ----------------------------------------------------

    @callback
    def _follow(self, coordinator: PrinterCoordinator) -> None:
        """Record the job transitions of a printer (once per coordinator)."""
        serial = coordinator.serial
        known = self._followed.get(serial)
        if known is not None and known.coordinator is coordinator:
            return
        if known is not None:
            known.unsub()
        self._followed[serial] = _Followed(
            coordinator,
            coordinator.async_add_job_listener(
                lambda transition: self._on_transition(coordinator, transition)
            ),
        )
        if self._cloud_entry and self._first_fetch_done and serial not in self._synced:
            # A printer added to the account after the first fetch.
            self._request_sync(serial)

    @callback
    def _on_transition(
        self, coordinator: PrinterCoordinator, transition: JobTransition
    ) -> None:
        if not transition.kind.ends_job:
            return
        serial = coordinator.serial
        if self._cloud_entry:
            self._awaiting[serial] = 0
            self._request_sync(serial)
            return
        end = transition.at
        start = transition.started_at or end
        record = self.data.setdefault(serial, PrinterHistory())
        job_id = base = f"lan-{start.timestamp() * 1000:.0f}"
        while job_id in record.jobs:  # each job ends once: never the same one
            job_id = f"{base}-{len(record.jobs)}"
        # The job's file, read by its tracker while it ran, says what it used.
        tracker = self._hub.jobs.get(serial)
        details = None if tracker is None else tracker.details
        job = HistoryJob(
            id=job_id,
            title=transition.job_name or coordinator.printer_name,
            start=start,
            end=end,
            outcome=JobOutcome.FINISHED
            if transition.kind is TransitionKind.FINISHED
            else JobOutcome.FAILED,
            weight=None if details is None else details.weight_grams,
            length=None if details is None else details.length_meters,
            seconds=job_seconds(start, end),
        )
        record.add(job)
        record.trim(MAX_JOBS)
        self.async_set_updated_data(self.data)

    # --- fetching from the cloud ----------------------------------------------------

    @callback
    def _request_sync(self, serial: str) -> None:
        self._pending.add(serial)
        if self._auth_failed or self._throttled() > 0:
            return  # the retry already scheduled takes it along
        self.config_entry.async_create_background_task(
            self.hass, self._async_sync_pending(), f"{DOMAIN} history {serial}"
        )

    async def _async_sync_pending(self) -> None:
        # Refreshes run one at a time: an earlier one may take ours along,
        # and this one then has nothing left to fetch.
        await self.async_refresh()

    async def _handle_refresh_interval(self, _now: datetime | None = None) -> None:
        self._fetch_all = True
        await super()._handle_refresh_interval(_now)

    async def _async_update_data(self) -> dict[str, PrinterHistory]:
        cloud = self._hub.cloud
        if cloud is None:  # a LAN entry records, it does not fetch
            return self.data
        if (wait := self._throttled()) > 0:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=wait,
            )
        self._pending.intersection_update(self._hub.printers)
        # Every printer at first and as a safety net, else those whose job ended.
        serials = [
            s for s in self._hub.printers if self._fetch_all or s in self._pending
        ]
        try:
            for serial in serials:
                await self._sync(cloud, serial)
                self._pending.discard(serial)
                record = self.data[serial]
                if not record.complete or record.gap is not None:
                    self._later(serial, CONTINUE_DELAY, "more")
            self._fetch_all = False
        except TokenExpired as err:
            self._auth_failed = True
            raise cloud_update_error(err) from err
        except RateLimited as err:
            wait = DEFAULT_RETRY_AFTER if err.retry_after is None else err.retry_after
            self._not_before = dt_util.utcnow() + timedelta(seconds=wait)
            raise cloud_update_error(err, retry_after=wait) from err
        except CloudError as err:
            raise cloud_update_error(err, retry_after=RETRY_DELAY) from err
        return self.data

    def _throttled(self) -> float:
        """Seconds the cloud asked us to wait still; 0 or less when free."""
        if self._not_before is None:
            return 0.0
        return (self._not_before - dt_util.utcnow()).total_seconds()

    async def _sync(self, cloud: BambuCloud, serial: str) -> None:
        """Fetch one printer's new tasks, then older pages not fetched yet.

        Tasks come newest first. Fetching new ones stops at the first page
        holding a task that had already ended when last fetched: everything
        older is known. If the page budget runs out first, the next fetch
        goes on from there (``gap``). Pages merge as they arrive, so a
        failure keeps them.
        """
        record = self.data.get(serial) or PrinterHistory()
        settled = {job_id for job_id, job in record.jobs.items() if job.settled}
        budget = MAX_PAGES
        if record.jobs or record.complete:
            reached, last, used = await self._fetch_new(
                cloud, serial, record, settled, None, budget
            )
            budget -= used
            if not reached:
                record.gap = last
            elif record.gap is not None and budget:
                reached, last, used = await self._fetch_new(
                    cloud, serial, record, settled, record.gap, budget
                )
                budget -= used
                record.gap = None if reached else last
            if record.cursor is None and not record.complete:
                record.cursor = last
        while budget and not record.complete:
            budget -= 1
            tasks = await self._page(cloud, serial, record.cursor)
            self._merge(serial, record, tasks, older=True)
            if not tasks:
                record.complete = True
            else:
                record.cursor = tasks[-1].id
        record.trim(MAX_JOBS)
        self._synced.add(serial)
        self._follow_up(serial, record, settled)

    async def _fetch_new(
        self,
        cloud: BambuCloud,
        serial: str,
        record: PrinterHistory,
        settled: set[str],
        after: str | None,
        budget: int,
    ) -> tuple[bool, str | None, int]:
        """Fetch pages from ``after`` down to known tasks or the end.

        Returns whether it got there, the last task id fetched and the
        number of pages used.
        """
        used = 0
        while used < budget:
            used += 1
            tasks = await self._page(cloud, serial, after)
            self._merge(serial, record, tasks, older=False)
            if not tasks:
                if after is None:  # no task at all
                    record.complete = True
                return True, after, used
            after = tasks[-1].id
            if any(task.id in settled for task in tasks):
                return True, after, used
        return False, after, used

    async def _page(
        self, cloud: BambuCloud, serial: str, after: str | None
    ) -> list[CloudTask]:
        page = await cloud.get_tasks(device_id=serial, after=after, limit=PAGE_SIZE)
        # Tasks of other printers (a cloud ignoring the filter) or without
        # an id (no cursor to go on from) are not ours to keep.
        return [
            task
            for task in page.tasks
            if task.id is not None and task.device_id in (None, serial)
        ]

    def _merge(
        self,
        serial: str,
        record: PrinterHistory,
        tasks: Iterable[CloudTask],
        *,
        older: bool,
    ) -> None:
        self.data[serial] = record  # kept even if a later page fails
        for task in tasks:
            if (job := HistoryJob.from_task(task)) is not None:
                record.add(job, older=older)

    @callback
    def _follow_up(
        self, serial: str, record: PrinterHistory, settled: set[str]
    ) -> None:
        """After a job ended, look again later if the cloud does not list it yet."""
        attempt = self._awaiting.pop(serial, None)
        if attempt is None:
            return
        if any(
            job.settled and job_id not in settled for job_id, job in record.jobs.items()
        ):
            return
        if attempt >= len(FOLLOW_UP_DELAYS):
            LOGGER.debug("The cloud lists no new task for %s", serial)
            return
        self._awaiting[serial] = attempt + 1
        self._later(serial, FOLLOW_UP_DELAYS[attempt], "follow-up")

    @callback
    def _later(self, serial: str, delay: float, why: str) -> None:
        """Fetch a printer's history again after ``delay`` seconds."""

        @callback
        def again(_now: datetime) -> None:
            self._follow_ups.pop(serial, None)
            self._request_sync(serial)

        if (cancel := self._follow_ups.pop(serial, None)) is not None:
            cancel()
        self._follow_ups[serial] = async_call_later(
            self.hass,
            delay,
            HassJob(again, f"{DOMAIN} history {why}", cancel_on_shutdown=True),
        )

    # --- storage -----------------------------------------------------------------------

    @callback
    def _save_later(self) -> None:
        marker = self._marker()
        if marker == self._saved:
            return  # a fetch that brought nothing new
        self._saved = marker
        self._dirty = True
        self._store.async_delay_save(self._as_stored_clean, SAVE_DELAY)

    def _marker(self) -> _Marker:
        """What changes whenever something worth storing does."""
        return tuple(
            (serial, r.revision, r.complete, r.cursor, r.gap)
            for serial, r in self.data.items()
        )

    @callback
    def _as_stored_clean(self) -> dict[str, Any]:
        self._dirty = False
        return self._as_stored()

    def _as_stored(self) -> dict[str, Any]:
        return {
            "printers": {
                serial: record.as_dict() for serial, record in self.data.items()
            }
        }


async def async_remove_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed config entry's stored history."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, storage_key(entry_id)
    ).async_remove()


# --- helpers ---------------------------------------------------------------------


def job_seconds(start: datetime, end: datetime) -> int:
    """How long a job ran; never negative, even if the clock went back meanwhile."""
    return max(0, round((end - start).total_seconds()))


def _time(value: Any) -> datetime | None:
    """An aware time from storage; None for anything impossible or odd."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt_util.parse_datetime(value)
    except ValueError:  # a month 13, an offset of 25 hours...
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    if not _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
        return None  # a calendar span or a duration added to it would overflow
    return parsed


def _number(value: Any) -> float | None:
    """A stored amount (grams, metres); None unless finite and not negative."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _count(value: Any) -> int:
    """A stored count or sum; odd values count as zero, huge ones are capped."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return min(max(0, int(value)), MAX_COUNT)
