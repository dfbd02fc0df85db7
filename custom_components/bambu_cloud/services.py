"""Placeholder replaced by issue 5's actions (owned by a helper)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Nothing yet."""
