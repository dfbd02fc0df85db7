"""The entry's last device list, remembered for a start without the cloud.

Only what names a printer is kept (no access code, no online flag): printers
with a LAN address start from it while the cloud is unreachable.
"""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .aiobambulab.cloud_devices import CloudDevice
from .const import CONF_KNOWN_PRINTERS

REMEMBERED_FIELDS = ("name", "dev_product_name", "dev_model_name")


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
    known = {
        serial: {
            key: device.raw[key]
            for key in REMEMBERED_FIELDS
            if isinstance(device.raw.get(key), str)
        }
        for serial, device in devices.items()
    }
    if entry.data.get(CONF_KNOWN_PRINTERS) != known:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_KNOWN_PRINTERS: known}
        )
