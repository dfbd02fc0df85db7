"""ZIP files for the ranged project reads: large, ZIP64, commented, damaged, bombs.

Large projects are a simulator project with incompressible padding (a
model member first, the plates' G-code lengthened), as real sliced
projects of tens of MiB are. The odd files are written byte by byte with
``struct`` where ``zipfile`` cannot make them, and checked against
``zipfile`` where it can read them.
"""

from __future__ import annotations

from dataclasses import dataclass
import io
import random
import re
import struct
import zipfile
import zlib

MIB = 1024 * 1024
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_ENTRY = struct.Struct("<4sBBBBHHHHIIIHHHHHII")
_EOCD = struct.Struct("<4sHHHHIIH")
_EOCD64 = struct.Struct("<4sQHHIIQQQQ")
_LOCATOR = struct.Struct("<4sIQI")
_GCODE = re.compile(r"Metadata/plate_\d+\.gcode")


def large_project(project: bytes, *, mib: int, seed: int = 19) -> bytes:
    """``project`` grown to about ``mib`` MiB that do not compress.

    Half is a model member before the plate files, half lengthens each
    plate's G-code after its header: a reader that needs a G-code header
    stops early in a large member, as it must on real projects.
    """
    rng = random.Random(seed)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(project)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        gcodes = [i for i in source.infolist() if _GCODE.fullmatch(i.filename)]
        target.writestr(
            "3D/Objects/padding.model",
            rng.randbytes(mib * MIB // 2),
            compress_type=zipfile.ZIP_STORED,
        )
        for info in source.infolist():
            data = source.read(info)
            if info in gcodes:
                data += rng.randbytes(mib * MIB // 2 // len(gcodes))
            target.writestr(info, data)
    return out.getvalue()


def wanted_size(project: bytes, names: set[str], head: int) -> int:
    """The compressed bytes of the members ``names``, G-code up to ``head``."""
    with zipfile.ZipFile(io.BytesIO(project)) as archive:
        return sum(
            min(info.compress_size, head)
            if info.filename.endswith(".gcode")
            else info.compress_size
            for info in archive.infolist()
            if info.filename in names
        )


@dataclass(frozen=True, slots=True)
class RawMember:
    """A member as it will be written, with what its headers declare."""

    name: str
    data: bytes  # as stored in the file (compressed for method 8)
    method: int
    crc: int
    size: int  # declared uncompressed size
    flags: int = 0


def stored(name: str, data: bytes) -> RawMember:
    """A stored (uncompressed) member."""
    return RawMember(name, data, 0, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes) -> RawMember:
    """A deflated member."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = compressor.compress(data) + compressor.flush()
    return RawMember(name, packed, 8, zlib.crc32(data), len(data))


def bomb(name: str, *, declared: int, inflates_to: int) -> RawMember:
    """A deflated member of zeros that declares ``declared`` bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(MIB)
    parts = [compressor.compress(zeros) for _ in range(inflates_to // MIB)]
    parts.append(compressor.flush())
    return RawMember(name, b"".join(parts), 8, 0, declared)


def raw_zip(
    members: list[RawMember], *, comment: bytes = b"", zip64: bool = False
) -> bytes:
    """Write ``members`` as a ZIP, each header saying what the member declares.

    ``zip64``: every central directory entry gives its sizes and offset in
    a ZIP64 extra field, and the end records are ZIP64 ones.
    """
    out = bytearray()
    entries = bytearray()
    for member in members:
        offset = len(out)
        name = member.name.encode()
        out += _LOCAL.pack(
            b"PK\x03\x04", 45 if zip64 else 20, member.flags, member.method, 0,
            0x21, member.crc, len(member.data), member.size, len(name), 0,
        )  # fmt: skip
        out += name + member.data
        if zip64:
            extra = struct.pack("<HHQQQ", 1, 24, member.size, len(member.data), offset)
            sizes = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        else:
            extra = b""
            sizes = (len(member.data), member.size, offset)
        entries += _ENTRY.pack(
            b"PK\x01\x02", 45, 3, 45 if zip64 else 20, 0, member.flags,
            member.method, 0, 0x21, member.crc, sizes[0], sizes[1], len(name),
            len(extra), 0, 0, 0, 0, sizes[2],
        )  # fmt: skip
        entries += name + extra
    directory_offset = len(out)
    out += entries
    count = len(members)
    if zip64:
        record_offset = len(out)
        out += _EOCD64.pack(
            b"PK\x06\x06", _EOCD64.size - 12, 45, 45, 0, 0, count, count,
            len(entries), directory_offset,
        )  # fmt: skip
        out += _LOCATOR.pack(b"PK\x06\x07", 0, record_offset, 1)
        out += _EOCD.pack(
            b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment)
        )
    else:
        out += _EOCD.pack(
            b"PK\x05\x06", 0, 0, count, count, len(entries), directory_offset,
            len(comment),
        )  # fmt: skip
    return bytes(out + comment)


def members_of(project: bytes) -> list[RawMember]:
    """The members of a ZIP ``zipfile`` reads, to write again with ``raw_zip``."""
    with zipfile.ZipFile(io.BytesIO(project)) as archive:
        return [
            deflated(info.filename, archive.read(info)) for info in archive.infolist()
        ]


def damage_directory(data: bytes) -> bytes:
    """``data`` with the signature of its second central directory entry broken."""
    first = data.index(b"PK\x01\x02")
    second = data.index(b"PK\x01\x02", first + 4)
    return data[:second] + b"PK\x01\x09" + data[second + 4 :]
