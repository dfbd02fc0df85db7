"""The account's messages and notifications as an event entity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.aiobambulab.cloud_messages import (
    AccountMessage,
    MessageKind,
)
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.notifications import POLL_INTERVAL
from simulator.cloud import MESSAGES, NOTIFICATIONS, Canned, FakeCloud, Fault
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    UID,
    cloud_entry as make_cloud_entry,
    setup_cloud_capture,
)
from tests.conftest import setup_capture
from tests.fake_link import FakeLink


@pytest.fixture(autouse=True)
def _event_platform_only() -> Iterator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT]):
        yield


@pytest.fixture
def entry(cloud: FakeCloud) -> MockConfigEntry:
    return make_cloud_entry(cloud)


def _message(message_id: int, title: str, minute: int) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": 6,
        "taskMessage": {
            "id": message_id * 10,
            "title": title,
            "status": 2,
            "deviceId": CLOUD_SERIAL,
        },
        "createTime": f"2026-11-22T10:{minute:02d}:00Z",
    }


def _notification(notification_id: str, text: str, minute: int) -> dict[str, Any]:
    return {
        "id": notification_id,
        "type": "print_complete",
        "message": text,
        "timestamp": f"2026-11-22T10:{minute:02d}:00Z",
        "read": False,
    }


def _entity_id(hass: HomeAssistant) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{UID}_account_message"
    )
    assert entity_id is not None
    return entity_id


def _fired(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Every event the entity fires from now on, as its attributes."""
    fired: list[dict[str, Any]] = []

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            fired.append(dict(new.attributes))

    async_track_state_change_event(hass, _entity_id(hass), changed)
    return fired


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await setup_cloud_capture(hass, entry, "p1p-ams")
    await hass.async_block_till_done(wait_background_tasks=True)


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(POLL_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def test_message_fields() -> None:
    """Both list shapes give the text, the time and the printer."""
    message = AccountMessage.from_json(
        MessageKind.MESSAGE, _message(7, "Benchy", minute=5)
    )
    assert message is not None
    assert (message.id, message.type, message.text) == ("7", "6", "Benchy")
    assert message.device_id == CLOUD_SERIAL
    assert message.time is not None
    assert message.time.isoformat() == "2026-11-22T10:05:00+00:00"
    note = AccountMessage.from_json(
        MessageKind.NOTIFICATION, _notification("n1", "Done", minute=6)
    )
    assert note is not None
    assert (note.id, note.text, note.device_id) == ("n1", "Done", None)
    assert AccountMessage.from_json(MessageKind.MESSAGE, {"type": 6}) is None


async def test_new_messages_fire_once_each(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The first read is the starting point; later reads fire what is new."""
    cloud.messages = {"hits": [_message(1, "Old print", minute=0)]}
    await _start(hass, entry)
    entity_id = _entity_id(hass)
    assert hass.states.get(entity_id).state == STATE_UNKNOWN
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"account_{UID}"), entry.entry_id
    )
    assert device is not None
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.name == "Bambu Lab account"
    fired = _fired(hass)

    cloud.messages = {
        "hits": [_message(2, "New print", minute=9), _message(1, "Old print", 0)]
    }
    cloud.notifications = {
        "code": 0,
        "data": {"notifications": [_notification("n1", "Print done", minute=8)]},
    }
    await _poll(hass, freezer)
    assert [(f["event_type"], f["message_id"]) for f in fired] == [
        ("notification", "n1"),  # oldest first
        ("message", "2"),
    ]
    assert fired[1]["text"] == "New print"
    assert fired[1]["serial"] == CLOUD_SERIAL
    assert fired[1]["printer"] == "Workshop"
    assert fired[1]["time"] == "2026-11-22T10:09:00+00:00"
    assert fired[0]["text"] == "Print done"
    assert fired[0]["printer"] is None

    # Nothing new: nothing fires.
    await _poll(hass, freezer)
    assert len(fired) == 2


async def test_cloud_outage_keeps_the_entity_and_fires_nothing_twice(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    cloud.messages = {"hits": [_message(1, "Old print", minute=0)]}
    await _start(hass, entry)
    fired = _fired(hass)
    cloud.fail(MESSAGES, Fault.SERVER_ERROR)
    await _poll(hass, freezer)
    assert hass.states.get(_entity_id(hass)).state == STATE_UNKNOWN  # available

    cloud.clear_fault()
    cloud.messages = {
        "hits": [_message(2, "During the outage", 1), _message(1, "Old print", 0)]
    }
    # A failed read retries after five minutes, like a normal poll.
    await _poll(hass, freezer)
    assert [f["message_id"] for f in fired] == ["2"]


async def test_throttling_waits_as_long_as_asked(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _start(hass, entry)
    cloud.fail(
        NOTIFICATIONS, Canned(status=429, body={}, headers={"Retry-After": "900"})
    )
    await _poll(hass, freezer)
    asked = len(cloud.requests_to(MESSAGES))
    cloud.clear_fault()
    await _poll(hass, freezer)  # 5 minutes: still asked to wait
    await _poll(hass, freezer)  # 10 minutes
    assert len(cloud.requests_to(MESSAGES)) == asked
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(MESSAGES)) == asked + 1


async def test_throttling_never_polls_sooner_than_usual(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A short Retry-After does not make the next read come early."""
    await _start(hass, entry)
    cloud.fail(MESSAGES, Canned(status=429, body={}, headers={"Retry-After": "7"}))
    await _poll(hass, freezer)
    asked = len(cloud.requests_to(MESSAGES))
    cloud.clear_fault()
    freezer.tick(timedelta(seconds=8))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(MESSAGES)) == asked
    await _poll(hass, freezer)
    assert len(cloud.requests_to(MESSAGES)) == asked + 1


async def test_expired_token_starts_reauth(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _start(hass, entry)
    cloud.fail(MESSAGES, Fault.UNAUTHORIZED)
    await _poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert hass.states.get(_entity_id(hass)).state == STATE_UNKNOWN


async def test_lan_entry_has_no_account_messages(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "p1p-ams")
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert not [e for e in entities if e.unique_id.endswith("_account_message")]


# The job trackers start with the entry; their files are not read here.
pytestmark = pytest.mark.usefixtures("job_files")
