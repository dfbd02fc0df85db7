"""The typed commands of a ``Printer``: check the input, send, await the reply.

Each method builds its payload with ``commands`` (bad input raises
``InvalidValue`` before anything is sent) and sends it through the printer's
``request`` (or ``publish`` for messages answered with a report), which
raises ``PrinterOffline``, ``NotConnected``, ``CommandRefused`` or
``CommandTimeout``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Final

from . import commands
from .ams import EXTERNAL_AMS_ID, AmsUnit
from .commands import Axis, Fan, LightNode
from .errors import InvalidValue
from .motion_views import SpeedLevel
from .option_views import PrintOption
from .state import PrinterState

# The printer opens and checks an uploaded project before it answers.
PROJECT_FILE_TIMEOUT: Final = 30.0


class PrinterCommands(ABC):
    """What a printer can be told; ``Printer`` supplies the sending."""

    state: PrinterState

    @abstractmethod
    async def request(
        self,
        payload: dict[str, Any],
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Send a command and return the printer's reply."""

    @abstractmethod
    async def publish(self, payload: dict[str, Any]) -> None:
        """Send a message the printer answers with a report, not a reply."""

    # --- job, heaters, fans, lights, motion, filament ------------------------------

    async def refresh(self) -> None:
        """Ask for the versions and a full report now."""
        await self.publish(commands.get_version())
        await self.publish(commands.pushall())

    async def pause(self) -> None:
        """Pause the running print."""
        await self.request(commands.pause())

    async def resume(self) -> None:
        """Resume a paused print."""
        await self.request(commands.resume())

    async def stop_print(self) -> None:
        """Stop (cancel) the print."""
        await self.request(commands.stop())

    async def set_print_speed(self, level: SpeedLevel | int) -> None:
        """Switch the print speed profile."""
        await self.request(commands.print_speed(level))

    async def set_nozzle_temperature(self, target: float, *, nozzle: int = 0) -> None:
        """Set a nozzle's target temperature; ``InvalidValue`` out of range."""
        payload = commands.set_nozzle_temperature(self.state.model, target, nozzle)
        await self.request(payload)

    async def set_bed_temperature(self, target: float) -> None:
        """Set the bed's target temperature."""
        await self.request(commands.set_bed_temperature(self.state.model, target))

    async def set_chamber_temperature(self, target: float) -> None:
        """Set the chamber heater's target (models with one)."""
        await self.request(commands.set_chamber_temperature(self.state.model, target))

    async def set_fan_speed(self, fan: Fan | int, percent: float) -> None:
        """Set a fan's speed in percent."""
        await self.request(commands.set_fan_speed(fan, percent))

    async def set_light(
        self, on: bool, node: LightNode | str = LightNode.CHAMBER
    ) -> None:
        """Switch a light on or off."""
        await self.request(commands.set_light(_flag("light", on), node))

    async def skip_objects(self, object_ids: Iterable[int]) -> None:
        """Skip objects of the running print."""
        await self.request(commands.skip_objects(object_ids))

    async def home(self) -> None:
        """Home all axes."""
        await self.request(commands.home())

    async def send_gcode(self, gcode: str) -> None:
        """Send G-code lines the printer's model accepts."""
        await self.request(commands.checked_gcode(self.state.model, gcode))

    async def move_axis(
        self, axis: Axis | str, distance_mm: float, speed_mm_min: float | None = None
    ) -> None:
        """Move one axis by a relative distance."""
        await self.request(commands.move_axis(axis, distance_mm, speed_mm_min))

    def _trays(self) -> set[tuple[int, int]]:
        """The AMS trays the printer reports (commands to others are refused)."""
        return {
            (unit.id, tray.slot) for unit in self.state.ams_units for tray in unit.trays
        }

    async def load_filament(self, ams_id: int, tray_id: int) -> None:
        """Load the filament of a tray (the external spool: 255, 254)."""
        await self.request(
            commands.load_filament(ams_id, tray_id, existing=self._trays())
        )

    async def unload_filament(self, ams_id: int = EXTERNAL_AMS_ID) -> None:
        """Unload the filament in the toolhead back to where it came from."""
        await self.request(commands.unload_filament(ams_id=ams_id))

    async def set_filament(
        self,
        ams_id: int,
        tray_id: int,
        *,
        tray_info_idx: str,
        tray_type: str,
        color: str,
        nozzle_temp_min: int,
        nozzle_temp_max: int,
    ) -> None:
        """Tell the printer which filament a tray (or the external spool) holds."""
        await self.request(
            commands.set_filament(
                ams_id,
                tray_id,
                tray_info_idx=tray_info_idx,
                tray_type=tray_type,
                color=color,
                nozzle_temp_min=nozzle_temp_min,
                nozzle_temp_max=nozzle_temp_max,
                existing=self._trays(),
            )
        )

    async def start_drying(
        self,
        unit: AmsUnit,
        temperature: float,
        hours: float,
        *,
        filament: str = "",
        rotate_tray: bool = False,
    ) -> None:
        """Dry the filament in an AMS unit with a heater."""
        await self.request(
            commands.start_drying(
                unit.id,
                temperature,
                hours,
                kind=unit.kind,
                filament=filament,
                rotate_tray=rotate_tray,
            )
        )

    async def stop_drying(self, unit: AmsUnit) -> None:
        """Stop drying in an AMS unit."""
        await self.request(commands.stop_drying(unit.id, kind=unit.kind))

    # --- settings -----------------------------------------------------------------

    async def stop_buzzer(self) -> None:
        """Silence the alarm buzzer (H2-series printers)."""
        await self.request(commands.stop_buzzer())

    async def set_camera_recording(self, on: bool) -> None:
        """Turn the camera's recording of prints on or off."""
        await self.request(commands.set_camera_recording(_flag("recording", on)))

    async def set_timelapse(self, on: bool) -> None:
        """Turn time-lapse recording on or off."""
        await self.request(commands.set_timelapse(_flag("timelapse", on)))

    async def set_xcam_module(self, module: str, on: bool) -> None:
        """Switch a camera detector (``XCAM_MODULES``: AI monitoring...)."""
        await self.request(commands.set_xcam_module(module, on))

    async def set_print_option(self, option: PrintOption | str, on: bool) -> None:
        """Switch a print option (prompt sound, tangle detection...)."""
        await self.request(commands.set_print_option(option, on))

    async def set_airduct_mode(self, mode_id: int) -> None:
        """Switch the air duct mode (cooling, heating...) of printers with one."""
        await self.request(commands.set_airduct_mode(mode_id))

    async def refresh_rfid(self, ams_id: int, tray_id: int) -> None:
        """Re-read the RFID tag of an AMS tray the printer reports."""
        await self.request(
            commands.refresh_rfid(ams_id, tray_id, existing=self._trays())
        )

    # --- printing -----------------------------------------------------------------

    async def start_print(
        self,
        filename: str,
        *,
        plate: int = 1,
        ams_mapping: Sequence[int] | None = None,
        use_ams: bool | None = None,
        timelapse: bool = False,
        bed_leveling: bool = True,
        flow_calibration: bool = False,
        vibration_calibration: bool = False,
        layer_inspect: bool = False,
        job_name: str | None = None,
        upload: Callable[[], Awaitable[str | None]] | None = None,
    ) -> None:
        """Print a sliced project on the printer's storage.

        ``filename`` is relative to the storage root; ``ams_mapping`` gives a
        tray per filament of the project (-1: none). ``upload``, when given,
        puts the file there once every argument is checked (bad input
        uploads nothing). The printer answers once it has opened the project
        (``PROJECT_FILE_TIMEOUT``). An upload that returns a URL put the file
        in the account's cloud storage instead: the printer downloads it from
        there (a cloud print).
        """
        payload = commands.print_project_file(
            self.state.model,
            filename=filename,
            plate=plate,
            ams_mapping=ams_mapping,
            use_ams=use_ams,
            timelapse=_flag("timelapse", timelapse),
            bed_leveling=_flag("bed_leveling", bed_leveling),
            flow_cali=_flag("flow_calibration", flow_calibration),
            vibration_cali=_flag("vibration_calibration", vibration_calibration),
            layer_inspect=_flag("layer_inspect", layer_inspect),
            subtask_name=job_name,
        )
        if upload is not None and (url := await upload()) is not None:
            payload["print"]["url"] = url
        await self.request(payload, PROJECT_FILE_TIMEOUT)


def _flag(name: str, on: object) -> bool:
    """A switch's value: only true or false (a truthy string is refused)."""
    if not isinstance(on, bool):
        raise InvalidValue(f"{name} must be true or false, not {on!r}")
    return on
