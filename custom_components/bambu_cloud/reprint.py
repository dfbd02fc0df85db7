"""Printing a project that is already on the printer (``print_stored_file``).

The file is named by its path on the printer's storage, or by its id in
the media browser. It is read over FTPS to check the plate and its
filaments: each filament must be loaded (by type) in the tray it will print
from, or the action says which ones do not match and prints nothing.
Nothing is uploaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components import media_source
from homeassistant.core import HomeAssistant

from .aiobambulab.errors import BambuError, CommandRefused
from .aiobambulab.filament_match import mismatches
from .aiobambulab.ftps_transfer import FileTooLarge
from .aiobambulab.job_views import ACTIVE_JOB_STATES
from .aiobambulab.stored_projects import StoredProject
from .aiobambulab.threemf import (
    MAX_PROJECT_BYTES,
    InvalidProjectFile,
    plate_members,
)
from .const import DOMAIN
from .control import async_command, invalid_call
from .print_file import ams_mapping, checked_plate
from .storage_access import (
    FileKind,
    StoredFile,
    clean_path,
    file_kind,
    printer_files,
    storage_unreachable,
)

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

SERVICE_PRINT_STORED_FILE: Final = "print_stored_file"
ATTR_PATH: Final = "path"
_MEDIA_PREFIX: Final = f"media-source://{DOMAIN}/"


def stored_path(coordinator: PrinterCoordinator, given: str) -> str:
    """The path on the printer a call names (a path, or a media browser id)."""
    text = given.strip()
    if media_source.is_media_source_id(text):
        stored = (
            StoredFile.parse(text.removeprefix(_MEDIA_PREFIX))
            if text.startswith(_MEDIA_PREFIX)
            else None
        )
        if stored is None or stored.serial != coordinator.serial:
            raise invalid_call(
                "stored_file_elsewhere", file=given, name=coordinator.printer_name
            )
        return stored.path
    path = clean_path("/" + text.lstrip("/"))
    if path is None or path == "/":
        raise invalid_call(
            "stored_file_not_found", file=given, name=coordinator.printer_name
        )
    return path


async def async_print_stored_file(
    hass: HomeAssistant,
    coordinator: PrinterCoordinator,
    data: Mapping[str, Any],
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """Check the stored project against the printer, then start it.

    ``options`` are print_file's start options (timelapse, bed_leveling ...)
    as ``start_print`` takes them.
    """
    name = coordinator.printer_name
    files = printer_files(coordinator)
    if files is None:
        raise invalid_call("no_local_access", name=name)
    if coordinator.data.job_state in ACTIVE_JOB_STATES:
        raise invalid_call("printer_busy", name=name)
    path = stored_path(coordinator, data[ATTR_PATH])
    if file_kind(path) is not FileKind.PROJECT:
        raise invalid_call("not_a_project_file", file=path)
    plate: int = data["plate"]
    try:
        # Only the members the checks read, by ranges: not the whole file.
        async with files:
            stored = await StoredProject.open(files, path, max_bytes=MAX_PROJECT_BYTES)
            project = await stored.read(plate_members(plate))
    except InvalidProjectFile as err:
        raise invalid_call(
            "invalid_project_file", file=path, reason=err.reason
        ) from err
    except CommandRefused as err:
        raise invalid_call("stored_file_not_found", file=path, name=name) from err
    except FileTooLarge as err:
        raise invalid_call(
            "file_too_large", file=path, limit=str(MAX_PROJECT_BYTES >> 20)
        ) from err
    except BambuError as err:
        raise storage_unreachable(name, err) from err
    info = await hass.async_add_executor_job(checked_plate, project, path, plate)
    mapping = ams_mapping(coordinator, data.get("ams_mapping"), info)
    use_ams: bool | None = data.get("use_ams")
    wrong = mismatches(
        info.filaments,
        mapping,
        coordinator.filament_slot,
        use_ams=bool(use_ams) if mapping is None else True,
    )
    if wrong:
        raise invalid_call(
            "filament_mismatch",
            file=path,
            name=name,
            mismatches="; ".join(item.describe() for item in wrong),
        )
    await async_command(
        coordinator,
        coordinator.printer.start_print(
            path.lstrip("/"),
            plate=plate,
            ams_mapping=mapping,
            use_ams=use_ams,
            **options,
        ),
    )
    return {"file": path, "plate": plate}
