"""The automation blueprints: they load in Home Assistant and do their job."""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.components.notify.const import NOTIFY_SERVICE_SCHEMA
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from tests.conftest import setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "bambu_cloud"
FILES = sorted(path.name for path in BLUEPRINTS.glob("*.yaml"))
SOURCE = "https://github.com/bambu-cloud/ha-bambu-cloud/blob/main/blueprints/automation/bambu_cloud/"

NOTIFY = "mobile_app_phone"
CAMERA = "camera.printer_camera"
SHORTAGE = "binary_sensor.printer_filament_shortage"

# Job files come from the test, never from a printer.
pytestmark = pytest.mark.usefixtures("job_files")


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A configuration folder of the test's own, to put the blueprints in."""
    return hass_tmp_config_dir


@pytest.fixture(autouse=True)
async def _installed(hass: HomeAssistant) -> None:
    """The blueprints copied to where Home Assistant keeps imported ones."""
    target = Path(hass.config.path("blueprints", "automation", "bambu_cloud"))

    def copy() -> None:
        target.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copyfile(BLUEPRINTS / name, target / name)

    await hass.async_add_executor_job(copy)


async def _automation(hass: HomeAssistant, blueprint: str, **inputs: Any) -> None:
    """An automation made from a blueprint, running."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "from_blueprint",
                "alias": "From blueprint",
                "use_blueprint": {"path": f"bambu_cloud/{blueprint}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.from_blueprint")
    assert state is not None
    # An automation whose blueprint or inputs are invalid is unavailable.
    assert state.state == STATE_ON


def test_four_blueprints() -> None:
    assert FILES == [
        "chamber_light_off_when_idle.yaml",
        "filament_runout_warning.yaml",
        "print_failure_detection.yaml",  # test_blueprint_failure_detection
        "print_finished_notify.yaml",
    ]


@pytest.mark.parametrize("name", FILES)
async def test_blueprint_loads(hass: HomeAssistant, name: str) -> None:
    """Home Assistant's blueprint component reads each file without error."""
    blueprints = async_get_blueprints(hass)
    loaded = await blueprints.async_get_blueprints()
    # Errors come back in place of the blueprint.
    assert isinstance(loaded[f"bambu_cloud/{name}"], Blueprint)
    blueprint = await blueprints.async_get_blueprint(f"bambu_cloud/{name}")
    assert blueprint.validate() is None  # runs on this Home Assistant

    metadata = blueprint.metadata
    assert metadata["domain"] == "automation"
    assert metadata["name"].startswith("Bambu Lab - ")
    assert len(metadata["description"]) > 100
    assert metadata["source_url"] == SOURCE + name
    assert metadata["homeassistant"] == {"min_version": "2026.10.0"}
    assert blueprint.data["mode"] in {"single", "queued"}
    # Every entity picker offers only this integration's entities (the AI
    # task entity is the user's provider's).
    pickers = [
        spec["selector"]["entity"]
        for spec in blueprint.inputs.values()
        if "entity" in spec["selector"]
    ]
    assert pickers
    for picker in pickers:
        assert picker["filter"]
        for entity_filter in picker["filter"]:
            if entity_filter["domain"] in ("ai_task", ["ai_task"]):
                assert "integration" not in entity_filter
                continue
            assert entity_filter["integration"] == "bambu_cloud"
            assert entity_filter["domain"]
    for spec in blueprint.inputs.values():
        assert spec["name"]


# --- print_finished_notify ------------------------------------------------


@pytest.fixture
def _event_platform() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT]):
        yield


@pytest.fixture
async def printing(
    hass: HomeAssistant, fake_link: type[FakeLink], _event_platform: None
) -> tuple[FakeLink, str]:
    """A LAN printer running a job named Benchy; its print event entity."""
    _entry, link = await setup_capture(hass, "p1p-no-ams")  # FINISH
    await deliver_report(hass, link, gcode_state="PREPARE", subtask_name="Benchy")
    await deliver_report(hass, link, gcode_state="RUNNING", mc_percent=50)
    return link, entity_id_of(hass, "print", domain="event")


def _printer_name(hass: HomeAssistant, entity_id: str) -> str:
    entry = er.async_get(hass).async_get(entity_id)
    assert entry is not None
    assert entry.device_id is not None
    device = dr.async_get(hass).async_get(entry.device_id)
    assert device is not None
    assert device.name
    return device.name


def _snapshot_name(hass: HomeAssistant, event_entity: str, camera: str) -> str:
    """Where the snapshot of the entity's last event goes: camera, local time."""
    state = hass.states.get(event_entity)
    assert state is not None
    fired = dt_util.parse_datetime(state.state)
    assert fired is not None
    stamp = dt_util.as_local(fired).strftime("%Y%m%d_%H%M%S")
    return f"{camera.removeprefix('camera.')}_{stamp}.jpg"


