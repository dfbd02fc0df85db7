"""The live state of one printer, built from its MQTT reports.

``PrinterState.apply`` takes every message the printer sends: a full
``push_status`` replaces the state, a delta is merged into it key by key,
``get_version`` answers identify the model and firmware, and the cloud
broker's connect/disconnect events say whether the printer is online. It
returns the changed paths (see ``merge``) so callers update only what
depends on them. The typed, read-only views come from one class per part of
the printer (``*_views``); none returns a value of the wrong type or outside
its physical range. When a job started and should end is decided by the job
life cycle (``lifecycle``), which records it in ``job_times``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import logging
import time
from typing import Any, Final

from .catalog import (
    AmsKind,
    ModuleVersion,
    PrinterModel,
    ams_modules,
    detect_model,
    module_versions,
)
from .device_views import DeviceViews
from .job_views import JobViews
from .markers import CHANGED_ONLINE, CHANGED_VERSION
from .merge import merge_into, replace_with
from .motion_views import MotionViews
from .nozzle_views import NozzleViews
from .option_views import OptionViews
from .temperature_views import TemperatureViews
from .values import as_float

_LOGGER = logging.getLogger(__name__)

# A report without "msg" holding at least this many keys is a full one.
FULL_REPORT_MIN_KEYS: Final = 40

# Report keys that change with every message and mean nothing as state.
_VOLATILE: Final = ("command", "msg", "sequence_id")

# Numeric fields of the print report: a value that is not a number is
# dropped so the last good one stays.
_NUMERIC_FIELDS: Final = frozenset(
    {
        "nozzle_temper",
        "nozzle_target_temper",
        "bed_temper",
        "bed_target_temper",
        "chamber_temper",
        "mc_percent",
        "mc_remaining_time",
        "layer_num",
        "total_layer_num",
        "stg_cur",
        "print_error",
        "spd_lvl",
        "spd_mag",
        "home_flag",
        "fan_gear",
        "cooling_fan_speed",
        "big_fan1_speed",
        "big_fan2_speed",
        "heatbreak_fan_speed",
        "nozzle_diameter",
    }
)
_STRING_FIELDS: Final = frozenset(
    {
        "gcode_state",
        "subtask_name",
        "gcode_file",
        "print_type",
        "wifi_signal",
        "nozzle_type",
        "task_id",
        "fun",
        "stat",
        "cfg",
    }
)


def _field_is_valid(key: str, value: Any) -> bool:
    kind = type(value)
    if key in _NUMERIC_FIELDS:
        # Plain JSON numbers are finite; only strings and odd types need a look.
        return kind is int or kind is float or as_float(value) is not None
    if key in _STRING_FIELDS:
        return kind is str
    return True


class PrinterState(
    TemperatureViews, JobViews, MotionViews, NozzleViews, DeviceViews, OptionViews
):
    """Everything a printer has reported, merged, with typed views."""

    def __init__(
        self,
        serial: str,
        model: PrinterModel | None = None,
        *,
        cloud_names: tuple[str | None, ...] = (),
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Start empty; ``model`` or ``cloud_names`` help until get_version."""
        self.serial = serial
        self._cloud_names = cloud_names
        self._fixed_model = model
        self.model: PrinterModel = model or detect_model(None, cloud_names, serial)
        # Looked up per call, so a test's frozen time.time reaches it.
        self._clock = clock or (lambda: time.time())
        self._report: dict[str, Any] = {}
        self._version: dict[str, Any] = {}
        self._modules: dict[str, ModuleVersion] = {}
        self._ams_modules: dict[int, tuple[AmsKind, ModuleVersion]] = {}
        self.online: bool | None = None
        self.has_full_report = False
        self.last_report_at: float | None = None
        # When the job started and should end: the job life cycle's call.
        self.job_times = None

    # --- ingest -----------------------------------------------------------

    def apply(self, message: Mapping[str, Any]) -> set[str]:
        """Take one message; return the paths that changed.

        The message's objects are taken over by the state (not copied):
        callers pass a freshly parsed message. Nothing raises for bad input;
        malformed parts are dropped.
        """
        changed: set[str] = set()
        if type(message) is not dict:
            return changed
        report = message.get("print")
        if type(report) is dict and report.get("command") == "push_status":
            self._apply_report(report, changed)
        info = message.get("info")
        if type(info) is dict and info.get("command") == "get_version":
            self._apply_version(info, changed)
        event = message.get("event")
        if type(event) is dict:
            self._apply_event(event, changed)
        return changed

    def _apply_report(self, report: dict[str, Any], changed: set[str]) -> None:
        msg = report.get("msg")
        full = (type(msg) is int and msg == 0) or msg == "0"  # not False
        if "msg" not in report and len(report) >= FULL_REPORT_MIN_KEYS:
            # H2-class firmware answers pushall without "msg"; a report this
            # large with the job state is the whole state, not a delta.
            full = "gcode_state" in report
        for key in _VOLATILE:
            report.pop(key, None)
        malformed = [k for k, v in report.items() if not _field_is_valid(k, v)]
        for key in malformed:
            _LOGGER.debug("%s: dropping malformed field %s", self.serial, key)
            del report[key]
        if full:
            replace_with(self._report, report, "", changed)
            self.has_full_report = True
        else:
            merge_into(self._report, report, "", changed)
        self.last_report_at = self._clock()

    def _apply_version(self, info: dict[str, Any], changed: set[str]) -> None:
        if type(info.get("module")) is not list or info == self._version:
            return
        self._version = info
        self._modules = module_versions(info)
        self._ams_modules = ams_modules(info)
        if self._fixed_model is None:
            self.model = detect_model(info, self._cloud_names, self.serial)
        changed.add(CHANGED_VERSION)

    def _apply_event(self, event: dict[str, Any], changed: set[str]) -> None:
        kind = event.get("event")
        online = {"client.connected": True, "client.disconnected": False}.get(
            kind if type(kind) is str else ""
        )
        self.set_online(online, changed)

    def set_online(self, online: bool | None, changed: set[str] | None = None) -> None:
        """Record whether the printer is online (from the cloud or the link)."""
        if online is None or online == self.online:
            return
        self.online = online
        if changed is not None:
            changed.add(CHANGED_ONLINE)

    # --- raw --------------------------------------------------------------

    @property
    def report(self) -> Mapping[str, Any]:
        """The merged print report (read-only by convention), for diagnostics."""
        return self._report

    @property
    def version_info(self) -> Mapping[str, Any]:
        """The last get_version answer."""
        return self._version
