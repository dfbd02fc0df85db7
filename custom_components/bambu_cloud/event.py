"""Events: print jobs, HMS (health) messages, and the account's messages.

The print event fires the job transitions the library decides
(``bambu.lifecycle``, one per transition, through the coordinator's job
listeners): the same ones the history records. HMS events come from changes
between two reports; what the printer shows in the first report after the
entity is added, or after the printer was unreachable or offline, is taken
as the starting point and fires nothing: it is not a change anyone saw.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .aiobambulab.cloud_messages import AccountMessage, MessageKind
from .aiobambulab.depends import depends_on
from .aiobambulab.hms import HmsCatalog, format_error_code
from .aiobambulab.job_views import HmsCode
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .aiobambulab.markers import CHANGED_ONLINE, CHANGED_VERSION
from .aiobambulab.state import PrinterState
from .const import ACCOUNT_PREFIX, DOMAIN
from .coordinator import CHANGED_AVAILABILITY, PrinterCoordinator
from .entity import (
    MANUFACTURER,
    BambuEntity,
    BambuEntityDescription,
    async_add_printer_entities,
    entry_runtime,
)
from .first_layer import FirstLayerWatch
from .job_cost_tracker import JobCosts
from .notifications import NotificationCoordinator
from .runtime import BambuConfigEntry

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0


class PrintEventType(StrEnum):
    """The print event's types: the job transitions, and the first layer done."""

    STARTED = TransitionKind.STARTED.value
    PAUSED = TransitionKind.PAUSED.value
    RESUMED = TransitionKind.RESUMED.value
    FINISHED = TransitionKind.FINISHED.value
    FAILED = TransitionKind.FAILED.value
    CANCELED = TransitionKind.CANCELED.value
    ABANDONED = TransitionKind.ABANDONED.value
    FIRST_LAYER_DONE = "first_layer_done"  # the moment to take a snapshot


_LAYER_PATHS: Final = depends_on(PrinterState.current_layer)


class HmsEventType(StrEnum):
    """An HMS message appeared or went away."""

    RAISED = "raised"
    CLEARED = "cleared"


# Changed paths that do not come from a print report.
_NOT_A_REPORT: Final = frozenset(
    {CHANGED_AVAILABILITY, CHANGED_ONLINE, CHANGED_VERSION}
)

type Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class BambuEventEntityDescription(BambuEntityDescription, EventEntityDescription):
    """An event entity of a printer."""


PRINT_EVENT = BambuEventEntityDescription(
    key="print",
    translation_key="print",
    event_types=[event.value for event in PrintEventType],
    paths=depends_on(PrinterState.job_state),
)
HMS_EVENT = BambuEventEntityDescription(
    key="hms",
    translation_key="hms",
    event_types=[event.value for event in HmsEventType],
    paths=depends_on(PrinterState.hms),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of each printer, and the account's messages."""
    runtime = entry_runtime(entry)
    catalog = runtime.catalog
    async_add_printer_entities(
        entry,
        async_add_entities,
        lambda coordinator: (
            BambuPrintEvent(coordinator, PRINT_EVENT, catalog, runtime.costs),
            BambuHmsEvent(coordinator, HMS_EVENT, catalog),
        ),
    )
    notifications = runtime.notifications
    if notifications is None:
        return  # a LAN entry has no account
    async_add_entities(
        [BambuAccountMessageEvent(notifications, entry, runtime.printers)]
    )
    # The first read is only the starting point; it need not hold up setup.
    entry.async_create_background_task(
        hass, notifications.async_refresh(), f"{DOMAIN} notifications first read"
    )


class BambuEventEntity(BambuEntity, EventEntity):
    """An event entity that fires on what changed between two reports."""

    entity_description: BambuEventEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuEventEntityDescription,
        catalog: HmsCatalog,
    ) -> None:
        """Attach to the printer; ``catalog`` translates codes."""
        super().__init__(coordinator, description)
        self._catalog = catalog
        self._awaiting_baseline = True

    async def async_added_to_hass(self) -> None:
        """Take the current report as the starting point."""
        await super().async_added_to_hass()
        if self.available:
            self._take_baseline()
            self._awaiting_baseline = False

    @abstractmethod
    def _take_baseline(self) -> None:
        """Remember what the printer reports now."""

    @abstractmethod
    def _events(self) -> list[Event]:
        """The events since the last report, remembering the new one."""

    @callback
    def _handle_coordinator_update(self) -> None:
        changed = self.coordinator.changed
        if not self.available:
            # What happens while the printer is away is not seen.
            self._awaiting_baseline = True
        elif self._awaiting_baseline:
            if changed - _NOT_A_REPORT:
                self._take_baseline()
                self._awaiting_baseline = False
        elif self.entity_description.paths & changed:
            events = self._events()
            for event_type, attributes in events:
                self._trigger_event(event_type, attributes)
                self.async_write_ha_state()
            if events:
                return
        if CHANGED_AVAILABILITY in changed:
            self.async_write_ha_state()


