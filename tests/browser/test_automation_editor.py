"""The integration's triggers in the real automation editor.

A person picks "Print finished" for a simulated printer in the automation
editor, saves the automation, and sees it run when the simulated job ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
import re

import aiohttp
from playwright.async_api import Page, expect
import pytest

from simulator.develop import HA_HOST, HomeAssistantApi, home_assistant, prepare_config
from simulator.world import Simulator

from .conftest import HA_MODULE, _free_port
from .helpers import Screenshots, strings
from .test_frontend import _add_account, _onboard, _printing_printer

AUTOMATION_NAME = "Tell me the print is done"
AUTOMATION_ID = "automation.tell_me_the_print_is_done"
# Whether the frontend knows the automation, and whether it has run (arg[1]).
LAST_TRIGGERED = """([entityId, ran]) => {
  const state = document.querySelector("home-assistant").hass.states[entityId];
  return state !== undefined && (state.attributes.last_triggered !== null) === ran;
}"""


@pytest.fixture
async def home_assistant_url(
    tmp_path: Path, artifacts: Path, live_world: Simulator
) -> AsyncIterator[str]:
    """The browser test's Home Assistant, which also loads the UI's automations.

    The demo's configuration has no automation integration; a default
    installation includes automations.yaml, where the editor saves.
    """
    port = _free_port()
    config = prepare_config(tmp_path / "ha", port)
    with (config / "configuration.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("automation: !include automations.yaml\n")
    (config / "automations.yaml").write_text("[]\n", encoding="utf-8")
    base = f"http://{HA_HOST}:{port}"
    with (artifacts / "home-assistant.log").open("wb") as log:
        async with (
            home_assistant(config, module=HA_MODULE, stdout=log, stderr=log) as hass,
            aiohttp.ClientSession() as session,
        ):
            await HomeAssistantApi(session, base).wait_until_up(hass)
            yield base


@pytest.mark.timeout(300)
async def test_print_finished_trigger_in_the_editor(
    home_assistant_url: str,
    live_world: Simulator,
    page: Page,
    screenshots: Screenshots,
) -> None:
    """Pick the trigger and the printer in the editor, save, end the job."""
    printer = _printing_printer(live_world)
    trigger = strings()["triggers"]["print_finished"]
    await _onboard(page, home_assistant_url, screenshots)
    await _add_account(page, live_world, screenshots)

    await page.goto(f"{home_assistant_url}/config/automation/edit/new")
    await page.get_by_role("button", name="Add trigger").click()
    await page.get_by_placeholder("Search").fill(trigger["name"])
    await screenshots("editor-search")
    await page.get_by_text(trigger["name"], exact=True).click()
    # The trigger's own description (2026.11 shows it twice: card and help).
    await expect(
        page.get_by_text(trigger["description"], exact=True).first
    ).to_be_visible()
    await page.get_by_role("button", name="Add target").click()
    await page.get_by_role("button", name="Devices").click()
    await page.get_by_placeholder("Search").fill(printer.setup.name)
    await screenshots("editor-target")
    await page.locator("ha-combo-box-item").filter(has_text=printer.setup.name).click()
    await screenshots("editor-target-chosen")
    await page.get_by_role("button", name="Save").click()
    await page.get_by_role("textbox", name=re.compile("^Name")).fill(AUTOMATION_NAME)
    await screenshots("editor-save")
    await page.get_by_role("button", name="Save", exact=True).last.click()
    # Saved and loaded: the automation exists and has not run.
    await page.wait_for_function(LAST_TRIGGERED, arg=[AUTOMATION_ID, False])
    await expect(page.get_by_text(AUTOMATION_NAME, exact=True)).to_be_visible()
    await screenshots("editor-saved")

    assert printer.firmware.state["gcode_state"] in ("PREPARE", "RUNNING")
    printer.repeat_jobs = None  # the demo would start the next job at once
    await printer.advance(100_000)  # the simulated job runs to its end
    assert printer.firmware.state["gcode_state"] == "FINISH"
    # The printer's report reaches Home Assistant, the print event fires
    # "finished", and the automation runs.
    await page.wait_for_function(LAST_TRIGGERED, arg=[AUTOMATION_ID, True])
    assert len(screenshots.saved) == 13
