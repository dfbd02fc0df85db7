"""Every entity declares the report keys its state comes from, and no fewer.

An entity is written only when a key it declares changes. One that reads a
key it does not declare would show a stale value until something else
changes, so each entity of every real capture is computed while the report
records what is read.
"""

from __future__ import annotations

import ast
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import async_get_platforms
import pytest

from custom_components.bambu_cloud.aiobambulab.depends import MARKERS, VIEW_DEPENDENCIES
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.entity import BambuEntity
from tests.conftest import setup_capture
from tests.recording import recording

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "bambu_cloud"
PLATFORMS = (
    "binary_sensor",
    "button",
    "calendar",
    "camera",
    "event",
    "fan",
    "image",
    "light",
    "number",
    "select",
    "sensor",
    "switch",
    "update",
)
REPORT_KEYS = frozenset().union(*VIEW_DEPENDENCIES.values()) - MARKERS
# Where a name may equal a report key without reading it: an entity's key,
# its translation key, or the name of a state attribute.
NAMING_KEYWORDS = frozenset({"key", "translation_key"})
CAPTURES = sorted(
    path.name
    for path in (Path(__file__).parent / "fixtures" / "printers").iterdir()
    if path.is_dir()
)


@pytest.mark.usefixtures("fake_link", "entity_registry_enabled_by_default", "job_files")
@pytest.mark.parametrize("capture", CAPTURES)
async def test_entities_declare_what_they_read(
    hass: HomeAssistant, capture: str
) -> None:
    """What an entity's state, attributes and availability read is declared."""
    await setup_capture(hass, capture)
    entities = [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
        if isinstance(entity, BambuEntity)
    ]
    assert len(entities) > 20
    undeclared: dict[str, list[str]] = {}
    for entity in entities:
        with recording(entity.coordinator.data) as touched:
            entity._snapshot()
        if missing := touched - entity.entity_description.paths:
            undeclared[entity.entity_id or entity.unique_id or "?"] = sorted(missing)
    assert undeclared == {}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_platforms_spell_no_report_keys(platform: str) -> None:
    """Platforms read views; the report's raw keys stay in the library."""
    tree = ast.parse((INTEGRATION / f"{platform}.py").read_text(encoding="utf-8"))
    naming: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in NAMING_KEYWORDS:
            naming.update(id(part) for part in ast.walk(node.value))
        if isinstance(node, ast.Dict):
            naming.update(id(key) for key in node.keys if key is not None)
    spelled = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and node.value in REPORT_KEYS
        and id(node) not in naming
    ]
    raw_reads = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "report"
    ]
    assert spelled == []
    assert raw_reads == []
