"""Config flow for the Bambu Lab Cloud integration.

Two kinds of entries: a Bambu account (a password, then an email/SMS code or
an authenticator code when the cloud asks for one), or one printer on the
local network (host, serial, access code, checked over MQTT). Both can
re-authenticate and be reconfigured; options cover the device list and the
local connection and camera of each printer.

Codes: the ``code`` step always follows a ``request_code``. When a code
expired, a new one is sent automatically and the form says so; the user can
also ask for a new one with the "send a new code" box. When the authenticator
endpoint is blocked, an email (or SMS) code is sent instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import logging
import math
import re
import ssl
from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import (
    CONF_CODE,
    CONF_EMAIL,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio
from yarl import URL

from .bambu.cloud import BambuCloud, CloudDevice, LoginStep
from .bambu.errors import (
    CloudError,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
    RateLimited,
    TwoFactorUnavailable,
    VerificationCodeExpired,
)
from .bambu.hosts import GLOBAL, REGIONS
from .bambu.models import detect_model
from .bambu.mqtt import probe
from .connection import async_mqtt_ssl_context, cloud_client, region_of
from .const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_DEVICE_LIST_INTERVAL,
    CONF_FTP_PORT,
    CONF_IGNORED,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_PRINTERS,
    CONF_REGION,
    CONF_SERIAL,
    CONF_UID,
    DEFAULT_CAMERA_PORT,
    DEFAULT_DEVICE_LIST_INTERVAL,
    DEFAULT_FTP_PORT,
    DEFAULT_MQTT_PORT,
    DOMAIN,
    LOGGER,
    MAX_DEVICE_LIST_INTERVAL,
    MIN_DEVICE_LIST_INTERVAL,
    EntryKind,
)
from .signin import token_data

# Form fields that are never stored under their own name.
SECTION_ADVANCED: Final = "advanced"  # collapsed section of server/port settings
CONF_SEND_NEW_CODE: Final = "send_new_code"
CONF_SELECTED_PRINTERS: Final = "selected_printers"
CONF_CONFIGURE_PRINTER: Final = "configure_printer"

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
_INTERVAL = probatio.All(
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
PRINTER_OPTIONS_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_HOST): _TEXT,
        probatio.Optional(CONF_ACCESS_CODE): _SECRET,
        probatio.Required(CONF_CAMERA, default=True): BooleanSelector(),
        probatio.Required(SECTION_ADVANCED, default={}): _collapsed(_PRINTER_PORTS),
    }
)

type ErrorForm = Callable[[dict[str, str], dict[str, str]], ConfigFlowResult]


# --- input handling ----------------------------------------------------------------


def account_title(account: str) -> str:
    """An account entry's title: tells accounts apart without the address.

    Home Assistant writes entry titles into its log, which must not hold
    the e-mail address (or phone number) of the account.
    """
    name, at, domain = account.partition("@")
    if not at:  # a phone number
        return f"{account[:3]}***{account[-2:]}"
    return f"{name[:1]}***@{domain}"


def _text(value: Any) -> str:
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
        CONF_API_URL: _text(advanced.get(CONF_API_URL)).rstrip("/") or region.api_url,
        CONF_MQTT_HOST: _text(advanced.get(CONF_MQTT_HOST)) or region.mqtt_host,
        CONF_MQTT_PORT: advanced[CONF_MQTT_PORT],
    }
    if ca_pem := _text(advanced.get(CONF_CA_CERT)):
        servers[CONF_CA_CERT] = ca_pem
    return servers


def _known(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that are set: a None suggestion would blank a field's default."""
    return {key: value for key, value in values.items() if value is not None}


