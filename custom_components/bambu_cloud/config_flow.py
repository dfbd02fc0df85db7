"""Config flow for the Bambu Lab Cloud integration.

Two kinds of entries: a Bambu account (``flow_account``) or one printer on
the local network (``flow_lan``, or ``flow_discovery`` when it announced
itself). Both can re-authenticate and be
reconfigured; options (``flow_options``) cover the device list and the local
connection and camera of each printer. The forms are in ``flow_schemas``,
the shared input handling and error mapping in ``flow_helpers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import callback

from .const import CONF_KIND, DOMAIN, EntryKind
from .flow_account import AccountFlow
from .flow_discovery import DiscoveryFlow
from .flow_lan import LanFlow
from .flow_options import BambuOptionsFlow


class BambuConfigFlow(AccountFlow, LanFlow, DiscoveryFlow, domain=DOMAIN):
    """Add a Bambu account or a printer on the local network (or found there)."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> BambuOptionsFlow:
        """Options of an account or a LAN printer."""
        return BambuOptionsFlow()

    # --- start ------------------------------------------------------------------

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask how the printers are reached."""
        return self.async_show_menu(step_id="user", menu_options=["cloud", "lan"])

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The cloud refused the token, or the printer the access code."""
        if entry_data[CONF_KIND] == EntryKind.LAN:
            return await self.async_step_reauth_lan()
        return await self._async_reauth_account(entry_data)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an account or a LAN printer is reached."""
        entry = self._get_reconfigure_entry()
        if entry.data[CONF_KIND] == EntryKind.LAN:
            return await self.async_step_reconfigure_lan()
        return await self._async_reconfigure_account(entry, user_input)
