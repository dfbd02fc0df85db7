"""The Bambu Lab Cloud integration: every printer of a Bambu account."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .const import ACCOUNT_PREFIX, AMS_SEPARATOR, DOMAIN
from .frontend import (
    async_add_card_resource,
    async_remove_card_resource,
    async_setup_frontend,
)
from .history import async_remove_history
from .hub import BambuHub
from .runtime import BambuConfigEntry, BambuRuntimeData
from .services import async_setup_services
from .websocket_api import async_setup_websocket

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.FAN,
    Platform.IMAGE,
    Platform.LIGHT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.UPDATE,
]

__all__ = ["BambuConfigEntry", "BambuRuntimeData"]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once; config entries arrive through the UI."""
    async_setup_services(hass)
    async_setup_websocket(hass)  # the dashboard cards' commands
    await async_setup_frontend(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Connect to the account or LAN printer and create its entities."""
    hub = BambuHub(hass, entry)
    try:
        await hub.async_setup()
    except BaseException:
        await hub.async_shutdown()
        raise
    entry.runtime_data = BambuRuntimeData(
        hub=hub,
        account=hub.account,
        printer=hub.printer,
        printers=hub.printers,
        device_list=hub.device_list,
        history=hub.history,
        jobs=hub.jobs,
        notifications=hub.notifications,
        catalog=hub.catalog,
    )
    _remove_devices_of_dropped_printers(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_add_card_resource(hass)
    return True


def _remove_devices_of_dropped_printers(
    hass: HomeAssistant, entry: BambuConfigEntry
) -> None:
    """Remove the devices of printers the entry no longer has.

    Printers the user stopped keeping, or that left the account while Home
    Assistant was stopped, take their AMS units along.
    """
    registry = dr.async_get(hass)
    printers = entry.runtime_data.printers
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        serials = [_serial_of(identifier) for identifier in _identifiers(device)]
        if serials and not any(s is None or s in printers for s in serials):
            registry.async_remove_device(device.id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: BambuConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device the entry no longer has: a detached AMS."""
    printers = entry.runtime_data.printers
    for identifier in _identifiers(device):
        serial = _serial_of(identifier)
        if serial is None:
            return False  # the account's device lives as long as the entry
        coordinator = printers.get(serial)
        if coordinator is None:
            continue  # a printer the entry no longer has
        unit = identifier.partition(AMS_SEPARATOR)[2]
        if not unit.isdigit() or coordinator.ams_unit(int(unit)) is not None:
            return False  # the printer itself, or an AMS unit it still reports
    return True


def _identifiers(device: dr.DeviceEntry) -> list[str]:
    return [ident for domain, ident in device.identifiers if domain == DOMAIN]


def _serial_of(identifier: str) -> str | None:
    """The printer a device identifier belongs to; None for the account."""
    if identifier.startswith(ACCOUNT_PREFIX):
        return None
    return identifier.partition(AMS_SEPARATOR)[0]


async def async_unload_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Disconnect and remove the entities."""
    hub = entry.runtime_data.hub
    # A report arriving while the platforms unload must not add entities back.
    hub.async_stop_adding()
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await hub.async_shutdown()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> None:
    """Delete the stored print history and the repair issues of a removed entry."""
    await async_remove_history(hass, entry.entry_id)
    if not hass.config_entries.async_entries(DOMAIN):  # the last one is gone
        await async_remove_card_resource(hass)
    # Issue ids end in the serial (or the account's id) they are about.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    keys = {entry.unique_id or entry.entry_id} | {
        serial
        for device in devices
        for identifier in _identifiers(device)
        if (serial := _serial_of(identifier)) is not None
    }
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and any(issue_id.endswith(f"_{key}") for key in keys):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
