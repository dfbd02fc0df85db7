"""The demo's Home Assistant: a clean log and Repairs page for a newcomer."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from homeassistant.components.http.config import async_load_config
from homeassistant.components.onboarding.const import STEP_USER, STEPS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from simulator import develop, hass_main


def _stored(config: Path, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (config / ".storage" / key).read_text(encoding="utf-8")
    )
    return data


async def test_the_demo_stores_its_http_settings(
    hass: HomeAssistant, hass_storage: dict[str, Any], tmp_path: Path
) -> None:
    """Home Assistant takes the stored settings as they are: nothing to confirm."""
    config = develop.prepare_config(tmp_path / "demo", 8124, http_in_yaml=False)
    assert "http:" not in (config / "configuration.yaml").read_text()
    hass_storage["http"] = _stored(config, "http")

    settings = await async_load_config(hass, {})

    assert settings["server_host"] == ["127.0.0.1"]
    assert settings["server_port"] == 8124
    assert not ir.async_get(hass).issues  # no YAML to migrate, no repair


def test_the_browser_test_keeps_the_yaml(tmp_path: Path) -> None:
    config = develop.prepare_config(tmp_path / "browser", 8125)
    assert "server_port: 8125" in (config / "configuration.yaml").read_text()
    assert not (config / ".storage").exists()


def test_onboarding_leaves_only_the_user(tmp_path: Path) -> None:
    """The other steps would set up met, radio_browser and google_translate."""
    config = develop.prepare_config(tmp_path / "demo", 8124, http_in_yaml=False)
    develop.skip_onboarding_extras(config)
    done = _stored(config, "onboarding")["data"]["done"]
    assert sorted(done) == sorted(set(STEPS) - {STEP_USER})


def _component(root: Path, domain: str, **manifest: Any) -> None:
    (root / domain).mkdir(parents=True)
    (root / domain / "manifest.json").write_text(json.dumps(manifest))


def test_components_without_their_libraries_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their import would fail with a traceback in the log."""
    _component(tmp_path, "voice", requirements=["no-such-library-bambu==1.0"])
    _component(tmp_path, "satellite", dependencies=["voice"])
    _component(tmp_path, "web", requirements=["aiohttp==0.0.1"])  # any version
    _component(tmp_path, "plain")
    monkeypatch.setattr(hass_main, "COMPONENTS", tmp_path)
    hass_main.has_libraries.cache_clear()
    try:
        assert not hass_main.has_libraries("voice")
        assert not hass_main.has_libraries("satellite")  # needs voice
        assert hass_main.has_libraries("web")
        assert hass_main.has_libraries("plain")
    finally:
        hass_main.has_libraries.cache_clear()


def test_start_up_noise_is_filtered() -> None:
    quiet = hass_main._Quiet("Skipping pip installation")
    record = logging.LogRecord(
        "homeassistant.bootstrap", logging.WARNING, "", 0, "Skipping pip", (), None
    )
    noise = logging.LogRecord(
        "homeassistant.bootstrap",
        logging.WARNING,
        "",
        0,
        "Skipping pip installation of required modules. This may cause issues",
        (),
        None,
    )
    assert quiet.filter(record)
    assert not quiet.filter(noise)
