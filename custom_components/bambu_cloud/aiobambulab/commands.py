"""Build the command payloads a printer accepts on ``device/<serial>/request``.

Every builder is pure: it validates its arguments, raising the typed errors
of ``errors`` before anything could be sent, and returns a dict ready to be
JSON-encoded, with a fresh ``sequence_id`` the printer echoes in its reply.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from enum import IntEnum, StrEnum
import itertools
import math
from pathlib import PurePosixPath
import re
import secrets
from typing import Any, Final

from .ams import (
    AMS_HT_IDS,
    AMS_LITE_MIXED_ID,
    AMS_LITE_MIXED_TRAY_OFFSET,
    EXTERNAL_AMS_ID,
    HOLDER_MAIN,
    TRAY_EXTERNAL,
)
from .catalog import MODELS, AmsKind, PrinterModel
from .errors import InvalidCommand, NotSupported, UnknownTarget, ValueOutOfRange
from .state import XCAM_MODULES, PrintOption, SpeedLevel

type Payload = dict[str, Any]

# --- sequence ids ------------------------------------------------------------

# Start at a random offset: other clients (Bambu Studio, Handy) count from
# small numbers, and their replies must not match one of our commands.
_sequence = itertools.count(secrets.randbelow(1_000_000) + 1_000)


def next_sequence_id() -> str:
    """Return a sequence id never returned before in this process."""
    # next() on itertools.count is atomic; callers live on one event loop.
    return str(next(_sequence))


def command_name(payload: Mapping[str, Any]) -> tuple[str, str]:
    """Return the (module key, command) of a payload or reply: ("print", "pause").

    Raises InvalidCommand when no module object carries a ``command``.
    """
    for module, body in payload.items():
        if isinstance(body, Mapping) and isinstance(body.get("command"), str):
            return str(module), body["command"]
    raise InvalidCommand("payload has no command")


def _message(module: str, command: str, **fields: Any) -> Payload:
    return {module: {"command": command, "sequence_id": next_sequence_id(), **fields}}


def _print(command: str, **fields: Any) -> Payload:
    return _message("print", command, **fields)


# --- validation --------------------------------------------------------------


def _number(name: str, value: object) -> float:
    """Return a finite int or float (bool excluded), else raise InvalidCommand."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidCommand(f"{name} must be a number, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidCommand(f"{name} must be a finite number, not {value!r}")
    return value


def _in_range(name: str, value: object, low: float, high: float) -> float:
    number = _number(name, value)
    if not low <= number <= high:
        raise ValueOutOfRange(name, number, low, high)
    return number


def _whole(name: str, value: object, low: int, high: int) -> int:
    """Return a whole number (int, or float without fraction) within low..high."""
    number = _number(name, value)
    if isinstance(number, float) and not number.is_integer():
        raise InvalidCommand(f"{name} must be a whole number, not {number!r}")
    if not low <= number <= high:
        raise ValueOutOfRange(name, number, low, high)
    return int(number)


