"""The current job's details: its .3mf on the printer (real FTPS) or its cloud task."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import io
import os
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch
import zipfile

from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud import job
from custom_components.bambu_cloud.aiobambulab.ams import EXTERNAL_AMS_ID, TrayRef
from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
    tray_usage,
)
from custom_components.bambu_cloud.aiobambulab.threemf import (
    GCODE_HEADER_BYTES,
    plate_members,
)
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.coordinator import PrinterCoordinator
from custom_components.bambu_cloud.job import JobTracker
from simulator.cloud import FakeCloud, Fault
from simulator.ftps import FtpsServer
from simulator.threemf import make_3mf
from simulator.tls import SimulatorPki, generate_pki
from simulator.world import cover_png
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    add_account,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink
from tests.zip_helpers import large_project, wanted_size

ACCESS_CODE = "12345678"
FILAMENTS = [("PLA", "#FFFFFF", 10.5), ("PETG", "#1F79E5", 3.0)]


@pytest.fixture(autouse=True)
def _fast() -> Iterator[None]:
    """No settling time and quick retries; only the job platforms."""
    with (
        patch.object(job, "SETTLE_SECONDS", 0),
        patch.object(job, "RETRY_SECONDS", (0.05, 0.05)),
        patch(
            "custom_components.bambu_cloud.PLATFORMS",
            [Platform.IMAGE, Platform.SENSOR],
        ),
    ):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA and the printer's certificate."""
    return generate_pki(tmp_path_factory.mktemp("job-pki"), [LAN_SERIAL])


@pytest.fixture
async def files(
    pki: SimulatorPki, tmp_path: Path, socket_enabled: None
) -> AsyncIterator[FtpsServer]:
    """The printer's SD card over implicit FTPS."""
    leaf = pki.printers[LAN_SERIAL]
    server = FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, tmp_path / "sd")
    async with server:
        yield server


def files_entry(pki: SimulatorPki, port: int) -> MockConfigEntry:
    """A LAN entry whose files are at ``port``, trusting the simulator CA."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Workshop",
        unique_id=LAN_SERIAL,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_HOST: "127.0.0.1",
            CONF_SERIAL: LAN_SERIAL,
            CONF_ACCESS_CODE: ACCESS_CODE,
            CONF_FTP_PORT: port,
            CONF_CA_CERT: pki.ca.cert_pem,
        },
    )


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


async def _until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not predicate():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, capture: str = "p1p-ams", **job: Any
) -> tuple[FakeLink, JobTracker]:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version(capture))
    report = pushall(capture)
    report["print"].update(job)
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    return link, entry.runtime_data.jobs[LAN_SERIAL]


def _retrievals(server: FtpsServer) -> list[str]:
    return [c for c in server.commands if c.startswith("RETR")]


# --- from the project file on the printer ------------------------------------------


@pytest.mark.usefixtures("fake_link")
async def test_project_file_details(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """Plate 2 of the newest file named like the job: weight, length, picture."""
    project = make_3mf(
        name="Cube",
        plates=2,
        layers=10,
        prediction_seconds=60,
        weight_grams=[5.0, 13.5],
        filaments=FILAMENTS,
    )
    older = files.root / "cache" / "Cube.3mf"
    older.write_bytes(b"an older upload")
    an_hour_ago = time.time() - 3600
    os.utime(older, (an_hour_ago, an_hour_ago))
    (files.root / "Cube.gcode.3mf").write_bytes(project)
    (files.root / "Other.3mf").write_bytes(b"not this one")

    _link, tracker = await _setup(
        hass,
        files_entry(pki, files.port),
        subtask_name="Cube",
        gcode_file="/data/Metadata/plate_2.gcode",
        gcode_state="RUNNING",
    )
    await _until(hass, lambda: tracker.details is not None)

    details = tracker.details
    assert details is not None
    assert details.source is JobSource.PRINTER
    assert details.key == JobKey("Cube", "/data/Metadata/plate_2.gcode", None, 2)
    assert details.weight_grams == pytest.approx(13.5)
    assert details.length_meters == pytest.approx((10.5 + 3.0) / 3, abs=0.01)
    assert [(f.index, f.type, f.color) for f in details.filaments] == [
        (1, "PLA", "#FFFFFF"),
        (2, "PETG", "#1F79E5"),
    ]
    assert details.filaments[0].grams == pytest.approx(10.5)
    assert details.filaments[0].meters == pytest.approx(3.5)
    assert details.cover is not None
    assert details.cover.startswith(b"\x89PNG")
    assert details.cover_type == "image/png"
    assert _retrievals(files) == ["RETR /Cube.gcode.3mf"]


@pytest.mark.usefixtures("fake_link")
async def test_a_large_project_gives_cover_and_weight_from_a_fraction_of_it(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """A 16 MiB project on the printer: the plate's members, not the file."""
    project = large_project(
        make_3mf(
            name="Cube",
            plates=2,
            layers=10,
            prediction_seconds=60,
            weight_grams=[5.0, 13.5],
            filaments=FILAMENTS,
        ),
        mib=16,
    )
    (files.root / "Cube.gcode.3mf").write_bytes(project)

    _link, tracker = await _setup(
        hass,
        files_entry(pki, files.port),
        subtask_name="Cube",
        gcode_file="/data/Metadata/plate_2.gcode",
        gcode_state="RUNNING",
    )
    await _until(hass, lambda: tracker.details is not None)

    details = tracker.details
    assert details is not None
    assert details.source is JobSource.PRINTER
    assert details.weight_grams == pytest.approx(13.5)
    with zipfile.ZipFile(io.BytesIO(project)) as archive:
        assert details.cover == archive.read("Metadata/plate_2.png")
    budget = 0.05 * len(project) + wanted_size(
        project, set(plate_members(2)), GCODE_HEADER_BYTES
    )
    wire = await files.wire()
    assert wire < budget, (wire, budget)


