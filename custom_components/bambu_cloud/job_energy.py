"""The energy a job used, read from the meter of the plug the printer is on.

The meter is a ``total_increasing`` sensor: it only grows, except when it
resets (the plug lost power, its counter wrapped), and then it counts from
zero again. A job's energy is the sum of the meter's increases from the
job's start to its end; a drop counts as a reset, after which everything
the meter shows was used since.

While the meter is unavailable nothing is lost as long as it comes back
with a larger value: it went on counting. After a long stretch (longer than
``MAX_GAP``) a reset in between cannot be told from no use, so the job's
energy is unknown rather than a guess. A job that was already running when
Home Assistant first saw it has no start reading: unknown as well.

A restart of Home Assistant during a job keeps the run (it is stored): the
time Home Assistant was down is not a stretch of unavailability, the meter
was counting meanwhile.

An energy price turns each increase into money at the price of the moment
(a tariff may change during a long print); an increase without a price
makes the job's energy cost unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import Any, Final

MAX_GAP: Final = timedelta(minutes=15)
# Units a meter or a price may be in, as a factor to kWh.
_TO_KWH: Final = {"Wh": 0.001, "kWh": 1.0, "MWh": 1000.0}


def to_kwh(value: float, unit: str | None) -> float | None:
    """A meter reading in kWh; None in a unit that is not energy."""
    factor = _TO_KWH.get(unit or "")
    return None if factor is None else value * factor


def price_per_kwh(value: float, unit: str | None) -> float:
    """A price per kWh from one per Wh, kWh or MWh (per kWh when unsaid)."""
    _currency, _, per = (unit or "").rpartition("/")
    factor = _TO_KWH.get(per.strip())
    return value if factor is None else value / factor


@dataclass(slots=True)
class EnergyRun:
    """What the meter counted for one job so far."""

    job_key: str
    started_at: datetime
    task_id: str | None = None
    job_name: str | None = None
    kwh: float = 0.0
    cost: float | None = 0.0  # None once an increase had no price
    last: float | None = None  # the last reading, kWh
    unavailable_since: datetime | None = None
    unknown: bool = False  # the start or a long stretch was not seen

    @classmethod
    def start(
        cls,
        job_key: str,
        at: datetime,
        reading: float | None,
        *,
        task_id: str | None = None,
        job_name: str | None = None,
    ) -> EnergyRun:
        """A run from the meter's reading when the job started."""
        run = cls(job_key, at, task_id, job_name)
        if reading is None:
            run.unavailable_since = at
        run.last = reading
        return run

    def read(self, reading: float | None, at: datetime, price: float | None) -> None:
        """Take a new reading (None: the meter is unavailable)."""
        if reading is None:
            if self.unavailable_since is None:
                self.unavailable_since = at
            return
        if self.unavailable_since is not None:
            if at - self.unavailable_since > MAX_GAP:
                self.unknown = True
            self.unavailable_since = None
        last, self.last = self.last, reading
        if last is None:
            return  # nothing to count from yet
        used = reading - last
        if used < 0:
            used = reading  # the meter reset and counts from zero again
        if used == 0:
            return
        self.kwh += used
        if self.cost is not None:
            self.cost = None if price is None else self.cost + used * price

    def resumed(self) -> None:
        """Home Assistant started again: its downtime is no unavailability."""
        self.unavailable_since = None

    def same_job(self, task_id: str | None, job_name: str | None) -> bool:
        """Whether a job seen after a restart is the one this run counted."""
        if self.task_id is not None and task_id is not None:
            return self.task_id == task_id
        return self.job_name is not None and self.job_name == job_name

    @property
    def energy(self) -> float | None:
        """The energy used in kWh; None when unknown."""
        return None if self.unknown else round(self.kwh, 6)

    @property
    def energy_cost(self) -> float | None:
        """What the energy cost; None when unknown or without a price."""
        if self.unknown or self.cost is None:
            return None
        return round(self.cost, 6)

    def as_dict(self) -> dict[str, Any]:
        """For storage."""
        return {
            "job_key": self.job_key,
            "started_at": self.started_at.isoformat(),
            "task_id": self.task_id,
            "job_name": self.job_name,
            "kwh": self.kwh,
            "cost": self.cost,
            "last": self.last,
            "unknown": self.unknown,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EnergyRun | None:
        """From storage; None for what cannot be read."""
        key, started = data.get("job_key"), data.get("started_at")
        if not isinstance(key, str) or not isinstance(started, str):
            return None
        try:
            started_at = datetime.fromisoformat(started)
        except ValueError:
            return None
        if started_at.tzinfo is None:
            return None
        kwh = _amount(data.get("kwh"))
        return cls(
            job_key=key,
            started_at=started_at,
            task_id=_text(data.get("task_id")),
            job_name=_text(data.get("job_name")),
            kwh=0.0 if kwh is None else kwh,
            cost=_amount(data.get("cost")),
            last=_amount(data.get("last")),
            unknown=data.get("unknown") is True or kwh is None,
        )


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
