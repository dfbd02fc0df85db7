"""The dashboard cards: served, added to the dashboards once, and their data.

Home Assistant's real http and lovelace integrations run here: the bundle
is fetched over HTTP from the static path, the resource is read back through
lovelace's own websocket command, and the layout command is asked for the
printers of real captures (renamed entity ids included).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.bambu_cloud import frontend, job
from custom_components.bambu_cloud.const import DOMAIN
from simulator.ftps import FtpsServer
from simulator.threemf import make_3mf
from simulator.tls import SimulatorPki, generate_pki
from tests.common import get_version, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.history_helpers import report, run_job
from tests.test_job import ACCESS_CODE, files_entry

OTHER_SERIAL = "01S00C000000002"


@pytest.fixture
async def dashboards(hass: HomeAssistant) -> None:
    """Home Assistant's HTTP server and dashboards, in storage mode."""
    assert await async_setup_component(hass, "http", {})
    assert await async_setup_component(hass, "lovelace", {})


async def _resources(hass: HomeAssistant, ws: WebSocketGenerator) -> list[str]:
    client = await ws(hass)
    await client.send_json_auto_id({"type": "lovelace/resources"})
    reply = await client.receive_json()
    assert reply["success"], reply
    await client.close()
    return [item["url"] for item in reply["result"] if item["type"] == "module"]


def _ours(urls: list[str]) -> list[str]:
    return [url for url in urls if url.startswith(frontend.STATIC_PATH)]


