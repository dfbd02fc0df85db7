"""What the printer's current job is made of: its plate picture and filament.

When a job starts (or Home Assistant starts during one), its project file is
fetched once from the printer over FTPS and read: the plate picture
``Metadata/plate_<n>.png`` and ``Metadata/slice_info.config`` (weight,
length and the filament of each project colour). A job whose file is not on
the printer (or a printer without LAN access) falls back to its cloud task:
the cover picture and totals. Results are cached per job; fetching runs in
the background and never blocks the event loop.

Which AMS tray feeds which project colour comes from the printer's
``mapping`` report field (newer firmware), else from the cloud task; for a
single-colour job on firmware without it, the tray printing it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
import re
from typing import TYPE_CHECKING, Any, Final

from aiohttp import ClientError, ClientTimeout
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .bambu.ams import TrayRef, tray_from_snow, tray_from_tray_now
from .bambu.cloud import CloudTask
from .bambu.errors import CloudError, CommandRefused, ConnectError
from .bambu.ftps import FileTooLarge, PrinterFiles, RemoteFile
from .bambu.hosts import is_bambu_url
from .bambu.lifecycle import JobTransition, TransitionKind
from .bambu.plate_objects import PlateObjects
from .bambu.state import JobState, PrinterState
from .bambu.threemf import InvalidProjectFile, PlateInfo, read_plate
from .bambu.values import as_float, as_int, as_str
from .const import DOMAIN, LOGGER
from .coordinator import CHANGED_AVAILABILITY

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator
    from .hub import LocalAccess

# Report keys that name the job, and the one that maps its colours to trays.
JOB_PATHS: Final = frozenset({"subtask_name", "gcode_file", "task_id", "plate_idx"})
MAPPING_PATH: Final = "mapping"
SETTLE_SECONDS: Final = 1.0  # a job start arrives over a few reports
RETRY_SECONDS: Final = (30.0, 120.0, 600.0)  # when the printer could not be reached
CACHED_JOBS: Final = 4
MAX_PROJECT_BYTES: Final = 100 * 1024 * 1024  # held in memory while read
MAX_COVER_BYTES: Final = 8 * 1024 * 1024
COVER_TIMEOUT: Final = ClientTimeout(total=30)
TASK_PAGE: Final = 20  # the newest tasks; a running job is among them
# Where printers keep project files: uploads at the root, cloud jobs in cache.
SEARCH_DIRECTORIES: Final = ("/", "/cache")
# Storage prefixes in project URLs and reported paths, mapped to the FTPS root.
_STORAGE_PREFIXES: Final = ("/sdcard", "/mnt/sdcard", "/usb", "/mnt/usb")
_PLATE_GCODE = re.compile(r"plate_(\d+)\.gcode$")
_NO_TRAY: Final = 0xFFFF
_PNG: Final = b"\x89PNG\r\n\x1a\n"
_JPEG: Final = b"\xff\xd8"


class JobSource(StrEnum):
    """Where a job's details came from."""

    PRINTER = "printer"  # the project file on the printer
    CLOUD = "cloud"  # the cloud task


@dataclass(frozen=True, slots=True)
class JobKey:
    """What tells two jobs apart, as the printer reports them."""

    name: str | None  # subtask_name
    gcode_file: str | None
    task_id: str | None
    plate: int


@dataclass(frozen=True, slots=True)
class JobFilament:
    """One colour of the job: its filament and how much the job needs."""

    index: int  # the project's filament number, from 1
    type: str
    color: str  # "#RRGGBB", or "" when unknown
    grams: float | None
    meters: float | None
    tray: TrayRef | None = None  # known from the cloud task


@dataclass(frozen=True, slots=True)
class JobDetails:
    """What a job's file (or cloud task) says; None where it says nothing."""

    key: JobKey
    source: JobSource | None
    weight_grams: float | None = None
    length_meters: float | None = None
    filaments: tuple[JobFilament, ...] = ()
    cover: bytes | None = None
    cover_type: str = "image/png"
    objects: PlateObjects | None = None  # from the project file only


class _Unreachable(Exception):
    """The printer's files could not be reached; worth another try later."""


