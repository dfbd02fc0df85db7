"""Authenticated HTTP views that stream the printers' stored files.

``/api/bambu_cloud/storage/<entry>/<serial>/<path>`` serves a file as it is
(ranges for seeking, ``?download`` as an attachment), ``/converted/`` an AVI
timelapse as MP4, ``/thumbnail/`` the picture of a timelapse or project.
All need a logged-in user or a path Home Assistant signed; the printer's
access code never leaves Home Assistant. Bodies stream chunk by chunk.
"""

from __future__ import annotations

from collections import OrderedDict
import contextlib
from http import HTTPStatus
import logging
from pathlib import Path
import re
from typing import Final
from urllib.parse import quote

from aiohttp import web
from homeassistant.components.ffmpeg import get_ffmpeg_manager
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from .aiobambulab.errors import BambuError, CommandRefused
from .aiobambulab.ftps import PrinterFiles
from .aiobambulab.stored_projects import StoredProject
from .aiobambulab.threemf import (
    InvalidProjectFile,
    ProjectData,
    cover_members,
    index_members,
    plate_cover,
    plates,
)
from .const import DOMAIN
from .media_convert import ConversionCache, ConversionFailed, convert
from .storage_access import (
    MAX_PROJECT_BYTES,
    FileKind,
    StoredFile,
    file_kind,
    printer_files,
    printer_of,
    timelapse_thumbnail,
)

LOGGER = logging.getLogger(__name__)

BASE: Final = f"/api/{DOMAIN}"
MAX_THUMBNAIL_BYTES: Final = 4 * 1024 * 1024
THUMBNAILS_KEPT: Final = 256
_RANGE = re.compile(r"bytes=(\d+)-(\d*)")
_TYPES: Final[dict[FileKind | None, str]] = {
    FileKind.TIMELAPSE_MP4: "video/mp4",
    FileKind.TIMELAPSE_AVI: "video/x-msvideo",
    FileKind.PROJECT: "model/3mf",
    FileKind.GCODE: "text/x-gcode",
}
_VIEWS_KEY: Final = f"{DOMAIN}_media_views"


def content_url(stored: StoredFile, *, convert: bool = False) -> str:
    """The path that plays or serves a stored file (before signing)."""
    kind = file_kind(stored.path)
    folder = "converted" if convert and kind is FileKind.TIMELAPSE_AVI else "storage"
    return f"{BASE}/{folder}/{quote(stored.identifier)}"


def thumbnail_url(stored: StoredFile) -> str:
    """The path of a stored file's picture."""
    return f"{BASE}/thumbnail/{quote(stored.identifier)}"


@callback
def async_setup_media_views(hass: HomeAssistant) -> None:
    """Register the views once per Home Assistant."""
    if hass.data.get(_VIEWS_KEY):
        return
    hass.data[_VIEWS_KEY] = True
    cache = ConversionCache(hass, Path(hass.config.cache_path(DOMAIN, "timelapses")))
    hass.http.register_view(StorageView())
    hass.http.register_view(ConvertedView(cache))
    hass.http.register_view(ThumbnailView())


class _StoredFileView(HomeAssistantView):
    requires_auth = True

    def _files(
        self, request: web.Request, identifier: str, max_download: int | None = None
    ) -> tuple[StoredFile, PrinterFiles]:
        """The stored file and a client to its printer, or an HTTP error."""
        hass: HomeAssistant = request.app[KEY_HASS]
        stored = StoredFile.parse(identifier)
        coordinator = (
            None if stored is None else printer_of(hass, stored.entry_id, stored.serial)
        )
        if stored is None or coordinator is None or file_kind(stored.path) is None:
            raise web.HTTPNotFound
        files = (
            printer_files(coordinator)
            if max_download is None
            else printer_files(coordinator, max_download=max_download)
        )
        if files is None:
            raise web.HTTPNotFound  # no LAN access to the printer
        return stored, files


class StorageView(_StoredFileView):
    """A stored file as it is, streamed; ranges for seeking."""

    url = f"{BASE}/storage/{{identifier:.+}}"
    name = f"api:{DOMAIN}:storage"

    async def get(self, request: web.Request, identifier: str) -> web.StreamResponse:
        """Stream the file (or the asked range of it)."""
        stored, files = self._files(request, identifier)
        start, end = _range(request)
        response = web.StreamResponse()
        response.content_type = _TYPES.get(
            file_kind(stored.path), "application/octet-stream"
        )
        response.headers["Accept-Ranges"] = "bytes"
        if "download" in request.query:
            response.headers["Content-Disposition"] = (
                f"attachment; filename*=UTF-8''{quote(stored.name)}"
            )
        try:
            async with files.open_read(stored.path, offset=start) as (size, chunks):
                if size is not None:
                    last = size - 1 if end is None else min(end, size - 1)
                    response.content_length = max(last - start + 1, 0)
                    if start or end is not None:
                        response.set_status(HTTPStatus.PARTIAL_CONTENT)
                        response.headers["Content-Range"] = (
                            f"bytes {start}-{last}/{size}"
                        )
                remaining = None if size is None else response.content_length
                await response.prepare(request)
                async for chunk in chunks:
                    part = chunk if remaining is None else chunk[:remaining]
                    await response.write(part)
                    if remaining is not None:
                        remaining -= len(part)
                        if remaining == 0:
                            break
        except CommandRefused as err:
            if response.prepared:
                raise
            raise web.HTTPNotFound from err
        except BambuError as err:
            if response.prepared:
                raise
            LOGGER.warning("Cannot read %s: %s", stored.path, err)
            raise web.HTTPBadGateway from err
        await response.write_eof()
        return response


