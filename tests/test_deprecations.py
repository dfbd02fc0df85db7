"""The guard against Home Assistant's deprecation reports (tests/conftest.py)."""

from __future__ import annotations

import logging

from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame

from custom_components.bambu_cloud.const import DOMAIN
from tests.deprecations import DeprecationCollector, is_deprecation_of_ours


async def test_report_usage_about_the_integration_is_caught(
    hass: HomeAssistant, deprecation_reports: DeprecationCollector
) -> None:
    """Home Assistant's own report, as it logs it, fails the test."""
    await loader.async_get_integration(hass, DOMAIN)
    frame.report_usage(
        "calls `device_registry.async_update_device` with `remove_config_entry_id`",
        breaks_in_ha_version="2027.8.0",
        integration_domain=DOMAIN,
    )
    assert len(deprecation_reports.reports) == 1
    assert "2027.8.0" in deprecation_reports.reports[0]
    deprecation_reports.reports.clear()  # caught: the guard has done its job


async def test_report_usage_about_another_integration_is_not_ours(
    hass: HomeAssistant, deprecation_reports: DeprecationCollector
) -> None:
    """Another integration's deprecated use is not this integration's to fix."""
    await loader.async_get_integration(hass, "sun")
    frame.report_usage(
        "calls something deprecated",
        breaks_in_ha_version="2027.8.0",
        integration_domain="sun",
    )
    assert deprecation_reports.reports == []


def test_deprecation_helper_messages_are_caught() -> None:
    """The deprecation helper's wording names the integration after "from"."""
    record = logging.LogRecord(
        "homeassistant.helpers.device_registry",
        logging.WARNING,
        __file__,
        1,
        "The deprecated %s %s was %s from %s.%s Use %s instead, please %s",
        ("function", "old", "called", DOMAIN, " It goes in 2027.8.", "new", "report"),
        None,
    )
    assert is_deprecation_of_ours(record)
    record.levelno = logging.INFO
    assert not is_deprecation_of_ours(record)
