"""Temperature readings shown in whole steps, written once they move a step."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.bambu_cloud.aiobambulab.temperature_views import (
    TEMPERATURE_STEP,
    settled_temperature,
)

READINGS = st.floats(min_value=-40, max_value=500, allow_nan=False)


@pytest.mark.parametrize(
    ("reading", "shown", "expected"),
    [
        (220.03125, None, 220),  # the first reading, rounded
        (220.96875, 220, 220),  # a wobble within the step keeps it
        (219.03125, 220, 220),
        (221.0, 220, 221),  # a whole step away: the new value
        (218.5, 220, 218),  # round half to even, like Python's round
        (None, 220, None),  # no reading
    ],
)
def test_settled_temperature(
    reading: float | None, shown: float | None, expected: float | None
) -> None:
    assert settled_temperature(reading, shown) == expected


def test_half_degree_step() -> None:
    assert settled_temperature(60.3, None, 0.5) == 60.5
    assert settled_temperature(60.6, 60.5, 0.5) == 60.5
    assert settled_temperature(61.1, 60.5, 0.5) == 61.0


@given(READINGS, st.one_of(st.none(), READINGS))
def test_settled_is_stable_and_close(reading: float, shown: float | None) -> None:
    """Asked again with its own answer, it answers the same; never a step off."""
    settled = settled_temperature(reading, shown)
    assert settled is not None
    assert settled_temperature(reading, settled) == settled
    assert abs(settled - reading) < TEMPERATURE_STEP
