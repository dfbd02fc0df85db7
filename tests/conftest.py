"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import Generator

import pytest

# Import before the hass fixture runs, so Home Assistant's loader finds this
# package and not the test plugin's own custom_components.
from custom_components.bambu_cloud.const import DOMAIN  # noqa: F401


@pytest.fixture(autouse=True)
def _custom_integrations_for_hass_tests(
    request: pytest.FixtureRequest,
) -> Generator[None]:
    """Enable custom integrations in every test that runs Home Assistant."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")
    return


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    from unittest.mock import PropertyMock, patch

    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield
