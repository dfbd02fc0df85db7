"""HMS and print-error codes: ids, severity, module and localised texts.

Printers report health problems as ``hms`` entries (``attr``/``code`` pairs)
and a single ``print_error`` number. Bambu's texts and wiki pages are keyed by
ids built from those numbers the way Bambu Studio builds them. The texts ship
with the library in ``data/`` (one gzip file per language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import IntEnum, StrEnum
from functools import cache
import gzip
import json
from pathlib import Path
import string
from typing import Any, Final

from .values import as_dict, as_int, as_list

DATA_DIR: Final = Path(__file__).parent / "data"
WIKI_BASE_URL: Final = "https://wiki.bambulab.com"
DEFAULT_LANGUAGE: Final = "en"
WIKI_FILE: Final = "wiki_links.json.gz"
# Every language Bambu publishes its texts in, named as in data/'s files.
LANGUAGES: Final = (
    "en",
    "de",
    "es",
    "fr",
    "hu",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "pt-br",
    "ru",
    "sv",
    "zh-Hans",
)

# Print errors the firmware sets when the user stops a job: "The task was
# canceled." and "Printing was cancelled." in Bambu's texts.
CANCEL_ERROR_CODES: Final = frozenset({"0300400C", "0500400E"})

_MASK32: Final = 0xFFFFFFFF
_HEX: Final = frozenset(string.hexdigits)

# text (or wiki path) -> model keys it applies to; an empty list means all.
type _Choices = Mapping[str, Sequence[str]]
type _Table = Mapping[str, _Choices]


class HmsSeverity(IntEnum):
    """How bad an HMS event is (``code >> 16``); lower is worse."""

    UNKNOWN = 0
    FATAL = 1
    SERIOUS = 2
    COMMON = 3
    INFO = 4

    @property
    def key(self) -> str:
        """A snake_case key for translations ("fatal", "info"...)."""
        return self.name.lower()


class HmsModule(StrEnum):
    """The part of the printer an HMS event is about (``attr >> 24``)."""

    MOTION_CONTROLLER = "motion_controller"
    MAINBOARD = "mainboard"
    AMS = "ams"
    TOOLHEAD = "toolhead"
    CAMERA = "camera"  # the camera and the AI detections built on it
    OTHER = "other"


_MODULES: Final[dict[int, HmsModule]] = {
    0x03: HmsModule.MOTION_CONTROLLER,
    0x05: HmsModule.MAINBOARD,
    0x07: HmsModule.AMS,
    0x08: HmsModule.TOOLHEAD,
    0x0C: HmsModule.CAMERA,
}


def hms_id(attr: int, code: int) -> str:
    """Return the 16-hex-digit HMS id Bambu's texts and wiki use.

    Both numbers are taken as unsigned 32-bit values: a negative number is
    read as its two's complement and higher bits are dropped, so any input
    gives exactly 16 upper-case hex digits. The low byte of ``attr`` is not
    part of the id, as in Bambu Studio.
    """
    attr &= _MASK32
    code &= _MASK32
    # Bambu Studio writes "00000" and one hex digit for code >> 16, which is
    # 1..4 in practice; zero-padding to six keeps 16 digits for any value.
    return (
        f"{attr >> 24:02X}{(attr >> 16) & 0xFF:02X}{(attr >> 8) & 0xFF:02X}"
        f"{code >> 16:06X}{code & 0xFFFF:04X}"
    )


def hms_severity(code: int) -> HmsSeverity:
    """Return the severity of an HMS event from its ``code``."""
    try:
        return HmsSeverity((code & _MASK32) >> 16)
    except ValueError:
        return HmsSeverity.UNKNOWN


def hms_module(attr: int) -> HmsModule:
    """Return the printer part an HMS event is about, from its ``attr``."""
    return _MODULES.get((attr & _MASK32) >> 24, HmsModule.OTHER)


def _normalise_code(value: str, length: int) -> str:
    """Upper-case hex digits without separators; ValueError if malformed."""
    digits = "".join(value.split()).replace("_", "").upper()
    if len(digits) != length or not _HEX.issuperset(digits):
        raise ValueError(f"not a {length}-hex-digit code: {value!r}")
    return digits


def format_hms_id(id16: str) -> str:
    """Show an HMS id grouped by four: ``0300_0200_0001_0001``."""
    digits = _normalise_code(id16, 16)
    return "_".join(digits[i : i + 4] for i in range(0, 16, 4))


def print_error_code(value: int) -> str | None:
    """Return the 8-hex-digit code of a ``print_error`` value, or None.

    ``print_error`` is an unsigned 32-bit number: zero or less means no error,
    and anything wider than 32 bits cannot be a real code, so it is None too.
    """
    if value <= 0 or value > _MASK32:
        return None
    return f"{value:08X}"


def is_cancel_code(code8: str | None) -> bool:
    """Whether a job that failed with this print error was stopped by the user.

    A job that fails without a print error was stopped too.
    """
    return code8 is None or code8 in CANCEL_ERROR_CODES


def format_error_code(code8: str) -> str:
    """Show a print-error code grouped by four: ``0300_8015``."""
    digits = _normalise_code(code8, 8)
    return f"{digits[:4]}_{digits[4:]}"


def _pick(choices: _Choices | None, model_key: str | None) -> str | None:
    """Choose the text for a model: its own, else the generic one, else any."""
    if not choices:
        return None
    # Some entries hold an empty text: treat them as missing.
    usable = [(text, models) for text, models in choices.items() if text.strip()]
    if model_key:
        for text, models in usable:
            if model_key in models:
                return text
    for text, models in usable:
        if not models:
            return text
    return usable[0][0] if usable else None


def _lookup_key(value: str) -> str:
    """Ids arrive grouped or in lower case from users; the data has neither."""
    return "".join(value.split()).replace("_", "").upper()


def _model(model_key: str | None) -> str | None:
    return model_key.upper() if model_key else None


type _Reader = Callable[[str], Any]


class HmsCatalog:
    """HMS and print-error texts in one language, with English as fallback.

    Nothing is read when the catalog is made: Bambu's texts take megabytes in
    memory and are needed only when a printer reports an error. ``load``
    reads the texts of the given codes (blocking: call it from an executor)
    and keeps only those; the lookups answer from what was loaded and never
    read a file, so they are safe in the event loop.
    """

    def __init__(self, language: str, read: _Reader | None = None) -> None:
        """Texts in ``language`` (a shipped one), read by ``read(file name)``."""
        self.language = language
        self._read = read or _read_gz_json
        # (section, key) -> (own language's choices, English choices)
        self._entries: dict[tuple[str, str], tuple[_Choices | None, ...]] = {}
        self._wiki: dict[str, _Choices | None] = {}

    @classmethod
    def from_tables(
        cls,
        language: str,
        texts: Mapping[str, _Table],
        fallback: Mapping[str, _Table] | None = None,
        wiki: _Table | None = None,
    ) -> HmsCatalog:
        """A catalog over tables in memory (``texts`` holds both sections)."""
        files: dict[str, Any] = {
            f"hms_{language}.json.gz": texts,
            WIKI_FILE: wiki or {},
        }
        if fallback is not None:
            files[f"hms_{DEFAULT_LANGUAGE}.json.gz"] = fallback
        return cls(language, lambda name: files.get(name, {}))

    @property
    def loaded(self) -> int:
        """How many codes' texts have been read so far."""
        return len(self._entries)

    def missing(self, hms_ids: Iterable[str], error_codes: Iterable[str]) -> bool:
        """Whether any of these codes' texts still has to be read."""
        entries = self._entries
        return any(
            ("device_hms", _lookup_key(key)) not in entries for key in hms_ids
        ) or any(
            ("device_error", _lookup_key(key)) not in entries for key in error_codes
        )

    def load(self, hms_ids: Iterable[str], error_codes: Iterable[str]) -> None:
        """Read the texts (and wiki pages) of these codes; blocking I/O.

        Codes read before are not read again; a code without a text is
        remembered as such. The rest of the files is dropped at once.
        """
        wanted = {("device_hms", _lookup_key(key)) for key in hms_ids} | {
            ("device_error", _lookup_key(key)) for key in error_codes
        }
        wanted -= self._entries.keys()
        if not wanted:
            return
        own = _sections(self._read(f"hms_{self.language}.json.gz"))
        english = (
            None
            if self.language == DEFAULT_LANGUAGE
            else _sections(self._read(f"hms_{DEFAULT_LANGUAGE}.json.gz"))
        )
        for section, key in wanted:
            choices = [own[section].get(key)]
            if english is not None:
                choices.append(english[section].get(key))
            self._entries[section, key] = tuple(choices)
        wiki_keys = {key for section, key in wanted if section == "device_hms"}
        if wiki_keys - self._wiki.keys():
            wiki: _Table = self._read(WIKI_FILE) or {}
            self._wiki.update((key, wiki.get(key)) for key in wiki_keys)

    def _text(self, section: str, key: str, model_key: str | None) -> str | None:
        model = _model(model_key)
        for choices in self._entries.get((section, _lookup_key(key)), ()):
            if (text := _pick(choices, model)) is not None:
                return text
        return None

    def hms_text(self, id16: str, model_key: str | None = None) -> str | None:
        """The text of an HMS id for a model (``PrinterModel.key``), or None.

        None too while the id's text has not been loaded.
        """
        return self._text("device_hms", id16, model_key)

    def error_text(self, code8: str, model_key: str | None = None) -> str | None:
        """The text of a print-error code for a model, or None (as above)."""
        return self._text("device_error", code8, model_key)

    def wiki_url(self, id16: str, model_key: str | None = None) -> str | None:
        """The wiki page explaining an HMS id for a model, or None (as above)."""
        path = _pick(self._wiki.get(_lookup_key(id16)), _model(model_key))
        if path is None:
            return None
        return f"{WIKI_BASE_URL}/{path.lstrip('/')}"


