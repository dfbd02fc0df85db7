"""Every control against the simulated printers, over real sockets.

Each test calls Home Assistant's services, the simulated firmware obeys the
command, and the entity changes only when the printer's report says so.
The world holds the demo printers (a printing P1P, an X1C and an A1) and an
H2D for the H2-only controls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import copy
from pathlib import Path
from typing import Any

from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL, build_demo
from simulator.world import Simulator
from tests.e2e.helpers import until


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo world plus an H2D (two chamber lamps, air duct, buzzer)."""
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    await build_demo(simulator, printing=1)
    await simulator.add_printer(
        DEMO_EMAIL, "h2d-laser", name="Lab H2D", access_code="44444444"
    )
    async with simulator:
        yield simulator


def _printer(world: Simulator, model: str) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.model.key == model)


class Entities:
    """Entity ids and states of one printer, by platform and key."""

    def __init__(self, hass: HomeAssistant, printer: SimulatedPrinter) -> None:
        self.hass = hass
        self.printer = printer

    def id(self, domain: str, key: str) -> str:
        entity_id = er.async_get(self.hass).async_get_entity_id(
            domain, DOMAIN, f"{self.printer.serial}_{key}"
        )
        assert entity_id is not None, f"{domain}.{key}"
        return entity_id

    def state(self, domain: str, key: str) -> str | None:
        state = self.hass.states.get(self.id(domain, key))
        return None if state is None else state.state

    def attribute(self, domain: str, key: str, name: str) -> Any:
        state = self.hass.states.get(self.id(domain, key))
        return None if state is None else state.attributes.get(name)

    async def call(self, domain: str, service: str, key: str, **data: Any) -> None:
        await self.hass.services.async_call(
            domain,
            service,
            {ATTR_ENTITY_ID: self.id(domain, key), **data},
            blocking=True,
        )

    async def follows(
        self, domain: str, key: str, expected: Any, attribute: str | None = None
    ) -> None:
        """Let the printer report, then wait for the entity to show it."""
        await self.printer.flush()

        def shown() -> bool:
            if attribute is None:
                return self.state(domain, key) == expected
            return self.attribute(domain, key, attribute) == expected

        await until(self.hass, shown)


