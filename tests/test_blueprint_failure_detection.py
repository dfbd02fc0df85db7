"""The failure-detection blueprint against a real AI task entity answering from a script.

The AI task entity is a real ``AITaskEntity`` of a test integration, asked
through Home Assistant's ``ai_task.generate_data`` with the camera picture
attached (a real camera entity of the test integration); the printer is a
LAN printer of this integration, whose pause button sends the command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from datetime import datetime, timedelta
from pathlib import Path
import shutil
from typing import Any, Final
from unittest.mock import patch

from awesomeversion import AwesomeVersion
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.ai_task import (
    AITaskEntity,
    AITaskEntityFeature,
    GenDataTask,
    GenDataTaskResult,
)
from homeassistant.components.camera import Camera
from homeassistant.components.conversation import ChatLog
from homeassistant.components.notify.const import NOTIFY_SERVICE_SCHEMA
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import STATE_ON, Platform, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_fire_time_changed,
    async_mock_service,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import entity_id_of

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "bambu_cloud"
BLUEPRINT = "print_failure_detection.yaml"
JPEG = b"\xff\xd8\xff\xe0 a picture of a print \xff\xd9"
NOTIFY = "mobile_app_phone"

pytestmark = pytest.mark.usefixtures("job_files")


# What a test integration's setup returns when it worked: True up to Home
# Assistant 2026.10, None from 2026.11 (where a boolean is an error for
# integrations that are not custom ones).
SETUP_DONE: Final = (
    None if AwesomeVersion(ha_version) >= AwesomeVersion("2026.11.0") else True
)


def failed(confidence: float, reason: str = "spaghetti") -> dict[str, Any]:
    """An answer saying the print failed."""
    return {"failed": True, "confidence": confidence, "reason": reason}


FINE = {"failed": False, "confidence": 0.95, "reason": "looks fine"}


class ScriptedVision(AITaskEntity):
    """An AI task entity that answers from a script and remembers what it saw."""

    _attr_name = "Scripted vision"
    _attr_unique_id = "scripted_vision"
    _attr_supported_features = (
        AITaskEntityFeature.GENERATE_DATA | AITaskEntityFeature.SUPPORT_ATTACHMENTS
    )

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        """Answer with ``answers``, one per task, in order."""
        self.answers = answers
        self.pictures: list[str] = []  # the attachments' media ids
        self.asked_at: list[datetime] = []

    async def _async_generate_data(
        self, task: GenDataTask, chat_log: ChatLog
    ) -> GenDataTaskResult:
        assert task.structure is not None  # asked for a structured answer
        [attachment] = task.attachments or []
        assert attachment.mime_type == "image/jpeg"  # the camera's picture
        self.pictures.append(attachment.media_content_id)
        self.asked_at.append(dt_util.utcnow())
        return GenDataTaskResult(
            conversation_id=chat_log.conversation_id,
            data=task.structure(self.answers.pop(0)),
        )


class PrinterCamera(Camera):
    """A camera that always shows the same picture."""

    _attr_name = "Printer camera"
    _attr_unique_id = "printer_camera"

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes:
        return JPEG


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A configuration folder of the test's own, to put the blueprints in."""
    return hass_tmp_config_dir


@pytest.fixture(autouse=True)
async def _installed(hass: HomeAssistant) -> None:
    target = Path(hass.config.path("blueprints", "automation", "bambu_cloud"))

    def copy() -> None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BLUEPRINTS / BLUEPRINT, target / BLUEPRINT)

    await hass.async_add_executor_job(copy)


@pytest.fixture(autouse=True)
def _printer_platforms() -> Generator[None]:
    with patch(
        "custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT, Platform.BUTTON]
    ):
        yield