def _format_mm(value: float) -> str:
    """Format a length for G-code: plain decimals, never exponent notation."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- job control -------------------------------------------------------------


def pushall() -> Payload:
    """Ask for a full state report (expensive on P1/A1: not too often)."""
    return _message("pushing", "pushall")


def get_version() -> Payload:
    """Ask for the firmware and module versions (model detection, AMS units)."""
    return _message("info", "get_version")


def pause() -> Payload:
    """Pause the running print."""
    return _print("pause", param="")


def resume() -> Payload:
    """Resume a paused print."""
    return _print("resume", param="")


def stop() -> Payload:
    """Stop (cancel) the print."""
    return _print("stop", param="")


def print_speed(level: SpeedLevel | int) -> Payload:
    """Switch the print speed profile (1 silent .. 4 ludicrous)."""
    value = _whole("speed_level", level, SpeedLevel.SILENT, SpeedLevel.LUDICROUS)
    return _print("print_speed", param=str(value))


# --- G-code ------------------------------------------------------------------

# Far above any hand-written command; guards against sending a whole file.
MAX_GCODE_BYTES: Final = 64 * 1024


def gcode_line(gcode: str) -> Payload:
    """Send raw G-code (one or more lines)."""
    if not isinstance(gcode, str) or not gcode.strip():
        raise InvalidCommand("G-code must be a non-empty string")
    if len(gcode.encode("utf-8")) > MAX_GCODE_BYTES:
        raise InvalidCommand(f"G-code longer than {MAX_GCODE_BYTES} bytes")
    if not gcode.endswith("\n"):
        gcode += "\n"
    return _print("gcode_line", param=gcode)


# Heater commands and the model limit each target is held to: the same
# limits the temperature numbers enforce, so raw G-code cannot bypass them.
# S is the target, R the "wait until cooled to" target; T (the tool) does
# not change the limit.
_HEATERS: Final[Mapping[int, tuple[str, Callable[[PrinterModel], int]]]] = {
    104: ("nozzle_temperature", lambda model: model.nozzle_max),
    109: ("nozzle_temperature", lambda model: model.nozzle_max),
    140: ("bed_temperature", lambda model: model.bed_max),
    190: ("bed_temperature", lambda model: model.bed_max),
    141: ("chamber_temperature", lambda model: model.chamber_heater_max or 0),
}
_TARGET_PARAMETERS: Final = frozenset("SR")
# One G-code word: a letter and what follows up to the next letter ("M104S250"
# has no spaces on some senders); a ";" comment and a "*" checksum end a line.
_WORD: Final = re.compile(r"([A-Za-z])([^A-Za-z\s]*)")


def checked_gcode(model: PrinterModel, gcode: str) -> Payload:
    """Raw G-code whose heater targets stay within the model's limits.

    M104/M109 (nozzle, any tool), M140/M190 (bed) and M141 (chamber) are
    refused beyond what the temperature numbers allow (ValueOutOfRange).
    """
    if isinstance(gcode, str):
        for line in gcode.splitlines():
            _check_heater_line(model, line)
    return gcode_line(gcode)


def _check_heater_line(model: PrinterModel, line: str) -> None:
    code = line.split(";", 1)[0].split("*", 1)[0]
    words = [(letter.upper(), value) for letter, value in _WORD.findall(code)]
    # Any heater code on the line counts, wherever it stands ("T1 M104 S300"):
    # no reading of the firmware's parser can then let a target through.
    heaters = [
        _HEATERS[number]
        for letter, value in words
        if letter == "M" and value.isdigit() and (number := int(value[:6])) in _HEATERS
    ]
    for name, limit in heaters:
        for letter, value in words:
            if letter not in _TARGET_PARAMETERS:
                continue
            try:
                target = float(value)
            except ValueError:
                raise InvalidCommand(
                    f"{name} target {value!r} is not a number"
                ) from None
            _in_range(name, target, 0, limit(model))


def set_nozzle_temperature(
    model: PrinterModel, target: float, nozzle: int = 0
) -> Payload:
    """Set a nozzle's target temperature (0 turns the heater off).

    Single-nozzle printers take ``M104``; printers with several nozzles take
    the ``set_nozzle_temp`` command with the nozzle's index, as Bambu Studio
    sends it (their G-code ``T`` parameter would switch tools).
    """
    if isinstance(nozzle, bool) or not isinstance(nozzle, int):
        raise UnknownTarget("nozzle", nozzle)
    if not 0 <= nozzle < model.nozzles:
        raise UnknownTarget("nozzle", nozzle)
    value = _whole("nozzle_temperature", target, 0, model.nozzle_max)
    if model.nozzles > 1:
        return _print("set_nozzle_temp", extruder_index=nozzle, target_temp=value)
    return gcode_line(f"M104 S{value}")


def set_bed_temperature(model: PrinterModel, target: float) -> Payload:
    """Set the bed's target temperature (0 turns the heater off)."""
    value = _whole("bed_temperature", target, 0, model.bed_max)
    return gcode_line(f"M140 S{value}")


def set_chamber_temperature(model: PrinterModel, target: float) -> Payload:
    """Set the chamber heater's target; only models with a chamber heater."""
    if model.chamber_heater_max is None:
        raise NotSupported("chamber heater", model.name)
    value = _whole("chamber_temperature", target, 0, model.chamber_heater_max)
    return gcode_line(f"M141 S{value}")


class Fan(IntEnum):
    """The fans ``M106`` addresses by its ``P`` parameter."""

    PART_COOLING = 1
    AUX = 2
    CHAMBER = 3


def fan_value(percent: float) -> int:
    """Convert a fan percentage (0..100) to the 0..255 value ``M106 S`` takes."""
    return round(_in_range("fan_speed", percent, 0, 100) * 255 / 100)


