"""The dashboard cards in a real browser, against the simulated printers.

Home Assistant is onboarded and given the demo account (with LAN access)
over its API, as ``scripts/develop`` does; then a person logs in, makes a
dashboard, adds each card through the dashboard editor's card picker, picks
the printer in the card's visual editor, and checks what the card shows
against the simulator: progress and temperatures follow the running job,
pause pauses the simulated printer, the AMS card shows each tray's colour,
and the skip card sends exactly the object picked. Screenshots of every card
(desktop and phone width, light and dark) go to the artifacts folder.
"""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

import aiohttp
from playwright.async_api import Locator, Page, expect
import pytest

from simulator.develop import (
    HA_PASSWORD,
    HA_USER,
    HomeAssistantApi,
    add_demo_account,
    add_lan_access,
)
from simulator.firmware import Job
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_PRINTERS
from simulator.threemf import make_3mf
from simulator.world import Simulator

from .helpers import Screenshots, entity_state, until

STATE_TIMEOUT_MS = 30_000
DASHBOARD = "bambu-printers"
STRATEGY_DASHBOARD = "bambu-all"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PRINTER_FIELD = "Printer"  # the card editor's label (frontend/src/logic/i18n.ts)


# The objects of the project the skip card is tried on: id, name, footprint.
PLATE_OBJECTS = (
    (417, "Cube", (30.0, 30.0, 90.0, 90.0)),
    (532, "Benchy", (140.0, 110.0, 220.0, 190.0)),
    (610, "Gear", (40.0, 150.0, 110.0, 220.0)),
)
SKIP_JOB = "Three parts"
HMS_HEATBED = {"attr": 0x03000100, "code": 0x00010003}  # 0300_0100_0001_0003
HEATBED_TEXT = "The heatbed temperature is abnormal"


