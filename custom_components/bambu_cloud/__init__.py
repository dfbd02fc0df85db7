"""The Bambu Lab Cloud integration: every printer of a Bambu account."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .history import async_remove_history
from .hub import BambuHub
from .services import async_setup_services

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

type BambuConfigEntry = ConfigEntry[BambuHub]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once; config entries arrive through the UI."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Connect to the account or LAN printer and create its entities."""
    hub = BambuHub(hass, entry)
    try:
        await hub.async_setup()
    except BaseException:
        await hub.async_shutdown()
        raise
    entry.runtime_data = hub
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Disconnect and remove the entities."""
    hub = entry.runtime_data
    # A report arriving while the platforms unload must not add entities back.
    hub.async_stop_adding()
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await hub.async_shutdown()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> None:
    """Delete the stored print history of a removed entry."""
    await async_remove_history(hass, entry.entry_id)
