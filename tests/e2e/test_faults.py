"""Faults injected through the simulator while Home Assistant runs.

Each test breaks one thing over real sockets (the cloud broker, a connection
in the middle of a report, a printer's network, a certificate, the cloud's
REST API), checks what the user sees while it is broken, repairs it and
checks that everything is right again within the link's backoff: entities
available with the printer's current values, no duplicate entities, nothing
logged at error level that the fault does not explain. Home Assistant's
test harness fails any test that leaves a task or timer behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.aiobambulab import printer as printer_module
from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions, PrinterLink
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_KIND,
    CONF_MQTT_PORT,
    CONF_SERIAL,
    CONF_UID,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.link_issues import tls_untrusted_issue_id
from custom_components.bambu_cloud.runtime import BambuRuntimeData
from simulator.cloud import BIND, Fault
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL
from simulator.world import Simulator
from tests.e2e.helpers import until

POLL = timedelta(minutes=5)  # the device list's default interval


# --- helpers ---------------------------------------------------------------------


def _hub(entry: MockConfigEntry) -> BambuRuntimeData:
    hub: BambuRuntimeData = entry.runtime_data
    return hub


def _cloud_link(entry: MockConfigEntry) -> PrinterLink:
    account = _hub(entry).account
    assert account is not None
    link = account.link
    assert link is not None
    return link


def _local_link(entry: MockConfigEntry, serial: str) -> PrinterLink:
    link = _hub(entry).printers[serial].printer.lan_link
    assert link is not None
    return link


def _entity_id(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


def _status(hass: HomeAssistant, printer: SimulatedPrinter) -> str:
    return _entity_id(hass, "sensor", f"{printer.serial}_print_status")


def _progress(hass: HomeAssistant, printer: SimulatedPrinter) -> str:
    return _entity_id(hass, "sensor", f"{printer.serial}_progress")


def _reported_progress(printer: SimulatedPrinter) -> str:
    return str(printer.firmware.state["mc_percent"])


def _entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    return sorted(
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    )


def _pushalls(printer: SimulatedPrinter) -> int:
    return sum(
        1
        for request in printer.commands
        if request.get("pushing", {}).get("command") == "pushall"
    )


def _printing(world: Simulator) -> SimulatedPrinter:
    return next(p for p in world.printers.values() if p.firmware.job is not None)


async def _setup(hass: HomeAssistant, entry: MockConfigEntry, world: Simulator) -> None:
    """Load the entry and wait until every printer's entities show its state."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    serials = set(_hub(entry).printers)
    registry = er.async_get(hass)
    await until(
        hass,
        lambda: all(
            registry.async_get_entity_id("sensor", DOMAIN, f"{s}_progress")
            for s in serials
        ),
    )
    await until(
        hass,
        lambda: all(
            _state(hass, _progress(hass, world.printer(s)))
            == _reported_progress(world.printer(s))
            for s in serials
        ),
    )


class StateLog:
    """Every state an entity takes, in order (nothing is missed by polling)."""

    def __init__(self, hass: HomeAssistant, entity_id: str) -> None:
        """Start recording."""
        self.states: list[str] = []

        @callback
        def record(event: Event[Any]) -> None:
            if event.data["entity_id"] == entity_id and event.data["new_state"]:
                self.states.append(event.data["new_state"].state)

        self.stop = hass.bus.async_listen(EVENT_STATE_CHANGED, record)


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """The error records logged so far (what a fault must not cause)."""

    def records() -> list[str]:
        return [
            f"{r.name}: {r.getMessage()}"
            for r in caplog.records
            if r.levelno >= logging.ERROR
        ]

    return records


