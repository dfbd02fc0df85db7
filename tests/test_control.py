"""The command path: typed commands awaited, failures translated, the locked-control issue."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback, is_callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import pytest

from custom_components.bambu_cloud import control
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    CommandTimeout,
    NotConnected,
)
from custom_components.bambu_cloud.camera import JpegPrinterCamera
from custom_components.bambu_cloud.const import CONF_ACCESS_CODE, DOMAIN
from custom_components.bambu_cloud.coordinator import (
    PrinterCoordinator,
    camera_always_on_signal,
)
from simulator.cloud import FakeCloud

from .cloud_helpers import CLOUD_SERIAL, cloud_entry, setup_cloud_capture
from .conftest import LAN_SERIAL, setup_capture
from .fake_link import FakeLink

ISSUE_ID = f"control_locked_{LAN_SERIAL}"


async def _printer(hass: HomeAssistant) -> tuple[PrinterCoordinator, FakeLink]:
    entry, link = await setup_capture(hass, "p1p-ams")
    return entry.runtime_data.printers[LAN_SERIAL], link


async def test_a_typed_command_is_sent_and_its_reply_awaited(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, link = await _printer(hass)
    answered: list[str] = []

    def reply(_serial: str, payload: dict[str, Any]) -> None:
        answered.append(payload["print"]["command"])

    fake_link.reply = reply
    await control.async_command(coordinator, coordinator.printer.pause())
    assert answered == ["pause"]
    assert link.commands("pause")


async def test_locked_control_raises_and_repairs_until_a_command_works(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, _link = await _printer(hass)
    fake_link.reply = lambda _serial, _payload: CommandRefused(
        "mqtt message verify failed", 84033543, locked=True
    )
    with pytest.raises(HomeAssistantError) as caught:
        await control.async_command(coordinator, coordinator.printer.pause())
    assert caught.value.translation_key == "control_locked"
    assert caught.value.translation_placeholders == {"name": coordinator.printer_name}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID)
    assert issue is not None
    assert issue.translation_key == "control_locked"
    assert issue.learn_more_url == control.LAN_MODE_URL

    # A second refusal keeps one issue; a command that works removes it.
    with pytest.raises(HomeAssistantError):
        await control.async_command(coordinator, coordinator.printer.pause())
    assert len(ir.async_get(hass).issues) == 1
    fake_link.reply = None
    await control.async_command(coordinator, coordinator.printer.resume())
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID) is None


@pytest.mark.parametrize(
    ("answer", "key", "placeholders"),
    [
        (
            CommandRefused("no job to pause", 2),
            "command_refused",
            {"reason": "no job to pause"},
        ),
        (CommandRefused("", 7), "command_refused", {"reason": "7"}),
        (CommandTimeout("late"), "command_timeout", {"seconds": "10"}),
        (CommandTimeout("late", seconds="30"), "command_timeout", {"seconds": "30"}),
        (NotConnected("gone"), "not_connected", {}),
    ],
)
async def test_failures_are_translated(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    answer: Exception,
    key: str,
    placeholders: dict[str, str],
) -> None:
    coordinator, _link = await _printer(hass)
    fake_link.reply = lambda _serial, _payload: answer
    with pytest.raises(HomeAssistantError) as caught:
        await control.async_command(coordinator, coordinator.printer.stop_print())
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == {
        "name": coordinator.printer_name,
        **placeholders,
    }
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_ID) is None


async def test_nothing_is_sent_while_the_link_is_down(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, link = await _printer(hass)
    link.set_connected(False)
    sent = len(link.published)
    for command in (coordinator.printer.pause, coordinator.printer.refresh):
        with pytest.raises(HomeAssistantError) as caught:
            await control.async_command(coordinator, command())
        assert caught.value.translation_key == "not_connected"
    assert len(link.published) == sent


async def test_publish_sends_without_waiting(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, link = await _printer(hass)
    await control.async_command(coordinator, coordinator.printer.refresh())
    serial, payload = link.published[-1]
    assert serial == LAN_SERIAL
    assert payload["pushing"]["command"] == "pushall"


async def test_publish_failure_is_translated(
    hass: HomeAssistant, fake_link: type[FakeLink], monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator, link = await _printer(hass)

    async def refuse(_serial: str, _payload: dict[str, Any]) -> str:
        raise NotConnected("dropped while sending")

    monkeypatch.setattr(link, "publish", refuse)
    with pytest.raises(HomeAssistantError) as caught:
        await control.async_command(coordinator, coordinator.printer.refresh())
    assert caught.value.translation_key == "not_connected"


async def test_out_of_range_input_is_a_validation_error(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, link = await _printer(hass)
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await control.async_command(
            coordinator, coordinator.printer.set_bed_temperature(150)
        )
    assert caught.value.translation_key == "value_out_of_range"
    assert caught.value.translation_placeholders == {
        "name": "bed_temperature",
        "value": "150",
        "min": "0",
        "max": "100",
    }
    assert len(link.published) == sent


async def test_missing_part_and_bad_input_are_validation_errors(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    coordinator, link = await _printer(hass)
    sent = len(link.published)
    with pytest.raises(ServiceValidationError) as caught:
        await control.async_command(
            coordinator, coordinator.printer.set_chamber_temperature(40)
        )
    assert caught.value.translation_key == "not_supported"
    assert caught.value.translation_placeholders == {
        "feature": "chamber heater",
        "model": "P1P",
    }
    with pytest.raises(ServiceValidationError) as caught:
        await control.async_command(coordinator, coordinator.printer.send_gcode("   "))
    assert caught.value.translation_key == "invalid_command"
    assert "non-empty" in caught.value.translation_placeholders["error"]
    assert len(link.published) == sent


async def test_local_access_of_a_lan_printer(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "p1p-ams")
    hub = entry.runtime_data
    coordinator = hub.printers[LAN_SERIAL]
    access = coordinator.local_access
    assert access is not None
    assert (access.host, access.access_code) == ("192.0.2.10", "12345678")
    assert (access.camera_port, access.ftp_port) == (6000, 990)
    assert "12345678" not in repr(access)
    assert coordinator.camera_wanted
    assert hub.local_access("00M00A000000000") is None


async def test_camera_always_on_is_signalled_once_per_change(
    hass: HomeAssistant, fake_link: type[FakeLink]
) -> None:
    entry, _link = await setup_capture(hass, "p1p-ams")
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    heard: list[bool] = []

    # A callback runs in the loop, in order; a plain function would run in
    # the executor, where the two changes can arrive swapped. The camera
    # feed's listener is a callback for the same reason.
    @callback
    def hear(on: bool) -> None:
        heard.append(on)

    async_dispatcher_connect(hass, camera_always_on_signal(LAN_SERIAL), hear)
    assert not coordinator.camera_always_on
    coordinator.set_camera_always_on(True)
    coordinator.set_camera_always_on(True)
    assert coordinator.camera_always_on
    coordinator.set_camera_always_on(False)
    await hass.async_block_till_done()
    assert heard == [True, False]
    assert not coordinator.camera_always_on


def test_the_camera_follows_always_on_in_the_event_loop() -> None:
    """The camera's listener keeps the order of changes: it is a callback."""
    assert is_callback(JpegPrinterCamera._set_always_on)


