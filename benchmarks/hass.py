"""A real Home Assistant for benchmarks, and the farm's account added to it."""

from __future__ import annotations

from pathlib import Path
import socket
from typing import Any

from homeassistant import bootstrap, runner
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.bambu_cloud.const import DOMAIN
from simulator.develop import HA_HOST

REPO = Path(__file__).resolve().parent.parent
CONFIGURATION = """\
homeassistant:
  name: Bambu benchmark
  unit_system: metric
  time_zone: UTC
logger:
  default: warning
"""


async def start_hass(config_dir: Path, extra: str = "") -> HomeAssistant:
    """Home Assistant from a minimal configuration (plus ``extra`` YAML).

    Its web server listens on a free port: benchmarks running side by side
    (or a Home Assistant on 8123) do not stop each other from starting.
    """
    (config_dir / "custom_components").mkdir(parents=True)
    http = f"http:\n  server_host: {HA_HOST}\n  server_port: {_free_port()}\n"
    (config_dir / "configuration.yaml").write_text(
        CONFIGURATION + http + extra, encoding="utf-8"
    )
    (config_dir / "custom_components" / DOMAIN).symlink_to(
        REPO / "custom_components" / DOMAIN
    )
    hass = await bootstrap.async_setup_hass(
        runner.RuntimeConfig(config_dir=str(config_dir), skip_pip=True)
    )
    if hass is None:
        raise RuntimeError("Home Assistant did not start")
    await hass.async_start()
    return hass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HA_HOST, 0))
        return int(probe.getsockname()[1])


async def add_account(hass: HomeAssistant, facts: dict[str, Any]) -> str:
    """Add the farm's account (password login) with all its printers."""
    (account,) = facts["accounts"]
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": "user"})
    result = await flow.async_configure(result["flow_id"], {"next_step_id": "cloud"})
    result = await flow.async_configure(
        result["flow_id"],
        {
            "region": "global",
            "email": account["email"],
            "password": account["password"],
            "advanced": {
                "api_url": facts["api_url"],
                "mqtt_host": HA_HOST,
                "mqtt_port": facts["mqtt"]["port"],
                "ca_cert": facts["ca_pem"],
            },
        },
    )
    if result.get("step_id") == "printers":
        result = await flow.async_configure(
            result["flow_id"],
            {"selected_printers": [p["serial"] for p in account["printers"]]},
        )
    if result["type"] != "create_entry":
        raise RuntimeError(f"config flow: {result}")
    return str(result["result"].entry_id)


def our_entities(hass: HomeAssistant) -> list[er.RegistryEntry]:
    """The integration's entities in the registry."""
    return [e for e in er.async_get(hass).entities.values() if e.platform == DOMAIN]
