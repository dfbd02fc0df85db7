"""The repair issues of an entry's links, and its reauth on refused credentials.

A server whose certificate does not verify (the cloud broker or a printer)
and a printer that refuses its access code each raise an issue; the link
keeps retrying with backoff and the issue goes once it connects again. A
LAN entry's printer refusing its access code after setup asks the user to
sign in again (a cloud entry's refused token goes through ``signin.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .aiobambulab.errors import ConnectionFailure
from .aiobambulab.link_health import LinkStatus
from .const import CONF_KIND, CONF_MQTT_HOST, CONF_UID, DOMAIN, EntryKind

TLS_UNTRUSTED_ISSUE: Final = "tls_untrusted"
ACCESS_CODE_ISSUE: Final = "access_code_refused"


def tls_untrusted_issue_id(key: str) -> str:
    """The repair issue of an untrusted server: ``key`` a serial or account id."""
    return f"{TLS_UNTRUSTED_ISSUE}_{key}"


def access_code_issue_id(serial: str) -> str:
    """The repair issue of a printer that refuses its access code."""
    return f"{ACCESS_CODE_ISSUE}_{serial}"


class LinkIssues:
    """Raises and clears the link issues of one config entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        name_of: Callable[[str], str],
        host_of: Callable[[str], str],
    ) -> None:
        """Start with no issue raised; a printer's name and host come by serial."""
        self.hass = hass
        self._entry = entry
        kind = EntryKind(entry.data.get(CONF_KIND, EntryKind.CLOUD))
        self._lan_entry = kind is EntryKind.LAN
        self._name_of = name_of
        self._host_of = host_of
        self._raised: set[str] = set()

    @callback
    def cloud_status(self, status: LinkStatus) -> None:
        """Follow the account's cloud broker link."""
        entry = self._entry
        key = str(entry.data.get(CONF_UID, entry.entry_id))
        host = str(entry.data[CONF_MQTT_HOST])
        self.check_trust(key, status, name=entry.title, host=host)

    @callback
    def lan_status(self, serial: str, status: LinkStatus) -> None:
        """Follow a printer's own LAN link."""
        name, host = self._name_of(serial), self._host_of(serial)
        self.check_trust(serial, status, name=name, host=host)
        if not self._lan_entry:
            self.check_access_code(serial, status, name=name, host=host)
        elif not status.connected and status.failure is ConnectionFailure.CREDENTIALS:
            # The printer refused the access code after setup: reauth.
            self._entry.async_start_reauth(self.hass)

    @callback
    def check_trust(
        self, key: str, status: LinkStatus, *, name: str, host: str
    ) -> None:
        """Raise or clear the issue of a server that is not trusted.

        The link never connects without verification: it keeps retrying
        with backoff, and the issue goes once a trusted certificate is back.
        """
        issue_id = tls_untrusted_issue_id(key)
        if status.connected:
            # Also an issue a failed setup left behind.
            self._clear(issue_id)
            return
        if not status.untrusted or issue_id in self._raised:
            return
        self._raise(issue_id, TLS_UNTRUSTED_ISSUE, name=name, host=host)

    @callback
    def check_access_code(
        self, serial: str, status: LinkStatus, *, name: str, host: str
    ) -> None:
        """Raise or clear the issue of a refused per-printer access code.

        The LAN link keeps retrying with backoff (the cloud carries the
        printer meanwhile); the issue goes once the printer accepts it.
        """
        issue_id = access_code_issue_id(serial)
        if status.connected:
            self._clear(issue_id)
            return
        if status.failure is ConnectionFailure.CREDENTIALS:
            # Gone on unload too: the options may no longer give this
            # printer a LAN address.
            self._raise(issue_id, ACCESS_CODE_ISSUE, name=name, host=host)

    @callback
    def clear_all(self) -> None:
        """Remove every issue raised (the entry unloads)."""
        for issue_id in self._raised:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        self._raised.clear()

    def _clear(self, issue_id: str) -> None:
        self._raised.discard(issue_id)
        ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _raise(self, issue_id: str, key: str, **placeholders: str) -> None:
        self._raised.add(issue_id)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=key,
            translation_placeholders=placeholders,
        )
