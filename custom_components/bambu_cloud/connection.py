"""Build the clients of a config entry from its data.

Shared by the config flow and the coordinator so that both reach the same
servers with the same trust: pure functions of the entry data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
import ssl
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import client_context

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.hosts import GLOBAL, REGIONS, Region
from .aiobambulab.tls import cloud_ssl_context, local_ssl_context
from .const import CONF_API_URL, CONF_CA_CERT, CONF_REGION
from .signin import entry_tokens


def region_of(data: Mapping[str, Any]) -> Region:
    """The entry's cloud region; global when absent or unknown."""
    return REGIONS.get(str(data.get(CONF_REGION)), GLOBAL)


def cloud_client(hass: HomeAssistant, data: Mapping[str, Any]) -> BambuCloud:
    """A cloud client for the entry's API URL (the region's by default).

    It uses Home Assistant's shared session and the stored sign-in, if any; the
    2FA endpoint follows the client's own default for the URL.
    """
    return BambuCloud(
        async_get_clientsession(hass),
        data.get(CONF_API_URL) or region_of(data).api_url,
        tokens=entry_tokens(data),
    )


def mqtt_ssl_context(data: Mapping[str, Any], local: bool) -> ssl.SSLContext:
    """The TLS context for the entry's MQTT broker, without blocking I/O.

    ``local``: a printer's own broker, verified against the entry's CA
    certificate or else the bundled Bambu CAs (host name not checked). Else
    the cloud broker: the entry's CA certificate, or Home Assistant's shared
    client context with the system CAs (host name checked).
    """
    ca_pem: str | None = data.get(CONF_CA_CERT) or None
    if local:
        return local_ssl_context(ca_pem)
    if ca_pem is None:
        return client_context()
    return cloud_ssl_context(ca_pem)


async def async_mqtt_ssl_context(
    hass: HomeAssistant, data: Mapping[str, Any], local: bool
) -> ssl.SSLContext:
    """``mqtt_ssl_context`` in the executor: loading certificates blocks."""
    return await hass.async_add_executor_job(mqtt_ssl_context, data, local)
