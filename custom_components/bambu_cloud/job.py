"""What the printer's current job is made of: its plate picture and filament.

When a job starts (or Home Assistant starts during one), its project file is
fetched once from the printer over FTPS and read: the plate picture
``Metadata/plate_<n>.png`` and ``Metadata/slice_info.config`` (weight,
length and the filament of each project colour). A job whose file is not on
the printer (or a printer without LAN access) falls back to its cloud task:
the cover picture and totals. Results are cached per job; fetching runs in
the background and never blocks the event loop.

What the details say, and which tray feeds which colour, is the library's
job model (``aiobambulab/job_details.py``); this module fetches them.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Final
import weakref

from aiohttp import ClientError, ClientTimeout
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aiobambulab.cloud_tasks import CloudTask
from .aiobambulab.depends import depends_on
from .aiobambulab.errors import CloudError, CommandRefused, ConnectError
from .aiobambulab.ftps import PrinterFiles
from .aiobambulab.ftps_transfer import FileTooLarge
from .aiobambulab.hosts import is_bambu_url
from .aiobambulab.job_details import (
    JobDetails,
    JobKey,
    JobSource,
    details_from_plate,
    details_from_task,
    image_type,
    job_key,
)
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .aiobambulab.listeners import add_listener
from .aiobambulab.projects import find_project
from .aiobambulab.state import PrinterState
from .aiobambulab.stored_projects import StoredProject
from .aiobambulab.threemf import (
    MAX_PROJECT_BYTES,
    InvalidProjectFile,
    PlateInfo,
    plate_members,
    read_plate,
)
from .const import DOMAIN, LOGGER
from .coordinator import CHANGED_AVAILABILITY, CHANGED_LOCAL_ACCESS

if TYPE_CHECKING:
    from .connection import LocalAccess
    from .coordinator import PrinterCoordinator

# What names the job (see ``job_key``).
JOB_PATHS: Final = depends_on(
    PrinterState.subtask_name,
    PrinterState.gcode_file,
    PrinterState.task_id,
    PrinterState.plate_index,
)
SETTLE_SECONDS: Final = 1.0  # a job start arrives over a few reports
RETRY_SECONDS: Final = (30.0, 120.0, 600.0)  # when the printer could not be reached
CACHED_JOBS: Final = 4
MAX_COVER_BYTES: Final = 8 * 1024 * 1024
COVER_TIMEOUT: Final = ClientTimeout(total=30)
TASK_PAGE: Final = 20  # the newest tasks; a running job is among them


class _Unreachable(Exception):
    """The printer's files could not be reached; worth another try later."""


# Each coordinator's tracker, once the entry's setup started it.
_STARTED: weakref.WeakKeyDictionary[PrinterCoordinator, JobTracker] = (
    weakref.WeakKeyDictionary()
)


@callback
def async_job_tracker(coordinator: PrinterCoordinator) -> JobTracker:
    """The job tracker the entry's setup started for ``coordinator``."""
    return _STARTED[coordinator]


class JobTrackers(Mapping[str, "JobTracker"]):
    """Each printer's job tracker, by serial, started with the entry.

    A printer's tracker starts when its coordinator joins the entry, not
    when a platform first asks; a coordinator that replaced the printer's
    one gets a tracker of its own.
    """

    def __init__(self) -> None:
        """Start with no printer."""
        self._trackers: dict[str, JobTracker] = {}

    def __getitem__(self, serial: str) -> JobTracker:
        """The tracker of a printer."""
        return self._trackers[serial]

    def __iter__(self) -> Iterator[str]:
        """The serials of the printers tracked."""
        return iter(self._trackers)

    def __len__(self) -> int:
        """How many printers are tracked."""
        return len(self._trackers)

    @callback
    def async_start(self, coordinator: PrinterCoordinator) -> None:
        """Start following a printer's jobs (stopping its former tracker)."""
        self.async_stop(coordinator.serial)
        tracker = self._trackers[coordinator.serial] = JobTracker(coordinator)
        _STARTED[coordinator] = tracker
        tracker.async_start()

    @callback
    def async_stop(self, serial: str) -> None:
        """Stop following a printer's jobs (it left the entry)."""
        if (tracker := self._trackers.pop(serial, None)) is not None:
            tracker.async_stop()

    @callback
    def async_stop_all(self) -> None:
        """Stop every tracker (the entry unloads)."""
        for serial in list(self._trackers):
            self.async_stop(serial)

    def details(self, serial: str) -> JobDetails | None:
        """What is known of a printer's current job's file."""
        tracker = self._trackers.get(serial)
        return None if tracker is None else tracker.details


