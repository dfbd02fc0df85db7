"""Health sensors: HMS errors and the print error, with Bambu's texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription

from .aiobambulab.depends import depends_on
from .aiobambulab.hms import HmsCatalog, format_error_code
from .aiobambulab.markers import CHANGED_VERSION
from .aiobambulab.state import PrinterState
from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription
from .sensor_base import STATE_NONE, Attributes, SensorValue, fit_state, when_reported


@dataclass(frozen=True, kw_only=True)
class BambuMessageSensorEntityDescription(
    BambuEntityDescription, SensorEntityDescription
):
    """A printer sensor whose value needs Bambu's texts."""

    value_fn: Callable[[PrinterState, HmsCatalog], SensorValue]
    attributes_fn: Callable[[PrinterState, HmsCatalog], Attributes]


def _hms_attributes(state: PrinterState, catalog: HmsCatalog) -> Attributes:
    model = state.model.key
    return {
        "errors": [
            {
                "code": code.formatted,
                "severity": code.severity.key,
                "module": code.module.value,
                "text": catalog.hms_text(code.id, model),
                "url": catalog.wiki_url(code.id, model),
            }
            for code in state.hms
        ]
    }


def _print_error(state: PrinterState, catalog: HmsCatalog) -> str | None:
    code = state.print_error_code
    if code is None:
        return None if state.print_error is None else STATE_NONE
    text = catalog.error_text(code, state.model.key)
    return fit_state(text) if text else format_error_code(code)


def _print_error_attributes(state: PrinterState, _catalog: HmsCatalog) -> Attributes:
    code = state.print_error_code
    return {"code": format_error_code(code) if code else None}


MESSAGE_SENSORS: tuple[BambuMessageSensorEntityDescription, ...] = (
    BambuMessageSensorEntityDescription(
        key="hms_errors",
        translation_key="hms_errors",
        value_fn=lambda state, _catalog: len(state.hms),
        attributes_fn=_hms_attributes,
        paths=depends_on(PrinterState.hms, CHANGED_VERSION),
        exists_fn=when_reported(PrinterState.hms),
    ),
    BambuMessageSensorEntityDescription(
        key="print_error",
        translation_key="print_error",
        value_fn=_print_error,
        attributes_fn=_print_error_attributes,
        paths=depends_on(PrinterState.print_error_code, CHANGED_VERSION),
        exists_fn=when_reported(PrinterState.print_error),
    ),
)


class BambuMessageSensor(BambuEntity, SensorEntity):
    """A health sensor of a printer, with Bambu's texts in the user's language."""

    entity_description: BambuMessageSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuMessageSensorEntityDescription,
        catalog: HmsCatalog,
    ) -> None:
        """Keep the catalog the texts come from."""
        super().__init__(coordinator, description)
        self._catalog = catalog

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the printer's state."""
        return self.entity_description.value_fn(self.state_data, self._catalog)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """The codes with their texts."""
        return self.entity_description.attributes_fn(self.state_data, self._catalog)
