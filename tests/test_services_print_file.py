"""print_file with the fake link and a fake FTPS client: checks, upload, start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
import io
from pathlib import Path
import random
from typing import Any, ClassVar
from unittest.mock import patch
import zipfile

from homeassistant.components.media_source import PlayMedia
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bambu_cloud import print_file
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
)
from custom_components.bambu_cloud.const import DOMAIN
from simulator.threemf import make_3mf
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.test_services import body, call, device_id

NAME = "cube.gcode.3mf"
CHUNK = 64 * 1024


@pytest.fixture(autouse=True)
def _sensor_platform_only() -> Iterator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        yield


@dataclass
class Upload:
    host: str
    access_code: str
    port: int
    path: str
    data: bytes


class FakeFiles:
    """Stands in for PrinterFiles: records uploads, reports chunk progress."""

    uploads: ClassVar[list[Upload]] = []
    failure: ClassVar[Exception | None] = None

    def __init__(
        self,
        host: str,
        access_code: str,
        *,
        port: int,
        ssl_context: Any,
        serial: str,
    ) -> None:
        self.host, self.access_code, self.port = host, access_code, port
        assert ssl_context is not None
        assert serial == LAN_SERIAL  # the certificate must name this printer

    async def upload(
        self,
        remote_path: str,
        data: bytes,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if FakeFiles.failure is not None:
            raise FakeFiles.failure
        for start in range(0, len(data), CHUNK):
            if progress is not None:
                progress(min(start + CHUNK, len(data)), len(data))
        FakeFiles.uploads.append(
            Upload(self.host, self.access_code, self.port, remote_path, data)
        )


@pytest.fixture(autouse=True)
def fake_files() -> Iterator[type[FakeFiles]]:
    FakeFiles.uploads = []
    FakeFiles.failure = None
    with patch.object(print_file, "PrinterFiles", FakeFiles):
        yield FakeFiles


@pytest.fixture
def prints(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder Home Assistant may read."""
    folder = tmp_path / "prints"
    folder.mkdir()
    hass.config.allowlist_external_dirs = {str(folder)}
    return folder


def project(*, plates: int = 2, filaments: int = 2, padding: int = 0) -> bytes:
    """A sliced project; ``padding`` random bytes make it large (incompressible)."""
    cover = random.Random(5).randbytes(padding) if padding else None
    return make_3mf(
        name="cube",
        plates=plates,
        layers=[20 + 10 * n for n in range(plates)],
        prediction_seconds=600,
        weight_grams=12.5,
        filaments=[("PLA", "#00AE42", 5.0), ("PETG", "#FFFFFF", 3.0)][:filaments],
        cover_png=cover,
    )


async def _printer(hass: HomeAssistant) -> tuple[str, FakeLink]:
    _entry, link = await setup_capture(hass, "p1p-ams")
    return device_id(hass, LAN_SERIAL), link


