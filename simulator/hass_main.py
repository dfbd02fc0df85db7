"""``python -m simulator.hass_main``: Home Assistant for the demo and browser test.

Home Assistant checks the supported-feature filters of service descriptions
against a fixed list of base components and imports all of them, among them
ai_task and assist_satellite, which need the voice assistant's libraries
(hassil, mutagen, pymicro-vad, ...). Home Assistant installs those at run
time; the demo runs it with --skip-pip and the development environment does
not carry them, so the import fails, the websocket ``get_services`` command
errors and the frontend never gets past "Loading...". This wrapper limits the list to
the base components that import; filters naming a missing one are then
reported as invalid by Home Assistant, which only drops those descriptions.
"""

from __future__ import annotations

import functools
import importlib
import logging
from types import ModuleType

from homeassistant import __main__ as hass_main
from homeassistant.helpers import service

_LOGGER = logging.getLogger(__name__)

# What homeassistant.helpers.service._base_components imports (2026.10).
BASE_COMPONENTS = (
    "ai_task",
    "alarm_control_panel",
    "assist_satellite",
    "calendar",
    "camera",
    "climate",
    "cover",
    "fan",
    "humidifier",
    "light",
    "lock",
    "media_player",
    "notify",
    "remote",
    "siren",
    "todo",
    "update",
    "vacuum",
    "water_heater",
)


@functools.cache
def importable_base_components() -> dict[str, ModuleType]:
    """The base components whose libraries are installed."""
    modules: dict[str, ModuleType] = {}
    for domain in BASE_COMPONENTS:
        try:
            modules[domain] = importlib.import_module(
                f"homeassistant.components.{domain}"
            )
        except ImportError as err:
            _LOGGER.info("Base component %s left out: %s", domain, err)
    return modules


def main() -> int:
    """Start Home Assistant with the patched lookup."""
    # The only seam there is; pinned Home Assistant, checked by the browser test.
    service._base_components = importable_base_components  # noqa: SLF001
    return hass_main.main()


if __name__ == "__main__":
    raise SystemExit(main())