async def test_notify_finished_with_snapshot(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    link, event_entity = printing
    hass.states.async_set(CAMERA, "idle")
    snapshots = async_mock_service(hass, "camera", "snapshot")
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        camera=CAMERA,
        notify_action=f"notify.{NOTIFY}",
    )

    await deliver_report(hass, link, gcode_state="PAUSE")
    await deliver_report(hass, link, gcode_state="RUNNING")
    assert sent == []  # paused and resumed are no news
    await deliver_report(hass, link, gcode_state="FINISH", mc_percent=100)

    file = _snapshot_name(hass, event_entity, CAMERA)
    assert [(c.data["entity_id"], c.data["filename"]) for c in snapshots] == [
        ([CAMERA], f"/config/www/bambu_cloud/{file}")
    ]
    assert [c.data for c in sent] == [
        {
            "title": _printer_name(hass, event_entity),
            "message": "Benchy finished.",
            "data": {"image": f"/local/bambu_cloud/{file}"},
        }
    ]


async def test_notify_failed_with_error_text(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    link, event_entity = printing
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        notify_action=f"notify.{NOTIFY}",
    )

    await deliver_report(hass, link, gcode_state="FAILED", print_error=50364437)

    state = hass.states.get(event_entity)
    assert state is not None
    assert state.attributes["event_type"] == "failed"
    error = state.attributes["error"]
    assert isinstance(error, str)
    assert error
    (call,) = sent
    assert call.data["message"] == f"Benchy failed: {error}"
    assert call.data["data"] == {}  # no camera chosen: no picture


@pytest.mark.parametrize(
    ("notify_on", "expected"),
    [
        (None, []),  # the default: finished, failed and abandoned
        (["finished", "canceled"], ["Benchy was canceled."]),
    ],
)
async def test_notify_canceled_when_chosen(
    hass: HomeAssistant,
    printing: tuple[FakeLink, str],
    notify_on: list[str] | None,
    expected: list[str],
) -> None:
    link, event_entity = printing
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    inputs: dict[str, Any] = {"notify_on": notify_on} if notify_on else {}
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        notify_action=f"notify.{NOTIFY}",
        **inputs,
    )

    await deliver_report(hass, link, gcode_state="FAILED", print_error=0)

    state = hass.states.get(event_entity)
    assert state is not None
    assert state.attributes["event_type"] == "canceled"
    assert [c.data["message"] for c in sent] == expected


async def test_no_repeat_after_reconnect(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    """The last event shown again after the printer was away is not news."""
    link, event_entity = printing
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        notify_action=f"notify.{NOTIFY}",
    )
    await deliver_report(hass, link, gcode_state="FINISH")
    assert len(sent) == 1

    link.set_connected(False)
    await hass.async_block_till_done()
    state = hass.states.get(event_entity)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    link.set_connected(True)
    await hass.async_block_till_done()
    state = hass.states.get(event_entity)
    assert state is not None
    assert state.attributes["event_type"] == "finished"
    assert len(sent) == 1


async def test_notify_without_snapshot_when_camera_unavailable(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    link, event_entity = printing
    hass.states.async_set(CAMERA, STATE_UNAVAILABLE)
    snapshots = async_mock_service(hass, "camera", "snapshot")
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        camera=CAMERA,
        notify_action=f"notify.{NOTIFY}",
    )

    await deliver_report(hass, link, gcode_state="FINISH")

    assert snapshots == []
    assert [(c.data["message"], c.data["data"]) for c in sent] == [
        ("Benchy finished.", {})
    ]


async def test_notify_even_when_snapshot_fails(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    link, event_entity = printing
    hass.states.async_set(CAMERA, "idle")
    snapshots = async_mock_service(
        hass,
        "camera",
        "snapshot",
        raise_exception=HomeAssistantError("Unable to get snapshot"),
    )
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        camera=CAMERA,
        notify_action=f"notify.{NOTIFY}",
    )

    await deliver_report(hass, link, gcode_state="FINISH")

    assert len(snapshots) == 1
    assert [c.data["message"] for c in sent] == ["Benchy finished."]


