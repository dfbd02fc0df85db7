"""No secret in logs or diagnostics, through whole sessions over real sockets.

Every log record of a session (the root logger at DEBUG: the integration,
Home Assistant, aiomqtt, aiohttp and the simulator) and every diagnostics
download is searched for the account's password, e-mail address, every
token the cloud issued (access and refresh), the MQTT user name and every
printer's access code.

The one record left out is the simulated cloud's "mailbox": it shows the
user the login code sent to their address, which is Bambu's side, not ours.
Whether actions read only files Home Assistant allows is covered by
``tests/test_services_print_file.py`` (``outside_the_allowlist``,
``forbidden_path_does_not_tell_whether_it_exists``); the symlink escape is
checked here.
"""

from __future__ import annotations

from collections.abc import Iterable
import json
import logging
from pathlib import Path

from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud.aiobambulab.catalog import CameraKind
from custom_components.bambu_cloud.const import DOMAIN
from simulator.firmware import Job
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.world import Simulator
from tests.e2e.helpers import sign_in, until

MAILBOX = ("simulator.cloud", "Login code for %s (by %s): %s")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, captured."""
    caplog.set_level(logging.DEBUG)
    for name in ("custom_components.bambu_cloud", "simulator"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _secrets(world: Simulator, tokens: Iterable[str]) -> dict[str, str]:
    """What must never be shown, by what it is."""
    account = world.accounts[DEMO_EMAIL]
    found = {
        "password": DEMO_PASSWORD,
        "email": DEMO_EMAIL,
        "MQTT user name": account.mqtt_user,
    }
    # The cloud's refresh token is its access token; both are listed.
    for index, token in enumerate({*tokens, *world.cloud.tokens, account.token}):
        found[f"token {index}"] = token
        found[f"token {index} signature"] = token.rsplit(".", 1)[-1]
    for serial, printer in world.printers.items():
        found[f"access code of {serial}"] = printer.access_code
    return found


def _log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        formatter.format(record)
        for record in caplog.records
        if (record.name, record.msg) != MAILBOX
    ]


def _assert_nothing_leaks(
    world: Simulator,
    caplog: pytest.LogCaptureFixture,
    diagnostics: list[object],
    tokens: Iterable[str] = (),
) -> None:
    lines = _log_lines(caplog)
    dumped = json.dumps(diagnostics)
    # The search must have something to search: a session logs and reports.
    assert len(lines) > 100
    assert len(dumped) > 1000
    leaks = [
        f"{what} in diagnostics"
        for what, secret in _secrets(world, tokens).items()
        if secret in dumped
    ]
    leaks += [
        f"{what} in log: {line[:300]}"
        for what, secret in _secrets(world, tokens).items()
        for line in lines
        if secret in line
    ]
    assert not leaks, "\n".join(leaks)


async def _log_in(hass: HomeAssistant, world: Simulator) -> ConfigEntry:
    """The config flow with a wrong code first, as a person might."""
    result = await sign_in(hass, world, wrong_code_first=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"selected_printers": list(world.printers)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: ConfigEntry = result["result"]
    await hass.async_block_till_done()
    return entry


def _entity(hass: HomeAssistant, platform: str, unique_id: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)


def _state(hass: HomeAssistant, platform: str, unique_id: str) -> str | None:
    entity_id = _entity(hass, platform, unique_id)
    state = hass.states.get(entity_id) if entity_id else None
    return None if state is None else state.state


async def test_cloud_session_login_job_reauth(
    hass: HomeAssistant,
    world: Simulator,
    hass_client: ClientSessionGenerator,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Log in with a code, run a job, lose the token and log in again."""
    entry = await _log_in(hass, world)
    printer = next(p for p in world.printers.values() if p.firmware.job is None)
    status = f"{printer.serial}_print_status"
    await until(
        hass, lambda: _state(hass, "sensor", status) not in (None, "unavailable")
    )

    printer.start_job(Job(name="Secret-free cube", total_layers=10, print_seconds=60))
    while printer.firmware.job is not None:
        await printer.advance(30)
    await until(hass, lambda: _state(hass, "sensor", status) == "finish")
    diagnostics: list[object] = [
        await get_diagnostics_for_config_entry(hass, hass_client, entry)
    ]

    # The cloud revokes the token: the next setup asks the user to log in again.
    old_token = world.accounts[DEMO_EMAIL].token
    await world.revoke_token(DEMO_EMAIL)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    assert len(flows) == 1
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"password": DEMO_PASSWORD}
    )
    assert result["step_id"] == "code"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"code": world.last_code(DEMO_EMAIL)}
    )
    assert result["reason"] == "reauth_successful"
    await until(hass, lambda: entry.state is ConfigEntryState.LOADED)
    await until(hass, lambda: _state(hass, "sensor", status) == "finish")
    diagnostics.append(await get_diagnostics_for_config_entry(hass, hass_client, entry))

    _assert_nothing_leaks(world, debug_logs, diagnostics, [old_token])


async def test_lan_session_camera_errors_diagnostics(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Access codes in use: camera, commands over the LAN, a refusal, diagnostics."""
    lan_cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(lan_cloud_entry.entry_id)
    jpeg = next(
        p
        for p in world.printers.values()
        if p.model.camera is CameraKind.JPEG and p.firmware.job is None
    )
    serial = jpeg.serial
    await until(hass, lambda: _entity(hass, "camera", f"{serial}_camera") is not None)
    camera = _entity(hass, "camera", f"{serial}_camera")
    assert camera is not None
    await until(hass, lambda: _state(hass, "camera", f"{serial}_camera") == "idle")
    image = await async_get_image(hass, camera)
    assert image.content.startswith(b"\xff\xd8")  # a JPEG from the printer

    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, serial), lan_cloud_entry.entry_id
    )
    assert device is not None
    await hass.services.async_call(
        DOMAIN, "home", {"device_id": device.id}, blocking=True
    )
    jpeg.set_control_locked(True)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "home", {"device_id": device.id}, blocking=True
        )
    jpeg.set_control_locked(False)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, lan_cloud_entry
    )
    assert diagnostics["entry"]["options"]  # the per-printer LAN settings, redacted
    _assert_nothing_leaks(world, debug_logs, [diagnostics])


async def test_print_file_refuses_a_symlink_out_of_the_allowlist(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    tmp_path: Path,
) -> None:
    """A link inside an allowed folder to a file outside it is not read."""
    allowed = tmp_path / "prints"
    allowed.mkdir()
    outside = tmp_path / "private.3mf"
    outside.write_bytes(b"PK not for the printer")
    (allowed / "innocent.3mf").symlink_to(outside)
    hass.config.allowlist_external_dirs = {str(allowed)}
    lan_cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(lan_cloud_entry.entry_id)
    printer = next(p for p in world.printers.values() if p.firmware.job is None)
    registry = dr.async_get(hass)
    await until(
        hass,
        lambda: registry.async_get_device_by_identifier(
            (DOMAIN, printer.serial), lan_cloud_entry.entry_id
        )
        is not None,
    )
    device = registry.async_get_device_by_identifier(
        (DOMAIN, printer.serial), lan_cloud_entry.entry_id
    )
    assert device is not None
    files_before = {p.name for p in printer.files.root.iterdir()}

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "print_file",
            {"device_id": device.id, "file": str(allowed / "innocent.3mf")},
            blocking=True,
        )
    assert caught.value.translation_key == "path_not_allowed"
    assert {p.name for p in printer.files.root.iterdir()} == files_before
