"""Entities of printers built from Bambu Studio's parsers (tests/fixtures/protocol).

The H2C's hotend rack, per-nozzle sensors, external spools named by holder
id, the A2L's AMS Lite, and remaining filament the printer does not estimate.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.aiobambulab.job_details import (
    JobDetails,
    JobFilament,
    JobKey,
    JobSource,
)
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.entity import ams_identifier
from tests.bambu.test_protocol_fixtures import fixture
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, printer_keys, state_of
from tests.test_services import body, call, device_id

pytestmark = pytest.mark.usefixtures(
    "fake_link", "entity_registry_enabled_by_default", "job_files"
)


async def _setup(
    hass: HomeAssistant, name: str
) -> tuple[MockConfigEntry, FakeLink, dict[str, Any]]:
    """A LAN printer that sent a protocol fixture's version and report."""
    doc = fixture(name)
    entry = lan_entry(name)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, doc["get_version"])
    link.deliver(LAN_SERIAL, fixture(name)["report"])
    await hass.async_block_till_done()
    return entry, link, doc


def _sensor(hass: HomeAssistant, key: str) -> Any:
    return state_of(hass, key, domain="sensor")


async def test_hotend_rack_and_nozzles(hass: HomeAssistant) -> None:
    entry, link, doc = await _setup(hass, "h2c-hotend-rack")
    device = doc["report"]["print"]["device"]
    keys = printer_keys(hass, entry.entry_id)
    assert {f"rack_hotend_{place}" for place in range(6)} <= keys
    rack = _sensor(hass, "hotend_rack")
    assert rack.state == "placing_hotend"  # holder.stat 7
    assert rack.attributes["position"] == "centre"  # holder.pos 3
    assert rack.attributes["hotends"] == 2
    assert rack.attributes["mounted_type"] == "hardened_steel"  # "HS01-0.4"
    assert rack.attributes["mounted_diameter"] == 0.4
    first = _sensor(hass, "rack_hotend_0")
    assert first.state == "hardened_steel"
    assert first.attributes["flow"] == "high_flow"  # "HH01"
    assert first.attributes["diameter"] == 0.6
    assert first.attributes["verified"] is True
    assert first.attributes["friendly_name"].endswith("Rack hotend 1")
    assert _sensor(hass, "rack_hotend_1").state == "empty"
    third = _sensor(hass, "rack_hotend_2")
    assert third.state == "tungsten_carbide"  # "HS05"
    assert third.attributes["verified"] is False  # stat bit 0
    # Two extruders, named right and left as Bambu names them.
    right, left = _sensor(hass, "nozzle_type"), _sensor(hass, "nozzle_type_1")
    assert right.attributes["friendly_name"].endswith("Right nozzle type")
    assert left.attributes["friendly_name"].endswith("Left nozzle type")
    assert (right.state, left.state) == ("hardened_steel", "stainless_steel")
    assert _sensor(hass, "active_nozzle").state == "right"

    # A hotend placed in the rack, the rack idle again.
    info = [*device["nozzle"]["info"], {"id": 0x11, "type": "HS00", "diameter": 0.8}]
    await deliver_report(
        hass, link, device={"nozzle": {"info": info}, "holder": {"stat": 0, "pos": 1}}
    )
    assert _sensor(hass, "rack_hotend_1").state == "stainless_steel"
    assert _sensor(hass, "rack_hotend_1").attributes["diameter"] == 0.8
    assert _sensor(hass, "hotend_rack").state == "idle"
    assert _sensor(hass, "hotend_rack").attributes["position"] == "a_top"


async def test_per_nozzle_sensors_and_holders_by_id(hass: HomeAssistant) -> None:
    entry, link, _doc = await _setup(hass, "h2d-nozzles-external-spools")
    keys = printer_keys(hass, entry.entry_id)
    assert {"nozzle_type", "nozzle_type_1", "nozzle_flow", "nozzle_flow_1"} <= keys
    assert "hotend_rack" not in keys  # the H2D has no rack
    # The block, not the top level's "stainless_steel".
    assert _sensor(hass, "nozzle_type").state == "hardened_steel"
    assert _sensor(hass, "nozzle_flow").state == "high_flow"
    assert _sensor(hass, "nozzle_diameter").state == "0.6"
    assert _sensor(hass, "nozzle_type_1").state == "tungsten_carbide"
    assert _sensor(hass, "nozzle_diameter_1").state == "0.4"
    assert _sensor(hass, "active_nozzle").state == "left"
    # Holder 255 is spool 1 (right), 254 spool 2 (left), whatever the order.
    assert _sensor(hass, "external_spool_0").state == "PLA"
    assert _sensor(hass, "external_spool_1").state == "PETG"
    active = _sensor(hass, "active_tray")
    assert active.state == "PETG"
    assert active.attributes["external"] is True
    assert active.attributes["tray"] == 2
    remaining = _sensor(hass, "external_spool_remaining_1")
    assert remaining.state == STATE_UNKNOWN
    assert remaining.attributes["unknown_reason"] == "external_spool"

    # The right extruder takes over, from holder 255.
    await deliver_report(hass, link, device={"extruder": {"state": 0x02}})
    assert _sensor(hass, "active_nozzle").state == "right"
    assert _sensor(hass, "active_tray").state == "PLA"


