"""Foreign object detection (the printer's heatbed check) as the views read it."""

from __future__ import annotations

import pytest

from tests.bambu.test_state_options import delta, loaded

FOD_SUPPORT = 1 << 13  # fun2
FOD_ON = 1 << 21  # xcam.cfg


@pytest.mark.parametrize(
    ("capture", "supported", "on"),
    [
        # The P2S capture: fun2 "1" (bit 13 clear), xcam.cfg 748983 (bit 21
        # clear): this firmware offers no heatbed check, and it is off.
        ("p2s", False, False),
        # The others report neither field.
        ("h2d-laser", False, None),
        ("x1c-multi-ams", False, None),
        ("p1p-no-ams", False, None),
    ],
)
def test_the_captures(capture: str, supported: bool, on: bool | None) -> None:
    state = loaded(capture)
    assert state.foreign_object_detection_supported is supported
    assert state.foreign_object_detection is on


def test_the_bits_follow_the_reports() -> None:
    state = loaded("p2s", fun2=format(FOD_SUPPORT | 1, "X"))
    assert state.foreign_object_detection_supported is True
    assert state.foreign_object_detection is False

    cfg = 748983 | FOD_ON
    assert "xcam" in delta(state, xcam={"cfg": cfg})
    assert state.foreign_object_detection is True
    # Its neighbours (plate alignment, part displacement) are other settings.
    delta(state, xcam={"cfg": (1 << 20) | (1 << 22)})
    assert state.foreign_object_detection is False
    assert "fun2" in delta(state, fun2="1")
    assert state.foreign_object_detection_supported is False
