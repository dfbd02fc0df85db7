"""Compatibility shims: the pinned test harness on a newer Home Assistant.

pytest-homeassistant-custom-component pins the Home Assistant it was cut for
(requirements_test.txt); `scripts/test --ha newest` installs the newest
release over it (requirements_newest.txt). What the harness needs to run the
suite on that release is here, loaded as a pytest plugin before any other
(``-p tests.ha_compat``, which scripts/env.sh adds for BAMBU_HA=newest).
Nothing here touches the integration; each shim does nothing where the Home
Assistant in use does not need it. Once the harness catches up, bump
requirements_test.txt and delete what is no longer needed.

Home Assistant 2026.11:
- replaced ``httpx`` with ``httpx2`` and, when imported, aliases ``httpx`` to
  it, which fails once anything imported ``httpx`` first. The harness's respx
  plugin does, before the harness imports Home Assistant: alias first.
- keeps the logger component's ``_clear_logger_overwrites`` (a test helper
  the harness imports from the package) in its helpers module only.
- keys the restore cache by entity registry id, and fills it only when
  loaded; the harness's ``mock_restore_cache`` sets the old dict instead.
  The replacement loads the mocked states the way Home Assistant loads
  stored ones, and follows entities registered afterwards, as it does.
- added ``compat_name`` to entity registry entries. Snapshots hold the
  fields the harness's release has (HARNESS_FIELDS); newer ones are left out,
  so one set of snapshots serves both releases. tests/test_ha_compat.py
  checks the recorded fields against the pinned release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import importlib.util
import json
from typing import Any

if importlib.util.find_spec("httpx2") is not None:
    import httpx2

    httpx2.alias_httpx()

# Imported only now: Home Assistant must come after the alias.
from homeassistant.components import logger as logger_component
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er, restore_state as rs
from homeassistant.helpers.json import JSONEncoder
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.syrupy import (
    DeviceRegistryEntrySnapshot,
    EntityRegistryEntrySnapshot,
    HomeAssistantSnapshotSerializer,
)

if not hasattr(logger_component, "_clear_logger_overwrites"):
    from homeassistant.components.logger.helpers import _clear_logger_overwrites

    logger_component._clear_logger_overwrites = _clear_logger_overwrites  # type: ignore[attr-defined]

# The public fields of the registry entries of the harness's Home Assistant
# (2026.10.4), as its snapshot serializer writes them.
HARNESS_FIELDS: dict[type[dict[str, Any]], frozenset[str]] = {
    EntityRegistryEntrySnapshot: frozenset(
        {
            "aliases",
            "area_id",
            "capabilities",
            "config_entry_id",
            "config_subentry_id",
            "device_class",
            "device_id",
            "disabled_by",
            "domain",
            "entity_category",
            "entity_id",
            "has_entity_name",
            "hidden_by",
            "icon",
            "id",
            "labels",
            "name",
            "object_id_base",
            "options",
            "original_device_class",
            "original_icon",
            "original_name",
            "platform",
            "previous_unique_id",
            "suggested_object_id",
            "supported_features",
            "translation_key",
            "unique_id",
            "unit_of_measurement",
        }
    ),
    DeviceRegistryEntrySnapshot: frozenset(
        {
            "area_id",
            "config_entry_id",
            "config_subentry_id",
            "configuration_url",
            "connections",
            "disabled_by",
            "entry_type",
            "hw_version",
            "id",
            "identifiers",
            "labels",
            "manufacturer",
            "model",
            "model_id",
            "name",
            "name_by_user",
            "serial_number",
            "sw_version",
            "via_device_id",
        }
    ),
}


def _only_harness_fields(serialize: Any) -> classmethod[Any, Any, Any]:
    """Wrap a registry entry serializer to leave out fields added since."""

    def wrapper(cls: type, data: Any) -> Any:
        serialized = serialize.__func__(cls, data)
        known = HARNESS_FIELDS[type(serialized)]
        for field in [field for field in serialized if field not in known]:
            del serialized[field]
        return serialized

    return classmethod(wrapper)


# The harness's own serializers, kept for tests/test_ha_compat.py.
HARNESS_SERIALIZERS: dict[str, Any] = {
    name: getattr(HomeAssistantSnapshotSerializer, name)
    for name in (
        "_serializable_entity_registry_entry",
        "_serializable_device_registry_entry",
    )
}
for _name, _serialize in HARNESS_SERIALIZERS.items():
    setattr(HomeAssistantSnapshotSerializer, _name, _only_harness_fields(_serialize))


def mock_restore_cache_with_extra_data(
    hass: HomeAssistant, states: Sequence[tuple[State, Mapping[str, Any] | None]]
) -> None:
    """The harness's helper, for the restore cache keyed by registry id."""
    data = rs.RestoreStateData(hass)
    now = dt_util.utcnow().isoformat()
    stored = [
        {
            "state": {
                **state.as_dict(),
                "attributes": json.loads(json.dumps(state.attributes, cls=JSONEncoder)),
            },
            "extra_data": extra_data,
            "last_seen": now,
        }
        for state, extra_data in states
    ]
    data._async_load_stored_states(stored)  # type: ignore[attr-defined]
    hass.bus.async_listen(
        er.EVENT_ENTITY_REGISTRY_UPDATED,
        data._async_entity_registry_entry_created,  # type: ignore[attr-defined]
        event_filter=rs._entity_registry_entry_created_filter,  # type: ignore[attr-defined]
    )
    rs.async_get.cache_clear()
    hass.data[rs.DATA_RESTORE_STATE] = data


def mock_restore_cache(hass: HomeAssistant, states: Sequence[State]) -> None:
    """The harness's helper, for the restore cache keyed by registry id."""
    mock_restore_cache_with_extra_data(hass, [(state, None) for state in states])


def pytest_configure(config: pytest.Config) -> None:
    """Replace the restore cache helpers once the harness has loaded.

    Not on import: the harness checks that nothing imported its common module
    (and the recorder with it) before its own plugin.
    """
    if not hasattr(rs.RestoreStateData, "_async_load_stored_states"):
        return
    from pytest_homeassistant_custom_component import common as harness_common

    harness_common.mock_restore_cache = mock_restore_cache
    harness_common.mock_restore_cache_with_extra_data = (
        mock_restore_cache_with_extra_data
    )
