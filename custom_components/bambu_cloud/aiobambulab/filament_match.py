"""Whether the filaments a project's plate needs are loaded where it will print from.

Each filament of the plate goes to one tray: the one the AMS mapping names,
or without a mapping the printer's own choice: filament n from tray n
(A1, A2, ... in order) when the AMS is used, else the external spool. A filament matches when its tray holds the same material type
(PLA, PETG-CF, ...; case and "Basic"/"Matte" style sub-brands do not count,
the printer's own check does not look at them either).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .ams import EXTERNAL_AMS_ID, Tray, TrayStatus, slot_label, tray_from_tray_now
from .threemf import PlateFilament

type TrayLookup = Callable[[int, int], Tray | None]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A filament of the plate whose tray does not hold it."""

    filament: int  # the project's filament number, 1-based
    wanted: str  # its type in the project
    slot: str  # the tray it would print from: A1, HT1, external
    loaded: str | None  # the type loaded there; None: empty or unknown

    def describe(self) -> str:
        """``2 PETG → A2: PLA``: the filament, its tray and what is there (— none).

        Without words, so a translated message can carry it.
        """
        return f"{self.filament} {self.wanted} → {self.slot}: {self.loaded or '—'}"


def mismatches(
    filaments: Sequence[PlateFilament],
    mapping: Sequence[int] | None,
    tray_at: TrayLookup,
    *,
    use_ams: bool,
) -> list[Mismatch]:
    """The plate's filaments that the trays they print from do not hold."""
    found: list[Mismatch] = []
    for filament in filaments:
        if filament.id is None:
            continue
        ams_id, slot = _tray_of(filament.id, mapping, use_ams=use_ams)
        if ams_id < 0:
            continue  # mapped to no tray: the mapping check says so
        tray = tray_at(ams_id, slot)
        loaded = _loaded(tray)
        if loaded is None or _material(loaded) != _material(filament.type):
            found.append(
                Mismatch(filament.id, filament.type, slot_label(ams_id, slot), loaded)
            )
    return found


def _tray_of(
    number: int, mapping: Sequence[int] | None, *, use_ams: bool
) -> tuple[int, int]:
    """(ams_id, slot) filament ``number`` prints from; (-1, -1) for none."""
    if mapping is not None:
        value = mapping[number - 1] if number <= len(mapping) else -1
    elif use_ams:
        value = number - 1
    else:
        return EXTERNAL_AMS_ID, 0
    ref = tray_from_tray_now(value)
    return (-1, -1) if ref is None else (ref.ams_id, ref.slot)


def _loaded(tray: Tray | None) -> str | None:
    if tray is None or tray.status is TrayStatus.EMPTY or not tray.type:
        return None
    return tray.type


def _material(kind: str) -> str:
    return kind.strip().upper()
