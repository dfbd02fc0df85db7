"""Reading plates of sliced .3mf projects, made by the simulator's builder."""

from __future__ import annotations

from collections.abc import Callable
import io
import xml.etree.ElementTree as ET
import zipfile

from PIL import Image
import pytest

from custom_components.bambu_cloud.aiobambulab import threemf
from custom_components.bambu_cloud.aiobambulab.errors import InvalidCommand
from custom_components.bambu_cloud.aiobambulab.threemf import (
    InvalidProjectFile,
    PlateFilament,
    plates,
    read_plate,
)
from simulator.threemf import make_3mf

FILAMENTS = [("PLA", "#FFFFFF", 10.29), ("PETG", "#1F79E5", 2.5)]


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def slice_info(*plates_xml: str) -> str:
    return f'<?xml version="1.0"?><config>{"".join(plates_xml)}</config>'


def test_round_trip_of_one_plate() -> None:
    data = make_3mf(
        name="Cube",
        layers=120,
        prediction_seconds=4087,
        weight_grams=12.79,
        filaments=FILAMENTS,
    )

    assert plates(data) == [1]
    info = read_plate(data)
    assert info.index == 1
    assert info.prediction_seconds == 4087
    assert info.weight_grams == pytest.approx(12.79)
    assert info.total_layers == 120
    assert info.filaments == (
        PlateFilament(
            id=1, type="PLA", color="#FFFFFF", used_grams=10.29, used_meters=3.43
        ),
        PlateFilament(
            id=2, type="PETG", color="#1F79E5", used_grams=2.5, used_meters=0.83
        ),
    )
    assert info.length_meters == pytest.approx(4.26)
    assert info.cover_png is not None
    with Image.open(io.BytesIO(info.cover_png)) as cover:
        assert cover.format == "PNG"
        assert cover.size == (64, 64)


def test_several_plates_each_with_its_own_values() -> None:
    data = make_3mf(
        name="Set",
        plates=3,
        layers=[10, 20, 30],
        prediction_seconds=[100, 200, 300],
        weight_grams=[1.5, 2.5, 3.5],
        filaments=FILAMENTS[:1],
    )

    assert plates(data) == [1, 2, 3]
    infos = [read_plate(data, n) for n in (1, 2, 3)]
    assert [i.index for i in infos] == [1, 2, 3]
    assert [i.total_layers for i in infos] == [10, 20, 30]
    assert [i.prediction_seconds for i in infos] == [100, 200, 300]
    assert [i.weight_grams for i in infos] == [1.5, 2.5, 3.5]
    assert len({i.cover_png for i in infos}) == 3  # each plate its own picture


def test_given_cover_is_returned_as_is() -> None:
    cover = b"\x89PNG\r\n\x1a\nnot really"
    data = make_3mf(
        name="C",
        layers=1,
        prediction_seconds=1,
        weight_grams=1,
        filaments=[],
        cover_png=cover,
    )
    assert read_plate(data).cover_png == cover
    assert read_plate(data).filaments == ()


def test_builder_is_deterministic_and_writes_a_model() -> None:
    kwargs = {
        "name": "A & <B>",
        "layers": 5,
        "prediction_seconds": 60,
        "weight_grams": 1.0,
        "filaments": FILAMENTS,
    }
    data = make_3mf(**kwargs)  # type: ignore[arg-type]
    assert make_3mf(**kwargs) == data  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        model = ET.fromstring(archive.read("3D/3dmodel.model"))  # noqa: S314
        gcode = archive.read("Metadata/plate_1.gcode").decode()
    assert {"[Content_Types].xml", "_rels/.rels", "Metadata/slice_info.config"} <= names
    core = "{http://schemas.microsoft.com/3dmanufacturing/core/2015/02}"
    title = model.find(f"{core}metadata")
    assert title is not None
    assert title.text == "A & <B>"
    assert len(model.findall(f".//{core}triangle")) == 4
    assert "; total layer number: 5" in gcode


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"plates": 0}, "at least one plate"),
        ({"plates": 2, "layers": [1, 2, 3]}, "layers: 3 values for 2 plates"),
    ],
)
def test_builder_refuses_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "name": "x",
        "layers": 1,
        "prediction_seconds": 1,
        "weight_grams": 1.0,
        "filaments": [],
    }
    with pytest.raises(ValueError, match=message):
        make_3mf(**(arguments | kwargs))  # type: ignore[arg-type]


