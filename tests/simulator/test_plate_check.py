"""The simulated firmware's foreign object detection, as PrinterState reads it."""

from __future__ import annotations

from typing import Any

from custom_components.bambu_cloud.aiobambulab.job_views import JobState
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from simulator.firmware import FOD_PRINT_ERROR, Job
from tests.simulator.test_firmware_options import make, obey


def _apply(state: PrinterState, delta: dict[str, Any] | None) -> None:
    if delta is not None:
        state.apply(delta)


def _fod_command(on: bool) -> dict[str, object]:
    return {
        "xcam": {
            "command": "xcam_control_set",
            "sequence_id": "7",
            "module_name": "fod_check",
            "control": on,
            "enable": on,
            "print_halt": True,
        }
    }


def test_a_printer_with_the_check_reports_and_switches_it() -> None:
    firmware, state = make("p2s")
    assert state.foreign_object_detection_supported is False  # the capture
    firmware.add_plate_check()
    _apply(state, firmware.pending_delta())
    assert state.foreign_object_detection_supported is True
    assert state.foreign_object_detection is True
    assert obey(firmware, state, _fod_command(False))["result"] == "success"
    assert state.foreign_object_detection is False
    assert obey(firmware, state, _fod_command(True))["result"] == "success"
    assert state.foreign_object_detection is True


def test_a_printer_without_it_refuses_the_switch() -> None:
    firmware, state = make("x1c-multi-ams")
    assert obey(firmware, state, _fod_command(True))["result"] == "failed"
    assert state.foreign_object_detection is None


def test_a_job_on_an_occupied_plate_pauses_until_it_is_cleared() -> None:
    firmware, state = make("p2s")
    firmware.add_plate_check()
    obey(firmware, state, {"print": {"command": "stop", "sequence_id": "1"}})
    assert firmware.plate_occupied  # the capture's job had printed layers

    firmware.start_job(Job(name="next", prepare_seconds=10, print_seconds=10))
    firmware.advance(1)
    _apply(state, firmware.pending_delta())
    assert state.job_state is JobState.PAUSE
    assert state.print_error == FOD_PRINT_ERROR
    # Bambu's texts: "Foreign objects detected on heatbed", both of them.
    assert state.print_error_code == "0500806E"
    assert [entry.id for entry in state.hms] == ["0C00030000020010"]

    resume = {"print": {"command": "resume", "sequence_id": "2"}}
    assert obey(firmware, state, resume)["result"] == "failed"  # still there
    firmware.plate_occupied = False  # someone clears it
    assert obey(firmware, state, resume)["result"] == "success"
    assert state.print_error == 0
    assert state.hms == []
    firmware.advance(25)
    _apply(state, firmware.pending_delta())
    assert state.job_state is JobState.FINISH
    assert firmware.plate_occupied  # the new print


def test_a_clear_plate_or_no_check_prints_at_once() -> None:
    for check in (True, False):
        firmware, state = make("p2s")
        firmware.add_plate_check(on=check)
        firmware.plate_occupied = not check
        firmware.start_job(Job(name="next", prepare_seconds=10, print_seconds=10))
        firmware.advance(25)
        _apply(state, firmware.pending_delta())
        assert state.job_state is JobState.FINISH
