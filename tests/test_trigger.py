"""The automation editor's triggers, run through the automation component."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.components import automation
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er, translation
from homeassistant.helpers.trigger import async_get_all_descriptions
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.trigger import TRIGGERS
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of
from tests.test_event import AMS_HMS, NOZZLE_HMS
from tests.test_sufficiency import _file_needing

OTHER_SERIAL = "01S00C000000002"
# What each run of the automation passes on, from the trigger variables.
RUN_DATA = {
    "trigger": "{{ trigger.platform }}",
    "entity_id": "{{ trigger.entity_id | default('') }}",
    "event_type": "{{ trigger.to_state.attributes.event_type "
    "if trigger.to_state is defined else '' }}",
    "job_name": "{{ trigger.to_state.attributes.job_name "
    "if trigger.to_state is defined else trigger.job_name }}",
}


@pytest.fixture(autouse=True)
def _events_and_binary_sensors() -> Generator[None]:
    platforms = [Platform.BINARY_SENSOR, Platform.EVENT]
    with patch("custom_components.bambu_cloud.PLATFORMS", platforms):
        yield


def _device_id(hass: HomeAssistant, serial: str = LAN_SERIAL) -> str:
    """The printer's device, found through its print event entity."""
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id("event", DOMAIN, f"{serial}_print")
    assert entity_id is not None
    entry = registry.async_get(entity_id)
    assert entry is not None
    assert entry.device_id is not None
    return entry.device_id


async def _automation(
    hass: HomeAssistant,
    trigger: str,
    target: dict[str, Any],
    options: dict[str, Any] | None = None,
) -> list[ServiceCall]:
    """An automation on one trigger; returns the runs of its action."""
    calls = async_mock_service(hass, "test", "automation")
    config: dict[str, Any] = {"trigger": f"{DOMAIN}.{trigger}", "target": target}
    if options is not None:
        config["options"] = options
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "triggers": [config],
                "actions": [{"action": "test.automation", "data": RUN_DATA}],
            }
        },
    )
    await hass.async_block_till_done()
    return calls


async def _printer_finished_a_job(hass: HomeAssistant) -> FakeLink:
    _entry, link = await setup_capture(hass, "p1p-no-ams")  # FINISH
    return link


@pytest.mark.parametrize(
    ("trigger", "steps", "event_type", "runs"),
    [
        ("print_started", [{"gcode_state": "PREPARE"}], "started", 1),
        (
            "print_finished",
            [{"gcode_state": "RUNNING"}, {"gcode_state": "FINISH"}],
            "finished",
            2,
        ),
        (
            "print_failed",
            [
                {"gcode_state": "RUNNING"},
                {"gcode_state": "FAILED", "print_error": 0x03008015},
            ],
            "failed",
            1,
        ),
        (
            # Gone to idle without finishing: failed, as the history counts it.
            "print_failed",
            [{"gcode_state": "RUNNING"}, {"gcode_state": "IDLE"}],
            "abandoned",
            1,
        ),
        (
            "print_paused",
            [{"gcode_state": "RUNNING"}, {"gcode_state": "PAUSE"}],
            "paused",
            2,
        ),
        (
            # Once per job seen starting, at layer 2 (test_first_layer).
            "print_first_layer_done",
            [{"gcode_state": "RUNNING", "layer_num": 1}, {"layer_num": 2}],
            "first_layer_done",
            1,
        ),
    ],
)
async def test_print_triggers(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    trigger: str,
    steps: list[dict[str, Any]],
    event_type: str,
    runs: int,
) -> None:
    """Each print trigger runs on its own event and no other."""
    link = await _printer_finished_a_job(hass)
    calls = await _automation(hass, trigger, {"device_id": _device_id(hass)})

    await deliver_report(hass, link, subtask_name="Benchy", **steps[0])
    for step in steps[1:]:
        await deliver_report(hass, link, **step)
    # Then the job runs on (or another starts), pauses, resumes and finishes.
    for state in ("PREPARE", "RUNNING", "PAUSE", "RUNNING", "FINISH"):
        await deliver_report(hass, link, gcode_state=state, print_error=0)
    await hass.async_block_till_done()

    assert len(calls) == runs
    assert calls[0].data == {
        "trigger": f"{DOMAIN}.{trigger}",
        "entity_id": entity_id_of(hass, "print", domain="event"),
        "event_type": event_type,
        "job_name": "Benchy",
    }


