"""Where a job's project file is on the printer's storage.

Printers keep uploads at the root of their storage and the files of cloud
jobs in ``/cache``; a job names its file by a storage path or URL, or only by
its name (``Cube`` for ``Cube.gcode.3mf``).
"""

from __future__ import annotations

from typing import Final

from .errors import CommandRefused
from .ftps import PrinterFiles
from .ftps_listing import RemoteFile
from .job_details import JobKey

SEARCH_DIRECTORIES: Final = ("/", "/cache")
# Storage prefixes in project URLs and reported paths, mapped to the FTPS root.
_STORAGE_PREFIXES: Final = ("/sdcard", "/mnt/sdcard", "/usb", "/mnt/usb")


async def find_project(files: PrinterFiles, key: JobKey) -> str | None:
    """Where the job's project file is on the printer, if anywhere.

    ``files`` is connected. The newest file of the job's name wins, should
    an older print of the same name be there too.
    """
    if key.gcode_file and key.gcode_file.lower().endswith(".3mf"):
        return storage_path(key.gcode_file)
    if key.name is None:
        return None
    found: list[tuple[str, RemoteFile]] = []
    for directory in SEARCH_DIRECTORIES:
        try:
            entries = await files.list(directory)
        except CommandRefused:
            continue  # no such directory on this printer
        found.extend(
            (directory, entry)
            for entry in entries
            if not entry.is_dir and project_name(entry.name) == key.name
        )
    if not found:
        return None
    directory, entry = max(
        found, key=lambda item: (item[1].modified is not None, item[1].modified)
    )
    return f"{directory.rstrip('/')}/{entry.name}"


def project_name(file_name: str) -> str | None:
    """The job name a project file prints as: ``Cube.gcode.3mf`` -> ``Cube``."""
    if not file_name.lower().endswith(".3mf"):
        return None
    stem = file_name[: -len(".3mf")]
    if stem.lower().endswith(".gcode"):
        stem = stem[: -len(".gcode")]
    return stem or None


def storage_path(location: str) -> str:
    """A reported project location (URL or storage path) as an FTPS path."""
    path = location.split("://", 1)[-1]
    if not path.startswith("/"):
        path = "/" + path
    for prefix in _STORAGE_PREFIXES:
        if path.startswith(prefix + "/"):
            return path[len(prefix) :]
    return path
