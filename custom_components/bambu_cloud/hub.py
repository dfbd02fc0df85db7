"""What Home Assistant does around the library's account and printers.

The library's ``Account`` (cloud entry) or ``Printer`` (LAN entry) owns the
links, the greeting and the commands. This module adds Home Assistant's
business: the device registry, the repair issues of links (certificate,
access code, credentials), the device-list poll and the printers it adds or
removes, and ``async_add_printer_listener`` telling platforms whenever a
printer's set of parts changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import timedelta
import functools
import ssl
from typing import TYPE_CHECKING, Any

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr

from .aiobambulab.account import Account
from .aiobambulab.cloud import BambuCloud, CloudDevice
from .aiobambulab.errors import ConnectError, ConnectionFailure
from .aiobambulab.hms import HmsCatalog, load_catalog
from .aiobambulab.mqtt import LinkStatus, PrinterLink
from .aiobambulab.option_views import PrintOption
from .aiobambulab.printer import LinkSource, Printer, Update
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
from .coordinator import (
    DeviceListCoordinator,
    PrinterCoordinator,
    PrinterListener,
    ha_scheduler,
    ha_spawner,
)
from .entity import printer_device_info
from .error_texts import ErrorTextLoader
from .history import HistoryCoordinator
from .job import JobTracker
from .link_issues import LinkIssues
from .notifications import NotificationCoordinator
from .runtime import LocalAccess
from .signin import SignIn

if TYPE_CHECKING:
    from .runtime import BambuConfigEntry

CONNECT_TIMEOUT = 20.0  # seconds; the cloud broker can be slow to accept
# Report paths that add or remove parts (and so entities) of a printer.
STRUCTURE_PATHS = frozenset(
    {"ams", "vir_slot", "device", "@version", "lights_report", "xcam"}
)
# What is remembered of each printer of the device list, for a start
# without the cloud (no access code, no online flag).
REMEMBERED_FIELDS = ("name", "dev_product_name", "dev_model_name")


class BambuHub:
    """Every link and printer of one config entry."""

    def __init__(self, hass: HomeAssistant, entry: BambuConfigEntry) -> None:
        """Prepare; nothing connects before ``async_setup``."""
        self.hass = hass
        self.entry = entry
        self.kind = EntryKind(entry.data.get(CONF_KIND, EntryKind.CLOUD))
        self.printers: dict[str, PrinterCoordinator] = {}
        self.device_list: DeviceListCoordinator | None = None
        self.account: Account | None = None
        self.printer: Printer | None = None  # a LAN entry's printer
        self._signin: SignIn | None = None
        self._listeners: list[PrinterListener] = []
        self._structure: dict[str, Hashable] = {}
        self._local_context: ssl.SSLContext | None = None
        # Repair issues of links (certificate, access code).
        self.issues = LinkIssues(hass)
        self._started = False
        # Error texts in the user's language, read on the first error.
        self.catalog: HmsCatalog = load_catalog(hass.config.language)
        self._error_texts = ErrorTextLoader(
            hass, entry, self.catalog, self._take_message
        )
        self.history = HistoryCoordinator(hass, entry, self)
        # Each printer's current job file, by serial; started with the entry.
        self.jobs: dict[str, JobTracker] = {}
        # The account's messages (a cloud entry), created with the entry and
        # read while its event entity listens.
        self.notifications: NotificationCoordinator | None = None

    @property
    def cloud(self) -> BambuCloud | None:
        """The account's cloud client (None for a LAN entry)."""
        return None if self.account is None else self.account.cloud

    # --- life cycle --------------------------------------------------------

    async def async_setup(self) -> None:
        """Connect; raise ConfigEntryAuthFailed or ConfigEntryNotReady."""
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
        for tracker in self.jobs.values():
            tracker.async_stop()
        self.jobs.clear()
        for coordinator in self.printers.values():
            coordinator.async_stop()
        if self.account is not None:
            await self.account.stop()
        else:
            for coordinator in self.printers.values():
                await coordinator.printer.stop()
        if self._started:
            # Unloaded (not a failed setup, whose issue says why it retries).
            self.issues.clear_all()

    async def _setup_lan(self) -> None:
        data = self.entry.data
        serial: str = data[CONF_SERIAL]
        self.printer = printer = Printer(
            serial,
            name=self.entry.title,
            scheduler=ha_scheduler(self.hass),
            spawner=ha_spawner(self.hass),
        )
        local_context = await self._async_local_context()
        self._add_coordinator(printer)
        link = self._connect_lan(printer, dict(data), local_context)
        await self._start_link(link, data[CONF_HOST])

    async def _setup_cloud(self) -> None:
        data = self.entry.data
        cloud = cloud_client(self.hass, data)
        self.account = account = Account(
            cloud,
            data[CONF_UID],
            scheduler=ha_scheduler(self.hass),
            spawner=ha_spawner(self.hass),
        )
        self.notifications = NotificationCoordinator(self.hass, self.entry, cloud)
        self._signin = SignIn(self.hass, self.entry, cloud, account.reconnect_with)
        self.entry.async_on_unload(self._signin.stop)
        minutes = self.entry.options.get(
            CONF_DEVICE_LIST_INTERVAL, DEFAULT_DEVICE_LIST_INTERVAL
        )
        remembered = self._remembered_devices()
        self.device_list = DeviceListCoordinator(
            self.hass,
            self.entry,
            account,
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
        local_context = await self._async_local_context()
        for device in self._wanted(devices):
            self._add_coordinator(
                account.printer(
                    device.serial, name=device.name, cloud_names=_cloud_names(device)
                )
            )
        cloud_link = account.connect(
            cloud.token or data[CONF_TOKEN],  # renewed at the first request
            host=data[CONF_MQTT_HOST],
            port=data.get(CONF_MQTT_PORT, DEFAULT_MQTT_PORT),
            ssl_context=await async_mqtt_ssl_context(self.hass, data, local=False),
        )
        self.entry.async_on_unload(account.add_status_listener(self._on_cloud_status))
        printer_options: dict[str, dict[str, Any]] = self.entry.options.get(
            CONF_PRINTERS, {}
        )
        on_lan = False
        for serial, options in printer_options.items():
            if serial in self.printers and options.get(CONF_HOST):
                printer = self.printers[serial].printer
                self._connect_lan(printer, options, local_context)
                await printer.start()  # no wait: the cloud carries it meanwhile
                on_lan = True
        if on_lan:
            # Printers on the LAN do not wait for the cloud broker; a refused
            # token still starts the reauth, from the status callback.
            await cloud_link.start()
        else:
            await self._start_link(cloud_link, data[CONF_MQTT_HOST])
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

    def _connect_lan(
        self, printer: Printer, options: Mapping[str, Any], context: ssl.SSLContext
    ) -> PrinterLink:
        serial = printer.serial
        link = printer.connect_lan(
            options[CONF_HOST],
            options[CONF_ACCESS_CODE],
            port=options.get(CONF_PORT, DEFAULT_MQTT_PORT),
            ssl_context=context,
        )

        @callback
        def on_status(source: LinkSource, status: LinkStatus) -> None:
            if source is LinkSource.LAN:
                self._on_local_status(serial, status)

        printer.add_link_listener(on_status)
        return link

    @callback
    def _take_message(self, serial: str, message: dict[str, Any]) -> None:
        """A report whose error texts are at hand: the printer applies it."""
        if (coordinator := self.printers.get(serial)) is not None:
            coordinator.printer.apply(message)

    @callback
    def _on_printer_update(
        self, coordinator: PrinterCoordinator, update: Update
    ) -> None:
        if (
            STRUCTURE_PATHS & update.changed
            or self._structure.get(coordinator.serial) is None
        ):
            self._check_structure(coordinator)

    @callback
    def _on_cloud_status(self, status: LinkStatus) -> None:
        self._check_trust(None, status)
        if self._signin is not None:
            self._signin.link_status(status)  # renews a refused token, else reauth

    @callback
    def _on_local_status(self, serial: str, status: LinkStatus) -> None:
        self._check_trust(serial, status)
        if self.kind is EntryKind.LAN:
            self._check_credentials(status)
        else:
            self.issues.check_access_code(
                serial, status, name=self._name(serial), host=self._host(serial)
            )

    @callback
    def _check_credentials(self, status: LinkStatus) -> None:
        """The broker refused the token or access code after setup: reauth."""
        if not status.connected and status.failure is ConnectionFailure.CREDENTIALS:
            self.entry.async_start_reauth(self.hass)

    @callback
    def _check_trust(self, serial: str | None, status: LinkStatus) -> None:
        if serial is None:
            key = str(self.entry.data.get(CONF_UID, self.entry.entry_id))
            name, host = self.entry.title, str(self.entry.data[CONF_MQTT_HOST])
        else:
            key, name, host = serial, self._name(serial), self._host(serial)
        self.issues.check_trust(key, status, name=name, host=host)

    def _name(self, serial: str) -> str:
        coordinator = self.printers.get(serial)
        return coordinator.printer_name if coordinator else serial

    def _host(self, serial: str) -> str:
        return str(self.local_settings(serial).get(CONF_HOST, ""))

    def local_settings(self, serial: str) -> Mapping[str, Any]:
        """The user's LAN settings of a printer (host, access code, ports, camera)."""
        if self.kind is EntryKind.LAN:
            if serial != self.entry.data[CONF_SERIAL]:
                return {}
            return {**self.entry.data, **self.entry.options}
        printers: dict[str, dict[str, Any]] = self.entry.options.get(CONF_PRINTERS, {})
        return printers.get(serial, {})

    def _local_access(self, serial: str) -> LocalAccess | None:
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

    # --- printers --------------------------------------------------------------

    def _wanted(self, devices: dict[str, CloudDevice]) -> list[CloudDevice]:
        ignored = set(self.entry.options.get(CONF_IGNORED, ()))
        return [d for serial, d in devices.items() if serial not in ignored]

    def _add_coordinator(self, printer: Printer) -> PrinterCoordinator:
        coordinator = PrinterCoordinator(
            self.hass, self.entry, printer.serial, name=printer.name, printer=printer
        )
        settings = self.local_settings(printer.serial)
        coordinator.local_access = self._local_access(printer.serial)
        coordinator.camera_wanted = bool(settings.get(CONF_CAMERA, True))
        coordinator.cloud = self.cloud
        # A report waits while the error texts it needs are read.
        printer.hold_reports_with(
            functools.partial(self._error_texts.feed, printer.serial)
        )
        # After the coordinator's own listener: its state is current.
        printer.add_listener(
            lambda update: self._on_printer_update(coordinator, update)
        )
        self.printers[printer.serial] = coordinator
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
                self._add_printer(device)
        for serial in [s for s in self.printers if s not in wanted]:
            self.hass.async_create_task(
                self._remove_printer(serial), f"{DOMAIN} remove {serial}"
            )
        self._sync_online(devices)

    @callback
    def _add_printer(self, device: CloudDevice) -> None:
        if (account := self.account) is None:
            return
        printer = account.printer(
            device.serial, name=device.name, cloud_names=_cloud_names(device)
        )
        self._add_coordinator(printer)
        self.hass.async_create_task(
            account.add_printer(device.serial), f"{DOMAIN} add {device.serial}"
        )

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
        if (coordinator := self.printers.pop(serial, None)) is not None:
            coordinator.async_stop()
        if (tracker := self.jobs.pop(serial, None)) is not None:
            tracker.async_stop()
        self._structure.pop(serial, None)
        if self.account is not None:
            await self.account.remove_printer(serial)
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if _is_device_of(device, serial):
                registry.async_remove_device(device.id)

    @callback
    def _sync_online(self, devices: dict[str, CloudDevice]) -> None:
        if self.account is not None:
            self.account.sync_online(devices)

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


def _is_device_of(device: dr.DeviceEntry, serial: str) -> bool:
    """Whether a device is the printer's own or one of its AMS units."""
    return any(
        domain == DOMAIN and (ident == serial or ident.startswith(f"{serial}_"))
        for domain, ident in device.identifiers
    )


def _cloud_names(device: CloudDevice) -> tuple[str | None, ...]:
    return (device.product_name, device.model_name)
