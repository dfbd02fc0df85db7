"""The options form's fields for a printer's energy meter and prices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import probatio

from .job_costs import (
    CONF_ENERGY_ENTITY,
    CONF_ENERGY_PRICE,
    CONF_ENERGY_PRICE_ENTITY,
    CONF_FILAMENT_PRICES,
    COST_KEYS,
    CostSettings,
    format_filament_prices,
    parse_filament_prices,
)

COST_FIELDS: Final[dict[Any, Any]] = {
    probatio.Optional(CONF_ENERGY_ENTITY): EntitySelector(
        EntitySelectorConfig(domain="sensor", device_class=SensorDeviceClass.ENERGY)
    ),
    probatio.Optional(CONF_ENERGY_PRICE): NumberSelector(
        NumberSelectorConfig(min=0, step="any", mode=NumberSelectorMode.BOX)
    ),
    probatio.Optional(CONF_ENERGY_PRICE_ENTITY): EntitySelector(
        EntitySelectorConfig(domain=["sensor", "number", "input_number"])
    ),
    probatio.Optional(CONF_FILAMENT_PRICES): TextSelector(
        TextSelectorConfig(multiline=True)
    ),
}


def cost_suggestions(options: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values for a printer's stored settings."""
    settings = CostSettings.from_options(options)
    values: dict[str, Any] = {
        CONF_ENERGY_ENTITY: settings.energy_entity,
        CONF_ENERGY_PRICE: settings.energy_price,
        CONF_ENERGY_PRICE_ENTITY: settings.energy_price_entity,
        CONF_FILAMENT_PRICES: format_filament_prices(settings.filament_prices) or None,
    }
    return {k: v for k, v in values.items() if v is not None}


def cost_options(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """What to store from the form; raises ``InvalidPrices`` for bad prices."""
    stored: dict[str, Any] = {}
    if entity := user_input.get(CONF_ENERGY_ENTITY):
        stored[CONF_ENERGY_ENTITY] = entity
    if (price := user_input.get(CONF_ENERGY_PRICE)) is not None:
        stored[CONF_ENERGY_PRICE] = float(price)
    if entity := user_input.get(CONF_ENERGY_PRICE_ENTITY):
        stored[CONF_ENERGY_PRICE_ENTITY] = entity
    if prices := parse_filament_prices(user_input.get(CONF_FILAMENT_PRICES) or ""):
        stored[CONF_FILAMENT_PRICES] = prices
    return stored


def without_costs(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options without the cost settings (the form sets them anew)."""
    return {k: v for k, v in options.items() if k not in COST_KEYS}