async def test_print_trigger_follows_only_its_targets(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Another printer's job, or the HMS entity, does not run it."""
    link = await _printer_finished_a_job(hass)
    _other_entry, other_link = await setup_capture(hass, "p1p-no-ams", OTHER_SERIAL)
    # Only the other printer is targeted.
    calls = await _automation(
        hass, "print_started", {"device_id": _device_id(hass, OTHER_SERIAL)}
    )

    await deliver_report(hass, link, gcode_state="PREPARE", subtask_name="Mine")
    assert calls == []
    other_link.deliver(
        OTHER_SERIAL,
        {
            "print": {
                "command": "push_status",
                "msg": 1,
                "gcode_state": "PREPARE",
                "subtask_name": "Theirs",
            }
        },
    )
    await hass.async_block_till_done()
    assert [call.data["job_name"] for call in calls] == ["Theirs"]


async def test_hms_error_raised(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    """Every raised message runs it; a cleared one does not."""
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    calls = await _automation(hass, "hms_error_raised", {"device_id": _device_id(hass)})

    await deliver_report(hass, link, hms=[NOZZLE_HMS, AMS_HMS])
    await deliver_report(hass, link, hms=[])
    assert [call.data["event_type"] for call in calls] == ["raised", "raised"]
    assert calls[0].data["entity_id"] == entity_id_of(hass, "hms", domain="event")


async def test_hms_error_raised_of_chosen_severities(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Only the severities asked for: the fatal nozzle fault, not the AMS one."""
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    calls = await _automation(
        hass,
        "hms_error_raised",
        {"entity_id": entity_id_of(hass, "hms", domain="event")},
        {"severity": ["fatal", "serious"]},
    )

    await deliver_report(hass, link, hms=[AMS_HMS])  # common
    assert calls == []
    await deliver_report(hass, link, hms=[AMS_HMS, NOZZLE_HMS])  # fatal
    assert len(calls) == 1


async def test_hms_severity_must_be_one_the_printer_has(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """A severity that does not exist is refused when the automation loads."""
    await setup_capture(hass, "x1c-multi-ams")
    calls = await _automation(
        hass, "hms_error_raised", {"device_id": _device_id(hass)}, {"severity": ["bad"]}
    )
    assert calls == []
    state = hass.states.get("automation.automation_0")
    assert state is not None
    assert state.state == "unavailable"


async def test_filament_shortage(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    """Runs once when the printer's job will run out, not again for that job.

    The H2D capture prints from B4 (510 g left) and is 6 % done.
    """
    job_files.side_effect = _file_needing(100)
    _entry, link = await setup_capture(hass, "h2d-laser")
    calls = await _automation(
        hass, "filament_shortage", {"device_id": _device_id(hass)}
    )

    job_files.side_effect = _file_needing(2000)
    await deliver_report(hass, link, subtask_name="Big vase", mc_percent=0)
    await deliver_report(hass, link, mc_percent=1)  # still short: told once
    await hass.async_block_till_done()
    assert len(calls) == 1
    assert calls[0].data == {
        "trigger": f"{DOMAIN}.filament_shortage",
        "entity_id": "",
        "event_type": "",
        "job_name": "Big vase",
    }


async def test_filament_shortage_of_another_printer_is_not_followed(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    job_files.side_effect = _file_needing(100)
    _entry, link = await setup_capture(hass, "h2d-laser")
    await setup_capture(hass, "h2d-laser", OTHER_SERIAL)
    calls = await _automation(
        hass, "filament_shortage", {"device_id": _device_id(hass, OTHER_SERIAL)}
    )
    job_files.side_effect = _file_needing(2000)
    await deliver_report(hass, link, subtask_name="Big vase", mc_percent=0)
    await hass.async_block_till_done()
    assert calls == []


async def test_the_editor_lists_the_triggers_with_their_texts(
    hass: HomeAssistant,
) -> None:
    """Home Assistant loads the triggers, their targets, fields and texts."""
    assert await async_setup_component(hass, automation.DOMAIN, {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    descriptions = await async_get_all_descriptions(hass)
    ours = {
        key: value
        for key, value in descriptions.items()
        if key.startswith(f"{DOMAIN}.")
    }
    assert set(ours) == {f"{DOMAIN}.{key}" for key in TRIGGERS}
    for description in ours.values():
        assert description is not None
        assert description["target"]["device"] == [{"integration": DOMAIN}]
    severity = ours[f"{DOMAIN}.hms_error_raised"]["fields"]["severity"]  # type: ignore[index]
    assert severity["selector"]["select"]["options"] == [
        "fatal",
        "serious",
        "common",
        "info",
    ]

    texts = await translation.async_get_translations(hass, "de", "triggers", [DOMAIN])
    assert (
        texts[f"component.{DOMAIN}.triggers.print_finished.name"]
        == "Druck abgeschlossen"
    )
    for key in TRIGGERS:
        assert texts[f"component.{DOMAIN}.triggers.{key}.description"]


async def test_filament_shortage_targeted_by_its_binary_sensor(
    hass: HomeAssistant, fake_link: type[FakeLink], job_files: AsyncMock
) -> None:
    """Targeting the printer's shortage sensor is targeting the printer."""
    job_files.side_effect = _file_needing(100)
    _entry, link = await setup_capture(hass, "h2d-laser")
    sensor = entity_id_of(hass, "filament_shortage", domain="binary_sensor")
    calls = await _automation(hass, "filament_shortage", {"entity_id": sensor})

    job_files.side_effect = _file_needing(2000)
    await deliver_report(hass, link, subtask_name="Big vase", mc_percent=0)
    await hass.async_block_till_done()
    assert [call.data["job_name"] for call in calls] == ["Big vase"]