# Resolves once the theme change has been drawn and its transitions are over.
SETTLED = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const finite = document
    .getAnimations()
    .filter((a) => a.effect?.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((a) => a.finished));
}"""


def _printing_printer(world: Simulator) -> SimulatedPrinter:
    name = DEMO_PRINTERS[0][1]  # build_demo(printing=1): the first one prints
    return next(p for p in world.printers.values() if p.setup.name == name)


@pytest.fixture
async def ready_url(home_assistant_url: str, live_world: Simulator) -> str:
    """Onboarded, the demo account added with LAN access, an empty dashboard."""
    printer = _printing_printer(live_world)
    # Past prints in the cloud, for the history card: every third failed.
    live_world.add_history(printer.serial, 4, title="Past print", failed_every=3)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, home_assistant_url)
        await api.onboard()
        await api.keep_http_settings()
        entry = await add_demo_account(api, live_world)
        await add_lan_access(api, live_world, entry["result"]["entry_id"])
        await _make_dashboard(session, home_assistant_url, api)
    return home_assistant_url


async def _make_dashboard(
    session: aiohttp.ClientSession, base: str, api: HomeAssistantApi
) -> None:
    """A storage-mode dashboard with one empty view, as "Add dashboard" makes."""
    async with session.ws_connect(f"{base}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": api._token})
        assert (await ws.receive_json())["type"] == "auth_ok"
        messages: list[dict[str, Any]] = [
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD,
                "title": "Printers",
                "mode": "storage",
                "show_in_sidebar": True,
            },
            {
                "type": "lovelace/config/save",
                "url_path": DASHBOARD,
                "config": {
                    "views": [{"title": "Printers", "path": "main", "cards": []}]
                },
            },
            # The one-click dashboard of the README: the integration's strategy.
            {
                "type": "lovelace/dashboards/create",
                "url_path": STRATEGY_DASHBOARD,
                "title": "All printers",
                "mode": "storage",
            },
            {
                "type": "lovelace/config/save",
                "url_path": STRATEGY_DASHBOARD,
                "config": {"strategy": {"type": "custom:bambu-cloud"}},
            },
        ]
        for number, message in enumerate(messages, start=1):
            await ws.send_json({"id": number, **message})
            answer = await ws.receive_json()
            assert answer["success"], answer


async def _log_in(page: Page, base: str) -> None:
    await page.goto(f"{base}/{DASHBOARD}/main")
    await page.get_by_role("textbox", name="Username").fill(HA_USER)
    await page.get_by_role("textbox", name="Password").fill(HA_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_text("Printers").first).to_be_visible()


async def _add_card(
    page: Page,
    base: str,
    search: str,
    printer: str,
    shot: Screenshots,
    *,
    camera: bool = False,
) -> Locator:
    """Add a card through the card picker, pick the printer in its editor, save.

    ``camera``: also switch the printer card to the live camera.
    """
    slug = search.replace(" ", "-").lower()
    await page.goto(f"{base}/{DASHBOARD}/main?edit=1")
    await page.get_by_role("button", name="Add card").click()
    await page.get_by_role("tab", name="By card").click()
    picker = page.locator("hui-card-picker")
    await picker.get_by_role("textbox").fill(search)
    # A card of the picker is its preview under an overlay that takes the click.
    await (
        picker.locator(".card").filter(has=page.get_by_text(search, exact=True)).click()
    )
    editor = page.locator("bambu-card-editor")
    await expect(editor).to_be_visible()
    # The printer field: Home Assistant's device picker, told to list only
    # printers. 2026.11 changed its markup (the field became a button, its
    # rows options of a listbox instead of list items); what both releases
    # share is the field's label, the dialog of choices named after it, and
    # the rows' element with the device's name.
    field = editor.get_by_label(PRINTER_FIELD, exact=True)
    await field.click()
    choices = page.get_by_role("dialog", name=PRINTER_FIELD)
    await choices.get_by_placeholder("Search").fill(printer)
    # One row is left: the printer, not its AMS units (named after it).
    rows = choices.locator("ha-combo-box-item")
    await expect(rows).to_have_count(1)
    await rows.filter(has_text=printer).click()
    await expect(choices).to_be_hidden()
    await expect(field).to_contain_text(printer)
    preview = page.locator(f"hui-dialog-edit-card {CARD_TAGS[search]} .name")
    await expect(preview).to_have_text(printer)
    if camera:
        # The switch draws its thumb over the input, which still takes the click.
        await editor.get_by_role("switch").check(force=True)
        await expect(
            page.locator(f"hui-dialog-edit-card {CARD_TAGS[search]} .picture img")
        ).to_have_attribute("src", re.compile("/api/camera_proxy_stream/"))
    await shot(f"editor-{slug}")
    await page.get_by_role("button", name="Save").click()
    await expect(editor).to_be_hidden()
    await page.get_by_role("button", name="Done").click()
    return page.locator(f"hui-view {CARD_TAGS[search]}")


CARD_TAGS = {
    "Bambu printer": "bambu-printer-card",
    "Bambu AMS": "bambu-ams-card",
    "Bambu skip objects": "bambu-skip-card",
    "Bambu print history": "bambu-history-card",
}


async def _card_pictures(card: Locator, name: str, artifacts: Path) -> None:
    """The card alone, light and dark (the README's pictures come from these)."""
    page = card.page
    for scheme in ("light", "dark"):
        # Home Assistant picks its theme's card colours up on loading.
        await page.emulate_media(color_scheme=scheme)
        await page.reload()
        await expect(page.locator("#ha-launch-screen")).to_have_count(0)
        await expect(card.locator(".name")).to_be_visible()
        await page.evaluate(SETTLED)
        await card.screenshot(path=artifacts / f"card-{name}-{scheme}.png")
    await page.emulate_media(color_scheme="light")
    await page.reload()
    await expect(card.locator(".name")).to_be_visible()


def _layer(text: str) -> int:
    return int(text.split("/")[0].strip())


async def _check_printer_card(
    card: Locator, printer: SimulatedPrinter, shot: Screenshots, artifacts: Path
) -> None:
    """Progress, layers and temperatures follow the job; pause pauses it."""
    state = printer.firmware.state
    # The live camera (switched on in the editor): frames of the printer arrive.
    picture = card.locator(".picture img")
    await expect(picture).to_have_attribute(
        "src", re.compile("/api/camera_proxy_stream/camera\\.")
    )
    await card.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=await picture.element_handle(),
        timeout=STATE_TIMEOUT_MS,
    )
    await expect(card.locator(".status")).to_have_text(
        entity_state("sensor", "print_status", "running"), timeout=STATE_TIMEOUT_MS
    )
    layers = card.locator(".layers")
    await expect(layers).to_have_text(re.compile(r"^\d+ / \d+$"))
    before = await layers.inner_text()
    # A layer takes a few seconds of the simulated job: the card follows.
    await expect(layers).not_to_have_text(before, timeout=STATE_TIMEOUT_MS)
    shown = await layers.inner_text()
    assert _layer(before) < _layer(shown) <= state["layer_num"]
    assert shown.endswith(f"/ {state['total_layer_num']}")
    percent = int((await card.locator(".percent").text_content() or "").split()[0])
    assert 0 < percent <= state["mc_percent"]

    # The simulated printer is told to cool its nozzle: current and target move.
    nozzle = card.locator(".temperature.nozzle .value")
    await expect(nozzle).to_have_text("220 / 220 °C", timeout=STATE_TIMEOUT_MS)
    printer.firmware.set_nozzle_target(0, 190.0)
    await expect(nozzle).to_have_text(
        re.compile(r"^(?!220 )\d+ / 190 °C$"), timeout=STATE_TIMEOUT_MS
    )
    await shot("printer-card")
    await _card_pictures(card, "printer-printing", artifacts)

    await card.locator("button.pause").click()
    confirm = card.get_by_role("alertdialog")
    await expect(confirm).to_contain_text("Pause the print?")
    await confirm.locator("button.confirm-yes").click()
    await expect(card.locator(".status")).to_have_text(
        entity_state("sensor", "print_status", "pause"), timeout=STATE_TIMEOUT_MS
    )
    assert state["gcode_state"] == "PAUSE"
    assert [c["print"]["command"] for c in printer.commands if "print" in c].count(
        "pause"
    ) == 1
    await expect(card.locator("button.resume")).to_be_enabled()
    await shot("printer-card-paused")
    await card.locator("button.resume").click()
    await expect(card.locator(".status")).to_have_text(
        entity_state("sensor", "print_status", "running"), timeout=STATE_TIMEOUT_MS
    )

    # A health message: Bambu's text and its wiki link.
    await printer.raise_hms(HMS_HEATBED["attr"], HMS_HEATBED["code"])
    error = card.locator(".errors li")
    await expect(error).to_contain_text(HEATBED_TEXT, timeout=STATE_TIMEOUT_MS)
    await expect(error.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^https://wiki\.bambulab\.com/")
    )
    await shot("printer-card-error")
    await _card_pictures(card, "printer-error", artifacts)
    await printer.clear_hms()
    await expect(error).to_have_count(0, timeout=STATE_TIMEOUT_MS)

    # The speed: the printer is told the profile picked.
    await card.get_by_role("combobox").select_option("sport")
    await expect(card.get_by_role("combobox")).to_have_value(
        "sport", timeout=STATE_TIMEOUT_MS
    )

    # The select shows the choice at once; the command follows over MQTT.
    def speeds() -> list[str]:
        return [
            c["print"]["param"]
            for c in printer.commands
            if c.get("print", {}).get("command") == "print_speed"
        ]

    await until(lambda: bool(speeds()))
    assert speeds() == ["3"]


