"""The job a printer runs: its state, progress, name, stage and errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import json
from pathlib import Path
from typing import Final

from .ams import TrayRef, tray_from_snow
from .hms import (
    HmsModule,
    HmsSeverity,
    format_hms_id,
    hms_id,
    hms_module,
    hms_severity,
    print_error_code,
)
from .report_view import ReportView
from .values import as_dict, as_int, as_list, as_str

_NO_TRAY: Final = 0xFFFF  # a colour of ``mapping`` that no tray feeds

_STAGES: dict[int, str] = {
    int(k): v
    for k, v in json.loads(
        (Path(__file__).parent / "data" / "stages.json").read_text(encoding="utf-8")
    )["stages"].items()
}
STAGE_KEYS: Final = tuple(sorted(set(_STAGES.values())))


class JobState(StrEnum):
    """``gcode_state``: what the printer is doing with a job."""

    IDLE = "idle"
    SLICING = "slicing"
    PREPARE = "prepare"
    RUNNING = "running"
    PAUSE = "pause"
    FINISH = "finish"
    FAILED = "failed"


ACTIVE_JOB_STATES: Final = frozenset(
    {JobState.PREPARE, JobState.RUNNING, JobState.PAUSE}
)


@dataclass(frozen=True, slots=True)
class HmsCode:
    """One active HMS (health management) message."""

    id: str  # 16 hex digits, the key of Bambu's texts and wiki
    attr: int
    code: int

    @property
    def formatted(self) -> str:
        """The id as Bambu shows it: XXXX_XXXX_XXXX_XXXX."""
        return format_hms_id(self.id)

    @property
    def severity(self) -> HmsSeverity:
        """Fatal, serious, common or info."""
        return hms_severity(self.code)

    @property
    def module(self) -> HmsModule:
        """The printer part the message is about."""
        return hms_module(self.attr)


@dataclass(frozen=True, slots=True)
class JobTimes:
    """When a job started and when it is expected to end (or ended).

    Decided by the job life cycle (``lifecycle``) alone; the state carries
    them so views read them with the rest.
    """

    started_at: datetime
    ends_at: datetime | None


class JobViews(ReportView):
    """What the printer reports about its job."""

    # Recorded by ``JobLifecycle.update``; None while no job is known.
    job_times: JobTimes | None

    @property
    def job_state(self) -> JobState | None:
        """What the printer does with a job."""
        value = as_str(self._report.get("gcode_state"))
        try:
            return JobState(value.lower()) if value else None
        except ValueError:
            return None

    @property
    def progress(self) -> int | None:
        """Job progress in percent."""
        return as_int(self._report.get("mc_percent"), 0, 100)

    @property
    def remaining_minutes(self) -> int | None:
        """Minutes the job still needs."""
        return as_int(self._report.get("mc_remaining_time"), 0, 60 * 24 * 90)

    @property
    def current_layer(self) -> int | None:
        """The layer being printed."""
        return as_int(self._report.get("layer_num"), 0, 1_000_000)

    @property
    def total_layers(self) -> int | None:
        """The job's layer count (None when the printer does not say)."""
        return as_int(self._report.get("total_layer_num"), 1, 1_000_000)

    @property
    def job_name(self) -> str | None:
        """The job name (subtask), else the G-code file name."""
        name = as_str(self._report.get("subtask_name"))
        if name:
            return name.strip() or None
        file = as_str(self._report.get("gcode_file"))
        return file.rsplit("/", 1)[-1] if file else None

    @property
    def subtask_name(self) -> str | None:
        """The job's own name (``subtask_name``), trimmed; None when empty."""
        return (as_str(self._report.get("subtask_name")) or "").strip() or None

    @property
    def gcode_file(self) -> str | None:
        """The G-code file the printer runs."""
        return as_str(self._report.get("gcode_file"))

    @property
    def plate_index(self) -> int | None:
        """The plate of the project the job prints (``plate_idx``), from 1."""
        return as_int(self._report.get("plate_idx"), 1, 255)

    @property
    def filament_mapping(self) -> list[TrayRef | None] | None:
        """The tray of each project colour; None when the firmware omits it.

        Newer firmware reports ``mapping``: per colour, the AMS id in the
        high byte and the slot in the low one (0xFFFF: none).
        """
        raw = self._report.get("mapping")
        if not isinstance(raw, list):
            return None
        trays: list[TrayRef | None] = []
        for value in raw:
            number = as_int(value, 0, _NO_TRAY)
            trays.append(None if number in (None, _NO_TRAY) else tray_from_snow(number))
        return trays

    @property
    def print_type(self) -> str | None:
        """Where the job came from: cloud, local, idle..."""
        return as_str(self._report.get("print_type"))

    @property
    def task_id(self) -> str | None:
        """The cloud task id of the job ("0" for none)."""
        value = self._report.get("task_id")
        text = str(value) if type(value) in (str, int) else None
        return text if text and text != "0" else None

    @property
    def stage_id(self) -> int | None:
        """The current stage id (``stg_cur``)."""
        return as_int(self._report.get("stg_cur"), -1, 255)

    @property
    def stage(self) -> str | None:
        """The current stage as a key of ``STAGE_KEYS``."""
        stage_id = self.stage_id
        if stage_id == 0 and self.job_state not in ACTIVE_JOB_STATES:
            # Firmware leaves 0 ("printing") in place between jobs.
            return _STAGES[-1]
        return None if stage_id is None else _STAGES.get(stage_id)

    @property
    def job_start_time(self) -> datetime | None:
        """When the job started, as the job life cycle saw it."""
        times = self.job_times
        return None if times is None else times.started_at

    @property
    def job_end_time(self) -> datetime | None:
        """When the job is expected to end (or ended)."""
        times = self.job_times
        return None if times is None else times.ends_at

    @property
    def print_error(self) -> int | None:
        """The raw ``print_error`` (0: none)."""
        value = as_int(self._report.get("print_error"), None, 0xFFFFFFFF)
        return None if value is None else max(value, 0)

    @property
    def print_error_code(self) -> str | None:
        """The print error as the 8-hex-digit key of Bambu's texts, or None."""
        value = self.print_error
        return print_error_code(value) if value else None

    @property
    def hms(self) -> list[HmsCode]:
        """Active HMS messages."""
        codes = []
        for item in as_list(self._report.get("hms")):
            attr = as_int(as_dict(item).get("attr"), 0, 0xFFFFFFFF)
            code = as_int(as_dict(item).get("code"), 0, 0xFFFFFFFF)
            if attr is not None and code is not None:
                codes.append(HmsCode(hms_id(attr, code), attr, code))
        return codes

    @property
    def skipped_objects(self) -> frozenset[int]:
        """The ids of the plate's objects the printer skips (``s_obj``)."""
        skipped = self._report.get("s_obj")
        if not isinstance(skipped, list):
            return frozenset()
        return frozenset(v for v in skipped if isinstance(v, int))
