"""The print queue's auto-start on the printer's heatbed check, end to end.

A simulated H2D (foreign object detection on, as its firmware reports
it) over real MQTT (Mosquitto) and FTPS. With the opt-in on, the
queue starts its second item as soon as the first one finished, without
"Plate cleared": the printer checks the heatbed, finds the first print
still there and pauses the job with its foreign-object error until the
plate is cleared and the job resumed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import Kind
from simulator.firmware import FOD_PRINT_ERROR
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.threemf import make_3mf
from simulator.world import Simulator
from tests.e2e.test_print_file import entity_id, setup_entry, state, until


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo account with one H2D, still printing its captured job."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(DEMO_EMAIL, DEMO_PASSWORD, kind=Kind.CODE)
    await simulator.add_printer(DEMO_EMAIL, "h2d-laser", name="Lab H2D")
    async with simulator:
        yield simulator


async def _press(hass: HomeAssistant, button: str) -> None:
    await hass.services.async_call(
        "button", "press", target={"entity_id": button}, blocking=True
    )


async def _items(hass: HomeAssistant, queue: str) -> list[tuple[str, str | None]]:
    result: dict[str, Any] = await hass.services.async_call(
        "todo", "get_items", {}, target={"entity_id": queue}, blocking=True,
        return_response=True,
    )  # fmt: skip
    return [
        (item["status"], item.get("description")) for item in result[queue]["items"]
    ]


async def _finish(hass: HomeAssistant, printer: SimulatedPrinter, status: str) -> None:
    job = printer.firmware.job
    assert job is not None
    await printer.advance(job.prepare_seconds + job.print_seconds + 1)
    await until(hass, lambda: state(hass, status) == "finish")


async def test_the_queue_goes_on_when_the_printer_checks_the_plate(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    (printer,) = world.printers.values()
    folder = printer.files.root / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("first", "second"):
        (folder / f"{name}.gcode.3mf").write_bytes(
            make_3mf(
                name=name,
                layers=10,
                prediction_seconds=60,
                weight_grams=1.0,
                filaments=[("PLA", "#FFFFFF", 1.0)],
            )
        )
    device = await setup_entry(hass, lan_cloud_entry, printer)
    serial = printer.serial
    status = await entity_id(hass, "sensor", f"{serial}_print_status")
    queue = await entity_id(hass, "todo", f"{serial}_print_queue")
    cleared = await entity_id(hass, "button", f"{serial}_plate_cleared")
    # The switch exists because the printer reports the heatbed check.
    auto_start = await entity_id(hass, "switch", f"{serial}_queue_auto_start")
    await until(hass, lambda: state(hass, status) == "running")

    await hass.services.async_call(
        "switch", "turn_on", target={"entity_id": auto_start}, blocking=True
    )
    await until(
        hass,
        lambda: hass.states.get(queue).attributes.get("auto_start") == "ready",  # type: ignore[union-attr]
    )
    for name in ("first", "second"):
        await hass.services.async_call(
            DOMAIN,
            "add_to_queue",
            {
                "device_id": device,
                "file": f"printer:/cache/{name}.gcode.3mf",
                "ams_mapping": ["A2"],  # PLA (A1 holds PLA-S)
            },
            blocking=True,
        )
    # The captured job is stopped: its plate is unknown, the queue waits.
    await _press(hass, await entity_id(hass, "button", f"{serial}_stop"))
    await until(hass, lambda: state(hass, status) == "failed")
    await hass.async_block_till_done()
    assert printer.firmware.job is None
    printer.clear_plate()
    await _press(hass, cleared)
    await until(hass, lambda: printer.firmware.job is not None)
    assert printer.firmware.job.name == "first"  # type: ignore[union-attr]
    await until(hass, lambda: state(hass, status) == "prepare")

    # Finished: the next one starts at once, on the printer's check.
    await _finish(hass, printer, status)
    await until(
        hass,
        lambda: printer.firmware.job is not None
        and printer.firmware.job.name == "second",
    )
    await until(hass, lambda: state(hass, status) == "prepare")
    # The first print is still on the plate: the printer pauses the job.
    await printer.advance(1)
    await until(hass, lambda: state(hass, status) == "pause")
    entry = hass.config_entries.async_get_entry(lan_cloud_entry.entry_id)
    assert entry is not None
    reported = entry.runtime_data.printers[serial].data
    assert reported.print_error == FOD_PRINT_ERROR
    assert [code.id for code in reported.hms] == ["0C00030000020010"]
    assert await _items(hass, queue) == [
        ("completed", "Printed"),
        ("needs_action", None),  # running, paused on the printer
    ]

    resume = await entity_id(hass, "button", f"{serial}_resume")
    with pytest.raises(HomeAssistantError):
        await _press(hass, resume)  # the plate is still not clear
    printer.clear_plate()
    await _press(hass, resume)
    await until(hass, lambda: state(hass, status) == "prepare")
    await _finish(hass, printer, status)
    await until(hass, lambda: state(hass, queue) == "0")
    assert await _items(hass, queue) == [
        ("completed", "Printed"),
        ("completed", "Printed"),
    ]
    assert printer.firmware.job is None  # nothing left to start
