"""The config, reauth, reconfigure and options flows.

The cloud is the simulator's fake Bambu cloud on a loopback socket; LAN
printers are a real Mosquitto with TLS and fake printers. Nothing of the
client library is mocked: only the entry set-up is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
import contextlib
import json
import logging
from pathlib import Path
import re
import socket
import ssl
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import (
    CONF_CODE,
    CONF_EMAIL,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_TOKEN,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.util.ssl import client_context
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud import flow_helpers
from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.hosts import CHINA, GLOBAL
from custom_components.bambu_cloud.aiobambulab.tls import BAMBU_CA_PEM
from custom_components.bambu_cloud.connection import cloud_client, mqtt_ssl_context
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_API_URL,
    CONF_CA_CERT,
    CONF_CAMERA,
    CONF_CAMERA_PORT,
    CONF_DEVICE_LIST_INTERVAL,
    CONF_FTP_PORT,
    CONF_IGNORED,
    CONF_KIND,
    CONF_MQTT_HOST,
    CONF_MQTT_PORT,
    CONF_PRINTERS,
    CONF_REFRESH_TOKEN,
    CONF_REGION,
    CONF_SERIAL,
    CONF_TOKEN_EXPIRES_AT,
    CONF_TOKEN_LIFETIME,
    CONF_UID,
    CONF_USE_LAN,
    DOMAIN,
)
from custom_components.bambu_cloud.flow_helpers import (
    PROBE_ERRORS,
    account_title,
    cloud_servers,
)
from custom_components.bambu_cloud.flow_schemas import (
    CONF_CONFIGURE_PRINTER,
    CONF_SELECTED_PRINTERS,
    CONF_SEND_NEW_CODE,
    SECTION_ADVANCED,
)
from custom_components.bambu_cloud.job_costs import COST_KEYS
from simulator.broker import MosquittoBroker
from simulator.cloud import (
    BIND,
    LOGIN,
    PREFERENCE,
    SEND_EMAIL,
    FakeCloud,
    Fault,
    Kind,
)
from simulator.fake_printer import FakePrinter
from simulator.tls import SimulatorPki, generate_pki
from tests.bambu.conftest import (
    ACCESS_CODE,
    PRINTER_FIXTURE,
    PRINTER_PASSWORD,
    PRINTER_USER,
    SERIAL,
    SERIAL2,
    make_printer,
)

# Real sockets, to 127.0.0.1 only; the entry set-up is not under test here.
pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_setup_entry")

ROOT = Path(__file__).parents[1]
STRINGS_PATH = ROOT / "custom_components" / DOMAIN / "strings.json"
STRINGS: dict[str, Any] = json.loads(STRINGS_PATH.read_text(encoding="utf-8"))

DIRECT = "direct@example.com"  # the password alone gives a token
CODED = "coded@example.com"  # an email code follows the password
PHONE = "+4915112345678"  # an SMS code follows the password
TFA_USER = "tfa@example.com"  # an authenticator code follows the password
EMPTY = "empty@example.com"  # no printer bound yet
PASSWORD = "correct horse battery staple"
UID = 1234567
DEVICES = [
    {
        "dev_id": SERIAL,
        "name": "Workshop",
        "online": True,
        "print_status": "IDLE",
        "dev_model_name": "C11",
        "dev_product_name": "P1P",
        "dev_access_code": ACCESS_CODE,
    },
    {
        "dev_id": SERIAL2,
        "name": "Office",
        "online": False,
        "print_status": "OFFLINE",
        "dev_model_name": "BL-P001",
        "dev_product_name": "X1 Carbon",
        "dev_access_code": "87654321\n",
    },
]
PEM_LIKE_JUNK = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Entries load without connecting (the set-up has its own tests)."""
    with patch(
        "custom_components.bambu_cloud.async_setup_entry", return_value=True
    ) as mock:
        yield mock


@pytest.fixture
async def fake_cloud(socket_enabled: None) -> AsyncIterator[FakeCloud]:
    """The fake Bambu cloud with one account of each login kind."""
    cloud = FakeCloud()
    cloud.add_account(DIRECT, PASSWORD, Kind.DIRECT, UID, devices=DEVICES)
    cloud.add_account(CODED, PASSWORD, Kind.CODE, UID + 1, devices=DEVICES[:1])
    cloud.add_account(PHONE, PASSWORD, Kind.CODE, UID + 2, devices=DEVICES[1:])
    cloud.add_account(TFA_USER, PASSWORD, Kind.TFA, UID + 3, devices=DEVICES)
    cloud.add_account(EMPTY, PASSWORD, Kind.DIRECT, UID + 4, devices=[])
    await cloud.start()
    try:
        yield cloud
    finally:
        await cloud.stop()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    """A simulator CA with certificates for both serials, and a rogue twin."""
    return generate_pki(tmp_path_factory.mktemp("flow-pki"), [SERIAL, SERIAL2])


@pytest.fixture
async def broker(
    pki: SimulatorPki, tmp_path: Path, socket_enabled: None
) -> AsyncIterator[MosquittoBroker]:
    """Mosquitto playing the printers' own brokers.

    ``local`` presents SERIAL's certificate, ``local2`` SERIAL2's, ``rogue``
    SERIAL's from an untrusted CA; fake printers connect on ``cloud``.
    """
    mosquitto = MosquittoBroker(tmp_path / "broker")
    for name, files in (
        ("local", pki.printers[SERIAL]),
        ("local2", pki.printers[SERIAL2]),
        ("rogue", pki.rogue_printers[SERIAL]),
        ("cloud", pki.broker),
    ):
        mosquitto.add_listener(name, files.cert_path, files.key_path)
    mosquitto.add_user("bblp", ACCESS_CODE, [SERIAL, SERIAL2])
    mosquitto.add_user(PRINTER_USER, PRINTER_PASSWORD, None, role="printer")
    await mosquitto.start()
    try:
        yield mosquitto
    finally:
        await mosquitto.stop()


@pytest.fixture
async def printer(
    broker: MosquittoBroker, pki: SimulatorPki
) -> AsyncIterator[FakePrinter]:
    """The printer SERIAL (a P1P), answering on the ``local`` listener."""
    async with _running(_printer(broker, pki)) as fake:
        yield fake


def _printer(broker: MosquittoBroker, pki: SimulatorPki) -> FakePrinter:
    context = ssl.create_default_context(cadata=pki.ca.cert_pem)
    return make_printer(broker, context, SERIAL, PRINTER_FIXTURE)


