"""What the config and options flows share: input handling and error mapping.

Form values are checked and turned into entry data here; cloud and printer
failures become the translated form errors.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import math
import re
import ssl
from typing import Any, Final

from homeassistant.const import CONF_EMAIL, CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import SelectOptionDict
from yarl import URL

from .aiobambulab.catalog import detect_model
from .aiobambulab.cloud_devices import CloudDevice
from .aiobambulab.errors import (
    CloudError,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
    RateLimited,
)
from .aiobambulab.hosts import REGIONS
from .aiobambulab.lan_probe import probe
from .connection import async_mqtt_ssl_context, region_of
from .const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_REGION,
    CONF_SERIAL,
    LOGGER,
    EntryKind,
)
from .flow_schemas import SECTION_ADVANCED

PROBE_TIMEOUT: Final = 10.0  # seconds for each stage of a LAN printer check
# Bambu allows about 5 logins a minute: wait that long when a 429 says nothing.
DEFAULT_RETRY_AFTER: Final = 60

# BambuError.key values shown as they are; any other cloud error is "unknown".
_CLOUD_ERRORS: Final = frozenset(
    {
        "invalid_auth",
        "invalid_code",
        "code_expired",
        "rate_limited",
        "cannot_connect",
        "token_expired",
    }
)
PROBE_ERRORS: Final[Mapping[ConnectionFailure, str]] = {
    ConnectionFailure.UNREACHABLE: "cannot_connect",
    ConnectionFailure.CREDENTIALS: "invalid_access_code",
    ConnectionFailure.SERIAL_MISMATCH: "serial_mismatch",
    ConnectionFailure.TLS: "tls_failed",
    ConnectionFailure.TIMEOUT: "timeout_connect",
    ConnectionFailure.PROTOCOL: "unknown",  # refused for another reason: logged
}
# Printer serials are upper-case letters and digits; anything else could
# become an MQTT wildcard in a topic.
_SERIAL: Final = re.compile(r"[0-9A-Z]{4,40}")
_REGION_API_URLS: Final = frozenset(r.api_url for r in REGIONS.values())
_REGION_MQTT_HOSTS: Final = frozenset(r.mqtt_host for r in REGIONS.values())


def account_title(account: str) -> str:
    """An account entry's title: tells accounts apart without the address.

    Home Assistant writes entry titles into its log, which must not hold
    the e-mail address (or phone number) of the account.
    """
    name, at, domain = account.partition("@")
    if not at:  # a phone number
        return f"{account[:3]}***{account[-2:]}"
    return f"{name[:1]}***@{domain}"


def form_text(value: Any) -> str:
    """A form's text value, stripped; empty when the field was left out."""
    return str(value or "").strip()


