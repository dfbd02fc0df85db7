"""The integration's actions: print a file, jog, filament, drying, raw G-code.

Every action names a device: a printer, or one of its AMS units where a tray
or a dryer is meant (an AMS unit stands for its printer in the other
actions). Input is checked before anything is sent, each problem a
translated ``ServiceValidationError``; then the printer's typed command
waits for its reply (``control.async_command``), so success means the
printer accepted it. Entities change only when the printer reports the result.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
import functools
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.helpers import config_validation as cv, service
import probatio

from .aiobambulab import default_job_name, url_safe_filename
from .aiobambulab.ams import EXTERNAL_AMS_ID, TRAY_EXTERNAL, AmsUnit, Tray
from .aiobambulab.errors import UnknownTarget
from .aiobambulab.filaments import PROFILES, FilamentProfile, profile
from .aiobambulab.job_views import ACTIVE_JOB_STATES, JobState
from .const import DOMAIN
from .control import async_command, invalid_call, invalid_input
from .coordinator import PrinterCoordinator
from .entity import ams_identifier
from .print_file import (
    ams_mapping,
    async_cloud_upload,
    async_local_path,
    async_upload,
    load_project,
    tray_numbers,
)
from .print_queue import ITEM_OPTIONS, async_get_queue
from .reprint import ATTR_PATH, SERVICE_PRINT_STORED_FILE, async_print_stored_file
from .storage_delete import SERVICE_DELETE_STORED_FILE, async_delete_stored_file

if TYPE_CHECKING:
    from .aiobambulab.printer import Printer
    from .runtime import BambuConfigEntry

SERVICE_PRINT_FILE: Final = "print_file"
SERVICE_SKIP_OBJECTS: Final = "skip_objects"
SERVICE_SEND_GCODE: Final = "send_gcode"
SERVICE_MOVE_AXIS: Final = "move_axis"
SERVICE_HOME: Final = "home"
SERVICE_LOAD_FILAMENT: Final = "load_filament"
SERVICE_UNLOAD_FILAMENT: Final = "unload_filament"
SERVICE_SET_FILAMENT: Final = "set_filament"
SERVICE_START_DRYING: Final = "start_drying"
SERVICE_STOP_DRYING: Final = "stop_drying"
SERVICE_REFRESH: Final = "refresh"
SERVICE_ADD_TO_QUEUE: Final = "add_to_queue"

ATTR_FILE: Final = "file"
ATTR_PLATE: Final = "plate"
ATTR_AMS_MAPPING: Final = "ams_mapping"
ATTR_USE_AMS: Final = "use_ams"
ATTR_BED_LEVELING: Final = "bed_leveling"
ATTR_FLOW_CALIBRATION: Final = "flow_calibration"
ATTR_VIBRATION_CALIBRATION: Final = "vibration_calibration"
ATTR_LAYER_INSPECT: Final = "layer_inspect"
ATTR_TIMELAPSE: Final = "timelapse"
ATTR_JOB_NAME: Final = "job_name"
ATTR_OBJECTS: Final = "objects"
ATTR_GCODE: Final = "gcode"
ATTR_AXIS: Final = "axis"
ATTR_DISTANCE: Final = "distance"
ATTR_SPEED: Final = "speed"
ATTR_TRAY: Final = "tray"
ATTR_FILAMENT: Final = "filament"
ATTR_TYPE: Final = "type"
ATTR_COLOR: Final = "color"
ATTR_MIN_TEMPERATURE: Final = "min_temperature"
ATTR_MAX_TEMPERATURE: Final = "max_temperature"
ATTR_TEMPERATURE: Final = "temperature"
ATTR_DURATION: Final = "duration"
ATTR_ROTATE_TRAY: Final = "rotate_tray"

DEFAULT_COLOR: Final = "FFFFFF"
# Jogging is refused while the printer moves for a job; a paused job may be
# jogged (e.g. to clear a nozzle), as on the printer's screen.
_MOVING_STATES: Final = frozenset({JobState.PREPARE, JobState.RUNNING})
_MAX_MAPPING: Final = 64  # more filaments than any printer could feed

_DEVICE: Final = {probatio.Required(ATTR_DEVICE_ID): cv.string}
_TRAY_FIELD: Final = {probatio.Optional(ATTR_TRAY): probatio.Coerce(int)}
_NUMBER: Final = probatio.Coerce(float)

DEVICE_SCHEMA: Final = probatio.Schema(_DEVICE)
PRINT_FILE_SCHEMA: Final = probatio.Schema(
    {
        **_DEVICE,
        probatio.Required(ATTR_FILE): cv.string,
        probatio.Optional(ATTR_PLATE, default=1): probatio.Coerce(int),
        probatio.Optional(ATTR_AMS_MAPPING): probatio.All(
            cv.ensure_list_csv,
            probatio.Length(max=_MAX_MAPPING),
            [probatio.Any(int, cv.string)],
        ),
        probatio.Optional(ATTR_USE_AMS): cv.boolean,
        probatio.Optional(ATTR_BED_LEVELING, default=True): cv.boolean,
        probatio.Optional(ATTR_FLOW_CALIBRATION, default=False): cv.boolean,
        probatio.Optional(ATTR_VIBRATION_CALIBRATION, default=False): cv.boolean,
        probatio.Optional(ATTR_LAYER_INSPECT, default=False): cv.boolean,
        probatio.Optional(ATTR_TIMELAPSE, default=False): cv.boolean,
        probatio.Optional(ATTR_JOB_NAME): cv.string,
    }
)
# print_file's fields, the path on the printer instead of a file to upload.
PRINT_STORED_FILE_SCHEMA: Final = probatio.Schema(
    {
        **{k: v for k, v in PRINT_FILE_SCHEMA.schema.items() if k != ATTR_FILE},
        probatio.Required(ATTR_PATH): cv.string,
    }
)
# A queue item is started with print_file's fields (print_stored_file's for
# a file on the printer), checked as they are when it starts.
ADD_TO_QUEUE_SCHEMA: Final = PRINT_FILE_SCHEMA
STORED_FILE_SCHEMA: Final = probatio.Schema(
    {**_DEVICE, probatio.Required(ATTR_PATH): cv.string}
)
SKIP_OBJECTS_SCHEMA: Final = probatio.Schema(
    {
        **_DEVICE,
        probatio.Required(ATTR_OBJECTS): probatio.All(
            cv.ensure_list_csv, [probatio.Coerce(int)]
        ),
    }
)
SEND_GCODE_SCHEMA: Final = probatio.Schema(
    {**_DEVICE, probatio.Required(ATTR_GCODE): cv.string}
)
MOVE_AXIS_SCHEMA: Final = probatio.Schema(
    {
        **_DEVICE,
        probatio.Required(ATTR_AXIS): cv.string,
        probatio.Required(ATTR_DISTANCE): _NUMBER,
        probatio.Optional(ATTR_SPEED): _NUMBER,
    }
)
TRAY_SCHEMA: Final = probatio.Schema({**_DEVICE, **_TRAY_FIELD})
SET_FILAMENT_SCHEMA: Final = probatio.Schema(
    {
        **_DEVICE,
        **_TRAY_FIELD,
        probatio.Optional(ATTR_FILAMENT): cv.string,
        probatio.Optional(ATTR_TYPE): cv.string,
        probatio.Optional(ATTR_COLOR): probatio.Any(
            probatio.All([cv.byte], probatio.Length(min=3, max=3)), cv.string
        ),
        probatio.Optional(ATTR_MIN_TEMPERATURE): _NUMBER,
        probatio.Optional(ATTR_MAX_TEMPERATURE): _NUMBER,
    }
)
START_DRYING_SCHEMA: Final = probatio.Schema(
    {
        **_DEVICE,
        probatio.Required(ATTR_TEMPERATURE): _NUMBER,
        probatio.Required(ATTR_DURATION): _NUMBER,
        probatio.Optional(ATTR_FILAMENT, default=""): cv.string,
        probatio.Optional(ATTR_ROTATE_TRAY, default=False): cv.boolean,
    }
)


# --- which printer, AMS unit and tray ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """The printer an action goes to, and the AMS unit if one was picked."""

    coordinator: PrinterCoordinator
    unit: AmsUnit | None
    device_name: str

    @property
    def printer_name(self) -> str:
        return self.coordinator.printer_name

    @property
    def printer(self) -> Printer:
        return self.coordinator.printer


@callback
def _target(call: ServiceCall) -> _Target:
    """Resolve the device of a call; unknown, foreign or unloaded: invalid."""
    device_id: str = call.data[ATTR_DEVICE_ID]
    device, entry = service.async_get_device_and_config_entry(
        call.hass, DOMAIN, device_id
    )
    name = device.name_by_user or device.name or device_id
    printers = cast("BambuConfigEntry", entry).runtime_data.printers
    for domain, identifier in device.identifiers:
        if domain != DOMAIN:
            continue
        for serial, coordinator in printers.items():
            if identifier == serial:
                return _Target(coordinator, None, name)
            for unit in coordinator.ams_units.values():
                if identifier == ams_identifier(serial, unit.id):
                    return _Target(coordinator, unit, name)
    # A printer that left the account, or an AMS unit no longer attached.
    raise invalid_call("device_not_available", device=name)


def _slot(target: _Target, tray: int | None) -> tuple[int, int]:
    """The (ams_id, tray_id) of a tray of the AMS unit picked.

    The printer itself stands for its external spool.
    """
    unit = target.unit
    if unit is None:
        if tray is not None:
            raise invalid_call("tray_of_printer", device=target.device_name)
        return EXTERNAL_AMS_ID, TRAY_EXTERNAL
    if tray is None:
        if len(unit.trays) != 1:
            raise invalid_call("tray_required", device=target.device_name)
        return unit.id, unit.trays[0].slot
    if not any(slot.slot == tray - 1 for slot in unit.trays):
        raise invalid_input(UnknownTarget("tray", tray))
    return unit.id, tray - 1


async def _run(target: _Target, command: Awaitable[None]) -> None:
    """Await one of the printer's typed commands; its errors become translated ones."""
    await async_command(target.coordinator, command)


