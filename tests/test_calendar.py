"""The print calendar: past jobs from the history, the running job live."""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from simulator.cloud import FakeCloud
from tests.cloud_helpers import (
    CLOUD_SERIAL,
    cloud_entry,
    setup_cloud_capture,
)
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.history_helpers import (
    EPOCH,
    entity_id,
    follow_frozen_time,
    history_platforms,
    report,
    task,
)


@pytest.fixture(autouse=True)
def _platforms() -> Generator[None]:
    with history_platforms():
        yield


async def _events(
    hass: HomeAssistant, calendar: str, start: Any, end: Any
) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {
            "entity_id": calendar,
            "start_date_time": start,
            "end_date_time": end,
        },
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    events: list[dict[str, Any]] = response[calendar]["events"]
    return events


async def _cloud_calendar(
    hass: HomeAssistant, cloud: FakeCloud, tasks: list[dict[str, Any]]
) -> tuple[MockConfigEntry, FakeLink, str]:
    cloud.tasks.extend(tasks)
    entry = cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry, link, entity_id(hass, "calendar", CLOUD_SERIAL, "history")


async def test_past_jobs_are_events(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to(EPOCH)
    tasks = [
        task(1, CLOUD_SERIAL, title="Benchy", end=EPOCH - timedelta(hours=30)),
        task(
            2,
            CLOUD_SERIAL,
            title="Broken",
            status=3,
            end=EPOCH - timedelta(hours=3),
            minutes=90,
            weight=None,
            length=None,
        ),
        task(3, CLOUD_SERIAL, title="Unfinished", status=1, end=EPOCH),
    ]
    _entry, _link, calendar = await _cloud_calendar(hass, cloud, tasks)

    events = await _events(
        hass, calendar, EPOCH - timedelta(days=2), EPOCH + timedelta(hours=1)
    )
    assert [e["summary"] for e in events] == ["Benchy", "Broken"]
    benchy, broken = events
    assert dt_util.parse_datetime(benchy["start"]) == EPOCH - timedelta(
        hours=30, minutes=30
    )
    assert dt_util.parse_datetime(benchy["end"]) == EPOCH - timedelta(hours=30)
    assert benchy["start"].endswith("-08:00")  # the local time zone
    assert benchy["description"] == (
        "Status: finished\nFilament: 12.5 g\nLength: 4.00 m\nDuration: 30 min\nPlate: 1"
    )
    assert broken["description"] == "Status: failed\nDuration: 1 h 30 min\nPlate: 1"

    # Only what overlaps the range.
    late = await _events(
        hass,
        calendar,
        EPOCH - timedelta(hours=4),
        EPOCH - timedelta(hours=3, minutes=30),
    )
    assert [e["summary"] for e in late] == ["Broken"]
    # Nothing runs: the calendar is off.
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_OFF


async def test_calendar_http_api(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
) -> None:
    end = EPOCH - timedelta(hours=2)
    _entry, _link, calendar = await _cloud_calendar(
        hass, cloud, [task(42, CLOUD_SERIAL, title="Gear", end=end)]
    )
    client = await hass_client()
    response = await client.get(
        f"/api/calendars/{calendar}",
        params={
            "start": (EPOCH - timedelta(days=1)).isoformat(),
            "end": EPOCH.isoformat(),
        },
    )
    assert response.status == 200
    body = await response.json()
    assert len(body) == 1
    assert body[0]["summary"] == "Gear"
    assert body[0]["uid"] == f"{CLOUD_SERIAL}_42"
    assert dt_util.parse_datetime(body[0]["end"]["dateTime"]) == end
    listed = await (await client.get("/api/calendars")).json()
    assert {"entity_id": calendar, "name": "Workshop Print history"} in listed


async def test_running_job_is_live_with_its_estimated_end(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    follow_frozen_time(entry, LAN_SERIAL)
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    link.deliver(
        LAN_SERIAL,
        report(
            gcode_state="RUNNING",
            subtask_name="Vase",
            mc_remaining_time=45,
            mc_percent=10,
        ),
    )
    await hass.async_block_till_done()
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Vase"
    assert state.attributes["description"] == "Status: printing"
    assert dt_util.parse_datetime(state.attributes["end_time"]) == dt_util.as_local(
        EPOCH + timedelta(minutes=45)
    ).replace(tzinfo=None)

    freezer.tick(timedelta(minutes=5))
    link.deliver(LAN_SERIAL, report(gcode_state="PAUSE", mc_remaining_time=40))
    await hass.async_block_till_done()
    events = await _events(hass, calendar, EPOCH, EPOCH + timedelta(hours=2))
    assert [(e["summary"], e["description"]) for e in events] == [
        ("Vase", "Status: paused")
    ]
    assert dt_util.parse_datetime(events[0]["start"]) == EPOCH
    assert dt_util.parse_datetime(events[0]["end"]) == EPOCH + timedelta(minutes=45)

    freezer.tick(timedelta(minutes=40))
    link.deliver(LAN_SERIAL, report(gcode_state="RUNNING", mc_remaining_time=0))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH"))
    await hass.async_block_till_done()
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_OFF
    events = await _events(hass, calendar, EPOCH, EPOCH + timedelta(hours=2))
    assert len(events) == 1
    assert events[0]["summary"] == "Vase"
    assert events[0]["description"] == "Status: finished\nDuration: 45 min"
    assert dt_util.parse_datetime(events[0]["end"]) == EPOCH + timedelta(minutes=45)


async def test_progress_and_a_drifting_estimate_write_nothing(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    """The calendar is written when its event changes, not with every report."""
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    follow_frozen_time(entry, LAN_SERIAL)
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    link.deliver(
        LAN_SERIAL,
        report(gcode_state="RUNNING", mc_remaining_time=45, mc_percent=10),
    )
    await hass.async_block_till_done()
    written = hass.states.get(calendar)
    assert written is not None

    # A minute later the printer reports a minute less: the estimated end
    # moves by seconds only (report timing), and the progress moves.
    freezer.tick(timedelta(seconds=62))
    link.deliver(LAN_SERIAL, report(mc_remaining_time=44, mc_percent=12))
    await hass.async_block_till_done()
    state = hass.states.get(calendar)
    assert state is not None
    assert state.last_reported == written.last_reported

    # The job runs long: the end moves by minutes, and that is written.
    freezer.tick(timedelta(seconds=60))
    link.deliver(LAN_SERIAL, report(mc_remaining_time=50))
    await hass.async_block_till_done()
    state = hass.states.get(calendar)
    assert state is not None
    assert state.last_reported != written.last_reported
    assert dt_util.parse_datetime(state.attributes["end_time"]) == dt_util.as_local(
        EPOCH + timedelta(seconds=122, minutes=50)
    ).replace(tzinfo=None, second=0)


async def test_a_job_without_remaining_time_ends_now(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    follow_frozen_time(entry, LAN_SERIAL)
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    link.deliver(LAN_SERIAL, report(gcode_state="PREPARE", mc_remaining_time=None))
    await hass.async_block_till_done()
    events = await _events(hass, calendar, EPOCH, EPOCH + timedelta(hours=2))
    assert len(events) == 1
    assert events[0]["description"] == "Status: preparing"
    # Shown a minute long rather than without an end.
    assert dt_util.parse_datetime(events[0]["end"]) == EPOCH + timedelta(minutes=1)


async def test_calendar_stays_available_while_the_printer_is_away(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p2s")  # RUNNING
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_ON
    link.set_connected(False)
    await hass.async_block_till_done()
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_OFF  # no live job shown, but not unavailable


async def test_calendar_trigger_fires_when_the_job_is_due_to_end(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(EPOCH)
    entry, link = await setup_capture(hass, "a1-ams-lite")
    follow_frozen_time(entry, LAN_SERIAL)
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    link.deliver(
        LAN_SERIAL,
        report(gcode_state="RUNNING", subtask_name="Bracket", mc_remaining_time=10),
    )
    await hass.async_block_till_done()
    calls: list[ServiceCall] = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "trigger": {
                    "platform": "calendar",
                    "event": "end",
                    "entity_id": calendar,
                },
                "action": {
                    "service": "test.automation",
                    "data": {"summary": "{{ trigger.calendar_event.summary }}"},
                },
            }
        },
    )
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=9))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert calls == []
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert [call.data["summary"] for call in calls] == ["Bracket"]
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "all"}, blocking=True
    )


