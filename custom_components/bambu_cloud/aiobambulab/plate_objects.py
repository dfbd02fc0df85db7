"""The objects on a sliced plate: what a print can skip, and where each sits.

Bambu Studio writes, per plate of a sliced project:

- in ``Metadata/slice_info.config``, one ``<object identify_id=".." name=".."
  skipped="false"/>`` per object: the id the printer's ``skip_objects``
  command takes;
- ``Metadata/plate_<n>.json``: ``bbox_objects``, each object's footprint
  ``[min_x, min_y, max_x, max_y]`` in millimetres on the bed, with its ``id``
  (the same identify id) and ``name``;
- ``Metadata/top_<n>.png``: the plate seen from above.

Any of them may be missing (older slicers); what is there is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import json
import math
from typing import Any
import xml.etree.ElementTree as ET

from .values import as_int

MAX_PLATE_JSON = 4 * 1024 * 1024
MAX_TOP_VIEW = 8 * 1024 * 1024
MAX_OBJECTS = 1000  # a plate holds far fewer; bounds the work on odd files

type Box = tuple[float, float, float, float]  # min x, min y, max x, max y (mm)
type Reader = Callable[[str, int], bytes]  # member name, size limit -> bytes


@dataclass(frozen=True, slots=True)
class PlateObject:
    """One object of a plate."""

    id: int  # identify_id: what skip_objects takes
    name: str
    box: Box | None  # its footprint on the bed, when the project says


@dataclass(frozen=True, slots=True)
class PlateObjects:
    """The objects of a plate and its top view."""

    objects: tuple[PlateObject, ...]
    top_png: bytes | None = field(default=None, repr=False)


def read_objects(
    plate_element: ET.Element | None, plate: int, names: set[str], read: Reader
) -> PlateObjects:
    """The objects of plate ``plate`` from its slice info element and files.

    ``read`` reads a member of the archive within a size limit (and raises
    the project's error past it).
    """
    boxes = _boxes(plate, names, read)
    objects: list[PlateObject] = []
    seen: set[int] = set()
    elements = [] if plate_element is None else plate_element.findall("object")
    for element in elements[:MAX_OBJECTS]:
        object_id = as_int(element.get("identify_id"), low=0)
        if object_id is None or object_id in seen:
            continue
        seen.add(object_id)
        name = element.get("name", "")
        objects.append(PlateObject(object_id, name, boxes.get(object_id)))
    if not objects:  # no slice info objects: the plate JSON alone
        objects = [
            PlateObject(object_id, name, box)
            for object_id, (name, box) in _named_boxes(plate, names, read).items()
        ]
    top = f"Metadata/top_{plate}.png"
    return PlateObjects(
        tuple(objects),
        read(top, MAX_TOP_VIEW) if top in names else None,
    )


def _boxes(plate: int, names: set[str], read: Reader) -> dict[int, Box]:
    return {
        object_id: box
        for object_id, (_name, box) in _named_boxes(plate, names, read).items()
        if box is not None
    }


def _named_boxes(
    plate: int, names: set[str], read: Reader
) -> dict[int, tuple[str, Box | None]]:
    """Each object's name and footprint from ``plate_<n>.json``, by id."""
    member = f"Metadata/plate_{plate}.json"
    if member not in names:
        return {}
    try:
        data: Any = json.loads(read(member, MAX_PLATE_JSON))
    except ValueError:
        return {}
    entries = data.get("bbox_objects") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    found: dict[int, tuple[str, Box | None]] = {}
    for entry in entries[:MAX_OBJECTS]:
        if not isinstance(entry, dict):
            continue
        object_id = as_int(entry.get("id"), low=0)
        if object_id is None:
            continue
        name = entry.get("name")
        found[object_id] = (name if isinstance(name, str) else "", _box(entry))
    return found


def _box(entry: dict[str, Any]) -> Box | None:
    raw = entry.get("bbox")
    if not isinstance(raw, list) or len(raw) != 4:
        return None
    try:
        values = [float(v) for v in raw]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in values):
        return None
    min_x, min_y, max_x, max_y = values
    if max_x < min_x or max_y < min_y:
        return None
    return (min_x, min_y, max_x, max_y)