@contextlib.asynccontextmanager
async def _running(fake: FakePrinter) -> AsyncIterator[FakePrinter]:
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@contextlib.asynccontextmanager
async def refusing_printer(pki: SimulatorPki) -> AsyncIterator[int]:
    """A TLS server with SERIAL's certificate refusing MQTT: server unavailable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    files = pki.printers[SERIAL]
    context.load_cert_chain(files.cert_path, files.key_path)

    async def refuse(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(OSError):
            await reader.read(1024)  # CONNECT
            writer.write(b"\x20\x02\x00\x03")  # CONNACK: server unavailable
            await writer.drain()
            await reader.read(1024)
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- helpers: flows whose every answer is checked against strings.json ---------------


def _placeholders_in(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def fields(result: ConfigFlowResult) -> dict[str, dict[str, Any]]:
    """The form's fields as the frontend receives them; "section/field" inside."""
    flat: dict[str, dict[str, Any]] = {}
    for field in probatio.to_field_list(
        result["data_schema"], custom_serializer=cv.custom_serializer
    ):
        if field.get("type") == "expandable":
            flat[field["name"]] = field
            for inner in field["schema"]:
                flat[f"{field['name']}/{inner['name']}"] = inner
        else:
            flat[field["name"]] = field
    return flat


def suggested(result: ConfigFlowResult, name: str) -> Any:
    """A field's suggested (prefilled) value, None when it has none."""
    return (fields(result)[name].get("description") or {}).get("suggested_value")


def checked(result: ConfigFlowResult, flow: str = "config") -> ConfigFlowResult:
    """Fail unless every text the user sees exists, with its placeholders."""
    strings = STRINGS[flow]
    if result["type"] is FlowResultType.MENU:
        step = strings["step"][result["step_id"]]
        assert step["title"]
        assert set(result["menu_options"]) == set(step["menu_options"])
        assert set(result["menu_options"]) == set(step["menu_option_descriptions"])
    elif result["type"] is FlowResultType.FORM:
        step = strings["step"][result["step_id"]]
        placeholders = set(result["description_placeholders"] or {})
        texts = [step["title"], step["description"]]
        texts += [strings["error"][key] for key in (result["errors"] or {}).values()]
        for text in texts:
            assert _placeholders_in(text) <= placeholders, text
        for name, field in fields(result).items():
            if field.get("type") == "expandable":
                assert step["sections"][name]["name"]
                continue
            where, key = step, name
            if "/" in name:
                section_name, key = name.split("/")
                where = step["sections"][section_name]
            assert where["data"][key], name
            assert where["data_description"][key], name
    elif result["type"] is FlowResultType.ABORT:
        assert result["reason"] in strings["abort"]
    return result


async def configure(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Submit a config flow form or menu."""
    return checked(
        await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    )


async def start(hass: HomeAssistant, step: str) -> ConfigFlowResult:
    """Start a user flow and choose "cloud" or "lan" in the menu."""
    menu = checked(
        await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
    )
    assert menu["type"] is FlowResultType.MENU
    assert menu["step_id"] == "user"
    result = await configure(hass, menu, {"next_step_id": step})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return result


def cloud_input(
    fake: FakeCloud,
    account: str = DIRECT,
    password: str = PASSWORD,
    **advanced: Any,
) -> dict[str, Any]:
    """The cloud form filled in for the fake cloud."""
    return {
        CONF_REGION: "global",
        CONF_EMAIL: account,
        CONF_PASSWORD: password,
        SECTION_ADVANCED: {CONF_API_URL: fake.base_url, **advanced},
    }


async def login(
    hass: HomeAssistant, fake: FakeCloud, account: str = DIRECT, **advanced: Any
) -> ConfigFlowResult:
    """Submit the cloud form; the result is the next step."""
    result = await start(hass, "cloud")
    return await configure(hass, result, cloud_input(fake, account, **advanced))


def cloud_data(fake: FakeCloud, account: str, uid: int, token: str) -> dict[str, Any]:
    """The data of a cloud entry on the fake cloud, as the flow stores it."""
    return {
        CONF_KIND: "cloud",
        CONF_EMAIL: account,
        CONF_UID: str(uid),
        CONF_TOKEN: token,
        CONF_REGION: "global",
        CONF_API_URL: fake.base_url,
        CONF_MQTT_HOST: GLOBAL.mqtt_host,
        CONF_MQTT_PORT: 8883,
    }


def renewal_data(
    fake: FakeCloud, data: Mapping[str, Any], account: str
) -> dict[str, Any]:
    """The sign-in renewal an entry stores: a refresh token of the account."""
    assert fake.refresh_tokens[data[CONF_REFRESH_TOKEN]] == account
    assert data[CONF_TOKEN_LIFETIME] == fake.token_lifetime
    assert isinstance(data[CONF_TOKEN_EXPIRES_AT], float)
    return {
        key: data[key]
        for key in (CONF_REFRESH_TOKEN, CONF_TOKEN_EXPIRES_AT, CONF_TOKEN_LIFETIME)
    }


def cloud_entry(
    fake: FakeCloud,
    account: str = DIRECT,
    uid: int = UID,
    *,
    unique_id: str | None = None,
    **data: Any,
) -> MockConfigEntry:
    """A configured account whose token the fake cloud accepts."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=account,
        unique_id=unique_id or str(uid),
        data={**cloud_data(fake, account, uid, fake.issue_token(account)), **data},
    )


def lan_input(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    *,
    listener: str = "local",
    serial: str = SERIAL,
    access_code: str = ACCESS_CODE,
    port: int | None = None,
) -> dict[str, Any]:
    """The LAN form filled in for the test broker."""
    return {
        CONF_HOST: broker.host,
        CONF_SERIAL: serial,
        CONF_ACCESS_CODE: access_code,
        SECTION_ADVANCED: {
            CONF_PORT: port or broker.port(listener),
            CONF_CAMERA_PORT: 6001,
            CONF_FTP_PORT: 9990,
            CONF_CA_CERT: pki.ca.cert_pem,
        },
    }


