"""What a printer's jobs did, decided once from its reports.

``JobLifecycle.update`` follows one printer's ``PrinterState`` and returns
the ``JobTransition`` each report means. The history, the print event, the
job tracker and the statistics all read these transitions; nothing else
decides when a job started or how it ended.

The rules, after Bambu Studio (``MachineObject``): PREPARE, RUNNING and
PAUSE are a job in progress (``can_abort``); FINISH and FAILED are a job
that ended (``is_printing_finished``); IDLE and SLICING are no job.

- No job to PREPARE, RUNNING or PAUSE: **started** (and **paused** as well
  when it is PAUSE already). FINISH or FAILED to an active state is a new
  job too: printers go on without IDLE in between.
- PREPARE or RUNNING to PAUSE: **paused**; PAUSE to PREPARE or RUNNING:
  **resumed**. PREPARE to RUNNING is the same job going on.
- An active state to FINISH: **finished**.
- An active state to FAILED: **canceled** when ``print_error`` is 0 or one
  of the codes the firmware sets for a stop (``hms.is_cancel_code``), else
  **failed**.
- An active state to IDLE or SLICING, without FINISH or FAILED: the printer
  no longer has the job and did not say how it ended (firmware that clears a
  stopped job at once, a printer that lost power). It did not finish:
  **abandoned**. Consumers count it as a job that did not finish (the
  history stores it as failed) and announce it as such.
- A job in progress whose cloud task id or name changes to another one is
  a different job: **abandoned** for the old, **started** for the new (a
  lost report hid the end of the first).

The first full report only sets the starting point: a job already running
is adopted without **started** (nobody saw it start), and ends with a
transition like any other. A printer coming back after being offline or
unreachable is compared with the job it had: what changed meanwhile is
reported when its first report arrives (a job that finished while the link
was down is **finished**; one that is gone without a word is
**abandoned**). An unknown or missing ``gcode_state`` changes nothing.

Times: ``at`` is when the report showing the transition arrived; for
**abandoned** it is the last report that still showed the job, the best
known bound of its end. ``started_at`` is when the job was seen to start
(or first seen, when adopted).

The job's times shown while it runs are decided here too, and recorded in
the state's ``job_times`` (marking ``CHANGED_JOB_TIMES``): the start is the
job's ``started_at``; the end is estimated from ``mc_remaining_time`` when
it or the job state changes. A finished or failed job keeps its times, its
end no later than when it ended, until the printer has no job (IDLE or
SLICING); a job that is abandoned loses them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from .hms import is_cancel_code
from .job_views import ACTIVE_JOB_STATES, JobState, JobTimes
from .markers import CHANGED_JOB_TIMES, CHANGED_ONLINE
from .state import PrinterState

_ACTIVE: Final = ACTIVE_JOB_STATES
# Report fields a transition can follow from.
_JOB_FIELDS: Final = frozenset(
    {"gcode_state", "print_error", "task_id", "subtask_name", CHANGED_ONLINE}
)
# Report fields the end estimate follows.
_TIME_FIELDS: Final = frozenset({"gcode_state", "mc_remaining_time"})
_ENDED: Final = frozenset({JobState.FINISH, JobState.FAILED})


class TransitionKind(StrEnum):
    """What happened to a job."""

    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELED = "canceled"
    ABANDONED = "abandoned"

    @property
    def ends_job(self) -> bool:
        """Whether the job is over after this transition."""
        return self in _ENDING


_ENDING: Final = frozenset(
    {
        TransitionKind.FINISHED,
        TransitionKind.FAILED,
        TransitionKind.CANCELED,
        TransitionKind.ABANDONED,
    }
)


@dataclass(frozen=True, slots=True)
class JobTransition:
    """One step of a job's life, as its printer reported it."""

    kind: TransitionKind
    job_key: str  # the same for every transition of one job, unique per printer
    at: datetime
    started_at: datetime | None
    job_name: str | None = None
    task_id: str | None = None
    plate: int | None = None
    progress: int | None = None
    error_code: str | None = None  # 8 hex digits, when the job failed


@dataclass(frozen=True, slots=True)
class ActiveJob:
    """The job a printer has in progress."""

    key: str
    started_at: datetime
    job_name: str | None
    subtask: str | None  # the name the printer gave it (``subtask_name``)
    task_id: str | None
    plate: int | None
    paused: bool
    last_seen: datetime  # the last report that still showed it


