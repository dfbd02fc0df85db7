"""The simulated task history, paged by the library's client over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.cloud_tasks import CloudTask
from custom_components.bambu_cloud.aiobambulab.errors import UnexpectedResponse
from simulator.cloud import TASKS, Kind
from simulator.firmware import Job
from simulator.world import Simulator

EMAIL = "history@example.com"
PASSWORD = "s3cret-pass"


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """One account with two printers."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(EMAIL, PASSWORD, kind=Kind.DIRECT)
    await simulator.add_printer(EMAIL, "x1c-multi-ams", name="Workshop X1C")
    await simulator.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    async with simulator:
        yield simulator


@pytest.fixture
async def cloud(world: Simulator) -> AsyncIterator[BambuCloud]:
    async with aiohttp.ClientSession() as session:
        client = BambuCloud(session, world.api_url, timeout=5)
        await client.login(EMAIL, PASSWORD)
        yield client


def _serials(world: Simulator) -> tuple[str, str]:
    first, second = world.printers
    return first, second


async def _all_pages(
    cloud: BambuCloud, serial: str, limit: int
) -> list[list[CloudTask]]:
    pages: list[list[CloudTask]] = []
    after: str | None = None
    while True:
        page = await cloud.get_tasks(serial, after=after, limit=limit)
        if not page.tasks:
            return pages
        pages.append(page.tasks)
        after = page.tasks[-1].id


async def test_many_pages_newest_first_without_gaps(
    world: Simulator, cloud: BambuCloud
) -> None:
    serial, other = _serials(world)
    seeded = world.add_history(serial, 45, failed_every=5)
    world.add_history(other, 3)

    pages = await _all_pages(cloud, serial, 20)

    assert [len(page) for page in pages] == [20, 20, 5]
    ids = [int(task.id or 0) for page in pages for task in page]
    assert ids == sorted((t["id"] for t in seeded), reverse=True)
    assert {task.device_id for page in pages for task in page} == {serial}
    newest = pages[0][0]
    assert newest.title == "Past print #45"
    assert newest.weight == 54.0
    assert newest.length == 7400.0
    assert newest.status == 3  # every 5th failed
    assert pages[0][1].status == 2
    assert newest.end_time is not None
    assert newest.start_time is not None
    assert (newest.end_time - newest.start_time).total_seconds() == 1800 + 60 * 44
    queries = [seen.query for seen in world.cloud.requests_to(TASKS)]
    assert queries[0] == {"deviceId": serial, "limit": "20"}
    assert queries[1] == {"deviceId": serial, "after": str(ids[19]), "limit": "20"}


async def test_total_counts_what_is_left_after_the_cursor(
    world: Simulator, cloud: BambuCloud
) -> None:
    serial, _ = _serials(world)
    seeded = world.add_history(serial, 7)
    first = await cloud.get_tasks(serial, limit=3)
    rest = await cloud.get_tasks(serial, after=first.tasks[-1].id, limit=3)
    assert first.total == 7
    assert rest.total == 4
    assert [t.id for t in rest.tasks] == [str(t["id"]) for t in seeded[3:0:-1]]


async def test_page_size_is_capped_by_the_server(
    world: Simulator, cloud: BambuCloud
) -> None:
    serial, _ = _serials(world)
    world.add_history(serial, 12)
    world.cloud.max_task_limit = 5
    pages = await _all_pages(cloud, serial, 50)
    assert [len(page) for page in pages] == [5, 5, 2]


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "x"}, {"after": "x"}])
async def test_bad_paging_is_refused(
    world: Simulator, cloud: BambuCloud, query: dict[str, str]
) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            world.api_url + TASKS,
            params=query,
            headers={"Authorization": f"Bearer {cloud.token}"},
        ) as response,
    ):
        assert response.status == 400
    with pytest.raises(UnexpectedResponse):
        await cloud.get_tasks(limit=0)


async def test_jobs_ending_mid_test_join_the_history(
    world: Simulator, cloud: BambuCloud
) -> None:
    serial, _ = _serials(world)
    world.add_history(serial, 2)
    printer = world.printer(serial)

    printer.start_job(Job(name="Finishes", print_seconds=60, prepare_seconds=5))
    await printer.advance(10)
    assert "Finishes" not in [t.title for t in (await cloud.get_tasks(serial)).tasks]
    await printer.advance(100)
    printer.start_job(
        Job(name="Fails", print_seconds=100, prepare_seconds=5, fail_at_percent=50)
    )
    await printer.advance(10)
    await printer.advance(60)
    assert printer.firmware.state["gcode_state"] == "FAILED"

    tasks = (await cloud.get_tasks(serial)).tasks
    assert [(t.title, t.status) for t in tasks[:2]] == [("Fails", 3), ("Finishes", 2)]
    assert [t.title for t in tasks[2:]] == ["Past print #2", "Past print #1"]
    # Ids keep the order of time: the cursor pages past the new ones.
    after_new = await cloud.get_tasks(serial, after=tasks[1].id)
    assert [t.title for t in after_new.tasks] == ["Past print #2", "Past print #1"]
