"""Event entities: print lifecycle and HMS messages from report changes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    ATTR_FRIENDLY_NAME,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab import hms
from custom_components.bambu_cloud.aiobambulab.hms import HmsCatalog
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.event import PrintEventType
from custom_components.bambu_cloud.history_jobs import JobOutcome
from simulator.cloud import FakeCloud
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    add_account,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import PRINTERS, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.snapshot_helpers import setup_full_capture, snapshot_entities

# HMS examples from Bambu's data: a nozzle heater fault (fatal, toolhead...)
NOZZLE_HMS = {"attr": 0x03000200, "code": 0x00010001}
# ...and an AMS one (common severity).
AMS_HMS = {"attr": 0x07000200, "code": 0x00030001}


@pytest.fixture(autouse=True)
def _only_events() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT]):
        yield


def _entity_id(hass: HomeAssistant, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{LAN_SERIAL}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


def _fired(
    captured: list[Event[EventStateChangedData]], entity_id: str
) -> list[dict[str, Any]]:
    """The attributes of each event the entity fired, in order."""
    # Each event has its own time as the state; a state seen before is the
    # entity coming back from unavailable, not a new event.
    fired, seen = [], {STATE_UNAVAILABLE, STATE_UNKNOWN}
    for event in captured:
        new = event.data["new_state"]
        if event.data["entity_id"] != entity_id or new is None or new.state in seen:
            continue
        seen.add(new.state)
        fired.append(
            {k: v for k, v in new.attributes.items() if k != ATTR_FRIENDLY_NAME}
        )
    return fired


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


async def _deliver(hass: HomeAssistant, link: FakeLink, **fields: Any) -> None:
    link.deliver(LAN_SERIAL, _delta(**fields))
    await hass.async_block_till_done()


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    entity_ids = await snapshot_entities(hass, snapshot, entry.entry_id, "event")
    assert len(entity_ids) == 2  # the print and HMS events of the printer
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_UNKNOWN  # the first report fires nothing


async def test_print_lifecycle(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """A scripted job fires started, paused, resumed and finished, in order."""
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p1p-no-ams")  # FINISH
    entity_id = _entity_id(hass, "print")
    assert _fired(captured, entity_id) == []  # the first report is no event

    await _deliver(
        hass, link, gcode_state="PREPARE", subtask_name="Benchy", mc_percent=0
    )
    await _deliver(hass, link, gcode_state="RUNNING", mc_percent=1)
    await _deliver(hass, link, mc_percent=40, bed_temper=60.0)
    await _deliver(hass, link, gcode_state="PAUSE")
    await _deliver(hass, link, gcode_state="RUNNING", mc_percent=41)
    await _deliver(hass, link, gcode_state="FINISH", mc_percent=100)
    await _deliver(hass, link, gcode_state="IDLE")

    assert _fired(captured, entity_id) == [
        {
            "event_type": "started",
            "job_name": "Benchy",
            "progress": 0,
            "event_types": [event.value for event in PrintEventType],
        },
        {
            "event_type": "paused",
            "job_name": "Benchy",
            "progress": 40,
            "event_types": [event.value for event in PrintEventType],
        },
        {
            "event_type": "resumed",
            "job_name": "Benchy",
            "progress": 41,
            "event_types": [event.value for event in PrintEventType],
        },
        {
            "event_type": "finished",
            "job_name": "Benchy",
            "progress": 100,
            "event_types": [event.value for event in PrintEventType],
        },
    ]


async def test_failed_and_canceled(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING
    entity_id = _entity_id(hass, "print")

    await _deliver(hass, link, gcode_state="FAILED", print_error=50364437)
    await _deliver(hass, link, gcode_state="PREPARE", print_error=0)
    await _deliver(hass, link, gcode_state="FAILED")
    await _deliver(hass, link, gcode_state="RUNNING")
    await _deliver(hass, link, gcode_state="FAILED", print_error=0x0300400C)

    fired = _fired(captured, entity_id)
    assert [f["event_type"] for f in fired] == [
        "failed",
        "started",
        "canceled",
        "started",
        "canceled",
    ]
    assert fired[0]["error_code"] == "0300_8015"
    assert fired[0]["error"]  # Bambu's text for the code
    assert fired[0]["job_name"] == "Rear Dry Pod AMS 2 PRO"
    assert "error_code" not in fired[2]


async def test_a_job_going_idle_is_recorded_and_announced_alike(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Running to IDLE without FINISH or FAILED: one end, for everyone.

    The history used to store it as failed while the event stayed silent.
    """
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    entry, link = await setup_capture(hass, "p2s")  # RUNNING
    print_id = _entity_id(hass, "print")
    await _deliver(hass, link, gcode_state="IDLE")

    fired = _fired(captured, print_id)
    assert [f["event_type"] for f in fired] == ["abandoned"]
    assert fired[0]["job_name"] == "Rear Dry Pod AMS 2 PRO"
    record = entry.runtime_data.history.printer(LAN_SERIAL)
    assert record is not None
    assert [(j.title, j.outcome) for j in record.jobs.values()] == [
        ("Rear Dry Pod AMS 2 PRO", JobOutcome.FAILED)
    ]


