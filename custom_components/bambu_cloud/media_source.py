"""The printers' storage in Home Assistant's Media panel, under "Bambu Lab".

Each printer with a LAN address shows its storage as the printer keeps it:
folders first, then timelapses and print files, newest first, with the
timelapse's JPEG or the project's plate picture as thumbnail. Playing a
timelapse resolves to the storage view (media_view.py), which Home
Assistant signs for the browser; AVI timelapses play converted to MP4.
"""

from __future__ import annotations

from homeassistant.components.media_player.const import MediaClass, MediaType
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.core import HomeAssistant

from .aiobambulab.errors import BambuError
from .aiobambulab.ftps_listing import RemoteFile
from .const import DOMAIN
from .media_view import content_url, thumbnail_url
from .storage_access import (
    THUMBNAIL_FOLDER,
    FileKind,
    StoredFile,
    file_kind,
    printer_files,
    printer_of,
    printers,
)

TITLE = "Bambu Lab"
_VIDEOS = (FileKind.TIMELAPSE_MP4, FileKind.TIMELAPSE_AVI)


async def async_get_media_source(hass: HomeAssistant) -> MediaSource:
    """The printers' storage as a media source."""
    return BambuMediaSource(hass)


class BambuMediaSource(MediaSource):
    """Browse and play what the printers keep on their storage."""

    name = TITLE

    def __init__(self, hass: HomeAssistant) -> None:
        """Serve this Home Assistant's printers."""
        super().__init__(DOMAIN)
        self.hass = hass

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """The view's URL for a timelapse (MP4, or AVI converted to MP4)."""
        stored = StoredFile.parse(item.identifier or "")
        kind = None if stored is None else file_kind(stored.path)
        if stored is None or kind not in _VIDEOS:
            raise Unresolvable(
                translation_domain=DOMAIN,
                translation_key="media_not_playable",
                translation_placeholders={"media": item.identifier or ""},
            )
        return PlayMedia(content_url(stored, convert=True), "video/mp4")

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """The printers, or a folder of one printer's storage."""
        if not item.identifier:
            return self._root()
        stored = StoredFile.parse(item.identifier)
        if stored is None:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="storage_not_found",
                translation_placeholders={"media": item.identifier},
            )
        return await self._folder(stored)

    def _root(self) -> BrowseMediaSource:
        children = [
            _directory(
                StoredFile(entry_id, coordinator.serial, "/"), coordinator.printer_name
            )
            for entry_id, coordinator in printers(self.hass)
        ]
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=None,
            media_class=MediaClass.DIRECTORY,
            media_content_type=MediaType.VIDEO,
            title=TITLE,
            can_play=False,
            can_expand=True,
            children=children,
            children_media_class=MediaClass.DIRECTORY,
        )

    async def _folder(self, folder: StoredFile) -> BrowseMediaSource:
        coordinator = printer_of(self.hass, folder.entry_id, folder.serial)
        if coordinator is None:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="storage_not_found",
                translation_placeholders={"media": folder.identifier},
            )
        files = printer_files(coordinator)
        if files is None:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="media_needs_lan",
                translation_placeholders={"name": coordinator.printer_name},
            )
        try:
            listing = await files.list(folder.path)
        except BambuError as err:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="media_unreachable",
                translation_placeholders={
                    "name": coordinator.printer_name,
                    "error": str(err),
                },
            ) from err
        title = coordinator.printer_name
        if folder.path != "/":
            title = f"{title} {folder.path}"
        result = _directory(folder, title)
        result.children = _children(folder, listing)
        return result


def _children(folder: StoredFile, listing: list[RemoteFile]) -> list[BrowseMediaSource]:
    """Folders by name, then the files the browser shows, newest first."""
    in_timelapses = folder.path.rstrip("/").endswith("/timelapse")
    folders = sorted(
        (
            entry
            for entry in listing
            if entry.is_dir
            and not (in_timelapses and entry.name == THUMBNAIL_FOLDER)
            and not entry.name.startswith(".")
        ),
        key=lambda entry: entry.name.casefold(),
    )
    files = sorted(
        (entry for entry in listing if not entry.is_dir and file_kind(entry.name)),
        key=_newest_first,
    )
    return [_directory(folder.child(entry.name), entry.name) for entry in folders] + [
        _file(folder.child(entry.name)) for entry in files
    ]


def _directory(folder: StoredFile, title: str) -> BrowseMediaSource:
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=folder.identifier,
        media_class=MediaClass.DIRECTORY,
        media_content_type=MediaType.VIDEO,
        title=title,
        can_play=False,
        can_expand=True,
        children_media_class=MediaClass.VIDEO,
    )


def _file(stored: StoredFile) -> BrowseMediaSource:
    kind = file_kind(stored.path)
    video = kind in _VIDEOS
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=stored.identifier,
        media_class=MediaClass.VIDEO if video else MediaClass.APP,
        media_content_type="video/mp4" if video else "application/octet-stream",
        title=stored.name,
        can_play=video,
        can_expand=False,
        thumbnail=None if kind is FileKind.GCODE else thumbnail_url(stored),
    )


def _newest_first(entry: RemoteFile) -> tuple[bool, float, str]:
    """Sort key: the newest file first, a file without a date last."""
    when = 0.0 if entry.modified is None else entry.modified.timestamp()
    return (entry.modified is None, -when, entry.name.casefold())
