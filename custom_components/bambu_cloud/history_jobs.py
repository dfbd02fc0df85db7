"""The print history's jobs: what each printer printed, and what it adds up to.

Plain data with its own storage form: every stored value is checked on the
way back in (the file is valid JSON, but a value in it may still be
impossible: month 13, an offset of 25 hours, inf).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
import math
from typing import Any, Final

from homeassistant.util import dt as dt_util

from .aiobambulab.cloud_tasks import CloudTask

MAX_JOBS: Final = 1000  # kept per printer; older jobs only count in the totals
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
    energy: float | None = None  # kWh, from the printer's plug meter
    cost: float | None = None  # energy and filament, in the user's currency

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
            "energy": self.energy,
            "cost": self.cost,
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
            energy=_number(data.get("energy")),
            cost=_number(data.get("cost")),
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
        if known is not None and job.energy is None and job.cost is None:
            # The cloud's task does not know what the plug measured: keep it.
            job = replace(job, energy=known.energy, cost=known.cost)
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
