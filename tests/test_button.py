"""Buttons: job control in the right states, refresh, the H2 buzzer."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any
from unittest.mock import patch

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_UNAVAILABLE,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from custom_components.bambu_cloud.const import DOMAIN
from tests.common import PRINTERS
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import entity_id_of, printer_keys
from tests.snapshot_helpers import setup_full_capture, snapshot_entities

# Some entities are off by default (see the README); these tests look at all.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

ISSUE_ID = f"control_locked_{LAN_SERIAL}"


@pytest.fixture(autouse=True)
def _only_buttons() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.BUTTON]):
        yield


_entity_id = partial(entity_id_of, domain=BUTTON_DOMAIN)


def _available(hass: HomeAssistant, key: str) -> bool:
    state = hass.states.get(_entity_id(hass, key))
    assert state is not None
    return state.state != STATE_UNAVAILABLE


_keys = printer_keys


async def _press(hass: HomeAssistant, key: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: _entity_id(hass, key)},
        blocking=True,
    )


async def _job_state(hass: HomeAssistant, link: FakeLink, state: str) -> None:
    link.deliver(
        LAN_SERIAL,
        {"print": {"command": "push_status", "msg": 1, "gcode_state": state}},
    )
    await hass.async_block_till_done()


def _sent(link: FakeLink) -> list[dict[str, Any]]:
    return [
        {module: {k: v for k, v in body.items() if k != "sequence_id"}}
        for _serial, payload in link.published
        for module, body in payload.items()
        if body.get("command") not in ("get_version", "pushall")
    ]


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, BUTTON_DOMAIN)


@pytest.mark.parametrize(
    ("capture", "buzzer"),
    [("h2d-laser", True), ("p2s", False), ("x1c-multi-ams", False), ("p1p-ams", False)],
)
async def test_buzzer_only_on_h2_printers(
    hass: HomeAssistant, fake_link: type[FakeLink], capture: str, buzzer: bool
) -> None:
    entry, _link = await setup_capture(hass, capture)
    keys = {"pause", "resume", "stop", "refresh", "plate_cleared"}
    assert _keys(hass, entry.entry_id) == keys | (
        {"silence_buzzer"} if buzzer else set()
    )


@pytest.mark.parametrize(
    ("job_state", "pause", "resume", "stop"),
    [
        ("IDLE", False, False, False),
        ("PREPARE", True, False, True),
        ("RUNNING", True, False, True),
        ("PAUSE", False, True, True),
        ("FINISH", False, False, False),
        ("FAILED", False, False, False),
    ],
)
async def test_job_buttons_by_job_state(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    job_state: str,
    pause: bool,
    resume: bool,
    stop: bool,
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    await _job_state(hass, link, job_state)
    assert _available(hass, "pause") is pause
    assert _available(hass, "resume") is resume
    assert _available(hass, "stop") is stop
    assert _available(hass, "refresh")


async def test_presses_send_the_commands(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "h2d-laser")  # RUNNING
    await _press(hass, "pause")
    await _job_state(hass, link, "PAUSE")
    await _press(hass, "resume")
    await _press(hass, "stop")
    await _press(hass, "silence_buzzer")
    assert _sent(link) == [
        {"print": {"command": "pause", "param": ""}},
        {"print": {"command": "resume", "param": ""}},
        {"print": {"command": "stop", "param": ""}},
        {"print": {"command": "buzzer_ctrl", "mode": 0}},
    ]


async def test_refresh_asks_for_a_full_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    entry = er.async_get(hass).async_get(_entity_id(hass, "refresh"))
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    before = len(link.commands("pushall"))
    await _press(hass, "refresh")
    assert len(link.commands("pushall")) == before + 1
    assert _sent(link) == []  # published, no reply awaited


async def test_refusal_and_locked_control(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    fake_link.reply = lambda _serial, _payload: CommandRefused("not now", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _press(hass, "pause")
    assert caught.value.translation_key == "command_refused"
    assert caught.value.translation_placeholders["reason"] == "not now"

    fake_link.reply = lambda _serial, _payload: CommandRefused(
        "mqtt message verify failed", 84033543, locked=True
    )
    with pytest.raises(HomeAssistantError) as caught:
        await _press(hass, "stop")
    assert caught.value.translation_key == "control_locked"
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID) is not None
    fake_link.reply = None
    await _press(hass, "pause")
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID) is None
    assert link.commands("pause")
