"""Filament sensors: AMS units, their trays, external spools and the active tray."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfTemperature, UnitOfTime
from homeassistant.helpers.device_registry import DeviceInfo

from .aiobambulab.ams import AmsUnit, Tray, TrayStatus
from .aiobambulab.catalog import AmsKind
from .coordinator import PrinterCoordinator
from .entity import BambuAmsEntity, BambuEntity, BambuEntityDescription
from .sensor_base import (
    ACTIVE_TRAY_PATHS,
    AMS_PATHS,
    EXTERNAL_SPOOL_PATHS,
    STATE_EMPTY,
    STATE_NONE,
    STATE_UNIDENTIFIED,
    Attributes,
    SensorValue,
)

# Trays per AMS unit: an AMS HT holds one spool, every other kind four.
AMS_HT_SLOTS = 1
AMS_SLOTS = 4
K_DECIMALS = 4  # the printer sends float32 noise (0.019999999552965164)
# A tray's number in its entities' names; one dict per slot, shared by them.
TRAY_NUMBERS = tuple({"tray": str(slot + 1)} for slot in range(AMS_SLOTS))


@dataclass(frozen=True, kw_only=True)
class BambuAmsSensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A sensor of one AMS unit."""

    value_fn: Callable[[AmsUnit], SensorValue]
    unit_exists_fn: Callable[[AmsUnit], bool]
    # Whether the entity starts enabled, for the unit it is made for.
    unit_enabled_fn: Callable[[AmsUnit], bool] = lambda _unit: True


AMS_SENSORS: tuple[BambuAmsSensorEntityDescription, ...] = (
    # Names come from the device classes: the entity sits on the AMS device.
    BambuAmsSensorEntityDescription(
        key="ams_humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda unit: unit.humidity,
        unit_exists_fn=lambda unit: unit.humidity is not None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_humidity_index",
        translation_key="ams_humidity_index",
        value_fn=lambda unit: unit.humidity_index,
        unit_exists_fn=lambda unit: unit.humidity_index is not None,
        # The index sums up the humidity in five steps: off where the unit
        # reports the percentage (older firmware sends only the index).
        unit_enabled_fn=lambda unit: unit.humidity is None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda unit: unit.temperature,
        unit_exists_fn=lambda unit: unit.temperature is not None,
        paths=AMS_PATHS,
    ),
    BambuAmsSensorEntityDescription(
        key="ams_drying_remaining",
        translation_key="ams_drying_remaining",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda unit: unit.drying_remaining,
        unit_exists_fn=lambda unit: unit.drying_remaining is not None,
        paths=AMS_PATHS,
    ),
)


# --- trays and external spools -------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BambuTraySensorEntityDescription(BambuEntityDescription, SensorEntityDescription):
    """A sensor of one filament slot: an AMS tray or an external spool."""

    value_fn: Callable[[Tray], SensorValue]
    attributes_fn: Callable[[Tray], Attributes] = lambda _tray: None


def _filament(tray: Tray) -> str | None:
    """The filament's name, or why there is none."""
    if tray.status is TrayStatus.EMPTY:
        return STATE_EMPTY
    if tray.status is TrayStatus.UNKNOWN:
        return STATE_UNIDENTIFIED
    return tray.name


def _filament_attributes(tray: Tray) -> dict[str, Any]:
    return {
        "color": tray.color,
        "colors": list(tray.colors),
        "type": tray.type,
        "profile": tray.profile_name,
        "profile_id": tray.profile_id,
        "nozzle_temperature_min": tray.nozzle_temp_min,
        "nozzle_temperature_max": tray.nozzle_temp_max,
        "remaining": tray.remaining,
        "k": None if tray.k is None else round(tray.k, K_DECIMALS),
        "tag_uid": tray.tag_uid,
    }


def _filament_sensor(
    key: str, paths: frozenset[str]
) -> BambuTraySensorEntityDescription:
    return BambuTraySensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=_filament,
        attributes_fn=_filament_attributes,
        paths=paths,
    )


def _remaining_attributes(tray: Tray) -> Attributes:
    """Why the remaining amount is unknown, when it is."""
    reason = tray.remaining_unknown
    return {"unknown_reason": None if reason is None else reason.value}


