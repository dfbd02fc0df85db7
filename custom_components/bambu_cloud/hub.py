"""What Home Assistant does around the library's account and printers.

The library's ``Account`` (cloud entry) or ``Printer`` (LAN entry) owns the
links, the greeting and the commands. This module connects them with the
entry's settings, turns their link status into repair issues or a reauth,
follows the account's device list (printers coming, going and renamed) and
registers each printer's coordinator with the entry's ``EntryPrinters``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
import functools
import ssl
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady

from .aiobambulab.account import Account
from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_devices import CloudDevice
from .aiobambulab.errors import ConnectError, ConnectionFailure
from .aiobambulab.hms import HmsCatalog
from .aiobambulab.link_health import LinkStatus
from .aiobambulab.local_route import LanState, LocalRoute
from .aiobambulab.mqtt import PrinterLink
from .aiobambulab.printer import LinkSource, Printer
from .connection import (
    async_mqtt_ssl_context,
    cloud_client,
    local_access,
    local_settings,
)
from .const import (
    CONF_ACCESS_CODE,
    CONF_CAMERA,
    CONF_DEVICE_LIST_INTERVAL,
    CONF_IGNORED,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_PRINTERS,
    CONF_SERIAL,
    CONF_UID,
    CONF_USE_LAN,
    DEFAULT_DEVICE_LIST_INTERVAL,
    DEFAULT_MQTT_PORT,
    DOMAIN,
    LOGGER,
    EntryKind,
)
from .coordinator import (
    DeviceListCoordinator,
    PrinterCoordinator,
    ha_scheduler,
    ha_spawner,
)
from .devices import async_remove_devices_of, async_rename_devices
from .error_texts import ErrorTextLoader
from .known_printers import (
    async_remember_address,
    async_remember_devices,
    remembered_address,
    remembered_devices,
)
from .lan_owned import lan_serials
from .link_issues import LinkIssues
from .printers import EntryPrinters
from .signin import SignIn

CONNECT_TIMEOUT = 20.0  # seconds; the cloud broker can be slow to accept


class BambuHub:
    """Every link and printer of one config entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        printers: EntryPrinters,
        catalog: HmsCatalog,
    ) -> None:
        """Prepare; nothing connects before ``async_setup``.

        Each printer's reports wait while the error texts they need are
        read from ``catalog``.
        """
        self.hass = hass
        self.entry = entry
        self.kind = EntryKind(entry.data.get(CONF_KIND, EntryKind.CLOUD))
        self.printers = printers
        self.device_list: DeviceListCoordinator | None = None
        self.account: Account | None = None
        self.printer: Printer | None = None  # a LAN entry's printer
        self._signin: SignIn | None = None
        self._local_context: ssl.SSLContext | None = None
        # LAN links found from each account printer's report, by serial.
        self._routes: dict[str, LocalRoute] = {}
        # Repair issues of links (certificate, access code).
        self.issues = LinkIssues(hass, entry, name_of=self._name, host_of=self._host)
        self._started = False
        self._error_texts = ErrorTextLoader(hass, entry, catalog, self._take_message)

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
        self._started = True

    async def async_shutdown(self) -> None:
        """Stop following the printers and close every link."""
        self.printers.async_stop()
        for route in self._routes.values():
            route.stop()
        self._routes.clear()
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
        self._signin = SignIn(self.hass, self.entry, cloud, account.reconnect_with)
        self.entry.async_on_unload(self._signin.stop)
        minutes = self.entry.options.get(
            CONF_DEVICE_LIST_INTERVAL, DEFAULT_DEVICE_LIST_INTERVAL
        )
        remembered = remembered_devices(self.entry)
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
                self._reachable_without_cloud(device)
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
            async_remember_devices(self.hass, self.entry, devices)
        local_context = await self._async_local_context()
        for device in self._wanted(devices):
            self._add_coordinator(
                account.printer(
                    device.serial, name=device.name, cloud_names=_cloud_names(device)
                ),
                device,
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
        # Printers found on the LAN before: their links start at once too.
        on_lan = on_lan or any(route.address for route in self._routes.values())
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
                self.issues.lan_status(serial, status)

        printer.add_link_listener(on_status)
        return link

    @callback
    def _take_message(self, serial: str, message: dict[str, Any]) -> None:
        """A report whose error texts are at hand: the printer applies it."""
        if (coordinator := self.printers.get(serial)) is not None:
            coordinator.printer.apply(message)

    @callback
    def _on_cloud_status(self, status: LinkStatus) -> None:
        self.issues.cloud_status(status)
        if self._signin is not None:
            self._signin.link_status(status)  # renews a refused token, else reauth

    def _name(self, serial: str) -> str:
        coordinator = self.printers.get(serial)
        return coordinator.printer_name if coordinator else serial

    def _host(self, serial: str) -> str:
        if (route := self._routes.get(serial)) is not None:
            return route.address or ""
        return str(self.local_settings(serial).get(CONF_HOST, ""))

    def local_settings(self, serial: str) -> Mapping[str, Any]:
        """The user's LAN settings of a printer (host, access code, ports, camera)."""
        return local_settings(self.kind, self.entry.data, self.entry.options, serial)

    # --- printers --------------------------------------------------------------

    def _wanted(self, devices: dict[str, CloudDevice]) -> list[CloudDevice]:
        # Ignored by the user, or added on its own: not this entry's printer.
        left_out = set(self.entry.options.get(CONF_IGNORED, ())) | lan_serials(
            self.hass
        )
        return [d for serial, d in devices.items() if serial not in left_out]

    def _add_coordinator(
        self, printer: Printer, device: CloudDevice | None = None
    ) -> PrinterCoordinator:
        """Follow a printer with the entry's settings for it.

        ``device``: the account's device list entry of the printer.
        """
        coordinator = PrinterCoordinator(
            self.hass, self.entry, printer.serial, name=printer.name, printer=printer
        )
        settings = self.local_settings(printer.serial)
        coordinator.local_access = local_access(settings, self._local_context)
        coordinator.camera_wanted = bool(settings.get(CONF_CAMERA, True))
        coordinator.cloud = self.cloud
        if device is not None and not settings.get(CONF_HOST):
            # Before the entry's own listener: the camera then finds the address.
            self._find_lan(coordinator, device, settings)
        # A report waits while the error texts it needs are read.
        printer.hold_reports_with(
            functools.partial(self._error_texts.feed, printer.serial)
        )
        self.printers.async_add(coordinator)
        return coordinator

    def _reachable_without_cloud(self, device: CloudDevice) -> bool:
        """Whether a remembered printer has a LAN address to start from."""
        settings = self.local_settings(device.serial)
        if settings.get(CONF_HOST):
            return True
        return bool(
            settings.get(CONF_USE_LAN, True)
            and device.access_code
            and remembered_address(self.entry, device.serial)
        )

    @callback
    def _find_lan(
        self,
        coordinator: PrinterCoordinator,
        device: CloudDevice,
        settings: Mapping[str, Any],
    ) -> None:
        """Reach an account printer on the LAN at the address it reports."""
        if not settings.get(CONF_USE_LAN, True):
            coordinator.lan_unused = LanState.TURNED_OFF
            return
        code = device.access_code
        if not code:
            coordinator.lan_unused = LanState.NO_ACCESS_CODE
            return
        context = self._local_context

        @callback
        def verified(address: str, code: str) -> None:
            access = local_access(
                {**settings, CONF_HOST: address, CONF_ACCESS_CODE: code}, context
            )
            if access == coordinator.local_access:
                return
            # Reached and proved to be this printer: camera and files go
            # there, and the next start without internet too.
            async_remember_address(self.hass, self.entry, device.serial, address)
            coordinator.async_set_local_access(access)
            self.printers.async_parts_changed(coordinator)

        self._routes[device.serial] = LocalRoute(
            coordinator.printer,
            code,
            ssl_context=context,
            address=remembered_address(self.entry, device.serial),
            on_verified=verified,
        )

    @callback
    def _on_device_list(self) -> None:
        if (
            self.device_list is None
            or self.device_list.data is None
            or not self.device_list.last_update_success
        ):
            return  # a failed poll keeps every printer as it was
        devices = self.device_list.data
        async_remember_devices(self.hass, self.entry, devices)
        wanted = {d.serial: d for d in self._wanted(devices)}
        for serial, device in wanted.items():
            if (coordinator := self.printers.get(serial)) is not None:
                self._rename(coordinator, device.name)
                if (route := self._routes.get(serial)) and device.access_code:
                    route.use_access_code(device.access_code)
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
        self._add_coordinator(printer, device)
        self.hass.async_create_task(
            account.add_printer(device.serial), f"{DOMAIN} add {device.serial}"
        )

    @callback
    def _rename(self, coordinator: PrinterCoordinator, name: str | None) -> None:
        """Follow a name changed in the Bambu app, on the printer and its AMS units."""
        if not name or name == coordinator.printer_name:
            return
        old = coordinator.printer_name
        coordinator.printer_name = name
        async_rename_devices(self.hass, self.entry, coordinator.serial, old, name)

    async def _remove_printer(self, serial: str) -> None:
        """A printer left the account: drop it and its devices."""
        LOGGER.info("Printer %s is no longer on the account", serial)
        if (route := self._routes.pop(serial, None)) is not None:
            route.stop()
        self.printers.async_remove(serial)
        if self.account is not None:
            await self.account.remove_printer(serial)
        async_remove_devices_of(self.hass, self.entry, serial)

    @callback
    def _sync_online(self, devices: dict[str, CloudDevice]) -> None:
        if self.account is not None:
            self.account.sync_online(devices)


def _cloud_names(device: CloudDevice) -> tuple[str | None, ...]:
    return (device.product_name, device.model_name)
