"""Deleting a timelapse or print file from a printer's storage (``delete_stored_file``).

Only the kinds the media browser shows can be deleted, never the printer's
own folders and files. A timelapse goes with its thumbnail.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Final

from .aiobambulab.errors import BambuError, CommandRefused
from .control import invalid_call
from .reprint import stored_path
from .storage_access import (
    FileKind,
    file_kind,
    printer_files,
    storage_unreachable,
    timelapse_thumbnail,
)

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

SERVICE_DELETE_STORED_FILE: Final = "delete_stored_file"
_VIDEOS: Final = (FileKind.TIMELAPSE_MP4, FileKind.TIMELAPSE_AVI)


async def async_delete_stored_file(coordinator: PrinterCoordinator, given: str) -> str:
    """Delete the file ``given`` names; returns its path on the printer."""
    name = coordinator.printer_name
    files = printer_files(coordinator)
    if files is None:
        raise invalid_call("no_local_access", name=name)
    path = stored_path(coordinator, given)
    kind = file_kind(path)
    if kind is None:
        raise invalid_call("stored_file_not_deletable", file=path)
    try:
        async with files:
            await files.delete(path)
            if kind in _VIDEOS:
                with contextlib.suppress(CommandRefused):  # a video without one
                    await files.delete(timelapse_thumbnail(path))
    except CommandRefused as err:
        raise invalid_call("stored_file_not_found", file=path, name=name) from err
    except BambuError as err:
        raise storage_unreachable(name, err) from err
    return path
