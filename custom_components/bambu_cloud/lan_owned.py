"""A printer added on its own (a LAN entry) is that entry's, not the account's.

The same printer can be a LAN entry and be in an account's device list. Both
would give Home Assistant two devices for one printer and clashing entity
ids, so the LAN entry, which the user added on purpose, wins: the account
leaves the printer out, and takes it back when the LAN entry is removed.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .const import CONF_KIND, CONF_SERIAL, DOMAIN, EntryKind
from .known_printers import remembered_devices


def lan_serials(hass: HomeAssistant) -> frozenset[str]:
    """The printers that have an entry of their own, loaded or not."""
    return frozenset(
        entry.data[CONF_SERIAL]
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.data.get(CONF_KIND) == EntryKind.LAN and CONF_SERIAL in entry.data
    )


@callback
def async_account_lets_go(hass: HomeAssistant, serial: str) -> None:
    """A LAN entry took a printer: the accounts following it reload without it."""
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        if entry.data.get(CONF_KIND, EntryKind.CLOUD) != EntryKind.CLOUD:
            continue
        if serial in entry.runtime_data.printers:
            hass.config_entries.async_schedule_reload(entry.entry_id)


@callback
def async_account_takes_back(hass: HomeAssistant, serial: str) -> None:
    """A LAN entry was removed: the accounts that list its printer follow it."""
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        if entry.data.get(
            CONF_KIND, EntryKind.CLOUD
        ) == EntryKind.CLOUD and serial in remembered_devices(entry):
            hass.config_entries.async_schedule_reload(entry.entry_id)
