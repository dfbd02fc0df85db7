"""The objects of a sliced plate: ids, names, footprints and the top view."""

from __future__ import annotations

import io
import json
import zipfile

from custom_components.bambu_cloud.aiobambulab.plate_objects import PlateObject
from custom_components.bambu_cloud.aiobambulab.threemf import read_plate
from simulator.threemf import make_3mf

OBJECTS = (
    (417, "Cube", (30.0, 30.0, 90.0, 90.0)),
    (532, "Benchy", (140.0, 110.0, 220.0, 190.0)),
)


def _project(**overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "name": "Parts",
        "plates": 2,
        "layers": 10,
        "prediction_seconds": 60,
        "weight_grams": 2.0,
        "filaments": [("PLA", "#00AE42", 2.0)],
        "objects": OBJECTS,
        **overrides,
    }
    return make_3mf(**arguments)  # type: ignore[arg-type]


def _rewrite(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The project with members replaced (None: removed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            if info.filename in replace:
                new = replace[info.filename]
                if new is not None:
                    target.writestr(info.filename, new)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def test_objects_of_a_plate_with_their_footprints_and_top_view() -> None:
    """Ids and names from the slice info, boxes from the plate JSON."""
    plate = read_plate(_project(), 2)
    assert plate.objects is not None
    assert plate.objects.objects == (
        PlateObject(417, "Cube", (30.0, 30.0, 90.0, 90.0)),
        PlateObject(532, "Benchy", (140.0, 110.0, 220.0, 190.0)),
    )
    assert plate.objects.top_png is not None
    assert plate.objects.top_png.startswith(b"\x89PNG")


def test_a_project_without_objects_has_none() -> None:
    """Older slicers write no objects: nothing to skip, no error."""
    plate = read_plate(_project(objects=()), 1)
    assert plate.objects is not None
    assert plate.objects.objects == ()
    assert plate.objects.top_png is None


def test_bad_footprints_are_left_out_not_fatal() -> None:
    """A broken or inverted box is no box; unparsable JSON leaves names only."""
    plate_json = {
        "bbox_objects": [
            {"id": 417, "name": "Cube", "bbox": [90, 30, 30, 90]},
            {"id": 532, "name": "Benchy", "bbox": ["x", 1, 2, 3]},
            {"id": -1, "name": "Negative", "bbox": [0, 0, 1, 1]},
            "not an object",
        ]
    }
    data = _rewrite(
        _project(plates=1),
        {"Metadata/plate_1.json": json.dumps(plate_json).encode()},
    )
    objects = read_plate(data, 1).objects
    assert objects is not None
    assert [(o.id, o.box) for o in objects.objects] == [(417, None), (532, None)]

    data = _rewrite(_project(plates=1), {"Metadata/plate_1.json": b"{not json"})
    objects = read_plate(data, 1).objects
    assert objects is not None
    assert [(o.id, o.name, o.box) for o in objects.objects] == [
        (417, "Cube", None),
        (532, "Benchy", None),
    ]


def test_the_plate_json_alone_names_the_objects() -> None:
    """Without objects in the slice info, the plate JSON's ids and names count."""
    project = _project(plates=1)
    with zipfile.ZipFile(io.BytesIO(project)) as archive:
        info = archive.read("Metadata/slice_info.config")
    stripped = b"\n".join(line for line in info.split(b"\n") if b"<object " not in line)
    objects = read_plate(
        _rewrite(project, {"Metadata/slice_info.config": stripped}), 1
    ).objects
    assert objects is not None
    assert [(o.id, o.name) for o in objects.objects] == [(417, "Cube"), (532, "Benchy")]
    assert objects.objects[0].box == (30.0, 30.0, 90.0, 90.0)
