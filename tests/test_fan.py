"""Fans: which printers have which, percentages, M106 commands."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any
from unittest.mock import patch

from homeassistant.components.fan import (
    ATTR_PERCENTAGE,
    ATTR_PERCENTAGE_STEP,
    DOMAIN as FAN_DOMAIN,
    SERVICE_SET_PERCENTAGE,
    FanEntity,
)
from homeassistant.components.fan.const import DATA_COMPONENT
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from syrupy.assertion import SnapshotAssertion
import voluptuous as vol

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from tests.common import PRINTERS, get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of, printer_keys, state_of
from tests.snapshot_helpers import setup_full_capture, snapshot_entities


@pytest.fixture(autouse=True)
def _only_fans() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.FAN]):
        yield


_entity_id = partial(entity_id_of, domain=FAN_DOMAIN)


_state = partial(state_of, domain=FAN_DOMAIN)


_keys = printer_keys


async def _call(hass: HomeAssistant, service: str, key: str, **data: Any) -> None:
    await hass.services.async_call(
        FAN_DOMAIN,
        service,
        {ATTR_ENTITY_ID: _entity_id(hass, key), **data},
        blocking=True,
    )


_deliver = deliver_report


def _gcode(link: FakeLink) -> list[str]:
    return [body["param"] for body in link.commands("gcode_line")]


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, FAN_DOMAIN)


@pytest.mark.parametrize(
    ("capture", "keys"),
    [
        # P1P and the A1 family have only the part cooling fan, although
        # their reports carry the other fans' fields.
        ("p1p-ams", {"part_cooling_fan"}),
        ("a1-ams-lite", {"part_cooling_fan"}),
        ("x1c-multi-ams", {"part_cooling_fan", "aux_fan", "chamber_fan"}),
        ("h2d-laser", {"part_cooling_fan", "aux_fan", "chamber_fan"}),
    ],
)
async def test_fans_by_model(
    hass: HomeAssistant, fake_link: type[FakeLink], capture: str, keys: set[str]
) -> None:
    entry, _link = await setup_capture(hass, capture)
    assert _keys(hass, entry.entry_id) == keys


async def test_the_report_can_add_an_upgrade_fan(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry = lan_entry("p1p-ams")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    report = pushall("p1p-ams")
    report["print"]["support_aux_fan"] = True
    link = fake_link.links[-1]
    link.deliver(LAN_SERIAL, get_version("p1p-ams"))
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    assert _keys(hass, entry.entry_id) == {"part_cooling_fan", "aux_fan"}


async def test_percentage_sends_m106_and_follows_the_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    state = _state(hass, "aux_fan")
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_PERCENTAGE_STEP] == 10

    await _call(hass, SERVICE_SET_PERCENTAGE, "aux_fan", **{ATTR_PERCENTAGE: 50})
    assert _gcode(link) == ["M106 P2 S128\n"]
    assert _state(hass, "aux_fan").attributes[ATTR_PERCENTAGE] == 0  # not yet
    await _deliver(hass, link, big_fan1_speed="8")
    state = _state(hass, "aux_fan")
    assert state.state == STATE_ON
    assert state.attributes[ATTR_PERCENTAGE] == 50

    await _call(hass, SERVICE_TURN_OFF, "part_cooling_fan")
    await _call(hass, SERVICE_TURN_ON, "chamber_fan")
    await _call(hass, SERVICE_TURN_ON, "part_cooling_fan", **{ATTR_PERCENTAGE: 30})
    assert _gcode(link)[1:] == ["M106 P1 S0\n", "M106 P3 S255\n", "M106 P1 S76\n"]


async def test_fan_gear_wins_over_legacy_fields(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    await _deliver(hass, link, fan_gear=0x00FF00 | 26)
    assert _state(hass, "part_cooling_fan").attributes[ATTR_PERCENTAGE] == 10
    assert _state(hass, "aux_fan").attributes[ATTR_PERCENTAGE] == 100
    assert _state(hass, "chamber_fan").state == STATE_OFF


async def test_out_of_range_is_refused_before_sending(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    # Home Assistant's schema stops it first; the library checks again.
    with pytest.raises(vol.Invalid):
        await _call(hass, SERVICE_SET_PERCENTAGE, "part_cooling_fan", percentage=150)
    entity = hass.data[DATA_COMPONENT].get_entity(_entity_id(hass, "part_cooling_fan"))
    assert isinstance(entity, FanEntity)
    with pytest.raises(ServiceValidationError) as caught:
        await entity.async_set_percentage(150)
    assert caught.value.translation_key == "value_out_of_range"
    assert len(link.published) == sent


async def test_refusal_is_an_error(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused("busy", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, SERVICE_TURN_ON, "part_cooling_fan")
    assert caught.value.translation_key == "command_refused"
    assert _state(hass, "part_cooling_fan").state == STATE_OFF