def test_missing_plate_is_refused() -> None:
    data = make_3mf(
        name="x", layers=1, prediction_seconds=1, weight_grams=1, filaments=[]
    )
    with pytest.raises(InvalidProjectFile, match="no sliced plate 2") as caught:
        read_plate(data, 2)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, InvalidCommand)
    assert caught.value.key == "invalid_project_file"
    assert caught.value.placeholders == {"reason": "the project has no sliced plate 2"}


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_non_zip_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidProjectFile, match="not a zip"):
        read_plate(data)
    with pytest.raises(InvalidProjectFile, match="not a zip"):
        plates(data)


def test_unsliced_project_has_no_plates() -> None:
    data = zip_of({"3D/3dmodel.model": "<model/>", "Metadata/plate_1.png": b"png"})
    assert plates(data) == []
    with pytest.raises(InvalidProjectFile):
        read_plate(data)


def test_gcode_without_slice_info_or_cover() -> None:
    data = zip_of(
        {
            "Metadata/plate_2.gcode": "; HEADER_BLOCK_START\n"
            "; total layer number: 42\n; HEADER_BLOCK_END\n"
        }
    )
    assert plates(data) == [2]
    info = read_plate(data, 2)
    assert info.total_layers == 42
    assert info.prediction_seconds is None
    assert info.weight_grams is None
    assert info.filaments == ()
    assert info.cover_png is None


def test_layer_count_only_from_the_header() -> None:
    data = zip_of(
        {
            "Metadata/plate_1.gcode": "; HEADER_BLOCK_START\n; HEADER_BLOCK_END\n"
            "; total layer number: 7\n"
        }
    )
    assert read_plate(data).total_layers is None


def test_slice_info_as_bambu_studio_writes_it() -> None:
    config = """<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header>
    <header_item key="X-BBL-Client-Type" value="slicer"/>
    <header_item key="X-BBL-Client-Version" value="02.00.01.50"/>
  </header>
  <plate>
    <metadata key="index" value="1"/>
    <metadata key="printer_model_id" value="C12"/>
    <metadata key="nozzle_diameters" value="0.4"/>
    <metadata key="prediction" value="2931"/>
    <metadata key="weight" value="8.61"/>
    <metadata key="outside" value="false"/>
    <object identify_id="80" name="Benchy" skipped="false" />
    <filament id="3" tray_info_idx="GFA00" type="PLA" color="#F2754E" used_m="2.89" used_g="8.61" />
    <warning msg="bed_temperature_too_high_than_filament" level="1" error_code ="1000C001"  />
  </plate>
</config>
"""
    data = zip_of({"Metadata/slice_info.config": config})
    assert plates(data) == [1]
    info = read_plate(data)
    assert info.prediction_seconds == 2931
    assert info.weight_grams == pytest.approx(8.61)
    assert info.filaments == (
        PlateFilament(
            id=3, type="PLA", color="#F2754E", used_grams=8.61, used_meters=2.89
        ),
    )
    assert info.length_meters == pytest.approx(2.89)
    assert info.total_layers is None


def test_odd_values_read_as_none() -> None:
    config = slice_info(
        '<plate><metadata key="index" value="1"/>'
        '<metadata key="prediction" value="soon"/>'
        '<metadata key="weight" value="nan"/>'
        '<filament type="PLA"/></plate>',
        '<plate><metadata key="prediction" value="5"/></plate>',  # no index
        '<plate><metadata key="index" value="1"/>'
        '<metadata key="prediction" value="9"/></plate>',  # duplicate: ignored
    )
    data = zip_of({"Metadata/slice_info.config": config})
    assert plates(data) == [1]
    info = read_plate(data)
    assert info.prediction_seconds is None
    assert info.weight_grams is None
    assert info.filaments == (
        PlateFilament(id=None, type="PLA", color="", used_grams=None),
    )
    assert info.length_meters is None  # no filament says how long it is


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>'
            "<config>&lol;</config>",
            "declares a DTD",
        ),
        ("<config><plate>", "not XML"),
    ],
)
def test_bad_slice_info_is_refused(config: str, message: str) -> None:
    data = zip_of({"Metadata/slice_info.config": config})
    with pytest.raises(InvalidProjectFile, match=message):
        read_plate(data)
    with pytest.raises(InvalidProjectFile, match=message):
        plates(data)


