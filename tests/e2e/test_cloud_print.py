"""print_file without a LAN route: through the account's cloud storage.

The default world's printers report an address Home Assistant has no route
to, so they are served by the cloud only. The project goes to the fake
cloud's storage (the two-URL upload), the print is started over the
account's cloud broker with the stored file's URL, and the simulated printer
downloads it from the fake cloud and prints its plate.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.print_file import EVENT_UPLOAD_PROGRESS
from simulator.world import Simulator
from tests.e2e.helpers import until
from tests.e2e.test_print_file import (
    NAME,
    entity_id,
    idle_x1c,
    job_requests,
    project,
    sd_card,
    setup_entry,
    state,
)


@pytest.fixture
def prints(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder in allowlist_external_dirs."""
    folder = tmp_path / "prints"
    folder.mkdir()
    hass.config.allowlist_external_dirs = {str(folder)}
    return folder


async def test_print_through_the_cloud_without_a_lan_route(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    prints: Path,
) -> None:
    printer = idle_x1c(world)
    device = await setup_entry(hass, cloud_entry, printer)
    status = await entity_id(hass, "sensor", f"{printer.serial}_print_status")
    await until(hass, lambda: state(hass, status) == "finish")
    coordinator = cloud_entry.runtime_data.printers[printer.serial]
    assert coordinator.local_access is None  # no LAN route
    assert not coordinator.printer.lan_up
    data = project()
    (prints / NAME).write_bytes(data)
    on_card = sd_card(printer)
    uploads = async_capture_events(hass, EVENT_UPLOAD_PROGRESS)

    response = await hass.services.async_call(
        DOMAIN,
        "print_file",
        {"device_id": device, "file": str(prints / NAME), "plate": 2},
        blocking=True,
        return_response=True,
    )

    assert response == {"file": NAME, "size": len(data), "plate": 2}
    assert world.cloud.files[NAME] == data  # in the account's cloud storage
    assert sd_card(printer) == on_card  # nothing over FTPS
    (request,) = job_requests(printer)
    assert request["url"] == f"{world.api_url}/s3/filename/{NAME}"
    assert request["param"] == "Metadata/plate_2.gcode"
    assert [u.data["percent"] for u in uploads] == [0, 100]
    # The printer downloaded the project and took the plate's numbers.
    job = printer.firmware.job
    assert job is not None
    assert (job.name, job.total_layers, job.print_seconds) == ("e2e_cube", 30, 600)
    await until(hass, lambda: state(hass, status) == "prepare")


async def test_no_cloud_storage_says_so(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    prints: Path,
) -> None:
    printer = idle_x1c(world)
    device = await setup_entry(hass, cloud_entry, printer)
    status = await entity_id(hass, "sensor", f"{printer.serial}_print_status")
    await until(hass, lambda: state(hass, status) == "finish")
    world.cloud.upload_enabled = False
    (prints / NAME).write_bytes(project())

    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "print_file",
            {"device_id": device, "file": str(prints / NAME), "plate": 1},
            blocking=True,
        )

    assert caught.value.translation_key == "no_cloud_storage"
    assert job_requests(printer) == []