class JobLifecycle:
    """Follows one printer's jobs from its state, report by report."""

    def __init__(self) -> None:
        """Start without a starting point: the first full report sets it."""
        self._baseline = False
        self._job: ActiveJob | None = None
        self._last_base: str | None = None  # the start instant of the last job
        self._same_instant = 0
        self._timed: str | None = None  # the key of the job the times are of

    @property
    def current(self) -> ActiveJob | None:
        """The job in progress, if any."""
        return self._job

    def update(
        self, state: PrinterState, changed: set[str], now: datetime
    ) -> list[JobTransition]:
        """The transitions the state's last change means (often none).

        Records the job's times in ``state.job_times``, and adds
        ``CHANGED_JOB_TIMES`` to ``changed`` when they moved.
        """
        transitions = self._transitions(state, changed, now)
        times = self._times(state, changed, now)
        if times != state.job_times:
            state.job_times = times
            changed.add(CHANGED_JOB_TIMES)
        return transitions

    def _transitions(
        self, state: PrinterState, changed: set[str], now: datetime
    ) -> list[JobTransition]:
        if not state.has_full_report:
            return []
        current = state.job_state
        if current is None:
            return []  # an unknown state says nothing about the job
        job = self._job
        if not self._baseline:
            self._baseline = True
            if current in _ACTIVE:
                self._job = self._new_job(state, now)
            return []
        if job is None:
            if current not in _ACTIVE:
                return []
            return self._start(state, now)
        if not (changed & _JOB_FIELDS) and current in _ACTIVE:
            self._job = replace(job, last_seen=now)
            return []
        if current in _ACTIVE and self._other_job(job, state):
            ended = self._end(job, TransitionKind.ABANDONED, state, now)
            return [ended, *self._start(state, now)]
        if current not in _ACTIVE:
            return [self._end(job, self._ending(current, state), state, now)]
        job = self._job = self._fill_in(job, state, now)
        if current is JobState.PAUSE and not job.paused:
            self._job = replace(job, paused=True)
            return [self._transition(TransitionKind.PAUSED, job, state, now)]
        if current is not JobState.PAUSE and job.paused:
            self._job = replace(job, paused=False)
            return [self._transition(TransitionKind.RESUMED, job, state, now)]
        return []

    def _times(
        self, state: PrinterState, changed: set[str], now: datetime
    ) -> JobTimes | None:
        """The times of the job in progress, or of the one that just ended."""
        known = state.job_times
        current = state.job_state
        if not self._baseline or current is None:
            return known
        job = self._job
        if job is not None:
            if job.key == self._timed and not changed & _TIME_FIELDS and known:
                return known
            self._timed = job.key
            return JobTimes(job.started_at, _end_estimate(state, now))
        if current in _ENDED and known is not None:
            ends = known.ends_at
            if ends is not None and changed & _TIME_FIELDS and now < ends:
                return replace(known, ends_at=now)  # it ended before the estimate
            return known
        self._timed = None
        return None

    # --- steps ---------------------------------------------------------------

    def _start(self, state: PrinterState, now: datetime) -> list[JobTransition]:
        job = self._job = self._new_job(state, now)
        started = self._transition(TransitionKind.STARTED, job, state, now)
        if not job.paused:
            return [started]
        return [started, self._transition(TransitionKind.PAUSED, job, state, now)]

    def _end(
        self, job: ActiveJob, kind: TransitionKind, state: PrinterState, at: datetime
    ) -> JobTransition:
        self._job = None
        if kind is TransitionKind.ABANDONED:
            # The report no longer describes the job: keep what was known,
            # and end it when it was last seen going on.
            return JobTransition(
                kind,
                job.key,
                job.last_seen,
                job.started_at,
                job.job_name,
                job.task_id,
                job.plate,
            )
        transition = self._transition(kind, self._fill_in(job, state, at), state, at)
        if kind is TransitionKind.FAILED:
            return replace(transition, error_code=state.print_error_code)
        return transition

    @staticmethod
    def _ending(current: JobState, state: PrinterState) -> TransitionKind:
        if current is JobState.FINISH:
            return TransitionKind.FINISHED
        if current is JobState.FAILED:
            if is_cancel_code(state.print_error_code):
                return TransitionKind.CANCELED
            return TransitionKind.FAILED
        return TransitionKind.ABANDONED

    def _new_job(self, state: PrinterState, now: datetime) -> ActiveJob:
        base = f"{round(now.timestamp() * 1000)}"
        if base == self._last_base:
            # Two jobs seen starting in the same instant stay apart.
            self._same_instant += 1
            key = f"{base}-{self._same_instant}"
        else:
            self._same_instant = 0
            key = base
        self._last_base = base
        return ActiveJob(
            key=key,
            started_at=now,
            job_name=state.job_name,
            subtask=_subtask(state),
            task_id=state.task_id,
            plate=_plate(state),
            paused=state.job_state is JobState.PAUSE,
            last_seen=now,
        )

    @staticmethod
    def _other_job(job: ActiveJob, state: PrinterState) -> bool:
        """Whether the printer names another job than the one in progress.

        A name or task id arriving a report after PREPARE fills in the
        job; only a known one changing to another is a different job.
        """
        task_id, name = state.task_id, _subtask(state)
        if job.task_id is not None and task_id is not None and task_id != job.task_id:
            return True
        return job.subtask is not None and name is not None and name != job.subtask

    @staticmethod
    def _fill_in(job: ActiveJob, state: PrinterState, now: datetime) -> ActiveJob:
        return replace(
            job,
            job_name=job.job_name if job.subtask else state.job_name or job.job_name,
            subtask=job.subtask or _subtask(state),
            task_id=job.task_id or state.task_id,
            plate=job.plate or _plate(state),
            last_seen=now,
        )

    @staticmethod
    def _transition(
        kind: TransitionKind, job: ActiveJob, state: PrinterState, at: datetime
    ) -> JobTransition:
        return JobTransition(
            kind,
            job.key,
            at,
            job.started_at,
            job.job_name,
            job.task_id,
            job.plate,
            state.progress,
        )


def _end_estimate(state: PrinterState, now: datetime) -> datetime | None:
    """When the job should end, from the minutes the printer says it needs."""
    remaining = state.remaining_minutes
    return None if remaining is None else now + timedelta(minutes=remaining)


def _subtask(state: PrinterState) -> str | None:
    """The job name as the printer sends it (``subtask_name``), if any."""
    value = state.report.get("subtask_name")
    return value.strip() or None if isinstance(value, str) else None


def _plate(state: PrinterState) -> int | None:
    value = state.report.get("plate_idx")
    return value if type(value) is int and 0 < value < 256 else None
