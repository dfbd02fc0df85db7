"""Target temperatures: per nozzle, bed and chamber, with the model's limits."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from unittest.mock import patch

from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
    NumberEntity,
)
from homeassistant.components.number.const import DATA_COMPONENT
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from tests.common import PRINTERS
from tests.conftest import setup_capture
from tests.fake_link import FakeLink
from tests.platform_helpers import deliver_report, entity_id_of, printer_keys, state_of
from tests.snapshot_helpers import setup_full_capture, snapshot_entities


@pytest.fixture(autouse=True)
def _only_numbers() -> Generator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.NUMBER]):
        yield


_entity_id = partial(entity_id_of, domain=NUMBER_DOMAIN)


_state = partial(state_of, domain=NUMBER_DOMAIN)


_keys = printer_keys


async def _set(hass: HomeAssistant, key: str, value: float) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: _entity_id(hass, key), ATTR_VALUE: value},
        blocking=True,
    )


_deliver = deliver_report


def _gcode(link: FakeLink) -> list[str]:
    return [body["param"] for body in link.commands("gcode_line")]


@pytest.mark.parametrize("capture", PRINTERS)
async def test_snapshot(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    snapshot: SnapshotAssertion,
    capture: str,
) -> None:
    entry, _link = await setup_full_capture(hass, capture)
    await snapshot_entities(hass, snapshot, entry.entry_id, NUMBER_DOMAIN)


@pytest.mark.parametrize(
    ("capture", "keys", "limits"),
    [
        (
            "p1p-ams",
            {"nozzle_target_temperature", "bed_target_temperature"},
            {"nozzle_target_temperature": 300, "bed_target_temperature": 100},
        ),
        (
            "x1c-multi-ams",  # a chamber sensor, no heater: no chamber target
            {"nozzle_target_temperature", "bed_target_temperature"},
            {"bed_target_temperature": 110},
        ),
        (
            "h2d-laser",
            {
                "nozzle_target_temperature_0",
                "nozzle_target_temperature_1",
                "bed_target_temperature",
                "chamber_target_temperature",
            },
            {
                "nozzle_target_temperature_1": 350,
                "bed_target_temperature": 120,
                "chamber_target_temperature": 65,
            },
        ),
    ],
)
async def test_targets_and_limits_by_model(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    capture: str,
    keys: set[str],
    limits: dict[str, int],
) -> None:
    entry, _link = await setup_capture(hass, capture)
    assert _keys(hass, entry.entry_id) == keys
    for key, high in limits.items():
        assert _state(hass, key).attributes[ATTR_MAX] == high


async def test_setting_a_target_follows_the_report(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    await _set(hass, "bed_target_temperature", 60)
    await _set(hass, "nozzle_target_temperature", 220)
    assert _gcode(link) == ["M140 S60\n", "M104 S220\n"]
    assert _state(hass, "bed_target_temperature").state == "0.0"
    await _deliver(hass, link, bed_target_temper=60.0, nozzle_target_temper=220.0)
    assert _state(hass, "bed_target_temperature").state == "60.0"
    assert _state(hass, "nozzle_target_temperature").state == "220.0"


async def test_each_nozzle_and_the_chamber_of_an_h2d(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "h2d-laser")
    await _set(hass, "nozzle_target_temperature_0", 250)
    await _set(hass, "nozzle_target_temperature_1", 210)
    await _set(hass, "chamber_target_temperature", 45)
    assert [
        (body["extruder_index"], body["target_temp"])
        for body in link.commands("set_nozzle_temp")
    ] == [(0, 250), (1, 210)]
    assert _gcode(link) == ["M141 S45\n"]
    # H2 firmware packs target << 16 | current per part.
    await _deliver(
        hass,
        link,
        device={
            "extruder": {"info": [{"id": 1, "temp": 210 << 16 | 30}]},
            "ctc": {"info": {"temp": 45 << 16 | 36}},
        },
    )
    assert _state(hass, "nozzle_target_temperature_1").state == "210.0"
    assert _state(hass, "chamber_target_temperature").state == "45.0"


async def test_the_limits_are_checked_before_sending(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    _entry, link = await setup_capture(hass, "p1p-ams")
    sent = len(link.published)
    # Home Assistant refuses what is beyond the entity's range...
    with pytest.raises(ServiceValidationError):
        await _set(hass, "bed_target_temperature", 101)
    # ...and the library what the printer cannot take within it.
    with pytest.raises(ServiceValidationError) as caught:
        await _set(hass, "bed_target_temperature", 60.5)
    assert caught.value.translation_key == "invalid_command"
    entity = hass.data[DATA_COMPONENT].get_entity(
        _entity_id(hass, "nozzle_target_temperature")
    )
    assert isinstance(entity, NumberEntity)
    with pytest.raises(ServiceValidationError) as caught:
        await entity.async_set_native_value(301)
    assert caught.value.translation_key == "value_out_of_range"
    assert caught.value.translation_placeholders == {
        "name": "nozzle_temperature",
        "value": "301",
        "min": "0",
        "max": "300",
    }
    assert len(link.published) == sent


async def test_refusal_is_an_error(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    await setup_capture(hass, "p1p-ams")
    fake_link.reply = lambda _serial, _payload: CommandRefused("busy", 2)
    with pytest.raises(HomeAssistantError) as caught:
        await _set(hass, "bed_target_temperature", 60)
    assert caught.value.translation_key == "command_refused"
    assert _state(hass, "bed_target_temperature").state == "0.0"
