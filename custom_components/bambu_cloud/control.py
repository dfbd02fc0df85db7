"""Sending commands to a printer and turning its answer into Home Assistant's.

Every command waits for the printer's reply. What goes wrong becomes a
translated error: ``ServiceValidationError`` for input the printer can never
accept (nothing is sent), ``HomeAssistantError`` for a refusal, a timeout, a
missing link or a printer the cloud reports offline (refused at once). A refusal because third-party control is locked also raises
a repair issue that explains LAN developer mode; the first command that
works again removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir

from .bambu.errors import (
    CommandRefused,
    CommandTimeout,
    InvalidCommand,
    LinkError,
    NotSupported,
    UnknownTarget,
    ValueOutOfRange,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from .bambu.mqtt import PrinterLink
    from .coordinator import PrinterCoordinator

COMMAND_TIMEOUT: Final = 10.0  # seconds; printers answer within one or two
CONTROL_LOCKED_ISSUE: Final = "control_locked"
LAN_MODE_URL: Final = "https://wiki.bambulab.com/en/knowledge-sharing/enable-lan-mode"


def control_locked_issue_id(serial: str) -> str:
    """The repair issue of one printer's locked control."""
    return f"{CONTROL_LOCKED_ISSUE}_{serial}"


def invalid_input(err: InvalidCommand) -> ServiceValidationError:
    """Input the printer can never accept, as a translated validation error."""
    placeholders: dict[str, str]
    if isinstance(err, ValueOutOfRange | UnknownTarget | NotSupported):
        key, placeholders = err.key, dict(err.placeholders)
    else:
        key, placeholders = InvalidCommand.key, {"error": str(err)}
    return ServiceValidationError(
        str(err),
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def build_command[**P](
    builder: Callable[P, dict[str, Any]], *args: P.args, **kwargs: P.kwargs
) -> dict[str, Any]:
    """Build a command payload; bad input raises ``ServiceValidationError``."""
    try:
        return builder(*args, **kwargs)
    except InvalidCommand as err:
        raise invalid_input(err) from err


def _error(
    key: str, coordinator: PrinterCoordinator, **extra: str
) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"name": coordinator.printer_name, **extra},
    )


def _connected_link(coordinator: PrinterCoordinator) -> PrinterLink:
    if coordinator.data.online is False and not coordinator.lan_up:
        # The cloud says the printer is offline and no LAN link reaches it:
        # nothing would answer, so refuse now rather than after the timeout.
        raise _error("printer_offline", coordinator)
    link = coordinator.config_entry.runtime_data.link_for(coordinator.serial)
    if link is None or not link.connected:
        raise _error("not_connected", coordinator)
    return link


async def async_send(
    coordinator: PrinterCoordinator,
    payload: dict[str, Any],
    *,
    timeout: float = COMMAND_TIMEOUT,  # noqa: ASYNC109
) -> dict[str, Any]:
    """Send ``payload`` and return the printer's reply, or raise a translated error."""
    hass = coordinator.hass
    link = _connected_link(coordinator)
    try:
        reply = await link.request(coordinator.serial, payload, timeout)
    except CommandRefused as err:
        if err.locked:
            async_control_locked(hass, coordinator, locked=True)
            raise _error("control_locked", coordinator) from err
        raise _error(
            "command_refused", coordinator, reason=err.reason or str(err.err_code)
        ) from err
    except CommandTimeout as err:
        raise _error("command_timeout", coordinator, seconds=f"{timeout:g}") from err
    except LinkError as err:
        raise _error("not_connected", coordinator) from err
    async_control_locked(hass, coordinator, locked=False)
    return reply


async def async_publish(
    coordinator: PrinterCoordinator, payload: dict[str, Any]
) -> None:
    """Send a message the printer answers with a report, not a reply (pushall)."""
    link = _connected_link(coordinator)
    try:
        await link.publish(coordinator.serial, payload)
    except LinkError as err:
        raise _error("not_connected", coordinator) from err


@callback
def async_control_locked(
    hass: HomeAssistant, coordinator: PrinterCoordinator, *, locked: bool
) -> None:
    """Raise or clear the repair issue of a printer whose control is locked."""
    issue_id = control_locked_issue_id(coordinator.serial)
    if not locked:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        is_persistent=False,
        learn_more_url=LAN_MODE_URL,
        severity=ir.IssueSeverity.WARNING,
        translation_key=CONTROL_LOCKED_ISSUE,
        translation_placeholders={"name": coordinator.printer_name},
    )
