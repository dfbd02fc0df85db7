"""Build the clients of a config entry from its data.

Shared by the config flow and the coordinator so that both reach the same
servers with the same trust: pure functions of the entry data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import ssl
from typing import Any

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import client_context

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.hosts import GLOBAL, REGIONS, Region
from .aiobambulab.tls import cloud_ssl_context, local_ssl_context
from .const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_PRINTERS,
    CONF_REGION,
    CONF_SERIAL,
    DEFAULT_CAMERA_PORT,
    DEFAULT_FTP_PORT,
    EntryKind,
)
from .signin import entry_tokens


@dataclass(frozen=True, slots=True)
class LocalAccess:
    """How to reach a printer on the LAN (camera, files); secrets not logged."""

    host: str
    access_code: str
    camera_port: int
    ftp_port: int
    ssl_context: ssl.SSLContext  # verifies the printer against the Bambu CA

    def __repr__(self) -> str:
        """Never show the access code."""
        return f"LocalAccess(host={self.host!r})"


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


def local_settings(
    kind: EntryKind,
    data: Mapping[str, Any],
    options: Mapping[str, Any],
    serial: str,
) -> Mapping[str, Any]:
    """The user's LAN settings of a printer (host, access code, ports, camera)."""
    if kind is EntryKind.LAN:
        if serial != data[CONF_SERIAL]:
            return {}
        return {**data, **options}
    printers: dict[str, dict[str, Any]] = options.get(CONF_PRINTERS, {})
    return printers.get(serial, {})


def local_access(
    settings: Mapping[str, Any], context: ssl.SSLContext | None
) -> LocalAccess | None:
    """The printer's LAN address and access code, if the user gave them."""
    host = settings.get(CONF_HOST)
    code = settings.get(CONF_ACCESS_CODE)
    if not host or not code or context is None:
        return None
    return LocalAccess(
        host=host,
        access_code=code,
        camera_port=settings.get(CONF_CAMERA_PORT, DEFAULT_CAMERA_PORT),
        ftp_port=settings.get(CONF_FTP_PORT, DEFAULT_FTP_PORT),
        ssl_context=context,
    )
