"""The options flow: the device list and each printer's connection and camera."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.const import CONF_HOST
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .aiobambulab.cloud_devices import CloudDevice
from .aiobambulab.errors import CloudError
from .connection import cloud_client
from .const import (
    CONF_ACCESS_CODE,
    CONF_CAMERA,
    CONF_DEVICE_LIST_INTERVAL,
    CONF_IGNORED,
    CONF_KIND,
    CONF_PRINTERS,
    CONF_USE_LAN,
    DEFAULT_DEVICE_LIST_INTERVAL,
    EntryKind,
)
from .cost_fields import COST_FIELDS, cost_options, cost_suggestions, without_costs
from .flow_helpers import (
    async_probe,
    cloud_error,
    known_values,
    printer_choices,
    printer_label,
    printer_settings,
    printer_suggestions,
)
from .flow_schemas import (
    CONF_CONFIGURE_PRINTER,
    CONF_SELECTED_PRINTERS,
    INTERVAL,
    PRINTER_OPTIONS_SCHEMA,
)
from .job_costs import CONF_FILAMENT_PRICES, COST_KEYS, InvalidPrices


class BambuOptionsFlow(OptionsFlowWithReload):
    """Device list interval and each printer's local connection and camera."""

    def __init__(self) -> None:
        """Nothing read from the cloud yet."""
        self._devices: list[CloudDevice] | None = None
        self._options: dict[str, Any] = {}
        self._serial = ""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options of the entry's kind."""
        if self.config_entry.data[CONF_KIND] == EntryKind.LAN:
            return await self.async_step_lan()
        return await self.async_step_account()

    async def async_step_lan(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The camera, energy meter and prices of a LAN printer."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        suggested: dict[str, Any] = cost_suggestions(options)
        if user_input is not None:
            suggested = dict(user_input)
            try:
                costs = cost_options(user_input)
            except InvalidPrices:
                errors[CONF_FILAMENT_PRICES] = "invalid_filament_prices"
            else:
                return self.async_create_entry(
                    data={
                        **without_costs(options),
                        CONF_CAMERA: user_input[CONF_CAMERA],
                        **costs,
                    }
                )
        return self.async_show_form(
            step_id="lan",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema(
                    {
                        probatio.Required(
                            CONF_CAMERA, default=options.get(CONF_CAMERA, True)
                        ): BooleanSelector(),
                        **COST_FIELDS,
                    }
                ),
                suggested,
            ),
            errors=errors,
        )

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Polling interval, the printers to add, and a printer to set up."""
        options = self.config_entry.options
        if user_input is not None:
            new = {
                **options,
                CONF_DEVICE_LIST_INTERVAL: user_input[CONF_DEVICE_LIST_INTERVAL],
            }
            # Without the device list (the cloud was down) only the interval
            # is known; the printer choices keep their current values.
            if self._devices is not None:
                chosen = set(user_input.get(CONF_SELECTED_PRINTERS, []))
                new[CONF_IGNORED] = [
                    d.serial for d in self._devices if d.serial not in chosen
                ]
                if serial := user_input.get(CONF_CONFIGURE_PRINTER):
                    self._options = new
                    self._serial = serial
                    return await self.async_step_printer()
            return self.async_create_entry(data=new)

        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        try:
            self._devices = await cloud_client(
                self.hass, self.config_entry.data
            ).get_devices()
        except CloudError as err:
            errors["base"] = cloud_error(err, placeholders)
        fields: dict[Any, Any] = {
            probatio.Required(
                CONF_DEVICE_LIST_INTERVAL,
                default=options.get(
                    CONF_DEVICE_LIST_INTERVAL, DEFAULT_DEVICE_LIST_INTERVAL
                ),
            ): INTERVAL
        }
        if self._devices:
            ignored = set(options.get(CONF_IGNORED, []))
            choices = printer_choices(self._devices)
            fields[
                probatio.Required(
                    CONF_SELECTED_PRINTERS,
                    default=[
                        d.serial for d in self._devices if d.serial not in ignored
                    ],
                )
            ] = SelectSelector(
                SelectSelectorConfig(
                    options=choices, multiple=True, mode=SelectSelectorMode.LIST
                )
            )
            fields[probatio.Optional(CONF_CONFIGURE_PRINTER)] = SelectSelector(
                SelectSelectorConfig(options=choices, mode=SelectSelectorMode.DROPDOWN)
            )
        return self.async_show_form(
            step_id="account",
            data_schema=probatio.Schema(fields),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_printer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The local connection and camera of one printer of the account."""
        if TYPE_CHECKING:
            assert self._devices is not None
        device = next(d for d in self._devices if d.serial == self._serial)
        printers: dict[str, Any] = dict(self._options.get(CONF_PRINTERS, {}))
        current: dict[str, Any] = printers.get(self._serial, {})
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"name": printer_label(device)}
        suggested = known_values(
            {
                **printer_suggestions(current),
                CONF_ACCESS_CODE: current.get(CONF_ACCESS_CODE, device.access_code),
                CONF_CAMERA: current.get(CONF_CAMERA, True),
                CONF_USE_LAN: current.get(CONF_USE_LAN, True),
                **cost_suggestions(current),
            }
        )
        if user_input is not None:
            use_lan = user_input.get(CONF_USE_LAN, True)
            settings: dict[str, Any] = {
                CONF_CAMERA: user_input[CONF_CAMERA],
                CONF_USE_LAN: use_lan,
            }
            try:
                settings.update(cost_options(user_input))
            except InvalidPrices:
                errors[CONF_FILAMENT_PRICES] = "invalid_filament_prices"
            local = printer_settings(user_input)
            suggested = {
                **printer_suggestions(local),
                CONF_CAMERA: settings[CONF_CAMERA],
                CONF_USE_LAN: use_lan,
                **{k: v for k, v in user_input.items() if k in COST_KEYS},
            }
            # An empty host: the address the printer reports, nothing to check.
            if use_lan and local[CONF_HOST] and not errors:
                settings.update(local)
                await async_probe(
                    self.hass,
                    local,
                    self._serial,
                    self.config_entry.data,
                    errors,
                    placeholders,
                )
            if not errors:
                printers[self._serial] = settings
                return self.async_create_entry(
                    data={**self._options, CONF_PRINTERS: printers}
                )
        return self.async_show_form(
            step_id="printer",
            data_schema=self.add_suggested_values_to_schema(
                PRINTER_OPTIONS_SCHEMA, suggested
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
