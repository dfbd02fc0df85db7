"""The print queue's items with options (add_to_queue) and its auto-start opt-in.

The printer is the P2S capture (an AMS with PLA in A1-A3 and PETG in A4,
nothing on the external spool) behind the fake link; its files are served
by the simulator's FTPS server over loopback TLS. Its capture reports
``fun2`` "1" and ``xcam.cfg`` 748983: no foreign object detection, and off;
the tests that need it report the bits the way a printer that has it does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import DOMAIN
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
CAPTURE_CFG = 748983  # the P2S capture's xcam.cfg: bit 21 clear
FOD_SUPPORT = 1 << 13  # fun2
FOD_ON = 1 << 21  # xcam.cfg
QUEUE_STORE = f"{DOMAIN}.print_queue.{LAN_SERIAL}"

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_link")


@pytest.fixture(autouse=True)
def _queue_platforms_only() -> Iterator[None]:
    with patch(
        "custom_components.bambu_cloud.PLATFORMS",
        [Platform.TODO, Platform.BUTTON, Platform.SWITCH],
    ):
        yield


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return generate_pki(tmp_path_factory.mktemp("queue-fod-pki"), [LAN_SERIAL])


@pytest.fixture
async def server(pki: SimulatorPki, tmp_path: Path) -> AsyncIterator[FtpsServer]:
    async with storage_server(pki, tmp_path / "sd") as server:
        for name, filament, plates in (("a", PLA, 2), ("b", PLA, 1), ("c", PLA, 1)):
            (server.root / "cache" / f"{name}.gcode.3mf").write_bytes(
                _project(name, filament, plates)
            )
        yield server


def _project(name: str, filament: Filament, plates: int = 1) -> bytes:
    return make_3mf(
        name=name,
        plates=plates,
        layers=10,
        prediction_seconds=60,
        weight_grams=2.0,
        filaments=[filament],
    )


async def _setup(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> tuple[MockConfigEntry, FakeLink]:
    entry, link = await setup_storage_printer(hass, pki, server.port, "p2s")
    _report(link, gcode_state="IDLE")  # the capture's job is gone: idle
    await hass.async_block_till_done()
    return entry, link


def _report(link: FakeLink, **fields: Any) -> None:
    link.deliver(LAN_SERIAL, {"print": {"command": "push_status", "msg": 1, **fields}})


async def _detection(
    hass: HomeAssistant, link: FakeLink, *, supported: bool, on: bool
) -> None:
    """Report foreign object detection as a printer that has it (or not)."""
    _report(
        link,
        fun2=format(1 | (FOD_SUPPORT if supported else 0), "X"),
        xcam={"cfg": CAPTURE_CFG | (FOD_ON if on else 0)},
    )
    await hass.async_block_till_done()


def _entity(hass: HomeAssistant, domain: str, key: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{LAN_SERIAL}_{key}")


def _queue(hass: HomeAssistant) -> str:
    queue = _entity(hass, "todo", "print_queue")
    assert queue is not None
    return queue


def _device(hass: HomeAssistant) -> str:
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, LAN_SERIAL), entry.entry_id
    )
    assert device is not None
    return device.id


async def _add(hass: HomeAssistant, file: str, **fields: Any) -> dict[str, Any]:
    result = await hass.services.async_call(
        DOMAIN,
        "add_to_queue",
        {"device_id": _device(hass), "file": file, **fields},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    assert result is not None
    return dict(result)


async def _items(hass: HomeAssistant) -> list[tuple[str, str, str | None]]:
    queue = _queue(hass)
    result: dict[str, Any] = await hass.services.async_call(
        "todo", "get_items", {}, target={"entity_id": queue}, blocking=True,
        return_response=True,
    )  # fmt: skip
    return [
        (item["summary"], item["status"], item.get("description"))
        for item in result[queue]["items"]
    ]


async def _press_plate_cleared(hass: HomeAssistant) -> None:
    button = _entity(hass, "button", "plate_cleared")
    assert button is not None
    await hass.services.async_call(
        "button", "press", target={"entity_id": button}, blocking=True
    )
    await hass.async_block_till_done()


async def _switch(hass: HomeAssistant, on: bool) -> None:
    switch = _entity(hass, "switch", "queue_auto_start")
    assert switch is not None
    await hass.services.async_call(
        "switch", "turn_on" if on else "turn_off",
        target={"entity_id": switch}, blocking=True,
    )  # fmt: skip
    await hass.async_block_till_done()


async def _run_job(
    hass: HomeAssistant, link: FakeLink, name: str, end: str = "FINISH", error: int = 0
) -> None:
    """The printer runs the job it was sent, to its end."""
    for fields in (
        {"gcode_state": "PREPARE", "subtask_name": name, "mc_percent": 0},
        {"gcode_state": "RUNNING", "mc_percent": 50},
        {"gcode_state": end, "print_error": error},
    ):
        _report(link, **fields)
        await hass.async_block_till_done()


def _started(link: FakeLink) -> list[str]:
    return [
        c["url"].removeprefix("file:///sdcard/") for c in link.commands("project_file")
    ]


def _auto_start(hass: HomeAssistant) -> str:
    state = hass.states.get(_queue(hass))
    assert state is not None
    return str(state.attributes["auto_start"])


# --- items with their plate, mapping and options -----------------------------------


async def test_an_item_prints_with_its_plate_mapping_and_options(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    hass_storage: dict[str, Any],
) -> None:
    _entry, link = await _setup(hass, pki, server)
    added = await _add(
        hass,
        "printer:/cache/a.gcode.3mf",
        plate=2,
        ams_mapping=["A2"],
        timelapse=True,
        bed_leveling=False,
        job_name="Second plate",
    )
    # From the To-do panel: plate 1, the printer's own mapping.
    await hass.services.async_call(
        "todo", "add_item", {"item": "printer:/cache/b.gcode.3mf"},
        target={"entity_id": _queue(hass)}, blocking=True,
    )  # fmt: skip
    assert await _items(hass) == [
        ("printer:/cache/a.gcode.3mf", "needs_action", "Plate 2, trays A2"),
        (
            "printer:/cache/b.gcode.3mf",
            "needs_action",
            "Plate 1, trays chosen by the printer",
        ),
    ]
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    stored = hass_storage[QUEUE_STORE]["data"]["items"][0]
    assert stored["uid"] == added["uid"]
    assert (stored["plate"], stored["ams_mapping"]) == (2, [1])
    assert stored["options"]["timelapse"] is True
    assert stored["options"]["job_name"] == "Second plate"

    await _press_plate_cleared(hass)
    (sent,) = link.commands("project_file")
    assert sent["url"] == "file:///sdcard/cache/a.gcode.3mf"
    assert sent["param"] == "Metadata/plate_2.gcode"
    assert sent["ams_mapping"] == [1]
    assert sent["use_ams"] is True
    assert (sent["timelapse"], sent["bed_leveling"]) == (True, False)
    assert sent["subtask_name"] == "Second plate"
    # The running item shows no plan any more.
    assert (await _items(hass))[0][2] is None


async def test_a_local_file_is_checked_against_its_mapping(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer, tmp_path: Path
) -> None:
    prints = tmp_path / "prints"
    prints.mkdir()
    hass.config.allowlist_external_dirs = {str(prints)}
    (prints / "petg.3mf").write_bytes(_project("petg", PETG))
    _entry, link = await _setup(hass, pki, server)
    # A3 holds PLA: held before any upload. A4 holds PETG: uploaded, started.
    await _add(hass, str(prints / "petg.3mf"), ams_mapping=["A3"])
    await _add(hass, str(prints / "petg.3mf"), ams_mapping=["A4"])
    await _press_plate_cleared(hass)

    assert _started(link) == ["petg.3mf"]
    assert link.commands("project_file")[0]["ams_mapping"] == [3]
    held, started = await _items(hass)
    assert held[2] is not None
    assert held[2].endswith(
        "1 PETG → A3: PLA. Load the right filaments or give an AMS mapping"
    )
    assert started[2] is None


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"plate": 0}, "invalid_plate"),
        ({"ams_mapping": ["A1", "Z9"]}, "invalid_tray_label"),
        ({"ams_mapping": ["B1"]}, "unknown_target"),  # the P2S has one AMS
    ],
)
async def test_what_can_be_checked_without_the_file_is_checked_when_added(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    fields: dict[str, Any],
    key: str,
) -> None:
    await _setup(hass, pki, server)
    with pytest.raises(ServiceValidationError) as caught:
        await _add(hass, "printer:/cache/a.gcode.3mf", **fields)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    assert await _items(hass) == []


# --- the auto-start opt-in ------------------------------------------------------------


async def test_the_capture_has_no_detection_so_no_switch(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    """The P2S capture's fun2 bit 13 is clear: the opt-in is not offered."""
    await _setup(hass, pki, server)
    assert _entity(hass, "switch", "queue_auto_start") is None
    assert _auto_start(hass) == "off"
    # A printer that reports the heatbed check gets it (off by default).
    await _detection(hass, FakeLink.links[-1], supported=True, on=True)
    switch = _entity(hass, "switch", "queue_auto_start")
    assert switch is not None
    assert hass.states.get(switch).state == "off"  # type: ignore[union-attr]


