"""Lookups the platform tests share: a LAN printer's entities by description key."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

from custom_components.bambu_cloud.const import DOMAIN
from tests.conftest import LAN_SERIAL
from tests.fake_link import FakeLink


def entity_id_of(hass: HomeAssistant, key: str, *, domain: str) -> str:
    """The entity id of the LAN printer's entity with this description key."""
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{LAN_SERIAL}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


def state_of(hass: HomeAssistant, key: str, *, domain: str) -> State:
    """The state of the LAN printer's entity with this description key."""
    state = hass.states.get(entity_id_of(hass, key, domain=domain))
    assert state is not None
    return state


def printer_keys(hass: HomeAssistant, entry_id: str) -> set[str]:
    """The description keys of every entity of the entry."""
    return {
        e.unique_id.removeprefix(f"{LAN_SERIAL}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    }


async def deliver_report(hass: HomeAssistant, link: FakeLink, **fields: Any) -> None:
    """A push_status delta from the LAN printer, processed."""
    link.deliver(LAN_SERIAL, {"print": {"command": "push_status", "msg": 1, **fields}})
    await hass.async_block_till_done()
