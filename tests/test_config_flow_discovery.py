"""The discovery flow: a printer that announced itself, against a real broker."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_IGNORE, SOURCE_INTEGRATION_DISCOVERY
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_CA_CERT,
    CONF_CAMERA_PORT,
    CONF_FTP_PORT,
    CONF_KIND,
    CONF_KNOWN_PRINTERS,
    CONF_SERIAL,
    DOMAIN,
)
from custom_components.bambu_cloud.flow_schemas import SECTION_ADVANCED
from simulator.broker import MosquittoBroker
from simulator.cloud import FakeCloud
from simulator.fake_printer import FakePrinter
from simulator.tls import SimulatorPki
from tests.bambu.conftest import ACCESS_CODE, SERIAL
from tests.test_config_flow import (  # noqa: F401 - fixtures used by name
    broker,
    checked,
    cloud_entry,
    configure,
    fake_cloud,
    fields,
    lan_entry,
    mock_setup_entry,
    pki,
    printer,
)

pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_setup_entry")


def announced(host: str, serial: str = SERIAL) -> dict[str, Any]:
    """What discovery.PrinterDiscovery hands the flow."""
    return {CONF_SERIAL: serial, CONF_HOST: host, "model": "P1P", "name": "Garage"}


async def discover(hass: HomeAssistant, info: dict[str, Any]) -> Any:
    return checked(
        await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_INTEGRATION_DISCOVERY}, data=info
        )
    )


def code_input(
    broker: MosquittoBroker,  # noqa: F811
    pki: SimulatorPki,  # noqa: F811
    access_code: str = ACCESS_CODE,
) -> dict[str, Any]:
    """The access code, and the test broker's port and CA in the advanced section."""
    return {
        CONF_ACCESS_CODE: access_code,
        SECTION_ADVANCED: {
            CONF_PORT: broker.port("local"),
            CONF_CAMERA_PORT: 6000,
            CONF_FTP_PORT: 990,
            CONF_CA_CERT: pki.ca.cert_pem,
        },
    }


async def test_asks_only_for_the_access_code(
    hass: HomeAssistant,
    broker: MosquittoBroker,  # noqa: F811
    pki: SimulatorPki,  # noqa: F811
    printer: FakePrinter,  # noqa: F811
    mock_setup_entry: AsyncMock,  # noqa: F811
) -> None:
    """Address and serial come from the announcement; the code is checked."""
    result = await discover(hass, announced(broker.host))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert [name for name in fields(result) if "/" not in name] == [
        CONF_ACCESS_CODE,
        SECTION_ADVANCED,
    ]
    assert result["description_placeholders"] == {
        "model": "P1P",
        "name": "Garage",
        "serial": SERIAL,
        "host": broker.host,
    }
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["title_placeholders"] == {"name": "Bambu Lab P1P “Garage”"}

    result = await configure(hass, result, code_input(broker, pki, "wrong123"))
    assert result["errors"] == {"base": "invalid_access_code"}
    result = await configure(hass, result, code_input(broker, pki))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"P1P {SERIAL}"
    entry = result["result"]
    assert entry.unique_id == SERIAL
    assert entry.data == {
        CONF_KIND: "lan",
        CONF_SERIAL: SERIAL,
        CONF_HOST: broker.host,
        CONF_ACCESS_CODE: ACCESS_CODE,
        CONF_PORT: broker.port("local"),
        CONF_CAMERA_PORT: 6000,
        CONF_FTP_PORT: 990,
        CONF_CA_CERT: pki.ca.cert_pem.strip(),
    }
    assert len(printer.commands("get_version")) == 1
    assert len(mock_setup_entry.mock_calls) == 1


async def test_an_empty_access_code_is_not_sent(hass: HomeAssistant) -> None:
    result = await discover(hass, announced("192.0.2.5"))
    result = await configure(hass, result, {CONF_ACCESS_CODE: "  "})
    assert result["errors"] == {CONF_ACCESS_CODE: "invalid_access_code"}


async def test_a_lan_entry_takes_the_new_address(
    hass: HomeAssistant,
    broker: MosquittoBroker,  # noqa: F811
    pki: SimulatorPki,  # noqa: F811
) -> None:
    entry = lan_entry(broker, pki, **{CONF_HOST: "192.0.2.5"})
    entry.add_to_hass(hass)
    result = await discover(hass, announced("192.0.2.6"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "192.0.2.6"
    assert entry.data[CONF_ACCESS_CODE] == "old-code"  # the rest is kept


async def test_a_host_name_is_kept(
    hass: HomeAssistant,
    broker: MosquittoBroker,  # noqa: F811
    pki: SimulatorPki,  # noqa: F811
) -> None:
    """A name the user gave follows the printer by itself."""
    entry = lan_entry(broker, pki, **{CONF_HOST: "printer.lan"})
    entry.add_to_hass(hass)
    result = await discover(hass, announced("192.0.2.6"))
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "printer.lan"


async def test_an_ignored_printer_is_not_offered(hass: HomeAssistant) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=SERIAL, source=SOURCE_IGNORE).add_to_hass(
        hass
    )
    result = await discover(hass, announced("192.0.2.6"))
    assert result["reason"] == "already_configured"


async def test_a_printer_of_an_account_is_not_offered(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,  # noqa: F811
) -> None:
    """The account entry has it (its device list names it): no second device."""
    account = cloud_entry(fake_cloud, **{CONF_KNOWN_PRINTERS: {SERIAL: {}}})
    account.add_to_hass(hass)
    result = await discover(hass, announced("192.0.2.6"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_account"
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


async def test_with_an_account_the_account_is_offered_too(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,  # noqa: F811
) -> None:
    """A menu: the access code, or binding the printer to the account."""
    account = cloud_entry(fake_cloud, **{CONF_KNOWN_PRINTERS: {"OTHER1234": {}}})
    account.add_to_hass(hass)
    result = await discover(hass, announced("192.0.2.6"))
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "discovery"
    assert result["menu_options"] == ["discovery_confirm", "discovery_account"]

    result = await configure(hass, result, {"next_step_id": "discovery_account"})
    assert result["step_id"] == "discovery_account"
    assert result["description_placeholders"]["account"] == account.title
    # Not bound yet: the form says so and stays.
    result = await configure(hass, result, {})
    assert result["errors"] == {"base": "not_in_account"}
    # Bound in the app; the account's device list now names it.
    hass.config_entries.async_update_entry(
        account, data={**account.data, CONF_KNOWN_PRINTERS: {SERIAL: {}}}
    )
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "added_to_account"


async def test_with_an_account_the_access_code_still_works(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,  # noqa: F811
) -> None:
    cloud_entry(fake_cloud).add_to_hass(hass)
    result = await discover(hass, announced("192.0.2.6"))
    result = await configure(hass, result, {"next_step_id": "discovery_confirm"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"


async def test_a_second_announcement_does_not_open_a_second_flow(
    hass: HomeAssistant,
) -> None:
    await discover(hass, announced("192.0.2.6"))
    result = await discover(hass, announced("192.0.2.7"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_progress"
