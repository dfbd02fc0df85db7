"""A Bambu account in Home Assistant, end to end against the simulated world.

The real config flow logs in with a code over HTTP, the real hub connects
through the real TLS broker, and a job runs to FINISH with the entities
following. Nothing is faked: the simulator is the Bambu cloud and printers.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from simulator.firmware import Job
from simulator.world import Simulator
from tests.e2e.helpers import sign_in, until


def _entity_id(hass: HomeAssistant, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        unique_id.split(":")[0], DOMAIN, unique_id.split(":")[1]
    )
    assert entity_id is not None
    return entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


async def test_login_with_code_then_a_job_runs_to_finish(
    hass: HomeAssistant, world: Simulator
) -> None:
    result = await sign_in(hass, world)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"selected_printers": list(world.printers)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    registry = dr.async_get(hass)
    await until(
        hass,
        lambda: all(
            registry.async_get_device_by_identifier((DOMAIN, serial), entry.entry_id)
            for serial in world.printers
        ),
    )
    printer = next(p for p in world.printers.values() if p.firmware.job is None)
    status = _entity_id(hass, f"sensor:{printer.serial}_print_status")
    progress = _entity_id(hass, f"sensor:{printer.serial}_progress")
    layer = _entity_id(hass, f"sensor:{printer.serial}_current_layer")
    lifecycle = _entity_id(hass, f"event:{printer.serial}_print")
    await until(hass, lambda: _state(hass, status) not in (None, "unavailable"))
    assert _state(hass, status) == printer.firmware.state["gcode_state"].lower()

    printer.start_job(Job(name="E2E cube", total_layers=30, print_seconds=300))
    await printer.advance(5)
    await until(hass, lambda: _state(hass, status) == "prepare")
    started = hass.states.get(lifecycle)
    assert started is not None
    assert started.attributes["event_type"] == "started"

    seen: list[int] = []
    while printer.firmware.job is not None:
        await printer.advance(20)
        expected = printer.firmware.state["mc_percent"]
        await until(hass, lambda e=expected: _state(hass, progress) == str(e))
        seen.append(int(expected))
    assert seen == sorted(seen)
    await until(hass, lambda: _state(hass, status) == "finish")
    assert _state(hass, progress) == "100"
    assert _state(hass, layer) == "30"
    finished = hass.states.get(lifecycle)
    assert finished is not None
    assert finished.attributes["event_type"] == "finished"
    assert finished.attributes["job_name"] == "E2E cube"


async def test_stored_entry_reconnects_and_follows_offline(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    printer = next(iter(world.printers.values()))
    status = f"sensor:{printer.serial}_print_status"
    await until(
        hass,
        lambda: er.async_get(hass).async_get_entity_id(
            "sensor", DOMAIN, status.split(":")[1]
        )
        is not None,
    )
    entity_id = _entity_id(hass, status)
    await until(hass, lambda: _state(hass, entity_id) not in (None, "unavailable"))
    await printer.set_online(False)
    await until(hass, lambda: _state(hass, entity_id) == "unavailable")
    await printer.set_online(True)
    await until(hass, lambda: _state(hass, entity_id) not in (None, "unavailable"))