def report_codes(message: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The HMS ids and print-error code a raw MQTT message reports.

    Read the way ``PrinterState`` reads them, before the message is taken,
    so that their texts can be loaded first. Malformed parts are skipped.
    """
    report = message.get("print") if type(message) is dict else None
    if type(report) is not dict:
        return set(), set()
    hms_ids: set[str] = set()
    for item in as_list(report.get("hms")):
        attr = as_int(as_dict(item).get("attr"), 0, _MASK32)
        code = as_int(as_dict(item).get("code"), 0, _MASK32)
        if attr is not None and code is not None:
            hms_ids.add(hms_id(attr, code))
    value = as_int(report.get("print_error"), None, _MASK32)
    code8 = None if value is None else print_error_code(value)
    return hms_ids, set() if code8 is None else {code8}


def catalog_language(language: str | None) -> str:
    """Return the shipped language for a Home Assistant language code.

    Regional variants use their base language ("de-CH" is German; "pt" is
    European Portuguese, "pt-BR" Brazilian); Chinese is only mapped when it
    is Simplified, since Traditional-Chinese readers are better served by
    English than by the wrong script.
    """
    tag = (language or "").strip().replace("_", "-").lower()
    primary, _, rest = tag.partition("-")
    subtags = set(rest.split("-")) if rest else set()
    if primary == "pt":
        return "pt-br" if "br" in subtags else "pt"
    if primary == "zh":
        if subtags & {"hant", "tw", "hk", "mo"}:
            return DEFAULT_LANGUAGE
        return "zh-Hans"
    if primary in LANGUAGES:
        return primary
    return DEFAULT_LANGUAGE


def _read_gz_json(name: str) -> Any:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as file:
        return json.load(file)


def _sections(data: Any) -> dict[str, _Table]:
    data = data if type(data) is dict else {}
    return {
        "device_hms": data.get("device_hms") or {},
        "device_error": data.get("device_error") or {},
    }


@cache
def load_catalog(language: str | None) -> HmsCatalog:
    """The catalog for a Home Assistant language code (English if unknown).

    Cheap: it reads nothing (see ``HmsCatalog.load``). One catalog per
    shipped language, shared, so texts read for one entry serve the others.
    """
    return _catalog(catalog_language(language))


@cache
def _catalog(language: str) -> HmsCatalog:
    return HmsCatalog(language)
