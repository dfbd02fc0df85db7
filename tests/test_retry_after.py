"""An unbounded Retry-After never stops a coordinator's polling.

The cloud may answer 429 with ``Retry-After: inf``, a huge number or a date
far in the future. Each coordinator that reads the cloud (the device list,
the account's messages, the print history) must wait at most the cap and
then ask again.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bambu_cloud.aiobambulab.cloud_http import MAX_RETRY_AFTER
from simulator.cloud import BIND, MESSAGES, TASKS, FakeCloud, Fault
from tests.cloud_helpers import cloud_entry as make_cloud_entry, setup_cloud_capture
from tests.fake_link import FakeLink

UNBOUNDED = pytest.mark.parametrize(
    "header",
    ["inf", "1e300", "Fri, 31 Dec 9999 23:59:59 GMT"],
    ids=["inf", "huge", "far_future_date"],
)


async def _start(hass: HomeAssistant, cloud: FakeCloud) -> MockConfigEntry:
    entry = make_cloud_entry(cloud)
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.EVENT]):
        await setup_cloud_capture(hass, entry, "p1p-ams")
        await hass.async_block_till_done(wait_background_tasks=True)
    return entry


async def _wait(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _asked_again_after_the_cap(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: FakeCloud,
    path: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After the 429, one more request comes once the cap has passed, not before."""
    asked = len(cloud.requests_to(path))
    cloud.clear_fault()
    # Nothing well before the cap (the usual intervals are all shorter).
    await _wait(hass, freezer, MAX_RETRY_AFTER - 600)
    assert len(cloud.requests_to(path)) == asked
    await _wait(hass, freezer, 601)
    assert len(cloud.requests_to(path)) > asked
    assert "waiting 3600 seconds instead" in caplog.text


@UNBOUNDED
async def test_device_list_polls_again_after_an_unbounded_retry_after(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    header: str,
) -> None:
    caplog.set_level(logging.WARNING)
    entry = await _start(hass, cloud)
    cloud.retry_after = header
    cloud.fail(BIND, Fault.RATE_LIMITED)
    await _wait(hass, freezer, 5 * 60 + 1)  # the usual poll, answered 429
    device_list = entry.runtime_data.device_list
    assert device_list is not None
    assert not device_list.last_update_success
    await _asked_again_after_the_cap(hass, freezer, cloud, BIND, caplog)
    assert device_list.last_update_success


@UNBOUNDED
async def test_notifications_poll_again_after_an_unbounded_retry_after(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    header: str,
) -> None:
    caplog.set_level(logging.WARNING)
    await _start(hass, cloud)
    cloud.retry_after = header
    cloud.fail(MESSAGES, Fault.RATE_LIMITED)
    await _wait(hass, freezer, 5 * 60 + 1)
    await _asked_again_after_the_cap(hass, freezer, cloud, MESSAGES, caplog)


@UNBOUNDED
async def test_history_fetches_again_after_an_unbounded_retry_after(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    header: str,
) -> None:
    caplog.set_level(logging.WARNING)
    cloud.retry_after = header
    cloud.fail(TASKS, Fault.RATE_LIMITED)  # the first fetch is throttled
    entry = await _start(hass, cloud)
    history = entry.runtime_data.history
    assert not history.last_update_success
    await _asked_again_after_the_cap(hass, freezer, cloud, TASKS, caplog)
    assert history.last_update_success


# The job trackers start with the entry; their files are not read here.
pytestmark = pytest.mark.usefixtures("job_files")