def _not_moving(target: _Target) -> None:
    if target.coordinator.data.job_state in _MOVING_STATES:
        raise invalid_call("printer_busy", name=target.printer_name)


# --- simple actions ---------------------------------------------------------------


async def _skip_objects(call: ServiceCall) -> None:
    target = _target(call)
    await _run(target, target.printer.skip_objects(call.data[ATTR_OBJECTS]))


async def _send_gcode(call: ServiceCall) -> None:
    target = _target(call)
    await _run(target, target.printer.send_gcode(call.data[ATTR_GCODE]))


async def _move_axis(call: ServiceCall) -> None:
    target = _target(call)
    _not_moving(target)
    await _run(
        target,
        target.printer.move_axis(
            call.data[ATTR_AXIS], call.data[ATTR_DISTANCE], call.data.get(ATTR_SPEED)
        ),
    )


async def _home(call: ServiceCall) -> None:
    target = _target(call)
    _not_moving(target)
    await _run(target, target.printer.home())


async def _load_filament(call: ServiceCall) -> None:
    target = _target(call)
    ams_id, tray_id = _slot(target, call.data.get(ATTR_TRAY))
    await _run(target, target.printer.load_filament(ams_id, tray_id))


async def _unload_filament(call: ServiceCall) -> None:
    target = _target(call)
    # Newer firmware wants the unit the loaded filament came from.
    loaded = target.coordinator.data.active_tray
    ams_id = loaded.ams_id if loaded is not None else EXTERNAL_AMS_ID
    await _run(target, target.printer.unload_filament(ams_id))