@pytest.mark.usefixtures("dashboards")
async def test_the_bundle_is_served_and_added_once(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_client: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Two entries, one resource with the bundle's version; gone with the last."""
    entry, _link = await setup_capture(hass, "p1p-ams")
    other, _link = await setup_capture(hass, "p1p-no-ams", OTHER_SERIAL)
    version = frontend._bundle_version()
    assert _ours(await _resources(hass, hass_ws_client)) == [
        f"{frontend.STATIC_PATH}?v={version}"
    ]

    client = await hass_client()
    response = await client.get(f"{frontend.STATIC_PATH}?v={version}")
    assert response.status == HTTPStatus.OK
    assert await response.read() == frontend.BUNDLE_FILE.read_bytes()

    # Reloading (as at every start) adds nothing.
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert len(_ours(await _resources(hass, hass_ws_client))) == 1

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert len(_ours(await _resources(hass, hass_ws_client))) == 1
    assert await hass.config_entries.async_remove(other.entry_id)
    await hass.async_block_till_done()
    assert _ours(await _resources(hass, hass_ws_client)) == []


@pytest.mark.usefixtures("dashboards")
async def test_an_old_version_is_replaced(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """After an update the resource points at the new bundle; other resources stay."""
    assert await async_setup_component(
        hass, DOMAIN, {}
    )  # serves before the server starts
    client = await hass_ws_client(hass)
    for url in (f"{frontend.STATIC_PATH}?v=old", "/local/other-card.js"):
        await client.send_json_auto_id(
            {"type": "lovelace/resources/create", "res_type": "module", "url": url}
        )
        assert (await client.receive_json())["success"]
    await setup_capture(hass, "p1p-ams")
    urls = await _resources(hass, hass_ws_client)
    assert sorted(urls) == sorted(
        [frontend.resource_url(frontend._bundle_version()), "/local/other-card.js"]
    )


async def test_yaml_mode_dashboards_are_left_alone(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """In YAML mode the user lists resources: nothing is added."""
    assert await async_setup_component(hass, "http", {})
    assert await async_setup_component(
        hass, "lovelace", {"lovelace": {"resource_mode": "yaml"}}
    )
    await setup_capture(hass, "p1p-ams")
    assert await _resources(hass, hass_ws_client) == []


def _device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry:
    """The device of this integration with ``identifier``."""
    return next(
        device
        for device in dr.async_get(hass).devices
        if (DOMAIN, identifier) in device.identifiers
    )


async def _layout(
    hass: HomeAssistant, ws: WebSocketGenerator, device_id: str
) -> dict[str, Any]:
    client = await ws(hass)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/printer_layout", "device_id": device_id}
    )
    reply = await client.receive_json()
    await client.close()
    return reply


async def test_the_layout_names_each_tray_entity(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Every AMS unit with its trays' entities, found by unique id, renamed too."""
    entry, _link = await setup_capture(hass, "x1c-multi-ams")
    devices = dr.async_get(hass)
    printer = _device(hass, LAN_SERIAL)
    entities = er.async_get(hass)
    tray_b3 = entities.async_get_entity_id("sensor", DOMAIN, f"{LAN_SERIAL}_tray_1_2")
    assert tray_b3 is not None
    entities.async_update_entity(tray_b3, new_entity_id="sensor.my_blue_spool")

    reply = await _layout(hass, hass_ws_client, printer.id)
    assert reply["success"], reply
    layout = reply["result"]
    coordinator = entry.runtime_data.printers[LAN_SERIAL]
    assert [unit["id"] for unit in layout["units"]] == sorted(coordinator.ams_units)
    second = layout["units"][1]
    assert second["label"] == "AMS 2"
    unit_device = devices.async_get(second["device_id"])
    assert unit_device is not None
    assert unit_device.via_device_id == printer.id
    assert [tray["label"] for tray in second["trays"]] == ["B1", "B2", "B3", "B4"]
    assert second["trays"][2]["filament"] == "sensor.my_blue_spool"
    assert hass.states.get("sensor.my_blue_spool") is not None
    # Every entity the layout names exists and sits on the unit's device.
    for tray in second["trays"]:
        for key in ("filament", "remaining"):
            entry_of = entities.async_get(tray[key])
            assert entry_of is not None
            assert entry_of.device_id == second["device_id"]
    assert second["humidity"] is not None
    assert hass.states.get(second["humidity"]) is not None
    assert layout["external"][0]["label"] == "external"
    assert entities.async_get(layout["external"][0]["filament"]) is not None


async def test_the_layout_of_anything_but_a_printer_is_an_error(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """An AMS device, another integration's device or an unknown id: not found."""
    await setup_capture(hass, "p1p-ams")
    devices = dr.async_get(hass)
    ams = _device(hass, f"{LAN_SERIAL}_ams_0")
    other_entry = MockConfigEntry(domain="other")
    other_entry.add_to_hass(hass)
    foreign = devices.async_get_or_create(
        config_entry_id=other_entry.entry_id, identifiers={("other", "x")}
    )
    for device_id in (ams.id, foreign.id, "unknown"):
        reply = await _layout(hass, hass_ws_client, device_id)
        assert not reply["success"]
        assert reply["error"]["code"] == "not_found"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A CA and the printer's certificate."""
    return generate_pki(tmp_path_factory.mktemp("cards-pki"), [LAN_SERIAL])


@pytest.fixture
async def files(
    pki: SimulatorPki, tmp_path: Path, socket_enabled: None
) -> AsyncIterator[FtpsServer]:
    """The printer's SD card over implicit FTPS, with a project of three parts."""
    leaf = pki.printers[LAN_SERIAL]
    server = FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, tmp_path / "sd")
    async with server:
        (server.root / "Parts.gcode.3mf").write_bytes(
            make_3mf(
                name="Parts",
                layers=10,
                prediction_seconds=600,
                weight_grams=5.0,
                filaments=[("PLA", "#00AE42", 5.0)],
                objects=(
                    (417, "Cube", (32.0, 0.0, 96.0, 64.0)),
                    (532, "Benchy", (128.0, 128.0, 256.0, 256.0)),
                    (610, "Label only", (0.0, 0.0, 0.0, 0.0)),
                ),
            )
        )
        yield server


async def _next_event(client: Any) -> dict[str, Any]:
    message = await client.receive_json()
    assert message["type"] == "event", message
    event: dict[str, Any] = message["event"]
    return event


@pytest.mark.usefixtures("fake_link")
async def test_the_plate_objects_follow_the_job_and_its_skips(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    files: FtpsServer,
    pki: SimulatorPki,
) -> None:
    """Objects from the job's project on the printer; a skip is sent at once."""
    with patch.object(job, "SETTLE_SECONDS", 0):
        entry = files_entry(pki, files.port)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        link = FakeLink.links[-1]
        link.deliver(LAN_SERIAL, get_version("p1p-ams"))
        report = pushall("p1p-ams")
        report["print"].update(subtask_name="Parts", gcode_state="RUNNING", s_obj=[])
        link.deliver(LAN_SERIAL, report)
        await hass.async_block_till_done()

        client = await hass_ws_client(hass)
        await client.send_json_auto_id(
            {
                "type": f"{DOMAIN}/subscribe_plate_objects",
                "device_id": _device(hass, LAN_SERIAL).id,
            }
        )
        assert (await client.receive_json())["success"]
        event = await _next_event(client)
        while not event["objects"]:  # the file is still being read
            event = await _next_event(client)

    assert event["plate"] == 1
    assert event["image"].startswith("data:image/png;base64,")
    # Fractions of the P1P's 256 mm bed seen from above (y grows upwards).
    assert event["objects"] == [
        {
            "id": 417,
            "name": "Cube",
            "box": [0.125, 0.75, 0.375, 1.0],
            "skipped": False,
        },
        {"id": 532, "name": "Benchy", "box": [0.5, 0.0, 1.0, 0.5], "skipped": False},
        {
            "id": 610,
            "name": "Label only",
            "box": [0.0, 1.0, 0.0, 1.0],
            "skipped": False,
        },
    ]

    link.deliver(
        LAN_SERIAL, {"print": {"command": "push_status", "msg": 1, "s_obj": [532]}}
    )
    await hass.async_block_till_done()
    event = await _next_event(client)
    assert [o["id"] for o in event["objects"] if o["skipped"]] == [532]


async def test_plate_objects_of_anything_but_a_printer_is_an_error(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """An AMS device is not a printer."""
    await setup_capture(hass, "p1p-ams")
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": f"{DOMAIN}/subscribe_plate_objects",
            "device_id": _device(hass, f"{LAN_SERIAL}_ams_0").id,
        }
    )
    reply = await client.receive_json()
    assert not reply["success"]
    assert reply["error"]["code"] == "not_found"


async def test_the_layout_names_both_nozzles_of_a_two_nozzle_printer(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """An H2D's two nozzles, each with its temperature and target entity."""
    await setup_capture(hass, "h2d-laser")
    reply = await _layout(hass, hass_ws_client, _device(hass, LAN_SERIAL).id)
    assert reply["success"], reply
    nozzles = reply["result"]["nozzles"]
    assert [nozzle["index"] for nozzle in nozzles] == [0, 1]
    entities = er.async_get(hass)
    for nozzle in nozzles:
        for key, platform, translation_key in (
            ("temperature", "sensor", "numbered_nozzle_temperature"),
            # The target's control: its sensor twin is off by default.
            ("target", "number", "numbered_nozzle_target_temperature"),
        ):
            entry = entities.async_get(nozzle[key])
            assert entry is not None
            assert (entry.domain, entry.translation_key) == (platform, translation_key)
            assert hass.states.get(nozzle[key]) is not None
    assert nozzles[0]["temperature"] != nozzles[1]["temperature"]


async def test_a_one_nozzle_printer_lists_no_numbered_nozzles(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """One nozzle: the card uses the plain nozzle entities instead."""
    await setup_capture(hass, "p1p-ams")
    reply = await _layout(hass, hass_ws_client, _device(hass, LAN_SERIAL).id)
    assert reply["result"]["nozzles"] == []


async def test_the_history_sends_the_last_jobs_newest_first(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Jobs the LAN printer is seen to end, newest first, within the limit."""
    _entry, link = await setup_capture(hass, "a1-ams-lite")  # idle
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": f"{DOMAIN}/subscribe_history",
            "device_id": _device(hass, LAN_SERIAL).id,
            "limit": 2,
        }
    )
    assert (await client.receive_json())["success"]
    assert await _next_event(client) == {"jobs": []}

    for name, end_state in (
        ("Cube", "FINISH"),
        ("Stopped", "FAILED"),
        ("Gear", "FINISH"),
    ):
        run_job(link, LAN_SERIAL, name, end_state)
        link.deliver(LAN_SERIAL, report(gcode_state="IDLE"))
        await hass.async_block_till_done()
    event = await _next_event(client)
    while len(event["jobs"]) < 2 or event["jobs"][0]["title"] != "Gear":
        event = await _next_event(client)
    assert [(j["title"], j["outcome"]) for j in event["jobs"]] == [
        ("Gear", "finished"),
        ("Stopped", "failed"),
    ]
    newest, older = (datetime.fromisoformat(j["start"]) for j in event["jobs"])
    assert newest >= older


async def test_the_history_limit_is_checked(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A card cannot ask for the whole history at once."""
    await setup_capture(hass, "p1p-ams")
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": f"{DOMAIN}/subscribe_history",
            "device_id": _device(hass, LAN_SERIAL).id,
            "limit": 1000,
        }
    )
    reply = await client.receive_json()
    assert not reply["success"]
    assert reply["error"]["code"] == "invalid_format"
