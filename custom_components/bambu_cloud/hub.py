"""The links of one config entry and the printers they feed.

A cloud entry has one MQTT session on the account's broker for every printer
plus, where the user configured one, a LAN session per printer (the cloud
stays the fallback). A LAN entry has one LAN session. Reports from any link
go into the printer's coordinator; platforms hear about printers through
``async_add_printer_listener`` whenever a printer's set of parts changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import ssl
from typing import TYPE_CHECKING, Any

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later

from .bambu import commands
from .bambu.cloud import BambuCloud, CloudDevice
from .bambu.errors import ConnectError, ConnectionFailure, LinkError
from .bambu.hms import HmsCatalog, load_catalog
from .bambu.mqtt import LinkOptions, LinkStatus, PrinterLink
from .bambu.state import PrintOption
from .connection import async_mqtt_ssl_context, cloud_client
from .const import (
    CONF_ACCESS_CODE,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_DEVICE_LIST_INTERVAL,
    CONF_FTP_PORT,
    CONF_IGNORED,
    CONF_KIND,
    CONF_KNOWN_PRINTERS,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_PRINTERS,
    CONF_SERIAL,
    CONF_UID,
    DEFAULT_CAMERA_PORT,
    DEFAULT_DEVICE_LIST_INTERVAL,
    DEFAULT_FTP_PORT,
    DEFAULT_MQTT_PORT,
    DOMAIN,
    LOGGER,
    EntryKind,
)
from .coordinator import DeviceListCoordinator, PrinterCoordinator, PrinterListener
from .entity import printer_device_info
from .history import HistoryCoordinator
from .job import JobTracker
from .notifications import NotificationCoordinator
from .signin import SignIn

if TYPE_CHECKING:
    from . import BambuConfigEntry

CONNECT_TIMEOUT = 20.0  # seconds; the cloud broker can be slow to accept
# Report paths that add or remove parts (and so entities) of a printer.
STRUCTURE_PATHS = frozenset(
    {"ams", "vir_slot", "device", "@version", "lights_report", "xcam"}
)
# The hub asks for the state itself, through the link that needs it.
LINK_OPTIONS = LinkOptions(greet=False)
TLS_UNTRUSTED_ISSUE = "tls_untrusted"
ACCESS_CODE_ISSUE = "access_code_refused"
# A printer that ignores a pushall is asked again after this many seconds,
# doubling up to the maximum, until its full report arrives.
PUSHALL_RETRY_FIRST = 15.0
PUSHALL_RETRY_MAX = 600.0
# What is remembered of each printer of the device list, for a start
# without the cloud (no access code, no online flag).
REMEMBERED_FIELDS = ("name", "dev_product_name", "dev_model_name")


@dataclass(frozen=True, slots=True)
class LocalAccess:
    """How to reach a printer on the LAN (camera, files); secrets not logged."""

    host: str
    access_code: str
    camera_port: int
    ftp_port: int
    ssl_context: ssl.SSLContext  # verifies the printer against the Bambu CA

    def __repr__(self) -> str:
        """Never show the access code."""
        return f"LocalAccess(host={self.host!r})"


class BambuHub:
    """Every link and printer of one config entry."""

    def __init__(self, hass: HomeAssistant, entry: BambuConfigEntry) -> None:
        """Prepare; nothing connects before ``async_setup``."""
        self.hass = hass
        self.entry = entry
        self.kind = EntryKind(entry.data.get(CONF_KIND, EntryKind.CLOUD))
        self.printers: dict[str, PrinterCoordinator] = {}
        self.device_list: DeviceListCoordinator | None = None
        self.cloud: BambuCloud | None = None
        self._signin: SignIn | None = None
        self._cloud_link: PrinterLink | None = None
        self._local_links: dict[str, PrinterLink] = {}
        self._listeners: list[PrinterListener] = []
        self._structure: dict[str, Hashable] = {}
        self._local_context: ssl.SSLContext | None = None
        self._camera_always_on: set[str] = set()
        # Repair issues of links (certificate, access code) raised by this hub.
        self._tls_issues: set[str] = set()
        self._pushall_retries: dict[str, CALLBACK_TYPE] = {}
        self._started = False
        self.catalog: HmsCatalog  # error texts in the user's language, at setup
        self.history = HistoryCoordinator(hass, entry, self)
        # Each printer's current job file, by serial; started with the entry.
        self.jobs: dict[str, JobTracker] = {}
        # The account's messages (a cloud entry), created with the entry and
        # read while its event entity listens.
        self.notifications: NotificationCoordinator | None = None

    # --- life cycle --------------------------------------------------------

    async def async_setup(self) -> None:
        """Connect; raise ConfigEntryAuthFailed or ConfigEntryNotReady."""
        # Reading the texts blocks; the library caches them per language.
        self.catalog = await self.hass.async_add_executor_job(
            load_catalog, self.hass.config.language
        )
        if self.kind is EntryKind.LAN:
            await self._setup_lan()
        else:
            await self._setup_cloud()
        await self.history.async_start()
        self._started = True
        for coordinator in self.printers.values():
            self._track_jobs(coordinator)

    async def async_shutdown(self) -> None:
        """Close every link."""
        await self.history.async_stop()
        for cancel in self._pushall_retries.values():
            cancel()
        self._pushall_retries.clear()
        for tracker in self.jobs.values():
            tracker.async_stop()
        self.jobs.clear()
        links = [*self._local_links.values()]
        if self._cloud_link is not None:
            links.append(self._cloud_link)
        self._local_links = {}
        self._cloud_link = None
        for link in links:
            await link.stop()
        if self._started:
            # Unloaded (not a failed setup, whose issue says why it retries).
            for issue_id in self._tls_issues:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            self._tls_issues.clear()

    async def _setup_lan(self) -> None:
        data = self.entry.data
        serial: str = data[CONF_SERIAL]
        self._add_coordinator(serial, self.entry.title, ())
        local_context = await self._async_local_context()
        link = self._local_link(serial, dict(data), local_context)
        self._local_links[serial] = link
        await self._start_link(link, data[CONF_HOST])

    async def _setup_cloud(self) -> None:
        data = self.entry.data
        self.cloud = cloud_client(self.hass, data)
        self.notifications = NotificationCoordinator(self.hass, self.entry, self.cloud)
        self._signin = SignIn(self.hass, self.entry, self.cloud, self._async_use_token)
        self.entry.async_on_unload(self._signin.stop)
        minutes = self.entry.options.get(
            CONF_DEVICE_LIST_INTERVAL, DEFAULT_DEVICE_LIST_INTERVAL
        )
        remembered = self._remembered_devices()
        self.device_list = DeviceListCoordinator(
            self.hass,
            self.entry,
            self.cloud,
            timedelta(minutes=minutes),
            has_printers=bool(remembered),
        )
        try:
            await self.device_list.async_config_entry_first_refresh()
        except ConfigEntryNotReady:
            if not any(
                self.local_settings(device.serial).get(CONF_HOST)
                for device in self._wanted(remembered)
            ):
                raise  # every printer needs the cloud: retry the setup
            # The cloud is only the fallback of printers with a LAN address:
            # start from the last device list and let the poll catch up.
            LOGGER.warning(
                "The Bambu cloud is not reachable; starting the %d printers "
                "of the last device list",
                len(remembered),
            )
            devices = remembered
        else:
            devices = self.device_list.data
            self._remember(devices)
        for device in self._wanted(devices):
            self._add_coordinator(device.serial, device.name, _cloud_names(device))
        self._cloud_link = PrinterLink.cloud(
            data[CONF_UID],
            self.cloud.token or data[CONF_TOKEN],  # renewed at the first request
            self.printers,
            on_message=self._on_cloud_message,
            on_status=self._on_cloud_status,
            host=data[CONF_MQTT_HOST],
            port=data.get(CONF_MQTT_PORT, DEFAULT_MQTT_PORT),
            ssl_context=await async_mqtt_ssl_context(self.hass, data, local=False),
            options=LINK_OPTIONS,
        )
        printer_options: dict[str, dict[str, Any]] = self.entry.options.get(
            CONF_PRINTERS, {}
        )
        local_context = await self._async_local_context()
        for serial, options in printer_options.items():
            if serial in self.printers and options.get(CONF_HOST):
                link = self._local_link(serial, options, local_context)
                self._local_links[serial] = link
                await link.start()  # no wait: the cloud carries it meanwhile
        if self._local_links:
            # Printers on the LAN do not wait for the cloud broker; a refused
            # token still starts the reauth, from the status callback.
            await self._cloud_link.start()
        else:
            await self._start_link(self._cloud_link, data[CONF_MQTT_HOST])
        if self.device_list.data is not None:
            self._sync_online(self.device_list.data)
        self.entry.async_on_unload(
            self.device_list.async_add_listener(self._on_device_list)
        )

    def _remembered_devices(self) -> dict[str, CloudDevice]:
        """The printers of the last device list that was read."""
        known = self.entry.data.get(CONF_KNOWN_PRINTERS)
        if not isinstance(known, dict):
            return {}
        devices: dict[str, CloudDevice] = {}
        for serial, fields in known.items():
            if not isinstance(fields, dict):
                continue
            device = CloudDevice.from_json({**fields, "dev_id": serial})
            if device is not None:
                devices[device.serial] = device
        return devices

    @callback
    def _remember(self, devices: Mapping[str, CloudDevice]) -> None:
        """Keep the device list in the entry, for a start without the cloud."""
        known = {
            serial: {
                key: device.raw[key]
                for key in REMEMBERED_FIELDS
                if isinstance(device.raw.get(key), str)
            }
            for serial, device in devices.items()
        }
        if self.entry.data.get(CONF_KNOWN_PRINTERS) != known:
            self.hass.config_entries.async_update_entry(
                self.entry, data={**self.entry.data, CONF_KNOWN_PRINTERS: known}
            )

    async def _async_local_context(self) -> ssl.SSLContext:
        self._local_context = await async_mqtt_ssl_context(
            self.hass, self.entry.data, local=True
        )
        return self._local_context

    async def _start_link(self, link: PrinterLink, host: str) -> None:
        # An untrusted certificate raises its repair issue from the status
        # callback, at setup as later.
        await link.start()
        try:
            await link.wait_connected(CONNECT_TIMEOUT)
        except ConnectError as err:
            await link.stop()
            if err.reason is ConnectionFailure.CREDENTIALS:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="mqtt_refused"
                ) from err
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="mqtt_unreachable",
                translation_placeholders={"host": host, "reason": err.reason.value},
            ) from err

    # --- links ---------------------------------------------------------------

    def _local_link(
        self, serial: str, options: dict[str, Any], context: ssl.SSLContext
    ) -> PrinterLink:
        return PrinterLink.local(
            options[CONF_HOST],
            serial,
            options[CONF_ACCESS_CODE],
            on_message=self._on_message,
            on_status=lambda status: self._on_local_status(serial, status),
            port=options.get(CONF_PORT, DEFAULT_MQTT_PORT),
            ssl_context=context,
            options=LINK_OPTIONS,
        )

    @callback
    def _on_message(self, serial: str, message: dict[str, Any]) -> None:
        coordinator = self.printers.get(serial)
        if coordinator is None:
            return
        was_online = coordinator.data.online
        changed = coordinator.handle_message(message)
        if STRUCTURE_PATHS & changed or self._structure.get(serial) is None:
            self._check_structure(coordinator)
        if was_online is False and coordinator.data.online:
            self._came_online(serial)

    @callback
    def _on_cloud_message(self, serial: str, message: dict[str, Any]) -> None:
        local = self._local_links.get(serial)
        if local is not None and local.connected:
            # The LAN link feeds this printer: the cloud's copies of the same
            # reports arrive late and would move the state back (a print
            # event fired twice). Only the cloud's own online events count.
            event = message.get("event")
            if event is None:
                return
            message = {"event": event}
        self._on_message(serial, message)

    @callback
    def _came_online(self, serial: str) -> None:
        """The cloud says a printer is back: what it reported meanwhile is lost."""
        if (local := self._local_links.get(serial)) is not None:
            local.retry_now()  # no need to wait out the LAN link's backoff
        self._greet_soon(serial, self.link_for(serial))

    @callback
    def _on_cloud_status(self, status: LinkStatus) -> None:
        self._check_trust(None, status)
        if self._signin is not None:
            self._signin.link_status(status)  # renews a refused token, else reauth
        for serial in list(self._cloud_link.serials if self._cloud_link else ()):
            local = self._local_links.get(serial)
            # The printer's LAN session, when up, already carries its state.
            fresh = local is not None and local.connected
            self._link_status(serial, status, self._cloud_link, greet=not fresh)

    @callback
    def _on_local_status(self, serial: str, status: LinkStatus) -> None:
        self._check_trust(serial, status)
        if self.kind is EntryKind.LAN:
            self._check_credentials(status)
        else:
            self._check_access_code(serial, status)
        coordinator = self.printers.get(serial)
        was_up = coordinator is not None and coordinator.lan_up
        self._link_status(serial, status, self._local_links.get(serial), greet=True)
        cloud = self._cloud_link
        if (
            was_up
            and not status.connected
            and cloud is not None
            and cloud.connected
            and serial in cloud.serials
        ):
            # The cloud takes over; it has not been heard while the LAN fed
            # the printer, so ask it for the whole state.
            self._greet_soon(serial, cloud)

    @callback
    def _check_access_code(self, serial: str, status: LinkStatus) -> None:
        """Raise or clear the repair issue of a refused per-printer access code.

        The LAN link keeps retrying with backoff (the cloud carries the
        printer meanwhile); the issue goes once the printer accepts it.
        """
        issue_id = access_code_issue_id(serial)
        if status.connected:
            self._tls_issues.discard(issue_id)
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        if status.failure is not ConnectionFailure.CREDENTIALS:
            return
        # Gone on unload too: the options may no longer give this printer a
        # LAN address.
        self._tls_issues.add(issue_id)
        coordinator = self.printers.get(serial)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ACCESS_CODE_ISSUE,
            translation_placeholders={
                "name": coordinator.printer_name if coordinator else serial,
                "host": str(self.local_settings(serial).get(CONF_HOST, "")),
            },
        )

    @callback
    def _link_status(
        self,
        serial: str,
        status: LinkStatus,
        link: PrinterLink | None,
        *,
        greet: bool,
    ) -> None:
        coordinator = self.printers.get(serial)
        if coordinator is None:
            return
        self._update_links(coordinator)
        if status.connected and greet:
            # A new session: ask for the whole state and the versions once.
            self._greet_soon(serial, link)

    @callback
    def _greet_soon(
        self, serial: str, link: PrinterLink | None, *, attempt: int = 0
    ) -> None:
        self.hass.async_create_task(
            self._greet(serial, link, attempt=attempt),
            f"{DOMAIN} greet {serial}",
            eager_start=True,
        )

    async def _async_use_token(self, token: str) -> None:
        """The sign-in was renewed: the cloud broker link takes the new token."""
        if self._cloud_link is not None:
            await self._cloud_link.reconnect_with(token)

    @callback
    def _check_credentials(self, status: LinkStatus) -> None:
        """The broker refused the token or access code after setup: reauth."""
        if not status.connected and status.failure is ConnectionFailure.CREDENTIALS:
            self.entry.async_start_reauth(self.hass)

    @callback
    def _check_trust(self, serial: str | None, status: LinkStatus) -> None:
        """Raise or clear the repair issue of a server that is not trusted.

        The link never connects without verification: it keeps retrying
        with backoff, and the issue goes once a trusted certificate is back.
        """
        issue_id = tls_untrusted_issue_id(
            serial or str(self.entry.data.get(CONF_UID, self.entry.entry_id))
        )
        if status.connected:
            # Also an issue a failed setup left behind.
            self._tls_issues.discard(issue_id)
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        if not status.untrusted or issue_id in self._tls_issues:
            return
        if serial is None:
            name = self.entry.title
            host = f"{self.entry.data[CONF_MQTT_HOST]}"
        else:
            coordinator = self.printers.get(serial)
            name = coordinator.printer_name if coordinator else serial
            host = str(self.local_settings(serial).get(CONF_HOST, ""))
        self._tls_issues.add(issue_id)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=TLS_UNTRUSTED_ISSUE,
            translation_placeholders={"name": name, "host": host},
        )

    @callback
    def _update_links(self, coordinator: PrinterCoordinator) -> None:
        serial = coordinator.serial
        local = self._local_links.get(serial)
        cloud = self._cloud_link
        coordinator.set_links(
            cloud=cloud is not None and cloud.connected and serial in cloud.serials,
            lan=local is not None and local.connected,
        )

    def link_for(self, serial: str) -> PrinterLink | None:
        """The link to send a command through: the LAN one when it is up."""
        local = self._local_links.get(serial)
        if local is not None and local.connected:
            return local
        cloud = self._cloud_link
        if cloud is not None and serial in cloud.serials:
            return cloud
        return local

    def local_settings(self, serial: str) -> Mapping[str, Any]:
        """The user's LAN settings of a printer (host, access code, ports, camera)."""
        if self.kind is EntryKind.LAN:
            if serial != self.entry.data[CONF_SERIAL]:
                return {}
            return {**self.entry.data, **self.entry.options}
        printers: dict[str, dict[str, Any]] = self.entry.options.get(CONF_PRINTERS, {})
        return printers.get(serial, {})

    def camera_wanted(self, serial: str) -> bool:
        """Whether the user wants the printer's camera entity (default yes)."""
        return bool(self.local_settings(serial).get(CONF_CAMERA, True))

    def local_access(self, serial: str) -> LocalAccess | None:
        """The printer's LAN address and access code, if the user gave them."""
        settings = self.local_settings(serial)
        host = settings.get(CONF_HOST)
        code = settings.get(CONF_ACCESS_CODE)
        if not host or not code or self._local_context is None:
            return None
        return LocalAccess(
            host=host,
            access_code=code,
            camera_port=settings.get(CONF_CAMERA_PORT, DEFAULT_CAMERA_PORT),
            ftp_port=settings.get(CONF_FTP_PORT, DEFAULT_FTP_PORT),
            ssl_context=self._local_context,
        )

    def camera_always_on(self, serial: str) -> bool:
        """Whether the camera stays connected when nobody watches."""
        return serial in self._camera_always_on

    @callback
    def set_camera_always_on(self, serial: str, on: bool) -> None:
        """Keep the camera connected (or not) and tell the camera entity."""
        if on == (serial in self._camera_always_on):
            return
        if on:
            self._camera_always_on.add(serial)
        else:
            self._camera_always_on.discard(serial)
        async_dispatcher_send(self.hass, camera_always_on_signal(serial), on)

    async def _greet(
        self, serial: str, link: PrinterLink | None = None, *, attempt: int = 0
    ) -> None:
        link = link or self.link_for(serial)
        if link is None or not link.connected:
            return
        try:
            await link.publish(serial, commands.get_version())
            await link.publish(serial, commands.pushall())
        except LinkError as err:
            LOGGER.debug("Could not ask %s for its state: %s", serial, err)
        self._ask_again_later(serial, attempt)

    @callback
    def _ask_again_later(self, serial: str, attempt: int) -> None:
        """Ask again, with backoff, until the printer's full report arrives.

        Some printers ignore a pushall (busy, just booted); without their
        full report the printer has no entities.
        """
        if (cancel := self._pushall_retries.pop(serial, None)) is not None:
            cancel()
        coordinator = self.printers.get(serial)
        if coordinator is None or coordinator.data.has_full_report:
            return
        delay = min(PUSHALL_RETRY_FIRST * 2**attempt, PUSHALL_RETRY_MAX)

        @callback
        def ask_again(_now: datetime) -> None:
            self._pushall_retries.pop(serial, None)
            current = self.printers.get(serial)
            if current is None or current.data.has_full_report:
                return
            if current.data.online is False and not current.lan_up:
                return  # asked again when the cloud says it is back
            LOGGER.debug("%s sent no full report yet; asking again", serial)
            self._greet_soon(serial, None, attempt=attempt + 1)

        self._pushall_retries[serial] = async_call_later(self.hass, delay, ask_again)

    # --- printers --------------------------------------------------------------

    def _wanted(self, devices: dict[str, CloudDevice]) -> list[CloudDevice]:
        ignored = set(self.entry.options.get(CONF_IGNORED, ()))
        return [d for serial, d in devices.items() if serial not in ignored]

    def _add_coordinator(
        self, serial: str, name: str | None, cloud_names: tuple[str | None, ...]
    ) -> PrinterCoordinator:
        coordinator = PrinterCoordinator(
            self.hass, self.entry, serial, name=name, cloud_names=cloud_names
        )
        self.printers[serial] = coordinator
        if self._started:  # a printer added to the account later
            self._track_jobs(coordinator)
        return coordinator

    @callback
    def _track_jobs(self, coordinator: PrinterCoordinator) -> None:
        """Start a printer's job tracker: with the entry, not the first platform."""
        if (known := self.jobs.get(coordinator.serial)) is not None:
            known.async_stop()
        tracker = self.jobs[coordinator.serial] = JobTracker(coordinator)
        tracker.async_start()

    @callback
    def _on_device_list(self) -> None:
        if (
            self.device_list is None
            or self.device_list.data is None
            or not self.device_list.last_update_success
        ):
            return  # a failed poll keeps every printer as it was
        devices = self.device_list.data
        self._remember(devices)
        wanted = {d.serial: d for d in self._wanted(devices)}
        for serial, device in wanted.items():
            if (coordinator := self.printers.get(serial)) is not None:
                self._rename(coordinator, device.name)
            else:
                LOGGER.info("New printer %s on the account", device.name or serial)
                self._add_coordinator(serial, device.name, _cloud_names(device))
                if self._cloud_link is not None:
                    self.hass.async_create_task(
                        self._subscribe(serial), f"{DOMAIN} add {serial}"
                    )
        for serial in [s for s in self.printers if s not in wanted]:
            self.hass.async_create_task(
                self._remove_printer(serial), f"{DOMAIN} remove {serial}"
            )
        self._sync_online(devices)

    async def _subscribe(self, serial: str) -> None:
        link = self._cloud_link
        if link is None:
            return
        await link.add_serial(serial)
        if link.connected and serial in self.printers:
            self._update_links(self.printers[serial])
            await self._greet(serial)

    @callback
    def _rename(self, coordinator: PrinterCoordinator, name: str | None) -> None:
        """Follow a name changed in the Bambu app, on the printer and its AMS units.

        A name the user gave the device in Home Assistant (``name_by_user``)
        still wins, as Home Assistant shows that one.
        """
        if not name or name == coordinator.printer_name:
            return
        old = coordinator.printer_name
        LOGGER.info("Printer %s is now called %s", old, name)
        coordinator.printer_name = name
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if not _is_device_of(device, coordinator.serial) or device.name is None:
                continue
            if device.name == old or device.name.startswith(f"{old} "):
                registry.async_update_device(
                    device.id, name=name + device.name.removeprefix(old)
                )

    async def _remove_printer(self, serial: str) -> None:
        """A printer left the account: drop it and its devices."""
        LOGGER.info("Printer %s is no longer on the account", serial)
        self.printers.pop(serial, None)
        if (tracker := self.jobs.pop(serial, None)) is not None:
            tracker.async_stop()
        if (cancel := self._pushall_retries.pop(serial, None)) is not None:
            cancel()
        self._structure.pop(serial, None)
        if self._cloud_link is not None:
            await self._cloud_link.remove_serial(serial)
        if (local := self._local_links.pop(serial, None)) is not None:
            await local.stop()
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if _is_device_of(device, serial):
                registry.async_remove_device(device.id)

    @callback
    def _sync_online(self, devices: dict[str, CloudDevice]) -> None:
        for serial, device in devices.items():
            if (coordinator := self.printers.get(serial)) is not None:
                was_online = coordinator.data.online
                coordinator.set_online(device.online)
                if was_online is False and device.online:
                    self._came_online(serial)

    # --- platforms -------------------------------------------------------------

    @callback
    def async_add_printer_listener(
        self, listener: PrinterListener
    ) -> Callable[[], None]:
        """Call ``listener`` for every printer now and whenever its parts change."""
        self._listeners.append(listener)
        for coordinator in self.printers.values():
            if coordinator.data.has_full_report:
                listener(coordinator)

        @callback
        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    @callback
    def async_stop_adding(self) -> None:
        """Tell no platform of new parts any more (the entry is unloading)."""
        self._listeners.clear()

    @callback
    def _check_structure(self, coordinator: PrinterCoordinator) -> None:
        state = coordinator.data
        if not state.has_full_report:
            return
        structure = (
            state.model.key,
            tuple(coordinator.ams_units),
            len(state.external_spools),
            tuple(sorted(state.modules)),
            len(state.lights),
            tuple(sorted(xcam))
            if isinstance(xcam := state.report.get("xcam"), dict)
            else (),
            # Auto-switch support follows the AMS units, already counted above;
            # asking would parse the AMS once more per update.
            tuple(
                option
                for option in PrintOption
                if option is not PrintOption.AUTO_SWITCH_FILAMENT
                and state.print_option_supported(option)
            ),
        )
        if self._structure.get(coordinator.serial) == structure:
            return
        self._structure[coordinator.serial] = structure
        # Registered before any entity: AMS devices link to it by its id.
        device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id, **printer_device_info(coordinator)
        )
        coordinator.device_id = device.id
        for listener in list(self._listeners):
            listener(coordinator)


def access_code_issue_id(serial: str) -> str:
    """The repair issue of a printer that refuses its access code."""
    return f"{ACCESS_CODE_ISSUE}_{serial}"


def _is_device_of(device: dr.DeviceEntry, serial: str) -> bool:
    """Whether a device is the printer's own or one of its AMS units."""
    return any(
        domain == DOMAIN and (ident == serial or ident.startswith(f"{serial}_"))
        for domain, ident in device.identifiers
    )


def tls_untrusted_issue_id(key: str) -> str:
    """The repair issue of an untrusted server: ``key`` a serial or account id."""
    return f"{TLS_UNTRUSTED_ISSUE}_{key}"


def camera_always_on_signal(serial: str) -> str:
    """The dispatcher signal of a printer's camera always-on setting."""
    return f"{DOMAIN}_camera_always_on_{serial}"


def _cloud_names(device: CloudDevice) -> tuple[str | None, ...]:
    return (device.product_name, device.model_name)
