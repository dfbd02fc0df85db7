"""The printer catalog: the Bambu Lab model table and model detection.

One table, one place: everything that differs by model (camera kind, heated
chamber, nozzle count, AMS kinds, temperature limits) lives in ``MODELS``.
Firmware can differ from the table, so callers prefer what a printer reports
(a field present in its report) and use this for what a report cannot say,
such as limits. An unknown model gets ``GENERIC``: every reported field still
works.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class CameraKind(StrEnum):
    """How a printer's camera is reached on the LAN."""

    RTSP = "rtsp"  # rtsps://...:322 (X1, H2, P2S, X2D)
    JPEG = "jpeg"  # TLS socket on port 6000 with JPEG frames (P1, A1)
    NONE = "none"


class AmsKind(StrEnum):
    """The kinds of filament systems."""

    AMS = "ams"
    AMS_LITE = "ams_lite"
    AMS_2_PRO = "ams_2_pro"
    AMS_HT = "ams_ht"


ALL_AMS = frozenset({AmsKind.AMS, AmsKind.AMS_2_PRO, AmsKind.AMS_HT})
NEW_AMS = frozenset({AmsKind.AMS_2_PRO, AmsKind.AMS_HT})


@dataclass(frozen=True, slots=True)
class PrinterModel:
    """What a printer model has and accepts."""

    key: str  # the model key Bambu's HMS and wiki data use ("X1C", "A1MINI")
    name: str  # the product name shown to users ("X1 Carbon")
    camera: CameraKind
    chamber_temperature: bool  # has a chamber temperature sensor
    chamber_heater_max: int | None  # highest chamber target; None: no heater
    nozzles: int
    ams_kinds: frozenset[AmsKind]
    nozzle_max: int  # highest nozzle target in degrees Celsius
    bed_max: int  # highest bed target
    files_url: str = "file:///sdcard/"  # where project_file finds uploads
    # Fans besides the part cooling fan (P1P and the A1 family have none).
    aux_fan: bool = True
    chamber_fan: bool = True
    # The H2 series' alarm buzzer, which Bambu Studio silences with buzzer_ctrl.
    buzzer: bool = False
    # How Bambu names the nozzles of a two-nozzle printer, by extruder id
    # (resources/printers/*.json "tool_head_display_names").
    nozzle_names: tuple[str, ...] = ("right", "left")
    hotend_rack: bool = False  # changes hotends from a rack (H2C)

    @property
    def has_chamber_heater(self) -> bool:
        """Whether the chamber temperature can be set."""
        return self.chamber_heater_max is not None


def _x1(key: str, name: str, **overrides: Any) -> PrinterModel:
    values: dict[str, Any] = {
        "camera": CameraKind.RTSP,
        "chamber_temperature": True,
        "chamber_heater_max": None,
        "nozzles": 1,
        "ams_kinds": ALL_AMS,
        "nozzle_max": 300,
        "bed_max": 110,
    }
    values.update(overrides)
    return PrinterModel(key=key, name=name, **values)


def _p1(key: str, name: str, **overrides: Any) -> PrinterModel:
    values: dict[str, Any] = {
        "camera": CameraKind.JPEG,
        "chamber_temperature": False,
        "chamber_heater_max": None,
        "nozzles": 1,
        "ams_kinds": ALL_AMS,
        "nozzle_max": 300,
        "bed_max": 100,
    }
    values.update(overrides)
    return PrinterModel(key=key, name=name, **values)


def _h2(key: str, name: str, **overrides: Any) -> PrinterModel:
    values: dict[str, Any] = {
        "camera": CameraKind.RTSP,
        "chamber_temperature": True,
        "chamber_heater_max": 65,
        "nozzles": 1,
        "ams_kinds": NEW_AMS,
        "nozzle_max": 350,
        "bed_max": 120,
        "files_url": "ftp:///",
        "buzzer": True,
    }
    values.update(overrides)
    return PrinterModel(key=key, name=name, **values)


# The A1 family: open frame, AMS lite, only a part cooling fan.
_BED_SLINGER: dict[str, Any] = {
    "ams_kinds": frozenset({AmsKind.AMS_LITE}),
    "aux_fan": False,
    "chamber_fan": False,
}

