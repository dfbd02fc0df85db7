"""Entities off by default: the README lists every one, on every capture printer."""

from __future__ import annotations

import json
from pathlib import Path
import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.bambu_cloud.const import DOMAIN
from tests.common import PRINTERS
from tests.conftest import LAN_SERIAL, setup_capture

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
STRINGS = ROOT / "custom_components" / DOMAIN / "strings.json"
# How a two-nozzle printer names its nozzles' sensors (the README says "per
# nozzle") and the prefix of a numbered twin ("External spool 2 remaining").
NOZZLE_NAMES = ("right_", "left_", "auxiliary_", "main_")
NUMBERED = "numbered_"

pytestmark = pytest.mark.usefixtures("job_files", "fake_link")


def _readme_off_list() -> str:
    """The README's list of what is off by default, on one line."""
    text = README.read_text(encoding="utf-8")
    start = text.index("Off by\ndefault:")
    return " ".join(text[start : text.index("\n\n", start)].split())


def _listed_name(entry: er.RegistryEntry, names: dict[str, dict[str, str]]) -> str:
    """The name the README gives an entity: numbers and nozzles as ``N``."""
    key = entry.translation_key
    if key is None:
        assert entry.original_name is not None
        return entry.original_name
    key = key.removeprefix(NUMBERED)
    for nozzle in NOZZLE_NAMES:
        key = key.removeprefix(nozzle)
    return re.sub(r"\{\w+\}", "N", names[key]["name"])


def _entity_names(platform: str) -> dict[str, dict[str, str]]:
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))
    return dict(strings["entity"][platform])


@pytest.mark.parametrize("capture", PRINTERS)
async def test_readme_lists_every_entity_off_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, capture: str
) -> None:
    """Each entity the integration disables is named in the README's list."""
    entry, _link = await setup_capture(hass, capture)
    listed = _readme_off_list()
    off = [
        e
        for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if e.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    ]
    assert off
    missing = {
        (e.domain, name)
        for e in off
        if f"**{(name := _listed_name(e, _entity_names(e.domain)))}**" not in listed
    }
    assert not missing


@pytest.mark.parametrize(
    ("capture", "enabled"),
    [
        ("p1p-ams", True),  # an AMS that reports only the 1-5 index
        ("x1c-multi-ams", False),  # one that reports the percentage too
    ],
)
async def test_humidity_index_is_on_where_it_is_the_only_humidity(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, capture: str, enabled: bool
) -> None:
    """The 1-5 index starts enabled only where no percentage is reported."""
    await setup_capture(hass, capture)
    index = _registry_entry(entity_registry, "ams_humidity_index_0")
    assert (index.disabled_by is None) is enabled
    percentage = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{LAN_SERIAL}_ams_humidity_0"
    )
    assert (percentage is None) is enabled


async def test_tray_remaining_is_off_and_its_attribute_is_there(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """The tray sensor carries the remaining percentage its twin would show."""
    await setup_capture(hass, "x1c-multi-ams")
    remaining = _registry_entry(entity_registry, "tray_remaining_0_0")
    assert remaining.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(remaining.entity_id) is None
    tray = _registry_entry(entity_registry, "tray_0_0")
    state = hass.states.get(tray.entity_id)
    assert state is not None
    assert state.attributes["remaining"] == 93  # as the capture reports it


def _registry_entry(registry: er.EntityRegistry, key: str) -> er.RegistryEntry:
    entity_id = registry.async_get_entity_id("sensor", DOMAIN, f"{LAN_SERIAL}_{key}")
    assert entity_id is not None
    entry = registry.async_get(entity_id)
    assert entry is not None
    return entry
