"""Actions end to end: the simulated printer obeys, the entities follow its reports."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.entity import ams_identifier
from simulator.world import Simulator

from .test_print_file import entity_id, idle_x1c, setup_entry, state, until


def _ams_device(
    hass: HomeAssistant, entry: MockConfigEntry, serial: str, unit: int
) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, ams_identifier(serial, unit)), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_filament_and_drying_follow_the_printer(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    printer = idle_x1c(world)
    await setup_entry(hass, lan_cloud_entry, printer)
    serial = printer.serial
    tray = await entity_id(hass, "sensor", f"{serial}_tray_0_1")
    ams_2_pro = await entity_id(hass, "binary_sensor", f"{serial}_ams2_drying")
    ams_ht = await entity_id(hass, "binary_sensor", f"{serial}_ams128_drying")
    await until(hass, lambda: state(hass, ams_2_pro) == "on")
    assert state(hass, ams_ht) == "off"

    await hass.services.async_call(
        DOMAIN,
        "set_filament",
        {
            "device_id": _ams_device(hass, lan_cloud_entry, serial, 0),
            "tray": 2,
            "type": "PETG",
            "color": [255, 0, 0],
        },
        blocking=True,
    )
    await until(hass, lambda: hass.states.get(tray).attributes["profile_id"] == "GFG99")
    attributes = hass.states.get(tray).attributes
    assert (attributes["type"], attributes["color"]) == ("PETG", "#FF0000")
    assert (
        attributes["nozzle_temperature_min"],
        attributes["nozzle_temperature_max"],
    ) == (220, 270)

    await hass.services.async_call(
        DOMAIN,
        "stop_drying",
        {"device_id": _ams_device(hass, lan_cloud_entry, serial, 2)},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "start_drying",
        {
            "device_id": _ams_device(hass, lan_cloud_entry, serial, 128),
            "temperature": 80,
            "duration": 4,
            "filament": "PA-CF",
        },
        blocking=True,
    )
    await until(hass, lambda: state(hass, ams_2_pro) == "off")
    await until(hass, lambda: state(hass, ams_ht) == "on")
    remaining = await entity_id(hass, "sensor", f"{serial}_ams_drying_remaining_128")
    await until(hass, lambda: state(hass, remaining) == "240")


# It reads sensors that are off by default.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_gcode_skip_objects_and_refresh(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    busy = next(p for p in world.printers.values() if p.firmware.job is not None)
    idle = idle_x1c(world)
    busy_device = await setup_entry(hass, lan_cloud_entry, busy)
    registry = dr.async_get(hass)
    await until(
        hass,
        lambda: registry.async_get_device_by_identifier(
            (DOMAIN, idle.serial), lan_cloud_entry.entry_id
        )
        is not None,
    )
    idle_device = registry.async_get_device_by_identifier(
        (DOMAIN, idle.serial), lan_cloud_entry.entry_id
    )
    assert idle_device is not None
    bed_target = await entity_id(
        hass, "sensor", f"{idle.serial}_bed_target_temperature"
    )
    await until(hass, lambda: state(hass, bed_target) not in (None, "unavailable"))

    await hass.services.async_call(
        DOMAIN,
        "send_gcode",
        {"device_id": idle_device.id, "gcode": "M140 S55"},
        blocking=True,
    )
    await until(hass, lambda: state(hass, bed_target) == "55.0")

    await hass.services.async_call(
        DOMAIN,
        "skip_objects",
        {"device_id": busy_device, "objects": [12, 34]},
        blocking=True,
    )
    assert busy.firmware.state["s_obj"] == [12, 34]

    pushalls = sum("pushing" in c for c in idle.commands)
    await hass.services.async_call(
        DOMAIN, "refresh", {"device_id": idle_device.id}, blocking=True
    )
    await until(hass, lambda: sum("pushing" in c for c in idle.commands) > pushalls)


async def test_locked_control_fails_with_a_repair_until_it_works(
    hass: HomeAssistant, world: Simulator, lan_cloud_entry: MockConfigEntry
) -> None:
    printer = idle_x1c(world)
    device = await setup_entry(hass, lan_cloud_entry, printer)
    printer.set_control_locked(True)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN, "home", {"device_id": device}, blocking=True
        )
    assert caught.value.translation_key == "control_locked"
    issue_id = f"control_locked_{printer.serial}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    printer.set_control_locked(False)
    await hass.services.async_call(DOMAIN, "home", {"device_id": device}, blocking=True)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert printer.commands[-1]["print"]["param"] == "G28\n"
