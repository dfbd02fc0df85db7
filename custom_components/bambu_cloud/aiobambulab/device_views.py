"""A printer's camera, nozzles, network, SD card, door and firmware."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .catalog import ModuleVersion
from .nozzles import (
    HotendRack,
    Nozzle,
    NozzleFlow,
    NozzleMaterial,
    nozzles_from_device,
    parse_nozzle_type,
    rack_from_device,
)
from .report_view import ReportView
from .rtsp import RTSP_DISABLED
from .values import as_bool, as_dict, as_float, as_hex, as_int, as_list, as_str, dig


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
class FirmwareUpdate:
    """A firmware version offered for one module."""

    module: str
    current: str | None
    available: str


class DeviceViews(ReportView):
    """The printer's hardware as reported: camera, nozzles, network, firmware."""

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
