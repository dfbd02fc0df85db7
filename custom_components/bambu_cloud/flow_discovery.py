"""The config flow of a printer that announced itself on the network.

A printer no entry has is offered with only its access code to enter; with
an account set up, binding it to the account is offered as well. A LAN
entry of the printer takes the announced address; a printer of an account
entry is not offered (the account already has it).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers.typing import DiscoveryInfoType

from .aiobambulab.catalog import detect_model
from .const import (
    CONF_ACCESS_CODE,
    CONF_KIND,
    CONF_KNOWN_PRINTERS,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from .discovery import CONF_MODEL, CONF_NAME
from .flow_helpers import async_probe, input_error, lan_entry_data, printer_settings
from .flow_schemas import DISCOVERY_ACCOUNT_SCHEMA, DISCOVERY_SCHEMA
from .runtime import BambuConfigEntry


class DiscoveryFlow(ConfigFlow):
    """A printer that announced itself: add it with its access code."""

    _discovered: DiscoveryInfoType

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """A printer announced itself (``discovery.PrinterDiscovery``)."""
        serial: str = discovery_info[CONF_SERIAL]
        host: str = discovery_info[CONF_HOST]
        entry = await self.async_set_unique_id(serial)
        # A LAN entry follows the printer to its new address; an address
        # the user gave as a host name stays (it follows by itself).
        keeps_name = entry is not None and not _is_ip(entry.data.get(CONF_HOST))
        self._abort_if_unique_id_configured(
            updates=None if keeps_name else {CONF_HOST: host}
        )
        if _account_entries(self.hass, serial):
            return self.async_abort(reason="already_in_account")
        self._discovered = discovery_info
        name = discovery_info[CONF_NAME] or serial
        self.context["title_placeholders"] = {
            "name": f"Bambu Lab {discovery_info[CONF_MODEL]} “{name}”"
        }
        if _account_entries(self.hass):
            return self.async_show_menu(
                step_id="discovery",
                menu_options=["discovery_confirm", "discovery_account"],
                description_placeholders=self._placeholders(),
            )
        return await self.async_step_discovery_confirm()

    def _placeholders(self) -> dict[str, str]:
        info = self._discovered
        return {
            "model": info[CONF_MODEL],
            "name": info[CONF_NAME] or info[CONF_SERIAL],
            "serial": info[CONF_SERIAL],
            "host": info[CONF_HOST],
        }

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the printer's access code, check it, add the printer."""
        errors: dict[str, str] = {}
        placeholders = self._placeholders()
        serial = placeholders["serial"]
        if user_input is not None:
            settings = printer_settings(
                {**user_input, CONF_HOST: self._discovered[CONF_HOST]}
            )
            if not settings[CONF_ACCESS_CODE]:
                errors[CONF_ACCESS_CODE] = "invalid_access_code"
            elif error := input_error(settings):
                errors["base"] = error
            else:
                info = await async_probe(
                    self.hass, settings, serial, settings, errors, placeholders
                )
                if info is not None:
                    # Another flow may have added it while this one waited.
                    self._abort_if_unique_id_configured()
                    return self.async_create_entry(
                        title=f"{detect_model(info).name} {serial}",
                        data=lan_entry_data(serial, settings),
                    )
        return self.async_show_form(
            step_id="discovery_confirm",
            data_schema=self.add_suggested_values_to_schema(
                DISCOVERY_SCHEMA, user_input
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_discovery_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The printer joins the account once bound to it in Bambu's app.

        On submit each account's printer list is read again: the account
        entry adds the printer by itself when it is there.
        """
        errors: dict[str, str] = {}
        serial = self._discovered[CONF_SERIAL]
        if user_input is not None:
            await _async_read_device_lists(self.hass)
            if _account_entries(self.hass, serial):
                return self.async_abort(reason="added_to_account")
            errors["base"] = "not_in_account"
        return self.async_show_form(
            step_id="discovery_account",
            data_schema=DISCOVERY_ACCOUNT_SCHEMA,
            errors=errors,
            description_placeholders={
                **self._placeholders(),
                "account": ", ".join(
                    entry.title for entry in _account_entries(self.hass)
                ),
            },
        )


def _account_entries(
    hass: HomeAssistant, serial: str | None = None
) -> list[BambuConfigEntry]:
    """The account entries; with ``serial``, those whose device list has it."""
    entries: list[BambuConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [
        entry
        for entry in entries
        if entry.data.get(CONF_KIND) == EntryKind.CLOUD
        and (serial is None or serial in entry.data.get(CONF_KNOWN_PRINTERS, {}))
    ]


async def _async_read_device_lists(hass: HomeAssistant) -> None:
    """Read each loaded account's printer list again, now."""
    for entry in _account_entries(hass):
        if entry.state is ConfigEntryState.LOADED:
            device_list = entry.runtime_data.device_list
            if device_list is not None:
                await device_list.async_refresh()


def _is_ip(host: Any) -> bool:
    try:
        ipaddress.ip_address(str(host))
    except ValueError:
        return False
    return True