def set_fan_speed(fan: Fan | int, percent: float) -> Payload:
    """Set a fan's speed in percent (0 stops it)."""
    if isinstance(fan, bool) or fan not in tuple(Fan):
        raise UnknownTarget("fan", fan)
    return gcode_line(f"M106 P{int(fan)} S{fan_value(percent)}")


# --- light -------------------------------------------------------------------


class LightNode(StrEnum):
    """The lights ``ledctrl`` switches."""

    CHAMBER = "chamber_light"
    CHAMBER_2 = "chamber_light2"  # the second chamber light of H2 printers
    WORK = "work_light"


def set_light(on: bool, node: LightNode | str = LightNode.CHAMBER) -> Payload:
    """Switch a light on or off."""
    if node not in tuple(LightNode):
        raise UnknownTarget("light", node)
    return _message(
        "system",
        "ledctrl",
        led_node=str(node),
        led_mode="on" if on else "off",
        led_on_time=500,
        led_off_time=500,
        loop_times=0,
        interval_time=0,
    )


# --- printing a file ---------------------------------------------------------

# ams_mapping values: AMS/AMS Lite/AMS 2 Pro trays (unit * 4 + slot), the
# A2L's AMS Lite (24 + slot), AMS HT units (their single tray), the external
# spool(s), or -1 for "not mapped".
_AMS_TRAYS: Final = (
    *range(16),
    *range(AMS_LITE_MIXED_TRAY_OFFSET, AMS_LITE_MIXED_TRAY_OFFSET + 4),
)
_EXTERNAL_TRAYS: Final = (TRAY_EXTERNAL, HOLDER_MAIN)
NO_TRAY: Final = -1
# A sanity cap: Bambu Studio projects hold far fewer plates.
MAX_PLATE: Final = 255
_BED_TYPE: Final = re.compile(r"[a-z0-9_]{1,32}")
_URL_UNSAFE: Final = frozenset("#?%")


def url_safe_filename(name: str) -> str:
    """A file name that goes into the print URL as it is.

    "#", "?" and "%" and white space become "_": the URL then reads the same
    whether or not the firmware decodes escapes.
    """
    return "".join("_" if ch in _URL_UNSAFE or ch.isspace() else ch for ch in name)


def _check_filename(filename: str) -> PurePosixPath:
    """Check for a relative path on the printer's storage ending in .3mf."""
    if not isinstance(filename, str) or not filename.lower().endswith(".3mf"):
        raise InvalidCommand(f"not a .3mf file: {filename!r}")
    if any(ord(ch) < 0x20 or ch in "\\\x7f" for ch in filename):
        raise InvalidCommand(f"invalid characters in file name: {filename!r}")
    # The name goes into a URL: "#" would start a fragment, "?" a query and
    # "%" an escape, whether or not the firmware decodes escapes.
    if any(ch in _URL_UNSAFE for ch in filename):
        raise InvalidCommand(f"file name cannot go into a URL: {filename!r}")
    path = PurePosixPath(filename)
    # The name is appended to the storage root: an absolute path, "..", "." or
    # an empty component ("a//b") would point somewhere the user did not pick.
    parts = filename.split("/")
    if path.is_absolute() or any(part in ("", ".", "..") for part in parts):
        raise InvalidCommand(f"file name must be a plain relative path: {filename!r}")
    if path.name.lower() == ".3mf":
        raise InvalidCommand(f"file name is empty: {filename!r}")
    return path


def _check_ams_mapping(ams_mapping: Iterable[int]) -> list[int]:
    result: list[int] = []
    for value in ams_mapping:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (
                value == NO_TRAY
                or value in _AMS_TRAYS
                or value in AMS_HT_IDS
                or value in _EXTERNAL_TRAYS
            )
        ):
            raise UnknownTarget("tray", value)
        result.append(value)
    return result


def _default_subtask_name(path: PurePosixPath) -> str:
    return default_job_name(path.name)


def default_job_name(filename: str) -> str:
    """The job name the printer shows for a project file."""
    # Sliced files are usually "<name>.gcode.3mf": the job is "<name>".
    name = PurePosixPath(filename).name[: -len(".3mf")]
    if name.lower().endswith(".gcode") and len(name) > len(".gcode"):
        name = name[: -len(".gcode")]
    return name