def _cloud_suggestions(data: Mapping[str, Any]) -> dict[str, Any]:
    """Suggested cloud form values: server fields only where not the region's."""
    api_url = data.get(CONF_API_URL)
    mqtt_host = data.get(CONF_MQTT_HOST)
    return _known(
        {
            CONF_REGION: region_of(data).key,
            CONF_EMAIL: data.get(CONF_EMAIL),
            SECTION_ADVANCED: _known(
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
        CONF_HOST: _text(user_input.get(CONF_HOST)),
        CONF_ACCESS_CODE: _text(user_input.get(CONF_ACCESS_CODE)),
        CONF_PORT: advanced[CONF_PORT],
        CONF_CAMERA_PORT: advanced[CONF_CAMERA_PORT],
        CONF_FTP_PORT: advanced[CONF_FTP_PORT],
    }
    if ca_pem := _text(advanced.get(CONF_CA_CERT)):
        settings[CONF_CA_CERT] = ca_pem
    return settings


def _printer_suggestions(data: Mapping[str, Any]) -> dict[str, Any]:
    """Suggested LAN form values from stored settings."""
    return _known(
        {
            CONF_HOST: data.get(CONF_HOST),
            CONF_ACCESS_CODE: data.get(CONF_ACCESS_CODE),
            SECTION_ADVANCED: _known(
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


def _input_error(data: Mapping[str, Any]) -> str | None:
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


def _printer_label(device: CloudDevice) -> str:
    """The label of a printer of the account: its name and model."""
    model = detect_model(cloud_names=(device.product_name, device.model_name))
    return f"{device.name or device.serial} ({model.name})"


def _printer_choices(devices: list[CloudDevice]) -> list[SelectOptionDict]:
    return [
        SelectOptionDict(value=device.serial, label=_printer_label(device))
        for device in devices
    ]


def _cloud_error(err: CloudError, placeholders: dict[str, str]) -> str:
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


async def _async_probe(
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


class BambuConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Bambu account or a printer on the local network."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with no login in progress."""
        self._cloud: BambuCloud | None = None
        self._account = ""
        self._servers: dict[str, Any] = {}
        self._tfa_key = ""
        self._devices: list[CloudDevice] = []
        self._uid = ""
        # The form a login starts from, to show an error after a lost login.
        self._login_form: ErrorForm = self._cloud_form

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

    # --- Bambu account ------------------------------------------------------------

    async def async_step_cloud(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to a Bambu account."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        self._login_form = self._cloud_form
        if user_input is not None:
            self._account = _text(user_input[CONF_EMAIL])
            self._servers = cloud_servers(user_input)
            if error := _input_error(self._servers):
                errors["base"] = error
            else:
                try:
                    return await self._async_login(user_input[CONF_PASSWORD])
                except CloudError as err:
                    errors["base"] = _cloud_error(err, placeholders)
        return self._cloud_form(errors, placeholders)

    def _cloud_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="cloud",
            data_schema=self.add_suggested_values_to_schema(
                CLOUD_SCHEMA,
                _cloud_suggestions({**self._servers, CONF_EMAIL: self._account}),
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _async_login(self, password: str) -> ConfigFlowResult:
        """Log in with the password, then go where the cloud asks."""
        self._cloud = cloud_client(self.hass, self._servers)
        result = await self._cloud.login(self._account, password)
        if result.token:
            return await self._async_logged_in()
        if result.needs is LoginStep.TFA and result.tfa_key:
            self._tfa_key = result.tfa_key
            return await self.async_step_tfa()
        await self._cloud.request_code(self._account)
        return await self.async_step_code()

    async def async_step_code(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the code the cloud sent by email or SMS, or ask for a new one."""
        if TYPE_CHECKING:
            assert self._cloud is not None
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            code = _text(user_input.get(CONF_CODE))
            try:
                if user_input[CONF_SEND_NEW_CODE]:
                    await self._cloud.request_code(self._account)
                    errors["base"] = "code_sent"
                elif not code:
                    errors["base"] = "invalid_code"
                else:
                    try:
                        await self._cloud.login_with_code(self._account, code)
                    except VerificationCodeExpired:
                        await self._cloud.request_code(self._account)
                        errors["base"] = "code_expired"
                    else:
                        return await self._async_logged_in()
            except CloudError as err:
                errors["base"] = _cloud_error(err, placeholders)
        return self._code_form(errors, placeholders)

    def _code_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="code",
            data_schema=CODE_SCHEMA,
            errors=errors,
            description_placeholders={**placeholders, "account": self._account},
        )

    async def async_step_tfa(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the code of the authenticator app."""
        if TYPE_CHECKING:
            assert self._cloud is not None
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            try:
                try:
                    await self._cloud.login_with_tfa(
                        self._tfa_key, _text(user_input[CONF_CODE])
                    )
                except TwoFactorUnavailable:
                    # Often blocked for third parties: a login code works too.
                    LOGGER.debug(
                        "2FA sign-in unavailable; sending a login code instead"
                    )
                    await self._cloud.request_code(self._account)
                    return self._code_form({"base": "tfa_unavailable"}, {})
                return await self._async_logged_in()
            except CloudError as err:
                errors["base"] = _cloud_error(err, placeholders)
        return self.async_show_form(
            step_id="tfa",
            data_schema=TFA_SCHEMA,
            errors=errors,
            description_placeholders={**placeholders, "account": self._account},
        )

    async def _async_logged_in(self) -> ConfigFlowResult:
        """Identify the account, then add, re-authenticate or reconfigure it."""
        if TYPE_CHECKING:
            assert self._cloud is not None
        cloud = self._cloud
        adding = self.source == SOURCE_USER
        try:
            self._uid = await cloud.get_uid()
            await self.async_set_unique_id(self._uid, raise_on_progress=adding)
            if adding:
                self._abort_if_unique_id_configured()
                self._devices = await cloud.get_devices()
        except CloudError as err:
            # Codes are single use: start again from the password.
            self._cloud = None
            placeholders: dict[str, str] = {}
            return self._login_form(
                {"base": _cloud_error(err, placeholders)}, placeholders
            )
        if adding:
            return await self.async_step_printers()
        self._abort_if_unique_id_mismatch(reason="wrong_account")
        if self.source == SOURCE_REAUTH:
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates=token_data(cloud.tokens)
            )
        return self.async_update_reload_and_abort(
            self._get_reconfigure_entry(), data=self._cloud_data()
        )

    def _cloud_data(self) -> dict[str, Any]:
        if TYPE_CHECKING:
            assert self._cloud is not None
        return {
            CONF_KIND: EntryKind.CLOUD.value,
            CONF_EMAIL: self._account,
            CONF_UID: self._uid,
            **token_data(self._cloud.tokens),
            **self._servers,
        }

    async def async_step_printers(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose which of the account's printers to add."""
        if user_input is not None:
            chosen = set(user_input.get(CONF_SELECTED_PRINTERS, []))
            ignored = [d.serial for d in self._devices if d.serial not in chosen]
            return self.async_create_entry(
                title=account_title(self._account),
                data=self._cloud_data(),
                options={CONF_IGNORED: ignored},
            )
        fields: dict[Any, Any] = {}
        if self._devices:
            fields[
                probatio.Required(
                    CONF_SELECTED_PRINTERS, default=[d.serial for d in self._devices]
                )
            ] = SelectSelector(
                SelectSelectorConfig(
                    options=_printer_choices(self._devices),
                    multiple=True,
                    mode=SelectSelectorMode.LIST,
                )
            )
        return self.async_show_form(
            step_id="printers",
            data_schema=probatio.Schema(fields),
            description_placeholders={
                "account": self._account,
                "count": str(len(self._devices)),
            },
        )

    # --- printer on the network ---------------------------------------------------

    async def async_step_lan(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add one printer reached on the local network."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            serial = _text(user_input[CONF_SERIAL]).upper()
            settings = printer_settings(user_input)
            if not _SERIAL.fullmatch(serial):
                errors[CONF_SERIAL] = "invalid_serial"
            elif not settings[CONF_HOST]:
                errors[CONF_HOST] = "invalid_host"
            elif error := _input_error(settings):
                errors["base"] = error
            else:
                await self.async_set_unique_id(serial)
                self._abort_if_unique_id_configured()
                info = await _async_probe(
                    self.hass, settings, serial, settings, errors, placeholders
                )
                if info is not None:
                    return self.async_create_entry(
                        title=f"{detect_model(info).name} {serial}",
                        data={
                            CONF_KIND: EntryKind.LAN.value,
                            CONF_SERIAL: serial,
                            **settings,
                        },
                    )
        return self.async_show_form(
            step_id="lan",
            data_schema=self.add_suggested_values_to_schema(LAN_SCHEMA, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    # --- re-authentication ---------------------------------------------------------

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The cloud refused the token, or the printer the access code."""
        if entry_data[CONF_KIND] == EntryKind.LAN:
            return await self.async_step_reauth_lan()
        self._account = entry_data[CONF_EMAIL]
        # The REST servers the entry uses; the rest of its data stays as it is.
        self._servers = {
            key: entry_data[key]
            for key in (CONF_REGION, CONF_API_URL)
            if key in entry_data
        }
        self._login_form = self._reauth_form
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in again with the password of the stored account."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            try:
                return await self._async_login(user_input[CONF_PASSWORD])
            except CloudError as err:
                errors["base"] = _cloud_error(err, placeholders)
        return self._reauth_form(errors, placeholders)

    def _reauth_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            errors=errors,
            description_placeholders={**placeholders, "account": self._account},
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
                CONF_ACCESS_CODE: _text(user_input[CONF_ACCESS_CODE]),
            }
            info = await _async_probe(
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

    # --- reconfiguration -----------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the region or servers of an account (signing in again)."""
        entry = self._get_reconfigure_entry()
        if entry.data[CONF_KIND] == EntryKind.LAN:
            return await self.async_step_reconfigure_lan()
        self._account = entry.data[CONF_EMAIL]
        self._login_form = self._reconfigure_form
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            self._servers = cloud_servers(user_input)
            if error := _input_error(self._servers):
                errors["base"] = error
            else:
                try:
                    return await self._async_login(user_input[CONF_PASSWORD])
                except CloudError as err:
                    errors["base"] = _cloud_error(err, placeholders)
        return self._reconfigure_form(errors, placeholders)

    def _reconfigure_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        current = self._servers or self._get_reconfigure_entry().data
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, _cloud_suggestions(current)
            ),
            errors=errors,
            description_placeholders={**placeholders, "account": self._account},
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
            elif error := _input_error(settings):
                errors["base"] = error
            elif (
                await _async_probe(
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
                    data={
                        CONF_KIND: EntryKind.LAN.value,
                        CONF_SERIAL: serial,
                        **settings,
                    },
                )
        return self.async_show_form(
            step_id="reconfigure_lan",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_LAN_SCHEMA, _printer_suggestions(suggested)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


# --- options -------------------------------------------------------------------------


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
        """The camera of a LAN printer."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(
                data={**options, CONF_CAMERA: user_input[CONF_CAMERA]}
            )
        return self.async_show_form(
            step_id="lan",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_CAMERA, default=options.get(CONF_CAMERA, True)
                    ): BooleanSelector()
                }
            ),
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
            errors["base"] = _cloud_error(err, placeholders)
        fields: dict[Any, Any] = {
            probatio.Required(
                CONF_DEVICE_LIST_INTERVAL,
                default=options.get(
                    CONF_DEVICE_LIST_INTERVAL, DEFAULT_DEVICE_LIST_INTERVAL
                ),
            ): _INTERVAL
        }
        if self._devices:
            ignored = set(options.get(CONF_IGNORED, []))
            choices = _printer_choices(self._devices)
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
        placeholders: dict[str, str] = {"name": _printer_label(device)}
        suggested = _known(
            {
                **_printer_suggestions(current),
                CONF_ACCESS_CODE: current.get(CONF_ACCESS_CODE, device.access_code),
                CONF_CAMERA: current.get(CONF_CAMERA, True),
            }
        )
        if user_input is not None:
            settings: dict[str, Any] = {CONF_CAMERA: user_input[CONF_CAMERA]}
            local = printer_settings(user_input)
            suggested = {
                **_printer_suggestions(local),
                CONF_CAMERA: settings[CONF_CAMERA],
            }
            # An empty host: cloud only, nothing to check.
            if local[CONF_HOST]:
                settings.update(local)
                await _async_probe(
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
