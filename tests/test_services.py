"""The actions (except print_file): payloads, validation, devices, failures."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.bambu_cloud import services
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
)
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.entity import ams_identifier
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink

COMPONENT = Path(__file__).parents[1] / "custom_components" / DOMAIN
PRINTER = LAN_SERIAL
AMS_0 = ams_identifier(LAN_SERIAL, 0)
AMS_2_PRO = ams_identifier(LAN_SERIAL, 2)
AMS_HT = ams_identifier(LAN_SERIAL, 128)


@pytest.fixture(autouse=True)
def _sensor_platform_only() -> Iterator[None]:
    """Sensors register the printer and AMS devices; the rest is not needed."""
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        yield


def device_id(hass: HomeAssistant, identifier: str) -> str:
    """The registry id of a printer or AMS unit device."""
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, identifier)})
    return device.id


def body(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload's body without its (random) sequence id."""
    (inner,) = payload.values()
    return {k: v for k, v in inner.items() if k != "sequence_id"}


async def call(
    hass: HomeAssistant, action: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    """Run an action and wait for it."""
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=response
    )


GCODE_MOVE_Z = "M1002 push_ref_mode\nG91\nG1 Z-5 F900\nG90\nM1002 pop_ref_mode\n"


@pytest.mark.parametrize(
    ("capture", "device", "action", "data", "expected"),
    [
        pytest.param(
            "p1p-ams",
            PRINTER,
            "skip_objects",
            {"objects": "417, 532"},
            {"print": {"command": "skip_objects", "obj_list": [417, 532]}},
            id="skip_objects",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "send_gcode",
            {"gcode": "M140 S60"},
            {"print": {"command": "gcode_line", "param": "M140 S60\n"}},
            id="send_gcode",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "move_axis",
            {"axis": "z", "distance": -5},
            {"print": {"command": "gcode_line", "param": GCODE_MOVE_Z}},
            id="move_axis",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "move_axis",
            {"axis": "e", "distance": 10, "speed": 300},
            {"print": {"command": "gcode_line", "param": "M83\nG1 E10 F300\n"}},
            id="extrude",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "home",
            {},
            {"print": {"command": "gcode_line", "param": "G28\n"}},
            id="home",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "home",
            {},
            {"print": {"command": "gcode_line", "param": "G28\n"}},
            id="an_ams_unit_stands_for_its_printer",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "load_filament",
            {"tray": 3},
            {
                "print": {
                    "command": "ams_change_filament",
                    "target": 2,
                    "ams_id": 0,
                    "slot_id": 2,
                    "curr_temp": -1,
                    "tar_temp": -1,
                }
            },
            id="load_tray",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "load_filament",
            {},
            {
                "print": {
                    "command": "ams_change_filament",
                    "target": 254,
                    "ams_id": 255,
                    "slot_id": 0,
                    "curr_temp": -1,
                    "tar_temp": -1,
                }
            },
            id="load_external_spool",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_HT,
            "load_filament",
            {},
            {
                "print": {
                    "command": "ams_change_filament",
                    "target": 128,
                    "ams_id": 128,
                    "slot_id": 0,
                    "curr_temp": -1,
                    "tar_temp": -1,
                }
            },
            id="load_ams_ht_single_tray",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "unload_filament",
            {},
            {
                "print": {
                    "command": "ams_change_filament",
                    "target": 255,
                    "ams_id": 0,  # tray_now 0: the filament came from AMS 1
                    "slot_id": 255,
                    "curr_temp": -1,
                    "tar_temp": -1,
                }
            },
            id="unload_from_ams",
        ),
        pytest.param(
            "x1c-multi-ams",
            PRINTER,
            "unload_filament",
            {},
            {
                "print": {
                    "command": "ams_change_filament",
                    "target": 255,
                    "ams_id": 255,  # nothing loaded
                    "slot_id": 255,
                    "curr_temp": -1,
                    "tar_temp": -1,
                }
            },
            id="unload_nothing_known",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "filament": "GFA00", "color": [255, 0, 16]},
            {
                "print": {
                    "command": "ams_filament_setting",
                    "ams_id": 0,
                    "tray_id": 0,
                    "slot_id": 0,
                    "tray_info_idx": "GFA00",
                    "tray_color": "FF0010FF",
                    "tray_type": "PLA",
                    "nozzle_temp_min": 190,
                    "nozzle_temp_max": 240,
                }
            },
            id="set_filament_profile",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "set_filament",
            {"type": "petg", "max_temperature": 250},
            {
                "print": {
                    "command": "ams_filament_setting",
                    "ams_id": 255,
                    "tray_id": 254,
                    "slot_id": 0,
                    "tray_info_idx": "GFG99",  # Generic PETG
                    "tray_color": "161616FF",  # the spool's colour stays
                    "tray_type": "PETG",
                    "nozzle_temp_min": 220,
                    "nozzle_temp_max": 250,
                }
            },
            id="set_filament_generic_external",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 4, "filament": "GFL99", "color": "#00ae42"},
            {
                "print": {
                    "command": "ams_filament_setting",
                    "ams_id": 0,
                    "tray_id": 3,
                    "slot_id": 3,
                    "tray_info_idx": "GFL99",
                    "tray_color": "00AE42FF",
                    "tray_type": "PLA",
                    "nozzle_temp_min": 190,
                    "nozzle_temp_max": 240,
                }
            },
            id="set_filament_hex_color",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_2_PRO,
            "set_filament",
            {
                "tray": 1,
                "filament": "P4d64437",
                "type": "PLA-CF",
                "min_temperature": 210,
                "max_temperature": 250,
            },
            {
                "print": {
                    "command": "ams_filament_setting",
                    "ams_id": 2,
                    "tray_id": 0,
                    "slot_id": 0,
                    "tray_info_idx": "P4d64437",
                    "tray_color": "FFFFFFFF",  # an empty tray: white
                    "tray_type": "PLA-CF",
                    "nozzle_temp_min": 210,
                    "nozzle_temp_max": 250,
                }
            },
            id="set_filament_user_profile_empty_tray",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_2_PRO,
            "start_drying",
            {"temperature": 55, "duration": 8, "filament": "PLA"},
            {
                "print": {
                    "command": "ams_filament_drying",
                    "ams_id": 2,
                    "mode": 1,
                    "filament": "PLA",
                    "temp": 55,
                    "duration": 8,
                    "humidity": 0,
                    "rotate_tray": False,
                    "cooling_temp": 20,
                    "close_power_conflict": False,
                }
            },
            id="start_drying",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_HT,
            "stop_drying",
            {},
            {
                "print": {
                    "command": "ams_filament_drying",
                    "ams_id": 128,
                    "mode": 0,
                    "filament": "",
                    "temp": 0,
                    "duration": 0,
                    "humidity": 0,
                    "rotate_tray": False,
                    "cooling_temp": 0,
                    "close_power_conflict": False,
                }
            },
            id="stop_drying",
        ),
    ],
)
async def test_action_sends_exactly(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    capture: str,
    device: str,
    action: str,
    data: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    _entry, link = await setup_capture(hass, capture)
    sent = len(link.published)
    result = await call(hass, action, {"device_id": device_id(hass, device), **data})
    assert result is None
    (new,) = link.published[sent:]
    serial, payload = new
    assert serial == LAN_SERIAL
    assert list(payload) == list(expected)
    assert body(payload) == body(expected)


async def test_refresh_asks_for_versions_and_the_full_state(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    await call(hass, "refresh", {"device_id": device_id(hass, PRINTER)})
    assert [body(p) for _s, p in link.published[sent:]] == [
        {"command": "get_version"},
        {"command": "pushall"},
    ]


@pytest.mark.parametrize(
    ("capture", "device", "action", "data", "key", "placeholders"),
    [
        pytest.param(
            "p1p-ams",
            PRINTER,
            "move_axis",
            {"axis": "x", "distance": 300},
            "value_out_of_range",
            {"name": "x_distance", "value": "300", "min": "-250", "max": "250"},
            id="distance_out_of_range",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "move_axis",
            {"axis": "w", "distance": 1},
            "unknown_target",
            {"what": "axis", "value": "w"},
            id="unknown_axis",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "send_gcode",
            {"gcode": "   "},
            "invalid_command",
            None,
            id="empty_gcode",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "skip_objects",
            {"objects": [-1]},
            "unknown_target",
            {"what": "object", "value": "-1"},
            id="negative_object",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "load_filament",
            {},
            "tray_required",
            {"device": "p1p-ams printer AMS 1"},
            id="tray_required",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "load_filament",
            {"tray": 5},
            "unknown_target",
            {"what": "tray", "value": "5"},
            id="tray_5",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_HT,
            "load_filament",
            {"tray": 2},
            "unknown_target",
            {"what": "tray", "value": "2"},
            id="ams_ht_has_one_tray",
        ),
        pytest.param(
            "p1p-ams",
            PRINTER,
            "load_filament",
            {"tray": 1},
            "tray_of_printer",
            {"device": "p1p-ams printer"},
            id="printer_has_no_trays",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "color": [1, 2, 3]},
            "filament_required",
            {},
            id="no_filament",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "type": "Unobtainium"},
            "no_generic_profile",
            {"type": "Unobtainium"},
            id="no_generic_profile",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "filament": "P4d64437", "type": "PLA"},
            "filament_details_required",
            {"filament": "P4d64437"},
            id="unknown_profile_without_temperatures",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "filament": "GFA00", "min_temperature": 250},
            "invalid_command",
            None,
            id="min_above_max",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "filament": "GFA00", "color": "#00ae4"},
            "invalid_command",
            None,
            id="bad_color",
        ),
        pytest.param(
            "p1p-ams",
            AMS_0,
            "set_filament",
            {"tray": 1, "filament": "GFA00", "max_temperature": 999},
            "value_out_of_range",
            {"name": "nozzle_temp_max", "value": "999", "min": "0", "max": "350"},
            id="temperature_out_of_range",
        ),
        pytest.param(
            "x1c-multi-ams",
            PRINTER,
            "start_drying",
            {"temperature": 50, "duration": 2},
            "ams_unit_required",
            {"device": "x1c-multi-ams printer"},
            id="drying_needs_an_ams_unit",
        ),
        pytest.param(
            "x1c-multi-ams",
            PRINTER,
            "stop_drying",
            {},
            "ams_unit_required",
            {"device": "x1c-multi-ams printer"},
            id="stop_drying_needs_an_ams_unit",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_0,
            "start_drying",
            {"temperature": 50, "duration": 2},
            "not_supported",
            {"feature": "filament drying", "model": "AMS"},
            id="plain_ams_cannot_dry",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_2_PRO,
            "start_drying",
            {"temperature": 70, "duration": 2},
            "value_out_of_range",
            {"name": "drying_temperature", "value": "70", "min": "45", "max": "65"},
            id="ams_2_pro_dries_up_to_65",
        ),
        pytest.param(
            "x1c-multi-ams",
            AMS_HT,
            "start_drying",
            {"temperature": 80, "duration": 30},
            "value_out_of_range",
            {"name": "drying_hours", "value": "30", "min": "1", "max": "24"},
            id="at_most_a_day",
        ),
    ],
)
async def test_invalid_input_sends_nothing(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    capture: str,
    device: str,
    action: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    _entry, link = await setup_capture(hass, capture)
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, action, {"device_id": device_id(hass, device), **data})
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    if placeholders is not None:
        assert caught.value.translation_placeholders == placeholders
    assert link.published[sent:] == []


