"""The print event marks each job's first layer done, once, when it is seen."""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bambu_cloud.event import PrintEventType
from custom_components.bambu_cloud.first_layer import FirstLayerWatch
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.history_helpers import EPOCH, entity_id, report


@pytest.fixture(autouse=True)
def _events_only(job_files: AsyncMock) -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT]):
        yield


def _first_layers(
    captured: list[Event[EventStateChangedData]], print_id: str
) -> list[dict[str, Any]]:
    """The attributes of each first-layer event the print entity fired."""
    fired, seen = [], set()
    for event in captured:
        new = event.data["new_state"]
        if event.data["entity_id"] != print_id or new is None or new.state in seen:
            continue
        seen.add(new.state)
        if new.attributes.get("event_type") == PrintEventType.FIRST_LAYER_DONE:
            fired.append({k: new.attributes[k] for k in ("job_name", "layer")})
    return fired


def test_the_watch_marks_layer_two_once_per_job_it_saw_before() -> None:
    watch = FirstLayerWatch()
    assert not watch.update("a", 7)  # first seen past its first layer
    assert not watch.update("a", 8)
    assert not watch.update("b", 0)
    assert not watch.update("b", 1)
    assert watch.update("b", 2)
    assert not watch.update("b", 3)
    watch.started("c")
    assert watch.update("c", 2)  # its first report already shows layer 2
    assert not watch.update(None, None)


async def test_the_print_event_fires_when_the_first_layer_is_done(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "a1-ams-lite")  # IDLE
    print_id = entity_id(hass, "event", LAN_SERIAL, "print")

    for layer in (0, 1, 2, 3):
        freezer.tick(timedelta(minutes=1))
        link.deliver(
            LAN_SERIAL,
            report(gcode_state="RUNNING", subtask_name="Cube", layer_num=layer),
        )
        await hass.async_block_till_done()
        if layer == 1:
            assert _first_layers(captured, print_id) == []  # not after K-1 layers
    assert _first_layers(captured, print_id) == [{"job_name": "Cube", "layer": 2}]

    freezer.tick(timedelta(minutes=1))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", layer_num=3))
    freezer.tick(timedelta(minutes=1))
    link.deliver(
        LAN_SERIAL, report(gcode_state="RUNNING", subtask_name="Gear", layer_num=1)
    )
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=1))
    link.deliver(LAN_SERIAL, report(layer_num=2))
    await hass.async_block_till_done()
    assert [f["job_name"] for f in _first_layers(captured, print_id)] == [
        "Cube",
        "Gear",
    ]


async def test_a_job_already_past_its_first_layer_at_start_up_is_not_marked(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING, past layer 2
    print_id = entity_id(hass, "event", LAN_SERIAL, "print")
    freezer.tick(timedelta(minutes=1))
    link.deliver(LAN_SERIAL, report(layer_num=40))
    await hass.async_block_till_done()
    assert _first_layers(captured, print_id) == []