async def test_default_is_home_assistant_notification(
    hass: HomeAssistant, printing: tuple[FakeLink, str]
) -> None:
    """Out of the box: a notification in Home Assistant, picture included."""
    link, event_entity = printing
    assert await async_setup_component(hass, "notify", {})
    hass.states.async_set(CAMERA, "idle")
    snapshots = async_mock_service(hass, "camera", "snapshot")
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        camera=CAMERA,
    )

    await deliver_report(hass, link, gcode_state="FINISH")

    assert len(snapshots) == 1
    file = _snapshot_name(hass, event_entity, CAMERA)
    notifications = list(
        persistent_notification._async_get_or_create_notifications(hass).values()
    )
    assert [(n["title"], n["message"]) for n in notifications] == [
        (
            _printer_name(hass, event_entity),
            f"Benchy finished.\n\n![Snapshot](/local/bambu_cloud/{file})",
        )
    ]


# --- chamber_light_off_when_idle -------------------------------------------


@pytest.fixture
async def lit(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> tuple[FakeLink, str, str, list[ServiceCall]]:
    """A printer printing with its chamber light on; light.turn_off recorded."""
    with patch(
        "custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR, Platform.LIGHT]
    ):
        _entry, link = await setup_capture(hass, "p2s")  # RUNNING, light on
    status = entity_id_of(hass, "print_status", domain="sensor")
    light = entity_id_of(hass, "chamber_light", domain="light")
    _assert_state(hass, status, "running")
    _assert_state(hass, light, STATE_ON)
    # Registered after the light platform: replaces its action.
    turned_off = async_mock_service(hass, "light", "turn_off")
    return link, status, light, turned_off


def _assert_state(hass: HomeAssistant, entity_id: str, expected: str) -> None:
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == expected


async def _pass(hass: HomeAssistant, freezer: FrozenDateTimeFactory, **delta: float):
    freezer.tick(timedelta(**delta))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def _light_automation(
    hass: HomeAssistant, status: str, light: str, **inputs: Any
) -> None:
    await _automation(
        hass,
        "chamber_light_off_when_idle.yaml",
        print_status=status,
        chamber_light=light,
        **inputs,
    )


async def test_light_off_after_idle_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    lit: tuple[FakeLink, str, str, list[ServiceCall]],
) -> None:
    link, status, light, turned_off = lit
    await _light_automation(hass, status, light)  # default: 10 minutes

    await deliver_report(hass, link, gcode_state="FINISH")
    _assert_state(hass, status, "finish")
    await _pass(hass, freezer, minutes=5)
    # Finished, then idle: still not printing, the count goes on.
    await deliver_report(hass, link, gcode_state="IDLE")
    _assert_state(hass, status, "idle")
    await _pass(hass, freezer, minutes=4, seconds=50)
    assert turned_off == []
    await _pass(hass, freezer, seconds=15)
    assert [c.data["entity_id"] for c in turned_off] == [[light]]


async def test_light_stays_on_when_printing_resumes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    lit: tuple[FakeLink, str, str, list[ServiceCall]],
) -> None:
    link, status, light, turned_off = lit
    await _light_automation(hass, status, light, idle_minutes=3)

    await deliver_report(hass, link, gcode_state="FAILED", print_error=0)
    await _pass(hass, freezer, minutes=2)
    await deliver_report(hass, link, gcode_state="PREPARE")  # the next job
    await deliver_report(hass, link, gcode_state="RUNNING")
    await _pass(hass, freezer, minutes=30)
    assert turned_off == []

    # Paused is not idle by default either.
    await deliver_report(hass, link, gcode_state="PAUSE")
    _assert_state(hass, status, "pause")
    await _pass(hass, freezer, minutes=30)
    assert turned_off == []

    # The chosen time, not the default: 3 minutes.
    await deliver_report(hass, link, gcode_state="FINISH")
    await _pass(hass, freezer, minutes=3, seconds=5)
    assert [c.data["entity_id"] for c in turned_off] == [[light]]


async def test_light_turned_on_while_idle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    lit: tuple[FakeLink, str, str, list[ServiceCall]],
) -> None:
    """Someone looks at the idle printer and leaves the light on."""
    link, status, light, turned_off = lit
    await deliver_report(
        hass, link, lights_report=[{"node": "chamber_light", "mode": "off"}]
    )
    await _light_automation(hass, status, light)
    await deliver_report(hass, link, gcode_state="FINISH")
    await _pass(hass, freezer, minutes=60)
    assert turned_off == []  # the light was off: nothing to do

    await deliver_report(
        hass, link, lights_report=[{"node": "chamber_light", "mode": "on"}]
    )
    _assert_state(hass, light, STATE_ON)
    await _pass(hass, freezer, minutes=9)
    assert turned_off == []
    await _pass(hass, freezer, minutes=1, seconds=5)
    assert [c.data["entity_id"] for c in turned_off] == [[light]]