async def test_no_jogging_while_a_job_moves_the_printer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    printer = device_id(hass, PRINTER)
    for state in ("PREPARE", "RUNNING"):
        link.deliver(
            LAN_SERIAL, {"print": {"command": "push_status", "gcode_state": state}}
        )
        sent = len(link.published)
        for action, data in (("home", {}), ("move_axis", {"axis": "x", "distance": 1})):
            with pytest.raises(ServiceValidationError) as caught:
                await call(hass, action, {"device_id": printer, **data})
            assert caught.value.translation_key == "printer_busy"
            assert caught.value.translation_placeholders == {"name": "p1p-ams printer"}
        assert link.published[sent:] == []
    # A paused job may be jogged, e.g. to clear the nozzle.
    link.deliver(
        LAN_SERIAL, {"print": {"command": "push_status", "gcode_state": "PAUSE"}}
    )
    await call(hass, "move_axis", {"device_id": printer, "axis": "z", "distance": 5})
    assert body(link.published[-1][1])["param"].startswith("M1002 push_ref_mode")


async def test_unknown_device(hass: HomeAssistant, fake_link: type[FakeLink]) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "home", {"device_id": "0123456789abcdef"})
    assert caught.value.translation_domain == "homeassistant"
    assert caught.value.translation_key == "service_device_not_found"
    assert link.published[sent:] == []


