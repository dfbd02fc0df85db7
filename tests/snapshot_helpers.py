"""Set up a capture printer and snapshot one platform's entities in a stable order."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from tests.common import pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink


async def setup_full_capture(
    hass: HomeAssistant, capture: str
) -> tuple[MockConfigEntry, FakeLink]:
    """Like ``setup_capture``, with the report marked as the full one.

    The H2D capture's pushall answer carries no ``msg`` field, and the state
    takes only ``msg: 0`` as a full report; such a printer would show no
    entities at all. The snapshot tests are about the platforms, so they
    mark the report themselves.
    """
    entry, link = await setup_capture(hass, capture)
    report = pushall(capture)
    if "msg" not in report["print"]:
        report["print"]["msg"] = 0
        link.deliver(LAN_SERIAL, report)
        await hass.async_block_till_done()
    return entry, link


async def snapshot_entities(
    hass: HomeAssistant, snapshot: SnapshotAssertion, entry_id: str, domain: str
) -> list[str]:
    """Match each registry entry of ``domain`` and its state; return the ids.

    Entries are taken sorted by entity id, so the snapshot does not depend on
    the order in which the platform added them. Every entity must be enabled
    (use ``entity_registry_enabled_by_default``) and have a state.
    Snapshots use Home Assistant's serializer, which leaves out what changes
    from run to run (ids, times), and go to ``tests/snapshots/``.
    """
    snapshot = ha_snapshot(snapshot)
    registry = er.async_get(hass)
    entries = sorted(
        (
            entry
            for entry in er.async_entries_for_config_entry(registry, entry_id)
            if entry.domain == domain
        ),
        key=lambda entry: entry.entity_id,
    )
    assert entries, f"no {domain} entities"
    for entry in entries:
        assert entry.disabled_by is None, f"{entry.entity_id} is disabled"
        assert entry == snapshot(name=f"{entry.entity_id}-entry")
        state = hass.states.get(entry.entity_id)
        assert state is not None, f"no state for {entry.entity_id}"
        assert state == snapshot(name=f"{entry.entity_id}-state")
    return [entry.entity_id for entry in entries]


def ha_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """``snapshot`` with Home Assistant's extension."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