def _lan_entry(world: Simulator, printer: SimulatedPrinter) -> MockConfigEntry:
    """A LAN-only entry for one printer, as the config flow stores it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=printer.setup.name,
        unique_id=printer.serial,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_SERIAL: printer.serial,
            CONF_HOST: "127.0.0.1",
            CONF_ACCESS_CODE: printer.access_code,
            CONF_PORT: printer.lan_port,
            CONF_CA_CERT: world.ca_pem,
        },
    )


def _backoff_bound(link: PrinterLink) -> float:
    """The longest pause the link may still take before its next attempt.

    The first pause after a drop is up to 1 s (backoff_min) and each failed
    attempt doubles it; 1 s more covers the connect and the full report.
    """
    return 2.0 ** (link.status.failed_attempts + 1) + 1.0


# --- the cloud broker ------------------------------------------------------------


async def test_cloud_broker_restart(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """Entities go unavailable with the broker and come back current."""
    await _setup(hass, cloud_entry, world)
    printer = _printing(world)
    entities = _entities(hass, cloud_entry)
    state_count = len(hass.states.async_all())
    # One full report per printer per session, not one from the link and
    # one more from the hub.
    assert {p.serial: _pushalls(p) for p in world.printers.values()} == dict.fromkeys(
        world.printers, 1
    )
    progress = _progress(hass, printer)
    statuses = [_status(hass, p) for p in world.printers.values()]

    await world.stop_broker()
    await until(
        hass, lambda: all(_state(hass, e) == STATE_UNAVAILABLE for e in statuses)
    )
    # The print goes on while nobody hears it: these reports are lost.
    await printer.advance(600)
    assert _state(hass, progress) == STATE_UNAVAILABLE
    link = _cloud_link(cloud_entry)
    await world.start_broker()
    bound = _backoff_bound(link)
    took = await until(
        hass, lambda: _state(hass, progress) == _reported_progress(printer)
    )
    assert took <= bound
    assert all(_state(hass, e) != STATE_UNAVAILABLE for e in statuses)
    # The hub asked each printer for its state once on the new session.
    assert {p.serial: _pushalls(p) for p in world.printers.values()} == dict.fromkeys(
        world.printers, 2
    )
    # Back on the same entities, none added twice; the link keeps working.
    assert _entities(hass, cloud_entry) == entities
    assert len(hass.states.async_all()) == state_count
    await printer.advance(300)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    assert errors() == []


async def test_connection_cut_in_the_middle_of_a_report(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """Half a PUBLISH, then the connection closes: the link reconnects."""
    proxy = await world.open_proxy()
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=cloud_entry.title,
        unique_id=cloud_entry.unique_id,
        data={**cloud_entry.data, CONF_MQTT_PORT: proxy.port},
    )
    await _setup(hass, entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    entities = _entities(hass, entry)
    log = StateLog(hass, progress)
    assert proxy.accepted == 1

    cut = proxy.cut_next_publish()
    await printer.advance(600)  # its report is the one cut in half
    async with asyncio.timeout(5):
        half = await cut
    assert half > 0
    took = await until(
        hass, lambda: _state(hass, progress) == _reported_progress(printer)
    )
    assert took <= _backoff_bound(_cloud_link(entry))
    assert proxy.accepted == 2
    # Unavailable while the link was down, then straight to the value the
    # printer has now (from the full report the hub asked for).
    assert log.states[0] == STATE_UNAVAILABLE
    assert log.states[-1] == _reported_progress(printer)
    # The message loop survived: later reports still arrive.
    await printer.advance(300)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    log.stop()
    assert _entities(hass, entry) == entities
    assert errors() == []


# --- printers going offline ------------------------------------------------------


async def test_printer_offline_and_back_through_the_cloud(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """The cloud's events: unavailable, then current again once back."""
    await _setup(hass, cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    other = _progress(hass, next(p for p in world.printers.values() if p != printer))
    entities = _entities(hass, cloud_entry)

    await printer.set_online(False)
    await until(hass, lambda: _state(hass, progress) == STATE_UNAVAILABLE)
    assert _state(hass, other) != STATE_UNAVAILABLE  # the others are fine
    # What the printer does while its network is down never reaches anyone.
    printer.firmware.advance(900)
    await printer.set_online(True)
    # Its "connected" event makes the hub ask for the full state at once.
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    assert _pushalls(printer) == 2
    assert _entities(hass, cloud_entry) == entities
    assert errors() == []


async def test_printer_back_online_skips_the_lan_backoff(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """Switched off and on: the cloud's event brings the LAN link back at once."""
    # Pauses of a minute: back within the wait only if the pause is cut short.
    slow = LinkOptions(greet=False, backoff_min=60.0, backoff_max=60.0)
    with patch.object(printer_module, "LINK_OPTIONS", slow):
        await _setup(hass, lan_cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    local = _local_link(lan_cloud_entry, printer.serial)
    await until(hass, lambda: local.connected)

    await printer.set_online(False)
    await until(hass, lambda: _state(hass, progress) == STATE_UNAVAILABLE)
    await until(hass, lambda: not local.connected)  # now pausing for a minute
    printer.firmware.advance(900)
    await printer.set_online(True)
    await until(hass, lambda: local.connected, timeout=20)  # a third of the pause
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    assert errors() == []


async def test_lan_entry_follows_local_socket_loss(
    hass: HomeAssistant, world: Simulator, errors: Callable[[], list[str]]
) -> None:
    """A LAN-only printer whose broker goes away is unavailable until back."""
    printer = _printing(world)
    entry = _lan_entry(world, printer)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await until(
        hass,
        lambda: er.async_get(hass).async_get_entity_id(
            "sensor", DOMAIN, f"{printer.serial}_progress"
        )
        is not None,
    )
    progress = _progress(hass, printer)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    entities = _entities(hass, entry)

    await printer.set_lan_reachable(False)
    await until(hass, lambda: _state(hass, progress) == STATE_UNAVAILABLE)
    printer.firmware.advance(600)
    link = _local_link(entry, printer.serial)
    await until(hass, lambda: link.status.failed_attempts >= 1)
    await printer.set_lan_reachable(True)
    bound = _backoff_bound(link)
    took = await until(
        hass, lambda: _state(hass, progress) == _reported_progress(printer)
    )
    assert took <= bound
    assert _entities(hass, entry) == entities
    assert errors() == []


async def test_lan_loss_falls_back_to_the_cloud(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """With a LAN link lost, the cloud carries the printer until it is back."""
    await _setup(hass, lan_cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    hub = _hub(lan_cloud_entry)
    local = _local_link(lan_cloud_entry, printer.serial)
    await until(hass, lambda: local.connected)
    assert hub.link_for(printer.serial) is local

    await printer.set_lan_reachable(False)
    await until(hass, lambda: not local.connected)
    assert hub.link_for(printer.serial) is _cloud_link(lan_cloud_entry)
    await printer.advance(600)  # reaches Home Assistant through the cloud
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    await printer.set_lan_reachable(True)
    bound = _backoff_bound(local)
    took = await until(hass, lambda: local.connected)
    assert took <= bound
    assert hub.link_for(printer.serial) is local
    assert _state(hass, progress) == _reported_progress(printer)
    assert errors() == []


# --- certificates ----------------------------------------------------------------


def _broker_logins(world: Simulator, user: str) -> int:
    """Sessions the cloud broker accepted for ``user`` so far."""
    return world.broker.log_text().count(f"u'{user}'")


async def test_untrusted_cloud_broker_certificate(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """Refused, never unverified; a repair issue until a trusted one is back."""
    await _setup(hass, cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    user = f"u_{cloud_entry.data[CONF_UID]}"
    issue_id = tls_untrusted_issue_id(cloud_entry.data[CONF_UID])
    issues = ir.async_get(hass)
    link = _cloud_link(cloud_entry)
    logins = _broker_logins(world, user)

    await world.swap_broker_certificate(trusted=False)
    await until(hass, lambda: issues.async_get_issue(DOMAIN, issue_id) is not None)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "tls_untrusted"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {
        "name": cloud_entry.title,
        "host": "127.0.0.1",
    }
    assert link.status.failure is ConnectionFailure.TLS
    assert link.status.untrusted
    assert _state(hass, progress) == STATE_UNAVAILABLE
    # It keeps trying (with backoff) and never logs in past the bad certificate.
    await until(hass, lambda: link.status.failed_attempts >= 2)
    assert not link.connected
    assert _broker_logins(world, user) == logins
    # One issue, however often the link retries.
    assert [key for key in issues.issues if key[1].startswith("tls_untrusted")] == [
        (DOMAIN, issue_id)
    ]
    await printer.advance(600)  # lost: nobody is listening

    await world.swap_broker_certificate(trusted=True)
    bound = _backoff_bound(link)
    took = await until(
        hass, lambda: _state(hass, progress) == _reported_progress(printer)
    )
    assert took <= bound
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert _broker_logins(world, user) == logins + 1
    assert errors() == []


async def test_untrusted_printer_certificate(
    hass: HomeAssistant,
    world: Simulator,
    lan_cloud_entry: MockConfigEntry,
    errors: Callable[[], list[str]],
) -> None:
    """A printer's LAN broker with a foreign certificate: refused, issue raised.

    The cloud carries the printer meanwhile, so its entities stay available.
    """
    await _setup(hass, lan_cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    local = _local_link(lan_cloud_entry, printer.serial)
    await until(hass, lambda: local.connected)
    issue_id = tls_untrusted_issue_id(printer.serial)
    issues = ir.async_get(hass)

    await world.swap_printer_certificate(printer.serial, trusted=False)
    await until(hass, lambda: issues.async_get_issue(DOMAIN, issue_id) is not None)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "name": printer.setup.name,
        "host": "127.0.0.1",
    }
    assert not local.connected
    assert local.status.untrusted
    assert _hub(lan_cloud_entry).link_for(printer.serial) is not local
    await printer.advance(600)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))

    await world.swap_printer_certificate(printer.serial, trusted=True)
    bound = _backoff_bound(local)
    took = await until(hass, lambda: local.connected)
    assert took <= bound
    await until(hass, lambda: issues.async_get_issue(DOMAIN, issue_id) is None)
    assert errors() == []


async def test_unloading_removes_the_issue(
    hass: HomeAssistant, world: Simulator
) -> None:
    """The issue belongs to the running entry: unloading it clears it."""
    printer = _printing(world)
    entry = _lan_entry(world, printer)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    issue_id = tls_untrusted_issue_id(printer.serial)
    issues = ir.async_get(hass)
    await world.swap_printer_certificate(printer.serial, trusted=False)
    await until(hass, lambda: issues.async_get_issue(DOMAIN, issue_id) is not None)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    # Leave the printer as found, its own client reconnected.
    await world.swap_printer_certificate(printer.serial, trusted=True)
    await printer.flush()


async def test_untrusted_certificate_at_setup_retries_with_the_issue(
    hass: HomeAssistant, world: Simulator
) -> None:
    """A LAN entry that meets a foreign certificate at start-up."""
    printer = _printing(world)
    await world.swap_printer_certificate(printer.serial, trusted=False)
    entry = _lan_entry(world, printer)
    entry.add_to_hass(hass)
    issue_id = tls_untrusted_issue_id(printer.serial)
    with pytest.MonkeyPatch.context() as patch:
        # Give up on the first refusal instead of after 20 s.
        patch.setattr("custom_components.bambu_cloud.hub.CONNECT_TIMEOUT", 1.5)
        await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    await world.swap_printer_certificate(printer.serial, trusted=True)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=90))
    await until(hass, lambda: entry.state is ConfigEntryState.LOADED)
    await until(
        hass, lambda: ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    )


# --- the cloud's REST API --------------------------------------------------------


async def _poll(hass: HomeAssistant, world: Simulator, after: timedelta) -> int:
    """Fire timers due within ``after`` from now; return device list requests.

    Coordinators schedule on the event loop's clock, which firing does not
    move: each call looks ``after`` ahead of the real now, where the last
    poll scheduled the next one.
    """
    async_fire_time_changed(hass, dt_util.utcnow() + after)
    await hass.async_block_till_done(wait_background_tasks=True)
    return len(world.cloud.requests_to(BIND))


async def test_cloud_401_starts_reauth(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
) -> None:
    """The device list refused: reauth, printers and entities untouched."""
    await _setup(hass, cloud_entry, world)
    printer = _printing(world)
    progress = _progress(hass, printer)
    entities = _entities(hass, cloud_entry)
    polls = len(world.cloud.requests_to(BIND))

    world.cloud.fail(BIND, Fault.UNAUTHORIZED)
    assert await _poll(hass, world, POLL + timedelta(seconds=1)) == polls + 1
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert cloud_entry.state is ConfigEntryState.LOADED
    # MQTT still works: the printer stays available and current.
    await printer.advance(600)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))
    assert set(_hub(cloud_entry).printers) == set(world.printers)
    assert _entities(hass, cloud_entry) == entities


async def test_broker_refusing_the_token_starts_reauth(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
) -> None:
    """The MQTT side of a dead token: the broker refuses it after a restart."""
    await _setup(hass, cloud_entry, world)
    progress = _progress(hass, _printing(world))
    await world.revoke_token(DEMO_EMAIL)
    await world.restart_broker()
    await until(
        hass,
        lambda: [
            f["context"]["source"] for f in hass.config_entries.flow.async_progress()
        ]
        == [SOURCE_REAUTH],
    )
    link = _cloud_link(cloud_entry)
    assert link.status.failure is ConnectionFailure.CREDENTIALS
    assert _state(hass, progress) == STATE_UNAVAILABLE
    assert cloud_entry.state is ConfigEntryState.LOADED


async def test_cloud_429_honours_retry_after(
    hass: HomeAssistant, world: Simulator, cloud_entry: MockConfigEntry
) -> None:
    """No device list request before Retry-After, and never sooner than usual."""
    await _setup(hass, cloud_entry, world)
    polls = len(world.cloud.requests_to(BIND))
    world.cloud.fail(BIND, Fault.RATE_LIMITED)

    # A Retry-After longer than the interval: nothing until it has passed.
    world.cloud.retry_after = "900"
    assert await _poll(hass, world, POLL + timedelta(seconds=1)) == polls + 1
    assert await _poll(hass, world, POLL + timedelta(seconds=1)) == polls + 1
    assert await _poll(hass, world, timedelta(seconds=898)) == polls + 1
    # A shorter one does not make the next poll come sooner than usual.
    world.cloud.retry_after = "7"
    assert await _poll(hass, world, timedelta(seconds=901)) == polls + 2
    assert await _poll(hass, world, timedelta(seconds=8)) == polls + 2
    assert await _poll(hass, world, POLL - timedelta(seconds=2)) == polls + 2
    assert await _poll(hass, world, POLL + timedelta(seconds=1)) == polls + 3
    world.cloud.clear_fault(BIND)
    assert await _poll(hass, world, POLL + timedelta(seconds=1)) == polls + 4
    assert _hub(cloud_entry).device_list.last_update_success  # type: ignore[union-attr]


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.SLOW])
async def test_cloud_outage_keeps_the_last_good_data(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    fault: Fault,
) -> None:
    """500 or no answer in time: printers, entities and values stay."""
    await _setup(hass, cloud_entry, world)
    hub = _hub(cloud_entry)
    device_list = hub.device_list
    assert device_list is not None
    before = dict(device_list.data)
    entities = _entities(hass, cloud_entry)
    printer = _printing(world)
    progress = _progress(hass, printer)
    if fault is Fault.SLOW:
        # The client's 15 s timeout, shortened: the fake answers only when told.
        assert hub.cloud is not None
        hub.cloud._timeout = aiohttp.ClientTimeout(total=0.2)
    polls = len(world.cloud.requests_to(BIND))

    world.cloud.fail(BIND, fault)
    async_fire_time_changed(hass, dt_util.utcnow() + POLL + timedelta(seconds=1))
    await until(hass, lambda: not device_list.last_update_success)
    assert len(world.cloud.requests_to(BIND)) == polls + 1
    assert device_list.data == before
    assert set(hub.printers) == set(world.printers)
    assert _entities(hass, cloud_entry) == entities
    await printer.advance(600)
    await until(hass, lambda: _state(hass, progress) == _reported_progress(printer))

    world.cloud.clear_fault(BIND)
    world.cloud.release.set()
    async_fire_time_changed(hass, dt_util.utcnow() + 2 * POLL + timedelta(seconds=2))
    await until(hass, lambda: device_list.last_update_success)
    assert _entities(hass, cloud_entry) == entities


async def test_address_of_another_printer_gets_no_access_code(
    hass: HomeAssistant, world: Simulator
) -> None:
    """Issue 14, point 10: after a DHCP change the address leads to another printer.

    Its certificate is a valid Bambu one, of another serial: the link refuses
    it before logging in (the access code never leaves), and the repair issue
    of an untrusted certificate says why the printer is unavailable.
    """
    printer = _printing(world)
    other = next(p for p in world.printers.values() if p is not printer)
    entry = _lan_entry(world, printer)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_PORT: other.lan_port}
    )
    issue_id = tls_untrusted_issue_id(printer.serial)
    logged = len(world.broker.log_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("custom_components.bambu_cloud.hub.CONNECT_TIMEOUT", 1.5)
        await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "tls_untrusted"
    # Mosquitto logs every CONNECT (accepted or not) with the client id.
    assert "bblc_" not in world.broker.log_text()[logged:]
