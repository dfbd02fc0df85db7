"""Printing a project file: find it, read and check it, put it on the printer.

The ``print_file`` action (``services``) resolves a path or a media-source
id, reads the project in the executor (size-capped, the plate checked), maps
its filaments to the printer's trays and uploads it over FTPS, firing
progress events; the printer's ``start_print`` then starts it. A printer of
an account with no LAN route gets it as Bambu's apps send it: the project
goes to the account's cloud storage and the printer downloads it from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
import re
from typing import TYPE_CHECKING, Final

from homeassistant.components import media_source
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .aiobambulab import NO_TRAY
from .aiobambulab.ams import (
    AMS_HT_FIRST,
    AMS_HT_IDS,
    slot_label,
    tray_from_tray_now,
    tray_index_from_label,
)
from .aiobambulab.errors import BambuError, UnknownTarget, UploadNotAvailable
from .aiobambulab.ftps import PrinterFiles
from .aiobambulab.threemf import (
    MAX_PROJECT_BYTES,
    InvalidProjectFile,
    PlateInfo,
    ProjectData,
    plates,
    read_plate,
)
from .const import DOMAIN, LOGGER
from .control import invalid_call, invalid_input

if TYPE_CHECKING:
    from .aiobambulab.cloud import BambuCloud
    from .connection import LocalAccess
    from .coordinator import PrinterCoordinator

# Fired while print_file uploads, at most once per 10 %: automations and
# dashboards can follow a long upload without polling anything.
EVENT_UPLOAD_PROGRESS: Final = f"{DOMAIN}_upload_progress"
PROGRESS_STEP: Final = 10  # percent


async def async_local_path(hass: HomeAssistant, source: str) -> Path:
    """The file a path or a media-source id names (relative: to the config dir)."""
    if not media_source.is_media_source_id(source):
        return Path(hass.config.path(source))
    try:
        media = await media_source.async_resolve_media(hass, source, None)
    except HomeAssistantError as err:  # Unresolvable, unknown source
        raise invalid_call("media_not_found", file=source) from err
    if media.path is None:
        raise invalid_call("media_not_local", file=source)
    return media.path


def load_project(
    hass: HomeAssistant, path: Path, shown: str, plate: int
) -> tuple[bytes, PlateInfo]:
    """Read and check a project (in the executor: file I/O and unzipping)."""
    # Allowed first: a forbidden path must not tell whether it exists.
    if not hass.config.is_allowed_path(str(path)):
        raise invalid_call("path_not_allowed", file=shown)
    if not path.is_file():
        raise invalid_call("file_not_found", file=shown)
    try:
        if path.stat().st_size > MAX_PROJECT_BYTES:
            raise invalid_call(
                "file_too_large", file=shown, limit=str(MAX_PROJECT_BYTES >> 20)
            )
        data = path.read_bytes()
    except OSError as err:
        raise invalid_call("file_not_found", file=shown) from err
    return data, checked_plate(data, shown, plate)


def checked_plate(project: ProjectData, shown: str, plate: int) -> PlateInfo:
    """The plate's details; a translated error for a file without that plate."""
    try:
        numbers = plates(project)
        if not numbers:
            raise invalid_call("project_not_sliced", file=shown)
        if plate not in numbers:
            raise invalid_call(
                "plate_not_in_file",
                file=shown,
                plate=str(plate),
                plates=", ".join(map(str, numbers)),
            )
        return read_plate(project, plate)
    except InvalidProjectFile as err:
        raise invalid_call(
            "invalid_project_file", file=shown, reason=err.reason
        ) from err


def ams_mapping(
    coordinator: PrinterCoordinator,
    given: Sequence[int | str] | None,
    info: PlateInfo,
) -> list[int] | None:
    """The tray per filament of the project, checked against the printer.

    Each entry is a tray label (A1..D4), "external", or Bambu's number
    (unit * 4 + tray, 128+ for AMS HT, 254 external, -1 unused).
    """
    if given is None:
        return None
    mapping = tray_numbers(coordinator, given)
    used = sorted({f.id for f in info.filaments if f.id is not None})
    for number in used:
        if number > len(mapping) or mapping[number - 1] == NO_TRAY:
            raise invalid_call(
                "ams_mapping_incomplete", filament=str(number), plate=str(info.index)
            )
    return mapping