async def test_device_of_another_integration(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    other = MockConfigEntry(domain="other_printer")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_printer", "1")}, name="X"
    )
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "home", {"device_id": device.id})
    assert caught.value.translation_key == "service_device_wrong_domain"


async def test_device_of_an_unloaded_entry(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, link = await setup_capture(hass, "p1p-ams")
    printer = device_id(hass, PRINTER)
    assert await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "home", {"device_id": printer})
    assert caught.value.translation_key == "service_config_entry_not_loaded"
    assert link.commands("gcode_line") == []


async def test_device_no_longer_served(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """An AMS unit that was detached keeps its device, but nothing to control."""
    entry, link = await setup_capture(hass, "p1p-ams")
    gone = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("other", "x"), (DOMAIN, ams_identifier(LAN_SERIAL, 3))},
        name="Old AMS",
    )
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "load_filament", {"device_id": gone.id, "tray": 1})
    assert caught.value.translation_key == "device_not_available"
    assert caught.value.translation_placeholders == {"device": "Old AMS"}
    assert link.commands("ams_change_filament") == []


@pytest.mark.parametrize(
    ("answer", "key", "placeholders"),
    [
        (
            CommandRefused("no such tray", 2),
            "command_refused",
            {"reason": "no such tray"},
        ),
        (CommandTimeout("late"), "command_timeout", {"seconds": "10"}),
    ],
)
async def test_printer_refusal_and_timeout_propagate(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    answer: Exception,
    key: str,
    placeholders: dict[str, str],
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: answer
    with pytest.raises(HomeAssistantError) as caught:
        await call(
            hass, "load_filament", {"device_id": device_id(hass, AMS_0), "tray": 2}
        )
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == {
        "name": "p1p-ams printer",
        **placeholders,
    }


async def test_locked_control_raises_the_repair_issue(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused(
        "mqtt message verify failed", 84033543, locked=True
    )
    with pytest.raises(HomeAssistantError) as caught:
        await call(
            hass, "send_gcode", {"device_id": device_id(hass, PRINTER), "gcode": "M400"}
        )
    assert caught.value.translation_key == "control_locked"


async def test_refresh_while_disconnected(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    link.set_connected(False)
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "refresh", {"device_id": device_id(hass, PRINTER)})
    assert caught.value.translation_key == "not_connected"


async def test_every_action_is_described_and_translated(hass: HomeAssistant) -> None:
    """services.yaml (as Home Assistant validates it), schemas and strings agree."""
    assert await async_setup_component(hass, DOMAIN, {})
    described = (await async_get_all_descriptions(hass))[DOMAIN]
    translated = json.loads((COMPONENT / "strings.json").read_text())["services"]
    icons = json.loads((COMPONENT / "icons.json").read_text())["services"]
    schemas = {
        services.SERVICE_PRINT_FILE: services.PRINT_FILE_SCHEMA,
        services.SERVICE_PRINT_STORED_FILE: services.PRINT_STORED_FILE_SCHEMA,
        services.SERVICE_ADD_TO_QUEUE: services.ADD_TO_QUEUE_SCHEMA,
        **{name: schema for name, _handler, schema in services._ACTIONS},
        **{name: schema for name, _handler, schema in services._READ_ACTIONS},
    }
    assert set(described) == set(schemas) == set(translated) == set(icons)
    assert set(hass.services.async_services_for_domain(DOMAIN)) == set(schemas)
    for name, schema in schemas.items():
        fields = {str(key) for key in schema.schema}
        assert set(described[name]["fields"]) == fields, name
        assert set(translated[name]["fields"]) == fields, name
        assert described[name]["fields"]["device_id"]["required"] is True


# --- who may act, and raw G-code within the model's limits (issue 14, point 9) ---


async def test_only_admins_act_on_the_printer(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    """A read-only or non-admin user gets a translated Unauthorized, nothing sent."""
    _entry, link = await setup_capture(hass, "p1p-ams")
    printer = device_id(hass, PRINTER)
    hass_admin_user.groups = []  # the same user, now without admin rights
    for user in (hass_read_only_user, hass_admin_user):
        assert not user.is_admin
        sent = len(link.published)
        for action, data in (
            ("send_gcode", {"gcode": "M104 S200"}),
            ("home", {}),
            ("skip_objects", {"objects": "1"}),
            ("print_file", {"file": "cube.3mf"}),
            ("print_stored_file", {"path": "/cache/cube.3mf"}),
            ("delete_stored_file", {"path": "/cache/cube.3mf"}),
            ("add_to_queue", {"file": "printer:/cache/cube.3mf"}),
        ):
            with pytest.raises(Unauthorized) as caught:
                await hass.services.async_call(
                    DOMAIN,
                    action,
                    {"device_id": printer, **data},
                    blocking=True,
                    context=Context(user_id=user.id),
                )
            assert caught.value.translation_domain == DOMAIN
            assert caught.value.translation_key == "admin_required"
            assert caught.value.translation_placeholders == {
                "action": f"{DOMAIN}.{action}"
            }
            assert str(caught.value).startswith(
                f"Only an administrator may run {DOMAIN}."
            )
        assert link.published[sent:] == []
        # Asking for the state changes nothing: anyone may.
        await hass.services.async_call(
            DOMAIN,
            "refresh",
            {"device_id": printer},
            blocking=True,
            context=Context(user_id=user.id),
        )
        assert len(link.published) == sent + 2


async def test_an_admin_acts(
    hass: HomeAssistant, fake_link: type[FakeLink], hass_admin_user: MockUser
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    await hass.services.async_call(
        DOMAIN,
        "send_gcode",
        {"device_id": device_id(hass, PRINTER), "gcode": "M104 S200"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert body(link.published[-1][1])["param"] == "M104 S200\n"


@pytest.mark.parametrize(
    ("gcode", "name", "value", "high"),
    [
        pytest.param("M104 S999", "nozzle_temperature", "999", "300", id="nozzle"),
        pytest.param("G28\nm109 r301", "nozzle_temperature", "301", "300", id="wait_r"),
        pytest.param("M104 T1 S350", "nozzle_temperature", "350", "300", id="any_tool"),
        pytest.param(
            "T1 M104 S350", "nozzle_temperature", "350", "300", id="tool_first"
        ),
        pytest.param("M104S400 ; hot", "nozzle_temperature", "400", "300", id="packed"),
        pytest.param("N7 M140 S101*12", "bed_temperature", "101", "100", id="bed"),
        pytest.param("M190 S-5", "bed_temperature", "-5", "100", id="negative"),
        pytest.param("M141 S40", "chamber_temperature", "40", "0", id="no_heater"),
    ],
)
async def test_gcode_cannot_bypass_the_model_limits(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    gcode: str,
    name: str,
    value: str,
    high: str,
) -> None:
    """The same limits as the temperature numbers (P1P: nozzle 300, bed 100)."""
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass, "send_gcode", {"device_id": device_id(hass, PRINTER), "gcode": gcode}
        )
    assert caught.value.translation_key == "value_out_of_range"
    assert caught.value.translation_placeholders == {
        "name": name,
        "value": value,
        "min": "0",
        "max": high,
    }
    assert link.published[sent:] == []


async def test_gcode_within_the_limits_is_sent(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    gcode = "M104 S300\nM140 S100\nM109 R0\nM1040 S999\nM106 S255"
    await call(
        hass, "send_gcode", {"device_id": device_id(hass, PRINTER), "gcode": gcode}
    )
    assert body(link.published[-1][1])["param"] == gcode + "\n"


async def test_gcode_heater_target_must_be_a_number(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    for gcode in ("M104 Shot", "M140 S", "M109 S2.5.0"):
        with pytest.raises(ServiceValidationError) as caught:
            await call(
                hass,
                "send_gcode",
                {"device_id": device_id(hass, PRINTER), "gcode": gcode},
            )
        assert caught.value.translation_key == "invalid_command"
    assert link.published[sent:] == []


async def test_skip_objects_refuses_ids_beyond_64_bits(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    """Point 17: an id the encoder cannot carry is a translated error."""
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "skip_objects",
            {"device_id": device_id(hass, PRINTER), "objects": f"1, {2**64}"},
        )
    assert caught.value.translation_key == "unknown_target"
    assert caught.value.translation_placeholders == {
        "what": "object",
        "value": str(2**64),
    }
    assert link.published[sent:] == []
    await call(
        hass,
        "skip_objects",
        {"device_id": device_id(hass, PRINTER), "objects": [2**64 - 1]},
    )
    assert body(link.published[-1][1])["obj_list"] == [2**64 - 1]