def job_key(state: PrinterState) -> JobKey | None:
    """The current job's key; None when the printer names no job."""
    report = state.report
    name = (as_str(report.get("subtask_name")) or "").strip() or None
    gcode_file = as_str(report.get("gcode_file")) or None
    task_id = state.task_id
    if name is None and gcode_file is None and task_id is None:
        return None
    match = _PLATE_GCODE.search(gcode_file or "")
    plate = int(match[1]) if match else as_int(report.get("plate_idx"), 1, 255)
    return JobKey(name, gcode_file, task_id, plate or 1)


def report_mapping(state: PrinterState) -> list[TrayRef | None] | None:
    """The tray of each project colour, from the report; None if not reported.

    Newer firmware reports ``mapping``: per colour, the AMS id in the high
    byte and the slot in the low one (0xFFFF: none).
    """
    raw = state.report.get(MAPPING_PATH)
    if not isinstance(raw, list):
        return None
    trays: list[TrayRef | None] = []
    for value in raw:
        number = as_int(value, 0, _NO_TRAY)
        trays.append(None if number in (None, _NO_TRAY) else tray_from_snow(number))
    return trays


def tray_usage(
    details: JobDetails | None, state: PrinterState
) -> dict[tuple[int, int], float] | None:
    """Grams of filament the job needs from each slot ``(ams_id, slot)``.

    None when the details or the tray of a colour the job uses are unknown.
    """
    if details is None or not details.filaments:
        return None
    mapping = report_mapping(state)
    used = [f for f in details.filaments if f.grams is None or f.grams > 0]
    usage: dict[tuple[int, int], float] = {}
    for filament in used:
        tray = filament.tray
        if tray is None and mapping is not None:
            index = filament.index - 1
            tray = mapping[index] if 0 <= index < len(mapping) else None
        if tray is None and mapping is None and len(used) == 1:
            tray = _printing_tray(state)
        if tray is None or filament.grams is None:
            return None
        slot = (tray.ams_id, tray.slot)
        usage[slot] = usage.get(slot, 0.0) + filament.grams
    return usage


def _printing_tray(state: PrinterState) -> TrayRef | None:
    """The tray feeding the nozzle, once the job prints (not while preparing)."""
    if state.job_state not in (JobState.RUNNING, JobState.PAUSE):
        return None
    return state.active_tray


@callback
def async_job_tracker(coordinator: PrinterCoordinator) -> JobTracker:
    """The job tracker of a printer (the hub starts it with the entry).

    A coordinator that replaced the printer's one gets a tracker of its own.
    """
    trackers = coordinator.config_entry.runtime_data.jobs
    tracker = trackers.get(coordinator.serial)
    if tracker is not None and tracker.coordinator is coordinator:
        return tracker
    if tracker is not None:
        tracker.async_stop()
    tracker = trackers[coordinator.serial] = JobTracker(coordinator)
    tracker.async_start()
    return tracker


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
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    @callback
    def _on_update(self) -> None:
        changed = self.coordinator.changed
        if JOB_PATHS & changed or CHANGED_AVAILABILITY in changed:
            self._check_job()

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
        hub = self.coordinator.config_entry.runtime_data
        plate: PlateInfo | None = None
        unreachable: Exception | None = None
        access = hub.local_access(self.coordinator.serial)
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
            return _from_plate(key, plate, cover, cover_type)
        if task is not None:
            return _from_task(key, task, cover, cover_type)
        return JobDetails(key, None)

    async def _read_project(self, access: LocalAccess, key: JobKey) -> PlateInfo | None:
        """Download and read the job's .3mf; None when it is not on the printer."""
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
                path = await _find_project(files, key)
                if path is None:
                    LOGGER.debug("No project file for %s on the printer", key)
                    return None
                data = await files.download(path)
        except ConnectError as err:
            raise _Unreachable(str(err)) from err
        except (CommandRefused, FileTooLarge) as err:
            LOGGER.debug("Cannot download the project file of %s: %s", key, err)
            return None
        try:
            return await self.hass.async_add_executor_job(read_plate, data, key.plate)
        except InvalidProjectFile as err:
            LOGGER.debug("Cannot read the project file of %s: %s", key, err)
            return None

    async def _cloud_task(self, task_id: str) -> CloudTask | None:
        """The job's cloud task, if the account has it among its newest."""
        cloud = self.coordinator.config_entry.runtime_data.cloud
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
        cloud = self.coordinator.config_entry.runtime_data.cloud
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
        content_type = _image_type(bytes(data))
        if content_type is None:
            LOGGER.debug("The job cover is not a PNG or JPEG picture")
            return None, ""
        return bytes(data), content_type


