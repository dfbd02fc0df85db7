"""Helpers of the browser test: screenshots and the integration's own texts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cache
import json
from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page

STRINGS_FILE = (
    Path(__file__).resolve().parents[2]
    / "custom_components"
    / "bambu_cloud"
    / "strings.json"
)


async def until(predicate: Callable[[], bool], timeout: float = 30) -> None:
    """Wait, bounded, for what happens outside the page (the simulated
    printer receiving a command): the page may show a choice before it is
    sent."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


@cache
def strings() -> dict[str, Any]:
    """The integration's strings.json: the texts the UI must show."""
    data: dict[str, Any] = json.loads(STRINGS_FILE.read_text(encoding="utf-8"))
    return data


def config_step(step: str) -> dict[str, Any]:
    """The texts of one config flow step."""
    result: dict[str, Any] = strings()["config"]["step"][step]
    return result


def config_error(key: str) -> str:
    """A config flow error as the form shows it."""
    text: str = strings()["config"]["error"][key]
    return text


def entity_name(platform: str, key: str) -> str:
    """The translated name of an entity."""
    name: str = strings()["entity"][platform][key]["name"]
    return name


def entity_state(platform: str, key: str, state: str) -> str:
    """The translated state of an entity."""
    text: str = strings()["entity"][platform][key]["state"][state]
    return text


def entity_row(page: Page, name: str) -> Locator:
    """The row of an entity on a device page (its name is the row's title)."""
    return page.locator("hui-generic-entity-row").filter(
        has=page.get_by_title(name, exact=True)
    )


class Screenshots:
    """Numbered full-window screenshots of the steps of a test."""

    def __init__(self, page: Page, directory: Path) -> None:
        """Save the page's screenshots into ``directory``."""
        self._page = page
        self._directory = directory
        self._count = 0
        self.saved: list[Path] = []

    async def __call__(self, name: str) -> Path:
        """Save the page as it is now as ``NN-name.png``."""
        self._count += 1
        path = self._directory / f"{self._count:02d}-{name}.png"
        await self._page.screenshot(path=path)
        self.saved.append(path)
        return path
