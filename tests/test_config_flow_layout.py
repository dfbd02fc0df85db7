"""The config flow is split by flow; Home Assistant still finds it in config_flow.py."""

from __future__ import annotations

from pathlib import Path

from homeassistant.config_entries import HANDLERS

from custom_components.bambu_cloud import config_flow
from custom_components.bambu_cloud.const import DOMAIN
from custom_components.bambu_cloud.flow_options import BambuOptionsFlow

INTEGRATION = Path(__file__).resolve().parents[1] / "custom_components" / "bambu_cloud"
FLOW_MODULES = ("config_flow.py", *(p.name for p in INTEGRATION.glob("flow_*.py")))
MAX_LINES = 600


def test_home_assistant_finds_the_flow_in_config_flow() -> None:
    assert HANDLERS[DOMAIN] is config_flow.BambuConfigFlow


def test_every_step_of_every_flow_is_there() -> None:
    steps = {
        name
        for name in dir(config_flow.BambuConfigFlow)
        if name.startswith("async_step_")
    }
    assert steps >= {
        f"async_step_{step}"
        for step in (
            "user",
            "cloud",
            "code",
            "tfa",
            "printers",
            "lan",
            "reauth",
            "reauth_confirm",
            "reauth_lan",
            "reconfigure",
            "reconfigure_lan",
            "integration_discovery",
            "discovery_confirm",
            "discovery_account",
        )
    }
    options = {name for name in dir(BambuOptionsFlow) if name.startswith("async_step_")}
    assert options >= {
        "async_step_init",
        "async_step_lan",
        "async_step_account",
        "async_step_printer",
    }


def test_flow_modules_are_small() -> None:
    assert len(FLOW_MODULES) == 7
    sizes = {
        name: len((INTEGRATION / name).read_text(encoding="utf-8").splitlines())
        for name in FLOW_MODULES
    }
    assert max(sizes.values()) <= MAX_LINES, sizes
