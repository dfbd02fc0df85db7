"""What a job cost: its energy, the filament it used, and the settings for both.

Each printer's settings live in the entry's options: the meter of the plug
it is on (a ``total_increasing`` energy sensor), an energy price (fixed, or
an entity such as the energy dashboard's price sensor) and a price per kg
for each filament type. Nothing is set by default, and a figure whose price
is missing is unknown, never 0: a cost of 0 would be a claim.

Filament cost is the job's grams per tray (from its file) times the price
of the tray's filament type. A job that did not finish used part of it: the
share its progress says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import math
import re
from typing import Any, Final

CONF_ENERGY_ENTITY: Final = "energy_entity"
CONF_ENERGY_PRICE: Final = "energy_price"
CONF_ENERGY_PRICE_ENTITY: Final = "energy_price_entity"
CONF_FILAMENT_PRICES: Final = "filament_prices"
COST_KEYS: Final = (
    CONF_ENERGY_ENTITY,
    CONF_ENERGY_PRICE,
    CONF_ENERGY_PRICE_ENTITY,
    CONF_FILAMENT_PRICES,
)
_PRICE_ITEM: Final = re.compile(r"^\s*([^=:]+?)\s*[=:]\s*([0-9]+(?:[.,][0-9]+)?)\s*$")


class InvalidPrices(ValueError):
    """The filament prices are not ``TYPE = price`` pairs."""


@dataclass(frozen=True, slots=True)
class CostSettings:
    """How one printer's jobs are priced."""

    energy_entity: str | None = None
    energy_price: float | None = None  # per kWh
    energy_price_entity: str | None = None
    filament_prices: Mapping[str, float] = field(default_factory=dict)  # per kg

    @property
    def any_set(self) -> bool:
        """Whether the printer's jobs are metered or priced at all."""
        return self.energy_entity is not None or bool(self.filament_prices)

    @property
    def priced_energy(self) -> bool:
        """Whether the energy has a price to turn into money."""
        return self.energy_price is not None or self.energy_price_entity is not None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> CostSettings:
        """From a printer's stored options; what is odd counts as unset."""
        entity = options.get(CONF_ENERGY_ENTITY)
        price_entity = options.get(CONF_ENERGY_PRICE_ENTITY)
        price = options.get(CONF_ENERGY_PRICE)
        prices = options.get(CONF_FILAMENT_PRICES)
        return cls(
            energy_entity=entity if isinstance(entity, str) and entity else None,
            energy_price=float(price)
            if isinstance(price, int | float) and math.isfinite(price) and price >= 0
            else None,
            energy_price_entity=price_entity
            if isinstance(price_entity, str) and price_entity
            else None,
            filament_prices=_stored_prices(prices),
        )


def parse_filament_prices(text: str) -> dict[str, float]:
    """``PLA = 20, PETG = 24.5`` (per kg) as a mapping by type.

    Items are separated by commas, semicolons or new lines; the type's case
    does not matter. Raises ``InvalidPrices`` for anything else.
    """
    prices: dict[str, float] = {}
    for item in re.split(r"[;\n]|,(?!\d)", text):
        if not item.strip():
            continue
        match = _PRICE_ITEM.match(item)
        if match is None:
            raise InvalidPrices(item.strip())
        prices[match[1].upper()] = float(match[2].replace(",", "."))
    return prices


def format_filament_prices(prices: Mapping[str, float]) -> str:
    """The form's text for stored prices."""
    return ", ".join(f"{kind} = {price:g}" for kind, price in prices.items())


def _stored_prices(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        return {}
    return {
        str(kind).upper(): float(price)
        for kind, price in value.items()
        if isinstance(price, int | float)
        and not isinstance(price, bool)
        and math.isfinite(price)
        and price >= 0
    }


def filament_cost(
    used: Iterable[tuple[str, float | None]],
    prices: Mapping[str, float],
    share: float | None,
) -> float | None:
    """What the filament of a job cost; None when a price or amount is missing.

    ``used``: (filament type, grams) per colour; ``share``: the part of the
    job that printed (1 for a finished job).
    """
    if not prices or share is None:
        return None
    total = 0.0
    for kind, grams in used:
        if grams is None:
            return None
        if grams <= 0:
            continue
        price = prices.get(kind.upper())
        if price is None:
            return None
        total += grams / 1000 * price
    return round(total * max(0.0, min(1.0, share)), 6)


@dataclass(frozen=True, slots=True)
class JobCost:
    """What one job used and cost; None where unknown or not set up."""

    energy: float | None = None  # kWh
    energy_cost: float | None = None
    filament_cost: float | None = None
    cost: float | None = None  # energy and filament together

    @classmethod
    def combine(
        cls,
        settings: CostSettings,
        energy: float | None,
        energy_cost: float | None,
        filament: float | None,
    ) -> JobCost:
        """The job's figures; its cost is unknown if a part set up is."""
        parts: list[float | None] = []
        if settings.energy_entity is not None and settings.priced_energy:
            parts.append(energy_cost)
        if settings.filament_prices:
            parts.append(filament)
        cost = (
            None
            if not parts or any(p is None for p in parts)
            else round(sum(p for p in parts if p is not None), 6)
        )
        return cls(energy, energy_cost, filament, cost)

    def as_dict(self) -> dict[str, float | None]:
        """For storage and event data."""
        return {
            "energy": self.energy,
            "energy_cost": self.energy_cost,
            "filament_cost": self.filament_cost,
            "cost": self.cost,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobCost:
        """From storage; odd values are unknown."""
        return cls(*(_amount(data.get(k)) for k in cls().as_dict()))


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None
