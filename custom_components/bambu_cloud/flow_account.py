"""The config flow of a Bambu account.

A password, then an email/SMS code or an authenticator code when the cloud
asks for one; then the printers to add. The same sign-in re-authenticates
and reconfigures an account entry.

Codes: the ``code`` step always follows a ``request_code``. When a code
expired, a new one is sent automatically and the form says so; the user can
also ask for a new one with the "send a new code" box. When the authenticator
endpoint is blocked, an email (or SMS) code is sent instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_CODE, CONF_EMAIL, CONF_PASSWORD
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_devices import CloudDevice
from .aiobambulab.cloud_signin import LoginStep
from .aiobambulab.errors import (
    CloudError,
    TwoFactorUnavailable,
    VerificationCodeExpired,
)
from .connection import cloud_client
from .const import (
    CONF_API_URL,
    CONF_IGNORED,
    CONF_KIND,
    CONF_REGION,
    CONF_UID,
    LOGGER,
    EntryKind,
)
from .flow_helpers import (
    account_title,
    cloud_error,
    cloud_servers,
    cloud_suggestions,
    form_text,
    input_error,
    printer_choices,
)
from .flow_schemas import (
    CLOUD_SCHEMA,
    CODE_SCHEMA,
    CONF_SELECTED_PRINTERS,
    CONF_SEND_NEW_CODE,
    REAUTH_SCHEMA,
    RECONFIGURE_SCHEMA,
    TFA_SCHEMA,
    ErrorForm,
)
from .signin import token_data


class AccountFlow(ConfigFlow):
    """A Bambu account's steps: sign-in with codes, printers, reauth, reconfigure."""

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

    async def async_step_cloud(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to a Bambu account."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        self._login_form = self._cloud_form
        if user_input is not None:
            self._account = form_text(user_input[CONF_EMAIL])
            self._servers = cloud_servers(user_input)
            if error := input_error(self._servers):
                errors["base"] = error
            else:
                try:
                    return await self._async_login(user_input[CONF_PASSWORD])
                except CloudError as err:
                    errors["base"] = cloud_error(err, placeholders)
        return self._cloud_form(errors, placeholders)

    def _cloud_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="cloud",
            data_schema=self.add_suggested_values_to_schema(
                CLOUD_SCHEMA,
                cloud_suggestions({**self._servers, CONF_EMAIL: self._account}),
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
            code = form_text(user_input.get(CONF_CODE))
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
                errors["base"] = cloud_error(err, placeholders)
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
                        self._tfa_key, form_text(user_input[CONF_CODE])
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
                errors["base"] = cloud_error(err, placeholders)
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
                {"base": cloud_error(err, placeholders)}, placeholders
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
                    options=printer_choices(self._devices),
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

    # --- re-authentication ---------------------------------------------------------

    async def _async_reauth_account(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The cloud refused the token: sign in again to the stored account."""
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
                errors["base"] = cloud_error(err, placeholders)
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

    # --- reconfiguration -----------------------------------------------------------

    async def _async_reconfigure_account(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the region or servers of an account (signing in again)."""
        self._account = entry.data[CONF_EMAIL]
        self._login_form = self._reconfigure_form
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            self._servers = cloud_servers(user_input)
            if error := input_error(self._servers):
                errors["base"] = error
            else:
                try:
                    return await self._async_login(user_input[CONF_PASSWORD])
                except CloudError as err:
                    errors["base"] = cloud_error(err, placeholders)
        return self._reconfigure_form(errors, placeholders)

    def _reconfigure_form(
        self, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        current = self._servers or self._get_reconfigure_entry().data
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, cloud_suggestions(current)
            ),
            errors=errors,
            description_placeholders={**placeholders, "account": self._account},
        )
