"""Switches: camera, detectors and printer options, and "camera always on"."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any
from unittest.mock import patch

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from custom_components.bambu_cloud.const import CONF_CAMERA, DOMAIN
from tests.common import PRINTERS, get_version, pushall
from tests.conftest import LAN_SERIAL, lan_entry, setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of, printer_keys
from tests.snapshot_helpers import setup_full_capture, snapshot_entities

CAMERA_ONLY = {"camera_recording", "timelapse"}
DETECTORS = {
    "printing_monitor",
    "spaghetti_detector",
    "first_layer_inspector",
    "buildplate_marker_detector",
}


@pytest.fixture(autouse=True)
def _only_switches() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SWITCH]):
        yield


_entity_id = partial(entity_id_of, domain=SWITCH_DOMAIN)


def _state(hass: HomeAssistant, key: str) -> str:
    state = hass.states.get(_entity_id(hass, key))
    assert state is not None
    return state.state


_keys = printer_keys


async def _call(hass: HomeAssistant, service: str, key: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: _entity_id(hass, key)}, blocking=True
    )


_deliver = deliver_report


def _last_sent(link: FakeLink) -> dict[str, Any]:
    _serial, payload = link.published[-1]
    return {
        module: {k: v for k, v in body.items() if k != "sequence_id"}
        for module, body in payload.items()
    }


async def _setup_report(
    hass: HomeAssistant,
    link_class: type[FakeLink],
    capture: str,
    entry: MockConfigEntry | None = None,
    **changes: Any,
) -> tuple[MockConfigEntry, FakeLink]:
    """Set up a capture printer whose full report has ``changes``."""
    entry = entry or lan_entry(capture)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = link_class.links[-1]
    report = pushall(capture)
    report["print"].update(changes)
    link.deliver(LAN_SERIAL, get_version(capture))
    link.deliver(LAN_SERIAL, report)
    await hass.async_block_till_done()
    return entry, link


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, SWITCH_DOMAIN)


@pytest.mark.parametrize(
    ("capture", "keys"),
    [
        # No AMS, no detectors; the JPEG camera can stay connected.
        ("p1p-no-ams", {*CAMERA_ONLY, "camera_always_on"}),
        ("p1p-ams", {*CAMERA_ONLY, "auto_switch_filament", "camera_always_on"}),
        # The A1 reports prompt sound and tangle detection as supported
        # (home_flag bits 18 and 19) and the plate marker detector.
        (
            "a1-ams-lite",
            {
                *CAMERA_ONLY,
                "buildplate_marker_detector",
                "prompt_sound",
                "filament_tangle_detect",
                "auto_switch_filament",
                "camera_always_on",
            },
        ),
        # X1C, P2S, H2D: their feature bits (fun) leave out prompt sound and
        # tangle detection although home_flag bit 18 is set; RTSP cameras.
        ("x1c-multi-ams", {*CAMERA_ONLY, *DETECTORS, "auto_switch_filament"}),
        ("p2s", {*CAMERA_ONLY, *DETECTORS, "auto_switch_filament"}),
        ("h2d-laser", {*CAMERA_ONLY, *DETECTORS, "auto_switch_filament"}),
    ],
)
async def test_switches_where_reported(
    hass: HomeAssistant, fake_link: type[FakeLink], capture: str, keys: set[str]
) -> None:
    entry, _link = await setup_capture(hass, capture)
    assert _keys(hass, entry.entry_id) == keys
    registry = er.async_get(hass)
    for key in keys:
        registry_entry = registry.async_get(_entity_id(hass, key))
        assert registry_entry is not None
        assert registry_entry.entity_category is EntityCategory.CONFIG


@pytest.mark.parametrize(
    ("key", "service", "payload"),
    [
        (
            "camera_recording",
            SERVICE_TURN_OFF,
            {"camera": {"command": "ipcam_record_set", "control": "disable"}},
        ),
        (
            "timelapse",
            SERVICE_TURN_ON,
            {"camera": {"command": "ipcam_timelapse", "control": "enable"}},
        ),
        (
            "spaghetti_detector",
            SERVICE_TURN_OFF,
            {
                "xcam": {
                    "command": "xcam_control_set",
                    "module_name": "spaghetti_detector",
                    "control": False,
                    "enable": False,
                    "print_halt": True,
                }
            },
        ),
        (
            "buildplate_marker_detector",
            SERVICE_TURN_ON,
            {
                "xcam": {
                    "command": "xcam_control_set",
                    "module_name": "buildplate_marker_detector",
                    "control": True,
                    "enable": True,
                    "print_halt": True,
                }
            },
        ),
        (
            "auto_switch_filament",
            SERVICE_TURN_OFF,
            {"print": {"command": "print_option", "auto_switch_filament": False}},
        ),
    ],
)
async def test_payloads(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    key: str,
    service: str,
    payload: dict[str, Any],
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    before = _state(hass, key)
    await _call(hass, service, key)
    assert _last_sent(link) == payload
    assert _state(hass, key) == before  # until the printer reports it


async def test_camera_and_detectors_follow_the_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "x1c-multi-ams")
    assert _state(hass, "camera_recording") == STATE_ON
    assert _state(hass, "buildplate_marker_detector") == STATE_OFF
    await _deliver(
        hass,
        link,
        ipcam={"ipcam_record": "disable", "timelapse": "enable"},
        xcam={"buildplate_marker_detector": True},
    )
    assert _state(hass, "camera_recording") == STATE_OFF
    assert _state(hass, "timelapse") == STATE_ON
    assert _state(hass, "buildplate_marker_detector") == STATE_ON


async def test_options_of_an_a1_follow_home_flag(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "a1-ams-lite")
    assert _state(hass, "prompt_sound") == STATE_OFF
    assert _state(hass, "filament_tangle_detect") == STATE_ON
    await _call(hass, SERVICE_TURN_ON, "prompt_sound")
    assert _last_sent(link) == {
        "print": {"command": "print_option", "sound_enable": True}
    }
    await _call(hass, SERVICE_TURN_OFF, "filament_tangle_detect")
    assert _last_sent(link) == {
        "print": {"command": "print_option", "filament_tangle_detect": False}
    }
    flag = pushall("a1-ams-lite")["print"]["home_flag"]
    await _deliver(hass, link, home_flag=(flag | 1 << 17) & ~(1 << 20))
    assert _state(hass, "prompt_sound") == STATE_ON
    assert _state(hass, "filament_tangle_detect") == STATE_OFF


async def test_newer_firmware_reports_options_in_cfg(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    # A P2S that says it supports the options (as some firmware does).
    _entry, link = await _setup_report(
        hass,
        fake_link,
        "p2s",
        support_prompt_sound=True,
        support_auto_recovery_step_loss=True,
    )
    assert _state(hass, "prompt_sound") == STATE_OFF  # cfg bit 22
    assert _state(hass, "auto_recovery") == STATE_ON  # cfg bit 16
    await _call(hass, SERVICE_TURN_OFF, "auto_recovery")
    assert _last_sent(link) == {
        "print": {"command": "print_option", "auto_recovery": False, "option": 0}
    }
    cfg = int(pushall("p2s")["print"]["cfg"], 16)
    await _deliver(hass, link, cfg=format(cfg & ~(1 << 16) | 1 << 22, "X"))
    assert _state(hass, "auto_recovery") == STATE_OFF
    assert _state(hass, "prompt_sound") == STATE_ON


async def test_refusal_is_an_error(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "x1c-multi-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused("unknown module", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, SERVICE_TURN_OFF, "first_layer_inspector")
    assert caught.value.translation_key == "command_refused"
    assert _state(hass, "first_layer_inspector") == STATE_ON


# --- camera always on ----------------------------------------------------------------


async def test_camera_always_on_is_a_local_setting(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "p1p-ams")
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    assert _state(hass, "camera_always_on") == STATE_OFF
    sent = len(link.published)
    await _call(hass, SERVICE_TURN_ON, "camera_always_on")
    assert _state(hass, "camera_always_on") == STATE_ON
    assert coordinator.camera_always_on
    await _call(hass, SERVICE_TURN_OFF, "camera_always_on")
    assert _state(hass, "camera_always_on") == STATE_OFF
    assert not coordinator.camera_always_on
    assert len(link.published) == sent  # nothing for the printer

    # It stays available while the printer is not: it is Home Assistant's.
    link.set_connected(False)
    await hass.async_block_till_done()
    assert _state(hass, "camera_always_on") == STATE_OFF


async def test_camera_always_on_is_restored_and_dropped_on_unload(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    mock_restore_cache(
        hass, [State(f"{SWITCH_DOMAIN}.p1p_ams_printer_camera_always_on", STATE_ON)]
    )
    entry, _link = await setup_capture(hass, "p1p-ams")
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    assert _entity_id(hass, "camera_always_on").endswith("camera_always_on")
    assert _state(hass, "camera_always_on") == STATE_ON
    assert coordinator.camera_always_on
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert not coordinator.camera_always_on


async def test_no_camera_always_on_without_the_lan_or_the_camera(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry = lan_entry("p1p-ams")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data=dict(entry.data),
        options={CONF_CAMERA: False},
    )
    entry, _link = await _setup_report(hass, fake_link, "p1p-ams", entry)
    assert "camera_always_on" not in _keys(hass, entry.entry_id)
    assert await hass.config_entries.async_unload(entry.entry_id)

    with patch("custom_components.bambu_cloud.hub.local_access", return_value=None):
        other = lan_entry("p1p-ams", serial="01S00C000000002")
        other.add_to_hass(hass)
        assert await hass.config_entries.async_setup(other.entry_id)
        link = fake_link.links[-1]
        link.deliver("01S00C000000002", get_version("p1p-ams"))
        link.deliver("01S00C000000002", pushall("p1p-ams"))
        await hass.async_block_till_done()
    made = {
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), other.entry_id)
    }
    assert made
    assert "01S00C000000002_camera_always_on" not in made
