"""Read what a sliced Bambu ``.3mf`` project says about its plates.

A project is a zip: ``Metadata/slice_info.config`` (XML) gives per plate
the predicted print time, the weight and the filaments (grams and metres
each); the header of
``Metadata/plate_<n>.gcode`` gives the layer count; ``Metadata/plate_<n>.png``
is the cover picture. Projects come from users and printers, so every read
is bounded and the XML may not declare entities.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import contextlib
from dataclasses import dataclass, field
import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib

from .errors import InvalidCommand
from .plate_objects import MAX_PLATE_JSON, MAX_TOP_VIEW, PlateObjects, read_objects
from .remote_zip import Wanted
from .values import as_float, as_int

SLICE_INFO = "Metadata/slice_info.config"
# The largest project file read (whole, into memory): sliced projects are
# far smaller, so a bigger file is not one to print or read.
MAX_PROJECT_BYTES = 256 * 1024 * 1024
MAX_SLICE_INFO = 4 * 1024 * 1024
MAX_COVER = 8 * 1024 * 1024
GCODE_HEADER_BYTES = 64 * 1024  # the header block sits at the very start
_GCODE = re.compile(r"Metadata/plate_(\d+)\.gcode")
_LAYERS = re.compile(rb";\s*total layer number:\s*(\d+)")
_HEADER_END = b"HEADER_BLOCK_END"


class InvalidProjectFile(InvalidCommand):
    """The data is not a sliced project, or lacks the plate asked for."""

    key = "invalid_project_file"

    def __init__(self, reason: str) -> None:
        """Say what is wrong."""
        super().__init__(reason, reason=reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ProjectMembers:
    """Some members of a project, read without the rest of the file.

    ``names`` lists every member of the file; ``data`` holds those read, a
    member read for its header (``Wanted(whole=False)``) only that far.
    """

    names: frozenset[str]
    data: Mapping[str, bytes]

    def namelist(self) -> list[str]:
        """Every member's name, as ``zipfile.ZipFile.namelist``."""
        return sorted(self.names)


# A whole project file, or the members of it a reader needs.
type ProjectData = bytes | ProjectMembers
type _Archive = zipfile.ZipFile | ProjectMembers


def index_members() -> dict[str, Wanted]:
    """What ``plates`` reads of a project besides the names of its members."""
    return {SLICE_INFO: Wanted(MAX_SLICE_INFO)}


def plate_members(plate: int) -> dict[str, Wanted]:
    """What ``plates`` and ``read_plate(.., plate)`` read of a project."""
    return index_members() | {
        f"Metadata/plate_{plate}.gcode": Wanted(GCODE_HEADER_BYTES, whole=False),
        f"Metadata/plate_{plate}.png": Wanted(MAX_COVER),
        f"Metadata/plate_{plate}.json": Wanted(MAX_PLATE_JSON),
        f"Metadata/top_{plate}.png": Wanted(MAX_TOP_VIEW),
    }


def cover_members(plate: int) -> dict[str, Wanted]:
    """What ``plate_cover(.., plate)`` reads of a project."""
    return {f"Metadata/plate_{plate}.png": Wanted(MAX_COVER)}


@dataclass(frozen=True, slots=True)
class PlateFilament:
    """One filament a plate uses."""

    id: int | None  # the project's filament number (1-based)
    type: str
    color: str  # "#RRGGBB" as the slicer wrote it
    used_grams: float | None
    used_meters: float | None = None


@dataclass(frozen=True, slots=True)
class PlateInfo:
    """What the slicer says about one plate; None where it says nothing."""

    index: int
    prediction_seconds: int | None
    weight_grams: float | None
    filaments: tuple[PlateFilament, ...]
    total_layers: int | None
    cover_png: bytes | None = field(default=None, repr=False)
    objects: PlateObjects | None = field(default=None, repr=False)  # skip cards

    @property
    def length_meters(self) -> float | None:
        """The filament length of the whole plate; None when no filament says."""
        lengths = [f.used_meters for f in self.filaments if f.used_meters is not None]
        return sum(lengths) if lengths else None


def plates(data: ProjectData) -> list[int]:
    """The numbers of the sliced plates in a project, ascending.

    Raises InvalidProjectFile when ``data`` is not a project.
    """
    with _malformed(), _open(data) as archive:
        return sorted(_plate_numbers(archive))


def plate_cover(data: ProjectData, plate: int) -> bytes | None:
    """The cover picture of plate ``plate``; None when the project has none.

    Raises InvalidProjectFile when ``data`` is not a project.
    """
    with _malformed(), _open(data) as archive:
        name = f"Metadata/plate_{plate}.png"
        return _cover(archive, name, set(archive.namelist()))


