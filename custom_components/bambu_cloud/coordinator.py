"""Coordinators: one per printer (pushed reports) and the account's device list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .aiobambulab.account import Account
from .aiobambulab.ams import AmsUnit, Tray
from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_devices import CloudDevice
from .aiobambulab.errors import CloudError, RateLimited, TokenExpired
from .aiobambulab.lifecycle import JobLifecycle, JobTransition
from .aiobambulab.link_health import LinkStatus
from .aiobambulab.listeners import add_listener
from .aiobambulab.local_route import LanState, lan_state
from .aiobambulab.printer import LinkSource, Printer, Scheduler, Spawner, Update
from .aiobambulab.state import PrinterState
from .const import DOMAIN, LOGGER

if TYPE_CHECKING:
    from .connection import LocalAccess

# Changed-path keys of our own: the printer became reachable or not; it was
# found at another place on the LAN (its camera and files are there now).
CHANGED_AVAILABILITY: Final = "@available"
CHANGED_LOCAL_ACCESS: Final = "@local_access"

type JobListener = Callable[[JobTransition], None]


class PrinterCoordinator(DataUpdateCoordinator[PrinterState]):
    """The live state of one printer, fed by its ``Printer`` (push, no polling).

    ``printer`` is the library's printer (links, commands); ``data`` is its
    state. ``changed`` holds the paths the last update touched, so each
    entity can skip updates that do not concern it. What the printer's jobs
    did is decided once, by the library (``printer.jobs``); its transitions
    go to the job listeners (``async_add_job_listener``) before the entities
    hear of the report.
    """

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        serial: str,
        *,
        name: str | None,
        cloud_names: Iterable[str | None] = (),
        printer: Printer | None = None,
    ) -> None:
        """Follow ``printer`` (a new one without links when not given)."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {serial}",
            update_interval=None,
            always_update=False,
        )
        self.printer = printer or Printer(
            serial,
            name=name,
            cloud_names=cloud_names,
            scheduler=ha_scheduler(hass),
            spawner=ha_spawner(hass),
            clock=dt_util.utcnow,
        )
        self.serial = serial
        self.printer_name = name or serial
        self.data = self.printer.state
        self.changed: frozenset[str] = frozenset()
        self.device_id = ""  # the printer's device registry id, once registered
        # The entities Home Assistant has of this printer, by platform and
        # unique id; one it removes is forgotten, so it returns with its part.
        self.entities_present: set[tuple[str, str | None]] = set()
        # AMS units and filament slots, parsed once per update on first use.
        self._units: dict[int, AmsUnit] | None = None
        self._slots: dict[tuple[int, int], Tray] = {}
        self._cloud_up = False
        self._lan_up = False
        self._was_available = False
        self._unavailable_logged = False
        # Set by the hub from the entry's settings.
        self.local_access: LocalAccess | None = None  # LAN address and code
        self.camera_wanted = True  # the user keeps the camera entity
        self.cloud: BambuCloud | None = None  # the account's client, if any
        # Why no LAN link is tried (None: one is, or will be once found).
        self.lan_unused: LanState | None = None
        self._camera_always_on = False
        self._job_listeners: list[JobListener] = []
        self._link_listeners: list[Callable[[], object]] = []
        self._unsubscribe = (
            self.printer.add_listener(self._on_update),
            self.printer.add_link_listener(self._on_link_status),
        )

    @property
    def printer_name(self) -> str:
        """The printer's name (the Bambu app's, followed on rename)."""
        return self.printer.name

    @printer_name.setter
    def printer_name(self, name: str) -> None:
        self.printer.name = name

    @property
    def camera_always_on(self) -> bool:
        """Whether the camera stays connected when nobody watches."""
        return self._camera_always_on

    @callback
    def set_camera_always_on(self, on: bool) -> None:
        """Keep the camera connected (or not) and tell the camera entity."""
        if on != self._camera_always_on:
            self._camera_always_on = on
            async_dispatcher_send(self.hass, camera_always_on_signal(self.serial), on)

    @property
    def lan_up(self) -> bool:
        """Whether the printer's own LAN link is up."""
        return self._lan_up

    @property
    def printer_available(self) -> bool:
        """Reachable and with a full report to show.

        A LAN link that is up wins over the cloud saying "offline": printers
        in LAN-only mode look offline to the cloud but report locally.
        """
        state = self.data
        reachable = self._lan_up or (self._cloud_up and state.online is not False)
        return reachable and state.has_full_report

    @property
    def lan_state(self) -> LanState:
        """How the printer's LAN link stands, or why it has none."""
        return self.lan_unused or lan_state(self.printer)

    @property
    def lan_connected(self) -> bool:
        """Whether the LAN link is up: it checked the printer's certificate."""
        return self._lan_up

    async def _async_update_data(self) -> PrinterState:
        # Reports are pushed; a refresh has nothing to fetch.
        return self.data

    @property
    def ams_units(self) -> Mapping[int, AmsUnit]:
        """The AMS units present, by id."""
        return self._parsed_units()

    def ams_unit(self, unit_id: int) -> AmsUnit | None:
        """An AMS unit, if it is present."""
        return self._parsed_units().get(unit_id)

    def filament_slot(self, ams_id: int, slot: int) -> Tray | None:
        """An AMS tray or external spool, if the printer reports it."""
        self._parsed_units()
        return self._slots.get((ams_id, slot))

    def _parsed_units(self) -> dict[int, AmsUnit]:
        # Many entities read the AMS after one update: parse it once.
        if self._units is None:
            state = self.data
            self._units = {unit.id: unit for unit in state.ams_units}
            self._slots = {
                (tray.ams_id, tray.slot): tray
                for unit in self._units.values()
                for tray in unit.trays
            }
            self._slots.update(
                ((spool.ams_id, spool.slot), spool) for spool in state.external_spools
            )
        return self._units

    @callback
    def handle_message(self, message: dict[str, Any]) -> set[str]:
        """Merge one report into the printer's state; returns the changed paths."""
        return self.printer.apply(message).changed

    @callback
    def set_online(self, online: bool) -> None:
        """Take the cloud's word on whether the printer is online."""
        self.printer.set_online(online)

    @property
    def jobs(self) -> JobLifecycle:
        """The printer's job life cycle (the job in progress)."""
        return self.printer.jobs

    @callback
    def async_add_job_listener(self, listener: JobListener) -> Callable[[], None]:
        """Call ``listener`` with every job transition; returns the remover."""
        return add_listener(self._job_listeners, listener)

    @callback
    def _on_update(self, update: Update) -> None:
        for transition in update.transitions:
            for listener in list(self._job_listeners):
                listener(transition)
        if update.changed:
            self._units = None
            self._notify(set(update.changed))

    @callback
    def _on_link_status(self, _source: LinkSource, _status: LinkStatus) -> None:
        self.set_links(cloud=self.printer.cloud_up, lan=self.printer.lan_up)
        # Also when neither changed: the LAN link may have failed another way.
        for listener in list(self._link_listeners):
            listener()

    @callback
    def async_add_link_listener(
        self, listener: Callable[[], object]
    ) -> Callable[[], None]:
        """Call ``listener`` on every status change of a link to the printer."""
        return add_listener(self._link_listeners, listener)

    @callback
    def set_links(self, *, cloud: bool, lan: bool) -> None:
        """Record which links to the printer are up."""
        if (cloud, lan) != (self._cloud_up, self._lan_up):
            self._cloud_up, self._lan_up = cloud, lan
            self._notify(set())

    @callback
    def async_stop(self) -> None:
        """Stop following the printer (it left the entry)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    @callback
    def async_set_local_access(self, access: LocalAccess | None) -> None:
        """Reach the printer's camera and files at ``access`` from now on."""
        if access == self.local_access:
            return
        self.local_access = access
        self._notify({CHANGED_LOCAL_ACCESS})

    @callback
    def _notify(self, changed: set[str]) -> None:
        available = self.printer_available
        if available != self._was_available:
            changed.add(CHANGED_AVAILABILITY)
            self._was_available = available
            # Logged once when lost and once when back, not per report.
            if not available:
                LOGGER.info("Printer %s is unavailable", self.printer_name)
                self._unavailable_logged = True
            elif self._unavailable_logged:
                LOGGER.info("Printer %s is available again", self.printer_name)
                self._unavailable_logged = False
        if not changed:
            return
        self.changed = frozenset(changed)
        self.async_update_listeners()