def cloud_servers(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The entry data for the servers chosen on a cloud form.

    Empty server fields follow the region, so that choosing China without
    opening the advanced section reaches the Chinese servers.
    """
    region = REGIONS[user_input[CONF_REGION]]
    advanced = user_input[SECTION_ADVANCED]
    servers: dict[str, Any] = {
        CONF_REGION: region.key,
        CONF_API_URL: form_text(advanced.get(CONF_API_URL)).rstrip("/")
        or region.api_url,
        CONF_MQTT_HOST: form_text(advanced.get(CONF_MQTT_HOST)) or region.mqtt_host,
        CONF_MQTT_PORT: advanced[CONF_MQTT_PORT],
    }
    if ca_pem := form_text(advanced.get(CONF_CA_CERT)):
        servers[CONF_CA_CERT] = ca_pem
    return servers


def known_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that are set: a None suggestion would blank a field's default."""
    return {key: value for key, value in values.items() if value is not None}


def cloud_suggestions(data: Mapping[str, Any]) -> dict[str, Any]:
    """Suggested cloud form values: server fields only where not the region's."""
    api_url = data.get(CONF_API_URL)
    mqtt_host = data.get(CONF_MQTT_HOST)
    return known_values(
        {
            CONF_REGION: region_of(data).key,
            CONF_EMAIL: data.get(CONF_EMAIL),
            SECTION_ADVANCED: known_values(
                {
                    CONF_API_URL: None if api_url in _REGION_API_URLS else api_url,
                    CONF_MQTT_HOST: None
                    if mqtt_host in _REGION_MQTT_HOSTS
                    else mqtt_host,
                    CONF_MQTT_PORT: data.get(CONF_MQTT_PORT),
                    CONF_CA_CERT: data.get(CONF_CA_CERT),
                }
            ),
        }
    )


def printer_settings(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Host, access code, ports and CA certificate from a LAN form."""
    advanced = user_input[SECTION_ADVANCED]
    settings: dict[str, Any] = {
        CONF_HOST: form_text(user_input.get(CONF_HOST)),
        CONF_ACCESS_CODE: form_text(user_input.get(CONF_ACCESS_CODE)),
        CONF_PORT: advanced[CONF_PORT],
        CONF_CAMERA_PORT: advanced[CONF_CAMERA_PORT],
        CONF_FTP_PORT: advanced[CONF_FTP_PORT],
    }
    if ca_pem := form_text(advanced.get(CONF_CA_CERT)):
        settings[CONF_CA_CERT] = ca_pem
    return settings


def lan_entry_data(serial: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """What a LAN printer's entry stores: its serial and connection settings."""
    return {CONF_KIND: EntryKind.LAN.value, CONF_SERIAL: serial, **settings}


def printer_suggestions(data: Mapping[str, Any]) -> dict[str, Any]:
    """Suggested LAN form values from stored settings."""
    return known_values(
        {
            CONF_HOST: data.get(CONF_HOST),
            CONF_ACCESS_CODE: data.get(CONF_ACCESS_CODE),
            SECTION_ADVANCED: known_values(
                {
                    key: data.get(key)
                    for key in (
                        CONF_PORT,
                        CONF_CAMERA_PORT,
                        CONF_FTP_PORT,
                        CONF_CA_CERT,
                    )
                }
            ),
        }
    )


def input_error(data: Mapping[str, Any]) -> str | None:
    """Check an API URL and a CA certificate before any network use."""
    if CONF_API_URL in data and not _is_http_url(data[CONF_API_URL]):
        return "invalid_url"
    if CONF_CA_CERT in data and not _is_ca_certificate(data[CONF_CA_CERT]):
        return "invalid_ca_cert"
    return None


def _is_http_url(value: str) -> bool:
    try:
        url = URL(value)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)


def _is_ca_certificate(pem: str) -> bool:
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=pem)
    except (ssl.SSLError, TypeError, ValueError):
        return False
    return True


def printer_label(device: CloudDevice) -> str:
    """The label of a printer of the account: its name and model."""
    model = detect_model(cloud_names=(device.product_name, device.model_name))
    return f"{device.name or device.serial} ({model.name})"


def printer_choices(devices: list[CloudDevice]) -> list[SelectOptionDict]:
    """The account's printers as choices of a form."""
    return [
        SelectOptionDict(value=device.serial, label=printer_label(device))
        for device in devices
    ]


def cloud_error(err: CloudError, placeholders: dict[str, str]) -> str:
    """The form error for a cloud failure; logs the unexpected ones."""
    if isinstance(err, RateLimited):
        wait = (
            DEFAULT_RETRY_AFTER
            if err.retry_after is None
            else math.ceil(err.retry_after)
        )
        placeholders["retry_after"] = str(wait)
    if err.key in _CLOUD_ERRORS:
        return err.key
    LOGGER.exception("Unexpected answer from the Bambu cloud")
    return "unknown"


async def async_probe(
    hass: HomeAssistant,
    settings: Mapping[str, Any],
    serial: str,
    ca_data: Mapping[str, Any],
    errors: dict[str, str],
    placeholders: dict[str, str],
) -> dict[str, Any] | None:
    """Check a printer on the network; its get_version info, or None and errors."""
    try:
        return await probe(
            settings[CONF_HOST],
            serial,
            settings[CONF_ACCESS_CODE],
            port=settings[CONF_PORT],
            ssl_context=await async_mqtt_ssl_context(hass, ca_data, local=True),
            timeout=PROBE_TIMEOUT,
        )
    except ConnectError as err:
        errors["base"] = PROBE_ERRORS[err.reason]
        placeholders.update(err.placeholders)
        # A refusal for an unusual reason is worth a line in the log.
        LOGGER.log(
            logging.WARNING
            if err.reason is ConnectionFailure.PROTOCOL
            else logging.DEBUG,
            "Checking printer %s at %s failed: %s",
            serial,
            settings[CONF_HOST],
            err,
        )
    except CommandTimeout:
        errors["base"] = "timeout_connect"
    return None


# --- the config flow ----------------------------------------------------------------