def read_plate(data: ProjectData, plate: int = 1) -> PlateInfo:
    """Read plate ``plate`` of a project.

    Raises InvalidProjectFile when ``data`` is not a project or has no such
    sliced plate.
    """
    with _malformed(), _open(data) as archive:
        infos = _slice_info(archive)
        names = set(archive.namelist())
        gcode = f"Metadata/plate_{plate}.gcode"
        if plate not in infos and gcode not in names:
            raise InvalidProjectFile(f"the project has no sliced plate {plate}")
        element = infos.get(plate)
        metadata = _metadata(element)
        return PlateInfo(
            index=plate,
            prediction_seconds=as_int(metadata.get("prediction"), low=0),
            weight_grams=as_float(metadata.get("weight"), low=0),
            filaments=_filaments(element),
            total_layers=_layers(archive, gcode) if gcode in names else None,
            cover_png=_cover(archive, f"Metadata/plate_{plate}.png", names),
            objects=read_objects(
                element, plate, names, lambda name, limit: _read(archive, name, limit)
            ),
        )


@contextlib.contextmanager
def _malformed() -> Iterator[None]:
    """Turn whatever a malformed file breaks into InvalidProjectFile.

    zipfile and the parsers fail in many undocumented ways on bad input
    (NotImplementedError for an unknown compression, ValueError for a
    number of thousands of digits, struct.error, EOFError, ...): every one
    means the file is not a project this integration can use.
    """
    try:
        yield
    except InvalidProjectFile:
        raise
    except MemoryError:
        raise
    except Exception as err:
        raise InvalidProjectFile(
            f"cannot read it ({type(err).__name__}: {str(err)[:200]})"
        ) from err


def _open(data: ProjectData) -> contextlib.AbstractContextManager[_Archive]:
    if isinstance(data, ProjectMembers):
        return contextlib.nullcontext(data)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as err:
        raise InvalidProjectFile("not a zip archive") from err


def _plate_numbers(archive: _Archive) -> set[int]:
    numbers = set(_slice_info(archive))
    for name in archive.namelist():
        match = _GCODE.fullmatch(name)
        if match:
            numbers.add(int(match[1]))
    return numbers


def _slice_info(archive: _Archive) -> dict[int, ET.Element]:
    """The ``<plate>`` elements by index; empty for an unsliced project."""
    if SLICE_INFO not in archive.namelist():
        return {}
    text = _read(archive, SLICE_INFO, MAX_SLICE_INFO)
    # Bambu Studio writes no DTD; refusing one shuts out entity expansion.
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise InvalidProjectFile("slice_info.config declares a DTD")
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DTD, checked above
    except ET.ParseError as err:
        raise InvalidProjectFile(f"slice_info.config is not XML: {err}") from err
    plates: dict[int, ET.Element] = {}
    for element in root.iter("plate"):
        index = as_int(_metadata(element).get("index"))
        if index is not None:
            plates.setdefault(index, element)
    return plates


def _metadata(element: ET.Element | None) -> dict[str, str]:
    if element is None:
        return {}
    return {
        item.get("key", ""): item.get("value", "")
        for item in element.findall("metadata")
    }


def _filaments(element: ET.Element | None) -> tuple[PlateFilament, ...]:
    if element is None:
        return ()
    return tuple(
        PlateFilament(
            id=as_int(item.get("id")),
            type=item.get("type", ""),
            color=item.get("color", ""),
            used_grams=as_float(item.get("used_g"), low=0),
            used_meters=as_float(item.get("used_m"), low=0),
        )
        for item in element.findall("filament")
    )


def _layers(archive: _Archive, name: str) -> int | None:
    """The layer count from the G-code header, reading only its start."""
    head = _read(archive, name, GCODE_HEADER_BYTES, whole=False)
    head = head.split(_HEADER_END, 1)[0]
    match = _LAYERS.search(head)
    return int(match[1]) if match else None


def _cover(archive: _Archive, name: str, names: set[str]) -> bytes | None:
    if name not in names:
        return None
    return _read(archive, name, MAX_COVER)


def _read(archive: _Archive, name: str, limit: int, *, whole: bool = True) -> bytes:
    """At most ``limit`` bytes of a member; ``whole``: more is an error.

    Reads through the decompressor, so a member lying about its size (a zip
    bomb) costs no more than ``limit``.
    """
    if isinstance(archive, ProjectMembers):
        data = archive.data.get(name)
        if data is None:  # a reader asked for a member it did not fetch
            raise InvalidProjectFile(f"{name} was not read")
        if whole and len(data) > limit:
            raise InvalidProjectFile(f"{name} is too large")
        return data[:limit]
    try:
        with archive.open(name) as stream:
            data = stream.read(limit + 1 if whole else limit)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as err:
        # A corrupt, encrypted or oddly compressed member.
        raise InvalidProjectFile(f"cannot read {name}: {err}") from err
    if len(data) > limit:
        raise InvalidProjectFile(f"{name} is too large")
    return data