MODELS: dict[str, PrinterModel] = {
    model.key: model
    for model in (
        _x1("X1C", "X1 Carbon"),
        _x1("X1", "X1"),
        _x1("X1E", "X1E", chamber_heater_max=60, bed_max=120, nozzle_max=320),
        _p1(
            "P1P",
            "P1P",
            ams_kinds=frozenset({AmsKind.AMS}),
            aux_fan=False,
            chamber_fan=False,
        ),
        _p1("P1S", "P1S"),
        _p1("A1MINI", "A1 mini", bed_max=80, **_BED_SLINGER),
        _p1("A1", "A1", **_BED_SLINGER),
        # Its AMS Lite is unit 16 and it takes an AMS or AMS 2 Pro besides
        # (resources/printers/N9.json support_ams_list).
        _p1(
            "A2L",
            "A2L",
            **{
                **_BED_SLINGER,
                "ams_kinds": frozenset(
                    {AmsKind.AMS_LITE, AmsKind.AMS, AmsKind.AMS_2_PRO}
                ),
            },
        ),
        _x1("P2S", "P2S", ams_kinds=NEW_AMS),
        _h2("H2S", "H2S"),
        # Two extruders; the right one takes its hotends from a rack of six.
        _h2("H2C", "H2C", nozzles=2, hotend_rack=True),
        _h2("H2D", "H2D", nozzles=2),
        _h2("H2DPRO", "H2D Pro", nozzles=2),
        _h2(
            "X2D",
            "X2D",
            nozzles=2,
            buzzer=False,
            nozzle_names=("auxiliary", "main"),
        ),
    )
}

GENERIC = PrinterModel(
    key="GENERIC",
    name="Bambu Lab printer",
    camera=CameraKind.NONE,
    chamber_temperature=True,  # trust the report: shown only when reported
    chamber_heater_max=None,
    nozzles=1,
    ams_kinds=frozenset(AmsKind),
    nozzle_max=300,
    bed_max=110,
)

# Every way a model is named: product names ("Bambu Lab X1-Carbon"), cloud
# product names ("X1 Carbon"), model codes from the cloud bind list and from
# get_version's project_name ("C11", "BL-P001", "N2S"). Compared normalised.
_ALIASES: dict[str, str] = {
    "X1CARBON": "X1C",
    "X1C": "X1C",
    "BLP001": "X1C",
    "X1": "X1",
    "BLP002": "X1",
    "X1E": "X1E",
    "C13": "X1E",
    "P1P": "P1P",
    "C11": "P1P",
    "P1S": "P1S",
    "C12": "P1S",
    "A1MINI": "A1MINI",
    "N1": "A1MINI",
    "A1": "A1",
    "N2S": "A1",
    "A2L": "A2L",
    "N9": "A2L",
    "P2S": "P2S",
    "N7": "P2S",
    "H2S": "H2S",
    "O1S": "H2S",
    "H2C": "H2C",
    "O1C": "H2C",
    "O1C2": "H2C",
    "H2D": "H2D",
    "O1D": "H2D",
    "H2DPRO": "H2DPRO",
    "O1E": "H2DPRO",
    "X2D": "X2D",
    "N6": "X2D",
}

# Serial number prefixes of the models whose get_version may carry no
# product name (Bambu Studio resources/printers/*.json "sn_prefix").
_SERIAL_PREFIXES: dict[str, str] = {
    "094": "H2D",
    "093": "H2S",
    "31B": "H2C",
    "20P": "X2D",
    "26A": "A2L",
}


def _normalise(name: str) -> str:
    name = name.upper().removeprefix("BAMBU LAB").strip()
    return "".join(ch for ch in name if ch.isalnum())


def model_from_name(name: str | None) -> PrinterModel | None:
    """Find a model by any of its names or codes, or None."""
    if not name:
        return None
    key = _ALIASES.get(_normalise(name))
    return MODELS[key] if key else None


def model_from_serial(serial: str | None) -> PrinterModel | None:
    """The model a serial number's prefix names, where Bambu lists one."""
    if not serial:
        return None
    key = _SERIAL_PREFIXES.get(serial[:3].upper())
    return MODELS[key] if key else None