def lan_entry(
    broker: MosquittoBroker, pki: SimulatorPki, **data: Any
) -> MockConfigEntry:
    """A configured LAN printer SERIAL on the test broker."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"P1P {SERIAL}",
        unique_id=SERIAL,
        data={
            CONF_KIND: "lan",
            CONF_SERIAL: SERIAL,
            CONF_HOST: broker.host,
            CONF_ACCESS_CODE: "old-code",
            CONF_PORT: broker.port("local"),
            CONF_CAMERA_PORT: 6000,
            CONF_FTP_PORT: 990,
            CONF_CA_CERT: pki.ca.cert_pem,
            **data,
        },
    )


# --- menu ------------------------------------------------------------------------------


async def test_user_step_is_a_menu(hass: HomeAssistant) -> None:
    result = checked(
        await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["cloud", "lan"]


# --- Bambu account ----------------------------------------------------------------------


async def test_cloud_form(hass: HomeAssistant) -> None:
    result = await start(hass, "cloud")
    shown = fields(result)
    assert shown[CONF_REGION]["default"] == "global"
    assert shown[CONF_REGION]["selector"]["select"]["translation_key"] == "region"
    assert set(shown[CONF_REGION]["selector"]["select"]["options"]) == {
        "global",
        "china",
    }
    assert shown[CONF_PASSWORD]["selector"]["text"]["type"] == "password"
    # The server settings are advanced: in a collapsed section.
    assert shown[SECTION_ADVANCED]["expanded"] is False
    assert shown[f"{SECTION_ADVANCED}/{CONF_MQTT_PORT}"]["default"] == 8883
    assert shown[f"{SECTION_ADVANCED}/{CONF_CA_CERT}"]["selector"]["text"]["multiline"]
    assert set(STRINGS["selector"]["region"]["options"]) == {"global", "china"}


async def test_password_login_creates_the_account(
    hass: HomeAssistant, fake_cloud: FakeCloud, mock_setup_entry: AsyncMock
) -> None:
    result = await login(hass, fake_cloud)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "printers"
    assert result["description_placeholders"] == {"account": DIRECT, "count": "2"}
    printers = fields(result)[CONF_SELECTED_PRINTERS]
    assert printers["default"] == [SERIAL, SERIAL2]  # all selected
    assert printers["selector"]["select"]["multiple"] is True
    assert printers["selector"]["select"]["options"] == [
        {"value": SERIAL, "label": "Workshop (P1P)"},
        {"value": SERIAL2, "label": "Office (X1 Carbon)"},
    ]

    result = await configure(hass, result, {CONF_SELECTED_PRINTERS: [SERIAL]})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == "d***@example.com"
    assert entry.unique_id == str(UID)
    token = entry.data[CONF_TOKEN]
    assert fake_cloud.tokens[token] == DIRECT
    assert entry.data == {
        **cloud_data(fake_cloud, DIRECT, UID, token),
        **renewal_data(fake_cloud, entry.data, DIRECT),
    }
    assert entry.options == {CONF_IGNORED: [SERIAL2]}
    assert PASSWORD not in json.dumps(dict(entry.data))
    assert CONF_PASSWORD not in entry.data
    assert len(mock_setup_entry.mock_calls) == 1


async def test_all_printers_selected_by_default(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud)
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].options == {CONF_IGNORED: []}


async def test_account_without_printers(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, EMPTY)
    assert result["step_id"] == "printers"
    assert result["description_placeholders"]["count"] == "0"
    assert fields(result) == {}  # nothing to choose: printers come when bound
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == str(UID + 4)
    assert result["result"].options == {CONF_IGNORED: []}


async def test_advanced_server_settings_are_stored(
    hass: HomeAssistant, fake_cloud: FakeCloud, pki: SimulatorPki
) -> None:
    result = await login(
        hass,
        fake_cloud,
        **{
            CONF_API_URL: fake_cloud.base_url + "/",
            CONF_MQTT_HOST: " 127.0.0.1 ",
            CONF_MQTT_PORT: 18883,
            CONF_CA_CERT: pki.ca.cert_pem + "\n\n",
        },
    )
    result = await configure(hass, result, {})
    data = result["result"].data
    assert data[CONF_API_URL] == fake_cloud.base_url  # no trailing slash
    assert data[CONF_MQTT_HOST] == "127.0.0.1"
    assert data[CONF_MQTT_PORT] == 18883
    assert data[CONF_CA_CERT] == pki.ca.cert_pem.strip()


def test_empty_server_fields_follow_the_region() -> None:
    for region in (GLOBAL, CHINA):
        servers = cloud_servers(
            {CONF_REGION: region.key, SECTION_ADVANCED: {CONF_MQTT_PORT: 8883}}
        )
        assert servers == {
            CONF_REGION: region.key,
            CONF_API_URL: region.api_url,
            CONF_MQTT_HOST: region.mqtt_host,
            CONF_MQTT_PORT: 8883,
        }
    blank = cloud_servers(
        {
            CONF_REGION: "china",
            SECTION_ADVANCED: {
                CONF_API_URL: " ",
                CONF_MQTT_HOST: "",
                CONF_MQTT_PORT: 1,
                CONF_CA_CERT: "  ",
            },
        }
    )
    assert blank[CONF_API_URL] == CHINA.api_url
    assert CONF_CA_CERT not in blank


@pytest.mark.parametrize(
    ("advanced", "error"),
    [
        ({CONF_API_URL: "ftp://127.0.0.1"}, "invalid_url"),
        ({CONF_API_URL: "http://[broken"}, "invalid_url"),
        ({CONF_API_URL: "not a url"}, "invalid_url"),
        ({CONF_CA_CERT: "hello"}, "invalid_ca_cert"),
        ({CONF_CA_CERT: PEM_LIKE_JUNK}, "invalid_ca_cert"),
        ({CONF_CA_CERT: "-----BEGIN CERTIFICATE-----\nü\n"}, "invalid_ca_cert"),
    ],
)
async def test_server_settings_are_checked(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,
    advanced: dict[str, str],
    error: str,
) -> None:
    result = await start(hass, "cloud")
    user_input = cloud_input(fake_cloud)
    user_input[SECTION_ADVANCED].update(advanced)

    result = await configure(hass, result, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "cloud"
    assert result["errors"] == {"base": error}
    assert fake_cloud.seen == []  # refused before anything was sent
    assert suggested(result, CONF_EMAIL) == DIRECT  # the input is kept

    result = await configure(hass, result, cloud_input(fake_cloud))
    assert result["step_id"] == "printers"


@pytest.mark.parametrize(
    ("fault", "error", "placeholders"),
    [
        (None, "invalid_auth", {}),
        (Fault.RATE_LIMITED, "rate_limited", {"retry_after": "7"}),
        (Fault.SERVER_ERROR, "cannot_connect", {}),
        (Fault.INVALID_JSON, "unknown", {}),
    ],
)
async def test_login_errors_recover(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
    fault: Fault | None,
    error: str,
    placeholders: dict[str, str],
) -> None:
    result = await start(hass, "cloud")
    if fault is None:
        user_input = cloud_input(fake_cloud, password="wrong")
    else:
        fake_cloud.fail(LOGIN, fault)
        user_input = cloud_input(fake_cloud)

    result = await configure(hass, result, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "cloud"
    assert result["errors"] == {"base": error}
    assert result["description_placeholders"] == placeholders
    assert ("Unexpected answer from the Bambu cloud" in caplog.text) is (
        error == "unknown"
    )

    fake_cloud.clear_fault()
    result = await configure(hass, result, cloud_input(fake_cloud))
    assert result["step_id"] == "printers"


async def test_rate_limit_without_retry_after(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.retry_after = None
    fake_cloud.fail(LOGIN, Fault.RATE_LIMITED)
    result = await login(hass, fake_cloud)
    assert result["errors"] == {"base": "rate_limited"}
    # Bambu counts logins per minute: wait a minute.
    assert result["description_placeholders"] == {"retry_after": "60"}


async def test_unreachable_cloud(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    result = await start(hass, "cloud")
    user_input = cloud_input(fake_cloud)
    user_input[SECTION_ADVANCED][CONF_API_URL] = f"http://127.0.0.1:{free_port()}"
    result = await configure(hass, result, user_input)
    assert result["errors"] == {"base": "cannot_connect"}


async def test_duplicate_account_aborts(
    hass: HomeAssistant, fake_cloud: FakeCloud, mock_setup_entry: AsyncMock
) -> None:
    cloud_entry(fake_cloud).add_to_hass(hass)
    result = await login(hass, fake_cloud)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    assert fake_cloud.requests_to(BIND) == []  # stopped at the uid
    assert mock_setup_entry.mock_calls == []


async def test_failure_after_login_starts_over(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.fail(BIND, Fault.SERVER_ERROR)
    result = await login(hass, fake_cloud)

    # Back to the password: a used code would not work again.
    assert result["step_id"] == "cloud"
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested(result, CONF_EMAIL) == DIRECT
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_API_URL}") == (
        fake_cloud.base_url
    )

    fake_cloud.clear_fault()
    result = await configure(hass, result, cloud_input(fake_cloud))
    assert result["step_id"] == "printers"


async def test_refused_token_after_login(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.fail(BIND, Fault.UNAUTHORIZED)
    result = await login(hass, fake_cloud)
    assert result["step_id"] == "cloud"
    assert result["errors"] == {"base": "token_expired"}


# --- verification codes ------------------------------------------------------------------


async def test_email_code_login(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    result = await login(hass, fake_cloud, CODED)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "code"
    assert result["description_placeholders"] == {"account": CODED}
    assert result["errors"] == {}
    assert fake_cloud.sent == [("email", CODED)]  # sent before the form shows

    code = fake_cloud.last_code(CODED)
    result = await configure(hass, result, {CONF_CODE: f" {code} "})

    assert result["step_id"] == "printers"
    result = await configure(hass, result, {})
    entry = result["result"]
    assert entry.title == "c***@example.com"
    assert entry.unique_id == str(UID + 1)
    assert fake_cloud.tokens[entry.data[CONF_TOKEN]] == CODED
    assert code not in json.dumps(dict(entry.data))
    assert PASSWORD not in json.dumps(dict(entry.data))


async def test_phone_account_gets_an_sms(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, PHONE)
    assert result["step_id"] == "code"
    assert fake_cloud.sent == [("phone", PHONE)]

    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(PHONE)})
    result = await configure(hass, result, {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == account_title(PHONE)
    assert result["result"].data[CONF_EMAIL] == PHONE


async def test_wrong_code_then_the_right_one(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, CODED)
    code = fake_cloud.last_code(CODED)
    assert code is not None
    wrong = "000000" if code != "000000" else "111111"

    result = await configure(hass, result, {CONF_CODE: wrong})
    assert result["step_id"] == "code"
    assert result["errors"] == {"base": "invalid_code"}

    result = await configure(hass, result, {CONF_CODE: code})
    assert result["step_id"] == "printers"


async def test_empty_code_is_not_sent(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, CODED)
    logins = len(fake_cloud.requests_to(LOGIN))

    result = await configure(hass, result, {CONF_CODE: "  "})

    assert result["errors"] == {"base": "invalid_code"}
    assert len(fake_cloud.requests_to(LOGIN)) == logins
    assert fake_cloud.sent == [("email", CODED)]


async def test_expired_code_sends_a_new_one(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, CODED)
    expired = fake_cloud.expire_code(CODED)

    result = await configure(hass, result, {CONF_CODE: expired})

    assert result["step_id"] == "code"
    assert result["errors"] == {"base": "code_expired"}
    assert result["description_placeholders"] == {"account": CODED}
    assert fake_cloud.sent == [("email", CODED), ("email", CODED)]
    fresh = fake_cloud.last_code(CODED)
    assert fresh is not None

    result = await configure(hass, result, {CONF_CODE: fresh})
    assert result["step_id"] == "printers"


async def test_new_code_on_request(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    result = await login(hass, fake_cloud, CODED)
    first = fake_cloud.last_code(CODED)
    assert fields(result)[CONF_SEND_NEW_CODE]["default"] is False

    # The code field is ignored when a new code is asked for.
    result = await configure(hass, result, {CONF_CODE: first, CONF_SEND_NEW_CODE: True})

    assert result["step_id"] == "code"
    assert result["errors"] == {"base": "code_sent"}
    assert len(fake_cloud.sent) == 2
    assert len(fake_cloud.requests_to(LOGIN)) == 1  # the password only
    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})
    assert result["step_id"] == "printers"


async def test_new_code_refused_then_sent(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, CODED)
    fake_cloud.fail(SEND_EMAIL, Fault.RATE_LIMITED)

    result = await configure(hass, result, {CONF_SEND_NEW_CODE: True})

    assert result["errors"] == {"base": "rate_limited"}
    assert result["description_placeholders"] == {
        "account": CODED,
        "retry_after": "7",
    }
    fake_cloud.clear_fault()
    result = await configure(hass, result, {CONF_SEND_NEW_CODE: True})
    assert result["errors"] == {"base": "code_sent"}


async def test_sending_the_first_code_fails(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.fail(SEND_EMAIL, Fault.SERVER_ERROR)
    result = await login(hass, fake_cloud, CODED)
    assert result["step_id"] == "cloud"
    assert result["errors"] == {"base": "cannot_connect"}

    fake_cloud.clear_fault()
    result = await configure(hass, result, cloud_input(fake_cloud, CODED))
    assert result["step_id"] == "code"


async def test_code_login_cloud_down(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    result = await login(hass, fake_cloud, CODED)
    fake_cloud.fail(LOGIN, Fault.SERVER_ERROR)
    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})
    assert result["step_id"] == "code"
    assert result["errors"] == {"base": "cannot_connect"}

    fake_cloud.clear_fault()
    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})
    assert result["step_id"] == "printers"


# --- authenticator app --------------------------------------------------------------------


async def test_tfa_login(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    result = await login(hass, fake_cloud, TFA_USER)
    assert result["step_id"] == "tfa"
    assert result["description_placeholders"] == {"account": TFA_USER}
    assert fake_cloud.sent == []  # no email for an authenticator account

    result = await configure(hass, result, {CONF_CODE: "135790"})
    assert result["step_id"] == "tfa"
    assert result["errors"] == {"base": "invalid_code"}

    result = await configure(hass, result, {CONF_CODE: fake_cloud.tfa_code})
    assert result["step_id"] == "printers"
    result = await configure(hass, result, {})
    assert result["result"].unique_id == str(UID + 3)
    assert fake_cloud.tokens[result["result"].data[CONF_TOKEN]] == TFA_USER


async def test_blocked_tfa_falls_back_to_an_email_code(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.tfa_blocked = True
    result = await login(hass, fake_cloud, TFA_USER)

    result = await configure(hass, result, {CONF_CODE: fake_cloud.tfa_code})

    assert result["step_id"] == "code"
    assert result["errors"] == {"base": "tfa_unavailable"}  # says why
    assert result["description_placeholders"] == {"account": TFA_USER}
    assert fake_cloud.sent == [("email", TFA_USER)]

    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(TFA_USER)})
    assert result["step_id"] == "printers"
    result = await configure(hass, result, {})
    assert result["result"].unique_id == str(UID + 3)


async def test_tfa_fallback_code_not_sent(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    fake_cloud.tfa_blocked = True
    result = await login(hass, fake_cloud, TFA_USER)
    fake_cloud.fail(SEND_EMAIL, Fault.SERVER_ERROR)

    result = await configure(hass, result, {CONF_CODE: fake_cloud.tfa_code})

    assert result["step_id"] == "tfa"
    assert result["errors"] == {"base": "cannot_connect"}
    fake_cloud.clear_fault()
    result = await configure(hass, result, {CONF_CODE: fake_cloud.tfa_code})
    assert result["step_id"] == "code"


# --- printer on the network ---------------------------------------------------------------


async def test_lan_form(hass: HomeAssistant) -> None:
    result = await start(hass, "lan")
    shown = fields(result)
    assert shown[CONF_ACCESS_CODE]["selector"]["text"]["type"] == "password"
    assert shown[SECTION_ADVANCED]["expanded"] is False
    assert shown[f"{SECTION_ADVANCED}/{CONF_PORT}"]["default"] == 8883
    assert shown[f"{SECTION_ADVANCED}/{CONF_CAMERA_PORT}"]["default"] == 6000
    assert shown[f"{SECTION_ADVANCED}/{CONF_FTP_PORT}"]["default"] == 990
    assert f"{SECTION_ADVANCED}/{CONF_CA_CERT}" in shown


async def test_lan_printer_is_added(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
    mock_setup_entry: AsyncMock,
) -> None:
    result = await start(hass, "lan")
    user_input = lan_input(broker, pki, serial=f" {SERIAL.lower()} ")
    user_input[CONF_ACCESS_CODE] = f" {ACCESS_CODE} "

    result = await configure(hass, result, user_input)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"P1P {SERIAL}"
    entry = result["result"]
    assert entry.unique_id == SERIAL
    assert entry.data == {
        CONF_KIND: "lan",
        CONF_HOST: broker.host,
        CONF_SERIAL: SERIAL,
        CONF_ACCESS_CODE: ACCESS_CODE,
        CONF_PORT: broker.port("local"),
        CONF_CAMERA_PORT: 6001,
        CONF_FTP_PORT: 9990,
        CONF_CA_CERT: pki.ca.cert_pem.strip(),
    }
    assert entry.options == {}
    assert len(printer.commands("get_version")) == 1  # the check asked once
    assert len(mock_setup_entry.mock_calls) == 1


async def test_lan_printer_of_unknown_model(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
) -> None:
    printer.get_version = {"info": {"command": "get_version", "module": []}}
    result = await start(hass, "lan")
    result = await configure(hass, result, lan_input(broker, pki))
    assert result["title"] == f"Bambu Lab printer {SERIAL}"


async def test_lan_default_ports(hass: HomeAssistant) -> None:
    """Without the advanced section the printer's standard ports are used."""
    result = await start(hass, "lan")
    result = await configure(
        hass,
        result,
        {CONF_HOST: " ", CONF_SERIAL: SERIAL, CONF_ACCESS_CODE: ACCESS_CODE},
    )
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    advanced = f"{SECTION_ADVANCED}/"
    assert suggested(result, advanced + CONF_PORT) == 8883
    assert suggested(result, advanced + CONF_CAMERA_PORT) == 6000
    assert suggested(result, advanced + CONF_FTP_PORT) == 990
    assert suggested(result, advanced + CONF_CA_CERT) is None


