"""A cloud config entry against the simulator's fake cloud, for platform tests."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_EMAIL, CONF_TOKEN
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import (
    CONF_API_URL,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_REGION,
    CONF_UID,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.flow_helpers import account_title
from simulator.cloud import FakeCloud, Kind
from tests.common import get_version, pushall
from tests.fake_link import FakeLink

EMAIL = "maker@example.com"
UID = 81234567
CLOUD_SERIAL = "01P00A000000077"
CLOUD_ACCESS_CODE = "24681357"


def cloud_device(
    serial: str = CLOUD_SERIAL,
    *,
    online: bool = True,
    name: str = "Workshop",
    product: str = "P1P",
) -> dict[str, Any]:
    """A device list entry as the cloud sends it."""
    return {
        "dev_id": serial,
        "name": name,
        "online": online,
        "print_status": "IDLE",
        "dev_model_name": "",
        "dev_product_name": product,
        "dev_access_code": CLOUD_ACCESS_CODE,
    }


def add_account(cloud: FakeCloud, *, online: bool = True) -> None:
    """One account with one printer."""
    cloud.add_account(
        EMAIL, "pw", Kind.DIRECT, UID, devices=[cloud_device(online=online)]
    )


def cloud_entry(
    cloud: FakeCloud, *, email: str = EMAIL, uid: int = UID, **options: Any
) -> MockConfigEntry:
    """A cloud entry of an account of ``cloud`` (by default add_account's)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=account_title(email),
        unique_id=str(uid),
        data={
            CONF_KIND: EntryKind.CLOUD,
            CONF_REGION: "global",
            CONF_EMAIL: email,
            CONF_TOKEN: cloud.issue_token(email),
            CONF_UID: str(uid),
            CONF_API_URL: cloud.base_url,
            CONF_MQTT_HOST: "mqtt.invalid",
            CONF_MQTT_PORT: 8883,
        },
        options=options,
    )


async def setup_cloud_capture(
    hass: HomeAssistant, entry: MockConfigEntry, capture: str
) -> FakeLink:
    """Load the entry; its printer sends a capture's version and report."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    link = FakeLink.links[0]
    link.deliver(CLOUD_SERIAL, get_version(capture))
    link.deliver(CLOUD_SERIAL, pushall(capture))
    await hass.async_block_till_done()
    return link