def _remaining_sensor(
    key: str, paths: frozenset[str]
) -> BambuTraySensorEntityDescription:
    return BambuTraySensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=PERCENTAGE,
        # No long-term statistics: the level restarts with each spool, and
        # the history's "Filament used" counts what was printed. Off: the
        # tray sensor's ``remaining`` attribute holds the same percentage.
        entity_registry_enabled_default=False,
        value_fn=lambda tray: tray.remaining,
        attributes_fn=_remaining_attributes,
        paths=paths,
    )


TRAY_SENSORS: tuple[BambuTraySensorEntityDescription, ...] = (
    _filament_sensor("tray", AMS_PATHS),
    _remaining_sensor("tray_remaining", AMS_PATHS),
)
# Printers never estimate what is left on an external spool (Bambu Studio
# shows none): unknown, with the reason.
EXTERNAL_SPOOL_SENSORS: tuple[BambuTraySensorEntityDescription, ...] = (
    _filament_sensor("external_spool", EXTERNAL_SPOOL_PATHS),
    _remaining_sensor("external_spool_remaining", EXTERNAL_SPOOL_PATHS),
)
ACTIVE_TRAY = _filament_sensor("active_tray", ACTIVE_TRAY_PATHS)


def tray_slots(unit: AmsUnit) -> range:
    """The slots of an AMS unit."""
    return range(AMS_HT_SLOTS if unit.kind is AmsKind.AMS_HT else AMS_SLOTS)


class BambuAmsSensor(BambuAmsEntity, SensorEntity):
    """A sensor of one AMS unit, on the unit's device."""

    entity_description: BambuAmsSensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuAmsSensorEntityDescription,
        unit: AmsUnit,
        *,
        key_suffix: str,
    ) -> None:
        """Attach to the unit; enabled by default as the description says for it."""
        super().__init__(coordinator, description, unit, key_suffix=key_suffix)
        if not description.unit_enabled_fn(unit):
            self._attr_entity_registry_enabled_default = False

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the unit's state."""
        unit = self.unit
        return None if unit is None else self.entity_description.value_fn(unit)


class BambuTraySensor(BambuEntity, SensorEntity):
    """A sensor of one AMS tray (on the unit's device) or external spool."""

    entity_description: BambuTraySensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuTraySensorEntityDescription,
        slot: tuple[int, int],
        *,
        key_suffix: str,
        device_info: DeviceInfo | None = None,
        translation_key: str | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> None:
        """Attach to the slot ``(ams_id, slot)``, numbered by ``placeholders``."""
        super().__init__(
            coordinator, description, key_suffix=key_suffix, device_info=device_info
        )
        self._slot = slot
        if translation_key is not None:
            self._attr_translation_key = translation_key
        if placeholders is not None:
            self._attr_translation_placeholders = placeholders

    def _tray(self) -> Tray | None:
        return self.coordinator.filament_slot(*self._slot)

    @property
    @override
    def available(self) -> bool:
        """Available while the printer is and reports the slot."""
        return super().available and self._tray() is not None

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value from the slot's state."""
        tray = self._tray()
        return None if tray is None else self.entity_description.value_fn(tray)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """The filament's details, where the description has any."""
        tray = self._tray()
        return None if tray is None else self.entity_description.attributes_fn(tray)


class BambuActiveTraySensor(BambuEntity, SensorEntity):
    """The filament that feeds the printing nozzle, and where it comes from."""

    entity_description: BambuTraySensorEntityDescription

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        description: BambuTraySensorEntityDescription,
    ) -> None:
        """Follow the slot that feeds the nozzle."""
        super().__init__(coordinator, description)

    def _active(self) -> tuple[bool, Tray | None]:
        """Whether a slot feeds the nozzle, and that slot if it is reported."""
        ref = self.state_data.active_tray
        if ref is None:
            return False, None
        return True, self.coordinator.filament_slot(ref.ams_id, ref.slot)

    @property
    @override
    def native_value(self) -> SensorValue:
        """The active filament, ``none``, or unknown for an unreported slot."""
        active, tray = self._active()
        if not active:
            return STATE_NONE
        return None if tray is None else self.entity_description.value_fn(tray)

    @property
    @override
    def extra_state_attributes(self) -> Attributes:
        """Which slot is active and its filament's details."""
        _active, tray = self._active()
        if tray is None:
            return None
        return {
            "ams_id": None if tray.is_external else tray.ams_id,
            "tray": tray.slot + 1,
            "external": tray.is_external,
            **(self.entity_description.attributes_fn(tray) or {}),
        }