@pytest.mark.parametrize(
    ("change", "error", "placeholders"),
    [
        ({"access_code": "wrong123"}, "invalid_access_code", {}),
        ({"listener": "rogue"}, "tls_failed", {}),
        (
            {"listener": "local2"},
            "serial_mismatch",
            {"expected": SERIAL, "actual": SERIAL2},
        ),
        ({"port": "closed"}, "cannot_connect", {}),
        ({"port": "refusing"}, "unknown", {}),
        ({}, "timeout_connect", {}),  # the printer is not running yet
    ],
)
async def test_lan_errors_recover(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, str],
    error: str,
    placeholders: dict[str, str],
) -> None:
    # A silent printer is waited for this long instead of ten seconds.
    monkeypatch.setattr(flow_helpers, "PROBE_TIMEOUT", 0.5)
    caplog.set_level(logging.DEBUG, logger="custom_components.bambu_cloud")
    result = await start(hass, "lan")

    async with refusing_printer(pki) as refusing_port:
        port = {"closed": free_port(), "refusing": refusing_port}.get(
            change.get("port", "")
        )
        kwargs = {k: v for k, v in change.items() if k != "port"}
        result = await configure(
            hass, result, lan_input(broker, pki, port=port, **kwargs)
        )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "lan"
    assert result["errors"] == {"base": error}
    for key, value in placeholders.items():
        assert result["description_placeholders"][key] == value
    # What was typed stays in the form.
    assert suggested(result, CONF_SERIAL) == SERIAL
    unusual = [
        r
        for r in caplog.records
        if r.name == "custom_components.bambu_cloud" and r.levelno >= logging.WARNING
    ]
    assert bool(unusual) is (error == "unknown")
    assert hass.config_entries.async_entries(DOMAIN) == []

    async with _running(_printer(broker, pki)):
        result = await configure(hass, result, lan_input(broker, pki))
    assert result["type"] is FlowResultType.CREATE_ENTRY


