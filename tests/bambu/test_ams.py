"""Decoding of AMS slot numbers, presence bits and tray fields."""

from __future__ import annotations

import pytest

from custom_components.bambu_cloud.aiobambulab.ams import (
    AMS_HT_IDS,
    EXTERNAL_AMS_ID,
    TrayRef,
    TrayStatus,
    slot_label,
    tray_exists,
    tray_from_report,
    tray_from_snow,
    tray_from_tray_now,
    tray_index_from_label,
    unit_exists,
    units_from_report,
)
from custom_components.bambu_cloud.aiobambulab.catalog import AmsKind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (255, None),
        (-1, None),
        (254, TrayRef(EXTERNAL_AMS_ID, 0)),
        (0, TrayRef(0, 0)),
        (7, TrayRef(1, 3)),
        (15, TrayRef(3, 3)),
        (16, None),
        (128, TrayRef(128, 0)),
        (135, TrayRef(135, 0)),
    ],
)
def test_tray_now(value: int | None, expected: TrayRef | None) -> None:
    assert tray_from_tray_now(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (-5, None),
        (0xFFFF, None),
        (0xFEFF, None),
        (0xFF00, TrayRef(EXTERNAL_AMS_ID, 0)),
        (0xFE01, TrayRef(EXTERNAL_AMS_ID, 1)),
        (0xFF07, TrayRef(EXTERNAL_AMS_ID, 0)),
        (0x0103, TrayRef(1, 3)),
        (0x8000, TrayRef(128, 0)),
        (0x0509, None),
    ],
)
def test_snow(value: int | None, expected: TrayRef | None) -> None:
    assert tray_from_snow(value) == expected


def test_presence_bits() -> None:
    bits = 0x17  # units 0, 1, 2 and AMS HT 128
    assert [u for u in (0, 1, 2, 3, 128, 129) if unit_exists(bits, u)] == [0, 1, 2, 128]
    assert unit_exists(None, 3)
    trays = 0x10EFF
    assert tray_exists(trays, 2, 0) is False
    assert tray_exists(trays, 2, 1) is True
    assert tray_exists(trays, 128, 0) is True
    assert tray_exists(None, 0, 0) is None


def test_tray_fields_are_checked() -> None:
    tray = tray_from_report(
        {
            "tray_type": "PLA",
            "tray_color": "zzzzzzFF",
            "cols": ["FF0000FF", 5, "12"],
            "remain": 101,
            "k": "0.03",
            "nozzle_temp_min": "190",
            "tag_uid": "0000000000000000",
            "tray_uuid": "ABC",
        },
        0,
        1,
        None,
    )
    assert tray.status is TrayStatus.LOADED
    assert tray.color is None
    assert tray.colors == ("#FF0000",)
    assert tray.remaining is None
    assert tray.k == 0.03
    assert tray.nozzle_temp_min == 190
    assert tray.tag_uid is None
    assert tray.uuid == "ABC"
    assert tray.name == "PLA"
    assert tray.profile_name is None


def test_tray_without_type() -> None:
    present = tray_from_report({"tray_type": ""}, 0, 0, True)
    assert present.status is TrayStatus.UNKNOWN
    unknown = tray_from_report({}, 0, 0, None)
    assert unknown.status is TrayStatus.EMPTY
    absent = tray_from_report({"tray_type": "PLA"}, 0, 0, False)
    assert absent.status is TrayStatus.EMPTY
    assert absent.type is None


def test_units_skip_uninitialised_and_malformed() -> None:
    ams = {
        "ams": [
            {"id": "0", "info": "0E01", "tray": []},  # extruder 0xE: not initialised
            {"id": "x"},
            "junk",
            {"id": "1", "tray": [{"id": "9"}, {"id": "0", "tray_type": "PLA"}]},
            {"id": "129", "info": "0004", "tray": [{"id": "0"}]},
        ]
    }
    units = units_from_report(ams, {}, AmsKind.AMS)
    assert [(u.id, u.kind) for u in units] == [(1, AmsKind.AMS), (129, AmsKind.AMS_HT)]
    assert [t.slot for t in units[0].trays] == [0]
    assert units[1].number == 2
    assert units[0].number == 2
    assert units[1].drying is False


@pytest.mark.parametrize(
    ("label", "index"),
    [
        ("A1", 0),
        ("b2", 5),
        (" D4 ", 15),
        ("L1", 24),
        ("l4", 27),
        ("external", 254),
        ("Ext", 254),
        ("E1", None),
        ("A5", None),
        ("HT1", None),
        ("", None),
    ],
)
def test_tray_labels_as_indices(label: str, index: int | None) -> None:
    """Labels become tray_now indices; each names the slot it is shown as."""
    assert tray_index_from_label(label) == index
    if index is not None and index != 254:
        tray = tray_from_tray_now(index)
        assert tray is not None
        assert slot_label(tray.ams_id, tray.slot) == label.strip().upper()


def test_ams_ht_ids() -> None:
    """AMS HT units are ids 128-135, each shown as HT1-HT8."""
    assert list(AMS_HT_IDS) == list(range(128, 136))
    assert [slot_label(unit, 0) for unit in (128, 135)] == ["HT1", "HT8"]
