"""The entry's last device list, remembered for a start without the cloud.

What names a printer, its access code and the last LAN address where it
proved to be itself are kept (no online flag): printers reachable on the LAN
start from them while the cloud is unreachable. The entry's data is as
private as its options, which hold access codes typed in too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .aiobambulab.cloud_devices import CloudDevice
from .const import CONF_KNOWN_PRINTERS

REMEMBERED_FIELDS = ("name", "dev_product_name", "dev_model_name", "dev_access_code")
# Where the printer's LAN link last came up (not a device list field).
LAN_ADDRESS: Final = "lan_address"


def remembered_devices(entry: ConfigEntry) -> dict[str, CloudDevice]:
    """The printers of the last device list that was read."""
    known = entry.data.get(CONF_KNOWN_PRINTERS)
    if not isinstance(known, dict):
        return {}
    devices: dict[str, CloudDevice] = {}
    for serial, fields in known.items():
        if not isinstance(fields, dict):
            continue
        device = CloudDevice.from_json({**fields, "dev_id": serial})
        if device is not None:
            devices[device.serial] = device
    return devices


@callback
def async_remember_devices(
    hass: HomeAssistant, entry: ConfigEntry, devices: Mapping[str, CloudDevice]
) -> None:
    """Keep the device list in the entry, for a start without the cloud."""
    before = _known(entry)
    known: dict[str, dict[str, Any]] = {}
    for serial, device in devices.items():
        fields = {
            key: device.raw[key]
            for key in REMEMBERED_FIELDS
            if isinstance(device.raw.get(key), str)
        }
        if address := before.get(serial, {}).get(LAN_ADDRESS):
            fields[LAN_ADDRESS] = address
        known[serial] = fields
    if entry.data.get(CONF_KNOWN_PRINTERS) != known:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_KNOWN_PRINTERS: known}
        )


def remembered_address(entry: ConfigEntry, serial: str) -> str | None:
    """Where the printer's LAN link last came up, if it did."""
    address = _known(entry).get(serial, {}).get(LAN_ADDRESS)
    return address if isinstance(address, str) else None


@callback
def async_remember_address(
    hass: HomeAssistant, entry: ConfigEntry, serial: str, address: str
) -> None:
    """Keep where a printer of the device list proved to be itself."""
    known = _known(entry)
    if serial not in known or known[serial].get(LAN_ADDRESS) == address:
        return
    known = {**known, serial: {**known[serial], LAN_ADDRESS: address}}
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_KNOWN_PRINTERS: known}
    )


def _known(entry: ConfigEntry) -> dict[str, dict[str, Any]]:
    known = entry.data.get(CONF_KNOWN_PRINTERS)
    if not isinstance(known, dict):
        return {}
    return {s: f for s, f in known.items() if isinstance(f, dict)}