def _tray_colours(printer: SimulatedPrinter) -> dict[str, str]:
    """Each loaded tray's colour as the simulated printer reports it, by label."""
    colours: dict[str, str] = {}
    for unit in printer.firmware.state["ams"]["ams"]:
        for tray in unit["tray"]:
            colour = tray.get("tray_color") or ""
            if len(colour) >= 6:
                label = f"{'ABCD'[int(unit['id']) % 4]}{int(tray['id']) + 1}"
                colours[label] = f"#{colour[:6].upper()}"
    return colours


async def _check_ams_card(
    card: Locator, printer: SimulatedPrinter, shot: Screenshots
) -> None:
    """Every tray of the simulated AMS, drawn in its filament's colour."""
    colours = _tray_colours(printer)
    assert colours, "the simulated printer has no loaded tray"
    for label, colour in colours.items():
        tray = card.locator(f".tray[data-label='{label}']")
        await expect(tray).to_have_attribute("data-color", colour)
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        await expect(tray.locator(".spool")).to_have_css(
            "background-color", f"rgb({red}, {green}, {blue})"
        )
    # The job prints from AMS 1, slot 1: that tray is highlighted.
    await expect(card.locator(".tray.active")).to_have_attribute("data-label", "A1")
    await shot("ams-card")

    # Tap a tray and set its filament: the printer takes it, the card shows it.
    await card.locator(".tray[data-label='A2']").click()
    actions = card.locator(".tray-actions")
    await actions.locator("input[name='type']").fill("PETG")
    await actions.locator("input[name='color']").fill("#1f79e5")
    await shot("ams-card-set-filament")
    await actions.get_by_role("button", name="Set filament").click()
    tray = card.locator(".tray[data-label='A2']")
    await expect(tray).to_have_attribute(
        "data-color", "#1F79E5", timeout=STATE_TIMEOUT_MS
    )
    await expect(tray.locator(".type")).to_have_text("PETG")
    simulated = printer.firmware.tray(0, 1)
    assert simulated is not None
    assert simulated["tray_type"] == "PETG"
    assert simulated["tray_color"].startswith("1F79E5")


