"""The live state of one printer, built from its MQTT reports.

``PrinterState.apply`` takes every message the printer sends: a full
``push_status`` replaces the state, a delta is merged into it key by key,
``get_version`` answers identify the model and firmware, and the cloud
broker's connect/disconnect events say whether the printer is online. It
returns the changed paths (see ``merge``) so callers update only what
depends on them. Everything else here is typed, read-only views that never
return a value of the wrong type or outside its physical range.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
import json
import logging
from pathlib import Path
import time
from typing import Any, Final

from .ams import (
    AmsUnit,
    Tray,
    TrayRef,
    external_spools,
    tray_from_snow,
    tray_from_tray_now,
    units_from_report,
)
from .catalog import (
    GENERIC,
    AmsKind,
    ModuleVersion,
    PrinterModel,
    ams_modules,
    detect_model,
    module_versions,
)
from .hms import (
    HmsModule,
    HmsSeverity,
    format_hms_id,
    hms_id,
    hms_module,
    hms_severity,
    print_error_code,
)
from .merge import merge_into, replace_with
from .nozzles import (
    HotendRack,
    Nozzle,
    NozzleFlow,
    NozzleMaterial,
    nozzles_from_device,
    parse_nozzle_type,
    rack_from_device,
)
from .rtsp import RTSP_DISABLED
from .values import (
    as_bool,
    as_dict,
    as_float,
    as_hex,
    as_int,
    as_list,
    as_str,
    dig,
    high_word,
    low_word,
)

_LOGGER = logging.getLogger(__name__)

# Changed-path keys for what is not a field of the print report.
CHANGED_VERSION: Final = "@version"  # get_version answer: model, firmware, AMS modules
CHANGED_ONLINE: Final = "@online"  # the printer went on- or offline
CHANGED_JOB_TIMES: Final = "@job_times"  # start or end estimate moved

# A report without "msg" holding at least this many keys is a full one.
FULL_REPORT_MIN_KEYS: Final = 40

_NO_TRAY: Final = 0xFFFF  # a colour of ``mapping`` that no tray feeds
# Report keys that change with every message and mean nothing as state.
_VOLATILE: Final = ("command", "msg", "sequence_id")

_STAGES: dict[int, str] = {
    int(k): v
    for k, v in json.loads(
        (Path(__file__).parent / "data" / "stages.json").read_text(encoding="utf-8")
    )["stages"].items()
}
STAGE_KEYS: Final = tuple(sorted(set(_STAGES.values())))


class JobState(StrEnum):
    """``gcode_state``: what the printer is doing with a job."""

    IDLE = "idle"
    SLICING = "slicing"
    PREPARE = "prepare"
    RUNNING = "running"
    PAUSE = "pause"
    FINISH = "finish"
    FAILED = "failed"


ACTIVE_JOB_STATES: Final = frozenset(
    {JobState.PREPARE, JobState.RUNNING, JobState.PAUSE}
)


class SpeedLevel(IntEnum):
    """``spd_lvl``: the print speed profile."""

    SILENT = 1
    STANDARD = 2
    SPORT = 3
    LUDICROUS = 4


class SdCardState(StrEnum):
    """``home_flag`` bits 8-9."""

    ABSENT = "absent"
    PRESENT = "present"
    ABNORMAL = "abnormal"
    READ_ONLY = "read_only"


_SD_STATES = (
    SdCardState.ABSENT,
    SdCardState.PRESENT,
    SdCardState.ABNORMAL,
    SdCardState.READ_ONLY,
)


@dataclass(frozen=True, slots=True)
class HmsCode:
    """One active HMS (health management) message."""

    id: str  # 16 hex digits, the key of Bambu's texts and wiki
    attr: int
    code: int

    @property
    def formatted(self) -> str:
        """The id as Bambu shows it: XXXX_XXXX_XXXX_XXXX."""
        return format_hms_id(self.id)

    @property
    def severity(self) -> HmsSeverity:
        """Fatal, serious, common or info."""
        return hms_severity(self.code)

    @property
    def module(self) -> HmsModule:
        """The printer part the message is about."""
        return hms_module(self.attr)


@dataclass(frozen=True, slots=True)
class FirmwareUpdate:
    """A firmware version offered for one module."""

    module: str
    current: str | None
    available: str


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


# What a temperature reading can physically be, in degrees Celsius; anything
# else (a packed 0xFFFF, a corrupt value) is not a reading.
_MEASURED: Final = {
    "nozzle": (-40.0, 500.0),
    "bed": (-40.0, 200.0),
    "chamber": (-40.0, 150.0),
}


def _word(value: int, low: float, high: float) -> float | None:
    """A packed temperature word within its limits, else None."""
    return float(value) if low <= value <= high else None


# Printers report temperatures in 1/32 °C and the readings wobble by fractions
# of a degree around a steady value; Bambu Studio shows whole degrees.
TEMPERATURE_STEP: Final = 1


def settled_temperature(
    reading: float | None, shown: float | None, step: float = TEMPERATURE_STEP
) -> float | None:
    """The temperature to show: ``shown`` until the reading is a step away.

    Once the reading moves a whole step from what is shown, it is shown
    rounded to the step, so a wobble within a step never changes the state
    and a real change always does. Idempotent: the same reading gives the
    same answer when ``shown`` is the previous answer.
    """
    if reading is None:
        return None
    if shown is not None and abs(reading - shown) < step:
        return shown
    return round(reading / step) * step


class PrinterState:
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
        self._job_started_at: float | None = None
        self._end_estimate: float | None = None
        self._job_ended = (
            False  # FINISH/FAILED seen: the next active state is a new job
        )

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
        now = self._clock()
        self.last_report_at = now
        if "gcode_state" in changed or "mc_remaining_time" in changed or full:
            self._track_job_times(now, changed)

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

    def _track_job_times(self, now: float, changed: set[str]) -> None:
        state = self.job_state
        start, end = self._job_started_at, self._end_estimate
        if state in ACTIVE_JOB_STATES:
            # A job may follow FINISH or FAILED without IDLE in between.
            if self._job_started_at is None or self._job_ended:
                self._job_started_at = now
                self._job_ended = False
            remaining = self.remaining_minutes
            self._end_estimate = None if remaining is None else now + remaining * 60
        elif state is not None:
            if state in (JobState.FINISH, JobState.FAILED):
                self._job_ended = True
                if self._end_estimate:
                    self._end_estimate = min(self._end_estimate, now)
            if state in (JobState.IDLE, JobState.SLICING):
                self._job_started_at = self._end_estimate = None
        if (start, end) != (self._job_started_at, self._end_estimate):
            changed.add(CHANGED_JOB_TIMES)

    # --- raw --------------------------------------------------------------

    @property
    def report(self) -> Mapping[str, Any]:
        """The merged print report (read-only by convention), for diagnostics."""
        return self._report

    @property
    def version_info(self) -> Mapping[str, Any]:
        """The last get_version answer."""
        return self._version

    # --- temperatures -------------------------------------------------------

    def _extruders(self) -> list[Mapping[str, Any]]:
        return [
            as_dict(e) for e in as_list(dig(self._report, "device", "extruder", "info"))
        ]

    def _extruder(self, index: int) -> Mapping[str, Any] | None:
        for extruder in self._extruders():
            if as_int(extruder.get("id")) == index:
                return extruder
        return None

    def _packed(self, *path: str) -> int | None:
        return as_int(dig(self._report, *path), 0, 0xFFFFFFFF)

    @property
    def nozzle_count(self) -> int:
        """How many nozzles the printer reports (or its model has)."""
        return len(self._extruders()) or self.model.nozzles

    @property
    def active_nozzle(self) -> int | None:
        """Which nozzle prints now (dual-nozzle printers; 0 otherwise).

        ``device.extruder.state`` bits 4-7; 0xF while the extruders switch
        (Bambu Studio ``ExtderSystemParser::ParseV2_0``, ``GetExtderById``).
        """
        state = as_int(dig(self._report, "device", "extruder", "state"), 0)
        if state is None:
            return 0
        current = state >> 4 & 0xF
        return current if current < self.nozzle_count else None

    def _limits(self, part: str, *, target: bool) -> tuple[float, float]:
        """What a reading can physically be; a target, what the model allows."""
        if not target:
            return _MEASURED[part]
        model = self.model
        highest = {
            "nozzle": model.nozzle_max,
            "bed": model.bed_max,
            "chamber": model.chamber_heater_max or 0,
        }
        return 0, highest[part]

    def _nozzle(self, index: int, *, target: bool) -> float | None:
        legacy_key = "nozzle_target_temper" if target else "nozzle_temper"
        low, high = self._limits("nozzle", target=target)
        if self.nozzle_count == 1 and legacy_key in self._report:
            return as_float(self._report[legacy_key], low, high)
        extruder = self._extruder(index)
        if extruder is None:
            return None
        packed = as_int(extruder.get("temp"), 0, 0xFFFFFFFF)
        if packed is None:
            return None
        return _word(high_word(packed) if target else low_word(packed), low, high)

    def nozzle_temperature(self, index: int = 0) -> float | None:
        """A nozzle's temperature in degrees Celsius."""
        return self._nozzle(index, target=False)

    def nozzle_target_temperature(self, index: int = 0) -> float | None:
        """A nozzle's target temperature."""
        return self._nozzle(index, target=True)

    def _bed(self, *, target: bool) -> float | None:
        legacy_key = "bed_target_temper" if target else "bed_temper"
        low, high = self._limits("bed", target=target)
        if legacy_key in self._report:
            return as_float(self._report[legacy_key], low, high)
        packed = self._packed("device", "bed", "info", "temp")
        if packed is None:
            return None
        return _word(high_word(packed) if target else low_word(packed), low, high)

    @property
    def bed_temperature(self) -> float | None:
        """The bed temperature."""
        return self._bed(target=False)

    @property
    def bed_target_temperature(self) -> float | None:
        """The bed target temperature."""
        return self._bed(target=True)

    @property
    def chamber_temperature(self) -> float | None:
        """The chamber temperature, on printers with a chamber sensor."""
        if not self.model.chamber_temperature:
            return None  # P1/A1 firmware reports a constant placeholder
        low, high = _MEASURED["chamber"]
        # On a printer of unknown model, chamber_temper may be the P1/A1
        # placeholder: only the ctc block, sent by printers with a chamber
        # sensor, is trusted there.
        if "chamber_temper" in self._report and self.model is not GENERIC:
            return as_float(self._report["chamber_temper"], low, high)
        packed = self._packed("device", "ctc", "info", "temp")
        return None if packed is None else _word(low_word(packed), low, high)

    @property
    def chamber_target_temperature(self) -> float | None:
        """The chamber target, on printers with a chamber heater."""
        if not self.model.has_chamber_heater:
            return None
        packed = self._packed("device", "ctc", "info", "temp")
        low, high = self._limits("chamber", target=True)
        return None if packed is None else _word(high_word(packed), low, high)

    # --- job ----------------------------------------------------------------

    @property
    def job_state(self) -> JobState | None:
        """What the printer does with a job."""
        value = as_str(self._report.get("gcode_state"))
        try:
            return JobState(value.lower()) if value else None
        except ValueError:
            return None

    @property
    def progress(self) -> int | None:
        """Job progress in percent."""
        return as_int(self._report.get("mc_percent"), 0, 100)

    @property
    def remaining_minutes(self) -> int | None:
        """Minutes the job still needs."""
        return as_int(self._report.get("mc_remaining_time"), 0, 60 * 24 * 90)

    @property
    def current_layer(self) -> int | None:
        """The layer being printed."""
        return as_int(self._report.get("layer_num"), 0, 1_000_000)

    @property
    def total_layers(self) -> int | None:
        """The job's layer count (None when the printer does not say)."""
        return as_int(self._report.get("total_layer_num"), 1, 1_000_000)

    @property
    def job_name(self) -> str | None:
        """The job name (subtask), else the G-code file name."""
        name = as_str(self._report.get("subtask_name"))
        if name:
            return name.strip() or None
        file = as_str(self._report.get("gcode_file"))
        return file.rsplit("/", 1)[-1] if file else None

    @property
    def subtask_name(self) -> str | None:
        """The job's own name (``subtask_name``), trimmed; None when empty."""
        return (as_str(self._report.get("subtask_name")) or "").strip() or None

    @property
    def gcode_file(self) -> str | None:
        """The G-code file the printer runs."""
        return as_str(self._report.get("gcode_file"))

    @property
    def plate_index(self) -> int | None:
        """The plate of the project the job prints (``plate_idx``), from 1."""
        return as_int(self._report.get("plate_idx"), 1, 255)

    @property
    def filament_mapping(self) -> list[TrayRef | None] | None:
        """The tray of each project colour; None when the firmware omits it.

        Newer firmware reports ``mapping``: per colour, the AMS id in the
        high byte and the slot in the low one (0xFFFF: none).
        """
        raw = self._report.get("mapping")
        if not isinstance(raw, list):
            return None
        trays: list[TrayRef | None] = []
        for value in raw:
            number = as_int(value, 0, _NO_TRAY)
            trays.append(None if number in (None, _NO_TRAY) else tray_from_snow(number))
        return trays

    @property
    def print_type(self) -> str | None:
        """Where the job came from: cloud, local, idle..."""
        return as_str(self._report.get("print_type"))

    @property
    def task_id(self) -> str | None:
        """The cloud task id of the job ("0" for none)."""
        value = self._report.get("task_id")
        text = str(value) if type(value) in (str, int) else None
        return text if text and text != "0" else None

    @property
    def stage_id(self) -> int | None:
        """The current stage id (``stg_cur``)."""
        return as_int(self._report.get("stg_cur"), -1, 255)

    @property
    def stage(self) -> str | None:
        """The current stage as a key of ``STAGE_KEYS``."""
        stage_id = self.stage_id
        if stage_id == 0 and self.job_state not in ACTIVE_JOB_STATES:
            # Firmware leaves 0 ("printing") in place between jobs.
            return _STAGES[-1]
        return None if stage_id is None else _STAGES.get(stage_id)

    @property
    def job_start_time(self) -> datetime | None:
        """When the running job started, as observed."""
        return _datetime(self._job_started_at)

    @property
    def job_end_time(self) -> datetime | None:
        """When the job is expected to end (or ended)."""
        return _datetime(self._end_estimate)

    @property
    def print_error(self) -> int | None:
        """The raw ``print_error`` (0: none)."""
        value = as_int(self._report.get("print_error"), None, 0xFFFFFFFF)
        return None if value is None else max(value, 0)

    @property
    def print_error_code(self) -> str | None:
        """The print error as the 8-hex-digit key of Bambu's texts, or None."""
        value = self.print_error
        return print_error_code(value) if value else None

    @property
    def hms(self) -> list[HmsCode]:
        """Active HMS messages."""
        codes = []
        for item in as_list(self._report.get("hms")):
            attr = as_int(as_dict(item).get("attr"), 0, 0xFFFFFFFF)
            code = as_int(as_dict(item).get("code"), 0, 0xFFFFFFFF)
            if attr is not None and code is not None:
                codes.append(HmsCode(hms_id(attr, code), attr, code))
        return codes

    # --- motion, fans, lights -------------------------------------------------

    @property
    def speed_level(self) -> SpeedLevel | None:
        """The speed profile."""
        value = as_int(self._report.get("spd_lvl"), 1, 4)
        return None if value is None else SpeedLevel(value)

    @property
    def speed_percent(self) -> int | None:
        """The speed magnitude in percent."""
        return as_int(self._report.get("spd_mag"), 1, 1000)

    def _fan_gear_byte(self, byte: int) -> int | None:
        gear = as_int(self._report.get("fan_gear"), 0, 0xFFFFFFFF)
        if not gear:
            return None  # absent, or 0 on firmware that does not maintain it
        return round((gear >> 8 * byte & 0xFF) * 100 / 255)

    def _legacy_fan(self, key: str) -> int | None:
        value = as_int(self._report.get(key), 0, 15)
        # Bambu Studio shows 0-15 in steps of 10 %.
        return None if value is None else min(int(value / 1.5) * 10, 100)

    @property
    def part_fan(self) -> int | None:
        """Part cooling fan speed in percent."""
        gear = self._fan_gear_byte(0)
        return gear if gear is not None else self._legacy_fan("cooling_fan_speed")

    @property
    def aux_fan(self) -> int | None:
        """Auxiliary part cooling fan speed in percent."""
        gear = self._fan_gear_byte(1)
        return gear if gear is not None else self._legacy_fan("big_fan1_speed")

    @property
    def chamber_fan(self) -> int | None:
        """Chamber (exhaust) fan speed in percent."""
        gear = self._fan_gear_byte(2)
        return gear if gear is not None else self._legacy_fan("big_fan2_speed")

    @property
    def heatbreak_fan(self) -> int | None:
        """Hotend heatbreak fan speed in percent."""
        return self._legacy_fan("heatbreak_fan_speed")

    @property
    def airduct_mode(self) -> int | None:
        """The air duct mode id on printers that have one."""
        return as_int(dig(self._report, "device", "airduct", "modeCur"), 0, 255)

    @property
    def lights(self) -> dict[str, str]:
        """Each light node ("chamber_light", "work_light"...) to its mode."""
        result: dict[str, str] = {}
        for item in as_list(self._report.get("lights_report")):
            node, mode = (
                as_str(as_dict(item).get("node")),
                as_str(as_dict(item).get("mode")),
            )
            if node and mode:
                result[node] = mode
        return result

    def light_on(self, node: str = "chamber_light") -> bool | None:
        """Whether a light is on (flashing counts as on)."""
        mode = self.lights.get(node)
        return None if mode is None else mode in ("on", "flashing")

    # --- camera, hardware, network -------------------------------------------

    @property
    def timelapse_enabled(self) -> bool | None:
        """Whether timelapse recording is on."""
        return as_bool(dig(self._report, "ipcam", "timelapse"))

    @property
    def camera_recording(self) -> bool | None:
        """Whether the camera records (ipcam_record)."""
        return as_bool(dig(self._report, "ipcam", "ipcam_record"))

    @property
    def rtsp_url(self) -> str | None:
        """The RTSP URL the printer advertises when LAN live view is on."""
        url = as_str(dig(self._report, "ipcam", "rtsp_url"))
        return url if url and url.startswith("rtsp") else None

    @property
    def live_view_off(self) -> bool:
        """Whether the printer says its LAN live view (RTSPS) is off."""
        return as_str(dig(self._report, "ipcam", "rtsp_url")) == RTSP_DISABLED

    # --- nozzles and hotend rack ----------------------------------------------

    def _block_nozzles(self) -> list[Nozzle] | None:
        device = self._report.get("device")
        return nozzles_from_device(device) if type(device) is dict else None

    def _legacy_nozzle(self) -> Nozzle | None:
        """The one nozzle of the top-level ``nozzle_type`` / ``nozzle_diameter``."""
        raw_type = self._report.get("nozzle_type")
        raw_diameter = self._report.get("nozzle_diameter")
        if raw_type is None and raw_diameter is None:
            return None
        decoded = parse_nozzle_type(raw_type)
        return Nozzle(
            position=0,
            on_rack=False,
            material=decoded.material,
            flow=decoded.flow,
            diameter=as_float(raw_diameter, 0.1, 2.0) or decoded.diameter,
            reliable=None,
            wear=None,
        )

    @property
    def nozzles(self) -> dict[int, Nozzle]:
        """The nozzle on each extruder (0 right or only, 1 left), by extruder.

        ``device.nozzle.info`` wins where reported: the top-level fields can
        contradict it (an H2D reports stainless steel for hardened nozzles,
        and they do not follow a nozzle swap). Bambu Studio reads both the
        same way (``DevNozzleSystemParser`` ParseV2_0 over ParseV1_0).
        """
        block = self._block_nozzles()
        if block is not None:
            return {n.position: n for n in block if not n.on_rack}
        legacy = self._legacy_nozzle()
        return {} if legacy is None else {0: legacy}

    def nozzle(self, index: int = 0) -> Nozzle | None:
        """The nozzle on one extruder, if reported."""
        return self.nozzles.get(index)

    @property
    def nozzle_diameter(self) -> float | None:
        """The (first) nozzle's diameter in millimetres."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.diameter

    @property
    def nozzle_material(self) -> NozzleMaterial | None:
        """The (first) nozzle's material."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.material

    @property
    def nozzle_type(self) -> str | None:
        """The (first) nozzle's material: stainless_steel, hardened_steel, ..."""
        material = self.nozzle_material
        return None if material is None else material.value

    @property
    def nozzle_flow(self) -> NozzleFlow | None:
        """The (first) nozzle's flow type: standard or high flow."""
        nozzle = self.nozzle(0)
        return None if nozzle is None else nozzle.flow

    @property
    def hotend_rack(self) -> HotendRack | None:
        """The hotend rack (H2C), when the printer reports one.

        Other H2-class printers send ``device.holder`` too (null, or without
        a rack behind it): a rack is one of a model that has it, or one that
        reports hotends in it.
        """
        device = self._report.get("device")
        rack = rack_from_device(device) if type(device) is dict else None
        if rack is None or not (self.model.hotend_rack or rack.hotends):
            return None
        return rack

    @property
    def wifi_signal(self) -> int | None:
        """Wi-Fi signal strength in dBm."""
        value = as_str(self._report.get("wifi_signal"))
        if value is None:
            return None
        return as_int(value.lower().removesuffix("dbm"), -120, 0)

    @property
    def ip_address(self) -> str | None:
        """The printer's IPv4 address from ``net`` (little-endian integer)."""
        for item in as_list(dig(self._report, "net", "info")):
            raw = as_int(as_dict(item).get("ip"), 1, 0xFFFFFFFF)
            if raw:
                return ".".join(str(raw >> shift & 0xFF) for shift in (0, 8, 16, 24))
        return None

    @property
    def wired_network(self) -> bool | None:
        """Whether the printer is on Ethernet (``net.conf`` bit 0)."""
        conf = as_int(dig(self._report, "net", "conf"), 0)
        return None if conf is None else bool(conf & 1)

    @property
    def home_flag(self) -> int | None:
        """``home_flag`` as an unsigned 32-bit integer."""
        value = as_int(self._report.get("home_flag"), -(2**31), 2**32 - 1)
        return None if value is None else value & 0xFFFFFFFF

    @property
    def sdcard_present(self) -> bool | None:
        """Whether an SD card is inserted."""
        return as_bool(self._report.get("sdcard"))

    @property
    def sdcard_state(self) -> SdCardState | None:
        """The SD card state from ``home_flag``."""
        flag = self.home_flag
        return None if flag is None else _SD_STATES[flag >> 8 & 3]

    @property
    def door_open(self) -> bool | None:
        """Whether the front door is open, on printers with a door sensor."""
        stat = as_hex(self._report.get("stat"))
        if stat is not None:
            return bool(stat >> 23 & 1)
        if self.model.key in ("X1C", "X1", "X1E") and self.home_flag is not None:
            return bool(self.home_flag >> 23 & 1)
        return None

    @property
    def control_locked(self) -> bool | None:
        """Whether firmware demands signed commands (third-party control locked)."""
        fun = as_hex(self._report.get("fun"))
        return None if fun is None else bool(fun >> 29 & 1)

    # --- firmware ---------------------------------------------------------------

    @property
    def modules(self) -> Mapping[str, ModuleVersion]:
        """Hardware modules from get_version by name ("ota", "ams/0"...)."""
        return self._modules

    @property
    def firmware_version(self) -> str | None:
        """The printer firmware version."""
        ota = self._modules.get("ota")
        return ota.sw_ver or None if ota else None

    @property
    def firmware_updates(self) -> dict[str, FirmwareUpdate]:
        """Firmware the printer offers to install, by module name."""
        upgrade = as_dict(self._report.get("upgrade_state"))
        updates: dict[str, FirmwareUpdate] = {}
        for item in as_list(upgrade.get("new_ver_list")):
            entry = as_dict(item)
            name, new = as_str(entry.get("name")), as_str(entry.get("new_ver"))
            current = as_str(entry.get("cur_ver"))
            if name and new and new != current:
                updates[name] = FirmwareUpdate(name, current, new)
        ota_new = as_str(upgrade.get("ota_new_version_number"))
        if ota_new and "ota" not in updates and ota_new != self.firmware_version:
            updates["ota"] = FirmwareUpdate("ota", self.firmware_version, ota_new)
        return updates

    @property
    def available_firmware(self) -> str | None:
        """The printer firmware on offer (the installed one when none)."""
        update = self.firmware_updates.get("ota")
        return update.available if update else self.firmware_version

    # --- AMS --------------------------------------------------------------------

    @property
    def ams_units(self) -> list[AmsUnit]:
        """The AMS units present."""
        ams = as_dict(self._report.get("ams"))
        if not ams:
            return []
        lite_only = self.model.ams_kinds == frozenset({AmsKind.AMS_LITE})
        default = AmsKind.AMS_LITE if lite_only else AmsKind.AMS
        return units_from_report(
            ams, self._ams_modules, default, estimate=self.remaining_estimate is True
        )

    @property
    def remaining_estimate(self) -> bool | None:
        """Whether the printer estimates the filament left on tracked spools.

        ``home_flag`` bit 7 (Bambu Studio ``MachineObject::parse_home_flag``),
        else the AMS report's ``calibrate_remain_flag``. A tray's ``remain``
        means nothing while this is off.
        """
        if self.home_flag is not None:
            return bool(self.home_flag >> 7 & 1)
        flag = dig(self._report, "ams", "calibrate_remain_flag")
        return flag if type(flag) is bool else None

    @property
    def external_spools(self) -> list[Tray]:
        """The external spool holder(s), by holder (0: id 255, 1: id 254)."""
        return external_spools(self._report)

    @property
    def active_tray(self) -> TrayRef | None:
        """The slot that feeds the printing nozzle."""
        extruders = self._extruders()
        if len(extruders) > 1:
            active = self.active_nozzle
            extruder = None if active is None else self._extruder(active)
            return tray_from_snow(as_int(extruder.get("snow"))) if extruder else None
        return tray_from_tray_now(as_int(dig(self._report, "ams", "tray_now")))

    @property
    def skipped_objects(self) -> frozenset[int]:
        """The ids of the plate's objects the printer skips (``s_obj``)."""
        skipped = self._report.get("s_obj")
        if not isinstance(skipped, list):
            return frozenset()
        return frozenset(v for v in skipped if isinstance(v, int))

    @property
    def ams_status(self) -> tuple[int, int] | None:
        """The AMS main state (0 idle, 1 changing filament...) and sub-state."""
        value = as_int(self._report.get("ams_status"), 0, 0xFFFF)
        return None if value is None else (value >> 8 & 0xFF, value & 0xFF)

    # --- options and controls ---------------------------------------------------

    def _flag_bit(self, key: str, bit: int) -> bool | None:
        """One bit of ``home_flag`` (an int) or of a hex string (``cfg``, ``fun``)."""
        flag = self.home_flag if key == "home_flag" else as_hex(self._report.get(key))
        return None if flag is None else bool(flag >> bit & 1)

    def print_option(self, option: PrintOption) -> bool | None:
        """Whether a ``print_option`` setting is on.

        Firmware with a ``cfg`` field reports the settings there, older
        firmware only in ``home_flag``; Bambu Studio reads them the same way.
        """
        home_bit, cfg_bit = _OPTION_BITS[option]
        if cfg_bit is not None and "cfg" in self._report:
            return self._flag_bit("cfg", cfg_bit)
        return self._flag_bit("home_flag", home_bit)

    def print_option_supported(self, option: PrintOption) -> bool:
        """Whether the printer says it offers a ``print_option`` setting.

        The newest word wins, as in Bambu Studio: an explicit
        ``support_<option>`` field, then the ``fun`` feature bits, then the
        ``home_flag`` support bit. AMS auto-switching needs an AMS unit.
        """
        key, fun_bit, home_bit = _OPTION_SUPPORT[option]
        explicit = self._report.get(key)
        if type(explicit) is bool:
            return explicit
        if option is PrintOption.AUTO_SWITCH_FILAMENT:
            return bool(self.ams_units) and self.print_option(option) is not None
        if fun_bit is not None and as_hex(self._report.get("fun")) is not None:
            return self._flag_bit("fun", fun_bit) is True
        if home_bit is not None:
            return self._flag_bit("home_flag", home_bit) is True
        return False

    @property
    def xcam_modules(self) -> tuple[str, ...]:
        """The camera detectors (xcam) the printer reports, sorted."""
        xcam = self._report.get("xcam")
        return tuple(sorted(xcam)) if type(xcam) is dict else ()

    def xcam_option(self, module: str) -> bool | None:
        """Whether a camera (xcam) detector is on; None when not reported."""
        value = dig(self._report, "xcam", module)
        return value if type(value) is bool else None

    @property
    def airduct_modes(self) -> list[int]:
        """The air duct mode ids the printer offers (``device.airduct.modeList``)."""
        modes: list[int] = []
        for item in as_list(dig(self._report, "device", "airduct", "modeList")):
            mode = as_int(as_dict(item).get("modeId"), 0, 255)
            if mode is not None and mode not in modes:
                modes.append(mode)
        return modes

    @property
    def has_aux_fan(self) -> bool:
        """Whether the printer has an auxiliary part cooling fan."""
        reported = self._report.get("support_aux_fan")
        return reported if type(reported) is bool else self.model.aux_fan

    @property
    def has_chamber_fan(self) -> bool:
        """Whether the printer has a chamber (exhaust) fan."""
        reported = self._report.get("support_chamber_fan")
        return reported if type(reported) is bool else self.model.chamber_fan