def test_oversized_members_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Compresses to almost nothing: the size counts, not the compressed size.
    big = slice_info('<plate><metadata key="index" value="1"/></plate>') + (
        " " * 100_000
    )
    monkeypatch.setattr(threemf, "MAX_SLICE_INFO", 50_000)
    with pytest.raises(InvalidProjectFile, match="too large"):
        plates(zip_of({"Metadata/slice_info.config": big}))

    monkeypatch.setattr(threemf, "MAX_COVER", 10)
    data = zip_of({"Metadata/plate_1.gcode": "", "Metadata/plate_1.png": b"x" * 11})
    with pytest.raises(InvalidProjectFile, match=r"plate_1\.png is too large"):
        read_plate(data)


def test_corrupt_member_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("Metadata/slice_info.config", slice_info())
    data = bytearray(buffer.getvalue())
    at = data.index(b"<config>")
    data[at + 1 : at + 2] = b"C"  # the CRC no longer matches
    with pytest.raises(InvalidProjectFile, match="cannot read"):
        plates(bytes(data))


# --- every malformed file is "not a valid project" (issue 14, point 15) -------------

DIGITS = "9" * 4400  # past int()'s 4300-digit limit for strings


def _corrupt_member(method: int) -> bytes:
    """A project whose slice info is compressed with ``method``, then garbled."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("Metadata/slice_info.config", slice_info() * 50)
    data = bytearray(buffer.getvalue())
    start = data.index(b"Metadata/slice_info.config") + len(
        "Metadata/slice_info.config"
    )
    for at in range(start + 10, start + 40):
        data[at] ^= 0x5A  # the compressed stream, past its header
    return bytes(data)


def _read_plate_1(data: bytes) -> object:
    return read_plate(data, 1)


MALFORMED = [
    pytest.param(
        zip_of({f"Metadata/plate_{DIGITS}.gcode": "G28"}),
        plates,
        id="plate_number_digits",
    ),
    pytest.param(
        zip_of(
            {
                "Metadata/plate_1.gcode": f"; total layer number: {DIGITS}\n",
                "Metadata/slice_info.config": slice_info(
                    '<plate><metadata key="index" value="1"/></plate>'
                ),
            }
        ),
        _read_plate_1,
        id="layer_count_digits",
    ),
    *(
        pytest.param(_corrupt_member(method), read, id=f"{name}_{read.__name__}")
        for method, name in ((zipfile.ZIP_LZMA, "lzma"), (zipfile.ZIP_BZIP2, "bzip2"))
        for read in (plates, _read_plate_1)
    ),
]


@pytest.mark.parametrize(("data", "read"), MALFORMED)
def test_malformed_files_are_invalid_projects(
    data: bytes, read: Callable[[bytes], object]
) -> None:
    with pytest.raises(InvalidProjectFile) as caught:
        read(data)
    assert caught.value.key == "invalid_project_file"
    assert caught.value.reason.startswith("cannot read")


def _members(data: bytes, plate: int) -> threemf.ProjectMembers:
    """What a ranged read gives: every name, the wanted members (G-code head only)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        wanted = threemf.plate_members(plate)
        return threemf.ProjectMembers(
            frozenset(archive.namelist()),
            {
                name: archive.read(name)[: want.limit]
                for name, want in wanted.items()
                if name in archive.namelist()
            },
        )


def test_the_members_a_plate_needs_read_as_the_whole_file() -> None:
    """``plate_members`` names everything ``read_plate`` reads: same result."""
    data = make_3mf(
        name="Cube",
        plates=3,
        layers=[10, 20, 30],
        prediction_seconds=60,
        weight_grams=[1.0, 2.0, 3.0],
        filaments=FILAMENTS,
        objects=[(5, "cube", (1.0, 2.0, 30.0, 40.0))],
    )

    for plate in (1, 2, 3):
        members = _members(data, plate)
        assert read_plate(members, plate) == read_plate(data, plate)
        assert plates(members) == [1, 2, 3]
        assert threemf.plate_cover(members, plate) == read_plate(data, plate).cover_png


def test_a_member_not_read_is_an_error_not_a_silent_gap() -> None:
    data = make_3mf(
        name="Cube", layers=10, prediction_seconds=60, weight_grams=1.0, filaments=[]
    )
    members = _members(data, 1)
    without_cover = threemf.ProjectMembers(
        members.names,
        {k: v for k, v in members.data.items() if not k.endswith("plate_1.png")},
    )

    with pytest.raises(InvalidProjectFile, match=r"plate_1\.png was not read"):
        read_plate(without_cover, 1)
