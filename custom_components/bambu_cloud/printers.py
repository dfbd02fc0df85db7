"""The printers of one config entry, and news of their parts for the platforms.

Each printer's coordinator is registered here. Whenever a printer's set of
parts (AMS units, external spools, modules, lights, camera features, print
options) changes, its device is registered or updated first, then every
printer listener hears of it: the platforms add the entities of new parts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .aiobambulab.depends import depends_on
from .aiobambulab.listeners import add_listener
from .aiobambulab.markers import CHANGED_VERSION
from .aiobambulab.option_views import PrintOption
from .aiobambulab.printer import Update
from .aiobambulab.state import PrinterState as S
from .coordinator import PrinterCoordinator, PrinterListener
from .entity import printer_device_info

# What decides which entities a printer has: a change to any of it checks
# the printer's parts again.
STRUCTURE = depends_on(
    CHANGED_VERSION,
    S.nozzle_count,
    S.ams_units,
    S.external_spools,
    S.modules,
    S.lights,
    S.xcam_modules,
    S.print_option_supported,
    S.foreign_object_detection_supported,
)


class EntryPrinters(Mapping[str, PrinterCoordinator]):
    """The coordinators of an entry's printers, by serial."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Start with no printer."""
        self.hass = hass
        self.entry = entry
        self._coordinators: dict[str, PrinterCoordinator] = {}
        self._listeners: list[PrinterListener] = []
        self._structure: dict[str, Hashable] = {}
        self._on_added: list[Callable[[PrinterCoordinator], None]] = []
        self._on_removed: list[Callable[[str], None]] = []

    def __getitem__(self, serial: str) -> PrinterCoordinator:
        """The coordinator of a printer."""
        return self._coordinators[serial]

    def __iter__(self) -> Iterator[str]:
        """The serials of the printers."""
        return iter(self._coordinators)

    def __len__(self) -> int:
        """How many printers the entry has."""
        return len(self._coordinators)

    # --- printers coming and going ---------------------------------------------

    @callback
    def async_add(self, coordinator: PrinterCoordinator) -> None:
        """Register a printer's coordinator (replacing a former one)."""
        # After the coordinator's own listener: its state is current.
        coordinator.printer.add_listener(
            lambda update: self._on_printer_update(coordinator, update)
        )
        self._coordinators[coordinator.serial] = coordinator
        for hook in list(self._on_added):
            hook(coordinator)

    @callback
    def async_remove(self, serial: str) -> None:
        """Forget a printer (it left the entry)."""
        if (coordinator := self._coordinators.pop(serial, None)) is not None:
            coordinator.async_stop()
        self._structure.pop(serial, None)
        for hook in list(self._on_removed):
            hook(serial)

    @callback
    def async_on_change(
        self,
        added: Callable[[PrinterCoordinator], None],
        removed: Callable[[str], None],
    ) -> None:
        """Call ``added`` for each printer registered from now on, ``removed`` for each forgotten."""
        self._on_added.append(added)
        self._on_removed.append(removed)

    @callback
    def async_stop(self) -> None:
        """Stop following every printer (the entry unloads)."""
        self._on_added.clear()
        self._on_removed.clear()
        for coordinator in self._coordinators.values():
            coordinator.async_stop()

    # --- news for the platforms --------------------------------------------------

    @callback
    def async_add_printer_listener(
        self, listener: PrinterListener
    ) -> Callable[[], None]:
        """Call ``listener`` for every printer now and whenever its parts change."""
        remove = add_listener(self._listeners, listener)
        for coordinator in self._coordinators.values():
            if coordinator.data.has_full_report:
                listener(coordinator)
        return remove

    @callback
    def async_stop_adding(self) -> None:
        """Tell no platform of new parts any more (the entry is unloading)."""
        self._listeners.clear()

    @callback
    def async_parts_changed(self, coordinator: PrinterCoordinator) -> None:
        """A printer's parts may have changed outside its reports (its LAN access)."""
        self._check_structure(coordinator)

    @callback
    def _on_printer_update(
        self, coordinator: PrinterCoordinator, update: Update
    ) -> None:
        if (
            STRUCTURE & update.changed
            or self._structure.get(coordinator.serial) is None
        ):
            self._check_structure(coordinator)

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
            state.xcam_modules,
            state.foreign_object_detection_supported,  # the queue's opt-in
            # The camera and the job file need it.
            coordinator.local_access is not None,
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