def print_project_file(
    model: PrinterModel,
    *,
    filename: str,
    plate: int = 1,
    ams_mapping: Sequence[int] | None = None,
    use_ams: bool | None = None,
    timelapse: bool = False,
    bed_leveling: bool = True,
    flow_cali: bool = False,
    vibration_cali: bool = False,
    layer_inspect: bool = False,
    bed_type: str = "auto",
    subtask_name: str | None = None,
) -> Payload:
    """Print a sliced .3mf that is already on the printer's storage.

    ``filename`` is relative to the storage root (``model.files_url``).
    ``ams_mapping`` gives a tray per filament of the file (-1: none); without
    it the key is left out and the printer uses its own choice. ``use_ams``
    defaults to whether the mapping names any AMS tray.
    """
    path = _check_filename(filename)
    plate_number = _whole("plate", plate, 1, MAX_PLATE)
    mapping = None if ams_mapping is None else _check_ams_mapping(ams_mapping)
    if use_ams is None:
        use_ams = mapping is not None and any(
            value in _AMS_TRAYS or value in AMS_HT_IDS for value in mapping
        )
    if not isinstance(bed_type, str) or not _BED_TYPE.fullmatch(bed_type):
        raise InvalidCommand(f"invalid bed type: {bed_type!r}")
    if subtask_name is None:
        subtask_name = _default_subtask_name(path)
    elif not isinstance(subtask_name, str) or not subtask_name.strip():
        raise InvalidCommand("subtask name must be a non-empty string")
    fields: dict[str, Any] = {
        "param": f"Metadata/plate_{plate_number}.gcode",
        "url": model.files_url + filename,
        "subtask_name": subtask_name,
        "bed_type": bed_type,
        "timelapse": bool(timelapse),
        "bed_leveling": bool(bed_leveling),
        "flow_cali": bool(flow_cali),
        "vibration_cali": bool(vibration_cali),
        "layer_inspect": bool(layer_inspect),
        "use_ams": bool(use_ams),
        "profile_id": "0",
        "project_id": "0",
        "subtask_id": "0",
        "task_id": "0",
    }
    if mapping is not None:
        fields["ams_mapping"] = mapping
    return _print("project_file", **fields)


MAX_OBJECT_ID: Final = 2**64 - 1


def skip_objects(object_ids: Iterable[int]) -> Payload:
    """Skip objects of the running print by their ids (from the plate data)."""
    ids = list(object_ids)
    if not ids:
        raise InvalidCommand("no objects to skip")
    for object_id in ids:
        if isinstance(object_id, bool) or not isinstance(object_id, int):
            raise InvalidCommand(f"object id must be an integer, not {object_id!r}")
        # The printer reads ids as unsigned 64-bit numbers (and the JSON
        # encoder cannot carry larger ones).
        if not 0 <= object_id <= MAX_OBJECT_ID:
            raise UnknownTarget("object", object_id)
    return _print("skip_objects", obj_list=ids)


# --- AMS ---------------------------------------------------------------------

EXTERNAL_TRAY_ID: Final = 254  # the external spool's tray id
UNLOAD_TARGET: Final = 255
_AMS_UNITS: Final = range(4)  # AMS, AMS Lite, AMS 2 Pro: 4 trays each
# Highest nozzle target of any printer: bounds filament temperatures, which
# are not tied to one model here.
MAX_FILAMENT_TEMPERATURE: Final = max(model.nozzle_max for model in MODELS.values())

# Drying limits: AMS 2 Pro dries up to 65 C and AMS HT up to 85 C (Bambu's
# product specifications, also what Bambu Studio enforces). The printer drops
# targets below 45 C, and Bambu Studio offers 1 to 24 hours.
DRYING_MIN_TEMPERATURE: Final = 45
DRYING_MAX_TEMPERATURE: Final[Mapping[AmsKind, int]] = {
    AmsKind.AMS_2_PRO: 65,
    AmsKind.AMS_HT: 85,
}
DRYING_MIN_HOURS: Final = 1
DRYING_MAX_HOURS: Final = 24
# What Bambu Studio's drying dialog sends as cooling_temp.
_DRYING_COOLING_TEMP: Final = 20

_KIND_NAMES: Final[Mapping[AmsKind, str]] = {
    AmsKind.AMS: "AMS",
    AmsKind.AMS_LITE: "AMS Lite",
    AmsKind.AMS_2_PRO: "AMS 2 Pro",
    AmsKind.AMS_HT: "AMS HT",
}

