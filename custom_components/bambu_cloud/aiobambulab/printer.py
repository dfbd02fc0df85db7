"""One printer: its state, the links that reach it and its commands.

A ``Printer`` is fed by up to two links: its own LAN session (preferred
while it is up) and the account's cloud session (the fallback). Reports are
applied from one source at a time: while the LAN link is up, the cloud's
late copies of the same reports would move the state back, so only the
cloud's own online events count. On every new session the printer is
greeted (versions and a full report) and asked again, with backoff, until
its full report arrives. Its typed commands (``PrinterCommands``: pause,
set_nozzle_temperature, start_print...) wait for the printer's reply and
raise typed errors (``PrinterOffline``, ``NotConnected``, ``CommandRefused``,
``CommandTimeout``, ``InvalidValue``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import logging
import ssl
from typing import Any, Final

from . import commands
from .errors import (
    CommandTimeout,
    LinkError,
    NotConnected,
    PrinterOffline,
)
from .lifecycle import JobLifecycle, JobTransition
from .link_health import LinkStatus
from .listeners import add_listener
from .mqtt import PORT, LinkOptions, PrinterLink
from .printer_commands import PrinterCommands
from .state import PrinterState

_LOGGER = logging.getLogger(__name__)

COMMAND_TIMEOUT: Final = 10.0  # seconds; printers answer within one or two
# A printer that ignores a pushall is asked again after this many seconds,
# doubling up to the maximum, until its full report arrives.
PUSHALL_RETRY_FIRST: Final = 15.0
PUSHALL_RETRY_MAX: Final = 600.0
# The printer greets each new session itself (one pushall per session).
LINK_OPTIONS: Final = LinkOptions(greet=False)


class LinkSource(StrEnum):
    """Where a link reaches the printer from."""

    LAN = "lan"
    CLOUD = "cloud"


@dataclass(frozen=True, slots=True)
class Update:
    """What one message (or online change) did to the printer."""

    changed: set[str] = field(default_factory=set)
    transitions: list[JobTransition] = field(default_factory=list)


type Cancel = Callable[[], None]
type Scheduler = Callable[[float, Callable[[], None]], Cancel]
type Spawner = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]
type UpdateListener = Callable[[Update], None]
type LinkListener = Callable[[LinkSource, LinkStatus], None]


def loop_scheduler(delay: float, action: Callable[[], None]) -> Cancel:
    """Run ``action`` after ``delay`` seconds on the running event loop."""
    return asyncio.get_running_loop().call_later(delay, action).cancel


def loop_spawner(work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """Run ``work`` as a task of the running event loop."""
    return asyncio.get_running_loop().create_task(work, name=name)


class Printer(PrinterCommands):
    """One printer, reachable over its LAN link, the account's cloud link or both."""

    def __init__(
        self,
        serial: str,
        *,
        name: str | None = None,
        cloud_names: Iterable[str | None] = (),
        lifecycle: JobLifecycle | None = None,
        scheduler: Scheduler = loop_scheduler,
        spawner: Spawner = loop_spawner,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Start with an empty state and no link.

        ``scheduler`` runs the re-asking for a full report and ``spawner``
        the greetings (Home Assistant passes its own, so its clock drives
        them and it knows the tasks). ``lifecycle`` decides the job
        transitions of each update (a new ``JobLifecycle`` when not given).
        """
        self.serial = serial
        self.name = name or serial
        self.state = PrinterState(serial, cloud_names=tuple(cloud_names))
        self.jobs = lifecycle or JobLifecycle()
        self._schedule = scheduler
        self._spawn = spawner
        self._clock = clock
        self._lan: PrinterLink | None = None
        self._cloud: PrinterLink | None = None
        self._listeners: list[UpdateListener] = []
        self._link_listeners: list[LinkListener] = []
        self._retry: Cancel | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._lan_was_up = False
        self._stopped = False  # stopped: links going down greet no one
        # Where arriving reports go: applied now, unless a gate holds them.
        self._intake: Callable[[dict[str, Any]], object] = self.apply
        # How long the typed commands wait for the printer's reply.
        self.command_timeout = COMMAND_TIMEOUT

    def __repr__(self) -> str:
        """Name and serial; never an access code."""
        return f"Printer({self.serial!r}, name={self.name!r})"

    # --- links -----------------------------------------------------------------

    def connect_lan(
        self,
        host: str,
        access_code: str,
        *,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        options: LinkOptions | None = None,
    ) -> PrinterLink:
        """Create the printer's own LAN link (started by ``start``)."""
        self._lan = PrinterLink.local(
            host,
            self.serial,
            access_code,
            on_message=self.handle_lan_message,
            on_status=self.lan_status_changed,
            port=port,
            ssl_context=ssl_context,
            options=options or LINK_OPTIONS,
        )
        return self._lan

    async def move_lan(
        self,
        host: str,
        access_code: str,
        *,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        options: LinkOptions | None = None,
    ) -> PrinterLink:
        """Replace the LAN link by one to ``host`` and start it (unless stopped).

        The printer moved (a new address) or was found: the former link
        closes first, the cloud carries the printer meanwhile.
        """
        former = self._lan
        link = self.connect_lan(
            host, access_code, port=port, ssl_context=ssl_context, options=options
        )
        if former is not None:
            await former.stop()
        if not self._stopped and self._lan is link:
            await link.start()
        return link

    def move_lan_soon(
        self,
        host: str,
        access_code: str,
        *,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        options: LinkOptions | None = None,
    ) -> None:
        """``move_lan`` in the background (ended by ``stop``)."""
        if self._stopped:
            return

        async def move() -> None:
            await self.move_lan(
                host, access_code, port=port, ssl_context=ssl_context, options=options
            )

        task = self._spawn(move(), f"lan link {self.serial}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def use_cloud(self, link: PrinterLink | None) -> None:
        """Reach the printer through the account's cloud link (shared, not owned)."""
        self._cloud = link

    @property
    def lan_link(self) -> PrinterLink | None:
        """The printer's own LAN link, if it has one."""
        return self._lan

    @property
    def cloud_link(self) -> PrinterLink | None:
        """The account's cloud link, if it serves this printer."""
        return self._cloud

    @property
    def lan_up(self) -> bool:
        """Whether the printer's own LAN link is up."""
        return self._lan is not None and self._lan.connected

    @property
    def cloud_up(self) -> bool:
        """Whether the cloud link is up and serves this printer."""
        cloud = self._cloud
        return cloud is not None and cloud.connected and self.serial in cloud.serials

    @property
    def link(self) -> PrinterLink | None:
        """The link commands go through: the LAN one while it is up."""
        if self.lan_up:
            return self._lan
        if self._cloud is not None and self.serial in self._cloud.serials:
            return self._cloud
        return self._lan

    async def start(self) -> None:
        """Start the LAN link in the background (the cloud is the account's)."""
        self._stopped = False
        if self._lan is not None:
            await self._lan.start()

    async def stop(self) -> None:
        """Stop asking, and close the LAN link."""
        self._stopped = True
        self._cancel_retry()
        for task in list(self._tasks):
            task.cancel()
        lan, self._lan = self._lan, None
        if lan is not None:
            await lan.stop()

    # --- listeners ---------------------------------------------------------------

    def add_listener(self, listener: UpdateListener) -> Cancel:
        """Call ``listener`` with every ``Update``; returns its removal."""
        return add_listener(self._listeners, listener)

    def add_link_listener(self, listener: LinkListener) -> Cancel:
        """Call ``listener`` on every status change of a link to this printer."""
        return add_listener(self._link_listeners, listener)

    # --- reports -------------------------------------------------------------------

    def apply(self, message: dict[str, Any]) -> Update:
        """Merge one message into the state and tell the listeners."""
        was_online = self.state.online
        changed = self.state.apply(message)
        if self._retry is not None and self.state.has_full_report:
            self._cancel_retry()  # answered: no more asking
        update = self._updated(changed)
        if was_online is False and self.state.online:
            self._came_online()
        return update

    def set_online(self, online: bool) -> Update:
        """Take the cloud's word on whether the printer is online."""
        was_online = self.state.online
        changed: set[str] = set()
        self.state.set_online(online, changed)
        update = self._updated(changed)
        if was_online is False and online:
            self._came_online()
        return update

    def hold_reports_with(self, gate: Callable[[dict[str, Any]], None]) -> None:
        """Pass arriving reports to ``gate``, which calls ``apply`` now or later.

        Reports keep their order; the source is chosen when they arrive
        (Home Assistant holds a report while the error texts it needs are read).
        """
        self._intake = gate

    def handle_lan_message(self, serial: str, message: dict[str, Any]) -> None:
        """A message from the LAN link."""
        if serial == self.serial:
            self._intake(message)

    def handle_cloud_message(self, message: dict[str, Any]) -> None:
        """A message from the cloud link: ignored while the LAN feeds the state.

        The cloud's copies of the LAN's reports arrive late and would move
        the state back (a print event fired twice); only its own online
        events count.
        """
        if self.lan_up:
            event = message.get("event")
            if event is None:
                return
            message = {"event": event}
        self._intake(message)

    def _updated(self, changed: set[str]) -> Update:
        transitions: list[JobTransition] = []
        if changed:
            transitions = self.jobs.update(self.state, changed, self._clock())
        update = Update(changed, transitions)
        for listener in list(self._listeners):
            listener(update)
        return update

    def _came_online(self) -> None:
        """The printer is back: what it reported meanwhile is lost."""
        if self._lan is not None:
            self._lan.retry_now()  # no need to wait out the LAN link's backoff
        self.greet_soon(self.link)

    # --- link status -----------------------------------------------------------------

    def lan_status_changed(self, status: LinkStatus) -> None:
        """The LAN link came up or went down."""
        was_up, self._lan_was_up = self._lan_was_up, status.connected
        self._tell_links(LinkSource.LAN, status)
        if status.connected:
            self.greet_soon(self._lan)  # a new session: ask for everything once
        elif was_up and self.cloud_up:
            # The cloud takes over; it was not heard while the LAN fed the
            # printer, so ask it for the whole state.
            self.greet_soon(self._cloud)

    def cloud_status_changed(self, status: LinkStatus) -> None:
        """The account's cloud link came up or went down."""
        self._tell_links(LinkSource.CLOUD, status)
        # The printer's LAN session, when up, already carries its state.
        if status.connected and not self.lan_up:
            self.greet_soon(self._cloud)

    def _tell_links(self, source: LinkSource, status: LinkStatus) -> None:
        for listener in list(self._link_listeners):
            listener(source, status)

    # --- greeting ---------------------------------------------------------------------

    def greet_soon(self, link: PrinterLink | None = None, *, attempt: int = 0) -> None:
        """Ask for the versions and a full report in the background."""
        if self._stopped:
            return
        task = self._spawn(self.greet(link, attempt=attempt), f"greet {self.serial}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def greet(self, link: PrinterLink | None = None, *, attempt: int = 0) -> None:
        """Ask for the versions and a full report; again later until it arrives."""
        link = link or self.link
        if link is None or not link.connected:
            return
        try:
            await link.publish(self.serial, commands.get_version())
            await link.publish(self.serial, commands.pushall())
        except LinkError as err:
            _LOGGER.debug("Could not ask %s for its state: %s", self.serial, err)
        self._ask_again_later(attempt)

    def _ask_again_later(self, attempt: int) -> None:
        """Ask again, with backoff, until the printer's full report arrives.

        Some printers ignore a pushall (busy, just booted); without their
        full report the printer has nothing to show.
        """
        self._cancel_retry()
        if self._stopped or self.state.has_full_report:
            return
        delay = min(PUSHALL_RETRY_FIRST * 2**attempt, PUSHALL_RETRY_MAX)

        def ask_again() -> None:
            self._retry = None
            if self.state.has_full_report:
                return
            if self.state.online is False and not self.lan_up:
                return  # asked again when the cloud says it is back
            _LOGGER.debug("%s sent no full report yet; asking again", self.serial)
            self.greet_soon(attempt=attempt + 1)

        self._retry = self._schedule(delay, ask_again)

    def _cancel_retry(self) -> None:
        if (cancel := self._retry) is not None:
            self._retry = None
            cancel()

    # --- sending: every typed command of PrinterCommands comes through here ---------

    def _connected_link(self) -> PrinterLink:
        if self.state.online is False and not self.lan_up:
            # Nothing would answer: refuse now rather than after the timeout.
            raise PrinterOffline(f"{self.name} is offline", name=self.name)
        link = self.link
        if link is None or not link.connected:
            raise NotConnected(f"no link reaches {self.name}", name=self.name)
        return link

    async def request(
        self,
        payload: dict[str, Any],
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Send a command and return the printer's reply.

        Raises ``PrinterOffline``, ``NotConnected``, ``CommandRefused`` (its
        ``locked`` says the firmware locks third-party control) or
        ``CommandTimeout`` (its ``seconds`` placeholder says how long it waited).
        """
        link = self._connected_link()
        seconds = timeout or self.command_timeout
        try:
            return await link.request(self.serial, payload, seconds)
        except CommandTimeout as err:
            err.placeholders.setdefault("seconds", f"{seconds:g}")
            raise
        except NotConnected:
            raise
        except LinkError as err:
            if type(err) is LinkError:
                raise NotConnected(str(err), name=self.name) from err
            raise

    async def publish(self, payload: dict[str, Any]) -> None:
        """Send a message the printer answers with a report, not a reply."""
        link = self._connected_link()
        try:
            await link.publish(self.serial, payload)
        except NotConnected:
            raise
        except LinkError as err:
            raise NotConnected(str(err), name=self.name) from err
