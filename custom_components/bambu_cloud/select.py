"""Selects: the print speed profile, and the air duct mode where there is one.

The speed profile can change only while a job runs, so the select is
unavailable otherwise. The air duct modes offered are those the printer
lists, as Bambu Studio shows them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.depends import depends_on, reported
from .aiobambulab.job_views import ACTIVE_JOB_STATES
from .aiobambulab.motion_views import SpeedLevel
from .aiobambulab.printer import Printer
from .aiobambulab.state import PrinterState
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    described_entities,
)
from .runtime import BambuConfigEntry

# Commands wait for the printer's reply; one at a time per platform.
PARALLEL_UPDATES = 1

# Air duct mode ids (Bambu Studio's AIR_DUCT) and their option keys. Studio
# hides mode 2 (exhaust; on H2 printers the laser's), and so does this.
AIRDUCT_MODES: Final = {0: "cooling", 1: "heating", 3: "full_cooling"}
AIRDUCT_IDS: Final = {option: mode for mode, option in AIRDUCT_MODES.items()}


@dataclass(frozen=True, kw_only=True)
class BambuSelectEntityDescription(BambuEntityDescription, SelectEntityDescription):
    """A select: its options on this printer, the current one, the command."""

    options_fn: Callable[[PrinterState], list[str]]
    current_fn: Callable[[PrinterState], str | None]
    command_fn: Callable[[Printer, str], Awaitable[None]]
    available_fn: Callable[[PrinterState], bool] = lambda _state: True


def _speed(state: PrinterState) -> str | None:
    level = state.speed_level
    return None if level is None else level.name.lower()


def _airduct_options(state: PrinterState) -> list[str]:
    return [AIRDUCT_MODES[m] for m in state.airduct_modes if m in AIRDUCT_MODES]


def _airduct(state: PrinterState) -> str | None:
    mode = state.airduct_mode
    option = None if mode is None else AIRDUCT_MODES.get(mode)
    return option if option in _airduct_options(state) else None


SELECTS: tuple[BambuSelectEntityDescription, ...] = (
    BambuSelectEntityDescription(
        key="print_speed",
        translation_key="print_speed",
        options_fn=lambda _state: [level.name.lower() for level in SpeedLevel],
        current_fn=_speed,
        command_fn=lambda printer, option: printer.set_print_speed(
            SpeedLevel[option.upper()]
        ),
        available_fn=lambda state: state.job_state in ACTIVE_JOB_STATES,
        paths=depends_on(PrinterState.speed_level, PrinterState.job_state),
        exists_fn=lambda state: reported(state, PrinterState.speed_level),
    ),
    BambuSelectEntityDescription(
        key="airduct_mode",
        translation_key="airduct_mode",
        options_fn=_airduct_options,
        current_fn=_airduct,
        command_fn=lambda printer, option: printer.set_airduct_mode(
            AIRDUCT_IDS[option]
        ),
        paths=depends_on(PrinterState.airduct_mode, PrinterState.airduct_modes),
        exists_fn=lambda state: (
            state.airduct_mode is not None and bool(_airduct_options(state))
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects each printer has."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: described_entities(coordinator, SELECTS, BambuSelect),
    )


class BambuSelect(BambuEntity, SelectEntity):
    """A printer setting with a few choices."""

    entity_description: BambuSelectEntityDescription

    @property
    def available(self) -> bool:
        """Available while the printer is and the setting can change."""
        return super().available and self.entity_description.available_fn(
            self.state_data
        )

    @property
    def options(self) -> list[str]:
        """The choices this printer offers."""
        return self.entity_description.options_fn(self.state_data)

    def _snapshot(self) -> tuple[Any, ...]:
        # The options are an attribute: a firmware offering others is written.
        return (*super()._snapshot(), tuple(self.options))

    @property
    def current_option(self) -> str | None:
        """The choice the printer reports."""
        return self.entity_description.current_fn(self.state_data)

    async def async_select_option(self, option: str) -> None:
        """Ask the printer to switch."""
        await self.async_command(
            self.entity_description.command_fn(self.coordinator.printer, option)
        )
