"""What the end-to-end tests share: bounded waits and signing in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.bambu_cloud.const import DOMAIN
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.world import Simulator


async def until(
    hass: HomeAssistant, predicate: Callable[[], bool], timeout: float = 20
) -> float:
    """Wait for what arrives over real sockets (bounded, no fixed sleep).

    Returns how long it took.
    """
    start = time.monotonic()
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)
            await hass.async_block_till_done()
    return time.monotonic() - start


async def sign_in(
    hass: HomeAssistant, world: Simulator, *, wrong_code_first: bool = False
) -> dict[str, Any]:
    """The config flow up to the printers step, as a person fills it in."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "cloud"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "region": "global",
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "advanced": {
                "api_url": world.api_url,
                "mqtt_host": "127.0.0.1",
                "mqtt_port": world.mqtt_port,
                "ca_cert": world.ca_pem,
            },
        },
    )
    assert result["step_id"] == "code"
    code = world.last_code(DEMO_EMAIL)
    assert code is not None
    if wrong_code_first:
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"code": wrong}
        )
        assert result["errors"] == {"base": "invalid_code"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"code": code}
    )
    assert result["step_id"] == "printers"
    return result