async def test_upload_then_print_with_progress_and_response(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, link = await _printer(hass)
    data = project(padding=CHUNK * 15)
    (prints / NAME).write_bytes(data)
    progress = async_capture_events(hass, print_file.EVENT_UPLOAD_PROGRESS)

    response = await call(
        hass,
        "print_file",
        {
            "device_id": printer,
            "file": str(prints / NAME),
            "plate": 2,
            "ams_mapping": ["a2", "external"],
            "timelapse": True,
            "flow_calibration": True,
        },
        response=True,
    )

    assert response == {"file": NAME, "size": len(data), "plate": 2}
    (upload,) = FakeFiles.uploads
    assert (upload.host, upload.access_code, upload.port) == (
        "192.0.2.10",
        "12345678",
        990,
    )
    assert (upload.path, upload.data) == (f"/{NAME}", data)
    (payload,) = [p for _s, p in link.published if "print" in p]
    assert body(payload) == {
        "command": "project_file",
        "param": "Metadata/plate_2.gcode",
        "url": f"file:///sdcard/{NAME}",
        "subtask_name": "cube",
        "bed_type": "auto",
        "timelapse": True,
        "bed_leveling": True,
        "flow_cali": True,
        "vibration_cali": False,
        "layer_inspect": False,
        "use_ams": True,
        "profile_id": "0",
        "project_id": "0",
        "subtask_id": "0",
        "task_id": "0",
        "ams_mapping": [1, 254],
    }
    # Every 10 % once, from the start to the end.
    assert [event.data["percent"] for event in progress] == list(range(0, 101, 10))
    assert {event.data["device_id"] for event in progress} == {printer}
    assert {event.data["file"] for event in progress} == {NAME}
    assert progress[-1].data["sent"] == progress[-1].data["total"] == len(data)


async def test_defaults_without_mapping(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    prints: Path,
    tmp_path: Path,
) -> None:
    """A relative path starts in the configuration folder; no mapping, no AMS."""
    printer, link = await _printer(hass)
    hass.config.config_dir = str(tmp_path)
    (prints / "Big Box.3mf").write_bytes(project(plates=1))
    result = await call(
        hass,
        "print_file",
        {"device_id": printer, "file": "prints/Big Box.3mf", "job_name": "Box"},
    )
    assert result is None
    (payload,) = link.commands("project_file")
    assert payload["param"] == "Metadata/plate_1.gcode"
    # Stored without the space: the URL reads the same, decoded or not.
    assert payload["url"] == "file:///sdcard/Big_Box.3mf"
    assert FakeFiles.uploads[-1].path == "/Big_Box.3mf"
    assert payload["subtask_name"] == "Box"
    assert payload["use_ams"] is False
    assert payload["bed_leveling"] is True
    assert "ams_mapping" not in payload


async def test_media_source_file(
    hass: HomeAssistant, fake_link: type[FakeLink], tmp_path: Path
) -> None:
    media = tmp_path / "media"
    (media / "prints").mkdir(parents=True)
    (media / "prints" / NAME).write_bytes(project())
    hass.config.media_dirs = {"local": str(media)}
    hass.config.allowlist_external_dirs = {str(media)}
    assert await async_setup_component(hass, "media_source", {})
    printer, link = await _printer(hass)
    await call(
        hass,
        "print_file",
        {
            "device_id": printer,
            "file": f"media-source://media_source/local/prints/{NAME}",
        },
    )
    assert FakeFiles.uploads[0].path == f"/{NAME}"
    assert link.commands("project_file")


async def test_media_source_failures(
    hass: HomeAssistant, fake_link: type[FakeLink], tmp_path: Path
) -> None:
    hass.config.media_dirs = {"local": str(tmp_path)}
    assert await async_setup_component(hass, "media_source", {})
    printer, link = await _printer(hass)
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "print_file",
            {"device_id": printer, "file": "media-source://media_source/nowhere/a.3mf"},
        )
    assert caught.value.translation_key == "media_not_found"
    remote = "media-source://camera/a.3mf"
    with (
        patch.object(
            print_file.media_source,
            "async_resolve_media",
            return_value=PlayMedia("https://example.com/a.3mf", "model/3mf"),
        ),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await call(hass, "print_file", {"device_id": printer, "file": remote})
    assert caught.value.translation_key == "media_not_local"
    assert caught.value.translation_placeholders == {"file": remote}
    assert FakeFiles.uploads == []
    assert link.commands("project_file") == []


def _plate_of_many_digits() -> bytes:
    """A zip whose plate number has more digits than int() takes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"Metadata/plate_{'9' * 4400}.gcode", "G28\n")
    return buffer.getvalue()


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("make", "extra", "key", "placeholders"),
    [
        pytest.param(
            lambda folder: str(folder.parent / NAME),
            {},
            "path_not_allowed",
            None,
            id="outside_the_allowlist",
        ),
        pytest.param(
            lambda folder: "/etc/passwd.3mf",
            {},
            "path_not_allowed",
            {"file": "/etc/passwd.3mf"},
            id="forbidden_path_does_not_tell_whether_it_exists",
        ),
        pytest.param(
            lambda folder: str(folder / "missing.3mf"),
            {},
            "file_not_found",
            None,
            id="missing",
        ),
        pytest.param(
            lambda folder: _folder(folder / "folder.3mf"),
            {},
            "file_not_found",
            None,
            id="a_folder",
        ),
        pytest.param(
            lambda folder: _write(folder, "cube.gcode", b"G28\n"),
            {},
            "not_a_project_file",
            None,
            id="wrong_extension",
        ),
        pytest.param(
            lambda folder: _write(folder, "text.3mf", b"not a zip"),
            {},
            "invalid_project_file",
            None,
            id="not_a_zip",
        ),
        pytest.param(
            lambda folder: _write(folder, "digits.3mf", _plate_of_many_digits()),
            {},
            "invalid_project_file",
            None,
            id="malformed_beyond_the_zip",  # issue 14, point 15
        ),
        pytest.param(
            lambda folder: _write(folder, "model.3mf", _unsliced()),
            {},
            "project_not_sliced",
            None,
            id="not_sliced",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"plate": 9},
            "plate_not_in_file",
            None,
            id="plate_9",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": ["Z9"]},
            "invalid_tray_label",
            {"value": "Z9"},
            id="not_a_tray_label",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": "A1, B1"},
            "unknown_target",
            {"what": "tray", "value": "B1"},
            id="tray_of_a_missing_ams_unit",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": [0, 128]},
            "unknown_target",
            {"what": "ams", "value": "128"},
            id="missing_ams_ht",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": [0, 99]},
            "unknown_target",
            {"what": "tray", "value": "99"},
            id="not_a_tray_number",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": ["A1"]},
            "ams_mapping_incomplete",
            {"filament": "2", "plate": "1"},
            id="filament_2_unmapped",
        ),
        pytest.param(
            lambda folder: _write(folder, NAME, project()),
            {"ams_mapping": ["A1", "-1"]},
            "ams_mapping_incomplete",
            {"filament": "2", "plate": "1"},
            id="filament_2_mapped_to_nothing",
        ),
        pytest.param(
            lambda folder: _write(folder, "bad\\name.3mf", project()),
            {},
            "invalid_command",
            None,
            id="name_the_printer_cannot_take",
        ),
    ],
)
async def test_nothing_is_uploaded_or_sent_when_invalid(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    prints: Path,
    make: Callable[[Path], str],
    extra: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    printer, link = await _printer(hass)
    sent = len(link.published)
    path = make(prints)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path, **extra})
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    if placeholders is not None:
        assert caught.value.translation_placeholders == placeholders
    assert FakeFiles.uploads == []
    assert link.published[sent:] == []


def _folder(path: Path) -> str:
    path.mkdir()
    return str(path)


def _unsliced() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("3D/3dmodel.model", "<model/>")
    return buffer.getvalue()


async def test_plate_not_in_file_lists_the_plates(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, _link = await _printer(hass)
    path = _write(prints, NAME, project(plates=3))
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path, "plate": 4})
    assert caught.value.translation_placeholders == {
        "file": path,
        "plate": "4",
        "plates": "1, 2, 3",
    }


async def test_too_large(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, _link = await _printer(hass)
    path = _write(prints, NAME, project(padding=CHUNK * 20))
    with (
        patch.object(print_file, "MAX_PROJECT_BYTES", 1 << 20),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "file_too_large"
    assert caught.value.translation_placeholders == {"file": path, "limit": "1"}
    assert FakeFiles.uploads == []


async def test_unreadable_file(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, _link = await _printer(hass)
    path = _write(prints, NAME, project())
    with (
        patch.object(Path, "read_bytes", side_effect=PermissionError("denied")),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "file_not_found"


async def test_no_local_connection(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    entry, link = await setup_capture(hass, "p1p-ams")
    printer = device_id(hass, LAN_SERIAL)
    path = _write(prints, NAME, project())
    with (
        patch.object(entry.runtime_data.printers[LAN_SERIAL], "local_access", None),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "no_local_access"
    assert caught.value.translation_placeholders == {"name": "p1p-ams printer"}
    assert FakeFiles.uploads == []
    assert link.commands("project_file") == []


@pytest.mark.parametrize("state", ["PREPARE", "RUNNING", "PAUSE"])
async def test_not_while_a_job_is_on(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path, state: str
) -> None:
    printer, link = await _printer(hass)
    link.deliver(
        LAN_SERIAL, {"print": {"command": "push_status", "gcode_state": state}}
    )
    path = _write(prints, NAME, project())
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "printer_busy"
    assert FakeFiles.uploads == []


async def test_upload_failure_starts_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, link = await _printer(hass)
    path = _write(prints, NAME, project())
    FakeFiles.failure = ConnectError(
        ConnectionFailure.CREDENTIALS, "530 Login incorrect"
    )
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "upload_failed"
    assert caught.value.translation_placeholders == {
        "name": "p1p-ams printer",
        "file": NAME,
        "error": "530 Login incorrect",
    }
    assert link.commands("project_file") == []


async def test_printer_refuses_the_job(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    printer, _link = await _printer(hass)
    path = _write(prints, NAME, project())
    fake_link.reply = lambda _serial, _payload: CommandRefused("file not found", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "command_refused"
    assert caught.value.translation_placeholders == {
        "name": "p1p-ams printer",
        "reason": "file not found",
    }
    assert len(FakeFiles.uploads) == 1


async def test_a_late_answer_says_how_long_the_printer_had(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    """The printer opens the project before it answers: 30 s, not 10."""
    printer, _link = await _printer(hass)
    path = _write(prints, NAME, project())
    fake_link.reply = lambda _serial, _payload: CommandTimeout("no answer")
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "print_file", {"device_id": printer, "file": path})
    assert caught.value.translation_key == "command_timeout"
    assert caught.value.translation_placeholders == {
        "name": "p1p-ams printer",
        "seconds": "30",
    }
    assert len(FakeFiles.uploads) == 1


async def test_file_names_the_print_url_could_not_carry(
    hass: HomeAssistant, fake_link: type[FakeLink], prints: Path
) -> None:
    """Issue 14, point 18: "#", "?", "%" and spaces would change the URL.

    The project is stored under a name without them; the job keeps the name
    of the user's file.
    """
    printer, link = await _printer(hass)
    name = "Part #2 v?50% .gcode.3mf"
    (prints / name).write_bytes(project(plates=1))
    result = await call(
        hass,
        "print_file",
        {"device_id": printer, "file": str(prints / name)},
        response=True,
    )
    safe = "Part__2_v_50__.gcode.3mf"
    assert result == {"file": safe, "size": len(project(plates=1)), "plate": 1}
    assert FakeFiles.uploads[-1].path == f"/{safe}"
    (payload,) = link.commands("project_file")
    assert payload["url"] == f"file:///sdcard/{safe}"
    assert payload["subtask_name"] == "Part #2 v?50% "