class JobTracker:
    """The details of one printer's current job, fetched once per job."""

    def __init__(self, coordinator: PrinterCoordinator) -> None:
        """Follow ``coordinator``'s reports; nothing runs before ``async_start``."""
        self.coordinator = coordinator
        self.hass: HomeAssistant = coordinator.hass
        self.key: JobKey | None = None
        self.details: JobDetails | None = None
        self._cache: OrderedDict[JobKey, JobDetails] = OrderedDict()
        self._listeners: list[CALLBACK_TYPE] = []
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: CALLBACK_TYPE | None = None
        self._unsubscribe_jobs: CALLBACK_TYPE | None = None
        self._failing = False  # the last fetch could not reach the printer

    @callback
    def async_start(self) -> None:
        """Follow the printer's reports, starting with the job it has now."""
        self._unsubscribe = self.coordinator.async_add_listener(self._on_update)
        self._unsubscribe_jobs = self.coordinator.async_add_job_listener(
            self._on_transition
        )
        self._check_job()

    @callback
    def async_stop(self) -> None:
        """Stop following and fetching."""
        for unsubscribe in (self._unsubscribe, self._unsubscribe_jobs):
            if unsubscribe is not None:
                unsubscribe()
        self._unsubscribe = self._unsubscribe_jobs = None
        self._cancel()
        self._listeners.clear()

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``listener`` whenever ``details`` changes."""
        return add_listener(self._listeners, listener)

    @callback
    def _on_update(self) -> None:
        changed = self.coordinator.changed
        if CHANGED_LOCAL_ACCESS in changed and self.coordinator.local_access:
            self._read_from_the_printer()
        if JOB_PATHS & changed or CHANGED_AVAILABILITY in changed:
            self._check_job()

    @callback
    def _read_from_the_printer(self) -> None:
        """Found on the LAN (or elsewhere) since: read the job's own file there.

        Before, the job had no details, or only its cloud task's (no weight
        per filament, no plate picture from the file).
        """
        key = self.key
        if key is None:
            return
        if self.details is not None and self.details.source is JobSource.PRINTER:
            return
        # A fetch under way may have looked for the place already: anew.
        # What is known stays shown until the file is read.
        self._cancel()
        self._cache.pop(key, None)
        self._task = self.coordinator.config_entry.async_create_background_task(
            self.hass,
            self._fetch(key),
            f"{DOMAIN} job details {self.coordinator.serial}",
        )

    @callback
    def _on_transition(self, transition: JobTransition) -> None:
        """A job started: read its file, even when it is the last one again.

        The same file printed again is the same ``JobKey``: its details are
        kept, unless reading them failed last time (worth another try now).
        """
        if transition.kind is TransitionKind.STARTED:
            self._check_job(new_job=True)

    @callback
    def _check_job(self, *, new_job: bool = False) -> None:
        state = self.coordinator.data
        if not state.has_full_report:
            return
        key = job_key(state)
        if key == self.key and not (
            new_job
            and key is not None
            and self._task is None
            and self.details is not None
            and self.details.source is None
        ):
            return
        if key is not None and key == self.key:
            self._cache.pop(key, None)  # nothing was read: try again
        self.key = key
        self._cancel()
        self.details = None if key is None else self._cache.get(key)
        self._notify()
        if key is not None and self.details is None:
            self._task = self.coordinator.config_entry.async_create_background_task(
                self.hass,
                self._fetch(key),
                f"{DOMAIN} job details {self.coordinator.serial}",
            )

    @callback
    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @callback
    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    async def _fetch(self, key: JobKey) -> None:
        """Read the job's details, retrying while the printer is unreachable."""
        await asyncio.sleep(SETTLE_SECONDS)
        for delay in (*RETRY_SECONDS, None):
            try:
                details = await self._lookup(key)
            except _Unreachable as err:
                if not self._failing:
                    LOGGER.warning(
                        "Could not read the job file of %s: %s",
                        self.coordinator.printer_name,
                        err,
                    )
                    self._failing = True
                if delay is None:
                    details = JobDetails(key, None)
                else:
                    await asyncio.sleep(delay)
                    continue
            break
        self._task = None
        self._cache[key] = details
        while len(self._cache) > CACHED_JOBS:
            self._cache.popitem(last=False)
        if self.key == key:
            self.details = details
            self._notify()

    async def _lookup(self, key: JobKey) -> JobDetails:
        """The job's details from its file, else from its cloud task."""
        plate: PlateInfo | None = None
        unreachable: Exception | None = None
        access = self.coordinator.local_access
        if access is not None:
            try:
                plate = await self._read_project(access, key)
            except _Unreachable as err:
                unreachable = err
            else:
                if self._failing:
                    LOGGER.info(
                        "Reading the job files of %s works again",
                        self.coordinator.printer_name,
                    )
                    self._failing = False
        task = None
        if (plate is None or plate.cover_png is None) and key.task_id is not None:
            task = await self._cloud_task(key.task_id)
        if plate is None and task is None and unreachable is not None:
            raise unreachable
        cover: bytes | None = None
        cover_type = "image/png"
        if plate is not None and plate.cover_png is not None:
            cover = plate.cover_png
        elif task is not None and task.cover:
            cover, cover_type = await self._download_cover(task.cover)
        if plate is not None:
            return details_from_plate(key, plate, cover, cover_type)
        if task is not None:
            return details_from_task(key, task, cover, cover_type)
        return JobDetails(key, None)

    async def _read_project(self, access: LocalAccess, key: JobKey) -> PlateInfo | None:
        """Read the job's plate out of its .3mf; None when it is not on the printer.

        Only the members the plate's details need cross the network (by
        ranges), not the whole file.
        """
        files = PrinterFiles(
            access.host,
            access.access_code,
            port=access.ftp_port,
            ssl_context=access.ssl_context,
            max_download=MAX_PROJECT_BYTES,
            serial=self.coordinator.serial,
        )
        try:
            async with files:
                path = await find_project(files, key)
                if path is None:
                    LOGGER.debug("No project file for %s on the printer", key)
                    return None
                project = await StoredProject.open(
                    files, path, max_bytes=MAX_PROJECT_BYTES
                )
                data = await project.read(plate_members(key.plate))
        except ConnectError as err:
            raise _Unreachable(str(err)) from err
        except (CommandRefused, FileTooLarge, InvalidProjectFile) as err:
            LOGGER.debug("Cannot download the project file of %s: %s", key, err)
            return None
        try:
            return await self.hass.async_add_executor_job(read_plate, data, key.plate)
        except InvalidProjectFile as err:
            LOGGER.debug("Cannot read the project file of %s: %s", key, err)
            return None

    async def _cloud_task(self, task_id: str) -> CloudTask | None:
        """The job's cloud task, if the account has it among its newest."""
        cloud = self.coordinator.cloud
        if cloud is None:
            return None
        try:
            page = await cloud.get_tasks(self.coordinator.serial, limit=TASK_PAGE)
        except CloudError as err:
            LOGGER.debug("Cannot list the cloud tasks: %s", err)
            return None
        return next((task for task in page.tasks if task.id == task_id), None)

    async def _download_cover(self, url: str) -> tuple[bytes | None, str]:
        """The cover picture at ``url`` (a cloud CDN), within a size limit.

        Only from Bambu's hosts (or the configured API host), without
        following redirects: the URL comes from the cloud's answer, and must
        not make Home Assistant fetch from anywhere else (SSRF).
        """
        cloud = self.coordinator.cloud
        if not is_bambu_url(url, cloud.base_url if cloud is not None else None):
            LOGGER.debug("Not fetching a job cover from outside Bambu's hosts")
            return None, ""
        session = async_get_clientsession(self.hass)
        try:
            async with session.get(
                url, timeout=COVER_TIMEOUT, allow_redirects=False
            ) as response:
                response.raise_for_status()
                if response.status != HTTPStatus.OK:  # a redirect, or no content
                    LOGGER.debug("The job cover answered HTTP %s", response.status)
                    return None, ""
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > MAX_COVER_BYTES:
                        LOGGER.debug("The cover at the cloud is too large")
                        return None, ""
        except (ClientError, TimeoutError) as err:
            LOGGER.debug("Cannot download the job cover: %s", err)
            return None, ""
        content_type = image_type(bytes(data))
        if content_type is None:
            LOGGER.debug("The job cover is not a PNG or JPEG picture")
            return None, ""
        return bytes(data), content_type
