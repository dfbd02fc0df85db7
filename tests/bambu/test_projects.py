"""Finding a job's project file on the simulated printer's storage (FTPS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
import os
from pathlib import Path

import pytest

from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.job_details import JobKey
from custom_components.bambu_cloud.aiobambulab.projects import find_project
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.ftps import FtpsServer
from simulator.tls import SimulatorPki

from .conftest import ACCESS_CODE, SERIAL

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _put(root: Path, path: str, modified: float) -> None:
    file = root / path.lstrip("/")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"PK")
    os.utime(file, (modified, modified))


@pytest.fixture
async def files(pki: SimulatorPki, tmp_path: Path) -> AsyncIterator[PrinterFiles]:
    """A connected client of the simulated printer's storage."""
    root = tmp_path / "sd"
    (root / "cache").mkdir(parents=True)
    _put(root, "/Cube.gcode.3mf", 1_700_000_000)
    _put(root, "/cache/Cube.3mf", 1_700_000_600)  # the newer print of the name
    _put(root, "/cache/Cube.gcode", 1_700_000_900)  # not a project file
    _put(root, "/Bracket.gcode.3mf", 1_700_000_000)
    (root / "Gear.3mf").mkdir()  # a directory named like a project
    leaf = pki.printers[SERIAL]
    async with (
        FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, root) as server,
        PrinterFiles(
            "127.0.0.1",
            ACCESS_CODE,
            port=server.port,
            ssl_context=local_ssl_context(pki.ca.cert_pem),
        ) as client,
    ):
        yield client


async def test_the_newest_file_of_the_job_name(files: PrinterFiles) -> None:
    """Root and cache are searched; the newest project of the name wins."""
    assert await find_project(files, JobKey("Cube", None, None, 1)) == (
        "/cache/Cube.3mf"
    )
    assert await find_project(files, JobKey("Bracket", None, None, 1)) == (
        "/Bracket.gcode.3mf"
    )


async def test_no_file_of_the_name(files: PrinterFiles) -> None:
    """A name with no project file (or only a directory of it) finds nothing."""
    assert await find_project(files, JobKey("Gear", None, None, 1)) is None
    assert await find_project(files, JobKey(None, None, "5", 1)) is None


async def test_a_reported_project_path_is_taken_as_it_is(
    files: PrinterFiles,
) -> None:
    """A job that names its .3mf needs no search."""
    key = JobKey("Cube", "file:///sdcard/cache/Other.gcode.3mf", None, 1)
    assert await find_project(files, key) == "/cache/Other.gcode.3mf"