async def _set_filament(call: ServiceCall) -> None:
    target = _target(call)
    ams_id, tray_id = _slot(target, call.data.get(ATTR_TRAY))
    slot = target.coordinator.filament_slot(
        ams_id, 0 if ams_id == EXTERNAL_AMS_ID else tray_id
    )
    await _run(
        target,
        target.printer.set_filament(
            ams_id, tray_id, **_filament_fields(call.data, slot)
        ),
    )


async def _start_drying(call: ServiceCall) -> None:
    target = _target(call)
    await _run(
        target,
        target.printer.start_drying(
            _dryer(target),
            call.data[ATTR_TEMPERATURE],
            call.data[ATTR_DURATION],
            filament=call.data[ATTR_FILAMENT],
            rotate_tray=call.data[ATTR_ROTATE_TRAY],
        ),
    )


async def _stop_drying(call: ServiceCall) -> None:
    target = _target(call)
    await _run(target, target.printer.stop_drying(_dryer(target)))


async def _refresh(call: ServiceCall) -> None:
    target = _target(call)
    await _run(target, target.printer.refresh())


def _dryer(target: _Target) -> AmsUnit:
    if target.unit is None:
        raise invalid_call("ams_unit_required", device=target.device_name)
    return target.unit


# --- filament settings --------------------------------------------------------------


def _generic_profiles() -> dict[str, FilamentProfile]:
    """Bambu Studio's "Generic <type>" profile of each material, by type."""
    generic: dict[str, FilamentProfile] = {}
    for idx in sorted(PROFILES, reverse=True):  # the lowest id wins
        known = PROFILES[idx]
        if known.type and known.name == f"Generic {known.type}":
            generic[known.type.upper()] = known
    return generic


_GENERIC: Final = _generic_profiles()


