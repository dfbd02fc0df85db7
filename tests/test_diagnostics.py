"""Diagnostics: what they hold, and that no secret leaves."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_IGNORED,
    CONF_KNOWN_PRINTERS,
    CONF_PRINTERS,
)
from custom_components.bambu_cloud.diagnostics import redact_secrets
from simulator.cloud import FakeCloud
from tests.cloud_helpers import (
    CLOUD_ACCESS_CODE,
    CLOUD_SERIAL,
    EMAIL,
    UID,
    cloud_entry,
    setup_cloud_capture,
)
from tests.common import get_version
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.snapshot_helpers import ha_snapshot

LAN_ACCESS_CODE = "12345678"  # conftest's LAN entry
LAN_IP = "192.0.2.10"
OPTION_ACCESS_CODE = "13572468"
IGNORED_SERIAL = "01P00A000000099"


def _module_serials(capture: str) -> set[str]:
    return {
        m["sn"]
        for m in get_version(capture)["info"]["module"]
        if m.get("sn") and m["sn"] != "**REDACTED**"
    }


async def test_lan_entry(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    entry, _link = await setup_capture(hass, "x1c-multi-ams")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == ha_snapshot(snapshot)

    (printer,) = diagnostics["printers"]  # type: ignore[misc]
    assert printer["model"] == "X1C"
    assert printer["available"] is True
    assert printer["report"]["gcode_state"] == "FINISH"
    assert printer["report"]["net"]["info"][0]["ip"] == "**REDACTED**"
    assert printer["version"]["module"][0]["sn"] == "**REDACTED**"
    assert diagnostics["device_list"] is None  # a LAN entry has none

    dump = json.dumps(diagnostics)
    secrets = {LAN_SERIAL, LAN_ACCESS_CODE, LAN_IP, *_module_serials("x1c-multi-ams")}
    assert len(secrets) > 4  # the AMS serials are there to find
    for secret in secrets:
        assert secret not in dump, secret
    # Redacting copies: the printer's live state keeps its values.
    state = entry.runtime_data.printers[LAN_SERIAL].data
    assert state.report["net"]["info"][0]["ip"] != "**REDACTED**"
    assert state.version_info["module"][0]["sn"] != "**REDACTED**"


async def test_cloud_entry(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    cloud: FakeCloud,
    hass_client: ClientSessionGenerator,
) -> None:
    entry = cloud_entry(
        cloud,
        **{
            CONF_PRINTERS: {
                CLOUD_SERIAL: {
                    CONF_HOST: "192.0.2.20",
                    CONF_ACCESS_CODE: OPTION_ACCESS_CODE,
                }
            },
            CONF_IGNORED: [IGNORED_SERIAL],
        },
    )
    await setup_cloud_capture(hass, entry, "p1p-ams")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    options: dict[str, Any] = diagnostics["entry"]["options"]  # type: ignore[index,assignment]
    # The per-printer options stay apart under a placeholder key.
    assert options[CONF_PRINTERS] == {
        "**REDACTED_1**": {CONF_HOST: "**REDACTED**", CONF_ACCESS_CODE: "**REDACTED**"}
    }
    assert options[CONF_IGNORED] == ["**REDACTED**"]
    (device,) = diagnostics["device_list"]  # type: ignore[misc]
    assert device["dev_product_name"] == "P1P"
    assert device["dev_id"] == "**REDACTED**"
    assert diagnostics["entry"]["title"] == "**REDACTED**"  # type: ignore[index]
    # The remembered device list names every printer, ignored ones too.
    assert diagnostics["entry"]["data"][CONF_KNOWN_PRINTERS] == "**REDACTED**"  # type: ignore[index]

    dump = json.dumps(diagnostics)
    token = entry.data["token"]
    for secret in (
        token,
        str(UID),
        EMAIL,
        CLOUD_SERIAL,
        CLOUD_ACCESS_CODE,
        OPTION_ACCESS_CODE,
        IGNORED_SERIAL,
        "192.0.2.20",
        *_module_serials("p1p-ams"),
    ):
        assert secret not in dump, secret


def test_redact_secrets() -> None:
    data = {
        "AAAA1111": {"name": "printer AAAA1111 in the shop", "code": "BBBB2222"},
        "BBBB2222": ("AAAA1111", 7, None),
        "list": [{"AAAA1111": True}],
        "short": "ab",
        3: "x",
    }
    assert redact_secrets(data, ["AAAA1111", "BBBB2222", "ab"]) == {
        "**REDACTED_1**": {
            "name": "printer **REDACTED** in the shop",
            "code": "**REDACTED**",
        },
        "**REDACTED_2**": ["**REDACTED**", 7, None],
        "list": [{"**REDACTED_1**": True}],
        "short": "**REDACTED**",
        3: "x",
    }