async def _vision_and_camera(
    hass: HomeAssistant, vision: ScriptedVision
) -> tuple[str, str]:
    """A test integration with the AI task entity and a camera; their ids."""
    camera = PrinterCamera()

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool | None:
        await hass.config_entries.async_forward_entry_setups(
            entry, [Platform.AI_TASK, Platform.CAMERA]
        )
        return SETUP_DONE

    def platform(entity: Any) -> MockPlatform:
        async def setup(
            hass: HomeAssistant,
            entry: ConfigEntry,
            add: AddConfigEntryEntitiesCallback,
        ) -> None:
            add([entity])

        return MockPlatform(async_setup_entry=setup)

    mock_integration(hass, MockModule("vision_test", async_setup_entry=setup_entry))
    mock_platform(hass, "vision_test.config_flow")
    mock_platform(hass, "vision_test.ai_task", platform(vision))
    mock_platform(hass, "vision_test.camera", platform(camera))
    # Conversation (under AI task) needs the core's exposed entities.
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "ai_task", {})
    entry = MockConfigEntry(domain="vision_test")
    entry.add_to_hass(hass)
    with mock_config_flow("vision_test", ConfigFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert vision.entity_id is not None
    assert camera.entity_id is not None
    return vision.entity_id, camera.entity_id


# The automation's runs (the watch and its nested sequences): they wait for
# the next check for as long as the print goes on.
_WATCH = frozenset({"Script.async_run", "AutomationEntity._async_trigger_if_enabled"})


def _is_watch(task: asyncio.Future[Any]) -> bool:
    coro = task.get_coro() if isinstance(task, asyncio.Task) else None
    return getattr(coro, "__qualname__", "") in _WATCH


async def _settle(hass: HomeAssistant) -> None:
    """Let everything run that can, except the watch itself (it never ends).

    ``hass.async_block_till_done`` would wait for the automation's run; this
    lets it go on to its next wait and waits for everything else it started
    (service calls, executor jobs). Settled means: no such task pending and
    no callback ready to run, twice in a row (a step of the run may take
    many turns of the loop without starting a task).
    """
    quiet = 0
    while quiet < 2:
        await asyncio.sleep(0)
        pending = [t for t in hass._tasks if not t.done() and not _is_watch(t)]
        if pending:
            quiet = 0
            await asyncio.wait(pending)
        elif hass.loop._ready:  # type: ignore[attr-defined]
            quiet = 0
        else:
            quiet += 1


async def _deliver(hass: HomeAssistant, link: FakeLink, **fields: Any) -> None:
    link.deliver(LAN_SERIAL, {"print": {"command": "push_status", "msg": 1, **fields}})
    await _settle(hass)


async def _pass(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    minutes: float,
) -> None:
    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await _settle(hass)


async def test_pauses_after_k_failed_answers_in_a_row_and_keeps_the_cool_down(
    hass: HomeAssistant, fake_link: type[FakeLink], freezer: FrozenDateTimeFactory
) -> None:
    vision = ScriptedVision(
        [
            failed(0.9),  # after the first layer
            failed(0.9),
            failed(0.5),  # not sure enough: the count starts again
            failed(0.9),
            failed(0.9),
            failed(0.9, "a tangle of filament"),  # the third in a row
            FINE,
            failed(0.9),
            failed(0.9),
            failed(0.9),
        ]
    )
    ai_task, camera = await _vision_and_camera(hass, vision)
    _entry, link = await setup_capture(hass, "p1p-no-ams")  # FINISH
    sent = async_mock_service(hass, "notify", NOTIFY, NOTIFY_SERVICE_SCHEMA)
    snapshots = async_mock_service(hass, "camera", "snapshot")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "failure_detection",
                "alias": "Failure detection",
                "use_blueprint": {
                    "path": f"bambu_cloud/{BLUEPRINT}",
                    "input": {
                        "print_event": entity_id_of(hass, "print", domain="event"),
                        "camera": camera,
                        "pause_button": entity_id_of(hass, "pause", domain="button"),
                        "ai_task": ai_task,
                        "check_minutes": 5,
                        "failures_in_row": 3,
                        "min_confidence": 0.7,
                        "cooldown_minutes": 30,
                        "notify_action": f"notify.{NOTIFY}",
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.failure_detection")
    assert state is not None
    assert state.state == STATE_ON  # the blueprint and its inputs are valid

    link.deliver(
        LAN_SERIAL,
        {
            "print": {
                "command": "push_status",
                "gcode_state": "PREPARE",
                "subtask_name": "Benchy",
            }
        },
    )
    # The print started: the watch runs until it ends.
    assert any(_is_watch(t) and not t.done() for t in hass._tasks)
    await _settle(hass)
    await _deliver(hass, link, gcode_state="RUNNING", layer_num=1)
    assert vision.pictures == []  # nothing asked before the first check
    await _deliver(hass, link, layer_num=2)  # first layer done: look now
    assert vision.pictures == [f"media-source://camera/{camera}"]

    pauses_when_asked = []
    for _ in range(5):
        await _pass(hass, freezer, 5)
        pauses_when_asked.append(len(link.commands("pause")))
    assert len(vision.pictures) == 6
    # Two failed answers in a row (after the unsure one) did not pause: K-1.
    assert pauses_when_asked == [0, 0, 0, 0, 1]
    paused_at = vision.asked_at[-1]
    [message] = sent
    assert "a tangle of filament" in message.data["message"]
    assert message.data["data"]["image"].startswith("/local/bambu_cloud/")
    assert [c.data["entity_id"] for c in snapshots] == [[camera]]

    # The printer pauses; the user looks, finds it fine and resumes.
    await _deliver(hass, link, gcode_state="PAUSE")
    await _pass(hass, freezer, 10)
    await _deliver(hass, link, gcode_state="RUNNING")
    for _ in range(4):
        await _pass(hass, freezer, 5)
    assert len(vision.pictures) == 6  # the cool-down: nothing asked for 30 minutes
    await _pass(hass, freezer, 5)
    assert len(vision.pictures) == 7
    assert vision.asked_at[-1] - paused_at == timedelta(minutes=35)
    await _pass(hass, freezer, 5)
    await _pass(hass, freezer, 5)
    assert len(vision.pictures) == 9
    assert len(link.commands("pause")) == 1  # the fine answer reset the count
    await _pass(hass, freezer, 5)
    assert len(link.commands("pause")) == 2
    assert len(sent) == 2

    # The job ends: the watch ends with the cool-down, nothing more is asked.
    await _deliver(hass, link, gcode_state="FINISH")
    await _pass(hass, freezer, 30)
    await _pass(hass, freezer, 30)
    assert not any(_is_watch(t) and not t.done() for t in hass._tasks)
    assert len(vision.pictures) == 10
    assert vision.answers == []
