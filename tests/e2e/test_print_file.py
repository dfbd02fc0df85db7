"""print_file end to end: a real .3mf over real FTPS to the simulated printer.

The project is built in the test (plate G-code, cover picture, slice info),
read from a folder Home Assistant may read, uploaded over implicit FTPS with
TLS session reuse, and started over the printer's LAN broker; the job then
runs in the simulated firmware and the entities follow its reports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.print_file import EVENT_UPLOAD_PROGRESS
from simulator.printer import SimulatedPrinter
from simulator.threemf import make_3mf
from simulator.world import Simulator

NAME = "e2e_cube.gcode.3mf"


async def until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    """Wait for a state that arrives over real sockets (bounded, no fixed sleep)."""
    async with asyncio.timeout(10):
        while not predicate():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()


async def setup_entry(
    hass: HomeAssistant, entry: MockConfigEntry, printer: SimulatedPrinter
) -> str:
    """Load the entry; return the printer's device id once it has reported."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    registry = dr.async_get(hass)
    await until(
        hass,
        lambda: (
            registry.async_get_device_by_identifier(
                (DOMAIN, printer.serial), entry.entry_id
            )
            is not None
        ),
    )
    device = registry.async_get_device_by_identifier(
        (DOMAIN, printer.serial), entry.entry_id
    )
    assert device is not None
    return device.id


async def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """An entity by its unique id, once its platform has added it."""
    registry = er.async_get(hass)
    await until(
        hass,
        lambda: registry.async_get_entity_id(platform, DOMAIN, unique_id) is not None,
    )
    found = registry.async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None
    return found


def state(hass: HomeAssistant, entity: str) -> str | None:
    """An entity's state, None before it exists."""
    current = hass.states.get(entity)
    return None if current is None else current.state


def idle_x1c(world: Simulator) -> SimulatedPrinter:
    """The demo's X1 Carbon: idle, four AMS units (one AMS 2 Pro, one AMS HT)."""
    return next(p for p in world.printers.values() if p.model.key == "X1C")


def sd_card(printer: SimulatedPrinter) -> set[str]:
    """The files on the printer's SD card."""
    return {p.name for p in printer.files.root.iterdir() if p.is_file()}


def job_requests(printer: SimulatedPrinter) -> list[dict[str, Any]]:
    """The project_file requests the printer received."""
    return [
        c["print"]
        for c in printer.commands
        if c.get("print", {}).get("command") == "project_file"
    ]


@pytest.fixture
def prints(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder in allowlist_external_dirs."""
    folder = tmp_path / "prints"
    folder.mkdir()
    hass.config.allowlist_external_dirs = {str(folder)}
    return folder


def project(plates: int = 2) -> bytes:
    """A two-plate project: 12 layers in 5 minutes, then 30 in 10."""
    return make_3mf(
        name="E2E cube",
        plates=plates,
        layers=[12, 30][:plates],
        prediction_seconds=[300, 600][:plates],
        weight_grams=[4.0, 9.5][:plates],
        filaments=[("PLA", "#00AE42", 4.0), ("PLA", "#FFFFFF", 1.0)],
    )


async def test_print_file_uploads_and_the_job_runs(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    prints: Path,
) -> None:
    printer = idle_x1c(world)
    device = await setup_entry(hass, lan_cloud_entry, printer)
    status = await entity_id(hass, "sensor", f"{printer.serial}_print_status")
    progress = await entity_id(hass, "sensor", f"{printer.serial}_progress")
    layers = await entity_id(hass, "sensor", f"{printer.serial}_total_layers")
    await until(hass, lambda: state(hass, status) == "finish")
    data = project()
    (prints / NAME).write_bytes(data)
    uploads = async_capture_events(hass, EVENT_UPLOAD_PROGRESS)

    response = await hass.services.async_call(
        DOMAIN,
        "print_file",
        {
            "device_id": device,
            "file": str(prints / NAME),
            "plate": 2,
            "ams_mapping": ["A2", "B1"],
            "bed_leveling": False,
        },
        blocking=True,
        return_response=True,
    )

    assert response == {"file": NAME, "size": len(data), "plate": 2}
    assert (printer.files.root / NAME).read_bytes() == data
    (request,) = job_requests(printer)
    assert request["url"] == f"file:///sdcard/{NAME}"
    assert request["param"] == "Metadata/plate_2.gcode"
    assert request["ams_mapping"] == [1, 4]
    assert request["use_ams"] is True
    assert request["bed_leveling"] is False
    assert uploads[0].data["percent"] == 0
    assert uploads[-1].data["percent"] == 100
    assert uploads[-1].data["device_id"] == device

    # The printer took the plate's numbers from the uploaded file.
    job = printer.firmware.job
    assert job is not None
    assert (job.name, job.total_layers, job.print_seconds) == ("e2e_cube", 30, 600)
    await until(hass, lambda: state(hass, status) == "prepare")
    assert state(hass, layers) == "30"
    await printer.advance(job.prepare_seconds + 300)
    await until(hass, lambda: state(hass, status) == "running")
    await until(hass, lambda: state(hass, progress) == "50")
    await printer.advance(300)
    await until(hass, lambda: state(hass, status) == "finish")
    assert state(hass, progress) == "100"


async def test_invalid_requests_upload_and_send_nothing(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    prints: Path,
    tmp_path: Path,
) -> None:
    printer = idle_x1c(world)
    device = await setup_entry(hass, lan_cloud_entry, printer)
    before = sd_card(printer)
    outside = tmp_path / NAME  # readable, but not in the allowlist
    outside.write_bytes(project())
    (prints / NAME).write_bytes(project())
    (prints / "e2e_cube.gcode").write_bytes(b"G28\n")
    cases = [
        ({"file": str(outside)}, "path_not_allowed"),
        ({"file": str(prints / NAME), "plate": 9}, "plate_not_in_file"),
        ({"file": str(prints / "e2e_cube.gcode")}, "not_a_project_file"),
    ]
    for data, key in cases:
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN, "print_file", {"device_id": device, **data}, blocking=True
            )
        assert caught.value.translation_key == key
    assert sd_card(printer) == before
    assert job_requests(printer) == []
    assert printer.firmware.job is None


async def test_printer_without_lan_or_cloud_cannot_receive_files(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    prints: Path,
) -> None:
    """No LAN route, and the cloud broker is gone too: nothing to send through."""
    printer = idle_x1c(world)
    device = await setup_entry(hass, cloud_entry, printer)
    coordinator = cloud_entry.runtime_data.printers[printer.serial]
    await until(hass, lambda: coordinator.printer.cloud_up)
    await world.stop_broker()
    await until(hass, lambda: not coordinator.printer.cloud_up)
    (prints / NAME).write_bytes(project())
    before = sd_card(printer)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "print_file",
            {"device_id": device, "file": str(prints / NAME)},
            blocking=True,
        )
    assert caught.value.translation_key == "no_local_access"
    assert sd_card(printer) == before
    assert job_requests(printer) == []