async def test_a_printer_the_cloud_reports_offline_is_refused_at_once(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """No command waits out the timeout for a printer that is not there."""
    entry = cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    coordinator = entry.runtime_data.printers[CLOUD_SERIAL]
    link.deliver(CLOUD_SERIAL, {"event": {"event": "client.disconnected"}})
    sent = len(link.published)
    for command in (coordinator.printer.pause, coordinator.printer.refresh):
        with pytest.raises(HomeAssistantError) as caught:
            await control.async_command(coordinator, command())
        assert caught.value.translation_key == "printer_offline"
        assert caught.value.translation_placeholders == {"name": "Workshop"}
    assert len(link.published) == sent

    link.deliver(CLOUD_SERIAL, {"event": {"event": "client.connected"}})
    await control.async_command(coordinator, coordinator.printer.pause())
    assert link.commands("pause")


async def test_an_offline_printer_reached_on_the_lan_still_takes_commands(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """LAN-only mode looks offline to the cloud; the LAN link decides."""
    entry = cloud_entry(
        cloud,
        printers={CLOUD_SERIAL: {CONF_HOST: "192.0.2.30", CONF_ACCESS_CODE: "1234"}},
    )
    cloud_link = await setup_cloud_capture(hass, entry, "p1p-ams")
    local = fake_link.links[1]
    assert local.local
    cloud_link.deliver(CLOUD_SERIAL, {"event": {"event": "client.disconnected"}})
    coordinator = entry.runtime_data.printers[CLOUD_SERIAL]
    assert coordinator.data.online is False
    await control.async_command(coordinator, coordinator.printer.pause())
    assert local.commands("pause")
    assert not cloud_link.commands("pause")
