"""The printer's storage in a real browser: the Media panel plays a timelapse, the To-do panel queues a file.

Home Assistant (with the Media panel's ``media_source``) is onboarded and
given the demo account with LAN access over its API; the X1 Carbon's storage
holds real ffmpeg-made timelapses. A person opens Media → Bambu Lab → the
printer → timelapse, plays the newest video (a frame must decode in
Chromium), then adds a stored file to the printer's print queue in the
To-do panel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import itertools
from pathlib import Path
import re
from typing import Any

import aiohttp
from playwright.async_api import Locator, Page, expect
import pytest

from simulator.develop import (
    HA_HOST,
    HA_PASSWORD,
    HA_USER,
    HomeAssistantApi,
    add_demo_account,
    add_lan_access,
    home_assistant,
    prepare_config,
)
from simulator.printer import SimulatedPrinter
from simulator.storage import stock
from simulator.world import Simulator

from .conftest import HA_MODULE, _free_port
from .helpers import Screenshots

LISTED_WITHIN = 60.0  # seconds for the options' reloads to settle
LISTING_POLL = 0.2  # seconds between asking for the listing


def _x1c(world: Simulator) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.model.key == "X1C")


@pytest.fixture
async def home_assistant_url(
    tmp_path: Path, artifacts: Path, live_world: Simulator
) -> AsyncIterator[str]:
    """As the shared fixture, with the Media panel (``media_source``) loaded."""
    port = _free_port()
    config = prepare_config(tmp_path / "ha", port)
    with (config / "configuration.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("media_source:\n")
    base = f"http://{HA_HOST}:{port}"
    with (artifacts / "home-assistant.log").open("wb") as log:
        async with (
            home_assistant(config, module=HA_MODULE, stdout=log, stderr=log) as hass,
            aiohttp.ClientSession() as session,
        ):
            await HomeAssistantApi(session, base).wait_until_up(hass)
            yield base


@pytest.fixture
async def ready(
    home_assistant_url: str, live_world: Simulator
) -> AsyncIterator[tuple[str, HomeAssistantApi, aiohttp.ClientSession]]:
    """Onboarded, the demo account with LAN access, timelapses on the X1C."""
    await stock(_x1c(live_world).files.root, avi=False)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, home_assistant_url)
        await api.onboard()
        await api.keep_http_settings()
        entry = await add_demo_account(api, live_world)
        await add_lan_access(api, live_world, entry["result"]["entry_id"])
        await _until_listed(session, home_assistant_url, api, len(live_world.printers))
        yield home_assistant_url, api, session


async def _until_listed(
    session: aiohttp.ClientSession, base: str, api: HomeAssistantApi, count: int
) -> None:
    """Until the Media panel lists every printer.

    Each options change reloads the entry; a panel opened during a reload
    lists nothing, and a listing does not update by itself.
    """
    async with (
        asyncio.timeout(LISTED_WITHIN),
        session.ws_connect(f"{base}/api/websocket") as ws,
    ):
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": api._token})
        await ws.receive_json()  # auth_ok
        for number in itertools.count(1):
            await ws.send_json(
                {
                    "id": number,
                    "type": "media_source/browse_media",
                    "media_content_id": "media-source://bambu_cloud",
                }
            )
            answer = await ws.receive_json()
            listed = (answer.get("result") or {}).get("children") or []
            if len(listed) == count:
                return
            await asyncio.sleep(LISTING_POLL)  # the reloads run meanwhile


def _visible(page: Page, text: str) -> Locator:
    """The shown element with exactly this text (not a hidden tooltip's)."""
    return page.get_by_text(text, exact=True).filter(visible=True).first


async def _states(
    session: aiohttp.ClientSession, base: str, api: HomeAssistantApi
) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {api._token}"}
    async with session.get(f"{base}/api/states", headers=headers) as response:
        result: list[dict[str, Any]] = await response.json()
        return result


async def test_media_panel_plays_a_timelapse_and_todo_queues_a_file(
    ready: tuple[str, HomeAssistantApi, aiohttp.ClientSession],
    live_world: Simulator,
    page: Page,
    screenshots: Screenshots,
) -> None:
    base, api, session = ready
    printer = _x1c(live_world)
    await page.goto(f"{base}/media-browser/browser")
    await page.get_by_role("textbox", name="Username").fill(HA_USER)
    await page.get_by_role("textbox", name="Password").fill(HA_PASSWORD)
    await page.get_by_role("button", name="Log in").click()

    await _visible(page, "Bambu Lab").click()
    await _visible(page, printer.setup.name).click()
    await _visible(page, "timelapse").click()
    newest = _visible(page, "video_2026-12-02_10-00-00.mp4")
    await expect(newest).to_be_visible()
    # The printer's JPEG of each timelapse, fetched with the user's login.
    thumbnails = page.locator("ha-media-browser-thumbnail div.image")
    await expect(thumbnails.first).to_have_attribute(
        "style", re.compile(r"background-image:\s*url\(\"?data:image/jpeg")
    )
    await screenshots("media-timelapses")
    await newest.click()
    video = page.locator("video").first
    await expect(video).to_be_attached()
    # A frame decoded: the video knows its size and has data for now.
    width = await video.evaluate(
        """v => new Promise((resolve, reject) => {
            const done = () => resolve(v.videoWidth);
            if (v.readyState >= 2) return done();
            v.addEventListener('loadeddata', done);
            v.addEventListener('error', () => reject(new Error('video error')));
        })"""
    )
    assert width == 320
    await screenshots("media-playing")

    states = await _states(session, base, api)
    queue = next(
        s["entity_id"]
        for s in states
        if s["entity_id"].startswith("todo.")
        and s["attributes"].get("friendly_name", "").startswith(printer.setup.name)
    )
    await page.goto(f"{base}/todo?entity_id={queue}")
    field = page.get_by_placeholder("Add item").filter(visible=True).first
    await field.fill("printer:/cache/benchy.gcode.3mf")
    await field.press("Enter")
    await expect(page.get_by_text("printer:/cache/benchy.gcode.3mf")).to_be_visible()
    await screenshots("todo-queued")
    states = await _states(session, base, api)
    assert next(s for s in states if s["entity_id"] == queue)["state"] == "1"
