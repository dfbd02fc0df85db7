"""Constants of the Bambu Lab Cloud integration."""

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "bambu_cloud"
LOGGER = logging.getLogger(__package__)


class EntryKind(StrEnum):
    """How a config entry reaches its printers."""

    CLOUD = "cloud"  # a Bambu account: every bound printer, over the cloud broker
    LAN = "lan"  # one printer on the local network, no account


# --- config entry data ---------------------------------------------------------
# Shared with Home Assistant's names where one exists: CONF_EMAIL, CONF_PASSWORD
# (never stored), CONF_TOKEN, CONF_HOST, CONF_PORT.
CONF_KIND: Final = "kind"  # an EntryKind
CONF_REGION: Final = "region"  # "global" or "china" (aiobambulab.hosts.REGIONS)
CONF_UID: Final = "uid"  # the Bambu user id; MQTT user u_<uid>
# The sign-in's renewal (signin.py): as secret as CONF_TOKEN.
CONF_REFRESH_TOKEN: Final = "refresh_token"  # noqa: S105 - a key, not a secret
CONF_TOKEN_EXPIRES_AT: Final = "token_expires_at"  # noqa: S105 - Unix seconds
CONF_TOKEN_LIFETIME: Final = "token_lifetime"  # noqa: S105 - seconds
CONF_API_URL: Final = "api_url"  # REST base URL; the region's by default
CONF_MQTT_HOST: Final = "mqtt_host"  # cloud broker; the region's by default
CONF_MQTT_PORT: Final = "mqtt_port"
CONF_CA_CERT: Final = "ca_cert"  # PEM text trusted instead of the defaults, or absent
CONF_SERIAL: Final = "serial"
CONF_ACCESS_CODE: Final = "access_code"
CONF_CAMERA_PORT: Final = "camera_port"
CONF_FTP_PORT: Final = "ftp_port"
# The account's printers as last listed by the cloud ({serial: {name, ...}}),
# so the LAN printers of a cloud entry start while the cloud is down.
CONF_KNOWN_PRINTERS: Final = "known_printers"

# --- config entry options --------------------------------------------------------
# options[CONF_PRINTERS][serial] = {CONF_HOST, CONF_ACCESS_CODE, CONF_PORT,
# CONF_CAMERA_PORT, CONF_FTP_PORT, CONF_CAMERA}: a LAN path for one printer of a
# cloud entry (cloud stays the fallback) and whether its camera entity is made.
CONF_PRINTERS: Final = "printers"
CONF_CAMERA: Final = "camera"
# False: the printer is reached through the cloud only (no LAN link found
# from its reported address and the device list's access code).
CONF_USE_LAN: Final = "use_lan"
CONF_IGNORED: Final = "ignored_printers"  # serials the user chose not to add
CONF_DEVICE_LIST_INTERVAL: Final = "device_list_interval"  # minutes

DEFAULT_MQTT_PORT: Final = 8883
DEFAULT_CAMERA_PORT: Final = 6000
DEFAULT_FTP_PORT: Final = 990
DEFAULT_DEVICE_LIST_INTERVAL: Final = 5  # minutes
MIN_DEVICE_LIST_INTERVAL: Final = 1
MAX_DEVICE_LIST_INTERVAL: Final = 60
DEVICE_LIST_INTERVAL: Final = timedelta(minutes=DEFAULT_DEVICE_LIST_INTERVAL)

# Device identifiers: a printer's serial, "<serial>_ams_<unit id>" for an AMS
# unit, "account_<uid>" for the account.
AMS_SEPARATOR: Final = "_ams_"
ACCOUNT_PREFIX: Final = "account_"
