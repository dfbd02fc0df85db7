"""Websocket commands the dashboard cards read what entities do not hold.

- ``bambu_cloud/printer_layout``: the cards find a printer's own entities in
  ``hass.entities`` by platform and translation key, but entities that exist
  once per AMS unit, tray or nozzle share one translation key (the number is
  a placeholder the frontend does not see), and the AMS humidity and
  temperature are named by their device class; this says which entity is
  which slot. Entity ids come from the entity registry by unique id, so
  renamed ids keep working.
- ``bambu_cloud/subscribe_plate_objects``: the current plate's objects from
  the job's ``.3mf`` (ids, names, where each sits on the top view) and which
  the printer skips; sent again when the job or the skips change.
- ``bambu_cloud/subscribe_history``: the printer's last jobs, sent again when
  the history changes.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import probatio

from .aiobambulab.ams import EXTERNAL_AMS_ID, AmsUnit, slot_label
from .aiobambulab.catalog import AmsKind
from .aiobambulab.depends import depends_on
from .aiobambulab.job_details import JobDetails
from .aiobambulab.state import PrinterState
from .const import DOMAIN
from .entity import AMS_LABELS, ams_identifier
from .history_jobs import JobOutcome
from .job import async_job_tracker

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator
    from .runtime import BambuConfigEntry

TYPE_LAYOUT: Final = f"{DOMAIN}/printer_layout"
TYPE_PLATE_OBJECTS: Final = f"{DOMAIN}/subscribe_plate_objects"
TYPE_HISTORY: Final = f"{DOMAIN}/subscribe_history"
MAX_HISTORY: Final = 50  # jobs a history card may ask for
# The report keys of the skipped objects.
SKIPPED_PATHS: Final = depends_on(PrinterState.skipped_objects)
# The bed a plate's top view shows, in mm (x, y); most printers have 256.
_BEDS: Final = {"A1MINI": (180.0, 180.0), "H2D": (350.0, 320.0)}
_DEFAULT_BED: Final = (256.0, 256.0)
# Slots per unit, as the sensor platform creates tray entities.
_SLOTS: Final = {AmsKind.AMS_HT: 1}
_DEFAULT_SLOTS: Final = 4

type Json = dict[str, Any]


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the cards' commands (once per Home Assistant run)."""
    async_register_command(hass, websocket_printer_layout)
    async_register_command(hass, websocket_subscribe_plate_objects)
    async_register_command(hass, websocket_subscribe_history)


