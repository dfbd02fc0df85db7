"""PrinterState views for issue 5's controls, against the real captures."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.catalog import MODELS
from custom_components.bambu_cloud.aiobambulab.option_views import PrintOption
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from tests.common import PRINTERS, get_version, pushall

SOUND = PrintOption.PROMPT_SOUND
TANGLE = PrintOption.FILAMENT_TANGLE_DETECT
RECOVERY = PrintOption.AUTO_RECOVERY
REFILL = PrintOption.AUTO_SWITCH_FILAMENT


def loaded(capture: str, **changes: Any) -> PrinterState:
    state = PrinterState("SERIAL")
    state.apply(get_version(capture))
    report = pushall(capture)
    report["print"].update(changes)
    report["print"]["msg"] = 0
    state.apply(report)
    return state


def delta(state: PrinterState, **fields: Any) -> set[str]:
    return state.apply({"print": {"command": "push_status", "msg": 1, **fields}})


@pytest.mark.parametrize(
    ("capture", "supported", "values"),
    [
        # home_flag only: support bits 18 (sound) and 19 (tangle).
        ("a1-ams-lite", {SOUND, TANGLE, REFILL}, {SOUND: False, TANGLE: True}),
        ("p1p-ams", {REFILL}, {REFILL: True, RECOVERY: False}),
        ("p1p-no-ams", set(), {REFILL: False, RECOVERY: True}),
        # fun present: its bits 8 and 9 (clear here) win over home_flag's.
        ("x1c-multi-ams", {REFILL}, {SOUND: False, RECOVERY: True}),
        ("p2s", {REFILL}, {SOUND: False, RECOVERY: True}),
        ("h2d-laser", {REFILL}, {SOUND: True, RECOVERY: True, TANGLE: False}),
    ],
)
def test_options_of_the_captures(
    capture: str, supported: set[PrintOption], values: dict[PrintOption, bool]
) -> None:
    state = loaded(capture)
    assert {o for o in PrintOption if state.print_option_supported(o)} == supported
    for option, value in values.items():
        assert state.print_option(option) is value, option


def test_cfg_wins_over_home_flag() -> None:
    state = loaded("p2s")
    assert state.print_option(RECOVERY) is True
    assert delta(state, home_flag=0) == {"home_flag"}
    assert state.print_option(RECOVERY) is True  # still cfg bit 16
    assert state.print_option(REFILL) is False  # home_flag only
    delta(state, cfg=format(1 << 22, "X"))
    assert state.print_option(RECOVERY) is False
    assert state.print_option(SOUND) is True


def test_explicit_support_fields_win() -> None:
    state = loaded(
        "a1-ams-lite",
        support_prompt_sound=False,
        support_auto_recovery_step_loss=True,
        support_filament_backup=False,
    )
    assert not state.print_option_supported(SOUND)
    assert state.print_option_supported(RECOVERY)
    assert not state.print_option_supported(REFILL)
    assert state.print_option_supported(TANGLE)  # home_flag bit 19


def test_options_without_flags() -> None:
    state = loaded("p1p-ams")
    state_without = PrinterState("S", MODELS["P1P"])
    assert state_without.print_option(SOUND) is None
    assert not state_without.print_option_supported(SOUND)
    assert not state_without.print_option_supported(REFILL)
    # A malformed home_flag is dropped: the last good one stays.
    delta(state, home_flag="x", fun="")
    assert state.print_option(RECOVERY) is False
    assert not state.print_option_supported(SOUND)
    # An unreadable cfg is unknown, not a guess from home_flag.
    delta(state, cfg="not hex")
    assert state.print_option(RECOVERY) is None


def test_xcam_options() -> None:
    state = loaded("x1c-multi-ams")
    assert state.xcam_option("printing_monitor") is True
    assert state.xcam_option("buildplate_marker_detector") is False
    assert state.xcam_option("halt_print_sensitivity") is None  # not a bool
    assert state.xcam_option("nozzle_clumping_detector") is None
    delta(state, xcam={"buildplate_marker_detector": True})
    assert state.xcam_option("buildplate_marker_detector") is True
    assert loaded("p1p-ams").xcam_option("spaghetti_detector") is None


def test_airduct_modes() -> None:
    assert loaded("h2d-laser").airduct_modes == [0, 1, 2]
    assert loaded("p2s").airduct_modes == [0, 1]
    assert loaded("x1c-multi-ams").airduct_modes == []
    state = loaded("p2s")
    delta(
        state,
        device={
            "airduct": {
                "modeList": [{"modeId": 1}, {"modeId": 1}, {"modeId": "x"}, "junk"]
            }
        },
    )
    assert state.airduct_modes == [1]


@pytest.mark.parametrize("capture", PRINTERS)
def test_fans_by_model_and_report(capture: str) -> None:
    state = loaded(capture)
    assert state.has_aux_fan is state.model.aux_fan
    assert state.has_chamber_fan is state.model.chamber_fan
    upgraded = loaded(capture, support_aux_fan=True, support_chamber_fan=False)
    assert upgraded.has_aux_fan is True
    assert upgraded.has_chamber_fan is False
