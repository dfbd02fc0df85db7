"""Fans: part cooling, auxiliary and chamber, as percentages.

A fan exists where the model has it and the printer reports its speed. The
printer reports legacy speeds in steps of 10 %, so that is the step offered;
the percentage shown is always the printer's report, never the value sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.fan import FanEntity, FanEntityDescription
from homeassistant.components.fan.const import FanEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab import Fan
from .aiobambulab.depends import View, depends_on
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

SPEED_COUNT = 10  # 10 % steps, what the printer reports on every model
FULL_SPEED = 100


@dataclass(frozen=True, kw_only=True)
class BambuFanEntityDescription(BambuEntityDescription, FanEntityDescription):
    """A fan: which one ``M106`` addresses and where its speed is reported."""

    fan: Fan
    percentage_fn: Callable[[PrinterState], int | None]


def _fan(
    key: str,
    fan: Fan,
    percentage_fn: Callable[[PrinterState], int | None],
    view: View,
    has_fn: Callable[[PrinterState], bool] = lambda _state: True,
) -> BambuFanEntityDescription:
    return BambuFanEntityDescription(
        key=key,
        translation_key=key,
        fan=fan,
        percentage_fn=percentage_fn,
        paths=depends_on(view),
        exists_fn=lambda state: has_fn(state) and percentage_fn(state) is not None,
    )


FANS: tuple[BambuFanEntityDescription, ...] = (
    _fan(
        "part_cooling_fan",
        Fan.PART_COOLING,
        lambda state: state.part_fan,
        PrinterState.part_fan,
    ),
    _fan(
        "aux_fan",
        Fan.AUX,
        lambda state: state.aux_fan,
        PrinterState.aux_fan,
        lambda state: state.has_aux_fan,
    ),
    _fan(
        "chamber_fan",
        Fan.CHAMBER,
        lambda state: state.chamber_fan,
        PrinterState.chamber_fan,
        lambda state: state.has_chamber_fan,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the fans each printer has."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: described_entities(coordinator, FANS, BambuFan),
    )


class BambuFan(BambuEntity, FanEntity):
    """A printer fan."""

    entity_description: BambuFanEntityDescription
    _attr_speed_count = SPEED_COUNT
    _attr_supported_features = (
        FanEntityFeature.SET_SPEED
        | FanEntityFeature.TURN_ON
        | FanEntityFeature.TURN_OFF
    )

    @property
    def percentage(self) -> int | None:
        """The speed the printer reports."""
        return self.entity_description.percentage_fn(self.state_data)

    def _snapshot(self) -> tuple[Any, ...]:
        # The percentage is a state attribute: a change must be written too.
        return (*super()._snapshot(), self.percentage)

    async def async_set_percentage(self, percentage: int) -> None:
        """Set the speed; 0 stops the fan."""
        await self.async_command(
            self.coordinator.printer.set_fan_speed(
                self.entity_description.fan, percentage
            )
        )

    async def async_turn_on(
        self,
        percentage: int | None = None,
        preset_mode: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Run the fan, at full speed unless told otherwise."""
        await self.async_set_percentage(
            FULL_SPEED if percentage is None else percentage
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop the fan."""
        await self.async_set_percentage(0)
