"""Fuzzing helpers: report strategies and what every entity state must satisfy.

The strategies make the JSON a broker could deliver (whatever parses):
random structures under the report keys printers use, and mutations of the
real captures (a value replaced, retyped or removed). ``entity_problems``
lists every entity state of an entry that has the wrong type or lies
outside its physical range, reading the ranges from the state attributes
(enum options, number min/max) and the printer's model where it can.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
import json
import math
from typing import Any, Final

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from hypothesis import strategies as st
import orjson

from custom_components.bambu_cloud.aiobambulab.catalog import PrinterModel
from tests.common import PRINTERS, pushall

type Path = tuple[str | int, ...]
type Json = Any

MISSING: Final = STATE_UNKNOWN, STATE_UNAVAILABLE
ON_OFF: Final = frozenset({STATE_ON, STATE_OFF, *MISSING})
# Physical ranges of what a printer measures (degrees Celsius); targets are
# bounded by the model's limits instead.
MEASURED_TEMPERATURES: Final = {
    "nozzle": (-40.0, 500.0),
    "bed": (-40.0, 200.0),
    "chamber": (-40.0, 150.0),
    "ams": (-40.0, 100.0),
}

# --- strategies ----------------------------------------------------------------

# Values firmware really sends next to the ones that break naive parsing.
_TRICKY_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "1",
        "-1",
        "45",
        "0.4",
        "-53dBm",
        "dBm",
        "1e309",
        "-1e309",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "0x1F",
        "FFFFFFFF",
        "1AFFF9CFF",
        "true",
        "false",
        "enable",
        "on",
        "RUNNING",
        "running",
        "PAUSE",
        "FINISH",
        "HS01",
        "rtsps://192.0.2.1:322/streaming/live/1",
        "\u0000",
        "\ud7ff" * 3,
        "9" * 40,
    ]
)
_TRICKY_INTS = st.sampled_from(
    [
        0,
        1,
        -1,
        2,
        3,
        4,
        5,
        15,
        16,
        100,
        101,
        255,
        256,
        65535,
        65536,
        0x7FFFFFFF,
        0x80000000,
        0xFFFFFFFF,
        0x100000000,
        -(2**31),
        2**63 - 1,
        -(2**63),
    ]
)
# orjson (the link's parser) reads 64-bit integers and finite floats only.
_INTS = st.integers(min_value=-(2**63), max_value=2**64 - 1)
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS: Final = st.one_of(
    st.none(),
    st.booleans(),
    _TRICKY_INTS,
    _INTS,
    _FLOATS,
    _TRICKY_STRINGS,
    st.text(max_size=12),
)
JSON_VALUES: Final = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


def _key_paths(node: Json, prefix: Path = ()) -> Iterator[Path]:
    """Every path into a JSON tree (object keys and list indexes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _key_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _key_paths(value, (*prefix, index))


def _nested_keys(node: Json) -> Iterator[str]:
    for path in _key_paths(node):
        last = path[-1]
        if isinstance(last, str):
            yield last


# Every key any capture uses, at any depth: random objects use these names
# so they reach the parsing code instead of being ignored.
REPORT_KEYS: Final = sorted({k for p in PRINTERS for k in pushall(p)["print"]})
NESTED_KEYS: Final = sorted({k for p in PRINTERS for k in _nested_keys(pushall(p))})


def _report_objects(children: st.SearchStrategy[Json]) -> st.SearchStrategy[Json]:
    keys = st.sampled_from(NESTED_KEYS) | st.text(max_size=6)
    return st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5)


# JSON shaped like report parts: known keys at every level.
REPORT_VALUES: Final = st.recursive(SCALARS, _report_objects, max_leaves=16)


@st.composite
def random_message(draw: st.DrawFn) -> dict[str, Json]:
    """A random message: a report, a version answer, an event or anything."""
    kind = draw(st.sampled_from(["delta", "full", "version", "event", "other"]))
    if kind in ("delta", "full"):
        fields = draw(
            st.dictionaries(
                st.sampled_from(REPORT_KEYS) | st.text(max_size=6),
                REPORT_VALUES,
                max_size=10,
            )
        )
        head: dict[str, Json] = {"command": "push_status"}
        if kind == "full":
            head["msg"] = draw(st.sampled_from([0, "0"]))
        else:
            head["msg"] = draw(st.sampled_from([1, "1", None, False, 2.5]))
        return {"print": {**head, **fields}}
    if kind == "version":
        info: dict[str, Json] = {"command": "get_version"}
        info["module"] = draw(
            st.lists(
                st.dictionaries(
                    st.sampled_from(
                        [
                            "name",
                            "sn",
                            "sw_ver",
                            "hw_ver",
                            "project_name",
                            "product_name",
                        ]
                    ),
                    SCALARS,
                    max_size=6,
                ),
                max_size=6,
            )
            | REPORT_VALUES
        )
        return {"info": info}
    if kind == "event":
        return {
            "event": {
                "event": draw(
                    st.sampled_from(["client.connected", "client.disconnected"])
                    | SCALARS
                )
            }
        }
    return draw(st.dictionaries(st.sampled_from(["print", "info", "event", "system"]), JSON_VALUES, max_size=3))  # fmt: skip