async def _two_items_first_printed(
    hass: HomeAssistant, link: FakeLink, end: str = "FINISH", error: int = 0
) -> None:
    for name in ("b", "c"):
        await _add(hass, f"printer:/cache/{name}.gcode.3mf", ams_mapping=["A1"])
    await _press_plate_cleared(hass)
    assert _started(link) == ["cache/b.gcode.3mf"]
    await _run_job(hass, link, "b", end, error)


async def test_without_the_option_the_queue_waits_for_the_button(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    _entry, link = await _setup(hass, pki, server)
    await _detection(hass, link, supported=True, on=True)
    await _two_items_first_printed(hass, link)
    assert _started(link) == ["cache/b.gcode.3mf"]
    assert _auto_start(hass) == "off"
    await _press_plate_cleared(hass)
    assert _started(link) == ["cache/b.gcode.3mf", "cache/c.gcode.3mf"]


async def test_with_the_option_a_finished_job_starts_the_next_on_the_plate_check(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    _entry, link = await _setup(hass, pki, server)
    await _detection(hass, link, supported=True, on=True)
    await _switch(hass, True)
    assert _auto_start(hass) == "ready"
    await _two_items_first_printed(hass, link)
    # No button: the printer checks the heatbed when the job starts.
    assert _started(link) == ["cache/b.gcode.3mf", "cache/c.gcode.3mf"]
    assert [status for _s, status, _d in await _items(hass)] == [
        "completed",
        "needs_action",
    ]


@pytest.mark.parametrize(
    ("supported", "on", "shown"),
    [
        (True, False, "detection_off"),
        (False, False, "detection_unsupported"),
    ],
)
async def test_with_the_option_but_no_detection_the_queue_waits(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    supported: bool,
    on: bool,
    shown: str,
) -> None:
    _entry, link = await _setup(hass, pki, server)
    await _detection(hass, link, supported=True, on=True)
    await _switch(hass, True)
    # The printer's check is switched off, or its firmware no longer has it.
    await _detection(hass, link, supported=supported, on=on)
    assert _auto_start(hass) == shown
    await _two_items_first_printed(hass, link)
    assert _started(link) == ["cache/b.gcode.3mf"]  # never blind
    # Switched on again on the printer: the finished plate can be judged.
    await _detection(hass, link, supported=True, on=True)
    assert _auto_start(hass) == "ready"
    assert _started(link) == ["cache/b.gcode.3mf", "cache/c.gcode.3mf"]


@pytest.mark.parametrize(
    ("error", "result"),
    [
        (0x0300_8015, "The print failed (error 03008015)"),
        (0, "The print was stopped"),
    ],
)
async def test_after_a_failed_or_stopped_job_the_queue_waits(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    error: int,
    result: str,
) -> None:
    _entry, link = await _setup(hass, pki, server)
    await _detection(hass, link, supported=True, on=True)
    await _switch(hass, True)
    await _two_items_first_printed(hass, link, "FAILED", error)
    assert (await _items(hass))[0][1:] == ("completed", result)
    assert _started(link) == ["cache/b.gcode.3mf"]  # what is on the plate?
    await _press_plate_cleared(hass)
    assert _started(link) == ["cache/b.gcode.3mf", "cache/c.gcode.3mf"]


async def test_the_option_survives_a_restart(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    hass_storage: dict[str, Any],
) -> None:
    entry, link = await _setup(hass, pki, server)
    await _detection(hass, link, supported=True, on=True)
    await _switch(hass, True)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[QUEUE_STORE]["data"]["auto_start"] is True

    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.data.pop(f"{DOMAIN}_print_queues")
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = await report_full_state(hass, "p2s")
    await _detection(hass, link, supported=True, on=True)
    switch = _entity(hass, "switch", "queue_auto_start")
    assert switch is not None
    assert hass.states.get(switch).state == "on"  # type: ignore[union-attr]
    assert _auto_start(hass) == "ready"

    await _switch(hass, False)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[QUEUE_STORE]["data"]["auto_start"] is False


async def test_a_queue_stored_before_items_had_options_loads(
    hass: HomeAssistant,
    pki: SimulatorPki,
    server: FtpsServer,
    hass_storage: dict[str, Any],
) -> None:
    """Items stored without mapping and options print with the defaults."""
    hass_storage[QUEUE_STORE] = {
        "version": 1,
        "key": QUEUE_STORE,
        "data": {
            "items": [
                {
                    "uid": "old",
                    "source": "printer:/cache/b.gcode.3mf",
                    "plate": 1,
                    "done": False,
                    "description": None,
                }
            ],
            "plate_clear": False,
            "running": None,
        },
    }
    _entry, link = await _setup(hass, pki, server)
    assert _auto_start(hass) == "off"
    assert await _items(hass) == [
        (
            "printer:/cache/b.gcode.3mf",
            "needs_action",
            "Plate 1, trays chosen by the printer",
        )
    ]
    await _press_plate_cleared(hass)
    # No mapping, no AMS: the external spool, empty on this printer.
    (held,) = await _items(hass)
    assert held[2] is not None
    assert held[2].endswith(
        "1 PLA → external: —. Load the right filaments or give an AMS mapping"
    )
    assert _started(link) == []


async def test_a_job_started_on_the_printer_takes_the_cleared_plate(
    hass: HomeAssistant, pki: SimulatorPki, server: FtpsServer
) -> None:
    """Plate cleared, then someone prints from the printer: the plate is in use."""
    _entry, link = await _setup(hass, pki, server)
    await _press_plate_cleared(hass)
    await _run_job(hass, link, "from the screen")
    await _add(hass, "printer:/cache/b.gcode.3mf", ams_mapping=["A1"])
    assert _started(link) == []
    await _press_plate_cleared(hass)
    assert _started(link) == ["cache/b.gcode.3mf"]