def tray_numbers(
    coordinator: PrinterCoordinator,
    given: Sequence[int | str],
    *,
    check_trays: bool = True,
) -> list[int]:
    """A mapping's trays as Bambu's numbers, each one the printer has.

    Without ``check_trays`` only the form is checked (the printer's trays
    are not known while it is away).
    """
    mapping = [_mapping_value(value) for value in given]
    if not check_trays:
        return mapping
    units = coordinator.ams_units
    trays = {(unit.id, tray.slot) for unit in units.values() for tray in unit.trays}
    for value in mapping:
        slot = tray_from_tray_now(value)  # the same numbers: 4 * unit + slot, 24+...
        if (
            value < AMS_HT_FIRST
            and slot is not None
            and (slot.ams_id, slot.slot) not in trays
        ):
            raise invalid_input(
                UnknownTarget("tray", slot_label(slot.ams_id, slot.slot))
            )
        if value in AMS_HT_IDS and value not in units:
            raise invalid_input(UnknownTarget("ams", value))
    return mapping


def _mapping_value(value: int | str) -> int:
    if isinstance(value, int):
        return value
    text = value.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if (index := tray_index_from_label(text)) is not None:
        return index
    raise invalid_call("invalid_tray_label", value=value)


async def async_upload(
    hass: HomeAssistant,
    coordinator: PrinterCoordinator,
    access: LocalAccess,
    name: str,
    data: bytes,
) -> None:
    """Store the project on the printer, reporting progress as events."""
    reported = -PROGRESS_STEP

    def progress(sent: int, total: int) -> None:
        nonlocal reported
        percent = sent * 100 // total if total else 100
        step = percent - percent % PROGRESS_STEP
        if step <= reported:
            return
        reported = step
        LOGGER.debug("Uploading %s to %s: %s %%", name, coordinator.printer_name, step)
        hass.bus.async_fire(
            EVENT_UPLOAD_PROGRESS,
            {
                "device_id": coordinator.device_id,
                "file": name,
                "percent": step,
                "sent": sent,
                "total": total,
            },
        )

    files = PrinterFiles(
        access.host,
        access.access_code,
        port=access.ftp_port,
        ssl_context=access.ssl_context,
        serial=coordinator.serial,
    )
    LOGGER.info(
        "Uploading %s (%s bytes) to %s", name, len(data), coordinator.printer_name
    )
    progress(0, len(data))
    try:
        await files.upload(f"/{name}", data, progress=progress)
    except BambuError as err:
        raise _upload_failed(coordinator, name, err) from err


def _upload_failed(
    coordinator: PrinterCoordinator, name: str, err: BambuError
) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="upload_failed",
        translation_placeholders={
            "name": coordinator.printer_name,
            "file": name,
            "error": str(err),
        },
    )


async def async_cloud_upload(
    hass: HomeAssistant,
    coordinator: PrinterCoordinator,
    cloud: BambuCloud,
    name: str,
    data: bytes,
) -> str:
    """Store the project in the account's cloud storage; return its URL."""
    progress = {"device_id": coordinator.device_id, "file": name, "total": len(data)}
    LOGGER.info(
        "Uploading %s (%s bytes) to the cloud storage for %s",
        name,
        len(data),
        coordinator.printer_name,
    )
    hass.bus.async_fire(EVENT_UPLOAD_PROGRESS, {**progress, "percent": 0, "sent": 0})
    try:
        url = await cloud.upload(name, data)
    except UploadNotAvailable as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="no_cloud_storage",
            translation_placeholders={"name": coordinator.printer_name, "file": name},
        ) from err
    except BambuError as err:
        raise _upload_failed(coordinator, name, err) from err
    hass.bus.async_fire(
        EVENT_UPLOAD_PROGRESS, {**progress, "percent": 100, "sent": len(data)}
    )
    return url