async def test_a2l_ams_lite(hass: HomeAssistant) -> None:
    entry, _link, _doc = await _setup(hass, "a2l-ams-lite-mixed")
    devices = dr.async_get(hass)
    lite = devices.async_get_device_by_identifier(
        (DOMAIN, ams_identifier(LAN_SERIAL, 16)), entry.entry_id
    )
    assert lite is not None
    assert lite.model == "AMS lite"
    assert lite.name is not None
    assert lite.name.endswith("AMS lite 1")
    keys = printer_keys(hass, entry.entry_id)
    assert {f"tray_16_{slot}" for slot in range(4)} <= keys
    assert _sensor(hass, "tray_16_0").state == "Bambu PETG Basic"  # GFG00
    assert _sensor(hass, "tray_16_1").state == "empty"
    assert _sensor(hass, "tray_16_2").state == "PLA Matte"
    assert _sensor(hass, "tray_remaining_16_2").state == "12"
    assert _sensor(hass, "tray_0_0").state == "PLA Basic"
    active = _sensor(hass, "active_tray")
    assert active.state == "PLA Matte"  # tray_now 26: the AMS Lite's slot 3
    assert active.attributes["ams_id"] == 16
    assert active.attributes["tray"] == 3


async def test_remaining_unknown_says_why(hass: HomeAssistant) -> None:
    _entry, link, doc = await _setup(hass, "remaining-estimate-off")
    for slot in range(4):
        remaining = _sensor(hass, f"tray_remaining_0_{slot}")
        assert remaining.state == STATE_UNKNOWN  # not "0 %" or "100 %"
        assert remaining.attributes["unknown_reason"] == "estimate_off"
    flag = doc["report"]["print"]["home_flag"] | 0x80
    await deliver_report(hass, link, home_flag=flag)
    assert _sensor(hass, "tray_remaining_0_0").state == "0"
    assert _sensor(hass, "tray_remaining_0_1").state == "100"
    untagged = _sensor(hass, "tray_remaining_0_3")
    assert untagged.state == STATE_UNKNOWN
    assert untagged.attributes["unknown_reason"] == "untracked_spool"


async def test_shortage_unknown_when_the_printer_stops_estimating(
    hass: HomeAssistant, job_files: AsyncMock
) -> None:
    """The H2D capture prints from B4 (51 %, tagged) with the estimate on."""

    def lookup(key: JobKey) -> JobDetails:
        return JobDetails(
            key, JobSource.PRINTER, filaments=(JobFilament(1, "PLA", "", 600, None),)
        )

    job_files.side_effect = lookup
    entry = lan_entry("h2d-laser")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(LAN_SERIAL, get_version("h2d-laser"))
    report = pushall("h2d-laser")
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    shortage = state_of(hass, "filament_shortage", domain="binary_sensor")
    assert shortage.state == STATE_ON
    flag = report["print"]["home_flag"] & ~0x80
    await deliver_report(hass, link, home_flag=flag)
    shortage = state_of(hass, "filament_shortage", domain="binary_sensor")
    assert shortage.state == STATE_UNKNOWN
    assert shortage.attributes["unknown_trays"] == ["B4"]


async def test_load_and_unload_on_the_a2l_ams_lite(hass: HomeAssistant) -> None:
    """The load action addresses unit 16 as Bambu Studio does; unload follows it."""
    _entry, link, _doc = await _setup(hass, "a2l-ams-lite-mixed")
    lite = device_id(hass, ams_identifier(LAN_SERIAL, 16))
    sent = len(link.published)
    await call(hass, "load_filament", {"device_id": lite, "tray": 3})
    (payload,) = [p for _s, p in link.published[sent:]]
    assert body(payload) == {
        "command": "ams_change_filament",
        "target": 16,
        "ams_id": 16,
        "slot_id": 2,
        "curr_temp": -1,
        "tar_temp": -1,
    }
    # The report's tray_now 26 is the AMS Lite's: unloading names unit 16.
    sent = len(link.published)
    await call(hass, "unload_filament", {"device_id": device_id(hass, LAN_SERIAL)})
    (payload,) = [p for _s, p in link.published[sent:]]
    assert body(payload)["ams_id"] == 16
