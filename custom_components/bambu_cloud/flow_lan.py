"""The config flow of one printer on the local network.

Host, serial and access code, checked over MQTT before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any, Final

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST

from .aiobambulab.catalog import detect_model
from .const import CONF_ACCESS_CODE, CONF_SERIAL
from .flow_helpers import (
    async_probe,
    form_text,
    input_error,
    lan_entry_data,
    printer_settings,
    printer_suggestions,
)
from .flow_schemas import LAN_SCHEMA, REAUTH_LAN_SCHEMA, RECONFIGURE_LAN_SCHEMA

# Printer serials are upper-case letters and digits; anything else could
# become an MQTT wildcard in a topic.
_SERIAL: Final = re.compile(r"[0-9A-Z]{4,40}")


class LanFlow(ConfigFlow):
    """A printer on the local network: add, re-authenticate, reconfigure."""

    async def async_step_lan(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add one printer reached on the local network."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            serial = form_text(user_input[CONF_SERIAL]).upper()
            settings = printer_settings(user_input)
            if not _SERIAL.fullmatch(serial):
                errors[CONF_SERIAL] = "invalid_serial"
            elif not settings[CONF_HOST]:
                errors[CONF_HOST] = "invalid_host"
            elif error := input_error(settings):
                errors["base"] = error
            else:
                await self.async_set_unique_id(serial)
                self._abort_if_unique_id_configured()
                info = await async_probe(
                    self.hass, settings, serial, settings, errors, placeholders
                )
                if info is not None:
                    return self.async_create_entry(
                        title=f"{detect_model(info).name} {serial}",
                        data=lan_entry_data(serial, settings),
                    )
        return self.async_show_form(
            step_id="lan",
            data_schema=self.add_suggested_values_to_schema(LAN_SCHEMA, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth_lan(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the printer's new access code."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"name": entry.title}
        if user_input is not None:
            settings = {
                **entry.data,
                CONF_ACCESS_CODE: form_text(user_input[CONF_ACCESS_CODE]),
            }
            info = await async_probe(
                self.hass,
                settings,
                entry.data[CONF_SERIAL],
                entry.data,
                errors,
                placeholders,
            )
            if info is not None:
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_ACCESS_CODE: settings[CONF_ACCESS_CODE]},
                )
        return self.async_show_form(
            step_id="reauth_lan",
            data_schema=REAUTH_LAN_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure_lan(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address, access code or ports of a LAN printer."""
        entry = self._get_reconfigure_entry()
        serial = entry.data[CONF_SERIAL]
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"name": entry.title}
        suggested: Mapping[str, Any] = entry.data
        if user_input is not None:
            settings = printer_settings(user_input)
            suggested = settings
            if not settings[CONF_HOST]:
                errors[CONF_HOST] = "invalid_host"
            elif error := input_error(settings):
                errors["base"] = error
            elif (
                await async_probe(
                    self.hass,
                    settings,
                    serial,
                    settings,
                    errors,
                    placeholders,
                )
                is not None
            ):
                return self.async_update_reload_and_abort(
                    entry,
                    data=lan_entry_data(serial, settings),
                )
        return self.async_show_form(
            step_id="reconfigure_lan",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_LAN_SCHEMA, printer_suggestions(suggested)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