async def test_dashboards_hear_about_new_past_jobs(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    fake_link: type[FakeLink],
    freezer: FrozenDateTimeFactory,
) -> None:
    # Not moved in time: the test's access token was issued now.
    now = dt_util.utcnow()
    entry, link = await setup_capture(hass, "a1-ams-lite")
    follow_frozen_time(entry, LAN_SERIAL)
    calendar = entity_id(hass, "calendar", LAN_SERIAL, "history")
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "calendar/event/subscribe",
            "entity_id": calendar,
            "start": (now - timedelta(hours=1)).isoformat(),
            "end": (now + timedelta(hours=3)).isoformat(),
        }
    )
    assert (await client.receive_json())["success"]
    first = await client.receive_json()
    assert first["event"]["events"] == []

    link.deliver(
        LAN_SERIAL,
        report(gcode_state="RUNNING", subtask_name="Clip", mc_remaining_time=20),
    )
    await hass.async_block_till_done()
    running = await client.receive_json()
    assert [e["summary"] for e in running["event"]["events"]] == ["Clip"]
    freezer.tick(timedelta(minutes=20))
    link.deliver(LAN_SERIAL, report(gcode_state="FINISH", mc_remaining_time=0))
    await hass.async_block_till_done()
    finished = await client.receive_json()
    assert [
        (e["summary"], e["description"].splitlines()[0])
        for e in finished["event"]["events"]
    ] == [("Clip", "Status: finished")]
    await client.close()
