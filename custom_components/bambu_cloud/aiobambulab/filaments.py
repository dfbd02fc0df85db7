"""Bambu filament profiles: ``tray_info_idx`` (e.g. GFA00) to name and type.

The table is small and read once at import (Home Assistant imports
integrations in an executor, so this is not I/O in the event loop).
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FilamentProfile:
    """One filament profile of Bambu Studio's library."""

    idx: str
    name: str
    vendor: str
    type: str
    nozzle_temp_min: int | None
    nozzle_temp_max: int | None


def _load() -> dict[str, FilamentProfile]:
    path = Path(__file__).parent / "data" / "filaments.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        idx: FilamentProfile(
            idx=idx,
            name=str(item.get("name") or idx),
            vendor=str(item.get("filament_vendor") or ""),
            type=str(item.get("filament_type") or ""),
            nozzle_temp_min=item.get("nozzle_temperature_range_low"),
            nozzle_temp_max=item.get("nozzle_temperature_range_high"),
        )
        for idx, item in raw.items()
    }


PROFILES: dict[str, FilamentProfile] = _load()


def profile(idx: str | None) -> FilamentProfile | None:
    """The profile for a ``tray_info_idx``, or None when unknown."""
    return PROFILES.get(idx) if idx else None
