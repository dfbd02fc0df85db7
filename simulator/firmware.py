"""What a Bambu printer's firmware does, as pure logic (no sockets).

``PrinterFirmware`` starts from a real capture and then behaves like the
firmware: it answers ``pushall`` and ``get_version``, obeys commands (or
refuses them when third-party control is locked), runs print jobs through
preparing, heating and printing layer by layer, and reports what changed as
P1-style deltas. The network layer (MQTT, camera, FTPS) wraps it; tests can
drive it directly and move time by hand.
"""

from __future__ import annotations

from collections.abc import Callable
import copy
from dataclasses import dataclass, field
import math
import re
from typing import Any

AMBIENT = 25.0
NOZZLE_RATE = 6.0  # degrees per second while heating or cooling
BED_RATE = 1.5
CHAMBER_RATE = 0.3
LOCKED_REASON = "mqtt message verify failed"
LOCKED_ERR_CODE = (
    84033543  # 0x05024007: authorization firmware refusing an unsigned command
)
SPEED_MAGNITUDE = {1: 50, 2: 100, 3: 124, 4: 166}
_VOLATILE = ("command", "msg", "sequence_id")
# The simulator diffs and parses on its own, not with bambu.merge/values: a
# fake that shared the library's logic could not catch the library's bugs.
_IDENTITY = {"ams": "id", "tray": "id", "vir_slot": "id", "info": "id", "parts": "id"}
_GCODE_WORD = re.compile(r"([A-Z])(-?\d+(?:\.\d+)?)")
# print_option key -> (home_flag bit, cfg bit or None), as firmware reports them.
PRINT_OPTION_BITS = {
    "sound_enable": (17, 22),
    "filament_tangle_detect": (20, 23),
    "auto_recovery": (4, 16),
    "auto_switch_filament": (10, None),
}
BUZZER_MODES = (0, 1, 2)  # silent, alarm, beeping
# Foreign object detection (H2 series): fun2 bit 13 says the printer has it,
# xcam.cfg bit 21 that it is on; ``xcam_control_set`` "fod_check" switches it.
FOD_SUPPORT_BIT = 13
FOD_CFG_BIT = 21
FOD_MODULE = "fod_check"
FOD_STAGE = 74  # heatbed surface foreign object detection
FOD_PRINT_ERROR = 0x0500_806E  # "Foreign objects detected on heatbed"
FOD_HMS = (0x0C00_0300, 0x0002_0010)  # the same, as an HMS entry
CANCELED_ERROR = 0x0500_400E  # "Printing was cancelled."


@dataclass
class Job:
    """A print job the firmware runs."""

    name: str
    total_layers: int = 50
    prepare_seconds: float = 20.0
    print_seconds: float = 600.0
    nozzle_target: float = 220.0
    bed_target: float = 60.0
    ams_mapping: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    fail_at_percent: int | None = None
    plate_checked: bool = False  # the heatbed check ran (or there is none)


