"""Whether the trays a job prints from hold the filament it still needs.

What a tray holds is its remaining percentage of the spool's weight, known
only for spools the printer tracks (a Bambu tag gives the weight) while its
remaining estimate is on (otherwise the tray's ``remaining`` is None and the
tray counts as unknown); what the
job still needs is its per-tray grams from the project file (or cloud task),
scaled by what is left of the print. Progress is by layer time, not by
filament, so the estimate is close, not exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .ams import Tray, TrayStatus, slot_label
from .job_details import JobDetails, tray_usage
from .job_views import ACTIVE_JOB_STATES
from .state import PrinterState

type TrayLookup = Callable[[int, int], Tray | None]


@dataclass(frozen=True, slots=True)
class TrayNeed:
    """What one tray must still give to the job, and what it holds."""

    label: str  # A1, HT1, external
    needed: float  # grams
    held: float | None  # grams on the spool; None when the printer does not know

    @property
    def shortfall(self) -> float | None:
        """Grams missing; 0 when enough, None when unknown."""
        if self.held is None:
            return None
        return max(0.0, self.needed - self.held)


@dataclass(frozen=True, slots=True)
class FilamentCheck:
    """The trays of a running job; ``known`` False when the job's use is not."""

    trays: tuple[TrayNeed, ...] = ()
    known: bool = True

    @property
    def short(self) -> bool | None:
        """True when a tray runs out, False when every tray holds enough."""
        if any(tray.shortfall for tray in self.trays):
            return True
        if not self.known or any(tray.held is None for tray in self.trays):
            return None
        return False

    @property
    def shortfall(self) -> dict[str, float]:
        """Grams missing per tray label, for the trays that run out."""
        return {
            tray.label: round(tray.shortfall, 1)
            for tray in self.trays
            if tray.shortfall
        }

    @property
    def unknown(self) -> list[str]:
        """Trays whose filament the printer does not know."""
        return [tray.label for tray in self.trays if tray.held is None]


NO_JOB = FilamentCheck()
UNKNOWN_USE = FilamentCheck(known=False)


def check_filament(
    details: JobDetails | None, state: PrinterState, trays: TrayLookup
) -> FilamentCheck:
    """Compare what the running job still needs with what its trays hold."""
    if state.job_state not in ACTIVE_JOB_STATES:
        return NO_JOB
    usage = tray_usage(details, state)
    if usage is None:
        return UNKNOWN_USE
    left = 1.0 - (state.progress or 0) / 100
    return FilamentCheck(
        tuple(
            TrayNeed(
                label=slot_label(ams_id, slot),
                needed=grams * left,
                held=_held(trays(ams_id, slot)),
            )
            for (ams_id, slot), grams in sorted(usage.items())
            if grams > 0
        )
    )


def _held(tray: Tray | None) -> float | None:
    """Grams on the spool, where the printer tracks it; an empty slot has none."""
    if tray is not None and tray.status is TrayStatus.EMPTY:
        return 0.0
    if tray is None or tray.remaining is None or tray.spool_weight is None:
        return None
    return tray.remaining / 100 * tray.spool_weight