async def _find_project(files: PrinterFiles, key: JobKey) -> str | None:
    """Where the job's project file is on the printer, if anywhere."""
    if key.gcode_file and key.gcode_file.lower().endswith(".3mf"):
        return storage_path(key.gcode_file)
    if key.name is None:
        return None
    found: list[tuple[str, RemoteFile]] = []
    for directory in SEARCH_DIRECTORIES:
        try:
            entries = await files.list(directory)
        except CommandRefused:
            continue  # no such directory on this printer
        found.extend(
            (directory, entry)
            for entry in entries
            if not entry.is_dir and project_name(entry.name) == key.name
        )
    if not found:
        return None
    # The newest, should an older print of the same name be there too.
    directory, entry = max(
        found, key=lambda item: (item[1].modified is not None, item[1].modified)
    )
    return f"{directory.rstrip('/')}/{entry.name}"


def project_name(file_name: str) -> str | None:
    """The job name a project file prints as: ``Cube.gcode.3mf`` -> ``Cube``."""
    if not file_name.lower().endswith(".3mf"):
        return None
    stem = file_name[: -len(".3mf")]
    if stem.lower().endswith(".gcode"):
        stem = stem[: -len(".gcode")]
    return stem or None


def storage_path(location: str) -> str:
    """A reported project location (URL or storage path) as an FTPS path."""
    path = location.split("://", 1)[-1]
    if not path.startswith("/"):
        path = "/" + path
    for prefix in _STORAGE_PREFIXES:
        if path.startswith(prefix + "/"):
            return path[len(prefix) :]
    return path


def _image_type(data: bytes) -> str | None:
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG):
        return "image/jpeg"
    return None


def _from_plate(
    key: JobKey, plate: PlateInfo, cover: bytes | None, cover_type: str
) -> JobDetails:
    filaments = tuple(
        JobFilament(
            index=filament.id or position,
            type=filament.type,
            color=filament.color,
            grams=filament.used_grams,
            meters=filament.used_meters,
        )
        for position, filament in enumerate(plate.filaments, start=1)
    )
    weight = plate.weight_grams
    if weight is None and filaments and all(f.grams is not None for f in filaments):
        weight = sum(f.grams or 0.0 for f in filaments)
    return JobDetails(
        key,
        JobSource.PRINTER,
        weight_grams=weight,
        length_meters=plate.length_meters,
        filaments=filaments,
        cover=cover,
        cover_type=cover_type,
        objects=plate.objects,
    )


def _from_task(
    key: JobKey, task: CloudTask, cover: bytes | None, cover_type: str
) -> JobDetails:
    return JobDetails(
        key,
        JobSource.CLOUD,
        weight_grams=task.weight,
        length_meters=None if task.length is None else task.length / 1000,
        filaments=_task_filaments(task.ams_mapping),
        cover=cover,
        cover_type=cover_type,
    )


def _task_filaments(mapping: Sequence[Mapping[str, Any]]) -> tuple[JobFilament, ...]:
    """The colours of a cloud task: ``amsDetailMapping``, one entry per colour."""
    return tuple(
        JobFilament(
            index=position,
            type=as_str(entry.get("filamentType")) or "",
            color=_color(entry.get("sourceColor")),
            grams=as_float(entry.get("weight"), low=0),
            meters=None,
            tray=tray_from_tray_now(as_int(entry.get("ams"))),
        )
        for position, entry in enumerate(mapping, start=1)
    )


def _color(value: Any) -> str:
    """``RRGGBBAA`` or ``#RRGGBB`` from the cloud as ``#RRGGBB``."""
    text = (as_str(value) or "").lstrip("#")
    if len(text) in (6, 8) and all(c in "0123456789abcdefABCDEF" for c in text):
        return f"#{text[:6].upper()}"
    return ""
