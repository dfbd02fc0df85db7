"""The sign-in is renewed, stored in the entry and given to the broker link.

Reauth (a new sign-in by the user) starts only when renewing fails.
"""

from __future__ import annotations

from datetime import timedelta
import json
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.link_health import LinkStatus
from custom_components.bambu_cloud.const import (
    CONF_REFRESH_TOKEN,
    CONF_TOKEN_EXPIRES_AT,
    CONF_TOKEN_LIFETIME,
    DOMAIN,
)
from custom_components.bambu_cloud.signin import entry_tokens
from simulator.cloud import BIND, REFRESH, FakeCloud
from tests.cloud_helpers import EMAIL, cloud_entry, setup_cloud_capture
from tests.fake_link import FakeLink

LIFETIME = 7776000.0


def _signed_in_entry(
    cloud: FakeCloud, *, expires_in: float = LIFETIME, lifetime: float = LIFETIME
) -> MockConfigEntry:
    """A cloud entry as the config flow stores it now: with a refresh token."""
    entry = cloud_entry(cloud)
    refresh = "refresh-" + "x" * 24
    cloud.refresh_tokens[refresh] = EMAIL
    data: dict[str, Any] = {
        **entry.data,
        CONF_REFRESH_TOKEN: refresh,
        CONF_TOKEN_EXPIRES_AT: time.time() + expires_in,
        CONF_TOKEN_LIFETIME: lifetime,
    }
    return MockConfigEntry(
        domain=DOMAIN, title=entry.title, unique_id=entry.unique_id, data=data
    )


def _flows(hass: HomeAssistant) -> list[str]:
    return [
        f["context"]["source"]
        for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the device list poll (every five minutes)."""
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_an_expired_token_is_renewed_stored_and_given_to_the_broker(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = _signed_in_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    old_token = entry.data[CONF_TOKEN]
    old_refresh = entry.data[CONF_REFRESH_TOKEN]
    cloud.expire_tokens(EMAIL)

    await _poll(hass, freezer)

    assert len(cloud.requests_to(REFRESH)) == 1
    new_token = entry.data[CONF_TOKEN]
    assert new_token != old_token
    assert cloud.tokens[new_token] == EMAIL
    assert cloud.refresh_tokens[entry.data[CONF_REFRESH_TOKEN]] == EMAIL
    assert entry.data[CONF_REFRESH_TOKEN] != old_refresh
    assert entry.data[CONF_TOKEN_LIFETIME] == cloud.token_lifetime
    # The broker link reconnects with the new token; no new sign-in asked.
    assert link.password == new_token
    assert link.reconnects == 1
    assert _flows(hass) == []
    device_list = entry.runtime_data.device_list
    assert device_list is not None
    assert device_list.last_update_success
    assert cloud.requests_to(BIND)[-1].headers["Authorization"] == (
        f"Bearer {new_token}"
    )


async def test_a_refused_renewal_starts_reauth(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = _signed_in_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    stored = dict(entry.data)
    cloud.refuse_refresh = True
    cloud.expire_tokens(EMAIL)

    await _poll(hass, freezer)

    assert len(cloud.requests_to(REFRESH)) == 1
    assert _flows(hass) == [SOURCE_REAUTH]
    assert dict(entry.data) == stored
    assert link.reconnects == 0


async def test_renewed_ahead_of_expiry_at_start_up(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """A token close to its end is renewed before the first request uses it."""
    entry = _signed_in_entry(cloud, expires_in=50, lifetime=1000)
    old_token = entry.data[CONF_TOKEN]
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    await hass.async_block_till_done(wait_background_tasks=True)

    assert len(cloud.requests_to(REFRESH)) == 1
    assert cloud.seen[0].path == REFRESH  # before anything used the old token
    assert entry.data[CONF_TOKEN] != old_token
    # The link is made after the renewal: it has the new token from the start.
    assert link.password == entry.data[CONF_TOKEN]
    assert _flows(hass) == []


async def test_the_broker_refusing_the_token_renews_before_reauth(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    entry = _signed_in_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    assert link.on_status is not None
    refused = LinkStatus(connected=False, failure=ConnectionFailure.CREDENTIALS)

    link.on_status(refused)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(REFRESH)) == 1
    assert link.password == entry.data[CONF_TOKEN]
    assert link.reconnects == 1
    assert _flows(hass) == []

    # The broker refuses the renewed token too: renewing again would not help.
    link.on_status(refused)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cloud.requests_to(REFRESH)) == 1
    assert _flows(hass) == [SOURCE_REAUTH]


async def test_the_broker_refusing_a_token_that_cannot_be_renewed_starts_reauth(
    hass: HomeAssistant, fake_link: type[FakeLink], cloud: FakeCloud
) -> None:
    """An entry stored before renewal existed has no refresh token."""
    entry = cloud_entry(cloud)
    link = await setup_cloud_capture(hass, entry, "p1p-ams")
    assert link.on_status is not None
    link.on_status(LinkStatus(connected=False, failure=ConnectionFailure.CREDENTIALS))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert cloud.requests_to(REFRESH) == []
    assert _flows(hass) == [SOURCE_REAUTH]


@pytest.mark.parametrize(
    ("stored", "read_as"),
    [(1234.5, 1234.5), (float("nan"), None), (float("inf"), None), ("soon", None)],
)
def test_stored_expiry_is_checked(stored: Any, read_as: float | None) -> None:
    tokens = entry_tokens(
        {CONF_TOKEN: "t", CONF_TOKEN_EXPIRES_AT: stored, CONF_TOKEN_LIFETIME: stored}
    )
    assert tokens is not None
    assert tokens.expires_at == read_as
    assert tokens.lifetime == read_as
    assert entry_tokens({CONF_TOKEN: ""}) is None


async def test_diagnostics_redact_the_refresh_token(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
) -> None:
    entry = _signed_in_entry(cloud)
    await setup_cloud_capture(hass, entry, "p1p-ams")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    dumped = json.dumps(diagnostics)
    assert entry.data[CONF_REFRESH_TOKEN] not in dumped
    assert entry.data[CONF_TOKEN] not in dumped
    assert diagnostics["entry"]["data"][CONF_REFRESH_TOKEN] == "**REDACTED**"
    assert diagnostics["entry"]["data"][CONF_TOKEN_LIFETIME] == LIFETIME
