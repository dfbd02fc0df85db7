"""Selects: print speed (only while a job runs) and the air duct mode."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any
from unittest.mock import patch

from homeassistant.components.select import (
    ATTR_OPTION,
    ATTR_OPTIONS,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from tests.common import PRINTERS
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of, state_of
from tests.snapshot_helpers import setup_full_capture, snapshot_entities


@pytest.fixture(autouse=True)
def _only_selects() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SELECT]):
        yield


_entity_id = partial(entity_id_of, domain=SELECT_DOMAIN)


_state = partial(state_of, domain=SELECT_DOMAIN)


async def _select(hass: HomeAssistant, key: str, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: _entity_id(hass, key), ATTR_OPTION: option},
        blocking=True,
    )


_deliver = deliver_report


def _bodies(link: FakeLink, command: str) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in body.items() if k not in ("command", "sequence_id")}
        for body in link.commands(command)
    ]


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    # Idle printers' speed selects are snapshotted as unavailable.
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, SELECT_DOMAIN)


async def test_speed_only_while_a_job_runs(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")  # FAILED: last job over
    assert _state(hass, "print_speed").state == STATE_UNAVAILABLE
    for job_state, available in (
        ("PREPARE", True),
        ("RUNNING", True),
        ("PAUSE", True),
        ("FINISH", False),
        ("IDLE", False),
    ):
        await _deliver(hass, link, gcode_state=job_state)
        state = _state(hass, "print_speed").state
        assert (state != STATE_UNAVAILABLE) is available, job_state


async def test_speed_sends_the_level_and_follows_the_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING
    state = _state(hass, "print_speed")
    assert state.state == "standard"
    assert state.attributes[ATTR_OPTIONS] == [
        "silent",
        "standard",
        "sport",
        "ludicrous",
    ]
    await _select(hass, "print_speed", "ludicrous")
    await _select(hass, "print_speed", "silent")
    assert _bodies(link, "print_speed") == [{"param": "4"}, {"param": "1"}]
    assert _state(hass, "print_speed").state == "standard"
    await _deliver(hass, link, spd_lvl=1, spd_mag=50)
    assert _state(hass, "print_speed").state == "silent"


async def test_airduct_offers_the_modes_the_printer_lists(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "h2d-laser")
    state = _state(hass, "airduct_mode")
    # Mode 2 (exhaust, the laser's on H2) is not offered, as in Bambu Studio.
    assert state.attributes[ATTR_OPTIONS] == ["cooling", "heating"]
    assert state.state == "cooling"
    await _select(hass, "airduct_mode", "heating")
    assert _bodies(link, "set_airduct") == [{"modeId": 1, "submode": -1}]
    assert _state(hass, "airduct_mode").state == "cooling"
    await _deliver(hass, link, device={"airduct": {"modeCur": 1}})
    assert _state(hass, "airduct_mode").state == "heating"
    # A mode the select does not offer shows as unknown.
    await _deliver(hass, link, device={"airduct": {"modeCur": 2}})
    assert _state(hass, "airduct_mode").state == "unknown"


async def test_airduct_options_follow_the_printer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    await _deliver(
        hass,
        link,
        device={
            "airduct": {
                "modeList": [
                    {"modeId": 0, "ctrl": [16], "off": []},
                    {"modeId": 1, "ctrl": [16], "off": []},
                    {"modeId": 3, "ctrl": [16, 32], "off": []},
                ]
            }
        },
    )
    options = _state(hass, "airduct_mode").attributes[ATTR_OPTIONS]
    assert options == ["cooling", "heating", "full_cooling"]


async def test_no_airduct_without_one(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "x1c-multi-ams")
    keys = {
        e.unique_id.removeprefix(f"{LAN_SERIAL}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert keys == {"print_speed"}


async def test_unknown_option_and_refusal(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    sent = len(link.published)
    with pytest.raises(ServiceValidationError):
        await _select(hass, "print_speed", "warp")
    assert len(link.published) == sent
    fake_link.reply = lambda _serial, _payload: CommandRefused("busy", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _select(hass, "airduct_mode", "heating")
    assert caught.value.translation_key == "command_refused"