def _retyped(value: Json) -> list[Json]:
    """The same value the way sloppy firmware or a bad proxy could send it."""
    options: list[Json] = [None, [value], {"value": value}, str(value)]
    if isinstance(value, bool):
        options += [int(value), "true" if value else "false"]
    elif isinstance(value, int):
        options += [float(value), -value, value * 1000, value + 0.5, 2**32 + value]
    elif isinstance(value, float):
        options += [int(value), -value, value * 1000, 1e300]
    elif isinstance(value, str):
        options += ["", value.upper(), value * 3, 42]
    elif isinstance(value, list):
        options += [value[:1], value * 2, {}]
    elif isinstance(value, dict):
        options += [[], dict.fromkeys(value)]
    return options


def _is_int(value: Json) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def numeric_leaves(body: Json) -> list[Path]:
    """The paths of every number in a report."""
    return [
        p
        for p in _key_paths(body)
        if isinstance(_get(body, p), (int, float))
        and not isinstance(_get(body, p), bool)
    ]


def with_values(capture: str, paths: list[Path], value: Json) -> dict[str, Json]:
    """A delta of a capture's report with every path set to ``value``."""
    body = pushall(capture)["print"]
    for path in paths:
        _set(body, path, value)
    delta = {str(k): body[k] for k in {p[0] for p in paths}}
    return {"print": {"command": "push_status", "msg": 1, **delta}}


def _set(root: Json, path: Path, value: Json) -> None:
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _delete(root: Json, path: Path) -> None:
    node = root
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


def _get(root: Json, path: Path) -> Json:
    node = root
    for key in path:
        node = node[key]
    return node


@st.composite
def mutated_capture(draw: st.DrawFn, capture: str) -> dict[str, Json]:
    """A capture's report with a few values replaced, retyped or removed.

    Sent whole (a full report) or as a delta of just the top-level keys the
    mutations touched, as firmware sends changes.
    """
    report = pushall(capture)
    body = report["print"]
    touched: set[str] = set()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = list(_key_paths(body))
        # Mostly single values (where the parsing is), sometimes whole parts.
        leaves = [p for p in paths if not isinstance(_get(body, p), (dict, list))]
        numbers = [p for p in leaves if _is_int(_get(body, p))]
        path = draw(
            st.sampled_from(numbers) | st.sampled_from(leaves) | st.sampled_from(paths)
        )
        touched.add(str(path[0]))
        value = _get(body, path)
        operation = draw(
            st.sampled_from(["bitflip", "scalar", "retype", "replace", "delete"])
        )
        if operation == "bitflip" and _is_int(value):
            # Packed fields (temperatures, flags) hide several values in one int.
            _set(body, path, value ^ 1 << draw(st.integers(min_value=0, max_value=31)))
        elif operation == "delete":
            _delete(body, path)
        elif operation == "retype":
            _set(body, path, draw(st.sampled_from(_retyped(_get(body, path)))))
        elif operation == "scalar":
            _set(body, path, draw(_TRICKY_INTS | _TRICKY_STRINGS | SCALARS))
        else:
            _set(body, path, draw(REPORT_VALUES))
    if draw(st.booleans()):
        return report
    delta = {k: body[k] for k in touched if k in body}
    return {"print": {"command": "push_status", "msg": 1, **delta}}


# --- what every state must satisfy ----------------------------------------------


