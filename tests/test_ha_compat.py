"""The shims that let the pinned harness run on the newest Home Assistant."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
import re

from awesomeversion import AwesomeVersion
from homeassistant import const as ha_const
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    DeviceRegistryEntrySnapshot,
    EntityRegistryEntrySnapshot,
)

from custom_components.bambu_cloud.const import DOMAIN
from tests import ha_compat


def harness_home_assistant() -> str:
    """The Home Assistant release the harness pins."""
    for requirement in (
        importlib.metadata.requires("pytest-homeassistant-custom-component") or []
    ):
        if match := re.fullmatch(r"homeassistant==([\w.]+)", requirement):
            return match.group(1)
    raise AssertionError("the harness pins no Home Assistant")


async def test_snapshots_keep_the_harness_fields(hass: HomeAssistant) -> None:
    """Registry snapshots hold the harness's fields, whatever the release adds.

    On the pinned release the recorded fields are exactly what the harness
    writes, so a harness bump that changes them fails here.
    """
    entry = MockConfigEntry(domain=DOMAIN)
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "01S00C000000001")}
    )
    entity = er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, "01S00C000000001_nozzle", device_id=device.id
    )
    serializer = ha_compat.HomeAssistantSnapshotSerializer
    harness = ha_compat.HARNESS_SERIALIZERS
    for name, data, kind in (
        ("_serializable_entity_registry_entry", entity, EntityRegistryEntrySnapshot),
        ("_serializable_device_registry_entry", device, DeviceRegistryEntrySnapshot),
    ):
        written = getattr(serializer, name)(data)
        assert set(written) <= ha_compat.HARNESS_FIELDS[kind]
        if ha_const.__version__ == harness_home_assistant():
            assert set(harness[name](data)) == ha_compat.HARNESS_FIELDS[kind], name
        else:
            assert set(written) == ha_compat.HARNESS_FIELDS[kind], name


def test_newest_release_is_proven_in_setup() -> None:
    """requirements_newest.txt pins a release newer than the harness's."""
    text = (Path(__file__).parents[1] / "requirements_newest.txt").read_text()
    match = re.search(r"^homeassistant==([\w.]+)$", text, re.MULTILINE)
    assert match
    assert AwesomeVersion(match.group(1)) > AwesomeVersion(harness_home_assistant())
    if ha_const.__version__ != harness_home_assistant():
        assert ha_const.__version__ == match.group(1)
    else:
        pytest.skip("running on the pinned release")
