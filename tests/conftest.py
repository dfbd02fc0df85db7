"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
import logging
from unittest.mock import AsyncMock, PropertyMock, patch

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Import before the hass fixture runs, so Home Assistant's loader finds this
# package and not the test plugin's own custom_components.
from custom_components.bambu_cloud import discovery, job
from custom_components.bambu_cloud.aiobambulab import hms
from custom_components.bambu_cloud.aiobambulab.job_details import JobDetails
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.job import JobTracker
from simulator.cloud import FakeCloud
from tests.cloud_helpers import add_account
from tests.common import get_version, pushall
from tests.deprecations import DeprecationCollector
from tests.fake_link import FakeLink

LAN_SERIAL = "01S00C000000001"


@pytest.fixture(autouse=True)
def _error_texts_unread() -> Generator[None]:
    """Each test starts with no error text read, as Home Assistant does."""
    hms.load_catalog.cache_clear()
    hms._catalog.cache_clear()  # the per-language cache
    yield
    hms.load_catalog.cache_clear()
    hms._catalog.cache_clear()


@pytest.fixture(autouse=True)
def _discovery_unheard() -> Generator[None]:
    """No UDP listener unless a test asks (tests/test_discovery.py does)."""
    with patch.object(discovery, "LISTEN_ADDRESS", None):
        yield


@pytest.fixture(autouse=True)
def _custom_integrations_for_hass_tests(
    request: pytest.FixtureRequest,
) -> Generator[None]:
    """Enable custom integrations in every test that runs Home Assistant."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")
    return


@pytest.fixture(autouse=True)
def deprecation_reports() -> Generator[DeprecationCollector]:
    """Fail a test in which Home Assistant reports a deprecated use by us.

    Home Assistant only logs these for custom integrations (tests/deprecations.py);
    they would otherwise pass unnoticed until the release that breaks them.
    """
    collector = DeprecationCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
    if collector.reports:
        pytest.fail(
            "Home Assistant reports deprecated use by the integration:\n"
            + "\n".join(collector.reports)
        )


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def fake_link() -> Generator[type[FakeLink]]:
    """Replace the MQTT transport with FakeLink; returns the class."""
    FakeLink.reset()
    with (
        patch(
            "custom_components.bambu_cloud.aiobambulab.printer.PrinterLink", FakeLink
        ),
        patch(
            "custom_components.bambu_cloud.aiobambulab.account.PrinterLink", FakeLink
        ),
    ):
        yield FakeLink
    FakeLink.reset()


def lan_entry(capture: str, serial: str = LAN_SERIAL) -> MockConfigEntry:
    """A LAN config entry for one printer of the captures."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"{capture} printer",
        unique_id=serial,
        data={
            CONF_KIND: EntryKind.LAN,
            CONF_HOST: "192.0.2.10",
            CONF_SERIAL: serial,
            CONF_ACCESS_CODE: "12345678",
        },
    )


async def setup_capture(
    hass: HomeAssistant, capture: str, serial: str = LAN_SERIAL
) -> tuple[MockConfigEntry, FakeLink]:
    """Load a LAN entry whose printer has sent a capture's version and report."""
    entry = lan_entry(capture, serial)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[-1]
    link.deliver(serial, get_version(capture))
    link.deliver(serial, pushall(capture))
    await hass.async_block_till_done()
    return entry, link


@pytest.fixture
def job_files() -> Generator[AsyncMock]:
    """No printer to read job files from: the test gives the job details.

    By default a job has none; set ``side_effect`` to answer otherwise.
    """
    with (
        patch.object(job, "SETTLE_SECONDS", 0),
        patch.object(
            JobTracker,
            "_lookup",
            AsyncMock(side_effect=lambda key: JobDetails(key, None)),
        ) as lookup,
    ):
        yield lookup


@pytest.fixture
async def cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake cloud over a real socket: one account with one printer."""
    fake = FakeCloud()
    add_account(fake)
    await fake.start()
    yield fake
    await fake.stop()
