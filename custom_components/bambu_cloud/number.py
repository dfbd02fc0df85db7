"""Numbers: target temperatures of the nozzle(s), the bed and the chamber.

Limits are the model's (``PrinterModel``): Home Assistant checks them, and
the library's command builder checks them again (and whole degrees) so a
value the printer cannot take raises a translated validation error before
anything is sent. The value shown is the target the printer reports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.catalog import PrinterModel
from .aiobambulab.depends import depends_on
from .aiobambulab.nozzles import MAX_NOZZLES
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


NOZZLE_PATHS = depends_on(
    PrinterState.nozzle_target_temperature, PrinterState.nozzle_count
)
BED_PATHS = depends_on(PrinterState.bed_target_temperature)
CHAMBER_PATHS = depends_on(PrinterState.chamber_target_temperature)


@dataclass(frozen=True, kw_only=True)
class BambuTemperatureEntityDescription(
    BambuEntityDescription, NumberEntityDescription
):
    """A target temperature: where it is reported, its limit and its command."""

    value_fn: Callable[[PrinterState], float | None]
    max_fn: Callable[[PrinterModel], int]
    command_fn: Callable[[Printer, float], Awaitable[None]]


def _target(
    key: str,
    value_fn: Callable[[PrinterState], float | None],
    max_fn: Callable[[PrinterModel], int],
    command_fn: Callable[[Printer, float], Awaitable[None]],
    paths: frozenset[str],
    exists_fn: Callable[[PrinterState], bool],
    *,
    translation_key: str | None = None,
    nozzle: int | None = None,
) -> BambuTemperatureEntityDescription:
    return BambuTemperatureEntityDescription(
        key=key,
        translation_key=translation_key or key,
        translation_placeholders=None if nozzle is None else {"nozzle": str(nozzle)},
        device_class=NumberDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        native_min_value=0,
        native_step=1,
        mode=NumberMode.BOX,
        value_fn=value_fn,
        max_fn=max_fn,
        command_fn=command_fn,
        paths=paths,
        exists_fn=exists_fn,
    )


def _nozzle(index: int, *, numbered: bool) -> BambuTemperatureEntityDescription:
    """A nozzle's target; numbered (1, 2) on printers with several nozzles."""

    def value(state: PrinterState) -> float | None:
        return state.nozzle_target_temperature(index)

    def exists(state: PrinterState) -> bool:
        several = state.nozzle_count > 1
        return several == numbered and index < state.nozzle_count

    def command(printer: Printer, target: float) -> Awaitable[None]:
        return printer.set_nozzle_temperature(target, nozzle=index)

    key = "nozzle_target_temperature"
    if not numbered:
        return _target(
            key, value, lambda m: m.nozzle_max, command, NOZZLE_PATHS, exists
        )
    return _target(
        f"{key}_{index}",
        value,
        lambda m: m.nozzle_max,
        command,
        NOZZLE_PATHS,
        exists,
        translation_key=f"numbered_{key}",
        nozzle=index + 1,
    )


NUMBERS: tuple[BambuTemperatureEntityDescription, ...] = (
    _nozzle(0, numbered=False),
    *(_nozzle(index, numbered=True) for index in range(MAX_NOZZLES)),
    _target(
        "bed_target_temperature",
        lambda state: state.bed_target_temperature,
        lambda model: model.bed_max,
        Printer.set_bed_temperature,
        BED_PATHS,
        lambda state: state.bed_target_temperature is not None,
    ),
    _target(
        "chamber_target_temperature",
        lambda state: state.chamber_target_temperature,
        # Only created for models with a heater, where the limit is set.
        lambda model: model.chamber_heater_max or 0,
        Printer.set_chamber_temperature,
        CHAMBER_PATHS,
        lambda state: state.model.has_chamber_heater,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the target temperatures each printer has."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: described_entities(
            coordinator, NUMBERS, BambuTemperatureNumber
        ),
    )


class BambuTemperatureNumber(BambuEntity, NumberEntity):
    """A target temperature the printer heats to."""

    entity_description: BambuTemperatureEntityDescription

    @property
    def native_max_value(self) -> float:
        """The model's highest target."""
        return self.entity_description.max_fn(self.state_data.model)

    @property
    def native_value(self) -> float | None:
        """The target the printer reports."""
        return self.entity_description.value_fn(self.state_data)

    async def async_set_native_value(self, value: float) -> None:
        """Set the target; out of the model's range raises before sending."""
        await self.async_command(
            self.entity_description.command_fn(self.coordinator.printer, value)
        )