def _filament_fields(data: Mapping[str, Any], slot: Tray | None) -> dict[str, Any]:
    """The builder's filament arguments from a profile id and/or a material.

    A known profile fills in the material and the temperatures; a material
    alone uses its generic profile. What the caller gives wins.
    """
    idx: str | None = data.get(ATTR_FILAMENT)
    material: str | None = data.get(ATTR_TYPE)
    if idx is None:
        if material is None:
            raise invalid_call("filament_required")
        known = _GENERIC.get(material.strip().upper())
        if known is None:
            raise invalid_call("no_generic_profile", type=material)
        idx, material = known.idx, known.type
    else:
        known = profile(idx)
    low = data.get(ATTR_MIN_TEMPERATURE, known.nozzle_temp_min if known else None)
    high = data.get(ATTR_MAX_TEMPERATURE, known.nozzle_temp_max if known else None)
    material = known.type if known and not material else material
    if not material or low is None or high is None:
        raise invalid_call("filament_details_required", filament=idx)
    return {
        "tray_info_idx": idx,
        "tray_type": material,
        "color": _color(data.get(ATTR_COLOR), slot),
        "nozzle_temp_min": low,
        "nozzle_temp_max": high,
    }


def _color(value: list[int] | str | None, slot: Tray | None) -> str:
    """A colour from the RGB selector or text; else the tray's own, or white."""
    if isinstance(value, list):
        return "".join(f"{part:02X}" for part in value)
    if value is not None:
        return value
    if slot is not None and slot.color:
        return slot.color
    return DEFAULT_COLOR


# --- printing a file ---------------------------------------------------------------


async def _print_file(call: ServiceCall) -> ServiceResponse:
    """Check everything, upload the project over FTPS, then start it."""
    hass = call.hass
    target = _target(call)
    coordinator = target.coordinator
    access = coordinator.local_access
    # No LAN route: through the account's cloud storage, as Bambu's apps do.
    cloud = coordinator.cloud if coordinator.printer.cloud_up else None
    if access is None and cloud is None:
        raise invalid_call("no_local_access", name=target.printer_name)
    if coordinator.data.job_state in ACTIVE_JOB_STATES:
        raise invalid_call("printer_busy", name=target.printer_name)
    source: str = call.data[ATTR_FILE]
    if not source.lower().endswith(".3mf"):
        raise invalid_call("not_a_project_file", file=source)
    path = await async_local_path(hass, source)
    plate: int = call.data[ATTR_PLATE]
    data, info = await hass.async_add_executor_job(
        load_project, hass, path, source, plate
    )
    mapping = ams_mapping(coordinator, call.data.get(ATTR_AMS_MAPPING), info)
    # Stored under a name the print URL carries as it is; the job keeps the
    # name of the user's file.
    remote_name = url_safe_filename(path.name)

    async def upload() -> str | None:
        if access is not None:
            await async_upload(hass, coordinator, access, remote_name, data)
            return None
        if cloud is None:  # checked above; for the type checker
            raise invalid_call("no_local_access", name=target.printer_name)
        return await async_cloud_upload(hass, coordinator, cloud, remote_name, data)

    await _run(
        target,
        target.printer.start_print(
            remote_name,
            plate=plate,
            ams_mapping=mapping,
            use_ams=call.data.get(ATTR_USE_AMS),
            timelapse=call.data[ATTR_TIMELAPSE],
            bed_leveling=call.data[ATTR_BED_LEVELING],
            flow_calibration=call.data[ATTR_FLOW_CALIBRATION],
            vibration_calibration=call.data[ATTR_VIBRATION_CALIBRATION],
            layer_inspect=call.data[ATTR_LAYER_INSPECT],
            job_name=call.data.get(ATTR_JOB_NAME) or default_job_name(path.name),
            upload=upload,
        ),
    )
    if not call.return_response:
        return None
    return {"file": remote_name, "size": len(data), "plate": plate}


async def _print_stored_file(call: ServiceCall) -> ServiceResponse:
    """Start a project already on the printer (reprint.py checks it)."""
    target = _target(call)
    path: str = call.data[ATTR_PATH]
    result = await async_print_stored_file(
        call.hass,
        target.coordinator,
        call.data,
        {
            "timelapse": call.data[ATTR_TIMELAPSE],
            "bed_leveling": call.data[ATTR_BED_LEVELING],
            "flow_calibration": call.data[ATTR_FLOW_CALIBRATION],
            "vibration_calibration": call.data[ATTR_VIBRATION_CALIBRATION],
            "layer_inspect": call.data[ATTR_LAYER_INSPECT],
            "job_name": call.data.get(ATTR_JOB_NAME)
            or default_job_name(path.rsplit("/", 1)[-1]),
        },
    )
    return result if call.return_response else None


