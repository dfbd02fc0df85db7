"""Make small Bambu-style ``.3mf`` projects for the tests and the demo.

A sliced Bambu Studio project is a zip (OPC package) holding the model
(``3D/3dmodel.model``) and, per plate, ``Metadata/plate_<n>.gcode``, the
cover picture ``Metadata/plate_<n>.png``, and one
``Metadata/slice_info.config`` describing every plate. The output is
deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

from PIL import Image, ImageDraw

_DATE = (2024, 1, 1, 0, 0, 0)  # fixed, so the bytes do not depend on the clock
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
 <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
 <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
 <Default Extension="png" ContentType="image/png"/>
 <Default Extension="gcode" ContentType="text/x.gcode"/>
 <Default Extension="config" ContentType="application/xml"/>
</Types>
"""
_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
 <Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>
</Relationships>
"""
_CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
# A tetrahedron: the smallest closed mesh.
_VERTICES = ((0, 0, 0), (10, 0, 0), (0, 10, 0), (0, 0, 10))
_TRIANGLES = ((0, 2, 1), (0, 1, 3), (0, 3, 2), (1, 2, 3))
_COVER_COLOURS = ("#00AE42", "#F2754E", "#1F79E5", "#FFC72C", "#9B59B6")

type Filament = tuple[str, str, float]  # type, "#RRGGBB", used grams
# An object on the plate: identify id, name, footprint (min x, min y, max x,
# max y in mm on the bed, origin front left).
type PlateItem = tuple[int, str, tuple[float, float, float, float]]
BED_MM = 256  # the bed the top view shows (X1, P1, A1)


def make_3mf(
    *,
    name: str,
    plates: int = 1,
    layers: int | Sequence[int],
    prediction_seconds: int | Sequence[int],
    weight_grams: float | Sequence[float],
    filaments: list[Filament],
    cover_png: bytes | None = None,
    objects: Sequence[PlateItem] = (),
) -> bytes:
    """Build a sliced project with ``plates`` plates.

    ``layers``, ``prediction_seconds`` and ``weight_grams`` apply to every
    plate, or give one value per plate as a sequence. Every plate uses
    ``filaments`` (ids 1, 2, ... in order). Without ``cover_png`` each plate
    gets a generated picture of its own colour. ``objects`` are on every
    plate: listed in the slice info, with footprints in ``plate_<n>.json`` and
    drawn in the top view ``top_<n>.png``, as Bambu Studio writes them.
    """
    if plates < 1:
        raise ValueError("a project has at least one plate")
    per_layers = _per_plate(layers, plates, "layers")
    per_prediction = _per_plate(prediction_seconds, plates, "prediction_seconds")
    per_weight = _per_plate(weight_grams, plates, "weight_grams")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "[Content_Types].xml", _CONTENT_TYPES.encode())
        _add(archive, "_rels/.rels", _RELS.encode())
        _add(archive, "3D/3dmodel.model", _model(name))
        for number in range(1, plates + 1):
            gcode = _gcode(
                name, number, per_layers[number - 1], per_prediction[number - 1]
            )
            _add(archive, f"Metadata/plate_{number}.gcode", gcode)
            _add(
                archive,
                f"Metadata/plate_{number}.png",
                cover_png if cover_png is not None else _cover(number),
            )
            if objects:
                _add(archive, f"Metadata/plate_{number}.json", _plate_json(objects))
                _add(archive, f"Metadata/top_{number}.png", _top_view(objects))
        _add(
            archive,
            "Metadata/slice_info.config",
            _slice_info(per_prediction, per_weight, filaments, objects),
        )
    return buffer.getvalue()


def _per_plate[T](value: T | Sequence[T], plates: int, what: str) -> list[T]:
    if not isinstance(value, Sequence):
        return [value] * plates
    if len(value) != plates:
        raise ValueError(f"{what}: {len(value)} values for {plates} plates")
    return list(value)


def _add(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
    info = zipfile.ZipInfo(path, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _model(name: str) -> bytes:
    ET.register_namespace("", _CORE)
    model = ET.Element(f"{{{_CORE}}}model", unit="millimeter")
    ET.SubElement(model, f"{{{_CORE}}}metadata", name="Title").text = name
    resources = ET.SubElement(model, f"{{{_CORE}}}resources")
    mesh = ET.SubElement(
        ET.SubElement(resources, f"{{{_CORE}}}object", id="1", type="model"),
        f"{{{_CORE}}}mesh",
    )
    vertices = ET.SubElement(mesh, f"{{{_CORE}}}vertices")
    for x, y, z in _VERTICES:
        ET.SubElement(vertices, f"{{{_CORE}}}vertex", x=str(x), y=str(y), z=str(z))
    triangles = ET.SubElement(mesh, f"{{{_CORE}}}triangles")
    for v1, v2, v3 in _TRIANGLES:
        ET.SubElement(
            triangles, f"{{{_CORE}}}triangle", v1=str(v1), v2=str(v2), v3=str(v3)
        )
    build = ET.SubElement(model, f"{{{_CORE}}}build")
    ET.SubElement(build, f"{{{_CORE}}}item", objectid="1")
    return ET.tostring(model, encoding="UTF-8", xml_declaration=True)


def _gcode(name: str, plate: int, layers: int, seconds: int) -> bytes:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    lines = [
        "; HEADER_BLOCK_START",
        f"; generated by the Bambu simulator for {name}, plate {plate}",
        f"; model printing time: {hours}h {minutes}m {secs}s; "
        f"total estimated time: {hours}h {minutes}m {secs}s",
        f"; total layer number: {layers}",
        "; HEADER_BLOCK_END",
        "",
        "; EXECUTABLE_BLOCK_START",
        f"M73 P0 R{seconds // 60}",
        "G28",
        "G1 Z0.2 F600",
        "M73 P100 R0",
        "; EXECUTABLE_BLOCK_END",
        "",
    ]
    return "\n".join(lines).encode()


def _cover(plate: int) -> bytes:
    colour = _COVER_COLOURS[(plate - 1) % len(_COVER_COLOURS)]
    image = Image.new("RGB", (64, 64), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 8 + 4 * plate, 56), fill="white")  # plates tell apart
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _plate_json(objects: Sequence[PlateItem]) -> bytes:
    boxes = [box for _id, _name, box in objects]
    return json.dumps(
        {
            "bbox_all": [
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            ],
            "bbox_objects": [
                {"id": object_id, "name": name, "bbox": list(box)}
                for object_id, name, box in objects
            ],
        }
    ).encode()


def _top_view(objects: Sequence[PlateItem]) -> bytes:
    """The bed from above, 1 px per mm, each object a filled footprint."""
    image = Image.new("RGB", (BED_MM, BED_MM), "#3A3A3A")
    draw = ImageDraw.Draw(image)
    for index, (_id, _name, (x0, y0, x1, y1)) in enumerate(objects):
        colour = _COVER_COLOURS[index % len(_COVER_COLOURS)]
        # Image rows grow downwards; the bed's y grows away from the front.
        draw.rectangle((x0, BED_MM - y1, x1, BED_MM - y0), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _slice_info(
    predictions: list[int],
    weights: list[float],
    filaments: list[Filament],
    objects: Sequence[PlateItem] = (),
) -> bytes:
    config = ET.Element("config")
    header = ET.SubElement(config, "header")
    ET.SubElement(header, "header_item", key="X-BBL-Client-Type", value="slicer")
    ET.SubElement(
        header, "header_item", key="X-BBL-Client-Version", value="01.09.00.00"
    )
    for number, (prediction, weight) in enumerate(
        zip(predictions, weights, strict=True), start=1
    ):
        plate = ET.SubElement(config, "plate")
        for key, value in (
            ("index", str(number)),
            ("prediction", str(prediction)),
            ("weight", f"{weight:.2f}"),
            ("outside", "false"),
            ("support_used", "false"),
        ):
            ET.SubElement(plate, "metadata", key=key, value=value)
        for slot, (kind, colour, grams) in enumerate(filaments, start=1):
            ET.SubElement(
                plate,
                "filament",
                id=str(slot),
                type=kind,
                color=colour,
                used_m=f"{grams / 3:.2f}",  # about 3 g per metre of 1.75 mm PLA
                used_g=f"{grams:.2f}",
            )
        for object_id, name, _box in objects:
            ET.SubElement(
                plate,
                "object",
                identify_id=str(object_id),
                name=name,
                skipped="false",
            )
    ET.indent(config)
    return ET.tostring(config, encoding="UTF-8", xml_declaration=True)


# --- reading, the way the printer's firmware does -------------------------
# The simulator's own reader on purpose (see the package docstring): it takes
# the layers and the time from the plate's G-code header, as firmware does,
# while the library reads slice_info.config, so the two check each other.
_GCODE_LAYERS = re.compile(rb";\s*total layer number:\s*(\d+)")
_GCODE_TIME = re.compile(
    rb"total estimated time:\s*(?:(\d+)d\s*)?(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+)s)?"
)
_GCODE_HEAD = 64 * 1024  # the header sits at the start of the file


def plate_timing(data: bytes, plate: int) -> tuple[int | None, int | None]:
    """The layer count and the estimated seconds of one plate's G-code.

    ValueError when the data is not a project or lacks the plate, which the
    firmware answers as an invalid request.
    """
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open(f"Metadata/plate_{plate}.gcode") as gcode,
        ):
            head = gcode.read(_GCODE_HEAD)
    except (zipfile.BadZipFile, KeyError, OSError) as err:
        raise ValueError(f"no sliced plate {plate}: {err}") from err
    layers = _GCODE_LAYERS.search(head)
    timing = _GCODE_TIME.search(head)
    seconds = None
    if timing and any(timing.groups()):
        days, hours, minutes, secs = (int(part or 0) for part in timing.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    return (int(layers[1]) if layers else None, seconds)