def _number(state: State) -> float | None:
    try:
        value = float(state.state)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _timestamp(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _temperature_range(key: str, model: PrinterModel) -> tuple[float, float]:
    part = next(
        (name for name in MEASURED_TEMPERATURES if key.startswith(name)), "nozzle"
    )
    if "target" not in key:
        return MEASURED_TEMPERATURES[part]
    limit = {
        "nozzle": model.nozzle_max,
        "bed": model.bed_max,
        "chamber": model.chamber_heater_max or 0,
    }.get(part, 0)
    return 0.0, float(limit)


def _within(value: float | None, low: float, high: float) -> bool:
    return value is not None and low <= value <= high


def _sensor_problem(key: str, state: State, model: PrinterModel) -> str | None:
    attributes = state.attributes
    device_class = attributes.get(ATTR_DEVICE_CLASS)
    unit = attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    value = _number(state)
    if device_class == SensorDeviceClass.ENUM:
        ok = state.state in attributes.get("options", ())
    elif device_class == SensorDeviceClass.TIMESTAMP:
        ok = _timestamp(state.state)
    elif device_class == SensorDeviceClass.TEMPERATURE:
        ok = _within(value, *_temperature_range(key, model))
    elif unit == PERCENTAGE:
        ok = _within(value, 0, 100)
    elif device_class == SensorDeviceClass.SIGNAL_STRENGTH:
        ok = _within(value, -120, 0)
    elif device_class in (
        SensorDeviceClass.DURATION,
        SensorDeviceClass.WEIGHT,
        SensorDeviceClass.DISTANCE,
    ) or key.endswith(("layer", "layers", "_index")):
        ok = _within(value, 0, math.inf)
    elif unit is not None or attributes.get("state_class") is not None:
        ok = value is not None
    else:
        ok = isinstance(state.state, str)
    return None if ok else f"{state.state!r} {dict(attributes)}"


def _number_problem(state: State) -> str | None:
    value = _number(state)
    low, high = state.attributes.get("min"), state.attributes.get("max")
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return f"min/max {low!r}..{high!r}"
    return (
        None if _within(value, low, high) else f"{state.state!r} not in {low}..{high}"
    )


def _fan_problem(state: State) -> str | None:
    if state.state not in ON_OFF:
        return repr(state.state)
    percentage = state.attributes.get("percentage")
    if percentage is None or (isinstance(percentage, int) and 0 <= percentage <= 100):
        return None
    return f"percentage {percentage!r}"


def _update_problem(state: State) -> str | None:
    if state.state not in ON_OFF:
        return repr(state.state)
    for name in ("installed_version", "latest_version"):
        version = state.attributes.get(name)
        if version is not None and not isinstance(version, str):
            return f"{name} {version!r}"
    return None


def _one_of(allowed: frozenset[str]) -> Callable[[State], str | None]:
    return lambda state: None if state.state in allowed else repr(state.state)


def _timestamp_problem(state: State) -> str | None:
    return None if _timestamp(state.state) else repr(state.state)


def _select_problem(state: State) -> str | None:
    options = state.attributes.get("options", ())
    return None if state.state in options else f"{state.state!r} not in {options}"


def _todo_problem(state: State) -> str | None:
    return None if state.state.isdigit() else repr(state.state)  # items to do


def _event_problem(state: State) -> str | None:
    if not _timestamp(state.state):
        return repr(state.state)
    event_type = state.attributes.get("event_type")
    if event_type not in state.attributes.get("event_types", ()):
        return f"event_type {event_type!r}"
    return None


_DOMAIN_CHECKS: Final[dict[str, Callable[[State], str | None]]] = {
    "binary_sensor": _one_of(ON_OFF),
    "switch": _one_of(ON_OFF),
    "light": _one_of(ON_OFF),
    "calendar": _one_of(ON_OFF),
    "fan": _fan_problem,
    "update": _update_problem,
    "number": _number_problem,
    "select": _select_problem,
    "button": _timestamp_problem,
    "image": _timestamp_problem,
    "event": _event_problem,
    "camera": _one_of(frozenset({"idle", "streaming", "recording", *MISSING})),
    "todo": _todo_problem,
}


def entity_problems(
    hass: HomeAssistant, entry_id: str, serial: str, model: PrinterModel
) -> list[str]:
    """Every entity of the entry whose state breaks its type or range."""
    problems = []
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    for entity in entries:
        if entity.disabled:
            continue
        state = hass.states.get(entity.entity_id)
        if state is None:
            problems.append(f"{entity.entity_id}: no state")
            continue
        if state.state in MISSING:
            continue
        key = entity.unique_id.removeprefix(f"{serial}_")
        if entity.domain == "sensor":
            problem = _sensor_problem(key, state, model)
        else:
            problem = _DOMAIN_CHECKS[entity.domain](state)
        if problem is not None:
            problems.append(f"{entity.entity_id}: {problem}")
    return problems


def over_the_wire(message: dict[str, Json]) -> dict[str, Json] | None:
    """The message as the link hands it on: serialized, then parsed by orjson.

    None when the link would drop it (not representable as JSON the broker
    carries, or a number orjson refuses).
    """
    try:
        parsed = orjson.loads(json.dumps(message, allow_nan=False))
    except (ValueError, orjson.JSONDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None
