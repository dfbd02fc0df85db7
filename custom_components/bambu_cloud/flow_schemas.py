"""The forms of the config and options flows: fields, selectors and schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import (
    CONF_CODE,
    CONF_EMAIL,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
)
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .aiobambulab.hosts import GLOBAL, REGIONS
from .const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_REGION,
    CONF_SERIAL,
    CONF_USE_LAN,
    DEFAULT_CAMERA_PORT,
    DEFAULT_FTP_PORT,
    DEFAULT_MQTT_PORT,
    MAX_DEVICE_LIST_INTERVAL,
    MIN_DEVICE_LIST_INTERVAL,
)
from .cost_fields import COST_FIELDS

# Form fields that are never stored under their own name.
SECTION_ADVANCED: Final = "advanced"  # collapsed section of server/port settings
CONF_SEND_NEW_CODE: Final = "send_new_code"
CONF_SELECTED_PRINTERS: Final = "selected_printers"
CONF_CONFIGURE_PRINTER: Final = "configure_printer"

_TEXT = TextSelector()
_USERNAME = TextSelector(TextSelectorConfig(autocomplete="username"))
_PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
_SECRET = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
)
_ONE_TIME_CODE = TextSelector(TextSelectorConfig(autocomplete="one-time-code"))
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_PEM = TextSelector(TextSelectorConfig(multiline=True))
_PORT = probatio.All(
    NumberSelector(
        NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
    ),
    probatio.Coerce(int),
)
INTERVAL = probatio.All(
    NumberSelector(
        NumberSelectorConfig(
            min=MIN_DEVICE_LIST_INTERVAL,
            max=MAX_DEVICE_LIST_INTERVAL,
            step=1,
            unit_of_measurement="min",
            mode=NumberSelectorMode.SLIDER,
        )
    ),
    probatio.Coerce(int),
)
_REGION = SelectSelector(
    SelectSelectorConfig(
        options=list(REGIONS),
        translation_key=CONF_REGION,
        mode=SelectSelectorMode.DROPDOWN,
    )
)


def _collapsed(fields: dict[Any, Any]) -> section:
    return section(probatio.Schema(fields), {"collapsed": True})


_CLOUD_SERVERS = _collapsed(
    {
        probatio.Optional(CONF_API_URL): _URL,
        probatio.Optional(CONF_MQTT_HOST): _TEXT,
        probatio.Required(CONF_MQTT_PORT, default=DEFAULT_MQTT_PORT): _PORT,
        probatio.Optional(CONF_CA_CERT): _PEM,
    }
)
_PRINTER_PORTS: Final[dict[Any, Any]] = {
    probatio.Required(CONF_PORT, default=DEFAULT_MQTT_PORT): _PORT,
    probatio.Required(CONF_CAMERA_PORT, default=DEFAULT_CAMERA_PORT): _PORT,
    probatio.Required(CONF_FTP_PORT, default=DEFAULT_FTP_PORT): _PORT,
}
_LAN_SERVER = _collapsed({**_PRINTER_PORTS, probatio.Optional(CONF_CA_CERT): _PEM})

CLOUD_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_REGION, default=GLOBAL.key): _REGION,
        probatio.Required(CONF_EMAIL): _USERNAME,
        probatio.Required(CONF_PASSWORD): _PASSWORD,
        probatio.Required(SECTION_ADVANCED, default={}): _CLOUD_SERVERS,
    }
)
RECONFIGURE_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_REGION, default=GLOBAL.key): _REGION,
        probatio.Required(CONF_PASSWORD): _PASSWORD,
        probatio.Required(SECTION_ADVANCED, default={}): _CLOUD_SERVERS,
    }
)
REAUTH_SCHEMA = probatio.Schema({probatio.Required(CONF_PASSWORD): _PASSWORD})
CODE_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_CODE): _ONE_TIME_CODE,
        probatio.Required(CONF_SEND_NEW_CODE, default=False): BooleanSelector(),
    }
)
TFA_SCHEMA = probatio.Schema({probatio.Required(CONF_CODE): _ONE_TIME_CODE})
LAN_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_HOST): _TEXT,
        probatio.Required(CONF_SERIAL): _TEXT,
        probatio.Required(CONF_ACCESS_CODE): _SECRET,
        probatio.Required(SECTION_ADVANCED, default={}): _LAN_SERVER,
    }
)
RECONFIGURE_LAN_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_HOST): _TEXT,
        probatio.Required(CONF_ACCESS_CODE): _SECRET,
        probatio.Required(SECTION_ADVANCED, default={}): _LAN_SERVER,
    }
)
REAUTH_LAN_SCHEMA = probatio.Schema({probatio.Required(CONF_ACCESS_CODE): _SECRET})
# A printer that announced itself: its address and serial are known.
DISCOVERY_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_ACCESS_CODE): _SECRET,
        probatio.Required(SECTION_ADVANCED, default={}): _LAN_SERVER,
    }
)
DISCOVERY_ACCOUNT_SCHEMA = probatio.Schema({})  # nothing to fill: bind, then submit
PRINTER_OPTIONS_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_HOST): _TEXT,
        probatio.Optional(CONF_ACCESS_CODE): _SECRET,
        probatio.Required(CONF_CAMERA, default=True): BooleanSelector(),
        probatio.Required(CONF_USE_LAN, default=True): BooleanSelector(),
        **COST_FIELDS,
        probatio.Required(SECTION_ADVANCED, default={}): _collapsed(_PRINTER_PORTS),
    }
)

type ErrorForm = Callable[[dict[str, str], dict[str, str]], ConfigFlowResult]


# --- input handling ----------------------------------------------------------------
