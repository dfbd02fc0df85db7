"""Serve the dashboard cards and add them to the dashboards' resources.

The cards are one ES module built from ``frontend/`` at the repository root
and committed at ``frontend/bambu-cloud-cards.js`` here. It is served from a
static path; in storage mode (the default) it is added once as a Lovelace
resource whose URL carries a hash of the bundle, so browsers load the new
cards after an update. It is removed again with the last config entry.

Only public interfaces are used. The resource collection is reached through
``LOVELACE_DATA``, the typed key the lovelace integration exports for other
integrations, and changed only through the collection's own public methods
(``async_items``, ``async_create_item``, ``async_update_item``,
``async_delete_item``), the same ones its ``lovelace/resources/*`` websocket
commands call, so resources added here show up and can be edited on the
Resources page like any other. ``frontend.add_extra_js_url`` would need no
lovelace data at all, but loads the module on every page for every user and
is invisible on that page, so users could not see or remove it. In YAML mode
resources come from the user's configuration: the README gives the line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

# Where it is defined; the http package re-exports it without an __all__.
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.components.lovelace.const import LOVELACE_DATA, MODE_STORAGE
from homeassistant.components.lovelace.resources import ResourceStorageCollection
from homeassistant.core import HomeAssistant

from .const import DOMAIN, LOGGER

BUNDLE_NAME: Final = "bambu-cloud-cards.js"
BUNDLE_FILE: Final = Path(__file__).parent / "frontend" / BUNDLE_NAME
STATIC_PATH: Final = f"/{DOMAIN}/{BUNDLE_NAME}"
RESOURCE_TYPE: Final = "module"
_DATA_VERSION: Final = f"{DOMAIN}_cards_version"


def _bundle_version() -> str:
    """A short hash of the bundle: changes exactly when the cards do."""
    return hashlib.sha256(BUNDLE_FILE.read_bytes()).hexdigest()[:12]


def resource_url(version: str) -> str:
    """The versioned URL dashboards load the cards from."""
    return f"{STATIC_PATH}?v={version}"


def _is_ours(url: str) -> bool:
    return url.split("?", 1)[0] == STATIC_PATH


async def async_setup_frontend(hass: HomeAssistant) -> None:
    """Serve the bundle; once per Home Assistant run."""
    if "http" not in hass.config.components:  # no web server: nothing to serve
        return
    version = await hass.async_add_executor_job(_bundle_version)
    hass.data[_DATA_VERSION] = version
    # The URL changes with every bundle, so browsers may cache it for long.
    await hass.http.async_register_static_paths(
        [StaticPathConfig(STATIC_PATH, str(BUNDLE_FILE), cache_headers=True)]
    )


def _storage_resources(hass: HomeAssistant) -> ResourceStorageCollection | None:
    """The dashboards' resource collection, when it is kept in storage."""
    data = hass.data.get(LOVELACE_DATA)
    if data is None or data.resource_mode != MODE_STORAGE:
        return None
    resources = data.resources
    return resources if isinstance(resources, ResourceStorageCollection) else None


async def async_add_card_resource(hass: HomeAssistant) -> None:
    """Add the cards to the dashboards' resources, or update their version."""
    version = hass.data.get(_DATA_VERSION)
    resources = _storage_resources(hass)
    if version is None or resources is None:
        return
    await resources.async_get_info()  # loads the collection if not yet loaded
    url = resource_url(version)
    ours = [item for item in resources.async_items() if _is_ours(item["url"])]
    if not ours:
        await resources.async_create_item({"res_type": RESOURCE_TYPE, "url": url})
        LOGGER.debug("Added the dashboard cards as a resource: %s", url)
        return
    first, *extra = ours
    if first["url"] != url:
        await resources.async_update_item(first["id"], {"url": url})
    for item in extra:  # added by hand besides ours
        await resources.async_delete_item(item["id"])


async def async_remove_card_resource(hass: HomeAssistant) -> None:
    """Remove the cards from the dashboards' resources."""
    resources = _storage_resources(hass)
    if resources is None:
        return
    await resources.async_get_info()
    for item in list(resources.async_items()):
        if _is_ours(item["url"]):
            await resources.async_delete_item(item["id"])
