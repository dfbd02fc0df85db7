"""The simulated firmware obeys issue 5's controls the way PrinterState reads them."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab import commands as cmd
from custom_components.bambu_cloud.aiobambulab.catalog import MODELS
from custom_components.bambu_cloud.aiobambulab.commands import Fan, LightNode
from custom_components.bambu_cloud.aiobambulab.option_views import PrintOption
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from simulator.firmware import PrinterFirmware
from tests.common import get_version, pushall


def make(printer: str) -> tuple[PrinterFirmware, PrinterState]:
    firmware = PrinterFirmware("SIM0001", pushall(printer), get_version(printer))
    state = PrinterState("SIM0001")
    for message in firmware.handle(cmd.get_version()) + firmware.handle(cmd.pushall()):
        state.apply(message)
    return firmware, state


def obey(
    firmware: PrinterFirmware, state: PrinterState, payload: dict[str, Any]
) -> dict[str, Any]:
    """Send a command, apply the delta it causes; return the reply's body."""
    [reply] = firmware.handle(payload)
    delta = firmware.pending_delta()
    if delta is not None:
        state.apply(delta)
    [body] = reply.values()
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize("option", list(PrintOption))
@pytest.mark.parametrize("printer", ["a1-ams-lite", "p2s"])
def test_print_options_round_trip(printer: str, option: PrintOption) -> None:
    firmware, state = make(printer)
    for on in (True, False, True):
        assert obey(firmware, state, cmd.set_print_option(option, on))["result"] == (
            "success"
        )
        assert state.print_option(option) is on
    # Sent signed, as the captures are.
    assert -(2**31) <= firmware.state["home_flag"] < 2**31


def test_print_option_keeps_the_other_bits() -> None:
    firmware, state = make("h2d-laser")
    before = firmware.state["home_flag"]
    cfg = firmware.state["cfg"]
    obey(firmware, state, cmd.set_print_option(PrintOption.PROMPT_SOUND, False))
    assert firmware.state["home_flag"] == before - (1 << 17)
    assert int(firmware.state["cfg"], 16) == int(cfg, 16) & ~(1 << 22)
    assert state.print_option(PrintOption.AUTO_RECOVERY) is True


def test_old_clients_send_auto_recovery_as_option() -> None:
    firmware, state = make("p1p-ams")
    answer = obey(firmware, state, {"print": {"command": "print_option", "option": 1}})
    assert answer["result"] == "success"
    assert state.print_option(PrintOption.AUTO_RECOVERY) is True


@pytest.mark.parametrize(
    "fields", [{}, {"sound_enable": "yes"}, {"air_purification": 1}]
)
def test_bad_print_options_fail(fields: dict[str, Any]) -> None:
    firmware, _state = make("a1-ams-lite")
    [reply] = firmware.handle({"print": {"command": "print_option", **fields}})
    assert reply["print"]["result"] == "failed"
    assert firmware.pending_delta() is None


def test_xcam_detectors() -> None:
    firmware, state = make("x1c-multi-ams")
    obey(firmware, state, cmd.set_xcam_module("buildplate_marker_detector", True))
    assert state.xcam_option("buildplate_marker_detector") is True
    obey(firmware, state, cmd.set_xcam_module("printing_monitor", False))
    assert state.xcam_option("printing_monitor") is False
    assert state.xcam_option("spaghetti_detector") is True  # untouched
    for payload in (
        {
            "xcam": {
                "command": "xcam_control_set",
                "module_name": "halt_print_sensitivity",
                "control": True,
            }
        },
        {
            "xcam": {
                "command": "xcam_control_set",
                "module_name": "first_layer_inspector",
                "control": "on",
            }
        },
    ):
        assert obey(firmware, state, payload)["result"] == "failed"


def test_xcam_on_a_printer_without_detectors() -> None:
    firmware, state = make("p1p-ams")
    answer = obey(firmware, state, cmd.set_xcam_module("spaghetti_detector", True))
    assert answer["result"] == "failed"


def test_buzzer() -> None:
    firmware, state = make("h2d-laser")
    assert firmware.buzzer_mode is None
    assert obey(firmware, state, cmd.stop_buzzer())["result"] == "success"
    assert firmware.buzzer_mode == 0
    for mode in (3, True, "0"):
        answer = obey(
            firmware, state, {"print": {"command": "buzzer_ctrl", "mode": mode}}
        )
        assert answer["result"] == "failed"
    assert firmware.buzzer_mode == 0


def test_airduct() -> None:
    firmware, state = make("h2d-laser")
    assert obey(firmware, state, cmd.set_airduct_mode(1))["result"] == "success"
    assert state.airduct_mode == 1
    assert obey(firmware, state, cmd.set_airduct_mode(5))["result"] == "failed"
    assert state.airduct_mode == 1
    firmware, state = make("x1c-multi-ams")
    assert obey(firmware, state, cmd.set_airduct_mode(0))["result"] == "failed"


def test_both_chamber_lamps_of_an_h2d() -> None:
    firmware, state = make("h2d-laser")
    for node in (LightNode.CHAMBER, LightNode.CHAMBER_2):
        obey(firmware, state, cmd.set_light(False, node))
    assert state.light_on("chamber_light") is False
    assert state.light_on("chamber_light2") is False
    assert state.light_on("work_light") is True  # flashing, untouched


@pytest.mark.parametrize("percent", range(0, 101, 10))
def test_every_fan_step_reads_back_the_same(percent: int) -> None:
    firmware, state = make("a1-ams-lite")  # legacy 0-15 fields only
    obey(firmware, state, cmd.set_fan_speed(Fan.PART_COOLING, percent))
    assert state.part_fan == percent
    assert firmware.state["fan_gear"] == 0  # this firmware does not keep it


def test_fan_gear_is_kept_where_the_firmware_keeps_it() -> None:
    firmware, state = make("p2s")
    obey(firmware, state, cmd.set_fan_speed(Fan.AUX, 70))
    obey(firmware, state, cmd.set_fan_speed(Fan.CHAMBER, 100))
    assert state.aux_fan == 70
    assert state.chamber_fan == 100
    assert firmware.state["fan_gear"] >> 8 & 0xFF == 178


def test_temperatures_of_a_dual_nozzle_printer() -> None:
    firmware, state = make("h2d-laser")
    model = MODELS["H2D"]
    obey(firmware, state, cmd.set_nozzle_temperature(model, 210, 1))
    obey(firmware, state, cmd.set_chamber_temperature(model, 45))
    obey(firmware, state, cmd.set_bed_temperature(model, 90))
    assert state.nozzle_target_temperature(1) == 210
    assert state.nozzle_target_temperature(0) == 245  # the printing one
    assert state.chamber_target_temperature == 45
    assert state.bed_target_temperature == 90


def test_each_nozzle_of_a_dual_nozzle_printer_takes_its_own_target() -> None:
    firmware, state = make("h2d-laser")
    h2d = MODELS["H2D"]
    for nozzle, target in ((0, 250), (1, 215)):
        reply = obey(firmware, state, cmd.set_nozzle_temperature(h2d, target, nozzle))
        assert reply["result"] == "success"
    assert state.nozzle_target_temperature(0) == 250
    assert state.nozzle_target_temperature(1) == 215
    bad = {
        "print": {"command": "set_nozzle_temp", "extruder_index": 2, "target_temp": 200}
    }
    assert obey(firmware, state, bad)["result"] == "failed"