async def test_what_ended_during_a_reconnect_is_announced_once(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING
    print_id, hms_id = _entity_id(hass, "print"), _entity_id(hass, "hms")

    link.set_connected(False)
    await hass.async_block_till_done()
    state = hass.states.get(print_id)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE

    # Back: the printer finished meanwhile and reports an HMS message.
    link.set_connected(True)
    await hass.async_block_till_done()
    state = hass.states.get(print_id)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    report = pushall("p2s")
    report["print"].update(gcode_state="FINISH", hms=[NOZZLE_HMS])
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    # The job seen running ended meanwhile: announced (and recorded) once
    # it is known; the HMS message is only the new starting point.
    assert [f["event_type"] for f in _fired(captured, print_id)] == ["finished"]
    assert _fired(captured, hms_id) == []

    # From there on, changes are events again.
    await _deliver(hass, link, gcode_state="PREPARE", hms=[])
    assert [f["event_type"] for f in _fired(captured, print_id)] == [
        "finished",
        "started",
    ]
    assert [f["event_type"] for f in _fired(captured, hms_id)] == ["cleared"]


async def test_a_pause_during_a_reconnect_is_announced(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The job's state before the link dropped is compared with the one after."""
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING
    print_id = _entity_id(hass, "print")
    link.set_connected(False)
    link.set_connected(True)
    version = {"info": {"command": "get_version", "module": []}}
    link.deliver(LAN_SERIAL, version)
    await hass.async_block_till_done()
    await _deliver(hass, link, gcode_state="PAUSE")
    await _deliver(hass, link, gcode_state="RUNNING")
    assert [f["event_type"] for f in _fired(captured, print_id)] == [
        "paused",
        "resumed",
    ]


async def test_hms_raised_and_cleared(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    entity_id = _entity_id(hass, "hms")

    await _deliver(hass, link, hms=[NOZZLE_HMS, AMS_HMS])
    # The same code twice (the low byte of attr differs) is one message.
    await _deliver(
        hass, link, hms=[NOZZLE_HMS, AMS_HMS, {**AMS_HMS, "attr": 0x07000201}]
    )
    await _deliver(hass, link, hms=[AMS_HMS])
    await _deliver(hass, link, bed_temper=50.0)  # nothing to do with HMS
    await _deliver(hass, link, hms=[])

    fired = _fired(captured, entity_id)
    assert [(f["event_type"], f["formatted_code"]) for f in fired] == [
        ("raised", "0300_0200_0001_0001"),
        ("raised", "0700_0200_0003_0001"),
        ("cleared", "0300_0200_0001_0001"),
        ("cleared", "0700_0200_0003_0001"),
    ]
    nozzle = fired[0]
    assert nozzle["code"] == "0300020000010001"
    assert nozzle["severity"] == "fatal"
    assert nozzle["module"] == "motion_controller"
    assert nozzle["text"] == (
        "The nozzle temperature is abnormal; the heater may have a short circuit."
    )
    assert nozzle["wiki_url"] == (
        "https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0300_0200_0001_0001"
    )
    assert fired[1]["severity"] == "common"
    assert fired[1]["module"] == "ams"


async def test_first_hms_error_has_its_text_though_none_was_read(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """No text is read at setup; the first error's event already has its text.

    The report waits while the executor reads the text, then fires; the
    reports behind it follow in order.
    """
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    hass.config.language = "sv"
    with patch.object(hms, "_read_gz_json", wraps=hms._read_gz_json) as read:
        entry, link = await setup_capture(hass, "x1c-multi-ams")
        catalog = entry.runtime_data.catalog
        assert read.call_count == 0
        assert catalog.loaded == 0
        entity_id = _entity_id(hass, "hms")

        link.deliver(LAN_SERIAL, _delta(hms=[NOZZLE_HMS]))
        link.deliver(LAN_SERIAL, _delta(hms=[]))  # cleared at once
        await hass.async_block_till_done()
        assert read.call_count == 3  # Swedish, English, the wiki
        assert catalog.loaded == 1

    fired = _fired(captured, entity_id)
    assert [f["event_type"] for f in fired] == ["raised", "cleared"]
    swedish = catalog.hms_text("0300020000010001")
    english = HmsCatalog("en")
    english.load(["0300020000010001"], [])
    assert swedish is not None
    assert swedish != english.hms_text("0300020000010001")
    assert fired[0]["text"] == swedish
    assert fired[0]["wiki_url"] is not None


async def test_unknown_hms_code_has_no_text(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    _entry, link = await setup_capture(hass, "p1p-ams")
    entity_id = _entity_id(hass, "hms")
    await _deliver(hass, link, hms=[{"attr": 0x7F000000, "code": 0x00090000}])
    (fired,) = _fired(captured, entity_id)
    assert fired["formatted_code"] == "7F00_0000_0009_0000"
    assert fired["severity"] == "unknown"
    assert fired["module"] == "other"
    assert fired["text"] is None
    assert fired["wiki_url"] is None


async def test_events_follow_availability(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")
    entity_id = _entity_id(hass, "print")
    await _deliver(hass, link, gcode_state="PAUSE")
    state = hass.states.get(entity_id)
    assert state is not None
    fired_at = state.state
    assert state.attributes["event_type"] == "paused"

    link.set_connected(False)
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE

    link.set_connected(True)
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == fired_at  # the last event again, not a new one


@pytest.fixture
async def offline_cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake cloud with one account whose printer is offline."""
    fake = FakeCloud()
    add_account(fake, online=False)
    await fake.start()
    yield fake
    await fake.stop()


async def test_added_while_offline_follows_the_job_it_reported(
    hass: HomeAssistant, fake_link: type[FakeLink], offline_cloud: FakeCloud
) -> None:
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    link = await setup_cloud_capture(hass, cloud_entry(offline_cloud), "p2s")
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{CLOUD_SERIAL}_print"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE

    link.deliver(CLOUD_SERIAL, {"event": {"event": "client.connected"}})
    await hass.async_block_till_done()
    link.deliver(CLOUD_SERIAL, _delta(gcode_state="PAUSE"))
    link.deliver(CLOUD_SERIAL, _delta(gcode_state="RUNNING"))
    await hass.async_block_till_done()
    assert [f["event_type"] for f in _fired(captured, entity_id)] == [
        "paused",
        "resumed",
    ]
