"""A LAN entry's print history: the jobs it sees end while Home Assistant runs.

What a job did comes from the library's job transitions
(``aiobambulab.lifecycle``), the same ones the print event fires: a finished
job is stored as finished; a failed, canceled or abandoned one (the printer
went idle without saying how it ended) as failed. What it used comes from
the job's file, read by its tracker while it ran.
"""

from __future__ import annotations

from .aiobambulab.job_details import JobDetails
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .history_jobs import MAX_JOBS, HistoryJob, JobOutcome, PrinterHistory, job_seconds
from .job_costs import JobCost


def record_ended_job(
    record: PrinterHistory,
    transition: JobTransition,
    *,
    printer_name: str,
    details: JobDetails | None,
    cost: JobCost | None = None,
) -> None:
    """Add the job a transition ended to a printer's history."""
    end = transition.at
    start = transition.started_at or end
    job_id = base = f"lan-{start.timestamp() * 1000:.0f}"
    while job_id in record.jobs:  # each job ends once: never the same one
        job_id = f"{base}-{len(record.jobs)}"
    record.add(
        HistoryJob(
            id=job_id,
            title=transition.job_name or printer_name,
            start=start,
            end=end,
            outcome=JobOutcome.FINISHED
            if transition.kind is TransitionKind.FINISHED
            else JobOutcome.FAILED,
            weight=None if details is None else details.weight_grams,
            length=None if details is None else details.length_meters,
            seconds=job_seconds(start, end),
            energy=None if cost is None else cost.energy,
            cost=None if cost is None else cost.cost,
        )
    )
    record.trim(MAX_JOBS)