async def _set_up(
    hass: HomeAssistant, world: Simulator, entry: MockConfigEntry
) -> dict[str, Entities]:
    """Load the entry; wait until every printer's controls are there."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    registry = er.async_get(hass)

    def state(platform: str, unique_id: str) -> State | None:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
        return None if entity_id is None else hass.states.get(entity_id)

    def ready(serial: str) -> bool:
        reporting = state("sensor", f"{serial}_print_status")
        return (
            reporting is not None
            and reporting.state != STATE_UNAVAILABLE
            and state("button", f"{serial}_pause") is not None
        )

    await until(hass, lambda: all(ready(serial) for serial in world.printers))
    return {
        printer.model.key: Entities(hass, printer)
        for printer in world.printers.values()
    }


# The Refresh state button, pressed below, is off by default.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_x1c_controls_follow_the_report(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    x1c = (await _set_up(hass, world, lan_cloud_entry))["X1C"]
    firmware = x1c.printer.firmware

    assert x1c.state("light", "chamber_light") == STATE_ON
    await x1c.call("light", "turn_off", "chamber_light")
    await x1c.follows("light", "chamber_light", STATE_OFF)

    await x1c.call("fan", "set_percentage", "aux_fan", percentage=70)
    await x1c.follows("fan", "aux_fan", 70, attribute="percentage")
    assert firmware.state["big_fan1_speed"] == "11"

    await x1c.call("number", "set_value", "bed_target_temperature", value=60)
    await x1c.follows("number", "bed_target_temperature", "60.0")
    await x1c.call("number", "set_value", "nozzle_target_temperature", value=220)
    await x1c.follows("number", "nozzle_target_temperature", "220.0")

    for key, service, expected in (
        ("camera_recording", "turn_off", STATE_OFF),
        ("timelapse", "turn_on", STATE_ON),
        ("first_layer_inspector", "turn_off", STATE_OFF),
        ("buildplate_marker_detector", "turn_on", STATE_ON),
        ("auto_switch_filament", "turn_off", STATE_OFF),
    ):
        await x1c.call("switch", service, key)
        await x1c.follows("switch", key, expected)

    # Refresh: a change the printer never sent as a delta arrives in full.
    firmware.state["lights_report"][0]["mode"] = "on"
    firmware._sent = copy.deepcopy(firmware.state)
    await x1c.call("button", "press", "refresh")
    await x1c.follows("light", "chamber_light", STATE_ON)


async def test_job_buttons_speed_and_printer_options(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    entities = await _set_up(hass, world, lan_cloud_entry)
    p1p, a1 = entities["P1P"], entities["A1"]

    # The demo P1P is printing: speed and pause are offered, resume is not.
    assert p1p.state("button", "resume") == STATE_UNAVAILABLE
    await p1p.call("select", "select_option", "print_speed", option="sport")
    await p1p.follows("select", "print_speed", "sport")
    await p1p.call("button", "press", "pause")
    await p1p.follows("button", "pause", STATE_UNAVAILABLE)
    assert p1p.state("button", "resume") != STATE_UNAVAILABLE
    await p1p.call("button", "press", "resume")
    await p1p.follows("button", "resume", STATE_UNAVAILABLE)
    await p1p.call("button", "press", "stop")
    await p1p.follows("button", "stop", STATE_UNAVAILABLE)
    assert p1p.state("select", "print_speed") == STATE_UNAVAILABLE
    assert p1p.printer.firmware.state["gcode_state"] == "FAILED"

    # The A1's options live in home_flag.
    for key, service, expected in (
        ("prompt_sound", "turn_on", STATE_ON),
        ("filament_tangle_detect", "turn_off", STATE_OFF),
    ):
        await a1.call("switch", service, key)
        await a1.follows("switch", key, expected)

    # Camera always on is Home Assistant's: the printer hears nothing.
    sent = len(a1.printer.commands)
    await a1.call("switch", "turn_on", "camera_always_on")
    assert a1.state("switch", "camera_always_on") == STATE_ON
    assert lan_cloud_entry.runtime_data.printers[a1.printer.serial].camera_always_on
    assert len(a1.printer.commands) == sent


async def test_h2d_controls(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    h2d = (await _set_up(hass, world, lan_cloud_entry))["H2D"]
    firmware = h2d.printer.firmware

    await h2d.call("light", "turn_off", "chamber_light")
    await h2d.follows("light", "chamber_light", STATE_OFF)
    modes = {light["node"]: light["mode"] for light in firmware.state["lights_report"]}
    assert modes == {
        "chamber_light": "off",
        "chamber_light2": "off",
        "work_light": "flashing",
    }

    await h2d.call("select", "select_option", "airduct_mode", option="heating")
    await h2d.follows("select", "airduct_mode", "heating")

    await h2d.call("number", "set_value", "nozzle_target_temperature_1", value=200)
    await h2d.follows("number", "nozzle_target_temperature_1", "200.0")
    await h2d.call("number", "set_value", "chamber_target_temperature", value=40)
    await h2d.follows("number", "chamber_target_temperature", "40.0")

    await h2d.call("button", "press", "silence_buzzer")
    assert firmware.buzzer_mode == 0


async def test_locked_control_raises_a_repair_and_unlocking_clears_it(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    x1c = (await _set_up(hass, world, lan_cloud_entry))["X1C"]
    issue_id = f"control_locked_{x1c.printer.serial}"
    x1c.printer.set_control_locked(True)

    with pytest.raises(HomeAssistantError) as caught:
        await x1c.call("light", "turn_off", "chamber_light")
    assert caught.value.translation_key == "control_locked"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "control_locked"
    await x1c.printer.flush()
    assert x1c.state("light", "chamber_light") == STATE_ON

    x1c.printer.set_control_locked(False)
    await x1c.call("light", "turn_off", "chamber_light")
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await x1c.follows("light", "chamber_light", STATE_OFF)


async def test_controls_over_the_cloud_broker(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    a1 = (await _set_up(hass, world, cloud_entry))["A1"]
    # Without the printer's LAN address there is no camera to keep on.
    assert (
        er.async_get(hass).async_get_entity_id(
            "switch", DOMAIN, f"{a1.printer.serial}_camera_always_on"
        )
        is None
    )
    await a1.call("light", "turn_on", "chamber_light")
    await a1.follows("light", "chamber_light", STATE_ON)
    await a1.call("fan", "turn_on", "part_cooling_fan", percentage=40)
    await a1.follows("fan", "part_cooling_fan", 40, attribute="percentage")
