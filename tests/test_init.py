"""The integration loads in Home Assistant and its manifest follows the rules."""

from __future__ import annotations

import json
from pathlib import Path
import re

from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component

from custom_components.bambu_cloud.const import DOMAIN

ROOT = Path(__file__).parents[1]
MANIFEST = ROOT / "custom_components" / DOMAIN / "manifest.json"


async def test_integration_loads(hass: HomeAssistant) -> None:
    """Home Assistant finds the integration and sets it up."""
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.name == "Bambu Lab Cloud"
    assert integration.config_flow is True
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


def test_manifest_follows_hassfest_rules() -> None:
    """domain and name first, then sorted keys; pinned requirements."""
    manifest = json.loads(MANIFEST.read_text())
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["integration_type"] == "hub"
    assert manifest["iot_class"] == "cloud_push"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    for requirement in manifest["requirements"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", requirement)


def test_manifest_requirements_are_the_tested_ones() -> None:
    """What users install is exactly what the tests ran against."""
    tested = {
        line.split("==")[0].lower(): line.strip()
        for line in (ROOT / "requirements_test.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for requirement in json.loads(MANIFEST.read_text())["requirements"]:
        assert tested[requirement.split("==")[0].lower()] == requirement


def test_hacs_manifest() -> None:
    """hacs.json names the integration and the Home Assistant the tests run."""
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert hacs["name"] == "Bambu Lab Cloud"
    tested = ha_version.split(".")[:2]
    assert hacs["homeassistant"].split(".")[:2] == tested
