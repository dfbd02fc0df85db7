"""The account's printers as the cloud lists them, and their firmware versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .cloud_values import flag, text, timestamp
from .errors import UnexpectedResponse


@dataclass(frozen=True, slots=True)
class CloudDevice:
    """A printer bound to the account."""

    serial: str  # dev_id
    name: str | None
    online: bool
    print_status: str | None
    model_name: str | None  # dev_model_name, e.g. "BL-P001" or "C11"
    product_name: str | None  # dev_product_name, e.g. "X1 Carbon"
    access_code: str | None = field(repr=False)
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CloudDevice | None:
        """Read one ``devices[]`` entry; None when it has no serial."""
        serial = text(raw.get("dev_id"))
        if serial is None:
            return None
        return cls(
            serial=serial,
            name=text(raw.get("name")),
            online=flag(raw.get("online")),
            print_status=text(raw.get("print_status")),
            model_name=text(raw.get("dev_model_name")),
            product_name=text(raw.get("dev_product_name")),
            access_code=text(raw.get("dev_access_code")),
            raw=dict(raw),
        )


@dataclass(frozen=True, slots=True)
class FirmwareInfo:
    """A printer's firmware as the cloud sees it; None where it did not say."""

    current: str | None
    latest: str | None
    release_notes: str | None
    release_time: datetime | None
    update_available: bool | None
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], device_id: str) -> FirmwareInfo:
        """Read either known answer shape; UnexpectedResponse for neither."""
        devices = data.get("devices")
        if isinstance(devices, list):
            return cls._from_devices(data, devices, device_id)
        inner = data.get("data")
        if isinstance(inner, dict):
            current = text(inner.get("current_version"))
            latest = text(inner.get("latest_version"))
            announced = inner.get("update_available")
            return cls(
                current=current,
                latest=latest,
                release_notes=text(inner.get("release_notes")),
                release_time=timestamp(inner.get("release_time")),
                update_available=announced
                if isinstance(announced, bool)
                else _newer(latest, current),
                raw=dict(data),
            )
        raise UnexpectedResponse("firmware answer has neither devices nor data")

    @classmethod
    def _from_devices(
        cls, data: Mapping[str, Any], devices: list[Any], device_id: str
    ) -> FirmwareInfo:
        entries = [d for d in devices if isinstance(d, dict)]
        # The answer is per device; take ours, or the only one it has.
        entry = next(
            (d for d in entries if d.get("dev_id") == device_id),
            entries[0] if entries else {},
        )
        offered = entry.get("firmware")
        releases = [
            f
            for f in (offered if isinstance(offered, list) else [])
            if isinstance(f, dict) and text(f.get("version"))
        ]
        newest = max(
            releases, key=lambda f: _version_key(str(f["version"])), default={}
        )
        current = text(entry.get("version")) or text(entry.get("current_version"))
        latest = text(newest.get("version"))
        return cls(
            current=current,
            latest=latest,
            release_notes=text(newest.get("description")),
            release_time=timestamp(newest.get("release_time")),
            update_available=_newer(latest, current),
            raw=dict(data),
        )


def _version_key(version: str) -> tuple[int, ...]:
    """Order firmware versions like ``01.08.00.00`` numerically."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def _newer(latest: str | None, current: str | None) -> bool | None:
    if latest is None or current is None:
        return None
    return _version_key(latest) > _version_key(current)
