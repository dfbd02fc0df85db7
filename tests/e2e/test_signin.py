"""The sign-in expires: renewed with the refresh token, or a new sign-in asked.

Against the simulated world over real sockets: the fake cloud issues tokens
with a lifetime and a refresh token, and gives the broker (a real Mosquitto)
each renewed token as the account's password. Mosquitto re-checks connected
sessions when its passwords change, so here a renewal also drops the broker
session for a moment; the link is back at once, with the new token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_TOKEN, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.bambu_cloud.aiobambulab.mqtt import PrinterLink
from custom_components.bambu_cloud.const import CONF_REFRESH_TOKEN, DOMAIN
from simulator.cloud import REFRESH
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL
from simulator.world import Simulator
from tests.e2e.helpers import sign_in, until

POLL = timedelta(minutes=5, seconds=1)  # just past the device list's interval


async def _signed_in(hass: HomeAssistant, world: Simulator) -> ConfigEntry[Any]:
    """The account added through the config flow, every printer showing."""
    result = await sign_in(hass, world)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"selected_printers": list(world.printers)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: ConfigEntry[Any] = result["result"]
    await until(
        hass,
        lambda: all(
            _state(hass, _progress(hass, p)) == str(p.firmware.state["mc_percent"])
            for p in world.printers.values()
        ),
    )
    return entry


def _progress(hass: HomeAssistant, printer: SimulatedPrinter) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{printer.serial}_progress"
    )
    return entity_id or ""


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


def _flows(hass: HomeAssistant) -> list[str]:
    return [f["context"]["source"] for f in hass.config_entries.flow.async_progress()]


def _cloud_link(entry: ConfigEntry[Any]) -> PrinterLink:
    link: PrinterLink | None = entry.runtime_data.account.link
    assert link is not None
    return link


async def test_an_expired_sign_in_is_renewed_and_printers_stay_available(
    hass: HomeAssistant, world: Simulator
) -> None:
    entry = await _signed_in(hass, world)
    old_token = entry.data[CONF_TOKEN]
    assert entry.data[CONF_REFRESH_TOKEN]

    world.cloud.expire_tokens(DEMO_EMAIL)  # REST answers 401 to the old token
    async_fire_time_changed(hass, dt_util.utcnow() + POLL)
    await until(hass, lambda: entry.data[CONF_TOKEN] != old_token)
    new_token = entry.data[CONF_TOKEN]
    # The broker link signs in with the renewed token (the world gave it to
    # the broker as the account's password) and every printer is current.
    link = _cloud_link(entry)
    await until(hass, lambda: link.connected and link._password == new_token)
    for printer in world.printers.values():
        await printer.advance(30)
    await until(
        hass,
        lambda: all(
            _state(hass, _progress(hass, p)) == str(p.firmware.state["mc_percent"])
            for p in world.printers.values()
        ),
    )
    assert _flows(hass) == []

    # A broker restart drops every session: only the new token gets back in.
    await world.restart_broker()
    printer = next(iter(world.printers.values()))
    await printer.advance(60)
    await until(
        hass,
        lambda: _state(hass, _progress(hass, printer))
        == str(printer.firmware.state["mc_percent"]),
    )
    assert len(world.cloud.requests_to(REFRESH)) == 1  # no second renewal needed
    assert entry.data[CONF_TOKEN] == new_token
    assert world.accounts[DEMO_EMAIL].token == new_token
    assert _flows(hass) == []
    assert entry.state is ConfigEntryState.LOADED


async def test_a_refused_renewal_asks_for_a_new_sign_in(
    hass: HomeAssistant, world: Simulator
) -> None:
    entry = await _signed_in(hass, world)
    stored = dict(entry.data)
    world.cloud.refuse_refresh = True
    world.cloud.expire_tokens(DEMO_EMAIL)

    async_fire_time_changed(hass, dt_util.utcnow() + POLL)
    await until(hass, lambda: _flows(hass) == [SOURCE_REAUTH])

    assert len(world.cloud.requests_to(REFRESH)) == 1
    assert dict(entry.data) == stored
    assert entry.state is ConfigEntryState.LOADED
    # The broker session still works meanwhile: printers stay available.
    printer = next(iter(world.printers.values()))
    assert _state(hass, _progress(hass, printer)) not in (None, STATE_UNAVAILABLE)
