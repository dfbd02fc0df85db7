"""The chamber light: one entity per printer, both lamps on H2 printers."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from custom_components.bambu_cloud.const import DOMAIN
from tests.common import PRINTERS, get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink
from tests.snapshot_helpers import setup_full_capture, snapshot_entities

ISSUE_ID = f"control_locked_{LAN_SERIAL}"


@pytest.fixture(autouse=True)
def _only_lights() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.LIGHT]):
        yield


def _entity_id(hass: HomeAssistant) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        LIGHT_DOMAIN, DOMAIN, f"{LAN_SERIAL}_chamber_light"
    )
    assert entity_id is not None
    return entity_id


def _state(hass: HomeAssistant) -> str:
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    return state.state


async def _lights(hass: HomeAssistant, link: FakeLink, **modes: str) -> None:
    report = [{"node": node, "mode": mode} for node, mode in modes.items()]
    link.deliver(
        LAN_SERIAL,
        {"print": {"command": "push_status", "msg": 1, "lights_report": report}},
    )
    await hass.async_block_till_done()


async def _switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        LIGHT_DOMAIN, service, {ATTR_ENTITY_ID: _entity_id(hass)}, blocking=True
    )


def _ledctrl(node: str, mode: str) -> dict[str, Any]:
    return {
        "command": "ledctrl",
        "led_node": node,
        "led_mode": mode,
        "led_on_time": 500,
        "led_off_time": 500,
        "loop_times": 0,
        "interval_time": 0,
    }


def _sent(link: FakeLink) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in body.items() if k != "sequence_id"}
        for body in link.commands("ledctrl")
    ]


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    ids = await snapshot_entities(hass, snapshot, entry.entry_id, LIGHT_DOMAIN)
    assert len(ids) == 1


async def test_turning_sends_ledctrl_and_waits_for_the_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    assert _state(hass) == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON)
    assert _sent(link) == [_ledctrl("chamber_light", "on")]
    # Nothing optimistic: the light is on once the printer says so.
    assert _state(hass) == STATE_OFF
    await _lights(hass, link, chamber_light="on")
    assert _state(hass) == STATE_ON

    await _switch(hass, SERVICE_TURN_OFF)
    assert _sent(link)[-1] == _ledctrl("chamber_light", "off")
    await _lights(hass, link, chamber_light="off")
    assert _state(hass) == STATE_OFF


async def test_two_chamber_lamps_are_one_light(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "h2d-laser")
    assert _state(hass) == STATE_ON
    await _switch(hass, SERVICE_TURN_OFF)
    # The work light is the toolhead's camera light: left alone.
    assert _sent(link) == [
        _ledctrl("chamber_light", "off"),
        _ledctrl("chamber_light2", "off"),
    ]
    await _lights(
        hass, link, chamber_light="off", work_light="flashing", chamber_light2="on"
    )
    assert _state(hass) == STATE_ON  # one lamp still on
    await _lights(
        hass, link, chamber_light="off", work_light="flashing", chamber_light2="off"
    )
    assert _state(hass) == STATE_OFF


async def test_flashing_counts_as_on(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    await _lights(hass, link, chamber_light="flashing")
    assert _state(hass) == STATE_ON
    # A full report without the chamber light leaves its state unknown.
    report = pushall("p1p-ams")
    report["print"]["lights_report"] = [{"node": "work_light", "mode": "on"}]
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    assert _state(hass) == STATE_UNKNOWN


async def test_no_light_without_a_chamber_light(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry = lan_entry("p1p-ams")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = fake_link.links[-1]
    report = pushall("p1p-ams")
    report["print"]["lights_report"] = [{"node": "work_light", "mode": "on"}]
    link.deliver(LAN_SERIAL, get_version("p1p-ams"))
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    assert entry.runtime_data.printers[LAN_SERIAL].data.has_full_report
    assert not er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


async def test_refusal_is_an_error_and_changes_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused("busy", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == "command_refused"
    assert _state(hass) == STATE_OFF


async def test_locked_control_raises_a_repair_until_a_command_works(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused(
        "mqtt message verify failed", 84033543, locked=True
    )
    with pytest.raises(HomeAssistantError) as caught:
        await _switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == "control_locked"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID)
    assert issue is not None
    assert issue.translation_key == "control_locked"

    fake_link.reply = None
    await _switch(hass, SERVICE_TURN_ON)
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID) is None
