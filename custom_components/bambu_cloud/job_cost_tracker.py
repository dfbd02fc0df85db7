"""Each printer's job energy and cost, followed through its job transitions.

A job's start takes the meter's reading (``job_energy.EnergyRun``); every
change of the meter adds to it; the job's end adds its filament
(``job_costs``) and settles the figures: the printer's last job and its
totals. Runs and figures are stored, so a restart during a job loses
nothing and the totals only grow.

The history, the print event and the sensors all ask ``result`` for an
ended job: it is worked out once, by whichever asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import functools
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .aiobambulab.job_details import JobDetails
from .aiobambulab.lifecycle import JobTransition, TransitionKind
from .aiobambulab.listeners import add_listener
from .const import CONF_KIND, CONF_PRINTERS, DOMAIN, LOGGER, EntryKind
from .coordinator import PrinterCoordinator, PrinterNews
from .job_costs import CostSettings, JobCost, filament_cost
from .job_energy import EnergyRun, price_per_kwh, to_kwh

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10  # seconds
_ENDED_KEPT: Final = 20  # ended jobs remembered, for late askers


def storage_key(entry_id: str) -> str:
    """The storage key of a config entry's job costs."""
    return f"{DOMAIN}.job_costs.{entry_id}"


@dataclass(frozen=True, slots=True)
class CostTotals:
    """What a printer's jobs used and cost, summed over the known figures."""

    energy: float = 0.0  # kWh
    cost: float = 0.0

    def plus(self, job: JobCost) -> CostTotals:
        """With one more job."""
        return CostTotals(
            round(self.energy + (job.energy or 0.0), 6),
            round(self.cost + (job.cost or 0.0), 6),
        )


def cost_settings(entry: ConfigEntry, serial: str) -> CostSettings:
    """How the entry prices a printer's jobs (per printer for an account)."""
    options: Mapping[str, Any] = entry.options
    if entry.data.get(CONF_KIND) != EntryKind.LAN:
        printers = options.get(CONF_PRINTERS)
        printer = printers.get(serial) if isinstance(printers, Mapping) else None
        options = printer if isinstance(printer, Mapping) else {}
    return CostSettings.from_options(options)