async def _add_to_queue(call: ServiceCall) -> ServiceResponse:
    """Append a file to the printer's queue; the file is checked when it starts."""
    coordinator = _target(call).coordinator
    given = call.data.get(ATTR_AMS_MAPPING)
    mapping = (
        None
        if given is None
        # The trays are known while the printer reports; the form always.
        else tray_numbers(coordinator, given, check_trays=coordinator.printer_available)
    )
    queue = await async_get_queue(call.hass, coordinator.serial)
    item = queue.async_add(
        call.data[ATTR_FILE],
        plate=call.data[ATTR_PLATE],
        ams_mapping=mapping,
        options={k: call.data[k] for k in ITEM_OPTIONS if k in call.data},
    )
    return {"uid": item.uid} if call.return_response else None


async def _delete_stored_file(call: ServiceCall) -> None:
    """Delete a timelapse or print file from the printer's storage."""
    await async_delete_stored_file(_target(call).coordinator, call.data[ATTR_PATH])


# --- who may act ----------------------------------------------------------------------


class AdminRequired(Unauthorized):
    """A non-admin user called an action that changes a printer."""

    def __init__(self, call: ServiceCall) -> None:
        """Say which action needs an admin, in the user's language."""
        super().__init__(context=call.context, permission=POLICY_CONTROL)
        self.translation_domain = DOMAIN
        self.translation_key = "admin_required"
        self.translation_placeholders = {"action": f"{call.domain}.{call.service}"}
        self.generate_message = True


def _admin_only[R](
    handler: Callable[[ServiceCall], Coroutine[Any, Any, R]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, R]]:
    """Refuse the action to users who are not admins (before any check).

    Raw G-code, heaters, motion and prints act on a machine: Home Assistant's
    read-only and non-admin users must not reach them. Calls without a user
    (automations, scripts) run as their owner configured them.
    """

    @functools.wraps(handler)
    async def checked(call: ServiceCall) -> R:
        if user_id := call.context.user_id:
            user = await call.hass.auth.async_get_user(user_id)
            if user is None:
                raise UnknownUser(context=call.context, permission=POLICY_CONTROL)
            if not user.is_admin:
                raise AdminRequired(call)
        return await handler(call)

    return checked


# --- registration ---------------------------------------------------------------------

type _Handler = Callable[[ServiceCall], Coroutine[Any, Any, None]]

_ACTIONS: Final[tuple[tuple[str, _Handler, probatio.Schema], ...]] = (
    (SERVICE_SKIP_OBJECTS, _skip_objects, SKIP_OBJECTS_SCHEMA),
    (SERVICE_SEND_GCODE, _send_gcode, SEND_GCODE_SCHEMA),
    (SERVICE_MOVE_AXIS, _move_axis, MOVE_AXIS_SCHEMA),
    (SERVICE_HOME, _home, DEVICE_SCHEMA),
    (SERVICE_LOAD_FILAMENT, _load_filament, TRAY_SCHEMA),
    (SERVICE_UNLOAD_FILAMENT, _unload_filament, DEVICE_SCHEMA),
    (SERVICE_SET_FILAMENT, _set_filament, SET_FILAMENT_SCHEMA),
    (SERVICE_START_DRYING, _start_drying, START_DRYING_SCHEMA),
    (SERVICE_STOP_DRYING, _stop_drying, DEVICE_SCHEMA),
    (SERVICE_DELETE_STORED_FILE, _delete_stored_file, STORED_FILE_SCHEMA),
)
# Asking for the state changes nothing: any user may.
_READ_ACTIONS: Final[tuple[tuple[str, _Handler, probatio.Schema], ...]] = (
    (SERVICE_REFRESH, _refresh, DEVICE_SCHEMA),
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_PRINT_FILE,
        _admin_only(_print_file),
        schema=PRINT_FILE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_PRINT_STORED_FILE,
        _admin_only(_print_stored_file),
        schema=PRINT_STORED_FILE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_ADD_TO_QUEUE,
        _admin_only(_add_to_queue),
        schema=ADD_TO_QUEUE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    for name, handler, schema in _ACTIONS:
        hass.services.async_register(DOMAIN, name, _admin_only(handler), schema=schema)
    for name, handler, schema in _READ_ACTIONS:
        hass.services.async_register(DOMAIN, name, handler, schema=schema)