class PrinterFirmware:
    """One simulated printer's firmware state machine."""

    def __init__(
        self, serial: str, report: dict[str, Any], version: dict[str, Any]
    ) -> None:
        """Start from a captured full report and get_version answer."""
        self.serial = serial
        self.state: dict[str, Any] = {
            k: v
            for k, v in copy.deepcopy(report["print"]).items()
            if k not in _VOLATILE
        }
        self.version: dict[str, Any] = copy.deepcopy(version["info"])
        for module in self.version.get("module", []):
            if module.get("name") == "ota":
                module["sn"] = serial
        self.control_locked = False
        self.online = True
        self.commands: list[dict[str, Any]] = []
        self.job: Job | None = None
        # Turns a project_file request into a job (e.g. from an uploaded
        # .3mf); returning None refuses it as "file not found".
        self.job_source: Callable[[dict[str, Any]], Job | None] = _default_job
        self._sent = copy.deepcopy(self.state)
        self._sequence = 0
        # Firmware that keeps fan_gear up to date sends it non-zero.
        self._fan_gear = bool(self.state.get("fan_gear"))
        self.buzzer_mode: int | None = None  # not in reports; tests read it here
        # A print is on the heatbed until someone takes it off (clear_plate);
        # only foreign object detection sees it, no report says it.
        self.plate_occupied = False

    # --- what the printer sends -------------------------------------------

    def _next_sequence(self) -> str:
        self._sequence += 1
        return str(self._sequence)

    def full_report(self) -> dict[str, Any]:
        """A full ``push_status`` (the answer to pushall)."""
        self._sent = copy.deepcopy(self.state)
        return {
            "print": {
                **_strip_private(copy.deepcopy(self.state)),
                "command": "push_status",
                "msg": 0,
                "sequence_id": self._next_sequence(),
            }
        }

    def version_report(self, sequence_id: str = "0") -> dict[str, Any]:
        """The answer to get_version."""
        return {
            "info": {
                **copy.deepcopy(self.version),
                "command": "get_version",
                "sequence_id": sequence_id,
                "result": "success",
                "reason": "",
            }
        }

    def pending_delta(self) -> dict[str, Any] | None:
        """What changed since the last report, as a delta; None if nothing."""
        changes = _diff(self._sent, self.state)
        if not changes:
            return None
        self._sent = copy.deepcopy(self.state)
        return {
            "print": {
                **changes,
                "command": "push_status",
                "msg": 1,
                "sequence_id": self._next_sequence(),
            }
        }

    # --- commands ------------------------------------------------------------

    def handle(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Obey one request; return the messages to publish in reply.

        State changes show up in the next ``pending_delta``, as on real
        firmware: the reply only says whether the command was accepted.
        """
        self.commands.append(copy.deepcopy(payload))
        if not isinstance(payload, dict) or len(payload) != 1:
            return []
        module, body = next(iter(payload.items()))
        if not isinstance(body, dict):
            return []
        command = body.get("command")
        sequence_id = str(body.get("sequence_id", "0"))
        if module == "pushing" and command == "pushall":
            return [self.full_report()]
        if module == "info" and command == "get_version":
            return [self.version_report(sequence_id)]
        if self.control_locked:
            return [_reply(module, body, "failed", LOCKED_REASON, LOCKED_ERR_CODE)]
        handler = _HANDLERS.get((module, command))
        if handler is None:
            return [_reply(module, body, "failed", "unsupported command", 1)]
        error = getattr(self, handler)(body)
        if error:
            return [_reply(module, body, "failed", error, 2)]
        return [_reply(module, body, "success")]

    def _pause(self, _body: dict[str, Any]) -> str | None:
        if self.state.get("gcode_state") not in ("RUNNING", "PREPARE"):
            return "no job to pause"
        self.state["gcode_state"] = "PAUSE"
        self.state["stg_cur"] = 16  # paused by the user
        return None

    def _resume(self, _body: dict[str, Any]) -> str | None:
        if self.state.get("gcode_state") != "PAUSE":
            return "not paused"
        if self.state.get("print_error") == FOD_PRINT_ERROR:
            if self.plate_occupied:
                return "foreign objects detected on heatbed"
            # The plate is clear now: preparing goes on where it stopped.
            self._clear_fod_error()
            self.state["gcode_state"] = "PREPARE"
            return None
        self.state["gcode_state"] = "RUNNING"
        self.state["stg_cur"] = 0
        return None

    def _stop(self, _body: dict[str, Any]) -> str | None:
        if self.state.get("gcode_state") not in ("RUNNING", "PREPARE", "PAUSE"):
            return "no job to stop"
        if self.state.get("print_error") == FOD_PRINT_ERROR:
            # The user stopped it: the firmware says so instead.
            self._clear_fod_error()
            self.set_print_error(CANCELED_ERROR)
        self._end_job("FAILED")
        return None

    def _print_speed(self, body: dict[str, Any]) -> str | None:
        level = _int(body.get("param"))
        if level not in SPEED_MAGNITUDE:
            return "invalid speed level"
        self.state["spd_lvl"] = level
        self.state["spd_mag"] = SPEED_MAGNITUDE[level]
        return None

    def _gcode_line(self, body: dict[str, Any]) -> str | None:
        text = body.get("param")
        if not isinstance(text, str) or not text.strip():
            return "empty gcode"
        for line in text.splitlines():
            words = dict(_GCODE_WORD.findall(line.split(";")[0].upper()))
            code = line.strip().split(" ")[0].upper()
            target = float(words["S"]) if "S" in words else None
            if code == "M104" and target is not None:
                self.set_nozzle_target(int(float(words.get("T", 0))), target)
            elif code == "M140" and target is not None:
                self.set_bed_target(target)
            elif code == "M141" and target is not None:
                self._set_chamber_target(target)
            elif code == "M106" and target is not None:
                self._set_fan(int(float(words.get("P", 1))), int(target))
        return None

    def _set_nozzle_temp(self, body: dict[str, Any]) -> str | None:
        index, target = _int(body.get("extruder_index")), _int(body.get("target_temp"))
        if index is None or target is None or not 0 <= index < len(self._extruders()):
            return "invalid nozzle"
        self.set_nozzle_target(index, target)
        return None

    def _ledctrl(self, body: dict[str, Any]) -> str | None:
        node, mode = body.get("led_node"), body.get("led_mode")
        lights = self.state.setdefault("lights_report", [])
        for light in lights:
            if light.get("node") == node:
                light["mode"] = mode
                return None
        return "unknown light"

    def _project_file(self, body: dict[str, Any]) -> str | None:
        if self.state.get("gcode_state") in ("RUNNING", "PREPARE", "PAUSE"):
            return "printer busy"
        try:
            job = self.job_source(body)
        except (TypeError, ValueError):
            return "invalid project file request"
        if job is None:
            return "file not found"
        self.start_job(job)
        self.state["gcode_file"] = str(body.get("param", ""))
        return None

    def _skip_objects(self, body: dict[str, Any]) -> str | None:
        ids = body.get("obj_list")
        if not isinstance(ids, list) or not ids:
            return "no objects"
        self.state["s_obj"] = sorted({*self.state.get("s_obj", []), *ids})
        return None

    def _ams_change_filament(self, body: dict[str, Any]) -> str | None:
        target = _int(body.get("target"))
        if target is None:
            return "invalid target"
        ams = self.state.setdefault("ams", {})
        ams["tray_tar"] = str(target)
        ams["tray_now"] = str(target)
        return None

    def _ams_filament_setting(self, body: dict[str, Any]) -> str | None:
        tray = self.tray(_int(body.get("ams_id")), _int(body.get("tray_id")))
        if tray is None:
            return "no such tray"
        for key in (
            "tray_info_idx",
            "tray_type",
            "tray_color",
            "nozzle_temp_min",
            "nozzle_temp_max",
        ):
            if key in body:
                tray[key] = str(body[key]) if "temp" in key else body[key]
        # A user-set filament is no longer the spool's RFID brand.
        tray["tray_sub_brands"] = ""
        tray["cols"] = [body.get("tray_color", tray.get("tray_color", ""))]
        return None

    def _ams_drying(self, body: dict[str, Any]) -> str | None:
        unit = self.ams_unit(_int(body.get("ams_id")))
        if unit is None or "info" not in unit:
            return "no such unit"
        info = int(unit["info"], 16)
        on = _int(body.get("mode")) == 1
        unit["info"] = format((info & ~0xF0) | (0x20 if on else 0), "X")
        unit["dry_time"] = 60 * (_int(body.get("duration")) or 0) if on else 0
        return None

    def _camera_record(self, body: dict[str, Any]) -> str | None:
        self.state.setdefault("ipcam", {})["ipcam_record"] = body.get("control")
        return None

    def _timelapse(self, body: dict[str, Any]) -> str | None:
        self.state.setdefault("ipcam", {})["timelapse"] = body.get("control")
        return None

    def _print_option(self, body: dict[str, Any]) -> str | None:
        options = {k: body[k] for k in PRINT_OPTION_BITS if k in body}
        if "auto_recovery" not in options and isinstance(body.get("option"), int):
            options["auto_recovery"] = bool(body["option"] & 1)  # older clients
        if not options or not all(isinstance(v, bool) for v in options.values()):
            return "invalid print option"
        for key, on in options.items():
            home_bit, cfg_bit = PRINT_OPTION_BITS[key]
            self.state["home_flag"] = _with_bit(
                int(self.state.get("home_flag", 0)), home_bit, on
            )
            if cfg_bit is not None and isinstance(self.state.get("cfg"), str):
                self.state["cfg"] = _with_hex_bit(self.state["cfg"], cfg_bit, on)
        return None

    def _xcam_control(self, body: dict[str, Any]) -> str | None:
        xcam = self.state.get("xcam")
        module, on = body.get("module_name"), body.get("control", body.get("enable"))
        if module == FOD_MODULE and self.has_plate_check and isinstance(on, bool):
            self._set_plate_check(on)
            return None
        if not isinstance(xcam, dict) or not isinstance(xcam.get(module), bool):
            return "unknown module"
        if not isinstance(on, bool):
            return "invalid control"
        xcam[module] = on
        return None

    def _buzzer(self, body: dict[str, Any]) -> str | None:
        mode = body.get("mode")
        if mode not in BUZZER_MODES or isinstance(mode, bool):
            return "invalid buzzer mode"
        self.buzzer_mode = mode
        return None

    def _set_airduct(self, body: dict[str, Any]) -> str | None:
        airduct = self.state.get("device", {}).get("airduct")
        if not isinstance(airduct, dict):
            return "no air duct"
        mode = body.get("modeId")
        offered = [m.get("modeId") for m in airduct.get("modeList", [])]
        if isinstance(mode, bool) or mode not in offered:
            return "invalid air duct mode"
        airduct["modeCur"] = mode
        return None

    # --- foreign object detection ---------------------------------------------

    def add_plate_check(self, on: bool = True) -> None:
        """Give the printer foreign object detection (on or off), as the H2 series have."""
        fun2 = int(str(self.state.get("fun2") or "0"), 16) | 1 << FOD_SUPPORT_BIT
        self.state["fun2"] = format(fun2, "X")
        self._set_plate_check(on)

    @property
    def has_plate_check(self) -> bool:
        """Whether the printer reports foreign object detection."""
        return bool(int(str(self.state.get("fun2") or "0"), 16) >> FOD_SUPPORT_BIT & 1)

    @property
    def plate_check_on(self) -> bool:
        """Whether it checks the heatbed when a job starts."""
        cfg = self.state.get("xcam", {}).get("cfg", 0)
        return self.has_plate_check and bool(int(cfg) >> FOD_CFG_BIT & 1)

    def _set_plate_check(self, on: bool) -> None:
        xcam = self.state.setdefault("xcam", {})
        cfg = int(xcam.get("cfg", 0))
        xcam["cfg"] = cfg | 1 << FOD_CFG_BIT if on else cfg & ~(1 << FOD_CFG_BIT)

    def _check_plate(self, job: Job) -> bool:
        """Check the heatbed as a job starts; pause it if something is there."""
        job.plate_checked = True
        if not (self.plate_check_on and self.plate_occupied):
            return True
        self.state.update({"gcode_state": "PAUSE", "stg_cur": FOD_STAGE})
        self.set_print_error(FOD_PRINT_ERROR)
        self.raise_hms(*FOD_HMS)
        return False

    def _clear_fod_error(self) -> None:
        self.set_print_error(0)
        self.state["hms"] = [
            entry
            for entry in self.state.get("hms", [])
            if (entry.get("attr"), entry.get("code")) != FOD_HMS
        ]

    # --- the physical printer -------------------------------------------------

    def ams_unit(self, unit_id: int | None) -> dict[str, Any] | None:
        """An AMS unit's report object."""
        for unit in self.state.get("ams", {}).get("ams", []):
            if _int(unit.get("id")) == unit_id:
                return unit  # type: ignore[no-any-return]
        return None

    def tray(self, unit_id: int | None, slot: int | None) -> dict[str, Any] | None:
        """A tray's report object (unit 255: the external spool)."""
        if unit_id == 255:
            return self.state.get("vt_tray") or next(
                iter(self.state.get("vir_slot", [])), None
            )
        unit = self.ams_unit(unit_id)
        for tray in (unit or {}).get("tray", []):
            if _int(tray.get("id")) == slot:
                return tray  # type: ignore[no-any-return]
        return None

    def _extruders(self) -> list[dict[str, Any]]:
        return self.state.get("device", {}).get("extruder", {}).get("info", [])  # type: ignore[no-any-return]

    def nozzle(self, index: int = 0) -> tuple[float, float]:
        """A nozzle's (temperature, target)."""
        extruders = self._extruders()
        if len(extruders) > 1:
            packed = extruders[index]["temp"]
            return float(packed & 0xFFFF), float(packed >> 16)
        return float(self.state["nozzle_temper"]), float(
            self.state["nozzle_target_temper"]
        )

    def set_nozzle_target(self, index: int, target: float) -> None:
        """Set a nozzle's target temperature."""
        current, _ = self.nozzle(index)
        self._set_nozzle(index, current, target)

    def _set_nozzle(self, index: int, current: float, target: float) -> None:
        extruders = self._extruders()
        if len(extruders) > 1:
            extruders[index]["temp"] = int(target) << 16 | int(current)
        elif extruders:
            extruders[0]["temp"] = int(target) << 16 | int(current)
        if len(extruders) <= 1 or index == 0:
            self.state["nozzle_temper"] = round(current, 2)
            self.state["nozzle_target_temper"] = float(target)

    def set_bed_target(self, target: float) -> None:
        """Set the bed target temperature."""
        self.state["bed_target_temper"] = float(target)
        self._pack("bed", float(self.state["bed_temper"]), target)

    def _pack(self, part: str, current: float, target: float) -> None:
        info = self.state.get("device", {}).get(part, {}).get("info")
        if isinstance(info, dict):
            info["temp"] = int(target) << 16 | int(current)

    def _set_chamber_target(self, target: float) -> None:
        info = self.state.get("device", {}).get("ctc", {}).get("info")
        if isinstance(info, dict):
            info["temp"] = int(target) << 16 | (info["temp"] & 0xFFFF)

    def _set_fan(self, fan: int, value: int) -> None:
        value = max(0, min(255, value))
        key = {1: "cooling_fan_speed", 2: "big_fan1_speed", 3: "big_fan2_speed"}.get(
            fan
        )
        if key is None:
            return
        # Levels 0-15; Bambu Studio shows floor(level / 1.5) * 10 %, so a
        # 10 % step needs the level rounded up (70 % is level 11, not 10).
        self.state[key] = str(math.ceil(value * 15 / 255 - 1e-9))
        if self._fan_gear:
            gear = int(self.state["fan_gear"])
            shift = 8 * (fan - 1)
            self.state["fan_gear"] = gear & ~(0xFF << shift) | value << shift

    def raise_hms(self, attr: int, code: int) -> None:
        """Add an HMS message."""
        self.state.setdefault("hms", []).append({"attr": attr, "code": code})

    def clear_hms(self) -> None:
        """Clear every HMS message."""
        self.state["hms"] = []

    def set_print_error(self, code: int) -> None:
        """Set (or with 0 clear) the print error."""
        self.state["print_error"] = code

    # --- jobs -----------------------------------------------------------------

    def start_job(self, job: Job) -> None:
        """Start a job: prepare, heat up, then print."""
        self.job = job
        self.state.update(
            {
                "gcode_state": "PREPARE",
                "stg_cur": 2,  # heatbed preheating
                "mc_percent": 0,
                "layer_num": 0,
                "total_layer_num": job.total_layers,
                "mc_remaining_time": round(
                    (job.prepare_seconds + job.print_seconds) / 60
                ),
                "subtask_name": job.name,
                "print_error": 0,
                "s_obj": [],
            }
        )
        self.set_bed_target(job.bed_target)
        self.set_nozzle_target(0, job.nozzle_target)

    def _end_job(self, state: str) -> None:
        if state == "FINISH" or int(self.state.get("layer_num") or 0) > 0:
            self.plate_occupied = True  # what was printed stays there
        self.state["gcode_state"] = state
        self.state["stg_cur"] = 255 if "stg_cur" in self.state else -1
        self.state["mc_remaining_time"] = 0
        if state == "FINISH":
            self.state["mc_percent"] = 100
            self.state["layer_num"] = self.state.get("total_layer_num", 0)
        self.set_bed_target(0)
        for index in range(max(len(self._extruders()), 1)):
            self.set_nozzle_target(index, 0)
        self.job = None

    def advance(self, seconds: float) -> None:
        """Let time pass: temperatures move, a running job progresses."""
        self._move_temperatures(seconds)
        self._dry(seconds)
        job = self.job
        if job is None or self.state.get("gcode_state") == "PAUSE":
            return
        if not job.plate_checked and not self._check_plate(job):
            return
        job.elapsed += seconds
        if self.state["gcode_state"] == "PREPARE":
            if job.elapsed < job.prepare_seconds:
                self.state["stg_cur"] = (
                    2 if job.elapsed < job.prepare_seconds / 2 else 7
                )
                return
            self.state.update({"gcode_state": "RUNNING", "stg_cur": 0})
        printed = min(1.0, (job.elapsed - job.prepare_seconds) / job.print_seconds)
        percent = int(printed * 100)
        self.state["mc_percent"] = max(int(self.state.get("mc_percent", 0)), percent)
        self.state["layer_num"] = max(
            int(self.state.get("layer_num", 0)),
            min(job.total_layers, 1 + int(printed * job.total_layers)),
        )
        self.state["mc_remaining_time"] = round((1 - printed) * job.print_seconds / 60)
        self._consume_filament(job, printed)
        if job.fail_at_percent is not None and percent >= job.fail_at_percent:
            self.set_print_error(0x0300_8015)
            self._end_job("FAILED")
        elif printed >= 1.0:
            self._end_job("FINISH")

    def _consume_filament(self, job: Job, printed: float) -> None:
        for target in job.ams_mapping[:1]:
            unit, slot = (target, 0) if target >= 128 else (target >> 2, target & 3)
            tray = self.tray(unit, slot)
            if (
                tray is not None
                and isinstance(tray.get("remain"), int)
                and tray["remain"] > 0
            ):
                start = tray.setdefault("_start_remain", tray["remain"])
                tray["remain"] = max(0, start - int(printed * 10))

    def _dry(self, seconds: float) -> None:
        for unit in self.state.get("ams", {}).get("ams", []):
            left = unit.get("dry_time")
            if isinstance(left, int) and left > 0:
                # dry_time counts minutes; seconds accumulate in a private field.
                spent = unit.get("_dry_seconds", 0.0) + seconds
                unit["dry_time"] = max(0, left - int(spent // 60))
                unit["_dry_seconds"] = spent % 60
                if unit["dry_time"] == 0 and "info" in unit:
                    unit["info"] = format(int(unit["info"], 16) & ~0xF0, "X")

    def _move_temperatures(self, seconds: float) -> None:
        for index in range(max(len(self._extruders()), 1)):
            current, target = self.nozzle(index)
            goal = target or AMBIENT
            self._set_nozzle(
                index, _approach(current, goal, NOZZLE_RATE * seconds), target
            )
        bed, bed_target = (
            float(self.state["bed_temper"]),
            float(self.state["bed_target_temper"]),
        )
        self.state["bed_temper"] = round(
            _approach(bed, bed_target or AMBIENT, BED_RATE * seconds), 2
        )
        self._pack("bed", self.state["bed_temper"], bed_target)


def _default_job(body: dict[str, Any]) -> Job:
    url = str(body.get("url", ""))
    name = body.get("subtask_name") or url.rsplit("/", 1)[-1].removesuffix(".3mf")
    mapping = body.get("ams_mapping") or []
    return Job(name=str(name), ams_mapping=[int(v) for v in mapping])


def _approach(current: float, goal: float, step: float) -> float:
    if abs(goal - current) <= step:
        return goal
    return current + step if goal > current else current - step


def _with_bit(flag: int, bit: int, on: bool) -> int:
    """Set or clear a bit of a 32-bit flag word, sent signed like firmware does."""
    value = flag & 0xFFFFFFFF
    value = value | 1 << bit if on else value & ~(1 << bit)
    return value - (1 << 32) if value >= 1 << 31 else value


def _with_hex_bit(text: str, bit: int, on: bool) -> str:
    """Set or clear a bit of a hex-string flag word (``cfg``)."""
    value = int(text, 16)
    value = value | 1 << bit if on else value & ~(1 << bit)
    return format(value, "X").rjust(len(text), "0")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reply(
    module: str,
    body: dict[str, Any],
    result: str,
    reason: str = "",
    err_code: int = 0,
) -> dict[str, Any]:
    answer = {
        "command": body.get("command"),
        "sequence_id": str(body.get("sequence_id", "0")),
        "result": result,
        "reason": reason,
    }
    if err_code:
        answer["err_code"] = err_code
    return {module: answer}


def _diff(old: Any, new: Any) -> dict[str, Any]:
    """The fields of ``new`` that differ from ``old``, the way firmware sends them."""
    changes: dict[str, Any] = {}
    for key, value in new.items():
        if key.startswith("_"):
            continue  # the simulator's own bookkeeping
        before = old.get(key) if isinstance(old, dict) else None
        if before == value:
            continue
        if isinstance(value, dict) and isinstance(before, dict):
            changes[key] = _diff(before, value)
        elif (
            isinstance(value, list)
            and isinstance(before, list)
            and key in _IDENTITY
            and all(isinstance(item, dict) for item in value + before)
        ):
            field_name = _IDENTITY[key]
            old_items = {str(item.get(field_name)): item for item in before}
            changes[key] = [
                {
                    field_name: item.get(field_name),
                    **_diff(old_items.get(str(item.get(field_name)), {}), item),
                }
                for item in value
                if old_items.get(str(item.get(field_name))) != item
            ]
        else:
            changes[key] = _strip_private(copy.deepcopy(value))
    return changes


def _strip_private(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_private(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_strip_private(v) for v in value]
    return value


# (module, command) -> the method that obeys it.
_HANDLERS: dict[tuple[str, str], str] = {
    ("print", "pause"): "_pause",
    ("print", "resume"): "_resume",
    ("print", "stop"): "_stop",
    ("print", "print_speed"): "_print_speed",
    ("print", "gcode_line"): "_gcode_line",
    ("print", "set_nozzle_temp"): "_set_nozzle_temp",
    ("print", "project_file"): "_project_file",
    ("print", "skip_objects"): "_skip_objects",
    ("print", "ams_change_filament"): "_ams_change_filament",
    ("print", "ams_filament_setting"): "_ams_filament_setting",
    ("print", "ams_filament_drying"): "_ams_drying",
    ("print", "print_option"): "_print_option",
    ("print", "buzzer_ctrl"): "_buzzer",
    ("print", "set_airduct"): "_set_airduct",
    ("xcam", "xcam_control_set"): "_xcam_control",
    ("system", "ledctrl"): "_ledctrl",
    ("camera", "ipcam_record_set"): "_camera_record",
    ("camera", "ipcam_timelapse"): "_timelapse",
}
