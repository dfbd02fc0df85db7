"""The real frontend: a person sets up the integration in Chromium.

Onboards a fresh Home Assistant, adds the simulator's Bambu account through
the config flow dialogs (a wrong verification code first, then the right
one from the simulated mailbox), checks the printers' devices and entities,
gives the printing printer its LAN connection in the options, pauses its
print from the device page and watches the state follow the printer's
report, and opens the camera. Every step leaves a screenshot in the
artifacts folder. The texts asserted are the integration's own strings.
"""

from __future__ import annotations

import io
import re
from typing import Literal

from PIL import Image
from playwright.async_api import Locator, Page, expect
import pytest

from simulator.develop import HA_HOST
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD, DEMO_PRINTERS
from simulator.world import Simulator

from .helpers import (
    Screenshots,
    config_error,
    config_step,
    entity_name,
    entity_row,
    entity_state,
    strings,
)

USER_NAME = "Tester"
USER_LOGIN = "tester"
USER_PASSWORD = "tester-password"
STATE_TIMEOUT_MS = 30_000  # reports arrive every second; allow for slow CI


def _label(printer: SimulatedPrinter) -> str:
    """How the config flow lists a printer: its name and model."""
    return f"{printer.setup.name} ({printer.setup.model.name})"


def _printing_printer(world: Simulator) -> SimulatedPrinter:
    name = DEMO_PRINTERS[0][1]  # build_demo(printing=1): the first one prints
    return next(p for p in world.printers.values() if p.setup.name == name)


def _device_row(printer: SimulatedPrinter) -> re.Pattern[str]:
    """The accessible name of a printer's row in the integration's devices."""
    name = re.escape(f"{printer.setup.name} {printer.setup.model.name}")
    return re.compile(rf"^{name} • \W*[1-9]\d* entities")


def _wrong(code: str) -> str:
    """A code of the same shape that differs in every digit."""
    return "".join(str((int(digit) + 1) % 10) for digit in code)


def _field(
    page: Page, label: str, role: Literal["textbox", "spinbutton"] = "textbox"
) -> Locator:
    """A form field by its label (required fields add an asterisk)."""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}\*?$"))


async def _onboard(page: Page, base: str, shot: Screenshots) -> None:
    await page.goto(f"{base}/")
    await page.get_by_role("button", name="Create my smart home").click()
    await _field(page, "Name").fill(USER_NAME)
    await _field(page, "Username").fill(USER_LOGIN)
    await _field(page, "Password").fill(USER_PASSWORD)
    await _field(page, "Confirm password").fill(USER_PASSWORD)
    await shot("onboarding-user")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Home location")).to_be_visible()
    await page.get_by_role("button", name="Next").click()
    await expect(page.get_by_text("We would like to know the country")).to_be_visible()
    await page.get_by_role("button", name="Next").click()
    await expect(page.get_by_role("heading", name="Help us help you")).to_be_visible()
    await page.get_by_role("button", name="Next").click()
    await expect(page.get_by_role("heading", name="All set!")).to_be_visible()
    await shot("onboarding-done")
    await page.get_by_role("button", name="Finish").click()
    # Home Assistant asks to keep the HTTP settings of configuration.yaml.
    await expect(
        page.get_by_text("Confirm new HTTP server configuration")
    ).to_be_visible()
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_text(f"Welcome {USER_NAME}")).to_be_visible()
    await shot("overview")


async def _add_account(page: Page, world: Simulator, shot: Screenshots) -> None:
    await page.get_by_role("link", name="Settings").click()
    await page.get_by_role("link", name=re.compile("^Devices & services")).click()
    await page.get_by_role("button", name="Add integration").click()
    await page.get_by_placeholder("Search for a brand name").fill("Bambu Lab Cloud")
    await page.get_by_role("button", name="Bambu Lab Cloud").click()

    menu = config_step("user")
    await expect(page.get_by_text(menu["title"], exact=True)).to_be_visible()
    await shot("flow-menu")
    await page.get_by_text(menu["menu_options"]["cloud"], exact=True).click()

    cloud = config_step("cloud")
    advanced = cloud["sections"]["advanced"]
    await expect(page.get_by_text(cloud["title"], exact=True)).to_be_visible()
    await _field(page, cloud["data"]["email"]).fill(DEMO_EMAIL)
    await _field(page, cloud["data"]["password"]).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name=advanced["name"]).click()
    await _field(page, advanced["data"]["api_url"]).fill(world.api_url)
    await _field(page, advanced["data"]["mqtt_host"]).fill(HA_HOST)
    await _field(page, advanced["data"]["mqtt_port"], "spinbutton").fill(
        str(world.mqtt_port)
    )
    await _field(page, advanced["data"]["ca_cert"]).fill(world.ca_pem)
    await shot("flow-sign-in")
    await page.get_by_role("button", name="Submit").click()

    code_step = config_step("code")
    await expect(page.get_by_text(code_step["title"], exact=True)).to_be_visible()
    code = world.last_code(DEMO_EMAIL)
    assert code is not None, "the simulated cloud sent no code"
    code_field = _field(page, code_step["data"]["code"])
    await code_field.fill(_wrong(code))
    await page.get_by_role("button", name="Submit").click()
    # The form's error, as assistive technology reads it.
    await expect(page.get_by_role("alert")).to_match_aria_snapshot(
        f"- alert: {config_error('invalid_code')}"
    )
    await shot("flow-wrong-code")
    await code_field.fill(code)
    await page.get_by_role("button", name="Submit").click()

    printers = config_step("printers")
    await expect(page.get_by_text(printers["title"], exact=True)).to_be_visible()
    for printer in world.printers.values():
        await expect(page.get_by_role("checkbox", name=_label(printer))).to_be_checked()
    await shot("flow-printers")
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_text("Name and assign")).to_be_visible()
    await shot("flow-created")
    await page.get_by_role("button", name="Skip and finish").click()
    await expect(page.get_by_text("Name and assign")).to_be_hidden()