def model_from_version(info: Mapping[str, Any]) -> PrinterModel | None:
    """Detect the model from a ``get_version`` answer (the ``info`` object).

    Newer firmware names the product in some module's ``product_name``; older
    firmware only gives the hardware revision and project of its main board
    (hw_ver AP0x). The H2 series, P2S and X2D have AP04/AP05 boards too, so a
    board revision alone names no model: only the legacy boards' module names
    (``rv1126`` on the X1 series, ``esp32`` on P1 and A1, as Bambu Studio's
    ``parse_version`` reads them) or a project code do. Otherwise None: a
    generic printer is better than a wrong one.
    """
    modules = [m for m in _modules(info) if isinstance(m, Mapping)]
    for module in modules:
        product = module.get("product_name")
        if (
            isinstance(product, str)
            and product.upper().startswith("BAMBU LAB")
            and (found := model_from_name(product))
        ):
            return found
    for module in modules:
        hw_ver = module.get("hw_ver")
        if not isinstance(hw_ver, str) or not hw_ver.startswith("AP0"):
            continue
        project = module.get("project_name") or ""
        name = module.get("name")
        if hw_ver == "AP02":
            return MODELS["X1E"]
        if project == "N1":
            return MODELS["A1MINI"]
        if hw_ver == "AP04" and project in ("C11", "C12"):
            return MODELS["P1S"] if project == "C12" else MODELS["P1P"]
        if hw_ver == "AP05" and project == "N2S":
            return MODELS["A1"]
        if hw_ver == "AP05" and not project and name == "rv1126":
            return MODELS["X1C"]
    # Last resort: a project name that is itself a model code ("C11", "N2S").
    for module in modules:
        if module.get("name") in ("ota", "esp32") and (
            found := model_from_name(str(module.get("project_name") or ""))
        ):
            return found
    return None


def detect_model(
    version_info: Mapping[str, Any] | None = None,
    cloud_names: Iterable[str | None] = (),
    serial: str | None = None,
) -> PrinterModel:
    """Detect from get_version, the cloud's names, the serial; else GENERIC."""
    if version_info and (found := model_from_version(version_info)):
        return found
    for name in cloud_names:
        if found := model_from_name(name):
            return found
    return model_from_serial(serial) or GENERIC


def _modules(info: Mapping[str, Any]) -> list[Any]:
    modules = info.get("module")
    return modules if isinstance(modules, list) else []


@dataclass(frozen=True, slots=True)
class ModuleVersion:
    """A hardware module's identity from get_version."""

    name: str  # "ota", "ams/0", "n3f/2"
    sw_ver: str
    hw_ver: str
    serial: str
    product_name: str


def module_versions(info: Mapping[str, Any]) -> dict[str, ModuleVersion]:
    """Every module of a get_version answer by its name."""
    result: dict[str, ModuleVersion] = {}
    for module in _modules(info):
        if not isinstance(module, Mapping) or not isinstance(module.get("name"), str):
            continue
        result[module["name"]] = ModuleVersion(
            name=module["name"],
            sw_ver=str(module.get("sw_ver") or ""),
            hw_ver=str(module.get("hw_ver") or ""),
            serial=str(module.get("sn") or ""),
            product_name=str(module.get("product_name") or ""),
        )
    return result


# get_version module name prefix -> AMS kind ("ams/0", "n3f/2", "n3s/128").
AMS_MODULE_PREFIXES: dict[str, AmsKind] = {
    "ams": AmsKind.AMS,
    "ams_f1": AmsKind.AMS_LITE,
    "n3f": AmsKind.AMS_2_PRO,
    "n3s": AmsKind.AMS_HT,
}


def ams_modules(info: Mapping[str, Any]) -> dict[int, tuple[AmsKind, ModuleVersion]]:
    """AMS units named by get_version: unit id -> (kind, module)."""
    result: dict[int, tuple[AmsKind, ModuleVersion]] = {}
    for name, module in module_versions(info).items():
        prefix, _, unit = name.partition("/")
        if (kind := AMS_MODULE_PREFIXES.get(prefix)) and unit.isdigit():
            result[int(unit)] = (kind, module)
    return result
