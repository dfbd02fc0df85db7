"""Chosen members of a ZIP file read by ranges, without the rest of the file.

A project file on a printer can be tens of MiB while a thumbnail or the
plate's details need a few of its members. ``RemoteZip`` reads the end of
central directory record (ZIP64 too) from the file's tail, then the central
directory, then for each wanted member its local header and compressed data
only, through a ``RangeSource`` (e.g. a file on the printer over FTPS with
REST). Stored and deflated members are read; other methods and encrypted
members are refused. Memory holds the central directory and the wanted
members, each within the limit its reader gives, whatever the file
declares: a member that inflates past its declared size or its limit stops
there (zip bombs).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
import contextlib
from dataclasses import dataclass
import struct
from typing import Final, Protocol
import zlib

from .errors import InvalidCommand

MAX_DIRECTORY: Final = 4 * 1024 * 1024  # a project's has some hundred entries
MAX_GAP: Final = 64 * 1024  # members closer than this share one transfer
_EOCD: Final = struct.Struct("<4sHHHHIIH")
_EOCD_SIGNATURE: Final = b"PK\x05\x06"
_MAX_COMMENT: Final = 0xFFFF
_LOCATOR: Final = struct.Struct("<4sIQI")
_LOCATOR_SIGNATURE: Final = b"PK\x06\x07"
_EOCD64: Final = struct.Struct("<4sQHHIIQQQQ")
_EOCD64_SIGNATURE: Final = b"PK\x06\x06"
_ENTRY: Final = struct.Struct("<4sBBBBHHHHIIIHHHHHII")
_ENTRY_SIGNATURE: Final = b"PK\x01\x02"
_LOCAL: Final = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE: Final = b"PK\x03\x04"
_ZIP64_EXTRA: Final = 0x0001
_STORED: Final = 0
_DEFLATED: Final = 8
_ENCRYPTED: Final = 0x1
_UTF8: Final = 0x800
_CHUNK: Final = 64 * 1024


class BadZip(InvalidCommand):
    """The file is not a ZIP this reader can use, or a member is unreadable."""

    key = "invalid_project_file"

    def __init__(self, reason: str) -> None:
        """Say what is wrong."""
        super().__init__(reason, reason=reason)
        self.reason = reason


class RangeSource(Protocol):
    """A file that can be read from any offset on."""

    @property
    def size(self) -> int:
        """The file's size in bytes."""

    def reading(
        self, offset: int
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """The file's bytes from ``offset`` on; leaving early stops the transfer."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """How much of a member to read.

    ``whole``: the member, which must not inflate past ``limit`` bytes (an
    error if it does). Otherwise only its first ``limit`` bytes (a header).
    """

    limit: int
    whole: bool = True


@dataclass(frozen=True, slots=True)
class Entry:
    """One member as the central directory describes it."""

    name: str
    method: int
    flags: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int


class RemoteZip:
    """The central directory of a ZIP file, and its members on demand."""

    def __init__(
        self,
        source: RangeSource,
        entries: Mapping[str, Entry],
        tail: bytes = b"",
    ) -> None:
        """Wrap a directory read by ``open``; ``tail``: the file's last bytes."""
        self._source = source
        self.entries = dict(entries)
        # Members in the tail (all of a small file) are read from it.
        self._tail = tail
        self._tail_start = source.size - len(tail)

    @classmethod
    async def open(
        cls, source: RangeSource, *, max_directory: int = MAX_DIRECTORY
    ) -> RemoteZip:
        """Read the end records and the central directory (BadZip if damaged)."""
        size = source.size
        tail_start = max(0, size - (_EOCD.size + _MAX_COMMENT))
        tail = await _read_exact(source, tail_start, size - tail_start)
        position = _find_end(tail)
        entries_total, directory_size, directory_offset = _end_record(tail, position)
        if (
            entries_total == 0xFFFF
            or directory_size == 0xFFFFFFFF
            or directory_offset == 0xFFFFFFFF
        ):
            entries_total, directory_size, directory_offset = await _zip64_end(
                source, tail, tail_start, position
            )
        if directory_size > max_directory:
            raise BadZip(f"its central directory is too large ({directory_size})")
        if directory_offset + directory_size > tail_start + position:
            raise BadZip("its central directory lies beyond its end")
        if directory_offset >= tail_start:
            start = directory_offset - tail_start
            directory = tail[start : start + directory_size]
        else:
            directory = await _read_exact(source, directory_offset, directory_size)
        entries = _entries(directory, entries_total)
        for entry in entries.values():
            if entry.header_offset + entry.compressed_size > directory_offset:
                raise BadZip(f"{entry.name} lies beyond the central directory")
        return cls(source, entries, tail)

    @property
    def names(self) -> frozenset[str]:
        """Every member's name."""
        return frozenset(self.entries)

    async def read(self, wanted: Mapping[str, Wanted]) -> dict[str, bytes]:
        """The wanted members that exist (a missing name is left out).

        Members are read in file order; members close to each other share
        one transfer. Raises BadZip for a member that cannot be read whole
        within its limit.
        """
        chosen = sorted(
            (entry for name, entry in self.entries.items() if name in wanted),
            key=lambda entry: entry.header_offset,
        )
        for entry in chosen:
            _check_member(entry, wanted[entry.name])
        found: dict[str, bytes] = {}
        index = 0
        while index < len(chosen):
            start = chosen[index].header_offset
            async with self._reading(start) as chunks:
                stream = _Stream(chunks, start)
                while index < len(chosen):
                    entry = chosen[index]
                    gap = entry.header_offset - stream.position
                    if not 0 <= gap <= MAX_GAP:
                        break  # cheaper (or only possible) in a new transfer
                    await stream.skip(gap)
                    found[entry.name] = await _member(stream, entry, wanted[entry.name])
                    index += 1
        return found

    @contextlib.asynccontextmanager
    async def _reading(self, offset: int) -> AsyncIterator[AsyncIterator[bytes]]:
        """The file from ``offset`` on: from the tail in memory, else a transfer."""
        if offset < self._tail_start:
            async with self._source.reading(offset) as chunks:
                yield chunks
            return

        async def from_tail() -> AsyncIterator[bytes]:
            yield self._tail[offset - self._tail_start :]

        yield from_tail()


async def _read_exact(source: RangeSource, offset: int, length: int) -> bytes:
    """``length`` bytes from ``offset`` (BadZip when the file ends before)."""
    async with source.reading(offset) as chunks:
        stream = _Stream(chunks, offset)
        return await stream.read(length)


def _find_end(tail: bytes) -> int:
    """Where the end of central directory record starts in the file's tail.

    The last signature whose comment ends exactly at the end wins: a comment
    may itself contain the signature.
    """
    position = tail.rfind(_EOCD_SIGNATURE)
    while position >= 0:
        if position + _EOCD.size <= len(tail):
            comment = _EOCD.unpack_from(tail, position)[7]
            if position + _EOCD.size + comment == len(tail):
                return position
        position = tail.rfind(_EOCD_SIGNATURE, 0, position)
    raise BadZip("not a zip archive (no end of central directory)")


def _end_record(tail: bytes, position: int) -> tuple[int, int, int]:
    """Entries, directory size and offset of the (classic) end record."""
    _sig, disk, directory_disk, on_disk, total, size, offset, _comment = (
        _EOCD.unpack_from(tail, position)
    )
    if disk or directory_disk or on_disk != total:
        raise BadZip("a zip archive split over several disks")
    return total, size, offset


async def _zip64_end(
    source: RangeSource, tail: bytes, tail_start: int, position: int
) -> tuple[int, int, int]:
    """Entries, directory size and offset of the ZIP64 end record."""
    locator_at = position - _LOCATOR.size
    if locator_at < 0:
        raise BadZip("a ZIP64 archive without its end record locator")
    signature, disk, record_offset, disks = _LOCATOR.unpack_from(tail, locator_at)
    if signature != _LOCATOR_SIGNATURE or disk or disks > 1:
        raise BadZip("a ZIP64 archive without a valid end record locator")
    if record_offset + _EOCD64.size > tail_start + locator_at:
        raise BadZip("its ZIP64 end record lies beyond its end")
    if record_offset >= tail_start:
        start = record_offset - tail_start
        record = tail[start : start + _EOCD64.size]
    else:
        record = await _read_exact(source, record_offset, _EOCD64.size)
    (signature, _length, _made, _needed, disk, directory_disk, on_disk, total,
     size, offset) = _EOCD64.unpack(record)  # fmt: skip
    if signature != _EOCD64_SIGNATURE:
        raise BadZip("its ZIP64 end record is damaged")
    if disk or directory_disk or on_disk != total:
        raise BadZip("a zip archive split over several disks")
    return total, size, offset


def _entries(directory: bytes, expected: int) -> dict[str, Entry]:
    """Parse the central directory; BadZip when it does not read as one."""
    entries: dict[str, Entry] = {}
    position = count = 0
    while position < len(directory) and count < expected:
        if position + _ENTRY.size > len(directory):
            raise BadZip("its central directory is damaged")
        (signature, _made, _system, _needed, _reserved, flags, method, _time,
         _date, crc, compressed, size, name_length, extra_length,
         comment_length, _disk, _internal, _external,
         offset) = _ENTRY.unpack_from(directory, position)  # fmt: skip
        if signature != _ENTRY_SIGNATURE:
            raise BadZip("its central directory is damaged")
        start = position + _ENTRY.size
        end = start + name_length + extra_length
        if end + comment_length > len(directory):
            raise BadZip("its central directory is damaged")
        raw_name = directory[start : start + name_length]
        name = raw_name.decode("utf-8" if flags & _UTF8 else "cp437", "replace")
        size, compressed, offset = _zip64_sizes(
            directory[start + name_length : end], size, compressed, offset
        )
        entries.setdefault(
            name, Entry(name, method, flags, crc, compressed, size, offset)
        )
        position = end + comment_length
        count += 1
    if position != len(directory) or count != expected:
        raise BadZip("its central directory does not match its end record")
    return entries


def _zip64_sizes(
    extra: bytes, size: int, compressed: int, offset: int
) -> tuple[int, int, int]:
    """The sizes and offset, from the ZIP64 extra field where they overflow."""
    if 0xFFFFFFFF not in (size, compressed, offset):
        return size, compressed, offset
    position = 0
    while position + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, position)
        body = extra[position + 4 : position + 4 + length]
        position += 4 + length
        if kind != _ZIP64_EXTRA:
            continue
        values = [
            value for (value,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])
        ]
        fields = [size, compressed, offset]
        for index, value in enumerate(fields):
            if value == 0xFFFFFFFF:
                if not values:
                    raise BadZip("a ZIP64 entry without its sizes")
                fields[index] = values.pop(0)
        return fields[0], fields[1], fields[2]
    raise BadZip("a ZIP64 entry without its sizes")