def test_every_probe_failure_has_an_error() -> None:
    assert set(PROBE_ERRORS) == set(ConnectionFailure)
    for key in PROBE_ERRORS.values():
        assert key in STRINGS["config"]["error"]
        assert key in STRINGS["options"]["error"]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({CONF_SERIAL: "01P/+#"}, {CONF_SERIAL: "invalid_serial"}),
        ({CONF_SERIAL: ""}, {CONF_SERIAL: "invalid_serial"}),
        ({CONF_HOST: "  "}, {CONF_HOST: "invalid_host"}),
        ({SECTION_ADVANCED: {CONF_CA_CERT: "junk"}}, {"base": "invalid_ca_cert"}),
    ],
)
async def test_lan_input_is_checked(
    hass: HomeAssistant, change: dict[str, Any], errors: dict[str, str]
) -> None:
    result = await start(hass, "lan")
    user_input = {
        CONF_HOST: "127.0.0.1",
        CONF_SERIAL: SERIAL,
        CONF_ACCESS_CODE: ACCESS_CODE,
        **change,
    }
    result = await configure(hass, result, user_input)
    assert result["step_id"] == "lan"
    assert result["errors"] == errors


async def test_duplicate_printer_aborts_before_connecting(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    MockConfigEntry(
        domain=DOMAIN, unique_id=SERIAL, data={CONF_KIND: "lan"}
    ).add_to_hass(hass)
    result = await start(hass, "lan")
    # Nothing listens there: a connection attempt would be an error, not an abort.
    result = await configure(
        hass,
        result,
        {
            CONF_HOST: "127.0.0.1",
            CONF_SERIAL: SERIAL.lower(),
            CONF_ACCESS_CODE: ACCESS_CODE,
            SECTION_ADVANCED: {CONF_PORT: free_port()},
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_setup_entry.mock_calls == []


# --- re-authentication ------------------------------------------------------------------


async def test_reauth_account(
    hass: HomeAssistant, fake_cloud: FakeCloud, mock_setup_entry: AsyncMock
) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    old_token = entry.data[CONF_TOKEN]
    fake_cloud.tokens.pop(old_token)  # the cloud stopped accepting it

    result = checked(await entry.start_reauth_flow(hass))
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == DIRECT
    assert list(fields(result)) == [CONF_PASSWORD]

    result = await configure(hass, result, {CONF_PASSWORD: "wrong"})
    assert result["errors"] == {"base": "invalid_auth"}
    assert result["description_placeholders"]["account"] == DIRECT

    result = await configure(hass, result, {CONF_PASSWORD: PASSWORD})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    new_token = entry.data[CONF_TOKEN]
    assert new_token != old_token
    assert fake_cloud.tokens[new_token] == DIRECT
    assert entry.data == {
        **cloud_data(fake_cloud, DIRECT, UID, new_token),
        **renewal_data(fake_cloud, entry.data, DIRECT),
    }
    assert PASSWORD not in json.dumps(dict(entry.data))
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1  # reloaded


async def test_reauth_with_a_code(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    entry = cloud_entry(fake_cloud, CODED, UID + 1)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await configure(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["step_id"] == "code"

    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})

    assert result["reason"] == "reauth_successful"
    assert fake_cloud.tokens[entry.data[CONF_TOKEN]] == CODED


async def test_reauth_with_another_account_aborts(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud, unique_id="7654321")
    entry.add_to_hass(hass)
    token = entry.data[CONF_TOKEN]
    result = await entry.start_reauth_flow(hass)

    result = await configure(hass, result, {CONF_PASSWORD: PASSWORD})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_TOKEN] == token


async def test_reauth_failure_after_login(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    fake_cloud.fail(PREFERENCE, Fault.SERVER_ERROR)
    result = await entry.start_reauth_flow(hass)

    result = await configure(hass, result, {CONF_PASSWORD: PASSWORD})

    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "cannot_connect"}
    fake_cloud.clear_fault()
    result = await configure(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["reason"] == "reauth_successful"


async def test_reauth_lan_printer(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
    mock_setup_entry: AsyncMock,
) -> None:
    entry = lan_entry(broker, pki)
    entry.add_to_hass(hass)

    result = checked(await entry.start_reauth_flow(hass))
    assert result["step_id"] == "reauth_lan"
    assert result["description_placeholders"] == {"name": f"P1P {SERIAL}"}
    assert list(fields(result)) == [CONF_ACCESS_CODE]

    result = await configure(hass, result, {CONF_ACCESS_CODE: "wrong123"})
    assert result["errors"] == {"base": "invalid_access_code"}

    result = await configure(hass, result, {CONF_ACCESS_CODE: ACCESS_CODE})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_ACCESS_CODE] == ACCESS_CODE
    assert entry.data[CONF_PORT] == broker.port("local")
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


# --- reconfiguration ----------------------------------------------------------------------


async def test_reconfigure_account(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,
    pki: SimulatorPki,
    mock_setup_entry: AsyncMock,
) -> None:
    entry = cloud_entry(fake_cloud, **{CONF_CA_CERT: pki.ca.cert_pem})
    entry.add_to_hass(hass)

    result = checked(await entry.start_reconfigure_flow(hass))

    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"account": DIRECT}
    assert CONF_EMAIL not in fields(result)  # the account stays the same
    assert suggested(result, CONF_REGION) == "global"
    advanced = f"{SECTION_ADVANCED}/"
    assert suggested(result, advanced + CONF_API_URL) == fake_cloud.base_url
    assert suggested(result, advanced + CONF_MQTT_HOST) is None  # the region's
    assert suggested(result, advanced + CONF_CA_CERT) == pki.ca.cert_pem

    result = await configure(
        hass,
        result,
        {
            CONF_REGION: "china",
            CONF_PASSWORD: PASSWORD,
            SECTION_ADVANCED: {CONF_API_URL: fake_cloud.base_url, CONF_MQTT_PORT: 1884},
        },
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    token = entry.data[CONF_TOKEN]
    assert fake_cloud.tokens[token] == DIRECT
    assert entry.data == {
        **cloud_data(fake_cloud, DIRECT, UID, token),
        **renewal_data(fake_cloud, entry.data, DIRECT),
        CONF_REGION: "china",
        CONF_MQTT_HOST: CHINA.mqtt_host,
        CONF_MQTT_PORT: 1884,
    }  # and the CA certificate cleared
    assert entry.unique_id == str(UID)
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reconfigure_form_of_real_servers(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(
        fake_cloud,
        **{
            CONF_REGION: "china",
            CONF_API_URL: CHINA.api_url,
            CONF_MQTT_HOST: CHINA.mqtt_host,
        },
    )
    entry.add_to_hass(hass)
    result = checked(await entry.start_reconfigure_flow(hass))
    assert suggested(result, CONF_REGION) == "china"
    # The region's servers are not prefilled, so another region takes effect.
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_API_URL}") is None
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_MQTT_HOST}") is None


async def test_reconfigure_account_errors_and_code(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud, CODED, UID + 1)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)

    def reconfigure_input(**advanced: Any) -> dict[str, Any]:
        return {
            CONF_REGION: "global",
            CONF_PASSWORD: PASSWORD,
            SECTION_ADVANCED: {CONF_API_URL: fake_cloud.base_url, **advanced},
        }

    result = await configure(hass, result, reconfigure_input(**{CONF_API_URL: "x"}))
    assert result["errors"] == {"base": "invalid_url"}
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_API_URL}") == "x"

    result = await configure(hass, result, {**reconfigure_input(), CONF_PASSWORD: "no"})
    assert result["errors"] == {"base": "invalid_auth"}

    result = await configure(hass, result, reconfigure_input())
    assert result["step_id"] == "code"
    fake_cloud.fail(PREFERENCE, Fault.SERVER_ERROR)
    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "cannot_connect"}

    fake_cloud.clear_fault()
    result = await configure(hass, result, reconfigure_input())
    result = await configure(hass, result, {CONF_CODE: fake_cloud.last_code(CODED)})
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_with_another_account_aborts(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud, unique_id="7654321")
    entry.add_to_hass(hass)
    data = dict(entry.data)
    result = await entry.start_reconfigure_flow(hass)
    result = await configure(
        hass,
        result,
        {
            CONF_REGION: "global",
            CONF_PASSWORD: PASSWORD,
            SECTION_ADVANCED: {CONF_API_URL: fake_cloud.base_url},
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == data


async def test_reconfigure_lan_printer(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
    mock_setup_entry: AsyncMock,
) -> None:
    entry = lan_entry(broker, pki, **{CONF_HOST: "192.0.2.1", CONF_PORT: 8883})
    entry.add_to_hass(hass)

    result = checked(await entry.start_reconfigure_flow(hass))

    assert result["step_id"] == "reconfigure_lan"
    assert result["description_placeholders"] == {"name": f"P1P {SERIAL}"}
    assert CONF_SERIAL not in fields(result)
    assert suggested(result, CONF_HOST) == "192.0.2.1"
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_PORT}") == 8883
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_CA_CERT}") == pki.ca.cert_pem

    user_input = lan_input(broker, pki)
    del user_input[CONF_SERIAL]
    for change, errors in (
        ({CONF_HOST: ""}, {CONF_HOST: "invalid_host"}),
        (
            {SECTION_ADVANCED: {**user_input[SECTION_ADVANCED], CONF_CA_CERT: "x"}},
            {"base": "invalid_ca_cert"},
        ),
        (  # another printer answers there: its serial must match the entry's
            {
                SECTION_ADVANCED: {
                    **user_input[SECTION_ADVANCED],
                    CONF_PORT: broker.port("local2"),
                }
            },
            {"base": "serial_mismatch"},
        ),
    ):
        result = await configure(hass, result, {**user_input, **change})
        assert result["step_id"] == "reconfigure_lan"
        assert result["errors"] == errors

    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_PORT}") == broker.port("local2")
    assert result["description_placeholders"]["actual"] == SERIAL2

    result = await configure(hass, result, user_input)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        CONF_KIND: "lan",
        CONF_SERIAL: SERIAL,
        CONF_HOST: broker.host,
        CONF_ACCESS_CODE: ACCESS_CODE,
        CONF_PORT: broker.port("local"),
        CONF_CAMERA_PORT: 6001,
        CONF_FTP_PORT: 9990,
        CONF_CA_CERT: pki.ca.cert_pem.strip(),
    }
    assert entry.unique_id == SERIAL
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