def camera_always_on_signal(serial: str) -> str:
    """The dispatcher signal of a printer's camera always-on setting."""
    return f"{DOMAIN}_camera_always_on_{serial}"


def ha_spawner(hass: HomeAssistant) -> Spawner:
    """Run the library's background work as Home Assistant's tasks."""

    def spawn(work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        return hass.async_create_task(work, f"{DOMAIN} {name}", eager_start=True)

    return spawn


def ha_scheduler(hass: HomeAssistant) -> Scheduler:
    """Run the library's delayed work on Home Assistant's clock (tests drive it)."""

    def schedule(delay: float, action: Callable[[], None]) -> Callable[[], None]:
        @callback
        def run(_now: datetime) -> None:
            action()

        return async_call_later(hass, delay, run)

    return schedule


class DeviceListCoordinator(DataUpdateCoordinator[dict[str, CloudDevice]]):
    """The account's bound printers, polled from the cloud every few minutes."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        account: Account,
        interval: timedelta,
        *,
        has_printers: bool = False,
    ) -> None:
        """Poll the ``account``'s device list every ``interval``.

        ``has_printers``: printers are known from before (the last list), so
        an answer without a list is odd, not an empty account.
        """
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} devices",
            update_interval=interval,
        )
        self.account = account
        self._has_printers = has_printers

    async def _async_update_data(self) -> dict[str, CloudDevice]:
        # "devices": null is no proof that every known printer left: it must
        # not remove them (an odd answer keeps the last list).
        known = self._has_printers or bool(self.data)
        try:
            return dict(await self.account.fetch_devices(null_is_empty=not known))
        except RateLimited as err:
            wait = self._poll_delay_after_429(err.retry_after)
            raise cloud_update_error(err, retry_after=wait) from err
        except CloudError as err:
            raise cloud_update_error(err) from err

    def _poll_delay_after_429(self, seconds: float | None) -> float | None:
        """When to poll after a 429: never sooner than the usual interval.

        Home Assistant polls after ``retry_after`` instead of the interval, so
        a Retry-After shorter than the interval is dropped.
        """
        interval = self.update_interval
        if seconds is None or (interval and seconds <= interval.total_seconds()):
            return None
        return seconds


def cloud_update_error(
    err: CloudError, *, retry_after: float | None = None
) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a coordinator raises for a failed cloud request.

    An expired token asks the user to log in again; throttling and outages
    keep the last data and try again after ``retry_after`` (or the interval).
    """
    if isinstance(err, TokenExpired):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="token_expired"
        )
    if isinstance(err, RateLimited):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            retry_after=retry_after,
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="cloud_unavailable",
        translation_placeholders={"error": str(err)},
        retry_after=retry_after,
    )


type PrinterListener = Callable[[PrinterCoordinator], None]


class PrinterNews(Protocol):
    """Tells of each printer of an entry whose set of parts changes."""

    def async_add_printer_listener(
        self, listener: PrinterListener
    ) -> Callable[[], None]:
        """Call ``listener`` for every printer now and whenever its parts change."""
