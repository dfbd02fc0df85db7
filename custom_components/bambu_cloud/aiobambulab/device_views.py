"""A printer's camera, network, SD card, door, control lock and firmware."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .catalog import ModuleVersion
from .report_view import ReportView
from .rtsp import RTSP_DISABLED
from .values import as_bool, as_dict, as_hex, as_int, as_list, as_str, dig


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
    """The printer's hardware as reported: camera, network, storage, firmware."""

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
