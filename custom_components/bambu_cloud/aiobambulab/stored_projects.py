"""Project files on a printer, read by the members a reader needs.

``StoredProject.open`` reads a project's central directory by ranges (REST)
and ``read`` then fetches only the members asked for: a thumbnail or a
plate's details cost some KiB of a file of tens of MiB. A printer that
refuses REST (or does not tell a file's size) gets the whole file downloaded
once, within ``max_bytes``, as before. What ``read`` returns goes to the
``threemf`` readers either way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
import contextlib
from dataclasses import dataclass
import logging

from .ftps import PrinterFiles
from .ftps_transfer import RestartRefused
from .remote_zip import BadZip, RemoteZip, Wanted
from .threemf import InvalidProjectFile, ProjectData, ProjectMembers

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _PrinterFile:
    """A file on the printer as a ``RangeSource``."""

    files: PrinterFiles
    path: str
    size: int

    def reading(
        self, offset: int
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[bytes]]:
        return self.files.reading(self.path, offset=offset)


class StoredProject:
    """One project file on a printer, opened for reading its members.

    Open it inside ``async with files:`` so that every read shares one
    session. Errors: those of ``PrinterFiles`` (CommandRefused for a
    missing file, FileTooLarge past ``max_bytes`` in a whole download,
    ConnectError) and InvalidProjectFile for a file that is not a readable
    ZIP.
    """

    def __init__(self, directory: RemoteZip | None, whole: bytes | None) -> None:
        """Wrap a directory read by ranges, or the whole file; see ``open``."""
        self._directory = directory
        self._whole = whole

    @classmethod
    async def open(
        cls, files: PrinterFiles, path: str, *, max_bytes: int
    ) -> StoredProject:
        """Read the project's directory; the whole file when ranges fail."""
        size = await files.size(path)
        if size is not None:
            try:
                directory = await RemoteZip.open(_PrinterFile(files, path, size))
            except RestartRefused:
                _LOGGER.debug("%s: no REST on this printer, reading all of it", path)
            except BadZip as err:
                raise InvalidProjectFile(err.reason) from err
            else:
                return cls(directory, None)
        return cls(None, await files.download(path, max_size=max_bytes))

    @property
    def ranged(self) -> bool:
        """Whether members are read by ranges (not from a whole download)."""
        return self._directory is not None

    async def read(self, wanted: Mapping[str, Wanted]) -> ProjectData:
        """The members ``wanted`` (see ``threemf.plate_members``), for ``threemf``."""
        if self._directory is None:
            assert self._whole is not None  # noqa: S101 - set together by open
            return self._whole
        try:
            data = await self._directory.read(wanted)
        except BadZip as err:
            raise InvalidProjectFile(err.reason) from err
        return ProjectMembers(self._directory.names, data)
