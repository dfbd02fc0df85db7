"""The account's print history: tasks, pages of them, and how each ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from .cloud_values import text, timestamp
from .values import as_float, as_int


class TaskOutcome(StrEnum):
    """How a cloud task ended, as far as the cloud says."""

    FINISHED = "finished"
    FAILED = "failed"  # failed or canceled
    RUNNING = "running"  # not ended yet
    UNKNOWN = "unknown"


# The cloud's task status codes (also seen as words).
_TASK_STATUS: Final[dict[int | str, TaskOutcome]] = {
    1: TaskOutcome.RUNNING,
    2: TaskOutcome.FINISHED,
    3: TaskOutcome.FAILED,
    "running": TaskOutcome.RUNNING,
    "printing": TaskOutcome.RUNNING,
    "finish": TaskOutcome.FINISHED,
    "finished": TaskOutcome.FINISHED,
    "success": TaskOutcome.FINISHED,
    "fail": TaskOutcome.FAILED,
    "failed": TaskOutcome.FAILED,
    "cancel": TaskOutcome.FAILED,
    "canceled": TaskOutcome.FAILED,
    "cancelled": TaskOutcome.FAILED,
}


def task_outcome(status: int | str | None) -> TaskOutcome:
    """What a task's ``status`` (a code, or a word) says of how it ended."""
    if isinstance(status, str):
        status = status.strip().lower()
        status = int(status) if status.isdigit() else status
    if status is None:
        return TaskOutcome.UNKNOWN
    return _TASK_STATUS.get(status, TaskOutcome.UNKNOWN)


@dataclass(frozen=True, slots=True)
class CloudTask:
    """One print of the account's history."""

    id: str | None
    title: str | None
    cover: str | None  # URL of the plate picture
    status: int | str | None  # as the cloud says it (usually an int)
    weight: float | None  # grams
    length: float | None  # millimetres of filament
    cost_time: int | None  # seconds
    start_time: datetime | None
    end_time: datetime | None
    device_id: str | None
    plate_index: int | None
    ams_mapping: list[dict[str, Any]]
    bed_type: str | None
    mode: str | None
    raw: dict[str, Any] = field(repr=False)

    @property
    def outcome(self) -> TaskOutcome:
        """How the task ended, from its status."""
        return task_outcome(self.status)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CloudTask:
        """Read one ``hits[]`` entry, tolerating missing or odd fields."""
        status = raw.get("status")
        mapping = raw.get("amsDetailMapping")
        return cls(
            id=text(raw.get("id")),
            title=text(raw.get("title")) or text(raw.get("designTitle")),
            cover=text(raw.get("cover")),
            status=status
            if isinstance(status, str | int) and not isinstance(status, bool)
            else None,
            weight=as_float(raw.get("weight")),
            length=as_float(raw.get("length")),
            cost_time=as_int(raw.get("costTime")),
            start_time=timestamp(raw.get("startTime")),
            end_time=timestamp(raw.get("endTime")),
            device_id=text(raw.get("deviceId")),
            plate_index=as_int(raw.get("plateIndex")),
            ams_mapping=[m for m in mapping if isinstance(m, dict)]
            if isinstance(mapping, list)
            else [],
            bed_type=text(raw.get("bedType")),
            mode=text(raw.get("mode")),
            raw=dict(raw),
        )


@dataclass(frozen=True, slots=True)
class TaskPage:
    """One page of print history."""

    total: int
    tasks: list[CloudTask]
