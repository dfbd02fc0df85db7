"""A printer's print history from the cloud's task list (``my/tasks``).

Tasks come newest first. Fetching new ones stops at the first page holding a
task that had already ended when last fetched: everything older is known.
The first time, the pages walk back to the oldest task, ``MAX_PAGES`` pages
per fetch; if the page budget runs out first, the next fetch goes on from
there (``cursor`` for the oldest, ``gap`` for new tasks not reached yet).
Pages merge as they arrive, so a failure keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_tasks import CloudTask
from .history_jobs import MAX_JOBS, HistoryJob, PrinterHistory

PAGE_SIZE: Final = 20  # the cloud's own default page size
MAX_PAGES: Final = 50  # per printer and fetch; older pages follow next time


@dataclass(slots=True)
class TaskImport:
    """Brings one printer's cloud tasks into its history.

    ``keep`` is called with the record as soon as a page merged into it, so
    what was fetched stays even if a later page fails.
    """

    cloud: BambuCloud
    serial: str
    keep: Callable[[PrinterHistory], None]

    async def run(self, record: PrinterHistory) -> None:
        """Fetch the printer's new tasks, then older pages not fetched yet."""
        settled = settled_ids(record)
        budget = MAX_PAGES
        if record.jobs or record.complete:
            reached, last, used = await self._fetch_new(record, settled, None, budget)
            budget -= used
            if not reached:
                record.gap = last
            elif record.gap is not None and budget:
                reached, last, used = await self._fetch_new(
                    record, settled, record.gap, budget
                )
                budget -= used
                record.gap = None if reached else last
            if record.cursor is None and not record.complete:
                record.cursor = last
        while budget and not record.complete:
            budget -= 1
            tasks = await self._page(record.cursor)
            self._merge(record, tasks, older=True)
            if not tasks:
                record.complete = True
            else:
                record.cursor = tasks[-1].id
        record.trim(MAX_JOBS)

    async def _fetch_new(
        self,
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
            tasks = await self._page(after)
            self._merge(record, tasks, older=False)
            if not tasks:
                if after is None:  # no task at all
                    record.complete = True
                return True, after, used
            after = tasks[-1].id
            if any(task.id in settled for task in tasks):
                return True, after, used
        return False, after, used

    async def _page(self, after: str | None) -> list[CloudTask]:
        page = await self.cloud.get_tasks(
            device_id=self.serial, after=after, limit=PAGE_SIZE
        )
        # Tasks of other printers (a cloud ignoring the filter) or without
        # an id (no cursor to go on from) are not ours to keep.
        return [
            task
            for task in page.tasks
            if task.id is not None and task.device_id in (None, self.serial)
        ]

    def _merge(
        self, record: PrinterHistory, tasks: Iterable[CloudTask], *, older: bool
    ) -> None:
        self.keep(record)
        for task in tasks:
            if (job := HistoryJob.from_task(task)) is not None:
                record.add(job, older=older)


def settled_ids(record: PrinterHistory) -> set[str]:
    """The jobs of a record that have ended for good."""
    return {job_id for job_id, job in record.jobs.items() if job.settled}