def _datetime(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


# --- printer options ---------------------------------------------------------


class PrintOption(StrEnum):
    """Settings switched with ``print_option``; the value is the command's key."""

    PROMPT_SOUND = "sound_enable"
    FILAMENT_TANGLE_DETECT = "filament_tangle_detect"
    AUTO_RECOVERY = "auto_recovery"  # resume after the toolhead lost steps
    AUTO_SWITCH_FILAMENT = "auto_switch_filament"  # AMS: same filament, next spool


# Where each setting's state is: (home_flag bit, cfg bit or None).
_OPTION_BITS: Final[Mapping[PrintOption, tuple[int, int | None]]] = {
    PrintOption.PROMPT_SOUND: (17, 22),
    PrintOption.FILAMENT_TANGLE_DETECT: (20, 23),
    PrintOption.AUTO_RECOVERY: (4, 16),
    PrintOption.AUTO_SWITCH_FILAMENT: (10, None),
}
# How the printer says it has a setting: (support_* field, fun bit, home_flag bit).
_OPTION_SUPPORT: Final[Mapping[PrintOption, tuple[str, int | None, int | None]]] = {
    PrintOption.PROMPT_SOUND: ("support_prompt_sound", 8, 18),
    PrintOption.FILAMENT_TANGLE_DETECT: ("support_filament_tangle_detect", 9, 19),
    PrintOption.AUTO_RECOVERY: ("support_auto_recovery_step_loss", None, None),
    PrintOption.AUTO_SWITCH_FILAMENT: ("support_filament_backup", None, None),
}

# The camera detectors ``xcam_control_set`` switches, by report key.
XCAM_MODULES: Final = (
    "printing_monitor",  # AI print monitoring
    "spaghetti_detector",
    "first_layer_inspector",
    "buildplate_marker_detector",
)
