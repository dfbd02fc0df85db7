"""Sensors: temperatures, job, fans, network, health, AMS units and trays.

Entities exist only where the printer reports the data or the model has the
part: a P1P gets no chamber temperature, an AMS lite no humidity, and an H2D
one temperature pair per nozzle. AMS units and their trays live on the AMS
unit's device; external spools on the printer's.

Nozzles: a two-nozzle printer has a type, flow and diameter sensor per
nozzle, named as Bambu names them (right and left; the X2D's auxiliary and
main) plus the active nozzle; the first nozzle keeps the one-nozzle keys. An
H2C also has its hotend rack: the rack's state and one sensor per place.

Text states. Enum sensors (print status, stage, speed profile, nozzle type
and flow, active nozzle, hotend rack, SD card) use translated states. The filament sensors of trays, external
spools and the active tray show the filament's own name (its sub-brand,
profile name or type, which are product names and not translated), or one of
the translated states ``empty``, ``unidentified`` (a spool the printer
cannot identify) and, for the active tray, ``none``. The print error shows
Bambu's text for the error in Home Assistant's language (from the library's
catalog), or the translated state ``none``.

Job file sensors (print weight and length, and per tray and external spool
the grams the job needs from it) come from the job's project file or cloud
task (``job.py``) and are unknown until it has been read, or when the job
has none; a tray's is unknown while it is not known which tray prints what.
"""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiobambulab.hms import HmsCatalog
from .connection_sensor import async_add_connection_sensors
from .coordinator import PrinterCoordinator
from .entity import (
    BambuEntity,
    ams_device_info,
    async_add_printer_entities,
    described_entities,
    entry_runtime,
)
from .job import async_job_tracker
from .runtime import BambuConfigEntry
from .sensor_costs import async_add_cost_sensors
from .sensor_filament import (
    ACTIVE_TRAY,
    AMS_SENSORS,
    EXTERNAL_SPOOL_SENSORS,
    TRAY_NUMBERS,
    TRAY_SENSORS,
    BambuActiveTraySensor,
    BambuAmsSensor,
    BambuTraySensor,
    tray_slots,
)
from .sensor_job import (
    EXTERNAL_SPOOL_JOB_SENSOR,
    JOB_SENSORS,
    TRAY_JOB_SENSOR,
    BambuJobSensor,
    BambuSlotJobSensor,
)
from .sensor_messages import MESSAGE_SENSORS, BambuMessageSensor
from .sensor_nozzles import nozzle_sensors
from .sensor_printer import PRINTER_SENSORS, BambuSensor
from .statistics import async_add_statistics_sensors

# Entities only read; the hub serialises nothing for them.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for each printer, and again when its parts change."""
    catalog = entry_runtime(entry).catalog
    async_add_printer_entities(
        entry, async_add_entities, lambda coordinator: _entities(coordinator, catalog)
    )
    async_add_statistics_sensors(entry, async_add_entities)
    async_add_connection_sensors(entry, async_add_entities)
    async_add_cost_sensors(entry, async_add_entities)


def _entities(
    coordinator: PrinterCoordinator, catalog: HmsCatalog
) -> Iterator[BambuEntity]:
    """Every sensor the printer has now."""
    state = coordinator.data
    yield from described_entities(coordinator, PRINTER_SENSORS, BambuSensor)
    yield from described_entities(
        coordinator, nozzle_sensors(state.model, state.nozzle_count), BambuSensor
    )
    for message in MESSAGE_SENSORS:
        if message.exists_fn(state):
            yield BambuMessageSensor(coordinator, message, catalog)
    tracker = async_job_tracker(coordinator)
    for job in JOB_SENSORS:
        if job.exists_fn(state):
            yield BambuJobSensor(coordinator, job, tracker)
    units = list(coordinator.ams_units.values())
    spools = state.external_spools
    if units or spools:
        yield BambuActiveTraySensor(coordinator, ACTIVE_TRAY)
    for unit in units:
        device_info = ams_device_info(coordinator, unit)
        for ams in AMS_SENSORS:
            if ams.unit_exists_fn(unit):
                yield BambuAmsSensor(coordinator, ams, unit, key_suffix=f"_{unit.id}")
        for slot in tray_slots(unit):
            for tray in TRAY_SENSORS:
                yield BambuTraySensor(
                    coordinator,
                    tray,
                    (unit.id, slot),
                    key_suffix=f"_{unit.id}_{slot}",
                    device_info=device_info,
                    placeholders=TRAY_NUMBERS[slot],
                )
            yield BambuSlotJobSensor(
                coordinator,
                TRAY_JOB_SENSOR,
                tracker,
                (unit.id, slot),
                key_suffix=f"_{unit.id}_{slot}",
                device_info=device_info,
                placeholders=TRAY_NUMBERS[slot],
            )
    # Numbered only where the printer has more than one holder.
    numbered = len(spools) > 1
    for spool in spools:
        for spool_description in EXTERNAL_SPOOL_SENSORS:
            yield BambuTraySensor(
                coordinator,
                spool_description,
                (spool.ams_id, spool.slot),
                key_suffix=f"_{spool.slot}",
                translation_key=(
                    f"numbered_{spool_description.translation_key}"
                    if numbered
                    else None
                ),
                placeholders={"spool": str(spool.slot + 1)} if numbered else None,
            )
        yield BambuSlotJobSensor(
            coordinator,
            EXTERNAL_SPOOL_JOB_SENSOR,
            tracker,
            (spool.ams_id, spool.slot),
            key_suffix=f"_{spool.slot}",
            translation_key=(
                f"numbered_{EXTERNAL_SPOOL_JOB_SENSOR.translation_key}"
                if numbered
                else None
            ),
            placeholders={"spool": str(spool.slot + 1)} if numbered else None,
        )
