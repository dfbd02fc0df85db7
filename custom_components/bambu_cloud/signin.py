"""Keep the account signed in: store each renewed token, give it to the broker link.

The cloud client renews the sign-in on its own, ahead of expiry and once
when the cloud refuses the token. Here each renewal is stored in the config
entry (a restart uses it) and the cloud broker link reconnects with the new
token. When the broker refuses the token, the sign-in is renewed first; a
new sign-in (reauth) is asked for only when renewing fails.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant, callback

from .aiobambulab.auth import Tokens
from .aiobambulab.cloud import BambuCloud
from .aiobambulab.errors import CloudError, ConnectionFailure, TokenExpired
from .aiobambulab.link_health import LinkStatus
from .const import (
    CONF_REFRESH_TOKEN,
    CONF_TOKEN_EXPIRES_AT,
    CONF_TOKEN_LIFETIME,
    DOMAIN,
    LOGGER,
)


def entry_tokens(data: Mapping[str, Any]) -> Tokens | None:
    """The tokens stored in a config entry's data; None before any sign-in."""
    access = data.get(CONF_TOKEN)
    if not isinstance(access, str) or not access:
        return None
    refresh = data.get(CONF_REFRESH_TOKEN)
    expires_at = data.get(CONF_TOKEN_EXPIRES_AT)
    lifetime = data.get(CONF_TOKEN_LIFETIME)
    return Tokens(
        access=access,
        refresh=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=_finite(expires_at),
        lifetime=_finite(lifetime),
    )


def _finite(value: Any) -> float | None:
    """A stored number of seconds; None when missing or impossible."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def token_data(tokens: Tokens | None) -> dict[str, Any]:
    """The entry data of a sign-in; every key, so older values never linger."""
    return {
        CONF_TOKEN: None if tokens is None else tokens.access,
        CONF_REFRESH_TOKEN: None if tokens is None else tokens.refresh,
        CONF_TOKEN_EXPIRES_AT: None if tokens is None else tokens.expires_at,
        CONF_TOKEN_LIFETIME: None if tokens is None else tokens.lifetime,
    }


class SignIn:
    """The sign-in of one cloud entry, kept alive while the entry is loaded."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        cloud: BambuCloud,
        use_token: Callable[[str], Coroutine[Any, Any, None]],
    ) -> None:
        """Store what ``cloud`` renews; ``use_token`` reconnects the broker link."""
        self._hass = hass
        self._entry = entry
        self._cloud = cloud
        self._use_token = use_token
        self._renewing = False
        self._link_token = cloud.token  # what the broker link signs in with
        # The token renewed because the broker refused the one before: if the
        # broker refuses this one too, renewing again will not help.
        self._renewed_for_broker: str | None = None
        cloud.on_tokens(self._renewed)

    @callback
    def stop(self) -> None:
        """Stop storing renewals (the entry unloads)."""
        self._cloud.on_tokens(None)

    @callback
    def _renewed(self, tokens: Tokens) -> None:
        LOGGER.debug("Renewed the sign-in of the Bambu account")
        self._hass.config_entries.async_update_entry(
            self._entry, data={**self._entry.data, **token_data(tokens)}
        )
        self._give_link(tokens.access)

    @callback
    def _give_link(self, token: str) -> None:
        self._link_token = token
        self._entry.async_create_background_task(
            self._hass, self._use_token(token), f"{DOMAIN} new token"
        )

    @callback
    def link_status(self, status: LinkStatus) -> None:
        """Follow the broker link: a refused token is renewed before reauth."""
        if status.connected:
            self._renewed_for_broker = None
        elif status.failure is ConnectionFailure.CREDENTIALS and not self._renewing:
            self._renewing = True
            self._entry.async_create_background_task(
                self._hass, self._async_broker_refused(), f"{DOMAIN} renew sign-in"
            )

    async def _async_broker_refused(self) -> None:
        refused = self._link_token or ""
        try:
            if self._renewed_for_broker == refused:
                LOGGER.warning("The Bambu broker refuses the renewed sign-in")
                self._entry.async_start_reauth(self._hass)
                return
            # Renewed already (by a REST call, maybe in flight): no new renewal.
            tokens = await self._cloud.refresh_refused(refused)
        except TokenExpired:
            self._entry.async_start_reauth(self._hass)
        except CloudError as err:
            # The link keeps retrying; its next refusal tries again.
            LOGGER.debug("Could not renew the sign-in for the broker: %s", err.key)
        else:
            self._renewed_for_broker = tokens.access
            if self._link_token != tokens.access:
                self._give_link(tokens.access)  # renewed before this refusal
        finally:
            self._renewing = False
