"""Buttons: pause, resume and stop the job, refresh the state, silence the buzzer.

Job buttons are available only in the job states where the printer accepts
them. Refresh asks for a full report (the printer answers with the report,
not a reply); the buzzer button exists on models with an alarm buzzer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.depends import depends_on
from .aiobambulab.job_views import JobState
from .aiobambulab.printer import Printer
from .aiobambulab.state import PrinterState
from .entity import (
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    described_entities,
)
from .queue_button import plate_cleared_buttons
from .runtime import BambuConfigEntry

# Commands wait for the printer's reply; one at a time per platform.
PARALLEL_UPDATES = 1

JOB_PATHS = depends_on(PrinterState.job_state)


@dataclass(frozen=True, kw_only=True)
class BambuButtonEntityDescription(BambuEntityDescription, ButtonEntityDescription):
    """A button: its command and when the printer takes it."""

    command_fn: Callable[[Printer], Awaitable[None]]
    available_fn: Callable[[PrinterState], bool] = lambda _state: True


def _in_job_states(*states: JobState) -> Callable[[PrinterState], bool]:
    return lambda state: state.job_state in states


BUTTONS: tuple[BambuButtonEntityDescription, ...] = (
    BambuButtonEntityDescription(
        key="pause",
        translation_key="pause",
        command_fn=Printer.pause,
        available_fn=_in_job_states(JobState.PREPARE, JobState.RUNNING),
        paths=JOB_PATHS,
    ),
    BambuButtonEntityDescription(
        key="resume",
        translation_key="resume",
        command_fn=Printer.resume,
        available_fn=_in_job_states(JobState.PAUSE),
        paths=JOB_PATHS,
    ),
    BambuButtonEntityDescription(
        key="stop",
        translation_key="stop",
        command_fn=Printer.stop_print,
        available_fn=_in_job_states(JobState.PREPARE, JobState.RUNNING, JobState.PAUSE),
        paths=JOB_PATHS,
    ),
    BambuButtonEntityDescription(
        key="refresh",
        translation_key="refresh",
        entity_category=EntityCategory.DIAGNOSTIC,
        # For troubleshooting: the printer reports on its own.
        entity_registry_enabled_default=False,
        # Answered with the full report, not a reply.
        command_fn=Printer.refresh,
    ),
    BambuButtonEntityDescription(
        key="silence_buzzer",
        translation_key="silence_buzzer",
        command_fn=Printer.stop_buzzer,
        exists_fn=lambda state: state.model.buzzer,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of each printer."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: [
            *described_entities(coordinator, BUTTONS, BambuButton),
            *plate_cleared_buttons(coordinator),
        ],
    )


class BambuButton(BambuEntity, ButtonEntity):
    """A printer button."""

    entity_description: BambuButtonEntityDescription

    @property
    def available(self) -> bool:
        """Available while the printer is and takes the command now."""
        return super().available and self.entity_description.available_fn(
            self.state_data
        )

    async def async_press(self) -> None:
        """Send the command."""
        await self.async_command(
            self.entity_description.command_fn(self.coordinator.printer)
        )
