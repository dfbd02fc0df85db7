"""Which report keys each view of ``PrinterState`` reads.

A printer sends its report in pieces; ``PrinterState.apply`` says which
top-level keys (and ``@`` markers: version, online, job times) changed.
Whoever shows a view recomputes it only when one of the keys it depends on
changed: ``depends_on(PrinterState.progress, PrinterState.job_state)`` names
them without spelling the printer's raw keys. The library's tests check each
entry against what the view really reads on every captured printer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from .markers import CHANGED_JOB_TIMES, CHANGED_ONLINE, CHANGED_VERSION
from .state import PrinterState as S

type View = property | Callable[..., object]

_VERSION: Final = CHANGED_VERSION
_NOZZLES: Final = frozenset({"device", "nozzle_type", "nozzle_diameter"})
_AMS: Final = frozenset({"ams", "home_flag", _VERSION})
_SUPPORT: Final = frozenset(
    {
        "support_prompt_sound",
        "support_filament_tangle_detect",
        "support_auto_recovery_step_loss",
        "support_filament_backup",
        "fun",
        "home_flag",
    }
)


def _keys(*keys: str) -> frozenset[str]:
    return frozenset(keys)


# View -> the report keys (and markers) its value comes from.
VIEW_DEPENDENCIES: Final[Mapping[View, frozenset[str]]] = {
    # temperatures
    S.nozzle_count: _keys("device", _VERSION),
    S.active_nozzle: _keys("device", _VERSION),
    S.nozzle_temperature: _keys("nozzle_temper", "device", _VERSION),
    S.nozzle_target_temperature: _keys("nozzle_target_temper", "device", _VERSION),
    S.bed_temperature: _keys("bed_temper", "device"),
    S.bed_target_temperature: _keys("bed_target_temper", "device", _VERSION),
    S.chamber_temperature: _keys("chamber_temper", "device", _VERSION),
    S.chamber_target_temperature: _keys("device", _VERSION),
    # job
    S.job_state: _keys("gcode_state"),
    S.progress: _keys("mc_percent"),
    S.remaining_minutes: _keys("mc_remaining_time"),
    S.current_layer: _keys("layer_num"),
    S.total_layers: _keys("total_layer_num"),
    S.job_name: _keys("subtask_name", "gcode_file"),
    S.subtask_name: _keys("subtask_name"),
    S.gcode_file: _keys("gcode_file"),
    S.plate_index: _keys("plate_idx"),
    S.filament_mapping: _keys("mapping"),
    S.print_type: _keys("print_type"),
    S.task_id: _keys("task_id"),
    S.stage_id: _keys("stg_cur"),
    S.stage: _keys("stg_cur", "gcode_state"),
    S.job_start_time: _keys(CHANGED_JOB_TIMES),
    S.job_end_time: _keys(CHANGED_JOB_TIMES),
    S.print_error: _keys("print_error"),
    S.print_error_code: _keys("print_error"),
    S.hms: _keys("hms"),
    # motion, fans, lights
    S.speed_level: _keys("spd_lvl"),
    S.speed_percent: _keys("spd_mag"),
    S.part_fan: _keys("fan_gear", "cooling_fan_speed"),
    S.aux_fan: _keys("fan_gear", "big_fan1_speed"),
    S.chamber_fan: _keys("fan_gear", "big_fan2_speed"),
    S.heatbreak_fan: _keys("heatbreak_fan_speed"),
    S.airduct_mode: _keys("device"),
    S.airduct_modes: _keys("device"),
    S.has_aux_fan: _keys("support_aux_fan", _VERSION),
    S.has_chamber_fan: _keys("support_chamber_fan", _VERSION),
    S.lights: _keys("lights_report"),
    S.light_on: _keys("lights_report"),
    # camera, hardware, network
    S.timelapse_enabled: _keys("ipcam"),
    S.camera_recording: _keys("ipcam"),
    S.rtsp_url: _keys("ipcam"),
    S.live_view_off: _keys("ipcam"),
    S.nozzles: _NOZZLES,
    S.nozzle: _NOZZLES,
    S.nozzle_diameter: _NOZZLES,
    S.nozzle_material: _NOZZLES,
    S.nozzle_type: _NOZZLES,
    S.nozzle_flow: _NOZZLES,
    S.hotend_rack: _keys("device", _VERSION),
    S.wifi_signal: _keys("wifi_signal"),
    S.ip_address: _keys("net"),
    S.wired_network: _keys("net"),
    S.home_flag: _keys("home_flag"),
    S.sdcard_present: _keys("sdcard"),
    S.sdcard_state: _keys("home_flag"),
    S.door_open: _keys("stat", "home_flag", _VERSION),
    S.control_locked: _keys("fun"),
    # firmware
    S.modules: _keys(_VERSION),
    S.firmware_version: _keys(_VERSION),
    S.firmware_updates: _keys("upgrade_state", _VERSION),
    S.available_firmware: _keys("upgrade_state", _VERSION),
    # AMS and spools
    S.ams_units: _AMS,
    S.remaining_estimate: _keys("home_flag", "ams"),
    S.external_spools: _keys("vir_slot", "vt_tray"),
    S.active_tray: _keys("device", "ams", _VERSION),
    S.ams_status: _keys("ams_status"),
    S.skipped_objects: _keys("s_obj"),
    # options and controls
    S.print_option: _keys("cfg", "home_flag"),
    S.print_option_supported: _SUPPORT | _AMS,
    S.xcam_option: _keys("xcam"),
    S.xcam_modules: _keys("xcam"),
    S.foreign_object_detection: _keys("xcam"),
    S.foreign_object_detection_supported: _keys("fun2"),
}

# What is not a view of the report but changes with it.
MARKERS: Final = frozenset({CHANGED_VERSION, CHANGED_ONLINE, CHANGED_JOB_TIMES})


def depends_on(*views: View | str) -> frozenset[str]:
    """The report keys (and markers) the given views depend on.

    A view is a property or method of ``PrinterState``, or one of the
    ``CHANGED_*`` markers (the model for ``CHANGED_VERSION``, ``online``
    for ``CHANGED_ONLINE``). Unknown views raise KeyError at once.
    """
    keys: set[str] = set()
    for view in views:
        if isinstance(view, str):
            if view not in MARKERS:
                raise KeyError(f"{view!r} is a report key, not a view or marker")
            keys.add(view)
        else:
            keys |= VIEW_DEPENDENCIES[view]
    return frozenset(keys)


def reported(state: S, *views: View) -> bool:
    """Whether the printer reports any key the views read, valid or not.

    What an entity's existence can go by: a printer that reports a field
    has the part, even while its value is unusable.
    """
    report = state.report
    return any(key in report for key in depends_on(*views) - MARKERS)
