"""Websocket commands the dashboard cards read their printer's layout with.

The cards find a printer's own entities in ``hass.entities`` by platform and
translation key. Entities that exist once per AMS unit, tray or nozzle share
one translation key (the number is a placeholder the frontend does not see),
and the AMS humidity and temperature are named by their device class, so
``bambu_cloud/printer_layout`` says which entity is which slot. Entity ids
come from the entity registry by unique id: renamed ids keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import probatio

from .bambu.ams import EXTERNAL_AMS_ID, AmsUnit, slot_label
from .bambu.models import AmsKind
from .const import DOMAIN
from .entity import AMS_LABELS, ams_identifier

if TYPE_CHECKING:
    from . import BambuConfigEntry
    from .coordinator import PrinterCoordinator

TYPE_LAYOUT: Final = f"{DOMAIN}/printer_layout"
# Slots per unit, as the sensor platform creates tray entities.
_SLOTS: Final = {AmsKind.AMS_HT: 1}
_DEFAULT_SLOTS: Final = 4

type Json = dict[str, Any]


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the cards' commands (once per Home Assistant run)."""
    async_register_command(hass, websocket_printer_layout)


def _printer_of(hass: HomeAssistant, device_id: str) -> PrinterCoordinator | None:
    """The loaded printer a device id stands for; None for anything else."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    serials = {ident for domain, ident in device.identifiers if domain == DOMAIN}
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        printers = cast("BambuConfigEntry", entry).runtime_data.printers
        for serial in serials & printers.keys():
            return printers[serial]
    return None


class _Ids:
    """Entity ids of one printer's entities by unique id."""

    def __init__(self, hass: HomeAssistant, serial: str) -> None:
        self._registry = er.async_get(hass)
        self._serial = serial

    def get(self, domain: str, unique_suffix: str) -> str | None:
        return self._registry.async_get_entity_id(
            domain, DOMAIN, f"{self._serial}_{unique_suffix}"
        )


def printer_layout(hass: HomeAssistant, coordinator: PrinterCoordinator) -> Json:
    """The printer's nozzles, AMS units, trays and spools with their entity ids."""
    ids = _Ids(hass, coordinator.serial)
    registry = dr.async_get(hass)
    devices = {
        identifier: device.id
        for device in dr.async_entries_for_config_entry(
            registry, coordinator.config_entry.entry_id
        )
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }
    state = coordinator.data
    nozzles = [
        {
            "index": index,
            "temperature": ids.get("sensor", f"nozzle_temperature_{index}"),
            "target": ids.get("sensor", f"nozzle_target_temperature_{index}"),
        }
        for index in range(state.nozzle_count if state.nozzle_count > 1 else 0)
    ]
    units = [
        _unit_layout(
            ids, unit, devices.get(ams_identifier(coordinator.serial, unit.id))
        )
        for unit in sorted(coordinator.ams_units.values(), key=lambda u: u.id)
    ]
    spools = state.external_spools
    external = [
        {
            "slot": spool.slot,
            "label": slot_label(EXTERNAL_AMS_ID, spool.slot),
            "filament": ids.get("sensor", f"external_spool_{spool.slot}"),
            "remaining": ids.get("sensor", f"external_spool_remaining_{spool.slot}"),
        }
        for spool in spools
    ]
    return {
        "serial": coordinator.serial,
        "model": state.model.name,
        "nozzles": nozzles,
        "units": units,
        "external": external,
        "external_ams_id": EXTERNAL_AMS_ID,
    }


def _unit_layout(ids: _Ids, unit: AmsUnit, device_id: str | None) -> Json:
    """One AMS unit: its device, climate entities and trays."""
    return {
        "id": unit.id,
        "number": unit.number,
        "kind": unit.kind.value,
        "label": f"{AMS_LABELS[unit.kind]} {unit.number}",
        "device_id": device_id,
        "humidity": ids.get("sensor", f"ams_humidity_{unit.id}"),
        "humidity_index": ids.get("sensor", f"ams_humidity_index_{unit.id}"),
        "temperature": ids.get("sensor", f"ams_temperature_{unit.id}"),
        "drying": ids.get("binary_sensor", f"ams{unit.id}_drying"),
        "drying_remaining": ids.get("sensor", f"ams_drying_remaining_{unit.id}"),
        "trays": [
            {
                "slot": slot,
                "tray": slot + 1,
                "label": slot_label(unit.id, slot),
                "filament": ids.get("sensor", f"tray_{unit.id}_{slot}"),
                "remaining": ids.get("sensor", f"tray_remaining_{unit.id}_{slot}"),
            }
            for slot in range(_SLOTS.get(unit.kind, _DEFAULT_SLOTS))
        ],
    }


@websocket_command(
    {
        probatio.Required("type"): TYPE_LAYOUT,
        probatio.Required("device_id"): str,
    }
)
@callback
def websocket_printer_layout(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the layout of the printer ``device_id``."""
    coordinator = _printer_of(hass, msg["device_id"])
    if coordinator is None:
        connection.send_error(
            msg["id"],
            ERR_NOT_FOUND,
            "Not a printer of the Bambu Lab Cloud integration",
        )
        return
    connection.send_result(msg["id"], printer_layout(hass, coordinator))
