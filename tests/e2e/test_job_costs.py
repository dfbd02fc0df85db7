"""A job's energy and cost, and its first layer, against a simulated printer.

The printer runs its job over real MQTT (TLS, the LAN link); the plug's
meter is an energy sensor of Home Assistant that the test moves as the job
prints.
"""

from __future__ import annotations

from collections.abc import Generator
from unittest.mock import patch

from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    EVENT_STATE_CHANGED,
    Platform,
)
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from simulator.firmware import Job
from simulator.world import Simulator
from tests.e2e.helpers import until
from tests.history_helpers import entity_id

METER = "sensor.printer_plug_energy"


@pytest.fixture(autouse=True)
def _platforms() -> Generator[None]:
    with patch(
        "custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT, Platform.SENSOR]
    ):
        yield


def _kwh(hass: HomeAssistant) -> float:
    state = hass.states.get(METER)
    assert state is not None
    return float(state.state)


def _meter(hass: HomeAssistant, kwh: float) -> None:
    hass.states.async_set(
        METER,
        str(kwh),
        {"unit_of_measurement": "kWh", "device_class": "energy"},
    )


async def test_a_printed_jobs_energy_cost_and_first_layer(
    hass: HomeAssistant, world: Simulator
) -> None:
    printer = next(p for p in world.printers.values() if p.firmware.job is None)
    serial = printer.serial
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=printer.setup.name,
        unique_id=serial,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_SERIAL: serial,
            CONF_HOST: "127.0.0.1",
            CONF_ACCESS_CODE: printer.access_code,
            CONF_PORT: printer.lan_port,
            CONF_FTP_PORT: printer.extra_ports()["ftp_port"],
            CONF_CA_CERT: world.ca_pem,
        },
        options={"energy_entity": METER, "energy_price": 0.4},
    )
    _meter(hass, 100.0)
    captured = async_capture_events(hass, EVENT_STATE_CHANGED)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await until(
        hass,
        lambda: entry.runtime_data.printers.get(serial) is not None
        and entry.runtime_data.printers[serial].data.has_full_report,
    )
    print_event = entity_id(hass, "event", serial, "print")

    def fired(event_type: str) -> list[dict[str, object]]:
        return [
            dict(e.data["new_state"].attributes)
            for e in captured
            if e.data["entity_id"] == print_event
            and e.data["new_state"] is not None
            and e.data["new_state"].attributes.get("event_type") == event_type
        ]

    printer.start_job(
        Job(name="E2E cost", print_seconds=120, prepare_seconds=10, total_layers=10)
    )
    await printer.advance(5)
    await until(hass, lambda: bool(fired("started")))
    _meter(hass, 100.2)
    while printer.firmware.job is not None:
        # The plug counts while the printer prints (before it reports the end).
        _meter(hass, round(_kwh(hass) + 0.05, 3))
        await printer.advance(20)
    await until(hass, lambda: bool(fired("finished")))

    assert len(fired("first_layer_done")) == 1
    assert fired("first_layer_done")[0]["layer"] == 2
    [finished] = fired("finished")
    used = _kwh(hass) - 100.0
    assert finished["energy"] == pytest.approx(used)
    assert finished["energy_cost"] == pytest.approx(used * 0.4)
    record = entry.runtime_data.history.printer(serial)
    assert record is not None
    [job] = record.jobs.values()
    assert job.title == "E2E cost"
    assert job.energy == pytest.approx(used)
    last = hass.states.get(entity_id(hass, "sensor", serial, "last_job_energy"))
    assert last is not None
    assert float(last.state) == pytest.approx(used)
