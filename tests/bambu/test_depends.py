"""Each view declares the report keys it reads: checked on every capture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
import inspect
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab.depends import (
    MARKERS,
    VIEW_DEPENDENCIES,
    View,
    depends_on,
    reported,
)
from custom_components.bambu_cloud.aiobambulab.markers import CHANGED_ONLINE
from custom_components.bambu_cloud.aiobambulab.option_views import (
    XCAM_MODULES,
    PrintOption,
)
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from tests.common import PRINTERS_DIR, get_version, pushall
from tests.recording import EVERY_KEY, recording

from .test_protocol_fixtures import PROTOCOL, fixture

# What is not a view of the report: raw access for diagnostics, and ingest.
NOT_VIEWS = frozenset({"report", "version_info", "apply", "set_online"})
# Keys read on a path no capture takes: X1 firmware without ``stat``.
UNSEEN: dict[str, set[str]] = {"door_open": {"home_flag"}}
# Arguments to call the views that take one with.
ARGUMENTS: dict[str, list[tuple[Any, ...]]] = {
    "nozzle_temperature": [(0,), (1,)],
    "nozzle_target_temperature": [(0,), (1,)],
    "nozzle": [(0,), (1,)],
    "light_on": [("chamber_light",), ("work_light",)],
    "print_option": [(option,) for option in PrintOption],
    "print_option_supported": [(option,) for option in PrintOption],
    "xcam_option": [(module,) for module in XCAM_MODULES],
}


def _states() -> Iterator[tuple[str, PrinterState]]:
    for path in sorted(PRINTERS_DIR.iterdir()):
        if path.is_dir():
            state = PrinterState("01P00A000000001")
            state.apply(get_version(path.name))
            state.apply(pushall(path.name))
            yield path.name, state
    for path in sorted(PROTOCOL.glob("*.json")):
        doc = fixture(path.stem)
        state = PrinterState("01P00A000000001")
        for part in ("get_version", "report"):
            if part in doc:
                state.apply(doc[part])
        yield path.stem, state


STATES = list(_states())


def _calls(view: View) -> list[Callable[[PrinterState], object]]:
    if isinstance(view, property):
        assert view.fget is not None
        return [view.fget]
    name = view.__name__
    return [
        lambda state, args=args: view(state, *args)
        for args in ARGUMENTS.get(name, [()])
    ]


def _name(view: View) -> str:
    function = view.fget if isinstance(view, property) else view
    return getattr(function, "__name__", "?")


@pytest.mark.parametrize(("capture", "state"), STATES, ids=[c for c, _ in STATES])
def test_views_read_only_what_they_declare(capture: str, state: PrinterState) -> None:
    """On every capture, each view reads no report key it does not declare."""
    undeclared: dict[str, list[str]] = {}
    for view, declared in VIEW_DEPENDENCIES.items():
        for call in _calls(view):
            with recording(state) as touched:
                call(state)
            if missing := touched - declared:
                undeclared[_name(view)] = sorted(missing)
    assert undeclared == {}, capture


def test_declared_keys_are_read_somewhere() -> None:
    """No view declares a key it never reads on any capture (a stale entry)."""
    read: dict[str, set[str]] = {_name(view): set() for view in VIEW_DEPENDENCIES}
    for _capture, state in STATES:
        for view in VIEW_DEPENDENCIES:
            for call in _calls(view):
                with recording(state) as touched:
                    call(state)
                read[_name(view)] |= touched
    for name, keys in UNSEEN.items():
        read[name] |= keys
    stale = {
        _name(view): sorted(declared - MARKERS - read[_name(view)])
        for view, declared in VIEW_DEPENDENCIES.items()
        if declared - MARKERS - read[_name(view)]
    }
    assert stale == {}
    assert all(EVERY_KEY not in keys for keys in read.values())


def test_every_view_is_declared() -> None:
    """A new view of the state must say what it reads."""
    declared = {_name(view) for view in VIEW_DEPENDENCIES}
    public = {
        name
        for name, member in inspect.getmembers(PrinterState)
        if not name.startswith("_")
        and (isinstance(member, property) or inspect.isfunction(member))
    }
    assert public - NOT_VIEWS - declared == set()


def test_depends_on() -> None:
    """Views give their keys; markers pass; raw report keys are refused."""
    assert depends_on(PrinterState.progress) == {"mc_percent"}
    assert depends_on(PrinterState.stage, CHANGED_ONLINE) == {
        "stg_cur",
        "gcode_state",
        "@online",
    }
    with pytest.raises(KeyError):
        depends_on("mc_percent")


def test_reported() -> None:
    """A view is reported when its key is there, even with a useless value."""
    state = PrinterState("01P00A000000001")
    state.apply({"print": {"command": "push_status", "spd_lvl": 9}})
    assert state.speed_level is None
    assert reported(state, PrinterState.speed_level)
    assert not reported(state, PrinterState.progress)
    assert not reported(state, PrinterState.job_start_time)  # a marker only