type TrayRef = tuple[int, int]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_tray(
    ams_id: int,
    tray_id: int,
    existing: Collection[TrayRef] | None,
    *,
    allow_external: bool = True,
) -> None:
    """Check an (AMS unit, tray) pair exists on any printer, and on this one.

    The external spool (255, 254) is always there, so ``existing`` (the pairs
    the printer reports now) does not need to list it.
    """
    if not _is_int(ams_id):
        raise UnknownTarget("ams", ams_id)
    if not _is_int(tray_id):
        raise UnknownTarget("tray", tray_id)
    if ams_id == EXTERNAL_AMS_ID and allow_external:
        if tray_id != EXTERNAL_TRAY_ID:
            raise UnknownTarget("tray", tray_id)
        return
    if ams_id in _AMS_UNITS or ams_id == AMS_LITE_MIXED_ID:
        trays: range = range(4)
    elif ams_id in AMS_HT_IDS:
        trays = range(1)
    else:
        raise UnknownTarget("ams", ams_id)
    if tray_id not in trays:
        raise UnknownTarget("tray", tray_id)
    if existing is not None and (ams_id, tray_id) not in existing:
        raise UnknownTarget("tray", (ams_id, tray_id))


def _optional_temperature(name: str, value: float | None) -> int:
    if value is None:
        return -1
    return _whole(name, value, 0, MAX_FILAMENT_TEMPERATURE)


def load_filament(
    ams_id: int,
    tray_id: int,
    *,
    existing: Collection[TrayRef] | None = None,
    target_temperature: float | None = None,
    current_temperature: float | None = None,
) -> Payload:
    """Load the filament of a tray (the external spool: 255, 254).

    ``target_temperature`` is the nozzle temperature for the new filament,
    ``current_temperature`` the one for the filament now loaded (to cut and
    retract it); the printer picks its own when they are not given.
    """
    _check_tray(ams_id, tray_id, existing)
    if ams_id == EXTERNAL_AMS_ID:
        # Bambu Studio addresses the single external slot as slot 0.
        target, slot = EXTERNAL_TRAY_ID, 0
    elif ams_id in AMS_HT_IDS or ams_id == AMS_LITE_MIXED_ID:
        # Units from id 16 up are addressed by their id (Bambu Studio
        # MachineObject::command_ams_change_filament).
        target, slot = ams_id, tray_id
    else:
        target, slot = ams_id * 4 + tray_id, tray_id
    return _print(
        "ams_change_filament",
        target=target,
        ams_id=ams_id,
        slot_id=slot,
        curr_temp=_optional_temperature("current_temperature", current_temperature),
        tar_temp=_optional_temperature("target_temperature", target_temperature),
    )


def unload_filament(
    *,
    ams_id: int = EXTERNAL_AMS_ID,
    target_temperature: float | None = None,
    current_temperature: float | None = None,
) -> Payload:
    """Unload the filament in the toolhead back to where it came from.

    ``ams_id`` names the unit the loaded filament came from, which newer
    (dual-nozzle) firmware wants; older firmware ignores it.
    """
    if not _is_int(ams_id) or not (
        ams_id in (EXTERNAL_AMS_ID, AMS_LITE_MIXED_ID)
        or ams_id in _AMS_UNITS
        or ams_id in AMS_HT_IDS
    ):
        raise UnknownTarget("ams", ams_id)
    return _print(
        "ams_change_filament",
        target=UNLOAD_TARGET,
        ams_id=ams_id,
        slot_id=UNLOAD_TARGET,  # slot 255 marks an unload in newer firmware
        curr_temp=_optional_temperature("current_temperature", current_temperature),
        tar_temp=_optional_temperature("target_temperature", target_temperature),
    )


_COLOR: Final = re.compile(r"#?([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?")
_IDENT: Final = re.compile(r"[A-Za-z0-9_+\-. ]{1,32}")


def normalize_color(color: str) -> str:
    """Turn "#RRGGBB", "RRGGBB" or "RRGGBBAA" into a tray colour (RRGGBBAA)."""
    match = _COLOR.fullmatch(color.strip()) if isinstance(color, str) else None
    if match is None:
        raise InvalidCommand(f"not a colour: {color!r}")
    rgb, alpha = match.groups()
    return (rgb + (alpha or "FF")).upper()


