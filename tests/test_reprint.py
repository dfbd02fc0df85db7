"""Actions on stored files: print_stored_file (filaments checked) and delete_stored_file.

The printer's storage is the simulator's FTPS server over loopback TLS; the
MQTT side is the fake link (what was published is checked). The p1p-ams
capture has PLA in all four AMS trays and on the external spool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.bambu_cloud.aiobambulab.threemf import (
    GCODE_HEADER_BYTES,
    plate_members,
)
from custom_components.bambu_cloud.const import (
    DOMAIN,
)
from simulator.ftps import FtpsServer
from simulator.threemf import Filament, make_3mf
from simulator.tls import SimulatorPki, generate_pki
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink
from tests.storage_helpers import setup_storage_printer, storage_server
from tests.test_services import call, device_id
from tests.zip_helpers import damage_directory, large_project, wanted_size

PLA: Filament = ("PLA", "#00AE42", 5.0)
PETG: Filament = ("PETG", "#FFFFFF", 3.0)

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_link")


@pytest.fixture(autouse=True)
def _sensor_platform_only() -> Iterator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return generate_pki(tmp_path_factory.mktemp("reprint-pki"), [LAN_SERIAL])


@pytest.fixture
async def server(pki: SimulatorPki, tmp_path: Path) -> AsyncIterator[FtpsServer]:
    async with storage_server(pki, tmp_path / "sd") as server:
        yield server


def store(server: FtpsServer, path: str, filaments: list[Filament]) -> None:
    (server.root / path).write_bytes(
        make_3mf(
            name="cube",
            plates=2,
            layers=20,
            prediction_seconds=600,
            weight_grams=8.0,
            filaments=filaments,
        )
    )


async def _printer(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> tuple[MockConfigEntry, str, FakeLink]:
    entry, link = await setup_storage_printer(hass, pki, server.port, "p1p-ams")
    return entry, device_id(hass, LAN_SERIAL), link


async def _refused(hass: HomeAssistant, data: dict[str, Any]) -> ServiceValidationError:
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "print_stored_file", data)
    return caught.value


async def test_a_matching_stored_project_prints_without_upload(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    store(server, "cache/cube.gcode.3mf", [PLA, PLA])
    _entry, printer, link = await _printer(hass, pki, server)

    response = await call(
        hass,
        "print_stored_file",
        {
            "device_id": printer,
            "path": "/cache/cube.gcode.3mf",
            "plate": 2,
            "ams_mapping": ["A3", "A1"],
            "timelapse": True,
        },
        response=True,
    )

    assert response == {"file": "/cache/cube.gcode.3mf", "plate": 2}
    (payload,) = link.commands("project_file")
    assert payload["url"] == "file:///sdcard/cache/cube.gcode.3mf"
    assert payload["param"] == "Metadata/plate_2.gcode"
    assert payload["ams_mapping"] == [2, 0]
    assert payload["timelapse"] is True
    assert payload["subtask_name"] == "cube"
    assert not [c for c in server.commands if c.startswith("STOR")]  # no upload


async def test_a_mismatching_filament_is_named_and_nothing_prints(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    store(server, "cache/cube.gcode.3mf", [PLA, PETG])
    _entry, printer, link = await _printer(hass, pki, server)

    error = await _refused(
        hass,
        {
            "device_id": printer,
            "path": "cache/cube.gcode.3mf",
            "ams_mapping": ["A1", "A2"],
        },
    )
    assert error.translation_key == "filament_mismatch"
    assert error.translation_placeholders == {
        "file": "/cache/cube.gcode.3mf",
        "name": "Garage",
        "mismatches": "2 PETG → A2: PLA",
    }
    # Without a mapping and without the AMS, both come from the external spool.
    error = await _refused(
        hass, {"device_id": printer, "path": "/cache/cube.gcode.3mf"}
    )
    assert error.translation_placeholders["mismatches"] == "2 PETG → external: PLA"
    assert link.commands("project_file") == []


async def test_a_media_browser_id_names_the_file(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    (server.root / "models").mkdir()
    store(server, "models/box.gcode.3mf", [PLA])
    entry, printer, link = await _printer(hass, pki, server)
    media_id = (
        f"media-source://{DOMAIN}/{entry.entry_id}/{LAN_SERIAL}/models/box.gcode.3mf"
    )

    await call(hass, "print_stored_file", {"device_id": printer, "path": media_id})
    (payload,) = link.commands("project_file")
    assert payload["url"] == "file:///sdcard/models/box.gcode.3mf"

    other = media_id.replace(LAN_SERIAL, "01P00A000000002")
    error = await _refused(hass, {"device_id": printer, "path": other})
    assert error.translation_key == "stored_file_elsewhere"


async def test_a_missing_or_wrong_file_is_refused(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    store(server, "cache/cube.gcode.3mf", [PLA])
    _entry, printer, link = await _printer(hass, pki, server)

    error = await _refused(hass, {"device_id": printer, "path": "/cache/gone.3mf"})
    assert error.translation_key == "stored_file_not_found"
    assert error.translation_placeholders == {
        "file": "/cache/gone.3mf",
        "name": "Garage",
    }
    error = await _refused(
        hass, {"device_id": printer, "path": "/cache/cube.gcode.3mf", "plate": 3}
    )
    assert error.translation_key == "plate_not_in_file"
    error = await _refused(hass, {"device_id": printer, "path": "/timelapse/a.mp4"})
    assert error.translation_key == "not_a_project_file"
    error = await _refused(hass, {"device_id": printer, "path": "/../etc/x.3mf"})
    assert error.translation_key == "stored_file_not_found"
    assert link.commands("project_file") == []


async def test_a_large_stored_project_is_checked_from_a_fraction_of_it(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    """A 16 MiB project: its plate and filaments cross the network, not the file."""
    project = large_project(
        make_3mf(
            name="cube",
            plates=2,
            layers=20,
            prediction_seconds=600,
            weight_grams=8.0,
            filaments=[PLA, PETG],
        ),
        mib=16,
    )
    (server.root / "cache" / "cube.gcode.3mf").write_bytes(project)
    _entry, printer, link = await _printer(hass, pki, server)

    error = await _refused(
        hass,
        {"device_id": printer, "path": "/cache/cube.gcode.3mf", "plate": 2},
    )

    assert error.translation_key == "filament_mismatch"
    assert error.translation_placeholders["mismatches"] == "2 PETG → external: PLA"
    budget = 0.05 * len(project) + wanted_size(
        project, set(plate_members(2)), GCODE_HEADER_BYTES
    )
    wire = await server.wire()
    assert wire < budget, (wire, budget)
    assert link.commands("project_file") == []


async def test_a_damaged_stored_project_is_refused_clearly(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    store(server, "cache/cube.gcode.3mf", [PLA])
    stored = server.root / "cache" / "cube.gcode.3mf"
    stored.write_bytes(damage_directory(stored.read_bytes()))
    damaged = stored.read_bytes()
    _entry, printer, link = await _printer(hass, pki, server)

    error = await _refused(
        hass, {"device_id": printer, "path": "/cache/cube.gcode.3mf"}
    )

    assert error.translation_key == "invalid_project_file"
    assert "central directory" in error.translation_placeholders["reason"]
    assert stored.read_bytes() == damaged  # nothing lost
    assert link.commands("project_file") == []


# --- delete_stored_file -------------------------------------------------------


async def test_an_admin_deletes_a_timelapse_with_its_thumbnail(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    video = server.root / "timelapse" / "video_1.mp4"
    thumbnail = server.root / "timelapse" / "thumbnail" / "video_1.jpg"
    thumbnail.parent.mkdir()
    video.write_bytes(b"video")
    thumbnail.write_bytes(b"jpeg")
    (server.root / "timelapse" / "video_2.mp4").write_bytes(b"kept")
    entry, printer, _link = await _printer(hass, pki, server)
    data = {
        "device_id": printer,
        "path": f"media-source://{DOMAIN}/{entry.entry_id}/{LAN_SERIAL}/timelapse/video_1.mp4",
    }

    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "delete_stored_file",
            data,
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert video.exists()

    await hass.services.async_call(
        DOMAIN,
        "delete_stored_file",
        data,
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert not video.exists()
    assert not thumbnail.exists()
    assert (server.root / "timelapse" / "video_2.mp4").exists()

    # Gone now; the printer's own files are not the action's to delete.
    error = await _refused_action(hass, "delete_stored_file", data)
    assert error.translation_key == "stored_file_not_found"
    (server.root / "verify_job").write_bytes(b"printer's")
    error = await _refused_action(
        hass, "delete_stored_file", {"device_id": printer, "path": "/verify_job"}
    )
    assert error.translation_key == "stored_file_not_deletable"
    assert (server.root / "verify_job").exists()


async def _refused_action(
    hass: HomeAssistant, action: str, data: dict[str, Any]
) -> ServiceValidationError:
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, action, data)
    return caught.value