async def _check_devices(page: Page, world: Simulator, shot: Screenshots) -> None:
    # Back to the integrations, the way a person goes (no page reload).
    await page.get_by_role("link", name="Settings").click()
    await page.get_by_role("link", name=re.compile("^Devices & services")).click()
    await page.get_by_role("link", name=re.compile("^Bambu Lab Cloud")).click()
    for printer in world.printers.values():
        # A device row reads "<name> <model> • <n> entities".
        row = page.get_by_role("button", name=_device_row(printer))
        await expect(row).to_be_visible()
    await shot("integration-devices")


async def _set_up_lan(page: Page, printer: SimulatedPrinter, shot: Screenshots) -> None:
    """Give the printer its LAN address in the options: the camera needs it."""
    options = strings()["options"]["step"]
    printer_form = options["printer"]
    advanced = printer_form["sections"]["advanced"]
    ports = printer.extra_ports()
    await page.get_by_role("button", name="Configure").click()
    await expect(
        page.get_by_text(options["account"]["title"], exact=True)
    ).to_be_visible()
    await page.get_by_text(
        options["account"]["data"]["configure_printer"], exact=True
    ).click()
    await page.get_by_role("menuitem", name=_label(printer)).click()
    await page.get_by_role("button", name="Submit").click()
    await expect(
        page.get_by_text(printer_form["title"].format(name=_label(printer)), exact=True)
    ).to_be_visible()
    await _field(page, printer_form["data"]["host"]).fill(HA_HOST)
    # The cloud knows the access code: the form is filled in with it.
    await expect(_field(page, printer_form["data"]["access_code"])).to_have_value(
        printer.setup.access_code
    )
    await page.get_by_role("button", name=advanced["name"]).click()
    await _field(page, advanced["data"]["port"], "spinbutton").fill(
        str(printer.lan_port)
    )
    await _field(page, advanced["data"]["camera_port"], "spinbutton").fill(
        str(ports["camera_port"])
    )
    await _field(page, advanced["data"]["ftp_port"], "spinbutton").fill(
        str(ports["ftp_port"])
    )
    await shot("options-printer")
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_text("Options successfully saved.")).to_be_visible()
    await page.get_by_role("button", name="Finish").click()


async def _pause_print(
    page: Page, printer: SimulatedPrinter, shot: Screenshots
) -> None:
    status = entity_row(page, entity_name("sensor", "print_status"))
    pause = entity_row(page, entity_name("button", "pause"))
    resume = entity_row(page, entity_name("button", "resume"))
    await page.get_by_role("button", name=_device_row(printer)).click()
    await expect(status).to_contain_text(
        entity_state("sensor", "print_status", "running"), timeout=STATE_TIMEOUT_MS
    )
    await expect(resume.get_by_role("button", name="Press")).to_be_disabled()
    await status.scroll_into_view_if_needed()
    await shot("device-printing")

    await pause.get_by_role("button", name="Press").click()
    await expect(status).to_contain_text(
        entity_state("sensor", "print_status", "pause"), timeout=STATE_TIMEOUT_MS
    )
    await expect(resume.get_by_role("button", name="Press")).to_be_enabled()
    assert printer.firmware.state["gcode_state"] == "PAUSE"
    assert [c["print"]["command"] for c in printer.commands if "print" in c].count(
        "pause"
    ) == 1
    await status.scroll_into_view_if_needed()
    await shot("device-paused")


async def _open_camera(
    page: Page, printer: SimulatedPrinter, shot: Screenshots
) -> None:
    await page.get_by_title(entity_name("camera", "camera"), exact=True).click()
    # The more-info dialog plays the entity's MJPEG stream in an <img>.
    image = page.locator("ha-more-info-dialog img[src*='/api/camera_proxy_stream/']")
    await expect(image).to_be_visible()
    # A frame of the printer's camera, relayed as MJPEG by the entity, decoded.
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=await image.element_handle(),
        timeout=STATE_TIMEOUT_MS,
    )
    shown = await image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    with Image.open(io.BytesIO(printer._render_frame())) as frame:
        assert tuple(shown) == frame.size
    await shot("camera")


@pytest.mark.timeout(300)
async def test_set_up_and_control_in_the_browser(
    home_assistant_url: str,
    live_world: Simulator,
    page: Page,
    screenshots: Screenshots,
) -> None:
    """Onboard, add the account, see the printers, pause one, watch its camera."""
    printer = _printing_printer(live_world)
    await _onboard(page, home_assistant_url, screenshots)
    await _add_account(page, live_world, screenshots)
    await _check_devices(page, live_world, screenshots)
    await _set_up_lan(page, printer, screenshots)
    await _pause_print(page, printer, screenshots)
    await _open_camera(page, printer, screenshots)
    assert len(screenshots.saved) == 13