def _printer_or_error(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> PrinterCoordinator | None:
    """The printer of the command's ``device_id``; else answers "not found"."""
    if (coordinator := _printer_of(hass, msg["device_id"])) is None:
        connection.send_error(
            msg["id"], ERR_NOT_FOUND, "Not a printer of the Bambu Lab Cloud integration"
        )
    return coordinator


def _printer_of(hass: HomeAssistant, device_id: str) -> PrinterCoordinator | None:
    """The loaded printer a device id stands for; None for anything else."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    serials = {ident for domain, ident in device.identifiers if domain == DOMAIN}
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        printers = cast("BambuConfigEntry", entry).runtime_data.printers
        for serial in serials & printers.keys():
            return printers[serial]
    return None


class _Ids:
    """Entity ids of one printer's entities by unique id."""

    def __init__(self, hass: HomeAssistant, serial: str) -> None:
        self._registry = er.async_get(hass)
        self._serial = serial

    def get(self, domain: str, unique_suffix: str) -> str | None:
        return self._registry.async_get_entity_id(
            domain, DOMAIN, f"{self._serial}_{unique_suffix}"
        )


def printer_layout(hass: HomeAssistant, coordinator: PrinterCoordinator) -> Json:
    """The printer's nozzles, AMS units, trays and spools with their entity ids."""
    ids = _Ids(hass, coordinator.serial)
    registry = dr.async_get(hass)
    devices = {
        identifier: device.id
        for device in dr.async_entries_for_config_entry(
            registry, coordinator.config_entry.entry_id
        )
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }
    state = coordinator.data
    nozzles = [
        {
            "index": index,
            "temperature": ids.get("sensor", f"nozzle_temperature_{index}"),
            # The control entity is on by default; the target sensor is not.
            "target": ids.get("number", f"nozzle_target_temperature_{index}")
            or ids.get("sensor", f"nozzle_target_temperature_{index}"),
        }
        for index in range(state.nozzle_count if state.nozzle_count > 1 else 0)
    ]
    units = [
        _unit_layout(
            ids, unit, devices.get(ams_identifier(coordinator.serial, unit.id))
        )
        for unit in sorted(coordinator.ams_units.values(), key=lambda u: u.id)
    ]
    spools = state.external_spools
    external = [
        {
            "slot": spool.slot,
            "label": slot_label(EXTERNAL_AMS_ID, spool.slot),
            "filament": ids.get("sensor", f"external_spool_{spool.slot}"),
            "remaining": ids.get("sensor", f"external_spool_remaining_{spool.slot}"),
        }
        for spool in spools
    ]
    return {
        "serial": coordinator.serial,
        "model": state.model.name,
        "nozzles": nozzles,
        "units": units,
        "external": external,
        "external_ams_id": EXTERNAL_AMS_ID,
    }


def _unit_layout(ids: _Ids, unit: AmsUnit, device_id: str | None) -> Json:
    """One AMS unit: its device, climate entities and trays."""
    return {
        "id": unit.id,
        "number": unit.number,
        "kind": unit.kind.value,
        "label": f"{AMS_LABELS[unit.kind]} {unit.number}",
        "device_id": device_id,
        "humidity": ids.get("sensor", f"ams_humidity_{unit.id}"),
        "humidity_index": ids.get("sensor", f"ams_humidity_index_{unit.id}"),
        "temperature": ids.get("sensor", f"ams_temperature_{unit.id}"),
        "drying": ids.get("binary_sensor", f"ams{unit.id}_drying"),
        "drying_remaining": ids.get("sensor", f"ams_drying_remaining_{unit.id}"),
        "trays": [
            {
                "slot": slot,
                "tray": slot + 1,
                "label": slot_label(unit.id, slot),
                "filament": ids.get("sensor", f"tray_{unit.id}_{slot}"),
                "remaining": ids.get("sensor", f"tray_remaining_{unit.id}_{slot}"),
            }
            for slot in range(_SLOTS.get(unit.kind, _DEFAULT_SLOTS))
        ],
    }


@websocket_command(
    {
        probatio.Required("type"): TYPE_LAYOUT,
        probatio.Required("device_id"): str,
    }
)
@callback
def websocket_printer_layout(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the layout of the printer ``device_id``."""
    if (coordinator := _printer_or_error(hass, connection, msg)) is None:
        return
    connection.send_result(msg["id"], printer_layout(hass, coordinator))


def plate_objects(coordinator: PrinterCoordinator, details: JobDetails | None) -> Json:
    """The current plate's objects, where they sit on its top view, which are skipped.

    Boxes are fractions of the picture (left, top, right, bottom): the top
    view shows the whole bed, whose y axis grows away from the front.
    """
    if details is None or details.objects is None:
        return {"plate": None, "image": None, "objects": []}
    found = details.objects
    state = coordinator.data
    skipped_ids = state.skipped_objects
    width, height = _BEDS.get(state.model.key, _DEFAULT_BED)
    objects: list[Json] = []
    for item in found.objects:
        box = None
        if item.box is not None:
            min_x, min_y, max_x, max_y = item.box
            box = [
                _fraction(min_x / width),
                _fraction(1 - max_y / height),
                _fraction(max_x / width),
                _fraction(1 - min_y / height),
            ]
        objects.append(
            {
                "id": item.id,
                "name": item.name,
                "box": box,
                "skipped": item.id in skipped_ids,
            }
        )
    image = None
    if found.top_png is not None:
        image = "data:image/png;base64," + base64.b64encode(found.top_png).decode()
    return {
        "plate": details.key.plate,
        "image": image,
        "objects": objects,
    }


def _fraction(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


@websocket_command(
    {
        probatio.Required("type"): TYPE_PLATE_OBJECTS,
        probatio.Required("device_id"): str,
    }
)
@callback
def websocket_subscribe_plate_objects(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the current plate's objects now and whenever they or the skips change."""
    if (coordinator := _printer_or_error(hass, connection, msg)) is None:
        return
    tracker = async_job_tracker(coordinator)
    last: list[Json] = []

    @callback
    def send() -> None:
        payload = plate_objects(coordinator, tracker.details)
        if last and last[0] == payload:
            return
        last[:] = [payload]
        connection.send_event(msg["id"], payload)

    @callback
    def on_report() -> None:
        if SKIPPED_PATHS & coordinator.changed:
            send()

    unsubscribers = [
        coordinator.async_add_listener(on_report),
        tracker.async_add_listener(send),
    ]

    @callback
    def unsubscribe() -> None:
        for remove in unsubscribers:
            remove()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])
    send()


def last_jobs(coordinator: PrinterCoordinator, limit: int) -> list[Json]:
    """The printer's newest ended jobs from the integration's history."""
    history = cast("BambuConfigEntry", coordinator.config_entry).runtime_data.history
    record = history.printer(coordinator.serial)
    if record is None:
        return []
    ended = [j for j in record.jobs.values() if j.outcome is not JobOutcome.RUNNING]
    ended.sort(key=lambda job: job.start, reverse=True)
    return [
        {
            "id": job.id,
            "title": job.title,
            "start": job.start.isoformat(),
            "end": None if job.end is None else job.end.isoformat(),
            "outcome": job.outcome.value,
            "seconds": job.seconds,
            "weight": job.weight,
            "length": job.length,
            # Only web pictures: the card shows it in an <img>.
            "cover": job.cover
            if job.cover and job.cover.startswith(("https://", "http://"))
            else None,
        }
        for job in ended[:limit]
    ]


@websocket_command(
    {
        probatio.Required("type"): TYPE_HISTORY,
        probatio.Required("device_id"): str,
        probatio.Optional("limit", default=5): probatio.All(
            int, probatio.Range(min=1, max=MAX_HISTORY)
        ),
    }
)
@callback
def websocket_subscribe_history(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the printer's last jobs now and whenever its history changes."""
    if (coordinator := _printer_or_error(hass, connection, msg)) is None:
        return
    history = cast("BambuConfigEntry", coordinator.config_entry).runtime_data.history
    last: list[list[Json]] = []

    @callback
    def send() -> None:
        jobs = last_jobs(coordinator, msg["limit"])
        if last and last[0] == jobs:
            return
        last[:] = [jobs]
        connection.send_event(msg["id"], {"jobs": jobs})

    connection.subscriptions[msg["id"]] = history.async_add_listener(send)
    connection.send_result(msg["id"])
    send()
