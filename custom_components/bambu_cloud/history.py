"""Print history of each printer: the cloud's task list, or the jobs seen on the LAN.

A cloud entry pages through the account's task history per printer
(``history_cloud``). It fetches when a printer's job ends (and a few times
more if the cloud is slow to list the new task), and every few hours as a
safety net: never on a short timer. A printer's totals are known once its
oldest page is in, so they only grow. Jobs the cloud does not list (printed
in LAN-only mode) are not in a cloud entry's history.

A LAN entry has no cloud: it records each job it sees end while Home
Assistant runs (``history_recorder``).

Both keep their history in Home Assistant's storage (``history_store``). At
most ``MAX_JOBS`` jobs are kept per printer; older ones leave the calendar
but stay counted in the totals. A job is counted once, by its id, however
often the history is fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.errors import CloudError, RateLimited, TokenExpired
from .aiobambulab.job_details import JobDetails
from .aiobambulab.lifecycle import JobTransition
from .const import DOMAIN, LOGGER
from .coordinator import PrinterCoordinator, PrinterNews, cloud_update_error
from .history_cloud import TaskImport, settled_ids
from .history_jobs import PrinterHistory, Totals
from .history_recorder import record_ended_job
from .history_store import CostsDue, HistoryStore, keep_costs_due
from .job_costs import JobCost

SAFETY_INTERVAL: Final = timedelta(hours=6)
# The cloud may list a task a little after the printer reports its end.
FOLLOW_UP_DELAYS: Final = (30.0, 120.0, 600.0)  # seconds
RETRY_DELAY: Final = 300.0  # seconds after a failed fetch
CONTINUE_DELAY: Final = 60.0  # seconds before fetching more of a long history
DEFAULT_RETRY_AFTER: Final = 60.0  # seconds, for a 429 without Retry-After


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

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        cloud: BambuCloud | None,
        printers: Mapping[str, PrinterCoordinator],
        news: PrinterNews,
        job_details: Callable[[str], JobDetails | None],
        job_costs: Callable[[str, JobTransition], JobCost] | None = None,
    ) -> None:
        """Prepare; nothing is read or fetched before ``async_start``.

        ``cloud``: the account's client (None for a LAN entry, which records
        instead); ``printers`` and ``news``: the entry's printers, followed as
        they come; ``job_details``: what a printer's current job's file says.
        """
        self._cloud = cloud
        self._cloud_entry = cloud is not None
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} history",
            update_interval=SAFETY_INTERVAL if self._cloud_entry else None,
        )
        self.data = {}
        self._printers = printers
        self._news = news
        self._job_details = job_details
        self._job_costs = job_costs
        self._costs_due: CostsDue = {}  # cloud: stored until the task is listed
        self._store = HistoryStore(hass, entry.entry_id)
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

    # --- life cycle ------------------------------------------------------------

    async def async_start(self) -> None:
        """Read the stored history, follow the printers, fetch in the background."""
        stored = await self._store.async_load()
        self.data = stored.printers
        self._costs_due = stored.costs_due
        self._synced.update(self.data)
        # Figures kept across a restart: look for their tasks as after a job end.
        for serial, _task_id in self._costs_due:
            self._awaiting[serial] = 0
        # A listener of our own, so the safety refresh runs without entities.
        self._unsubs.append(self.async_add_listener(self._save_later))
        self._unsubs.append(self._news.async_add_printer_listener(self._follow))
        if self._cloud_entry:
            self.config_entry.async_create_background_task(
                self.hass, self._async_first_fetch(), f"{DOMAIN} history first fetch"
            )

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
        await self._store.async_flush(self.data, self._costs_due)

    @callback
    def _save_later(self) -> None:
        self._store.async_save_later(lambda: self.data, lambda: self._costs_due)

    # --- what entities read ------------------------------------------------------

    def printer(self, serial: str) -> PrinterHistory | None:
        """The history of one printer, if any is known."""
        return self.data.get(serial)

    def job_start(self, serial: str) -> datetime | None:
        """When the printer's running job started, as seen; None if none runs."""
        coordinator = self._printers.get(serial)
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
            if self._job_costs is not None and transition.task_id is not None:
                # Put on the cloud's task once it lists it (by the same id);
                # stored meanwhile, so a restart before then loses nothing.
                keep_costs_due(
                    self._costs_due,
                    (serial, transition.task_id),
                    self._job_costs(serial, transition),
                )
                self._save_later()
            self._awaiting[serial] = 0
            self._request_sync(serial)
            return
        record_ended_job(
            self.data.setdefault(serial, PrinterHistory()),
            transition,
            printer_name=coordinator.printer_name,
            details=self._job_details(serial),
            cost=None
            if self._job_costs is None
            else self._job_costs(serial, transition),
        )
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
        cloud = self._cloud
        if cloud is None:  # a LAN entry records, it does not fetch
            return self.data
        if (wait := self._throttled()) > 0:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=wait,
            )
        self._pending.intersection_update(self._printers)
        # Every printer at first and as a safety net, else those whose job ended.
        serials = [s for s in self._printers if self._fetch_all or s in self._pending]
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
        """Fetch one printer's new tasks, then older pages not fetched yet."""
        record = self.data.get(serial) or PrinterHistory()
        settled = settled_ids(record)

        def keep(kept: PrinterHistory) -> None:
            self.data[serial] = kept  # kept even if a later page fails

        await TaskImport(cloud, serial, keep).run(record)
        self._add_costs(serial)
        self._synced.add(serial)
        self._follow_up(serial, record, settled)

    @callback
    def _add_costs(self, serial: str) -> None:
        """Put each ended job's energy and cost on its task, once it is listed."""
        record = self.data.get(serial)
        if record is None:
            return
        for key in [k for k in self._costs_due if k[0] == serial]:
            job = record.jobs.get(key[1])
            if job is None or not job.settled:
                continue  # not listed (or not ended) yet: on a later fetch
            cost = self._costs_due.pop(key)
            record.add(replace(job, energy=cost.energy, cost=cost.cost))

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