def set_filament(
    ams_id: int,
    tray_id: int,
    *,
    tray_info_idx: str,
    tray_type: str,
    color: str,
    nozzle_temp_min: int,
    nozzle_temp_max: int,
    existing: Collection[TrayRef] | None = None,
) -> Payload:
    """Tell the printer which filament a tray (or the external spool) holds.

    ``tray_info_idx`` is the filament profile id ("GFA00"), ``tray_type``
    the material ("PLA").
    """
    _check_tray(ams_id, tray_id, existing)
    for name, value in (("tray_info_idx", tray_info_idx), ("tray_type", tray_type)):
        if not isinstance(value, str) or not _IDENT.fullmatch(value):
            raise InvalidCommand(f"invalid {name}: {value!r}")
    low = _whole("nozzle_temp_min", nozzle_temp_min, 0, MAX_FILAMENT_TEMPERATURE)
    high = _whole("nozzle_temp_max", nozzle_temp_max, 0, MAX_FILAMENT_TEMPERATURE)
    if low > high:
        raise InvalidCommand(f"nozzle_temp_min {low} is above nozzle_temp_max {high}")
    return _print(
        "ams_filament_setting",
        ams_id=ams_id,
        tray_id=tray_id,
        # Newer firmware reads slot_id; the external spool is slot 0 there.
        slot_id=0 if ams_id == EXTERNAL_AMS_ID else tray_id,
        tray_info_idx=tray_info_idx,
        tray_color=normalize_color(color),
        tray_type=tray_type,
        nozzle_temp_min=low,
        nozzle_temp_max=high,
    )


def refresh_rfid(
    ams_id: int, tray_id: int, *, existing: Collection[TrayRef] | None = None
) -> Payload:
    """Re-read a tray's RFID tag (AMS units only: the external holder has none)."""
    _check_tray(ams_id, tray_id, existing, allow_external=False)
    return _print("ams_get_rfid", ams_id=ams_id, slot_id=tray_id)


def _check_dryer(ams_id: int, kind: AmsKind) -> None:
    if kind not in DRYING_MAX_TEMPERATURE:
        raise NotSupported("filament drying", _KIND_NAMES.get(kind, str(kind)))
    units = AMS_HT_IDS if kind is AmsKind.AMS_HT else _AMS_UNITS
    if not _is_int(ams_id) or ams_id not in units:
        raise UnknownTarget("ams", ams_id)


def start_drying(
    ams_id: int,
    temperature: float,
    hours: float,
    *,
    kind: AmsKind,
    filament: str = "",
    rotate_tray: bool = False,
) -> Payload:
    """Start drying in an AMS 2 Pro or AMS HT unit of the given ``kind``.

    ``filament`` is the material being dried ("PLA"), shown by the printer;
    ``rotate_tray`` turns the spools while drying.
    """
    _check_dryer(ams_id, kind)
    temp = _whole(
        "drying_temperature",
        temperature,
        DRYING_MIN_TEMPERATURE,
        DRYING_MAX_TEMPERATURE[kind],
    )
    duration = _whole("drying_hours", hours, DRYING_MIN_HOURS, DRYING_MAX_HOURS)
    if not isinstance(filament, str) or (filament and not _IDENT.fullmatch(filament)):
        raise InvalidCommand(f"invalid filament: {filament!r}")
    return _print(
        "ams_filament_drying",
        ams_id=ams_id,
        mode=1,  # on for a time
        filament=filament,
        temp=temp,
        duration=duration,
        humidity=0,
        rotate_tray=bool(rotate_tray),
        cooling_temp=_DRYING_COOLING_TEMP,
        close_power_conflict=False,
    )


def stop_drying(ams_id: int, *, kind: AmsKind) -> Payload:
    """Stop drying in an AMS 2 Pro or AMS HT unit."""
    _check_dryer(ams_id, kind)
    return _print(
        "ams_filament_drying",
        ams_id=ams_id,
        mode=0,  # off
        filament="",
        temp=0,
        duration=0,
        humidity=0,
        rotate_tray=False,
        cooling_temp=0,
        close_power_conflict=False,
    )


# --- motion ------------------------------------------------------------------


class Axis(StrEnum):
    """The axes ``move_axis`` moves."""

    X = "X"
    Y = "Y"
    Z = "Z"
    E = "E"  # the extruder: feeds (positive) or retracts (negative) filament


