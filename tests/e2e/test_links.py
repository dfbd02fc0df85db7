"""Which link feeds a printer, over real sockets: LAN first, the cloud behind."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.runtime import BambuRuntimeData
from simulator.cloud import BIND, Fault
from simulator.printer import SimulatedPrinter
from simulator.world import Simulator
from tests.e2e.helpers import until


def _progress(hass: HomeAssistant, printer: SimulatedPrinter) -> str | None:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{printer.serial}_progress"
    )
    state = hass.states.get(entity_id) if entity_id else None
    return None if state is None else state.state


def _printing(world: Simulator) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.firmware.job is not None)


async def test_lan_printers_start_while_the_cloud_is_down(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    """A restart without internet: the LAN printers report at once."""
    printer = _printing(world)
    lan_cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(lan_cloud_entry.entry_id)
    reported = str(printer.firmware.state["mc_percent"])
    await until(hass, lambda: _progress(hass, printer) == reported)
    assert await hass.config_entries.async_unload(lan_cloud_entry.entry_id)

    world.cloud.fail(BIND, Fault.SERVER_ERROR)
    await world.stop_broker()
    assert await hass.config_entries.async_setup(lan_cloud_entry.entry_id)
    assert lan_cloud_entry.state is ConfigEntryState.LOADED
    await printer.advance(600)
    reported = str(printer.firmware.state["mc_percent"])
    await until(hass, lambda: _progress(hass, printer) == reported)
    hub: BambuRuntimeData = lan_cloud_entry.runtime_data
    assert set(hub.printers) == set(world.printers)

    # The internet is back: the cloud link connects behind the LAN ones.
    world.cloud.clear_fault(BIND)
    await world.start_broker()
    assert hub.account is not None
    cloud = hub.account.link
    assert cloud is not None
    cloud.retry_now()
    await until(hass, lambda: cloud.connected)


async def test_a_job_finishes_once_with_both_links_up(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    """Reports reach Home Assistant twice (LAN and cloud): one event each."""
    printer = _printing(world)
    lan_cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(lan_cloud_entry.entry_id)
    hub: BambuRuntimeData = lan_cloud_entry.runtime_data
    local = hub.printers[printer.serial].printer.lan_link
    assert local is not None
    await until(hass, lambda: local.connected)
    await until(hass, lambda: _progress(hass, printer) not in (None, STATE_UNAVAILABLE))
    event_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{printer.serial}_print"
    )
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
    job = printer.firmware.job
    assert job is not None
    # Steps shorter than the pause before the demo's next job.
    step = min(printer.idle_between_jobs / 2, 300.0)
    while printer.firmware.job is job:
        await printer.advance(step)
    assert printer.firmware.state["gcode_state"] == "FINISH"
    await until(hass, lambda: "finished" in fired)
    await until(hass, lambda: _progress(hass, printer) == "100")

    # The cloud's copies of the last two reports arrive after the LAN's.
    assert hub.account is not None
    cloud = hub.account.link
    assert cloud is not None
    for state, percent in (("RUNNING", 99), ("FINISH", 100)):
        heard = cloud.last_seen(printer.serial)
        await printer.publish_late_cloud_copy(
            {
                "print": {
                    "command": "push_status",
                    "msg": 1,
                    "gcode_state": state,
                    "mc_percent": percent,
                }
            }
        )
        await until(hass, lambda h=heard: cloud.last_seen(printer.serial) != h)
    stop()
    assert fired == ["finished"]
    assert _progress(hass, printer) == "100"
