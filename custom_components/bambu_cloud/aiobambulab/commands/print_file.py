"""Starting the print of a project file on the printer's storage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
import re
from typing import Any, Final

from ..ams import AMS_HT_IDS, AMS_LITE_MIXED_TRAY_OFFSET, HOLDER_MAIN, TRAY_EXTERNAL
from ..catalog import PrinterModel
from ..errors import InvalidCommand, UnknownTarget
from .payload import Payload, print_command, whole

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
    plate_number = whole("plate", plate, 1, MAX_PLATE)
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
    return print_command("project_file", **fields)