@pytest.mark.usefixtures("fake_link")
async def test_a_job_is_read_once_the_printer_is_found_on_the_lan(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """Printing before the printer is reached on the LAN: read when it is.

    As for an account's printer that was printing when Home Assistant
    started, and found at the address it reports a moment later.
    """
    (files.root / "Cube.gcode.3mf").write_bytes(
        make_3mf(
            name="Cube",
            plates=1,
            layers=10,
            prediction_seconds=60,
            weight_grams=5.0,
            filaments=FILAMENTS[:1],
        )
    )
    link, tracker = await _setup(hass, files_entry(pki, files.port), "a1-ams-lite")
    coordinator = tracker.coordinator
    access = coordinator.local_access
    coordinator.async_set_local_access(None)  # not found on the LAN yet
    link.deliver(LAN_SERIAL, _delta(subtask_name="Cube", gcode_state="RUNNING"))
    await _until(hass, lambda: tracker.details is not None)
    details = tracker.details
    assert details is not None
    assert details.source is None  # nothing to read it from
    assert _retrievals(files) == []

    coordinator.async_set_local_access(access)  # found
    link.deliver(LAN_SERIAL, _delta(mc_percent=12))
    await _until(
        hass, lambda: tracker.details is not None and tracker.details.source is not None
    )
    assert tracker.details is not None
    assert tracker.details.source is JobSource.PRINTER
    assert tracker.details.weight_grams == pytest.approx(5.0)
    assert _retrievals(files) == ["RETR /Cube.gcode.3mf"]


@pytest.mark.usefixtures("fake_link")
async def test_fetched_once_per_job(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """Reports during a job fetch nothing; a job seen before comes from the cache."""
    for name in ("First", "Second"):
        (files.root / f"{name}.3mf").write_bytes(
            make_3mf(
                name=name,
                layers=5,
                prediction_seconds=60,
                weight_grams=2.0,
                filaments=FILAMENTS[:1],
            )
        )
    link, tracker = await _setup(
        hass, files_entry(pki, files.port), subtask_name="First", gcode_state="RUNNING"
    )
    await _until(hass, lambda: tracker.details is not None)
    first = tracker.details
    assert first is not None
    assert first.key.name == "First"

    for percent in (10, 20, 30):
        link.deliver(LAN_SERIAL, _delta(mc_percent=percent))
    await hass.async_block_till_done()
    assert tracker.details is first

    link.deliver(LAN_SERIAL, _delta(subtask_name="Second"))
    await hass.async_block_till_done()
    assert tracker.details is None  # the first job's details are not the second's
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.key.name == "Second"

    link.deliver(LAN_SERIAL, _delta(subtask_name="First"))
    await hass.async_block_till_done()
    assert tracker.details is first
    assert _retrievals(files) == ["RETR /First.3mf", "RETR /Second.3mf"]


@pytest.mark.usefixtures("fake_link")
async def test_gcode_file_names_the_project(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """A reported .3mf path is downloaded as it is, without a search."""
    (files.root / "cache" / "Part.3mf").write_bytes(
        make_3mf(
            name="Part",
            layers=5,
            prediction_seconds=60,
            weight_grams=1.5,
            filaments=FILAMENTS[:1],
        )
    )
    _link, tracker = await _setup(
        hass,
        files_entry(pki, files.port),
        subtask_name="Renamed",
        gcode_file="file:///sdcard/cache/Part.3mf",
    )
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.weight_grams == pytest.approx(1.5)
    assert not [c for c in files.commands if c.startswith(("LIST", "MLSD"))]


@pytest.mark.usefixtures("fake_link")
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no file"),
        (b"PK not really a zip", "not a project"),
        (b"x" * 2048, "too large"),
    ],
)
async def test_no_usable_file_gives_empty_details(
    hass: HomeAssistant,
    pki: SimulatorPki,
    files: FtpsServer,
    content: bytes | None,
    reason: str,
) -> None:
    """Without a usable file the details are known to be empty, and kept."""
    if content is not None:
        (files.root / "Lost.3mf").write_bytes(content)
    with patch.object(job, "MAX_PROJECT_BYTES", 1024):
        _link, tracker = await _setup(
            hass, files_entry(pki, files.port), subtask_name="Lost"
        )
        await _until(hass, lambda: tracker.details is not None)
    assert tracker.details == JobDetails(tracker.details.key, None), reason


@pytest.mark.usefixtures("fake_link")
async def test_plate_missing_from_the_file(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """A plate the file does not have gives no details."""
    (files.root / "One.3mf").write_bytes(
        make_3mf(
            name="One",
            layers=5,
            prediction_seconds=60,
            weight_grams=1.0,
            filaments=FILAMENTS[:1],
        )
    )
    _link, tracker = await _setup(
        hass,
        files_entry(pki, files.port),
        subtask_name="One",
        gcode_file="Metadata/plate_3.gcode",
    )
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is None


@pytest.mark.usefixtures("fake_link")
async def test_unreachable_printer_is_retried_and_logged_once(
    hass: HomeAssistant,
    pki: SimulatorPki,
    files: FtpsServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Connection failures retry with a delay; one warning, one note when back."""
    (files.root / "Later.3mf").write_bytes(
        make_3mf(
            name="Later",
            layers=5,
            prediction_seconds=60,
            weight_grams=4.0,
            filaments=FILAMENTS[:1],
        )
    )
    await files.stop()
    with patch.object(job, "RETRY_SECONDS", (0.3, 0.3, 0.3)):
        _link, tracker = await _setup(
            hass, files_entry(pki, files.port), subtask_name="Later"
        )
        await _until(hass, lambda: "Could not read the job file" in caplog.text)
        await asyncio.sleep(0.4)  # a second failure is not logged again
        assert caplog.text.count("Could not read the job file") == 1
        assert tracker.details is None
        await files.start()
        await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.weight_grams == pytest.approx(4.0)
    assert "Reading the job files of Workshop works again" in caplog.text


@pytest.mark.usefixtures("fake_link")
async def test_unreachable_to_the_end_gives_empty_details(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """After the last retry the job counts as one without details."""
    await files.stop()
    _link, tracker = await _setup(
        hass, files_entry(pki, files.port), subtask_name="Never"
    )
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is None


@pytest.mark.usefixtures("fake_link")
async def test_no_job_no_fetch(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """An idle printer that names no job fetches nothing; unload stops the tracker."""
    entry = files_entry(pki, files.port)
    _link, tracker = await _setup(hass, entry, "a1-ams-lite")
    await hass.async_block_till_done()
    assert tracker.key is None
    assert tracker.details is None
    assert files.commands == []
    hub = entry.runtime_data
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert hub.jobs == {}


@pytest.mark.usefixtures("fake_link")
async def test_few_jobs_are_cached(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """Only the last few jobs stay cached; a printer without /cache is fine."""
    (files.root / "cache").rmdir()
    link, tracker = await _setup(hass, files_entry(pki, files.port), subtask_name="J0")
    await _until(hass, lambda: tracker.details is not None)
    for number in range(1, job.CACHED_JOBS + 1):
        link.deliver(LAN_SERIAL, _delta(subtask_name=f"J{number}"))
        await _until(hass, lambda: tracker.details is not None)
    assert len(tracker._cache) == job.CACHED_JOBS
    assert JobKey("J0", None, None, 1) not in tracker._cache
    assert JobKey("J1", None, None, 1) in tracker._cache
    assert any(c.startswith(("MLSD /cache", "LIST /cache")) for c in files.commands)


@pytest.mark.usefixtures("fake_link")
async def test_lan_job_known_only_by_its_task(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """A job with a task id and no name: nothing to search, no cloud to ask."""
    _link, tracker = await _setup(
        hass, files_entry(pki, files.port), subtask_name="", task_id="4242"
    )
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details == JobDetails(JobKey(None, None, "4242", 1), None)
    assert files.commands.count("QUIT") <= 1


@pytest.mark.usefixtures("fake_link")
async def test_tracker_of_a_replaced_printer(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """A printer's new coordinator gets a new tracker; the old one stops."""
    entry = files_entry(pki, files.port)
    _link, tracker = await _setup(hass, entry, "a1-ams-lite")
    coordinator = tracker.coordinator
    assert job.async_job_tracker(coordinator) is tracker
    removed: list[None] = []
    remove = tracker.async_add_listener(lambda: removed.append(None))
    remove()
    remove()  # twice is harmless

    runtime = entry.runtime_data
    fresh = PrinterCoordinator(hass, entry, LAN_SERIAL, name="Workshop")
    runtime.printers.async_add(fresh)  # the entry's setup starts its tracker
    replacement = job.async_job_tracker(fresh)
    assert replacement is not tracker
    assert runtime.jobs[LAN_SERIAL] is replacement
    assert replacement.key is None  # no full report yet: nothing to follow
    assert tracker._unsubscribe is None  # the old one stopped following
    tracker.async_stop()  # stopping twice is harmless
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert runtime.jobs == {}
    assert removed == []


@pytest.mark.usefixtures("fake_link")
async def test_malformed_project_file_does_not_end_the_fetch(
    hass: HomeAssistant, pki: SimulatorPki, files: FtpsServer
) -> None:
    """Issue 14, point 15: a file that breaks the reader is just not usable.

    Its layer count has more digits than int() takes: the old reader raised
    ValueError out of the fetch, which died without details or fallback.
    """
    project = make_3mf(
        name="Cube",
        plates=1,
        layers=10,
        prediction_seconds=60,
        weight_grams=5.0,
        filaments=FILAMENTS,
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(project)) as source,
        zipfile.ZipFile(buffer, "w") as broken,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "Metadata/plate_1.gcode":
                content = b"; total layer number: " + b"9" * 4400 + b"\n" + content
            broken.writestr(name, content)
    (files.root / "Cube.gcode.3mf").write_bytes(buffer.getvalue())

    _link, tracker = await _setup(
        hass,
        files_entry(pki, files.port),
        subtask_name="Cube",
        gcode_file="/data/Metadata/plate_1.gcode",
        gcode_state="RUNNING",
    )
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is None  # no cloud to fall back on here
    assert _retrievals(files) == ["RETR /Cube.gcode.3mf"]


# --- from the cloud task ------------------------------------------------------------


@pytest.fixture
async def fake_cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake Bambu cloud with one account and printer."""
    cloud = FakeCloud()
    add_account(cloud)
    await cloud.start()
    try:
        yield cloud
    finally:
        await cloud.stop()


def _task(cloud: FakeCloud, task_id: int, **fields: Any) -> dict[str, Any]:
    cloud.covers[f"task-{task_id}.png"] = cover_png(f"task {task_id}")
    task = {
        "id": task_id,
        "title": "Cloud job",
        "cover": f"{cloud.base_url}/covers/task-{task_id}.png",
        "status": 4,
        "weight": 12.5,
        "length": 4200,
        "deviceId": CLOUD_SERIAL,
        "amsDetailMapping": [
            {"ams": 1, "filamentType": "PETG", "sourceColor": "FF0000FF", "weight": 9},
            {
                "ams": 254,
                "filamentType": "PLA",
                "sourceColor": "#00ff00",
                "weight": 3.5,
            },
        ],
        **fields,
    }
    cloud.accounts["maker@example.com"].tasks = [task]
    return task


async def _cloud_tracker(
    hass: HomeAssistant, cloud: FakeCloud, task_id: str
) -> tuple[FakeLink, JobTracker]:
    entry = cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    link.deliver(
        CLOUD_SERIAL, _delta(task_id=task_id, subtask_name="Cloud job", gcode_file="")
    )
    await hass.async_block_till_done()
    return link, entry.runtime_data.jobs[CLOUD_SERIAL]


@pytest.mark.usefixtures("fake_link")
async def test_cloud_task_details_and_cover(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    """Without LAN access a cloud job's task gives the cover, totals and trays."""
    _task(fake_cloud, 777)
    _link, tracker = await _cloud_tracker(hass, fake_cloud, "777")
    await _until(hass, lambda: tracker.details is not None)

    details = tracker.details
    assert details is not None
    assert details.source is JobSource.CLOUD
    assert details.weight_grams == pytest.approx(12.5)
    assert details.length_meters == pytest.approx(4.2)
    assert details.cover == fake_cloud.covers["task-777.png"]
    assert details.cover_type == "image/png"
    assert details.filaments == (
        JobFilament(1, "PETG", "#FF0000", 9.0, None, TrayRef(0, 1)),
        JobFilament(2, "PLA", "#00FF00", 3.5, None, TrayRef(EXTERNAL_AMS_ID, 0)),
    )
    # The task maps the colours: the report's mapping is not needed.
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.printers[
        CLOUD_SERIAL
    ]
    assert "mapping" not in coordinator.data.report
    assert tray_usage(details, coordinator.data) == {
        (0, 1): 9.0,
        (EXTERNAL_AMS_ID, 0): 3.5,
    }


@pytest.mark.usefixtures("fake_link")
@pytest.mark.parametrize(
    ("cover", "content"),
    [
        ("missing.png", None),  # 404
        ("junk.png", b"GIF89a not a png"),
        ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * 4096),
    ],
)
async def test_cloud_cover_that_cannot_be_used(
    hass: HomeAssistant, fake_cloud: FakeCloud, cover: str, content: bytes | None
) -> None:
    """A cover that is missing, not a picture or too large is left out."""
    _task(fake_cloud, 778, cover=f"{fake_cloud.base_url}/covers/{cover}")
    if content is not None:
        fake_cloud.covers[cover] = content
    with patch.object(job, "MAX_COVER_BYTES", 1024):
        _link, tracker = await _cloud_tracker(hass, fake_cloud, "778")
        await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is JobSource.CLOUD
    assert tracker.details.weight_grams == pytest.approx(12.5)
    assert tracker.details.cover is None


@pytest.mark.usefixtures("fake_link")
async def test_cloud_without_the_task(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    """A task the cloud does not list, or a cloud that fails, gives nothing."""
    _task(fake_cloud, 1)
    link, tracker = await _cloud_tracker(hass, fake_cloud, "999")
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is None

    fake_cloud.fail("/v1/user-service/my/tasks", Fault.SERVER_ERROR)
    link.deliver(CLOUD_SERIAL, _delta(task_id="1"))
    await hass.async_block_till_done()
    await _until(hass, lambda: tracker.details is not None)
    assert tracker.details is not None
    assert tracker.details.source is None


@pytest.mark.usefixtures("fake_link")
async def test_cloud_cover_is_fetched_only_from_bambu(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    """Issue 14, point 11: a cover URL elsewhere is never fetched (SSRF).

    A server on loopback stands for what an attacker would reach: the router,
    the Home Assistant host. A picture there is not fetched, and the job
    keeps its other details.
    """
    hits: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        hits.append(await reader.read(100))
        writer.close()

    elsewhere = await asyncio.start_server(record, "127.0.0.1", 0)
    port = elsewhere.sockets[0].getsockname()[1]
    try:
        _task(fake_cloud, 779, cover=f"http://127.0.0.1:{port}/task-779.png")
        _link, tracker = await _cloud_tracker(hass, fake_cloud, "779")
        await _until(hass, lambda: tracker.details is not None)
    finally:
        elsewhere.close()
        await elsewhere.wait_closed()
    assert tracker.details is not None
    assert tracker.details.weight_grams == pytest.approx(12.5)
    assert tracker.details.cover is None
    assert hits == []
