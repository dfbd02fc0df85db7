"""The simulated firmware, driven by the real command builders and read by
the real PrinterState: what a real printer would do, step by step."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab import commands as cmd
from custom_components.bambu_cloud.aiobambulab.catalog import MODELS
from custom_components.bambu_cloud.aiobambulab.job_views import JobState
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from simulator.firmware import LOCKED_REASON, Job, PrinterFirmware
from tests.common import PRINTERS, get_version, pushall


def make(printer: str = "p1p-ams") -> tuple[PrinterFirmware, PrinterState]:
    firmware = PrinterFirmware("SIM0001", pushall(printer), get_version(printer))
    state = PrinterState("SIM0001")
    for message in firmware.handle(cmd.get_version()) + firmware.handle(cmd.pushall()):
        state.apply(message)
    return firmware, state


def sync(firmware: PrinterFirmware, state: PrinterState) -> set[str]:
    delta = firmware.pending_delta()
    return state.apply(delta) if delta else set()


def reply(messages: list[dict[str, Any]]) -> dict[str, Any]:
    [message] = messages
    [body] = message.values()
    return body


@pytest.mark.parametrize("printer", PRINTERS)
def test_pushall_and_version_answer_like_the_capture(printer: str) -> None:
    firmware, state = make(printer)
    report = firmware.full_report()["print"]
    captured = pushall(printer)["print"]
    assert report["msg"] == 0
    assert {
        k: v for k, v in report.items() if k not in ("sequence_id", "msg", "command")
    } == {
        k: v for k, v in captured.items() if k not in ("sequence_id", "msg", "command")
    }
    assert state.firmware_version == next(
        m["sw_ver"]
        for m in get_version(printer)["info"]["module"]
        if m["name"] == "ota"
    )
    assert firmware.pending_delta() is None


def test_job_runs_to_finish_like_a_real_printer() -> None:
    firmware, state = make("a1-ams-lite")
    answer = reply(
        firmware.handle(
            cmd.print_project_file(MODELS["A1"], filename="cube.3mf", ams_mapping=[2])
        )
    )
    assert answer["result"] == "success"
    seen: list[tuple[JobState | None, int | None, int | None]] = []
    for _ in range(2000):
        firmware.advance(1.0)
        sync(firmware, state)
        seen.append((state.job_state, state.progress, state.current_layer))
        if state.job_state is JobState.FINISH:
            break
    states = [s for s, _, _ in seen]
    assert states[0] is JobState.PREPARE
    assert JobState.RUNNING in states
    assert states[-1] is JobState.FINISH
    percents = [p for _, p, _ in seen if p is not None]
    assert percents == sorted(percents)  # never goes down
    layers = [layer for _, _, layer in seen if layer is not None]
    assert layers == sorted(layers)
    assert state.current_layer == state.total_layers
    assert state.progress == 100
    assert state.job_name == "cube"
    assert state.nozzle_target_temperature() == 0
    # The capture's spools carry no tag and its estimate is off, so the view
    # shows no remaining amount (as Bambu Studio); the report's remain fell.
    raw = state.report["ams"]["ams"][0]["tray"][2]
    assert 0 <= raw["remain"] < 100  # filament was used


def test_temperatures_heat_towards_targets() -> None:
    firmware, state = make("p1p-ams")
    assert (
        reply(firmware.handle(cmd.set_nozzle_temperature(MODELS["P1P"], 200)))["result"]
        == "success"
    )
    assert sync(firmware, state) >= {"nozzle_target_temper"}
    assert state.nozzle_target_temperature() == 200
    for _ in range(60):
        firmware.advance(1.0)
        sync(firmware, state)
    assert state.nozzle_temperature() == 200


def test_dual_nozzle_temperature_targets() -> None:
    firmware, state = make("h2d-laser")
    firmware.handle(cmd.set_nozzle_temperature(MODELS["H2D"], 180, nozzle=1))
    sync(firmware, state)
    assert state.nozzle_target_temperature(1) == 180
    firmware.handle(cmd.set_chamber_temperature(MODELS["H2D"], 40))
    sync(firmware, state)
    assert state.chamber_target_temperature == 40


def test_controls_change_state() -> None:
    firmware, state = make("x1c-multi-ams")
    for payload in (
        cmd.set_light(False),
        cmd.print_speed(4),
        cmd.set_fan_speed(cmd.Fan.PART_COOLING, 100),
        cmd.set_timelapse(True),
    ):
        assert reply(firmware.handle(payload))["result"] == "success"
    sync(firmware, state)
    assert state.light_on() is False
    assert state.speed_level == 4
    assert state.timelapse_enabled is True
    assert state.part_fan == 100


def test_pause_resume_stop() -> None:
    firmware, state = make("p2s")  # printing
    assert reply(firmware.handle(cmd.pause()))["result"] == "success"
    sync(firmware, state)
    assert state.job_state is JobState.PAUSE
    assert reply(firmware.handle(cmd.pause()))["result"] == "failed"
    firmware.handle(cmd.resume())
    sync(firmware, state)
    assert state.job_state is JobState.RUNNING
    firmware.handle(cmd.stop())
    sync(firmware, state)
    assert state.job_state is JobState.FAILED


def test_locked_control_refuses_and_changes_nothing() -> None:
    firmware, state = make("p2s")
    firmware.control_locked = True
    answer = reply(firmware.handle(cmd.pause()))
    assert answer["result"] == "failed"
    assert answer["reason"] == LOCKED_REASON
    assert firmware.pending_delta() is None
    assert state.job_state is JobState.RUNNING


def test_ams_commands() -> None:
    firmware, state = make("x1c-multi-ams")
    firmware.handle(
        cmd.set_filament(
            1,
            2,
            tray_info_idx="GFA00",
            tray_type="PLA",
            color="#112233",
            nozzle_temp_min=190,
            nozzle_temp_max=230,
        )
    )
    firmware.handle(cmd.start_drying(2, 55, 4, kind=state.ams_units[2].kind))
    firmware.handle(cmd.load_filament(0, 3))
    sync(firmware, state)
    tray = state.ams_units[1].trays[2]
    assert (tray.color, tray.type, tray.profile_name) == (
        "#112233",
        "PLA",
        "Bambu PLA Basic",
    )
    assert state.ams_units[2].drying is True
    assert state.ams_units[2].drying_remaining == 240
    firmware.advance(90)  # minutes count down as time passes
    sync(firmware, state)
    assert state.ams_units[2].drying_remaining == 239
    firmware.advance(240 * 60)
    sync(firmware, state)
    assert (state.ams_units[2].drying, state.ams_units[2].drying_remaining) == (
        False,
        0,
    )
    assert "_dry_seconds" not in str(firmware.full_report())  # private, never sent
    assert state.active_tray is not None
    assert (state.active_tray.ams_id, state.active_tray.slot) == (0, 3)


def test_errors_raised_and_cleared() -> None:
    firmware, state = make()
    firmware.raise_hms(0x0300_0100, 0x0001_0001)
    firmware.set_print_error(50364437)
    sync(firmware, state)
    assert [code.formatted for code in state.hms] == ["0300_0100_0001_0001"]
    assert state.print_error_code == "03008015"
    firmware.clear_hms()
    firmware.set_print_error(0)
    sync(firmware, state)
    assert state.hms == []
    assert state.print_error_code is None


def test_failing_job() -> None:
    firmware, state = make("a1-ams-lite")
    firmware.start_job(
        Job(name="fail", fail_at_percent=30, prepare_seconds=1, print_seconds=10)
    )
    for _ in range(20):
        firmware.advance(1.0)
        sync(firmware, state)
    assert state.job_state is JobState.FAILED
    assert state.print_error_code == "03008015"


def test_unknown_and_malformed_commands() -> None:
    firmware, _ = make()
    assert (
        reply(firmware.handle({"print": {"command": "teleport", "sequence_id": "5"}}))[
            "result"
        ]
        == "failed"
    )
    assert firmware.handle({"print": "x"}) == []
    assert firmware.handle({}) == []
    assert reply(firmware.handle(cmd.skip_objects([3, 1])))["result"] == "success"
    assert firmware.state["s_obj"] == [1, 3]
    assert len(firmware.commands) == 6  # get_version, pushall, and these four
