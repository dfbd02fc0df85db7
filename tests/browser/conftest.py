"""Home Assistant as a real server, the simulated world, and a real browser.

The browser test starts the demo world (one printer printing, reports at a
real 1 Hz), runs Home Assistant as a subprocess on a free 127.0.0.1 port with
this integration linked in (``simulator.develop``'s building blocks), and
drives Debian's Chromium through Playwright's async API inside the test's
event loop. Nothing is onboarded or added here: the test does that in the UI.

Set ``BAMBU_CHROMIUM`` to use another Chromium binary, ``BAMBU_ARTIFACTS``
for where screenshots and the Home Assistant log go, and
``BAMBU_SKIP_BROWSER=1`` to skip the test where no browser is installed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
import contextlib
import os
from pathlib import Path
import shutil
import socket

import aiohttp
from playwright.async_api import Page, ViewportSize, async_playwright
import pytest

from simulator.develop import (
    HA_HOST,
    REPO,
    HomeAssistantApi,
    home_assistant,
    prepare_config,
)
from simulator.scenario import build_demo
from simulator.world import Simulator

from .helpers import Screenshots

CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: without these Chromium waits on connections
# to Google's services (and the sandbox needs privileges the chroot lacks).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
ACTION_TIMEOUT_MS = 30_000  # every click, fill and expect waits at most this
HA_MODULE = "simulator.hass_main"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body failed, for the failure screenshot."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium (never a browser downloaded by Playwright)."""
    if os.environ.get("BAMBU_SKIP_BROWSER") == "1":
        pytest.skip("BAMBU_SKIP_BROWSER=1")
    path = os.environ.get("BAMBU_CHROMIUM") or shutil.which("chromium") or CHROMIUM
    if not Path(path).is_file():
        pytest.fail(f"no Chromium at {path}: scripts/setup installs it")
    return path


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots and logs go; the previous run's files are removed."""
    directory = Path(
        os.environ.get("BAMBU_ARTIFACTS") or REPO / ".scratch" / "artifacts" / "browser"
    )
    directory.mkdir(parents=True, exist_ok=True)
    for old in (*directory.glob("*.png"), *directory.glob("*.log")):
        old.unlink()
    return directory


@pytest.fixture
async def live_world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo world in real time: the first printer prints, reports at 1 Hz."""
    simulator = Simulator(tmp_path / "world", rate_hz=1.0)
    await build_demo(simulator, printing=1)
    async with simulator:
        yield simulator


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HA_HOST, 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def home_assistant_url(
    tmp_path: Path, artifacts: Path, live_world: Simulator
) -> AsyncIterator[str]:
    """A fresh, not yet onboarded Home Assistant on 127.0.0.1; stopped after."""
    port = _free_port()
    config = prepare_config(tmp_path / "ha", port)
    base = f"http://{HA_HOST}:{port}"
    with (artifacts / "home-assistant.log").open("wb") as log:
        async with (
            home_assistant(config, module=HA_MODULE, stdout=log, stderr=log) as hass,
            aiohttp.ClientSession() as session,
        ):
            await HomeAssistantApi(session, base).wait_until_up(hass)
            yield base


@pytest.fixture
async def page(
    request: pytest.FixtureRequest, chromium: str, artifacts: Path
) -> AsyncIterator[Page]:
    """A headless Chromium page; a screenshot of it is kept when the test fails."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            page = await context.new_page()
            yield page
            if request.node.stash.get(FAILED, False):
                with contextlib.suppress(Exception):
                    await page.screenshot(path=artifacts / "failure.png")
        finally:
            await browser.close()


@pytest.fixture
def screenshots(page: Page, artifacts: Path) -> Screenshots:
    """Numbered screenshots of the test's steps."""
    return Screenshots(page, artifacts)