async def test_light_turned_on_before_the_printer_was_idle_long(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    lit: tuple[FakeLink, str, str, list[ServiceCall]],
) -> None:
    """On for the time, but idle only briefly: the idle time still counts."""
    link, status, light, turned_off = lit
    await _light_automation(hass, status, light)
    # Turned off and on again during the print: on for 10 minutes at 10.
    for mode in ("off", "on"):
        await deliver_report(
            hass, link, lights_report=[{"node": "chamber_light", "mode": mode}]
        )
    await _pass(hass, freezer, minutes=8)
    await deliver_report(hass, link, gcode_state="FINISH")
    await _pass(hass, freezer, minutes=5)
    assert turned_off == []  # on for 13 minutes, idle for 5
    await _pass(hass, freezer, minutes=5, seconds=5)
    assert len(turned_off) == 1  # idle for 10


# --- filament_runout_warning ------------------------------------------------


async def _shortage_automation(hass: HomeAssistant) -> list[ServiceCall]:
    sent: list[ServiceCall] = async_mock_service(
        hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA
    )
    await _automation(
        hass,
        "filament_runout_warning.yaml",
        shortage_sensor=SHORTAGE,
        notify_action=f"notify.{NOTIFY}",
    )
    return sent


def _short(hass: HomeAssistant, state: str, **shortfall: float) -> None:
    hass.states.async_set(
        SHORTAGE,
        state,
        {
            "friendly_name": "P1S Filament shortage",
            "device_class": "problem",
            "job_name": "Benchy",
            "shortfall": shortfall,
        },
    )


async def test_filament_warning_lists_trays(hass: HomeAssistant) -> None:
    _short(hass, "off")
    sent = await _shortage_automation(hass)

    _short(hass, STATE_ON, B2=12.345, A1=3, external=20.04)
    await hass.async_block_till_done()
    # A later report with other numbers is the same shortage.
    _short(hass, STATE_ON, B2=10.0, A1=1)
    await hass.async_block_till_done()

    assert [c.data for c in sent] == [
        {
            "title": "P1S Filament shortage",
            "message": "Benchy will run out of filament: A1 short by 3.0 g, "
            "B2 short by 12.3 g, external short by 20.0 g.",
        }
    ]


async def test_filament_warning_when_known_late(hass: HomeAssistant) -> None:
    """Unknown while the trays were being read, then short: a warning."""
    _short(hass, "unknown")
    sent = await _shortage_automation(hass)
    _short(hass, STATE_ON, HT1=7.5)
    await hass.async_block_till_done()
    assert [c.data["message"] for c in sent] == [
        "Benchy will run out of filament: HT1 short by 7.5 g."
    ]


async def test_filament_no_repeat_after_reconnect(hass: HomeAssistant) -> None:
    _short(hass, STATE_UNAVAILABLE)
    sent = await _shortage_automation(hass)
    _short(hass, STATE_ON, A1=3)
    await hass.async_block_till_done()
    assert sent == []
    _short(hass, "off")
    _short(hass, STATE_ON)  # short, without numbers per tray
    await hass.async_block_till_done()
    assert [c.data["message"] for c in sent] == [
        "Benchy will run out of filament: a tray holds less than the job needs."
    ]


async def test_shortage_sensor_matches_the_picker(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """The blueprint offers problem binary sensors: the shortage sensor is one."""
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.BINARY_SENSOR]):
        await setup_capture(hass, "p2s")  # RUNNING
    state = hass.states.get(
        entity_id_of(hass, "filament_shortage", domain="binary_sensor")
    )
    assert state is not None
    assert state.attributes["device_class"] == "problem"
    # What the message is made of.
    assert {"job_name", "shortfall"} <= set(state.attributes)


@pytest.mark.parametrize(
    ("notify_on", "expected"),
    [
        (None, ["Benchy stopped without finishing."]),  # on by default
        (["finished", "failed"], []),
    ],
)
async def test_notify_a_job_that_stopped_without_finishing(
    hass: HomeAssistant,
    printing: tuple[FakeLink, str],
    notify_on: list[str] | None,
    expected: list[str],
) -> None:
    """A job gone to idle (power lost, cleared) is told like a failure."""
    link, event_entity = printing
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    inputs: dict[str, Any] = {"notify_on": notify_on} if notify_on else {}
    await _automation(
        hass,
        "print_finished_notify.yaml",
        print_event=event_entity,
        notify_action=f"notify.{NOTIFY}",
        **inputs,
    )

    await deliver_report(hass, link, gcode_state="IDLE", print_error=0)

    state = hass.states.get(event_entity)
    assert state is not None
    assert state.attributes["event_type"] == "abandoned"
    assert [c.data["message"] for c in sent] == expected
