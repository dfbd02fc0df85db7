"""Turning the printer's typed command errors into Home Assistant's.

Entities and actions send every command through one of the library
``Printer``'s typed methods, awaited here by ``async_command``: its errors
become translated ones, ``ServiceValidationError`` for input the printer can
never accept (nothing is sent), ``HomeAssistantError`` for a refusal, a
timeout, a missing link or a printer the cloud reports offline (refused at
once). A refusal because third-party control is locked also raises a repair
issue that explains LAN developer mode; the first command that works again
removes it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir

from .aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
    InvalidCommand,
    LinkError,
    NotSupported,
    PrinterOffline,
    UnknownTarget,
    ValueOutOfRange,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

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


def invalid_call(key: str, **placeholders: str) -> ServiceValidationError:
    """An action's input that names nothing usable, as a translated error."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _error(
    key: str, coordinator: PrinterCoordinator, **extra: str
) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"name": coordinator.printer_name, **extra},
    )


async def async_command[T](coordinator: PrinterCoordinator, command: Awaitable[T]) -> T:
    """Await one of the printer's typed commands; its errors become translated ones.

    ``await async_command(coordinator, coordinator.printer.pause())``.
    """
    hass = coordinator.hass
    try:
        result = await command
    except InvalidCommand as err:
        raise invalid_input(err) from err
    except PrinterOffline as err:
        raise _error("printer_offline", coordinator) from err
    except CommandRefused as err:
        if err.locked:
            async_control_locked(hass, coordinator, locked=True)
            raise _error("control_locked", coordinator) from err
        raise _error(
            "command_refused", coordinator, reason=err.reason or str(err.err_code)
        ) from err
    except CommandTimeout as err:
        seconds = err.placeholders.get(
            "seconds", f"{coordinator.printer.command_timeout:g}"
        )
        raise _error("command_timeout", coordinator, seconds=seconds) from err
    except LinkError as err:
        raise _error("not_connected", coordinator) from err
    async_control_locked(hass, coordinator, locked=False)
    return result


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
