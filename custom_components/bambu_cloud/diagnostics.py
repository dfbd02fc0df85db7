"""Diagnostics: the entry, each printer's latest report and the device list.

Secrets are redacted twice: by key name with Home Assistant's helper, then
every serial number, access code, token, user id and e-mail address the
entry knows is replaced wherever it still appears: in a dictionary key (the
per-printer options are keyed by serial), in a list or inside a longer text
such as the entry title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import (
    CONF_EMAIL,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_TOKEN,
    CONF_USERNAME,
)
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_IGNORED,
    CONF_KNOWN_PRINTERS,
    CONF_MQTT_HOST,
    CONF_PRINTERS,
    CONF_REFRESH_TOKEN,
    CONF_SERIAL,
    CONF_UID,
)
from .coordinator import PrinterCoordinator
from .runtime import BambuConfigEntry

TO_REDACT: Final = frozenset(
    {
        CONF_ACCESS_CODE,
        CONF_CA_CERT,
        CONF_EMAIL,
        CONF_HOST,
        CONF_KNOWN_PRINTERS,  # serials, also of ignored printers
        CONF_MQTT_HOST,
        CONF_PASSWORD,
        CONF_REFRESH_TOKEN,
        CONF_SERIAL,
        CONF_TOKEN,
        CONF_UID,
        CONF_USERNAME,
        "dev_access_code",  # cloud device list
        "dev_id",
        "ip",  # report: net.info[].ip
        "oss_url",
        "rtsp_url",
        "sn",  # report and get_version modules
        "title",
        "user_id",
    }
)
# Shorter values (a uid of "7") would blank out unrelated text.
_MIN_SECRET_LENGTH: Final = 4


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BambuConfigEntry
) -> dict[str, Any]:
    """Return the redacted diagnostics of a config entry."""
    hub = entry.runtime_data
    device_list = hub.device_list
    devices = (
        None
        if device_list is None or device_list.data is None
        else [device.raw for device in device_list.data.values()]
    )
    data = {
        "entry": {
            "title": entry.title,
            "data": dict(entry.data),
            "options": dict(entry.options),
        },
        "printers": [_printer(coordinator) for coordinator in hub.printers.values()],
        "device_list": devices,
    }
    redacted: dict[str, Any] = redact_secrets(
        async_redact_data(data, TO_REDACT), _secrets(entry)
    )
    return redacted


def _printer(coordinator: PrinterCoordinator) -> dict[str, Any]:
    state = coordinator.data
    return {
        "model": state.model.key,
        "firmware_version": state.firmware_version,
        "available": coordinator.printer_available,
        "online": state.online,
        "has_full_report": state.has_full_report,
        "modules": {
            name: {
                "sw_ver": module.sw_ver,
                "hw_ver": module.hw_ver,
                "product_name": module.product_name,
            }
            for name, module in state.modules.items()
        },
        "version": state.version_info,
        "report": state.report,
    }


def _secrets(entry: BambuConfigEntry) -> set[str]:
    """Every value the entry knows that must not leave the machine."""
    hub = entry.runtime_data
    found: set[str] = set()
    for key in (
        CONF_TOKEN,
        CONF_REFRESH_TOKEN,
        CONF_ACCESS_CODE,
        CONF_SERIAL,
        CONF_UID,
        CONF_EMAIL,
    ):
        found.add(str(entry.data.get(key) or ""))
    printer_options: Mapping[str, Mapping[str, Any]] = entry.options.get(
        CONF_PRINTERS, {}
    )
    for serial, options in printer_options.items():
        found.update((serial, str(options.get(CONF_ACCESS_CODE) or "")))
    found.update(str(serial) for serial in entry.options.get(CONF_IGNORED, ()))
    for serial, coordinator in hub.printers.items():
        found.add(serial)
        found.update(module.serial for module in coordinator.data.modules.values())
    if hub.device_list is not None and hub.device_list.data is not None:
        for device in hub.device_list.data.values():
            found.update((device.serial, device.access_code or ""))
    return {s for s in found if len(s) >= _MIN_SECRET_LENGTH and s != REDACTED}


def redact_secrets(data: Any, secrets: Iterable[str]) -> Any:
    """Replace secret values anywhere in ``data``: keys, values and inside text.

    A dictionary key that is a secret becomes a numbered placeholder so that
    two printers' entries stay apart.
    """
    # Longest first, so a serial inside a longer secret goes with it.
    ordered = sorted(set(secrets), key=len, reverse=True)
    placeholders: dict[str, str] = {}

    def text(value: str) -> str:
        for secret in ordered:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def key(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value in ordered:
            if value not in placeholders:
                placeholders[value] = f"**REDACTED_{len(placeholders) + 1}**"
            return placeholders[value]
        return text(value)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, Mapping):
            return {key(k): walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(item) for item in value]
        return value

    return walk(data)
