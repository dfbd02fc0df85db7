"""The print queue (todo entity + plate-cleared button) against the simulated printer's FTPS.

Files on the printer are served by the simulator's FTPS server over loopback
TLS; jobs are driven by reports through the fake link. The p1p-no-ams
capture is a finished printer with PETG on the external spool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import (
    DOMAIN,
)
from simulator.ftps import FtpsServer
from simulator.threemf import Filament, make_3mf
from simulator.tls import SimulatorPki, generate_pki
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink
from tests.storage_helpers import (
    report_full_state,
    setup_storage_printer,
    storage_server,
)

PLA: Filament = ("PLA", "#00AE42", 5.0)
PETG: Filament = ("PETG", "#FFFFFF", 3.0)

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_link")


@pytest.fixture(autouse=True)
def _queue_platforms_only() -> Iterator[None]:
    with patch(
        "custom_components.bambu_cloud.PLATFORMS", [Platform.TODO, Platform.BUTTON]
    ):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return generate_pki(tmp_path_factory.mktemp("queue-pki"), [LAN_SERIAL])


@pytest.fixture
async def server(pki: SimulatorPki, tmp_path: Path) -> AsyncIterator[FtpsServer]:
    async with storage_server(pki, tmp_path / "sd") as server:
        for name, filament in (("a", PETG), ("pla", PLA), ("b", PETG)):
            (server.root / "cache" / f"{name}.gcode.3mf").write_bytes(
                make_3mf(
                    name=name,
                    layers=10,
                    prediction_seconds=60,
                    weight_grams=2.0,
                    filaments=[filament],
                )
            )
        yield server


async def _setup(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> tuple[MockConfigEntry, FakeLink]:
    return await setup_storage_printer(hass, pki, server.port, "p1p-no-ams")


async def _connect(hass: HomeAssistant) -> FakeLink:
    return await report_full_state(hass, "p1p-no-ams")


def _entity(hass: HomeAssistant, domain: str, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{LAN_SERIAL}_{key}"
    )
    assert entity_id is not None
    return entity_id


async def _items(hass: HomeAssistant, queue: str) -> list[tuple[str, str, str | None]]:
    result: dict[str, Any] = await hass.services.async_call(
        "todo", "get_items", {}, target={"entity_id": queue}, blocking=True,
        return_response=True,
    )  # fmt: skip
    return [
        (item["summary"], item["status"], item.get("description"))
        for item in result[queue]["items"]
    ]


async def _press_plate_cleared(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "button",
        "press",
        target={"entity_id": _entity(hass, "button", "plate_cleared")},
        blocking=True,
    )
    await hass.async_block_till_done()


async def _print_job(hass: HomeAssistant, link: FakeLink, name: str) -> None:
    """The printer runs the job it was sent, to the end."""
    for fields in (
        {"gcode_state": "PREPARE", "subtask_name": name, "mc_percent": 0},
        {"gcode_state": "RUNNING", "mc_percent": 50},
        {"gcode_state": "FINISH", "mc_percent": 100},
    ):
        link.deliver(
            LAN_SERIAL, {"print": {"command": "push_status", "msg": 1, **fields}}
        )
        await hass.async_block_till_done()


def _started(link: FakeLink) -> list[str]:
    return [
        c["url"].removeprefix("file:///sdcard/") for c in link.commands("project_file")
    ]


async def test_the_queue_prints_in_order_across_a_restart_and_holds_a_mismatch(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    hass_storage: dict[str, Any],
) -> None:
    entry, link = await _setup(hass, pki, server)
    queue = _entity(hass, "todo", "print_queue")
    for name in ("a", "pla", "b"):
        await hass.services.async_call(
            "todo",
            "add_item",
            {"item": f"printer:/cache/{name}.gcode.3mf"},
            target={"entity_id": queue},
            blocking=True,
        )
    await hass.async_block_till_done()
    # Idle, but nobody said the plate is clear: nothing starts.
    assert _started(link) == []
    assert hass.states.get(queue).state == "3"  # type: ignore[union-attr]

    await _press_plate_cleared(hass)
    assert _started(link) == ["cache/a.gcode.3mf"]
    await _print_job(hass, link, "a")
    items = await _items(hass, queue)
    assert items[0] == ("printer:/cache/a.gcode.3mf", "completed", "Printed")
    # Finished, the printer is idle again, but the print is on the plate.
    assert _started(link) == ["cache/a.gcode.3mf"]

    # Home Assistant restarts: the queue is read back from storage.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)  # as when it stops
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.print_queue.{LAN_SERIAL}"]["data"]
    assert [i["done"] for i in stored["items"]] == [True, False, False]
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.data.pop(f"{DOMAIN}_print_queues")
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = await _connect(hass)
    assert _started(link) == []

    await _press_plate_cleared(hass)
    # The PLA file does not match the PETG loaded: held, and the next one runs.
    assert _started(link) == ["cache/b.gcode.3mf"]
    items = await _items(hass, queue)
    assert items[1] == (
        "printer:/cache/pla.gcode.3mf",
        "needs_action",
        "Held: The loaded filaments of Garage do not match /cache/pla.gcode.3mf "
        "(filament of the file → tray: loaded): 1 PLA → external: PETG. "
        "Load the right filaments or give an AMS mapping",
    )
    await _print_job(hass, link, "b")
    assert [status for _s, status, _d in await _items(hass, queue)] == [
        "completed",
        "needs_action",
        "completed",
    ]
    assert hass.states.get(queue).state == "1"  # type: ignore[union-attr]


async def test_files_of_home_assistant_are_checked_then_uploaded(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer, tmp_path: Path
) -> None:
    prints = tmp_path / "prints"
    prints.mkdir()
    hass.config.allowlist_external_dirs = {str(prints)}
    for name, filament in (("pla", PLA), ("petg", PETG)):
        (prints / f"{name}.3mf").write_bytes(
            make_3mf(
                name=name,
                layers=10,
                prediction_seconds=60,
                weight_grams=2.0,
                filaments=[filament],
            )
        )
    _entry, link = await _setup(hass, pki, server)
    queue = _entity(hass, "todo", "print_queue")
    for name in ("pla", "petg"):
        await hass.services.async_call(
            "todo",
            "add_item",
            {"item": str(prints / f"{name}.3mf")},
            target={"entity_id": queue},
            blocking=True,
        )
    await _press_plate_cleared(hass)

    # PLA does not fit the PETG spool: held before any upload; PETG is
    # uploaded over FTPS and started.
    assert _started(link) == ["petg.3mf"]
    assert (server.root / "petg.3mf").read_bytes() == (prints / "petg.3mf").read_bytes()
    assert not (server.root / "pla.3mf").exists()
    held, started = await _items(hass, queue)
    assert held[2] is not None
    assert held[2].endswith(
        "1 PLA → external: PETG. Load the right filaments or give an AMS mapping"
    )
    assert started == (str(prints / "petg.3mf"), "needs_action", None)