class ConvertedView(_StoredFileView):
    """An AVI timelapse as fragmented MP4, converted on demand and cached."""

    url = f"{BASE}/converted/{{identifier:.+}}"
    name = f"api:{DOMAIN}:converted"

    def __init__(self, cache: ConversionCache) -> None:
        """Keep conversions in ``cache``."""
        self.cache = cache

    async def get(self, request: web.Request, identifier: str) -> web.StreamResponse:
        """The cached conversion, else convert while streaming."""
        hass: HomeAssistant = request.app[KEY_HASS]
        stored, files = self._files(request, identifier)
        if file_kind(stored.path) is not FileKind.TIMELAPSE_AVI:
            raise web.HTTPNotFound
        try:
            size = await files.size(stored.path)
        except CommandRefused as err:
            raise web.HTTPNotFound from err
        except BambuError as err:
            raise web.HTTPBadGateway from err
        target = self.cache.path_for(stored.serial, stored.path, size)
        if await self.cache.cached(target):
            return web.FileResponse(target, headers={"Content-Type": "video/mp4"})
        response = web.StreamResponse()
        response.content_type = "video/mp4"
        partial, output = await self.cache.open_partial(target)
        finished = False
        try:
            # Closed at once when the viewer leaves: ffmpeg and the
            # printer's session must not wait for the garbage collector.
            async with contextlib.aclosing(
                convert(files, stored.path, get_ffmpeg_manager(hass).binary)
            ) as mp4:
                async for chunk in mp4:
                    if not response.prepared:
                        await response.prepare(request)
                    await response.write(chunk)
                    await hass.async_add_executor_job(output.write, chunk)
            finished = True
        except (BambuError, ConversionFailed) as err:
            LOGGER.warning("Cannot convert %s: %s", stored.path, err)
            if not response.prepared:
                raise web.HTTPBadGateway from err
        finally:
            await hass.async_add_executor_job(output.close)
            if finished:
                await self.cache.store(partial, target)
            else:
                await self.cache.discard(partial)
        if not response.prepared:
            raise web.HTTPBadGateway
        await response.write_eof()
        return response


class ThumbnailView(_StoredFileView):
    """A timelapse's JPEG or a project's plate picture; kept in memory."""

    url = f"{BASE}/thumbnail/{{identifier:.+}}"
    name = f"api:{DOMAIN}:thumbnail"

    def __init__(self) -> None:
        """Start with no pictures."""
        self._kept: OrderedDict[str, tuple[bytes, str]] = OrderedDict()

    async def get(self, request: web.Request, identifier: str) -> web.Response:
        """The picture, or 404 when the file has none."""
        hass: HomeAssistant = request.app[KEY_HASS]
        if (kept := self._kept.get(identifier)) is None:
            stored, files = self._files(request, identifier, MAX_THUMBNAIL_BYTES)
            kind = file_kind(stored.path)
            try:
                if kind in (FileKind.TIMELAPSE_MP4, FileKind.TIMELAPSE_AVI):
                    kept = (
                        await files.download(timelapse_thumbnail(stored.path)),
                        "image/jpeg",
                    )
                elif kind is FileKind.PROJECT:
                    cover = await _project_cover(hass, files, stored.path)
                    if cover is None:
                        raise web.HTTPNotFound
                    kept = (cover, "image/png")
                else:
                    raise web.HTTPNotFound
            except BambuError as err:
                raise web.HTTPNotFound from err
            self._kept[identifier] = kept
            while len(self._kept) > THUMBNAILS_KEPT:
                self._kept.popitem(last=False)
        self._kept.move_to_end(identifier)
        data, content_type = kept
        return web.Response(
            body=data,
            content_type=content_type,
            headers={"Cache-Control": "private, max-age=3600"},
        )


async def _project_cover(
    hass: HomeAssistant, files: PrinterFiles, path: str
) -> bytes | None:
    """The first plate's picture of a project file, read by ranges.

    The directory, the slice info and the picture cross the network, not
    the whole file (some KiB of tens of MiB); the first plate is most often
    plate 1, read along with the slice info.
    """
    async with files:
        project = await StoredProject.open(files, path, max_bytes=MAX_PROJECT_BYTES)
        data = await project.read(index_members() | cover_members(1))
        first = await hass.async_add_executor_job(_first_plate, data)
        if first is None:
            return None
        if first != 1:
            data = await project.read(cover_members(first))
    return await hass.async_add_executor_job(_cover, data, first)


def _first_plate(project: ProjectData) -> int | None:
    """The number of a project's first plate; None when it is not a project."""
    try:
        numbers = plates(project)
    except InvalidProjectFile:
        return None
    return numbers[0] if numbers else 1


def _cover(project: ProjectData, plate: int) -> bytes | None:
    """The plate's picture of a project file."""
    try:
        return plate_cover(project, plate)
    except InvalidProjectFile:
        return None


def _range(request: web.Request) -> tuple[int, int | None]:
    """The first byte and (if given) the last of a ``Range: bytes=`` header."""
    header = request.headers.get("Range", "")
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return 0, None
    end = int(match[2]) if match[2] else None
    return int(match[1]), end
