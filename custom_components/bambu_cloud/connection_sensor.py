"""The diagnostic "connection" sensor of each printer: LAN, cloud or offline.

Account printers move between their own LAN link and the account's cloud
link by themselves; this sensor is where the switch shows. While the LAN
link is not up, its ``lan`` attribute says why (turned off, no access code,
no address yet, refused, out of reach...).

The sensor platform adds it with ``async_add_connection_sensors``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.markers import CHANGED_ONLINE
from .coordinator import CHANGED_AVAILABILITY, PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .runtime import BambuConfigEntry

PARALLEL_UPDATES = 0


class Connection(StrEnum):
    """Where the printer's reports come from now."""

    LAN = "lan"
    CLOUD = "cloud"
    OFFLINE = "offline"


def connection_of(coordinator: PrinterCoordinator) -> Connection:
    """The link that feeds the printer: its own LAN one first."""
    if coordinator.lan_up:
        return Connection.LAN
    printer = coordinator.printer
    if printer.cloud_up and printer.state.online is not False:
        return Connection.CLOUD
    return Connection.OFFLINE


def _attributes(coordinator: PrinterCoordinator) -> dict[str, Any]:
    return {"lan": coordinator.lan_state.value}


@dataclass(frozen=True, kw_only=True)
class BambuConnectionSensorEntityDescription(
    BambuEntityDescription, SensorEntityDescription
):
    """The connection sensor: read from the coordinator's links, not the report."""

    value_fn: Callable[[PrinterCoordinator], Connection]
    attributes_fn: Callable[[PrinterCoordinator], dict[str, Any]]


CONNECTION = BambuConnectionSensorEntityDescription(
    key="connection",
    translation_key="connection",
    device_class=SensorDeviceClass.ENUM,
    options=[connection.value for connection in Connection],
    entity_category=EntityCategory.DIAGNOSTIC,
    paths=frozenset({CHANGED_ONLINE, CHANGED_AVAILABILITY}),
    value_fn=connection_of,
    attributes_fn=_attributes,
)


@callback
def async_add_connection_sensors(
    entry: BambuConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the connection sensor of each printer (from the sensor platform)."""
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: [BambuConnectionSensor(coordinator, CONNECTION)],
    )


class BambuConnectionSensor(BambuEntity, SensorEntity):
    """Which link reaches the printer, and why not the LAN."""

    entity_description: BambuConnectionSensorEntityDescription

    @property
    def available(self) -> bool:
        """Always: "offline" is an answer too."""
        return True

    async def async_added_to_hass(self) -> None:
        """Also follow the links (a failure changes no report)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_link_listener(self._write_if_changed)
        )

    @property
    def native_value(self) -> str:
        """LAN, cloud or offline."""
        return self.entity_description.value_fn(self.coordinator).value

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How the LAN link stands (or why there is none)."""
        return self.entity_description.attributes_fn(self.coordinator)
