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

For the same reason it leaves out the default integrations whose libraries
are missing (conversation, tts, assist_pipeline, radio_frequency, infrared,
...): Home Assistant would only log their import tracebacks. And it drops
the start-up warnings that say nothing about this integration (pip skipped,
a custom integration found, no fast zlib), so the demo's log shows what the
integration says.
"""

from __future__ import annotations

import functools
import importlib
from importlib import metadata
import json
import logging
from pathlib import Path
from types import ModuleType

from homeassistant import __main__ as hass_main, bootstrap
from homeassistant.helpers import service
from packaging.requirements import InvalidRequirement, Requirement

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


COMPONENTS = Path(bootstrap.__file__).parent / "components"
# Start-up warnings about the environment, not about this integration.
QUIET = (
    ("homeassistant.bootstrap", "Skipping pip installation"),
    ("homeassistant.loader", "We found a custom integration"),
    ("aiohttp_fast_zlib", "zlib_ng and isal are not available"),
)


@functools.cache
def has_libraries(domain: str) -> bool:
    """Whether a component's requirements, and its dependencies', are installed."""
    try:
        manifest = json.loads(
            (COMPONENTS / domain / "manifest.json").read_text(encoding="utf-8")
        )
    except OSError:
        return True  # not a built-in component: Home Assistant decides
    for requirement in manifest.get("requirements", ()):
        try:
            metadata.distribution(Requirement(requirement).name)
        except InvalidRequirement, metadata.PackageNotFoundError:
            return False
    return all(has_libraries(d) for d in manifest.get("dependencies", ()))


class _Quiet(logging.Filter):
    """Drop one known start-up warning of a logger."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self._prefix)


def main() -> int:
    """Start Home Assistant with the patched lookups."""
    # The only seams there are; pinned Home Assistant, checked by the browser
    # test and the demo.
    service._base_components = importable_base_components  # noqa: SLF001
    bootstrap.DEFAULT_INTEGRATIONS = {
        domain for domain in bootstrap.DEFAULT_INTEGRATIONS if has_libraries(domain)
    }
    for name, prefix in QUIET:
        logging.getLogger(name).addFilter(_Quiet(prefix))
    return hass_main.main()


if __name__ == "__main__":
    raise SystemExit(main())