def _start_project_job(printer: SimulatedPrinter) -> None:
    """Put a sliced project with three objects on the printer and print it."""
    project = make_3mf(
        name=SKIP_JOB,
        layers=200,
        prediction_seconds=3600,
        weight_grams=30.0,
        filaments=[("PLA", "#00AE42", 30.0)],
        objects=PLATE_OBJECTS,
    )
    (printer.files.root / f"{SKIP_JOB}.gcode.3mf").write_bytes(project)
    printer.start_job(
        Job(name=SKIP_JOB, total_layers=200, prepare_seconds=5, print_seconds=3600)
    )


def _skip_commands(printer: SimulatedPrinter) -> list[list[int]]:
    return [
        command["print"]["obj_list"]
        for command in printer.commands
        if command.get("print", {}).get("command") == "skip_objects"
    ]


async def _check_skip_card(
    card: Locator, printer: SimulatedPrinter, shot: Screenshots
) -> None:
    """Pick one object on the plate picture: exactly its id is skipped."""
    names = card.locator("button.object-name")
    await expect(names).to_have_text(
        [name for _id, name, _box in PLATE_OBJECTS], timeout=STATE_TIMEOUT_MS
    )
    await expect(card.locator(".plate img")).to_be_visible()
    await card.locator("rect.object[data-id='532']").click()
    await expect(card.locator("rect.object.selected")).to_have_attribute(
        "data-id", "532"
    )
    await card.locator("button.skip").click()
    confirm = card.get_by_role("alertdialog")
    await expect(confirm).to_contain_text("Benchy")
    await shot("skip-card-confirm")
    assert _skip_commands(printer) == []
    await confirm.locator("button.confirm-yes").click()
    # The printer reports the object skipped: the card shows it so.
    await expect(card.locator("button.object-name[data-id='532']")).to_have_class(
        re.compile(r"\bskipped\b"), timeout=STATE_TIMEOUT_MS
    )
    await expect(card.locator("rect.object.skipped")).to_have_attribute(
        "data-id", "532"
    )
    assert _skip_commands(printer) == [[532]]
    assert printer.firmware.state["s_obj"] == [532]
    await shot("skip-card-skipped")


async def _check_history_card(card: Locator, shot: Screenshots) -> None:
    """The cloud's past prints of the printer, newest first, with their result."""
    # Jobs this session ended (the one the skip check replaced) may come first.
    jobs = card.locator(".job").filter(has_text="Past print")
    await expect(jobs.locator(".title")).to_have_text(
        ["Past print #4", "Past print #3", "Past print #2", "Past print #1"],
        timeout=STATE_TIMEOUT_MS,
    )
    await expect(jobs.locator(".outcome")).to_have_text(
        ["Finished", "Failed", "Finished", "Finished"]
    )
    # Task i took 1800 + 60 i seconds and used 10 + i grams.
    await expect(jobs.first).to_contain_text("33 min · 13 g")
    await shot("history-card")