class BambuPrintEvent(BambuEntity, EventEntity):
    """Fires when a print job starts, pauses, resumes and ends."""

    entity_description: BambuEventEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuEventEntityDescription,
        catalog: HmsCatalog,
        costs: JobCosts,
    ) -> None:
        """Attach to the printer; ``catalog`` translates error codes."""
        super().__init__(coordinator, description)
        self._catalog = catalog
        self._costs = costs
        self._first_layer = FirstLayerWatch()

    async def async_added_to_hass(self) -> None:
        """Follow the printer's job transitions."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_job_listener(self._handle_transition)
        )

    @callback
    def _handle_transition(self, transition: JobTransition) -> None:
        if transition.kind is TransitionKind.STARTED:
            self._first_layer.started(transition.job_key)
        attributes: dict[str, Any] = {
            "job_name": transition.job_name,
            "progress": transition.progress,
        }
        if transition.error_code is not None:
            attributes["error_code"] = format_error_code(transition.error_code)
            attributes["error"] = self._catalog.error_text(
                transition.error_code, self.state_data.model.key
            )
        serial = self.coordinator.serial
        if transition.kind.ends_job and self._costs.settings(serial).any_set:
            # What the job used and cost, failed or not.
            attributes |= self._costs.result(serial, transition).as_dict()
        self._trigger_event(transition.kind.value, attributes)
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        changed = self.coordinator.changed
        if _LAYER_PATHS & changed and self._first_layer_done():
            return
        if CHANGED_AVAILABILITY in changed:
            self.async_write_ha_state()

    @callback
    def _first_layer_done(self) -> bool:
        """Fire when the job's first layer is done; return whether it did."""
        job = self.coordinator.jobs.current
        layer = self.state_data.current_layer
        if not self._first_layer.update(None if job is None else job.key, layer):
            return False
        self._trigger_event(
            PrintEventType.FIRST_LAYER_DONE.value,
            {"job_name": job.job_name if job else None, "layer": layer},
        )
        self.async_write_ha_state()
        return True


class BambuHmsEvent(BambuEventEntity):
    """Fires once for every HMS message that appears or goes away."""

    _codes: Mapping[str, HmsCode] = {}

    def _active_codes(self) -> dict[str, HmsCode]:
        codes: dict[str, HmsCode] = {}
        for hms in self.state_data.hms:
            codes.setdefault(hms.id, hms)
        return codes

    def _take_baseline(self) -> None:
        self._codes = self._active_codes()

    def _events(self) -> list[Event]:
        previous, current = self._codes, self._active_codes()
        self._codes = current
        cleared = [code for key, code in previous.items() if key not in current]
        raised = [code for key, code in current.items() if key not in previous]
        return [
            *((HmsEventType.CLEARED.value, self._attributes(c)) for c in cleared),
            *((HmsEventType.RAISED.value, self._attributes(c)) for c in raised),
        ]

    def _attributes(self, hms: HmsCode) -> dict[str, Any]:
        model = self.state_data.model.key
        return {
            "code": hms.id,
            "formatted_code": hms.formatted,
            "severity": hms.severity.key,
            "module": hms.module.value,
            "text": self._catalog.hms_text(hms.id, model),
            "wiki_url": self._catalog.wiki_url(hms.id, model),
        }


class BambuAccountMessageEvent(CoordinatorEntity[NotificationCoordinator], EventEntity):
    """Fires once for every new message or notification of the account."""

    _attr_has_entity_name = True
    _attr_translation_key = "account_message"

    def __init__(
        self,
        coordinator: NotificationCoordinator,
        entry: BambuConfigEntry,
        printers: Mapping[str, PrinterCoordinator],
    ) -> None:
        """Attach to the account's own device; ``printers`` name the serials."""
        super().__init__(coordinator)
        self._printers = printers
        self._attr_event_types = [kind.value for kind in MessageKind]
        account = entry.unique_id or entry.entry_id
        self._attr_unique_id = f"{account}_account_message"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{ACCOUNT_PREFIX}{account}")},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=MANUFACTURER,
            translation_key="account",
        )

    @property
    def available(self) -> bool:
        """Always: a cloud outage only means no news; the last event stays."""
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        for message in self.coordinator.new:
            self._trigger_event(message.kind.value, self._attributes(message))
            self.async_write_ha_state()

    def _attributes(self, message: AccountMessage) -> dict[str, Any]:
        printer = self._printers.get(message.device_id or "")
        return {
            "message_id": message.id,
            "type": message.type,
            "text": message.text,
            "time": None if message.time is None else message.time.isoformat(),
            "serial": message.device_id,
            "printer": None if printer is None else printer.printer_name,
        }
