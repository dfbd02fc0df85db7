"""Builders of issue 5's controls: printer options, detectors, the buzzer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab import commands as cmd
from custom_components.bambu_cloud.aiobambulab.catalog import GENERIC, MODELS
from custom_components.bambu_cloud.aiobambulab.errors import (
    InvalidCommand,
    UnknownTarget,
)
from custom_components.bambu_cloud.aiobambulab.option_views import (
    XCAM_MODULES,
    PrintOption,
)


def body(payload: dict[str, Any], module: str) -> dict[str, Any]:
    assert list(payload) == [module]
    inner: dict[str, Any] = payload[module]
    assert inner.pop("sequence_id").isdigit()
    json.dumps(payload)
    return inner


@pytest.mark.parametrize(
    ("option", "key"),
    [
        (PrintOption.PROMPT_SOUND, "sound_enable"),
        (PrintOption.FILAMENT_TANGLE_DETECT, "filament_tangle_detect"),
        (PrintOption.AUTO_SWITCH_FILAMENT, "auto_switch_filament"),
        ("sound_enable", "sound_enable"),  # the key itself works too
    ],
)
@pytest.mark.parametrize("on", [True, False])
def test_print_option(option: PrintOption | str, key: str, on: bool) -> None:
    assert body(cmd.set_print_option(option, on), "print") == {
        "command": "print_option",
        key: on,
    }


@pytest.mark.parametrize("on", [True, False])
def test_auto_recovery_also_sends_the_option_bit(on: bool) -> None:
    # What Bambu Studio sends; older firmware reads "option".
    assert body(cmd.set_print_option(PrintOption.AUTO_RECOVERY, on), "print") == {
        "command": "print_option",
        "auto_recovery": on,
        "option": int(on),
    }


@pytest.mark.parametrize(
    ("option", "on", "error"),
    [
        ("air_purification", True, UnknownTarget),
        ("", True, UnknownTarget),
        (PrintOption.PROMPT_SOUND, 1, InvalidCommand),
        (PrintOption.PROMPT_SOUND, "on", InvalidCommand),
        (PrintOption.PROMPT_SOUND, None, InvalidCommand),
    ],
)
def test_print_option_rejects(option: Any, on: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        cmd.set_print_option(option, on)


@pytest.mark.parametrize("module", XCAM_MODULES)
@pytest.mark.parametrize("on", [True, False])
def test_xcam_module(module: str, on: bool) -> None:
    # Bambu Studio's form: enable repeats control, print_halt stays on.
    assert body(cmd.set_xcam_module(module, on), "xcam") == {
        "command": "xcam_control_set",
        "module_name": module,
        "control": on,
        "enable": on,
        "print_halt": True,
    }


@pytest.mark.parametrize(
    ("module", "on", "error"),
    [
        ("print_halt", True, UnknownTarget),  # a flag, not a detector
        ("allow_skip_parts", False, UnknownTarget),
        ("spaghetti_detector", "yes", InvalidCommand),
    ],
)
def test_xcam_module_rejects(module: str, on: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        cmd.set_xcam_module(module, on)


def test_stop_buzzer() -> None:
    assert body(cmd.stop_buzzer(), "print") == {"command": "buzzer_ctrl", "mode": 0}


def test_model_flags() -> None:
    buzzers = {key for key, model in MODELS.items() if model.buzzer}
    assert buzzers == {"H2S", "H2C", "H2D", "H2DPRO"}
    part_fan_only = {key for key, model in MODELS.items() if not model.aux_fan}
    assert part_fan_only == {"P1P", "A1", "A1MINI", "A2L"}
    assert part_fan_only == {k for k, m in MODELS.items() if not m.chamber_fan}
    # An unknown model trusts its report.
    assert (GENERIC.aux_fan, GENERIC.chamber_fan, GENERIC.buzzer) == (
        True,
        True,
        False,
    )