MAX_MOVE_MM: Final = 250.0  # larger than any bed: one jog never needs more
# Up to 100 mm of filament at once is a normal purge or retract; more than
# that is a load or unload, which the AMS commands do properly.
MAX_EXTRUDE_MM: Final = 100.0
MAX_SPEED_MM_MIN: Final = 30_000.0  # 500 mm/s, the fastest Bambu travel
# Bambu Studio's jog speeds; Z and the extruder move much slower than X/Y.
DEFAULT_SPEEDS: Final[Mapping[Axis, float]] = {
    Axis.X: 3000.0,
    Axis.Y: 3000.0,
    Axis.Z: 900.0,
    Axis.E: 900.0,
}


def home() -> Payload:
    """Home all axes."""
    return gcode_line("G28")


def move_axis(
    axis: Axis | str, distance_mm: float, speed_mm_min: float | None = None
) -> Payload:
    """Move one axis by a relative distance (negative: towards the minimum).

    The move is relative and leaves the printer in the positioning mode it
    was in (a paused print's absolute coordinates must survive a jog).
    ``speed_mm_min`` defaults to Bambu Studio's speed for the axis.
    """
    try:
        which = Axis(axis.upper() if isinstance(axis, str) else axis)
    except ValueError:
        raise UnknownTarget("axis", axis) from None
    limit = MAX_EXTRUDE_MM if which is Axis.E else MAX_MOVE_MM
    distance = _in_range(f"{which.value.lower()}_distance", distance_mm, -limit, limit)
    speed = _in_range(
        "speed",
        DEFAULT_SPEEDS[which] if speed_mm_min is None else speed_mm_min,
        1,
        MAX_SPEED_MM_MIN,
    )
    move = f"G1 {which.value}{_format_mm(distance)} F{round(speed)}"
    if which is Axis.E:
        # Relative extrusion is how Bambu prints run anyway.
        return gcode_line(f"M83\n{move}")
    # push/pop_ref_mode restore the positioning mode on Bambu firmware; G90
    # before the pop keeps absolute mode should a firmware ignore them.
    return gcode_line(f"M1002 push_ref_mode\nG91\n{move}\nG90\nM1002 pop_ref_mode")


# --- camera and options ------------------------------------------------------


def set_camera_recording(on: bool) -> Payload:
    """Turn the camera's recording of prints on or off."""
    return _message("camera", "ipcam_record_set", control="enable" if on else "disable")


def set_timelapse(on: bool) -> Payload:
    """Turn time-lapse recording on or off."""
    return _message("camera", "ipcam_timelapse", control="enable" if on else "disable")


MAX_AIRDUCT_MODE: Final = 255  # a sanity cap; printers know a handful of modes


def set_airduct_mode(mode_id: int) -> Payload:
    """Switch the air duct mode (cooling/heating) of printers that have one."""
    mode = _whole("airduct_mode", mode_id, 0, MAX_AIRDUCT_MODE)
    return _print("set_airduct", modeId=mode, submode=-1)


def _switch(name: str, on: object) -> bool:
    if not isinstance(on, bool):
        raise InvalidCommand(f"{name} must be true or false, not {on!r}")
    return on


def set_print_option(option: PrintOption | str, on: bool) -> Payload:
    """Switch a printer setting (prompt sound, tangle detection...) on or off.

    Bambu Studio sends auto recovery with an ``option`` bit field as well,
    which older firmware reads instead of the named key.
    """
    try:
        which = PrintOption(option)
    except ValueError:
        raise UnknownTarget("option", option) from None
    value = _switch(which.value, on)
    fields: dict[str, Any] = {which.value: value}
    if which is PrintOption.AUTO_RECOVERY:
        fields["option"] = int(value)
    return _print("print_option", **fields)


def set_xcam_module(module: str, on: bool) -> Payload:
    """Switch a camera detector (AI monitoring, first layer inspection...).

    As Bambu Studio does, ``enable`` repeats ``control`` for older firmware
    and ``print_halt`` keeps pausing the print on a detection.
    """
    if module not in XCAM_MODULES:
        raise UnknownTarget("detector", module)
    value = _switch(module, on)
    return _message(
        "xcam",
        "xcam_control_set",
        module_name=module,
        control=value,
        enable=value,
        print_halt=True,
    )


def stop_buzzer() -> Payload:
    """Silence the alarm buzzer of H2-series printers."""
    return _print("buzzer_ctrl", mode=0)