class JobCosts:
    """The energy and cost of every printer's jobs of a config entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        news: PrinterNews,
        job_details: Callable[[str], JobDetails | None],
    ) -> None:
        """Prepare; nothing is read or followed before ``async_start``."""
        self.hass = hass
        self._entry = entry
        self._news = news
        self._job_details = job_details
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry.entry_id)
        )
        self._runs: dict[str, EnergyRun] = {}
        self._last: dict[str, JobCost] = {}
        self._totals: dict[str, CostTotals] = {}
        self._ended: dict[str, JobCost] = {}  # "<serial> <job key>" -> figures
        self._followed: dict[str, tuple[PrinterCoordinator, CALLBACK_TYPE]] = {}
        self._meters: dict[str, CALLBACK_TYPE] = {}
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsub: CALLBACK_TYPE | None = None

    # --- life cycle -------------------------------------------------------------

    async def async_start(self) -> None:
        """Read what is stored, then follow the printers."""
        await self._async_load()
        self._unsub = self._news.async_add_printer_listener(self._follow)

    async def async_stop(self) -> None:
        """Stop following; write what is not stored yet."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        for _coordinator, unsub in self._followed.values():
            unsub()
        for unsub in self._meters.values():
            unsub()
        self._followed.clear()
        self._meters.clear()
        self._listeners.clear()
        await self._store.async_save(self._as_stored())

    async def _async_load(self) -> None:
        try:
            stored = await self._store.async_load()
        except (HomeAssistantError, NotImplementedError, KeyError, TypeError) as err:
            LOGGER.warning("The stored job costs could not be read: %s", err)
            return
        if not isinstance(stored, dict):
            return
        for serial, raw in _items(stored.get("runs")):
            if (run := EnergyRun.from_dict(raw)) is not None:
                run.resumed()  # Home Assistant's downtime is no outage
                self._runs[serial] = run
        for serial, raw in _items(stored.get("last")):
            self._last[serial] = JobCost.from_dict(raw)
        for serial, raw in _items(stored.get("totals")):
            last = JobCost.from_dict(raw)
            self._totals[serial] = CostTotals(last.energy or 0.0, last.cost or 0.0)

    def _as_stored(self) -> dict[str, Any]:
        return {
            "runs": {s: run.as_dict() for s, run in self._runs.items()},
            "last": {s: job.as_dict() for s, job in self._last.items()},
            "totals": {
                s: {"energy": t.energy, "cost": t.cost} for s, t in self._totals.items()
            },
        }

    @callback
    def _save_later(self) -> None:
        self._store.async_delay_save(self._as_stored, SAVE_DELAY)

    # --- what sensors read ---------------------------------------------------------

    def last(self, serial: str) -> JobCost | None:
        """The figures of the printer's last ended job; None before the first."""
        return self._last.get(serial)

    def totals(self, serial: str) -> CostTotals:
        """What the printer's jobs used and cost so far."""
        return self._totals.get(serial, CostTotals())

    def settings(self, serial: str) -> CostSettings:
        """How the printer's jobs are priced."""
        return cost_settings(self._entry, serial)

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``listener`` whenever a job's figures are settled."""
        return add_listener(self._listeners, listener)

    # --- following ---------------------------------------------------------------

    @callback
    def _follow(self, coordinator: PrinterCoordinator) -> None:
        serial = coordinator.serial
        known = self._followed.get(serial)
        if known is not None and known[0] is coordinator:
            return
        if known is not None:
            known[1]()
        self._followed[serial] = (
            coordinator,
            coordinator.async_add_job_listener(
                lambda transition: self._on_transition(serial, transition)
            ),
        )
        meter = self.settings(serial).energy_entity
        if meter is not None and serial not in self._meters:
            self._meters[serial] = async_track_state_change_event(
                self.hass, meter, callback(functools.partial(self._on_meter, serial))
            )

    @callback
    def _on_transition(self, serial: str, transition: JobTransition) -> None:
        if transition.kind is TransitionKind.STARTED:
            self._start(serial, transition)
        elif transition.kind.ends_job:
            self.result(serial, transition)

    @callback
    def _start(self, serial: str, transition: JobTransition) -> None:
        settings = self.settings(serial)
        if settings.energy_entity is None:
            self._runs.pop(serial, None)
            return
        self._runs[serial] = EnergyRun.start(
            transition.job_key,
            transition.at,
            self._reading(self.hass.states.get(settings.energy_entity)),
            task_id=transition.task_id,
            job_name=transition.job_name,
        )
        self._save_later()

    @callback
    def _on_meter(self, serial: str, event: Event[EventStateChangedData]) -> None:
        run = self._runs.get(serial)
        if run is None:
            return
        run.read(
            self._reading(event.data["new_state"]),
            dt_util.utcnow(),
            self._price(self.settings(serial)),
        )
        self._save_later()

    def _reading(self, state: State | None) -> float | None:
        """The meter's reading in kWh; None while it has none."""
        if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        try:
            value = float(state.state)
        except ValueError:
            return None
        return to_kwh(value, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))

    def _price(self, settings: CostSettings) -> float | None:
        """The energy price per kWh now; None when it is not known."""
        if settings.energy_price_entity is None:
            return settings.energy_price
        state = self.hass.states.get(settings.energy_price_entity)
        if state is None:
            return None
        try:
            value = float(state.state)
        except ValueError:
            return None
        return price_per_kwh(value, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))

    # --- ended jobs -----------------------------------------------------------------

    @callback
    def result(self, serial: str, transition: JobTransition) -> JobCost:
        """The figures of the job a transition ended, worked out once."""
        ended_key = f"{serial} {transition.job_key}"
        if (known := self._ended.get(ended_key)) is not None:
            return known
        settings = self.settings(serial)
        run = self._runs.pop(serial, None)
        if not settings.any_set:
            return JobCost()  # nothing metered or priced: nothing to keep
        energy = energy_cost = None
        if run is not None and (
            run.job_key == transition.job_key
            or run.same_job(transition.task_id, transition.job_name)
        ):
            if settings.energy_entity is not None:
                run.read(
                    self._reading(self.hass.states.get(settings.energy_entity)),
                    transition.at,
                    self._price(settings),
                )
            energy = run.energy
            energy_cost = run.energy_cost if settings.priced_energy else None
        figures = JobCost.combine(
            settings,
            energy,
            energy_cost,
            self._filament_cost(serial, transition, settings),
        )
        self._ended[ended_key] = figures
        while len(self._ended) > _ENDED_KEPT:
            del self._ended[next(iter(self._ended))]
        self._last[serial] = figures
        self._totals[serial] = self.totals(serial).plus(figures)
        self._save_later()
        for listener in list(self._listeners):
            listener()
        return figures

    def _filament_cost(
        self, serial: str, transition: JobTransition, settings: CostSettings
    ) -> float | None:
        details = self._job_details(serial)
        if details is None or not details.filaments or not settings.filament_prices:
            return None
        if transition.kind is TransitionKind.FINISHED:
            share: float | None = 1.0
        else:  # it stopped part way: what its progress printed
            share = None if transition.progress is None else transition.progress / 100
        return filament_cost(
            ((f.type, f.grams) for f in details.filaments),
            settings.filament_prices,
            share,
        )


def _items(value: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict):
        return []
    return [
        (k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, dict)
    ]
