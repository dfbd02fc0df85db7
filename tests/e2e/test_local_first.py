"""Account printers go local by themselves, over real sockets (issue 17).

The simulated printers have loopback addresses of their own and a real
printer's ports; they report their address, the fake cloud's device list
carries their access codes. The account entry has no option set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_socket import socket_allow_hosts

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.coordinator import PrinterCoordinator
from simulator.cloud import BIND, Fault
from simulator.printer import SimulatedPrinter
from simulator.scenario import build_demo
from simulator.threemf import make_3mf
from simulator.world import Simulator
from tests.e2e.helpers import until

PROJECT = "e2e_local.gcode.3mf"


@pytest.fixture
def loopback(socket_enabled: None) -> None:
    """Connections to any loopback address (the printers' own), nothing else."""
    socket_allow_hosts(["127.0.0.0/8"], allow_unix_socket=True)


@pytest.fixture
async def world(tmp_path: Path, loopback: None) -> AsyncIterator[Simulator]:
    """The demo world, each printer at a loopback address of its own."""
    simulator = Simulator(tmp_path / "world", rate_hz=0, lan_addresses=True)
    await build_demo(simulator, printing=1)
    async with simulator:
        yield simulator


def _entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)


def _connection(hass: HomeAssistant, serial: str) -> tuple[str, str] | None:
    entity_id = _entity_id(hass, "sensor", f"{serial}_connection")
    state = hass.states.get(entity_id) if entity_id else None
    return None if state is None else (state.state, state.attributes.get("lan", ""))


def _state_of(hass: HomeAssistant, serial: str) -> str | None:
    connection = _connection(hass, serial)
    return None if connection is None else connection[0]


def _coordinator(entry: MockConfigEntry, serial: str) -> PrinterCoordinator:
    coordinator: PrinterCoordinator = entry.runtime_data.printers[serial]
    return coordinator


def _jpeg_printer(world: Simulator) -> SimulatedPrinter:
    """An idle P1/A1 (port-6000 camera)."""
    return next(
        p
        for p in world.printers.values()
        if p.has_jpeg_camera and p.firmware.job is None
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_account_printers_go_local_with_no_options(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """LAN links, camera frames and the job file, no option typed."""
    assert not cloud_entry.options
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    for serial in world.printers:
        await until(hass, lambda s=serial: _connection(hass, s) == ("lan", "up"))
        assert _coordinator(cloud_entry, serial).printer.lan_up

    # The P1/A1 camera: frames from the printer's own address, port 6000.
    printer = _jpeg_printer(world)
    assert printer.camera is not None
    await until(
        hass, lambda: _entity_id(hass, "camera", f"{printer.serial}_camera") is not None
    )
    camera = _entity_id(hass, "camera", f"{printer.serial}_camera")
    assert camera is not None
    image = await async_get_image(hass, camera)
    assert image.content.startswith(b"\xff\xd8")  # a JPEG
    assert printer.camera.served >= 1

    # The job file over FTPS at the printer's address (port 990): its weight.
    (printer.files.root / PROJECT).write_bytes(
        make_3mf(
            name="e2e local",
            layers=20,
            prediction_seconds=600,
            weight_grams=12.5,
            filaments=[("PLA", "#F2754E", 12.5)],
        )
    )
    weight = _entity_id(hass, "sensor", f"{printer.serial}_print_weight")
    assert weight is not None
    await _coordinator(cloud_entry, printer.serial).printer.start_print(PROJECT)
    await until(hass, lambda: (s := hass.states.get(weight)) and s.state == "12.5")
    assert any(c.startswith(f"RETR /{PROJECT}") for c in printer.files.commands)

    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert "needs the printer's IP address" not in caplog.text


async def test_certificate_of_another_printer_is_refused(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    tmp_path: Path,
) -> None:
    """A valid Bambu certificate naming another serial: the cloud serves."""
    printer = _jpeg_printer(world)
    other = next(s for s in world.printers if s != printer.serial)
    impostor = world.ca.issue(other, ip_addresses=(printer.address,)).write(
        tmp_path / "impostor", "printer"
    )
    await printer.swap_lan_certificate(impostor)

    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    await until(hass, lambda: _connection(hass, printer.serial) == ("cloud", "tls"))
    coordinator = _coordinator(cloud_entry, printer.serial)
    assert coordinator.printer_available  # served by the cloud
    assert coordinator.local_access is None  # no camera or files there
    assert _entity_id(hass, "camera", f"{printer.serial}_camera") is None
    assert not coordinator.printer.lan_up


async def test_lan_lost_and_back_fires_the_job_once(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """LAN -> cloud -> LAN again; the job's end is one event."""
    printer = next(p for p in world.printers.values() if p.firmware.job is not None)
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    await until(hass, lambda: _connection(hass, printer.serial) == ("lan", "up"))
    event_id = _entity_id(hass, "event", f"{printer.serial}_print")
    assert event_id is not None
    fired: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if (
            event.data["entity_id"] == event_id
            and new is not None
            and new.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
        ):
            fired.append(new.attributes["event_type"])

    stop = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    await printer.set_lan_reachable(False)
    await until(hass, lambda: _state_of(hass, printer.serial) == "cloud")
    await printer.advance(60)

    await printer.set_lan_reachable(True)
    link = _coordinator(cloud_entry, printer.serial).printer.lan_link
    assert link is not None
    link.retry_now()  # instead of the slow retry's minute
    await until(hass, lambda: _connection(hass, printer.serial) == ("lan", "up"))

    job = printer.firmware.job
    assert job is not None
    step = min(printer.idle_between_jobs / 2, 300.0)
    while printer.firmware.job is job:
        await printer.advance(step)
    await until(hass, lambda: "finished" in fired)
    stop()
    assert fired == ["finished"]


async def test_internet_down_at_start_printers_stay_on_the_lan(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """Found once, a printer starts on the LAN from the remembered list."""
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    for serial in world.printers:
        await until(hass, lambda s=serial: _state_of(hass, s) == "lan")
    assert await hass.config_entries.async_unload(cloud_entry.entry_id)

    world.cloud.fail(BIND, Fault.SERVER_ERROR)
    await world.stop_broker()
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    assert cloud_entry.state is ConfigEntryState.LOADED
    printer = next(p for p in world.printers.values() if p.firmware.job is not None)
    for serial in world.printers:
        await until(hass, lambda s=serial: _state_of(hass, s) == "lan")
        assert _coordinator(cloud_entry, serial).printer_available
    await printer.advance(600)
    reported = str(printer.firmware.state["mc_percent"])
    progress = _entity_id(hass, "sensor", f"{printer.serial}_progress")
    assert progress is not None
    await until(hass, lambda: (s := hass.states.get(progress)) and s.state == reported)
