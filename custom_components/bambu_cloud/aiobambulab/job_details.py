"""What a print job is made of: its key, colours, filament use and picture.

A job's details come from its project file on the printer (the plate's
``slice_info.config`` and picture) or, failing that, from its cloud task
(totals, cover and ``amsDetailMapping``). Which tray feeds which project
colour comes from the printer's ``mapping`` (newer firmware), else from the
cloud task; for a single-colour job on firmware without either, the tray
printing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Any, Final

from .ams import TrayRef, tray_from_tray_now
from .cloud_tasks import CloudTask
from .job_views import JobState
from .plate_objects import PlateObjects
from .state import PrinterState
from .threemf import PlateInfo
from .values import as_float, as_int, as_str

_PLATE_GCODE: Final = re.compile(r"plate_(\d+)\.gcode$")
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


def job_key(state: PrinterState) -> JobKey | None:
    """The current job's key; None when the printer names no job."""
    name = state.subtask_name
    gcode_file = state.gcode_file or None
    task_id = state.task_id
    if name is None and gcode_file is None and task_id is None:
        return None
    match = _PLATE_GCODE.search(gcode_file or "")
    plate = int(match[1]) if match else state.plate_index
    return JobKey(name, gcode_file, task_id, plate or 1)


def tray_usage(
    details: JobDetails | None, state: PrinterState
) -> dict[tuple[int, int], float] | None:
    """Grams of filament the job needs from each slot ``(ams_id, slot)``.

    None when the details or the tray of a colour the job uses are unknown.
    """
    if details is None or not details.filaments:
        return None
    mapping = state.filament_mapping
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


def image_type(data: bytes) -> str | None:
    """The content type of a PNG or JPEG picture; None for anything else."""
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG):
        return "image/jpeg"
    return None


def details_from_plate(
    key: JobKey, plate: PlateInfo, cover: bytes | None, cover_type: str
) -> JobDetails:
    """A job's details from its project file's plate."""
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


def details_from_task(
    key: JobKey, task: CloudTask, cover: bytes | None, cover_type: str
) -> JobDetails:
    """A job's details from its cloud task."""
    return JobDetails(
        key,
        JobSource.CLOUD,
        weight_grams=task.weight,
        length_meters=None if task.length is None else task.length / 1000,
        filaments=task_filaments(task.ams_mapping),
        cover=cover,
        cover_type=cover_type,
    )


def task_filaments(mapping: Sequence[Mapping[str, Any]]) -> tuple[JobFilament, ...]:
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
