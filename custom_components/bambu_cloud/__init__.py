"""The Bambu Lab Cloud integration: every printer of a Bambu account."""

from __future__ import annotations

from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .aiobambulab.hms import load_catalog
from .const import AMS_SEPARATOR, CONF_KIND, CONF_SERIAL, DOMAIN, EntryKind
from .devices import (
    async_remove_devices_of_dropped_printers,
    identifiers,
    serial_of,
)
from .discovery import async_start_discovery, async_stop_discovery
from .frontend import (
    async_add_card_resource,
    async_remove_card_resource,
    async_setup_frontend,
)
from .history import HistoryCoordinator
from .history_store import async_remove_history
from .hub import BambuHub
from .job import JobTrackers
from .job_cost_tracker import JobCosts, storage_key as costs_storage_key
from .lan_owned import async_account_lets_go, async_account_takes_back
from .media_view import async_setup_media_views
from .notifications import NotificationCoordinator
from .printers import EntryPrinters
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
    Platform.TODO,
    Platform.UPDATE,
]

__all__ = ["BambuConfigEntry", "BambuRuntimeData"]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once; config entries arrive through the UI."""
    async_setup_services(hass)
    async_setup_websocket(hass)  # the dashboard cards' commands
    await async_setup_frontend(hass)
    await async_start_discovery(hass)  # printers announcing themselves
    if "http" in hass.config.components:  # the stored files' views
        async_setup_media_views(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Connect to the account or LAN printer and create its entities."""
    # Again, after the last entry was removed; before connecting, so that a
    # printer that moved is heard even while its entry waits to retry.
    await async_start_discovery(hass)
    # Error texts in the user's language, read on the first error.
    catalog = load_catalog(hass.config.language)
    printers = EntryPrinters(hass, entry)
    hub = BambuHub(hass, entry, printers, catalog)
    jobs = JobTrackers()
    history: HistoryCoordinator | None = None
    costs = JobCosts(hass, entry, news=printers, job_details=jobs.details)
    try:
        await hub.async_setup()
        await costs.async_start()
        history = HistoryCoordinator(
            hass,
            entry,
            cloud=hub.cloud,
            printers=printers,
            news=printers,
            job_details=jobs.details,
            job_costs=costs.result,
        )
        await history.async_start()
    except BaseException:
        await _async_shutdown(hub, jobs, history)
        await costs.async_stop()
        raise
    # Each printer's job tracker starts with the entry, and with each
    # printer that joins it later; not when a platform first asks.
    for coordinator in printers.values():
        jobs.async_start(coordinator)
    printers.async_on_change(jobs.async_start, jobs.async_stop)
    entry.runtime_data = BambuRuntimeData(
        hub=hub,
        account=hub.account,
        printer=hub.printer,
        printers=printers,
        device_list=hub.device_list,
        history=history,
        jobs=jobs,
        costs=costs,
        # The account's messages, read while its event entity listens.
        notifications=None
        if hub.cloud is None
        else NotificationCoordinator(hass, entry, hub.cloud),
        catalog=catalog,
    )
    async_remove_devices_of_dropped_printers(hass, entry, printers)
    if hub.kind is EntryKind.LAN:
        async_account_lets_go(hass, entry.data[CONF_SERIAL])
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_add_card_resource(hass)
    return True


async def _async_shutdown(
    hub: BambuHub, jobs: JobTrackers, history: HistoryCoordinator | None
) -> None:
    """Stop recording and fetching, then close every link."""
    if history is not None:
        await history.async_stop()
    jobs.async_stop_all()
    await hub.async_shutdown()


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: BambuConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device the entry no longer has: a detached AMS."""
    printers = entry.runtime_data.printers
    for identifier in identifiers(device):
        serial = serial_of(identifier)
        if serial is None:
            return False  # the account's device lives as long as the entry
        coordinator = printers.get(serial)
        if coordinator is None:
            continue  # a printer the entry no longer has
        unit = identifier.partition(AMS_SEPARATOR)[2]
        if not unit.isdigit() or coordinator.ams_unit(int(unit)) is not None:
            return False  # the printer itself, or an AMS unit it still reports
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> bool:
    """Disconnect and remove the entities."""
    runtime = entry.runtime_data
    # A report arriving while the platforms unload must not add entities back.
    runtime.printers.async_stop_adding()
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await _async_shutdown(runtime.hub, runtime.jobs, runtime.history)
        await runtime.costs.async_stop()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: BambuConfigEntry) -> None:
    """Delete the stored print history and the repair issues of a removed entry."""
    await async_remove_history(hass, entry.entry_id)
    await Store[Any](hass, 1, costs_storage_key(entry.entry_id)).async_remove()
    if entry.data.get(CONF_KIND) == EntryKind.LAN:
        async_account_takes_back(hass, entry.data[CONF_SERIAL])
    if not hass.config_entries.async_entries(DOMAIN):  # the last one is gone
        await async_remove_card_resource(hass)
        async_stop_discovery(hass)
    # Issue ids end in the serial (or the account's id) they are about.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    keys = {entry.unique_id or entry.entry_id} | {
        serial
        for device in devices
        for identifier in identifiers(device)
        if (serial := serial_of(identifier)) is not None
    }
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and any(issue_id.endswith(f"_{key}") for key in keys):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
