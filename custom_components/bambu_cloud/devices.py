"""The entry's devices in Home Assistant's device registry.

A printer's device has its serial as identifier, each AMS unit's device
``<serial>_<unit>`` (``AMS_SEPARATOR``), the account's device
``ACCOUNT_PREFIX<account>``.
"""

from __future__ import annotations

from collections.abc import Container

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import ACCOUNT_PREFIX, AMS_SEPARATOR, DOMAIN, LOGGER


def identifiers(device: dr.DeviceEntry) -> list[str]:
    """The integration's identifiers of a device."""
    return [ident for domain, ident in device.identifiers if domain == DOMAIN]


def serial_of(identifier: str) -> str | None:
    """The printer a device identifier belongs to; None for the account."""
    if identifier.startswith(ACCOUNT_PREFIX):
        return None
    return identifier.partition(AMS_SEPARATOR)[0]


def is_device_of(device: dr.DeviceEntry, serial: str) -> bool:
    """Whether a device is the printer's own or one of its AMS units."""
    return any(
        domain == DOMAIN and (ident == serial or ident.startswith(f"{serial}_"))
        for domain, ident in device.identifiers
    )


@callback
def async_remove_devices_of(
    hass: HomeAssistant, entry: ConfigEntry, serial: str
) -> None:
    """Remove a printer's device and its AMS units' (it left the entry)."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if is_device_of(device, serial):
            registry.async_remove_device(device.id)


@callback
def async_remove_devices_of_dropped_printers(
    hass: HomeAssistant, entry: ConfigEntry, kept: Container[str]
) -> None:
    """Remove the devices of printers the entry no longer has.

    Printers the user stopped keeping, or that left the account while Home
    Assistant was stopped, take their AMS units along.
    """
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        serials = [serial_of(identifier) for identifier in identifiers(device)]
        if serials and not any(s is None or s in kept for s in serials):
            registry.async_remove_device(device.id)


@callback
def async_rename_devices(
    hass: HomeAssistant, entry: ConfigEntry, serial: str, old: str, new: str
) -> None:
    """Follow a printer's new name on its device and its AMS units'.

    A name the user gave the device in Home Assistant (``name_by_user``)
    still wins, as Home Assistant shows that one.
    """
    LOGGER.info("Printer %s is now called %s", old, new)
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not is_device_of(device, serial) or device.name is None:
            continue
        if device.name == old or device.name.startswith(f"{old} "):
            registry.async_update_device(
                device.id, name=new + device.name.removeprefix(old)
            )