async def _screenshots_of_the_dashboard(
    page: Page, base: str, shot: Screenshots, artifacts: Path
) -> None:
    """The dashboard and each card: desktop and phone width, light and dark."""
    for scheme in ("light", "dark"):
        await page.emulate_media(color_scheme=scheme)
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            await page.set_viewport_size(size)
            await page.goto(f"{base}/{DASHBOARD}/main")
            # Home Assistant's launch screen goes once the frontend has loaded.
            await expect(page.locator("#ha-launch-screen")).to_have_count(0)
            for tag in CARD_TAGS.values():
                await expect(page.locator(f"hui-view {tag} .name")).to_be_visible()
            await expect(page.locator("hui-view .plate img")).to_be_visible()
            await shot(f"dashboard-{name}-{scheme}")
            # Nothing of a card sticks out sideways, on a phone either.
            for tag in CARD_TAGS.values():
                widths = await page.locator(f"hui-view {tag} ha-card").evaluate(
                    "card => [card.scrollWidth, card.clientWidth]"
                )
                assert widths[0] <= widths[1], (tag, name, widths)
            for tag in CARD_TAGS.values():
                await page.locator(f"hui-view {tag}").screenshot(
                    path=artifacts / f"card-{tag}-{name}-{scheme}.png"
                )
    await page.emulate_media(color_scheme="light")
    await page.set_viewport_size(DESKTOP)


async def _check_strategy(
    page: Page, base: str, world: Simulator, shot: Screenshots, artifacts: Path
) -> None:
    """The strategy lays out the three cards of every printer."""
    await page.goto(f"{base}/{STRATEGY_DASHBOARD}")
    await expect(page.locator("#ha-launch-screen")).to_have_count(0)
    for tag in CARD_TAGS.values():
        await expect(page.locator(f"hui-view {tag}")).to_have_count(len(world.printers))
    names = {p.setup.name for p in world.printers.values()}
    shown = await page.locator("hui-view bambu-printer-card .name").all_inner_texts()
    assert set(shown) == names
    # Every printer of the demo has an AMS: each card draws its trays.
    ams_cards = page.locator("hui-view bambu-ams-card")
    for index in range(len(world.printers)):
        await expect(ams_cards.nth(index).locator(".tray").first).to_be_visible()
    await shot("strategy-dashboard")
    # The printer with four AMS units, for the README.
    await page.set_viewport_size({"width": DESKTOP["width"], "height": 2000})
    for scheme in ("light", "dark"):
        await page.emulate_media(color_scheme=scheme)
        await page.goto(f"{base}/{STRATEGY_DASHBOARD}")
        await expect(page.locator("#ha-launch-screen")).to_have_count(0)
        four_units = page.locator("hui-view bambu-ams-card").filter(
            has_text=DEMO_PRINTERS[1][1]
        )
        await expect(four_units.locator(".tray")).to_have_count(14)
        await page.screenshot(path=artifacts / f"strategy-tall-{scheme}.png")
        await four_units.evaluate("card => card.scrollIntoView({block: 'center'})")
        box = await four_units.bounding_box()
        assert box is not None
        await page.screenshot(
            path=artifacts / f"card-ams-four-units-{scheme}.png", clip=box
        )
    await page.emulate_media(color_scheme="light")
    await page.set_viewport_size(DESKTOP)


@pytest.mark.timeout(600)
async def test_cards_in_the_browser(
    ready_url: str,
    live_world: Simulator,
    page: Page,
    screenshots: Screenshots,
    artifacts: Path,
) -> None:
    """Add each card through the picker and check it against the simulator."""
    printer = _printing_printer(live_world)
    await _log_in(page, ready_url)
    card = await _add_card(
        page, ready_url, "Bambu printer", printer.setup.name, screenshots, camera=True
    )
    await _check_printer_card(card, printer, screenshots, artifacts)
    card = await _add_card(
        page, ready_url, "Bambu AMS", printer.setup.name, screenshots
    )
    await _check_ams_card(card, printer, screenshots)
    _start_project_job(printer)
    card = await _add_card(
        page, ready_url, "Bambu skip objects", printer.setup.name, screenshots
    )
    await _check_skip_card(card, printer, screenshots)
    card = await _add_card(
        page, ready_url, "Bambu print history", printer.setup.name, screenshots
    )
    await _check_history_card(card, screenshots)
    await _screenshots_of_the_dashboard(page, ready_url, screenshots, artifacts)
    await _check_strategy(page, ready_url, live_world, screenshots, artifacts)
