"""The printers' storage as the media browser and its view see it.

A stored file is named by the config entry, the printer's serial and its
path on the printer: ``<entry_id>/<serial>/<path>``. This module finds the
printer of such a name, opens an FTPS client to it and says what kind of
file a path is. The printer's access code stays here: URLs and media ids
carry only these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import posixpath
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .aiobambulab.errors import BambuError
from .aiobambulab.ftps import PrinterFiles
from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import PrinterCoordinator

# A project downloaded whole (for its picture, from a printer without REST)
# stops here; printers with REST send only the members needed.
MAX_PROJECT_BYTES: Final = 64 * 1024 * 1024
THUMBNAIL_FOLDER: Final = "thumbnail"  # in timelapse/: a JPEG per video


class FileKind(StrEnum):
    """What a stored file is to the user."""

    TIMELAPSE_MP4 = "mp4"
    TIMELAPSE_AVI = "avi"
    PROJECT = "3mf"
    GCODE = "gcode"


_SUFFIXES: Final = {
    ".mp4": FileKind.TIMELAPSE_MP4,
    ".avi": FileKind.TIMELAPSE_AVI,
    ".3mf": FileKind.PROJECT,
    ".gcode": FileKind.GCODE,
}


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file (or folder) on one printer's storage, by name."""

    entry_id: str
    serial: str
    path: str  # absolute on the printer, "/" for the top

    @classmethod
    def parse(cls, identifier: str) -> StoredFile | None:
        """Read ``<entry_id>/<serial>[/<path>]``; None when it is not one."""
        entry_id, _, rest = identifier.partition("/")
        serial, _, path = rest.partition("/")
        if not entry_id or not serial:
            return None
        clean = clean_path("/" + path)
        return None if clean is None else cls(entry_id, serial, clean)

    @property
    def identifier(self) -> str:
        """The name as media ids and URLs carry it."""
        return f"{self.entry_id}/{self.serial}{self.path.rstrip('/')}"

    @property
    def name(self) -> str:
        """The last part of the path."""
        return posixpath.basename(self.path)

    def child(self, name: str) -> StoredFile:
        """The entry ``name`` in this folder."""
        return StoredFile(self.entry_id, self.serial, posixpath.join(self.path, name))


def clean_path(path: str) -> str | None:
    """The path without ``.``/``..`` games; None for one no command can carry."""
    if any(c in path for c in "\r\n\0"):
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    return "/" + "/".join(parts)


def file_kind(path: str) -> FileKind | None:
    """The kind of a file the media browser shows; None for other files."""
    lower = path.lower()
    if lower.endswith(".gcode.3mf"):
        return FileKind.PROJECT
    return _SUFFIXES.get(posixpath.splitext(lower)[1])


def timelapse_thumbnail(path: str) -> str:
    """Where a printer keeps the JPEG of a timelapse."""
    folder, name = posixpath.split(path)
    stem = posixpath.splitext(name)[0]
    return posixpath.join(folder, THUMBNAIL_FOLDER, f"{stem}.jpg")


def printer_of(
    hass: HomeAssistant, entry_id: str, serial: str
) -> PrinterCoordinator | None:
    """The coordinator of a loaded entry's printer, if there is one."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or not hasattr(entry, "runtime_data"):
        return None
    return entry.runtime_data.printers.get(serial)  # type: ignore[no-any-return]


def printers(hass: HomeAssistant) -> list[tuple[str, PrinterCoordinator]]:
    """Every loaded printer with its entry id, in name order."""
    found = [
        (entry.entry_id, coordinator)
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for coordinator in entry.runtime_data.printers.values()
    ]
    return sorted(found, key=lambda item: item[1].printer_name.casefold())


def printer_files(
    coordinator: PrinterCoordinator, *, max_download: int = MAX_PROJECT_BYTES
) -> PrinterFiles | None:
    """An FTPS client to the printer; None without its LAN address and code."""
    access = coordinator.local_access
    if access is None:
        return None
    return PrinterFiles(
        access.host,
        access.access_code,
        port=access.ftp_port,
        ssl_context=access.ssl_context,
        max_download=max_download,
        serial=coordinator.serial,
    )


def storage_unreachable(name: str, err: BambuError) -> HomeAssistantError:
    """The translated error of an action that could not reach the storage."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="media_unreachable",
        translation_placeholders={"name": name, "error": str(err)},
    )