def _check_member(entry: Entry, wanted: Wanted) -> None:
    """Refuse what cannot be read before asking for a byte of it."""
    if entry.flags & _ENCRYPTED:
        raise BadZip(f"{entry.name} is encrypted")
    if entry.method not in (_STORED, _DEFLATED):
        raise BadZip(f"{entry.name} uses compression method {entry.method}")
    if wanted.whole and entry.size > wanted.limit:
        raise BadZip(f"{entry.name} is too large")


async def _member(stream: _Stream, entry: Entry, wanted: Wanted) -> bytes:
    """Read one member at the stream's position (its local header)."""
    header = await stream.read(_LOCAL.size)
    signature, *_fields, name_length, extra_length = _LOCAL.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise BadZip(f"{entry.name}: its local header is damaged")
    await stream.skip(name_length + extra_length)
    cap = min(entry.size, wanted.limit)
    if entry.method == _STORED:
        if entry.compressed_size != entry.size:
            raise BadZip(f"{entry.name}: its sizes do not match")
        data = await stream.read(cap)
    else:
        data = await _inflate(stream, entry, cap)
    if wanted.whole and zlib.crc32(data) != entry.crc:
        raise BadZip(f"{entry.name} is damaged (its checksum does not match)")
    return data


async def _inflate(stream: _Stream, entry: Entry, cap: int) -> bytes:
    """Inflate at most ``cap`` bytes of the member's compressed data."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    remaining = entry.compressed_size
    try:
        while remaining and len(out) < cap:
            piece = await stream.read_some(min(remaining, _CHUNK))
            remaining -= len(piece)
            # One byte past the cap tells a member larger than it says.
            out += inflater.decompress(piece, cap + 1 - len(out))
            while inflater.unconsumed_tail and len(out) <= cap:
                out += inflater.decompress(inflater.unconsumed_tail, cap + 1 - len(out))
    except zlib.error as err:
        raise BadZip(f"{entry.name} is damaged ({err})") from err
    if len(out) > entry.size:
        raise BadZip(f"{entry.name} inflates past its declared size")
    if len(out) < cap:
        raise BadZip(f"{entry.name} is shorter than it says")
    return bytes(out[:cap])


class _Stream:
    """Exact reads over a transfer's chunks, counting the file position."""

    def __init__(self, chunks: AsyncIterator[bytes], position: int) -> None:
        self._chunks = chunks
        self._buffer = b""
        self.position = position

    async def read_some(self, limit: int) -> bytes:
        """Up to ``limit`` bytes (at least one); BadZip at the end of the file."""
        if not self._buffer:
            self._buffer = await anext(self._chunks, b"")
            if not self._buffer:
                raise BadZip("the file ends too early")
        piece, self._buffer = self._buffer[:limit], self._buffer[limit:]
        self.position += len(piece)
        return piece

    async def read(self, length: int) -> bytes:
        """Exactly ``length`` bytes."""
        parts = []
        while length:
            piece = await self.read_some(length)
            parts.append(piece)
            length -= len(piece)
        return b"".join(parts)

    async def skip(self, length: int) -> None:
        """Pass ``length`` bytes."""
        while length:
            length -= len(await self.read_some(min(length, _CHUNK)))
