"""Build the command payloads a printer accepts on ``device/<serial>/request``.

Every builder is pure: it validates its arguments, raising the typed errors
of ``errors`` before anything could be sent, and returns a dict ready to be
JSON-encoded, with a fresh ``sequence_id`` the printer echoes in its reply.
One module per kind of command; this package is where callers find them all
(``commands.pause()``).
"""

from __future__ import annotations

from .drying import (
    DRYING_MAX_HOURS,
    DRYING_MAX_TEMPERATURE,
    DRYING_MIN_HOURS,
    DRYING_MIN_TEMPERATURE,
    start_drying,
    stop_drying,
)
from .fans_and_lights import Fan, LightNode, fan_value, set_fan_speed, set_light
from .filament import (
    EXTERNAL_TRAY_ID,
    MAX_FILAMENT_TEMPERATURE,
    UNLOAD_TARGET,
    load_filament,
    normalize_color,
    refresh_rfid,
    set_filament,
    unload_filament,
)
from .gcode import MAX_GCODE_BYTES, checked_gcode, gcode_line
from .heaters import (
    set_bed_temperature,
    set_chamber_temperature,
    set_nozzle_temperature,
)
from .job_control import (
    MAX_OBJECT_ID,
    get_version,
    pause,
    print_speed,
    pushall,
    resume,
    skip_objects,
    stop,
)
from .motion import (
    DEFAULT_SPEEDS,
    MAX_EXTRUDE_MM,
    MAX_MOVE_MM,
    MAX_SPEED_MM_MIN,
    Axis,
    home,
    move_axis,
)
from .payload import Payload, command_name, next_sequence_id
from .print_file import (
    MAX_PLATE,
    NO_TRAY,
    default_job_name,
    print_project_file,
    url_safe_filename,
)
from .settings import (
    MAX_AIRDUCT_MODE,
    set_airduct_mode,
    set_camera_recording,
    set_print_option,
    set_timelapse,
    set_xcam_module,
    stop_buzzer,
)

__all__ = [
    "DEFAULT_SPEEDS",
    "DRYING_MAX_HOURS",
    "DRYING_MAX_TEMPERATURE",
    "DRYING_MIN_HOURS",
    "DRYING_MIN_TEMPERATURE",
    "EXTERNAL_TRAY_ID",
    "MAX_AIRDUCT_MODE",
    "MAX_EXTRUDE_MM",
    "MAX_FILAMENT_TEMPERATURE",
    "MAX_GCODE_BYTES",
    "MAX_MOVE_MM",
    "MAX_OBJECT_ID",
    "MAX_PLATE",
    "MAX_SPEED_MM_MIN",
    "NO_TRAY",
    "UNLOAD_TARGET",
    "Axis",
    "Fan",
    "LightNode",
    "Payload",
    "checked_gcode",
    "command_name",
    "default_job_name",
    "fan_value",
    "gcode_line",
    "get_version",
    "home",
    "load_filament",
    "move_axis",
    "next_sequence_id",
    "normalize_color",
    "pause",
    "print_project_file",
    "print_speed",
    "pushall",
    "refresh_rfid",
    "resume",
    "set_airduct_mode",
    "set_bed_temperature",
    "set_camera_recording",
    "set_chamber_temperature",
    "set_fan_speed",
    "set_filament",
    "set_light",
    "set_nozzle_temperature",
    "set_print_option",
    "set_timelapse",
    "set_xcam_module",
    "skip_objects",
    "start_drying",
    "stop",
    "stop_buzzer",
    "stop_drying",
    "unload_filament",
    "url_safe_filename",
]