# --- options ---------------------------------------------------------------------------------


async def options_configure(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Submit an options form."""
    return checked(
        await hass.config_entries.options.async_configure(
            result["flow_id"], user_input
        ),
        "options",
    )


async def options_start(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ConfigFlowResult:
    return checked(
        await hass.config_entries.options.async_init(entry.entry_id), "options"
    )


async def test_account_options(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        options={
            CONF_IGNORED: [SERIAL2],
            CONF_PRINTERS: {SERIAL: {CONF_CAMERA: False}},
        },
    )

    result = await options_start(hass, entry)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"
    assert result["errors"] == {}
    shown = fields(result)
    assert shown[CONF_DEVICE_LIST_INTERVAL]["default"] == 5
    assert shown[CONF_DEVICE_LIST_INTERVAL]["selector"]["number"]["min"] == 1
    assert shown[CONF_DEVICE_LIST_INTERVAL]["selector"]["number"]["max"] == 60
    assert shown[CONF_SELECTED_PRINTERS]["default"] == [SERIAL]  # SERIAL2 ignored
    assert shown[CONF_CONFIGURE_PRINTER]["selector"]["select"]["options"] == [
        {"value": SERIAL, "label": "Workshop (P1P)"},
        {"value": SERIAL2, "label": "Office (X1 Carbon)"},
    ]

    result = await options_configure(
        hass,
        result,
        {CONF_DEVICE_LIST_INTERVAL: 15.0, CONF_SELECTED_PRINTERS: [SERIAL2]},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_DEVICE_LIST_INTERVAL: 15,
        CONF_IGNORED: [SERIAL],
        CONF_PRINTERS: {SERIAL: {CONF_CAMERA: False}},
    }


async def test_account_options_without_printers(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud, EMPTY, UID + 4)
    entry.add_to_hass(hass)
    result = await options_start(hass, entry)
    assert list(fields(result)) == [CONF_DEVICE_LIST_INTERVAL]
    result = await options_configure(hass, result, {CONF_DEVICE_LIST_INTERVAL: 60})
    assert entry.options == {CONF_DEVICE_LIST_INTERVAL: 60, CONF_IGNORED: []}


@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.SERVER_ERROR, "cannot_connect"), (Fault.UNAUTHORIZED, "token_expired")],
)
async def test_account_options_cloud_down(
    hass: HomeAssistant, fake_cloud: FakeCloud, fault: Fault, error: str
) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    options = {CONF_DEVICE_LIST_INTERVAL: 5, CONF_IGNORED: [SERIAL2]}
    hass.config_entries.async_update_entry(entry, options=options)
    fake_cloud.fail(BIND, fault)

    result = await options_start(hass, entry)

    assert result["errors"] == {"base": error}
    # Printer settings need the device list; the interval does not.
    assert list(fields(result)) == [CONF_DEVICE_LIST_INTERVAL]
    result = await options_configure(hass, result, {CONF_DEVICE_LIST_INTERVAL: 30})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {**options, CONF_DEVICE_LIST_INTERVAL: 30}


async def test_options_rate_limited(hass: HomeAssistant, fake_cloud: FakeCloud) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    fake_cloud.fail(BIND, Fault.RATE_LIMITED)
    result = await options_start(hass, entry)
    assert result["errors"] == {"base": "rate_limited"}
    assert result["description_placeholders"] == {"retry_after": "7"}


async def test_printer_options_local_connection(
    hass: HomeAssistant,
    fake_cloud: FakeCloud,
    broker: MosquittoBroker,
    pki: SimulatorPki,
    printer: FakePrinter,
) -> None:
    # The account's CA certificate is trusted for its printers too.
    entry = cloud_entry(fake_cloud, **{CONF_CA_CERT: pki.ca.cert_pem})
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, options={CONF_PRINTERS: {SERIAL2: {CONF_CAMERA: True}}}
    )
    result = await options_start(hass, entry)
    result = await options_configure(
        hass,
        result,
        {
            CONF_DEVICE_LIST_INTERVAL: 10,
            CONF_SELECTED_PRINTERS: [SERIAL, SERIAL2],
            CONF_CONFIGURE_PRINTER: SERIAL,
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "printer"
    assert result["description_placeholders"] == {"name": "Workshop (P1P)"}
    assert suggested(result, CONF_HOST) is None  # cloud only so far
    assert suggested(result, CONF_ACCESS_CODE) == ACCESS_CODE  # from the cloud
    assert suggested(result, CONF_CAMERA) is True
    assert fields(result)[f"{SECTION_ADVANCED}/{CONF_PORT}"]["default"] == 8883

    local = {
        CONF_HOST: broker.host,
        CONF_ACCESS_CODE: "wrong123",
        CONF_CAMERA: True,
        SECTION_ADVANCED: {CONF_PORT: broker.port("local")},
    }
    result = await options_configure(hass, result, local)
    assert result["step_id"] == "printer"
    assert result["errors"] == {"base": "invalid_access_code"}
    assert suggested(result, CONF_HOST) == broker.host  # kept

    result = await options_configure(
        hass, result, {**local, CONF_ACCESS_CODE: ACCESS_CODE}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_DEVICE_LIST_INTERVAL: 10,
        CONF_IGNORED: [],
        CONF_PRINTERS: {
            SERIAL2: {CONF_CAMERA: True},
            SERIAL: {
                CONF_HOST: broker.host,
                CONF_ACCESS_CODE: ACCESS_CODE,
                CONF_PORT: broker.port("local"),
                CONF_CAMERA_PORT: 6000,
                CONF_FTP_PORT: 990,
                CONF_CAMERA: True,
                CONF_USE_LAN: True,
            },
        },
    }
    assert printer.commands("get_version")


async def test_printer_options_cloud_only(
    hass: HomeAssistant, fake_cloud: FakeCloud
) -> None:
    entry = cloud_entry(fake_cloud)
    entry.add_to_hass(hass)
    local = {
        CONF_HOST: "192.0.2.7",
        CONF_ACCESS_CODE: "11112222",
        CONF_PORT: 8884,
        CONF_CAMERA_PORT: 6000,
        CONF_FTP_PORT: 990,
        CONF_CAMERA: True,
    }
    hass.config_entries.async_update_entry(
        entry, options={CONF_PRINTERS: {SERIAL2: local}}
    )
    result = await options_start(hass, entry)
    result = await options_configure(
        hass,
        result,
        {
            CONF_DEVICE_LIST_INTERVAL: 5,
            CONF_SELECTED_PRINTERS: [SERIAL, SERIAL2],
            CONF_CONFIGURE_PRINTER: SERIAL2,
        },
    )
    # The stored local settings are shown, not the cloud's access code.
    assert suggested(result, CONF_HOST) == "192.0.2.7"
    assert suggested(result, CONF_ACCESS_CODE) == "11112222"
    assert suggested(result, f"{SECTION_ADVANCED}/{CONF_PORT}") == 8884

    # An empty address: the one the printer reports, nothing to check.
    result = await options_configure(hass, result, {CONF_CAMERA: False})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_PRINTERS] == {
        SERIAL2: {CONF_CAMERA: False, CONF_USE_LAN: True}
    }

    # Never the LAN: an address given is neither checked nor kept.
    result = await options_start(hass, entry)
    result = await options_configure(
        hass,
        result,
        {
            CONF_DEVICE_LIST_INTERVAL: 5,
            CONF_SELECTED_PRINTERS: [SERIAL, SERIAL2],
            CONF_CONFIGURE_PRINTER: SERIAL2,
        },
    )
    assert suggested(result, CONF_USE_LAN) is True
    result = await options_configure(
        hass,
        result,
        {CONF_HOST: "192.0.2.7", CONF_CAMERA: True, CONF_USE_LAN: False},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_PRINTERS] == {
        SERIAL2: {CONF_CAMERA: True, CONF_USE_LAN: False}
    }


async def test_lan_options(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SERIAL, data={CONF_KIND: "lan", CONF_SERIAL: SERIAL}
    )
    entry.add_to_hass(hass)

    result = await options_start(hass, entry)

    assert result["step_id"] == "lan"
    assert list(fields(result)) == [CONF_CAMERA, *COST_KEYS]  # test_job_costs
    assert fields(result)[CONF_CAMERA]["default"] is True
    result = await options_configure(hass, result, {CONF_CAMERA: False})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_CAMERA: False}

    result = await options_start(hass, entry)
    assert fields(result)[CONF_CAMERA]["default"] is False


# --- shared helpers and texts -----------------------------------------------------------------


async def test_connection_helpers(hass: HomeAssistant, pki: SimulatorPki) -> None:
    china = cloud_client(hass, {CONF_REGION: "china", CONF_TOKEN: "t"})
    assert china.base_url == CHINA.api_url
    assert china.tfa_url == CHINA.tfa_url
    assert china.token == "t"
    assert cloud_client(hass, {}).base_url == GLOBAL.api_url
    simulator = cloud_client(hass, {CONF_API_URL: "http://127.0.0.1:9"})
    assert simulator.tfa_url == "http://127.0.0.1:9/api/sign-in/tfa"
    assert simulator.token is None

    bundled = mqtt_ssl_context({}, local=True)
    assert len(bundled.get_ca_certs()) == BAMBU_CA_PEM.count("BEGIN CERTIFICATE")
    assert bundled.check_hostname is False
    custom = mqtt_ssl_context({CONF_CA_CERT: pki.ca.cert_pem}, local=True)
    assert len(custom.get_ca_certs()) == 1
    assert mqtt_ssl_context({CONF_CA_CERT: ""}, local=False) is client_context()
    cloud = mqtt_ssl_context({CONF_CA_CERT: pki.ca.cert_pem}, local=False)
    assert cloud.check_hostname is True
    assert len(cloud.get_ca_certs()) == 1


def test_translations_match_strings() -> None:
    text = STRINGS_PATH.read_text(encoding="utf-8")
    translations = STRINGS_PATH.parent / "translations" / "en.json"
    assert json.loads(translations.read_text(encoding="utf-8")) == STRINGS
    # Custom integrations cannot resolve references to Home Assistant's strings.
    assert "[%key:" not in text
    assert {"config", "options", "selector", "entity", "exceptions"} <= set(STRINGS)

    def texts(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from texts(value)
        else:
            yield node

    for string in texts(STRINGS):
        assert string
        assert string == string.strip(), string
        # Home Assistant's rules: URLs belong in placeholders, not in texts.
        assert not re.search(r"https?://", string), string
        assert not re.search(r"'\{\w+\}'", string), string


@pytest.mark.parametrize(
    ("account", "title"),
    [
        ("maker@example.com", "m***@example.com"),
        ("+4915112345678", "+49***78"),
    ],
)
def test_account_title_hides_the_address(account: str, title: str) -> None:
    """Entry titles reach the log; the address must not."""
    assert account_title(account) == title
