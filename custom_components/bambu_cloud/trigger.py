"""Triggers of the automation editor: print jobs, HMS errors, filament.

Each targets printers (devices) and is built on what the integration already
shows: a state change of the print or HMS event entity with the event type
(what the state trigger on those entities would need spelled out), and the
filament shortage event on the bus. Home Assistant expands a device, area or
label target to the entities; only this integration's own event entities of
the right kind are followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast, override

from homeassistant.components.event import ATTR_EVENT_TYPE, DOMAIN as EVENT_DOMAIN
from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, State, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.automation import DomainSpec
from homeassistant.helpers.target import (
    TargetSelection,
    async_extract_referenced_entity_ids,
)
from homeassistant.helpers.trigger import (
    ENTITY_STATE_TRIGGER_SCHEMA,
    NotTriggeredReasonReporter,
    StatelessEntityTriggerBase,
    Trigger,
    TriggerActionRunner,
    TriggerConfig,
    TriggerNotTriggeredReporter,
)
from homeassistant.helpers.typing import ConfigType
import probatio

from .aiobambulab.hms import HmsSeverity
from .binary_sensor import EVENT_FILAMENT_SHORTAGE
from .const import DOMAIN
from .event import HMS_EVENT, PRINT_EVENT, HmsEventType, PrintEventType

# The event entities followed, by their translation key.
PRINT_EVENT_KIND: Final = cast("str", PRINT_EVENT.translation_key)
HMS_EVENT_KIND: Final = cast("str", HMS_EVENT.translation_key)
CONF_SEVERITY: Final = "severity"
# The severities a user can pick; "unknown" is no choice anyone makes.
SEVERITIES: Final = [
    severity.key for severity in HmsSeverity if severity is not HmsSeverity.UNKNOWN
]

HMS_TRIGGER_SCHEMA = ENTITY_STATE_TRIGGER_SCHEMA.extend(
    {
        probatio.Required(CONF_OPTIONS, default={}): {
            probatio.Optional(CONF_SEVERITY): probatio.All(
                probatio.EnsureList(), [probatio.In(SEVERITIES)]
            ),
        },
    }
)


class BambuEventEntityTrigger(StatelessEntityTriggerBase):
    """Fires when one of the integration's event entities fires an event type."""

    _domain_specs = {EVENT_DOMAIN: DomainSpec()}  # noqa: RUF012  # as in core
    # The kind of event entity followed (its translation key) and its events.
    _entity_kind: str
    _event_types: frozenset[str]

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """Only this integration's event entities of the trigger's kind."""
        registry = er.async_get(self._hass)
        return {
            entity_id
            for entity_id in super().entity_filter(entities)
            if (entry := registry.async_get(entity_id)) is not None
            and entry.platform == DOMAIN
            and entry.translation_key == self._entity_kind
        }

    @override
    def is_valid_state(
        self, state: State, report_not_triggered: NotTriggeredReasonReporter
    ) -> bool:
        """Whether the entity just fired the trigger's event type."""
        return state.attributes.get(ATTR_EVENT_TYPE) in self._event_types


class PrintEventTrigger(BambuEventEntityTrigger):
    """Fires on one event of the print job event entity."""

    _entity_kind = PRINT_EVENT_KIND


class PrintStartedTrigger(PrintEventTrigger):
    """A print job started."""

    _event_types = frozenset({PrintEventType.STARTED.value})


class PrintFinishedTrigger(PrintEventTrigger):
    """A print job finished."""

    _event_types = frozenset({PrintEventType.FINISHED.value})


class PrintFailedTrigger(PrintEventTrigger):
    """A print job failed (a stop by the user is "canceled", not this).

    A job that ended without finishing or failing (power lost, cleared by the
    firmware) counts as failed, as the print history counts it.
    """

    _event_types = frozenset(
        {PrintEventType.FAILED.value, PrintEventType.ABANDONED.value}
    )


class PrintPausedTrigger(PrintEventTrigger):
    """A print job paused, by the user or the printer."""

    _event_types = frozenset({PrintEventType.PAUSED.value})


class PrintFirstLayerDoneTrigger(PrintEventTrigger):
    """A print job's first layer is done: the moment for a snapshot."""

    _event_types = frozenset({PrintEventType.FIRST_LAYER_DONE.value})


class HmsErrorRaisedTrigger(BambuEventEntityTrigger):
    """Fires when the printer raises an HMS message, of any or chosen severity."""

    _schema = HMS_TRIGGER_SCHEMA
    _entity_kind = HMS_EVENT_KIND
    _event_types = frozenset({HmsEventType.RAISED.value})

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Remember the severities asked for; none means every severity."""
        super().__init__(hass, config)
        self._severities = frozenset(self._options.get(CONF_SEVERITY, ()))

    @override
    def is_valid_state(
        self, state: State, report_not_triggered: NotTriggeredReasonReporter
    ) -> bool:
        """A raised message of a severity asked for."""
        if not super().is_valid_state(state, report_not_triggered):
            return False
        severity = state.attributes.get(CONF_SEVERITY)
        if self._severities and severity not in self._severities:
            report_not_triggered("severity_not_selected", severity=severity)
            return False
        return True


FILAMENT_SHORTAGE_TRIGGER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_TARGET): cv.TARGET_FIELDS,
        probatio.Optional(CONF_OPTIONS, default={}): {},
    }
)


class FilamentShortageTrigger(Trigger):
    """Fires the first time a targeted printer's job will run out of filament."""

    @override
    @classmethod
    async def async_validate_config(
        cls, hass: HomeAssistant, config: ConfigType
    ) -> ConfigType:
        """A target, no options."""
        return cast("ConfigType", FILAMENT_SHORTAGE_TRIGGER_SCHEMA(config))

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Remember the target."""
        super().__init__(hass, config)
        self._target = TargetSelection(config.target or {})

    @callback
    def _targeted_devices(self) -> set[str]:
        """The devices targeted now: directly, by area or label, or by entity.

        Resolved at each event, so devices added or moved since count.
        """
        selected = async_extract_referenced_entity_ids(
            self._hass, self._target, primary_entities_only=False
        )
        registry = er.async_get(self._hass)
        devices = set(selected.referenced_devices)
        for entity_id in selected.referenced:
            if (entry := registry.async_get(entity_id)) is not None and entry.device_id:
                devices.add(entry.device_id)
        return devices

    @override
    async def async_attach_runner(
        self,
        run_action: TriggerActionRunner,
        did_not_trigger: TriggerNotTriggeredReporter | None = None,
    ) -> CALLBACK_TYPE:
        """Follow the shortage events of the targeted printers."""

        @callback
        def shortage(event: Event[Mapping[str, Any]]) -> None:
            if event.data.get("device_id") not in self._targeted_devices():
                return
            run_action(
                dict(event.data),
                f"filament shortage of {event.data.get('job_name')}",
                event.context,
            )

        return self._hass.bus.async_listen(EVENT_FILAMENT_SHORTAGE, shortage)


TRIGGERS: dict[str, type[Trigger]] = {
    "print_started": PrintStartedTrigger,
    "print_finished": PrintFinishedTrigger,
    "print_failed": PrintFailedTrigger,
    "print_paused": PrintPausedTrigger,
    "print_first_layer_done": PrintFirstLayerDoneTrigger,
    "hms_error_raised": HmsErrorRaisedTrigger,
    "filament_shortage": FilamentShortageTrigger,
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The triggers this integration adds to the automation editor."""
    return TRIGGERS
