"""The cover image: the current job's plate picture, written once per job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import io
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.image import DOMAIN as IMAGE_DOMAIN
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud import job
from custom_components.bambu_cloud.const import DOMAIN
from simulator.ftps import FtpsServer
from simulator.threemf import make_3mf
from simulator.tls import SimulatorPki, generate_pki
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink
from tests.test_job import ACCESS_CODE, files_entry


@pytest.fixture(autouse=True)
def _image_platform_only() -> Iterator[None]:
    with (
        patch.object(job, "SETTLE_SECONDS", 0),
        patch("custom_components.bambu_cloud.PLATFORMS", [Platform.IMAGE]),
    ):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA and the printer's certificate."""
    return generate_pki(tmp_path_factory.mktemp("image-pki"), [LAN_SERIAL])


@pytest.fixture
async def files(
    pki: SimulatorPki, tmp_path: Path, socket_enabled: None
) -> AsyncIterator[FtpsServer]:
    """The printer's SD card over implicit FTPS."""
    leaf = pki.printers[LAN_SERIAL]
    server = FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, tmp_path / "sd")
    async with server:
        yield server


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _project(name: str, cover: bytes | None = None) -> bytes:
    return make_3mf(
        name=name,
        layers=5,
        prediction_seconds=60,
        weight_grams=1.0,
        filaments=[("PLA", "#FFFFFF", 1.0)],
        cover_png=cover,
    )


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


async def _until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not predicate():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, **fields: Any
) -> tuple[FakeLink, str]:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version("p1p-ams"))
    report = pushall("p1p-ams")
    report["print"].update(fields)
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    entity_id = er.async_get(hass).async_get_entity_id(
        IMAGE_DOMAIN, DOMAIN, f"{LAN_SERIAL}_cover"
    )
    assert entity_id is not None
    return link, entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


@pytest.mark.usefixtures("fake_link")
async def test_cover_follows_the_job(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    files: FtpsServer,
) -> None:
    """The picture of each job's plate; progress reports do not touch it."""
    green, red = _png("green"), _png("red")
    (files.root / "Green.3mf").write_bytes(_project("Green", green))
    (files.root / "Red.3mf").write_bytes(_project("Red", red))
    link, entity_id = await _setup(
        hass, files_entry(pki, files.port), subtask_name="Green", gcode_state="RUNNING"
    )
    await _until(hass, lambda: _state(hass, entity_id) != STATE_UNKNOWN)
    first = hass.states.get(entity_id)
    assert first is not None

    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{entity_id}")
    assert response.status == 200
    assert response.content_type == "image/png"
    assert await response.read() == green

    for percent in (5, 50, 95):
        link.deliver(LAN_SERIAL, _delta(mc_percent=percent, layer_num=percent))
    await hass.async_block_till_done()
    unchanged = hass.states.get(entity_id)
    assert unchanged is not None
    assert unchanged.state == first.state
    assert unchanged.last_updated == first.last_updated

    link.deliver(LAN_SERIAL, _delta(subtask_name="Red"))
    await _until(
        hass, lambda: _state(hass, entity_id) not in (STATE_UNKNOWN, first.state)
    )
    response = await client.get(f"/api/image_proxy/{entity_id}")
    assert await response.read() == red
    # The recorder gets the time of the change, never the picture.
    state = hass.states.get(entity_id)
    assert state is not None
    assert set(state.attributes) <= {"access_token", "entity_picture", "friendly_name"}


@pytest.mark.usefixtures("fake_link")
async def test_no_cover_is_unknown(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    pki: SimulatorPki,
    files: FtpsServer,
) -> None:
    """A job without a file on the printer has no picture."""
    _link, entity_id = await _setup(
        hass, files_entry(pki, files.port), subtask_name="Elsewhere"
    )
    tracker = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.jobs[LAN_SERIAL]
    await _until(hass, lambda: tracker.details is not None)
    assert _state(hass, entity_id) == STATE_UNKNOWN
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{entity_id}")
    assert response.status == 500
