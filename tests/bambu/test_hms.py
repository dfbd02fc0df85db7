"""HMS ids, print-error codes and the shipped HMS texts."""

from __future__ import annotations

from functools import cache
import gzip
import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.bambu_cloud.aiobambulab import hms
from custom_components.bambu_cloud.aiobambulab.catalog import MODELS
from custom_components.bambu_cloud.aiobambulab.hms import (
    LANGUAGES,
    WIKI_BASE_URL,
    HmsCatalog,
    HmsModule,
    HmsSeverity,
    catalog_language,
    format_error_code,
    format_hms_id,
    hms_id,
    hms_module,
    hms_severity,
    is_cancel_code,
    load_catalog,
    print_error_code,
    report_codes,
)

MASK32 = 0xFFFFFFFF


@cache
def raw(language: str) -> dict[str, Any]:
    """The shipped data of a language, read independently of the module."""
    with gzip.open(hms.DATA_DIR / f"hms_{language}.json.gz", "rt") as file:
        data: dict[str, Any] = json.load(file)
    return data


@cache
def raw_wiki() -> dict[str, Any]:
    with gzip.open(hms.DATA_DIR / "wiki_links.json.gz", "rt") as file:
        data: dict[str, Any] = json.load(file)
    return data


@cache
def full(language: str) -> HmsCatalog:
    """A catalog with every text of the data loaded."""
    catalog = HmsCatalog(language)
    catalog.load(raw("en")["device_hms"], raw("en")["device_error"])
    return catalog


def expected_id(attr: int, code: int) -> str:
    """The id from byte pieces: attr's top three bytes, then code as 10 digits."""
    top = (attr & MASK32).to_bytes(4, "big")[:3].hex().upper()
    return top + "00" + (code & MASK32).to_bytes(4, "big").hex().upper()


def split_id(id16: str) -> tuple[int, int]:
    """An (attr, code) pair that produces ``id16``; the low attr byte is noise."""
    attr = int(id16[:6], 16) << 8 | 0x5A
    code = int(id16[6:12], 16) << 16 | int(id16[12:], 16)
    return attr, code


def multi_model_entry(table: dict[str, dict[str, list[str]]], model: str):
    """An id with a text for ``model`` and a different generic text."""
    for key, choices in table.items():
        own = [text for text, models in choices.items() if model in models]
        generic = [text for text, models in choices.items() if not models and text]
        if own and generic and own[0] != generic[0]:
            return key, own[0], generic[0]
    raise AssertionError(f"no {model}-specific entry in the data")


# --- ids and codes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("attr", "code"),
    [
        (0x03000100, 0x00010001),  # motion controller, fatal
        (0x0500_0100, 0x0003_0007),
        (0x0700_2000, 0x0002_0004),  # AMS unit 0, serious
        (0x0701_2000, 0x0002_0004),  # AMS unit 1
        (0x0C00_0300, 0x0003_000B),  # camera
        (0x1200_0100, 0x0004_0001),
        (0x0300_02FF, 0x0001_0001),  # the low attr byte is ignored
    ],
)
def test_hms_id_matches_byte_pieces(attr: int, code: int) -> None:
    assert hms_id(attr, code) == expected_id(attr, code)
    assert len(hms_id(attr, code)) == 16


def test_every_id_in_the_data_is_reachable_from_attr_and_code() -> None:
    catalog = full("en")
    for id16 in raw("en")["device_hms"]:
        attr, code = split_id(id16)
        assert hms_id(attr, code) == id16
    known = next(k for k, v in raw("en")["device_hms"].items() if any(v))
    assert catalog.hms_text(hms_id(*split_id(known))) is not None


def test_known_id_text() -> None:
    # 0300_0100_0001_0001 is the heatbed short-circuit error on every model.
    id16 = hms_id(0x03000100, 0x00010001)
    assert id16 == "0300010000010001"
    assert "heatbed" in (full("en").hms_text(id16) or "").lower()


@pytest.mark.parametrize(
    ("attr", "code"),
    [
        (-1, -1),
        (0, 0),
        (2**40 + 0x03000100, 2**40 + 0x00010001),
        (0x03000100, 0xFFFF0001),  # a severity field wider than one digit
        (0x03000100, 0x00100001),
    ],
)
def test_hms_id_odd_inputs_stay_16_digits(attr: int, code: int) -> None:
    result = hms_id(attr, code)
    assert len(result) == 16
    assert result == expected_id(attr, code)
    assert result == hms_id(attr & MASK32, code & MASK32)


def test_negative_numbers_are_twos_complement() -> None:
    assert hms_id(-1, -1) == "FFFFFF00FFFFFFFF"


@given(st.integers(), st.integers())
def test_hms_id_property(attr: int, code: int) -> None:
    result = hms_id(attr, code)
    assert len(result) == 16
    assert result == result.upper()
    int(result, 16)
    assert result == expected_id(attr, code)


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        (0x00010001, HmsSeverity.FATAL),
        (0x00020001, HmsSeverity.SERIOUS),
        (0x00030001, HmsSeverity.COMMON),
        (0x00040001, HmsSeverity.INFO),
        (0x00000001, HmsSeverity.UNKNOWN),
        (0x00050001, HmsSeverity.UNKNOWN),
        (-1, HmsSeverity.UNKNOWN),
    ],
)
def test_severity(code: int, severity: HmsSeverity) -> None:
    assert hms_severity(code) is severity


def test_severity_key() -> None:
    assert HmsSeverity.FATAL.key == "fatal"
    assert HmsSeverity.INFO.key == "info"
    assert HmsSeverity.FATAL < HmsSeverity.INFO  # lower is worse


@pytest.mark.parametrize(
    ("attr", "module"),
    [
        (0x03000100, HmsModule.MOTION_CONTROLLER),
        (0x05000100, HmsModule.MAINBOARD),
        (0x07012000, HmsModule.AMS),
        (0x08000100, HmsModule.TOOLHEAD),
        (0x0C000300, HmsModule.CAMERA),
        (0x12000100, HmsModule.OTHER),
        (0, HmsModule.OTHER),
    ],
)
def test_module(attr: int, module: HmsModule) -> None:
    assert hms_module(attr) is module


def test_format_hms_id() -> None:
    assert format_hms_id("0300010000010001") == "0300_0100_0001_0001"
    assert format_hms_id("0c0003000001001e") == "0C00_0300_0001_001E"
    assert format_hms_id("0300_0100_0001_0001") == "0300_0100_0001_0001"


@pytest.mark.parametrize("bad", ["", "0300", "03000100000100010", "XYZ0010000010001"])
def test_format_hms_id_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError, match="16-hex-digit"):
        format_hms_id(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50364437, "03008015"),
        (1, "00000001"),
        (0x0C00_8001, "0C008001"),
        (MASK32, "FFFFFFFF"),
        (0, None),
        (-1, None),
        (-50364437, None),
        (MASK32 + 1, None),
        (10**30, None),
    ],
)
def test_print_error_code(value: int, expected: str | None) -> None:
    assert print_error_code(value) == expected


def test_format_error_code() -> None:
    assert format_error_code("03008015") == "0300_8015"
    assert format_error_code("0300 8015") == "0300_8015"
    with pytest.raises(ValueError, match="8-hex-digit"):
        format_error_code("0300801")


def test_print_error_text() -> None:
    code = print_error_code(50364437)
    assert code is not None
    assert full("en").error_text(code) == _only_text(
        raw("en")["device_error"]["03008015"]
    )


def _only_text(choices: dict[str, list[str]]) -> str:
    (text,) = choices
    return text


# --- catalog ------------------------------------------------------------------


def test_model_specific_text_wins() -> None:
    catalog = full("en")
    key, h2d_text, generic = multi_model_entry(raw("en")["device_hms"], "H2D")
    assert catalog.hms_text(key, "H2D") == h2d_text
    assert catalog.hms_text(key, "h2d") == h2d_text  # keys are case-insensitive
    assert catalog.hms_text(key, "X1C") == generic
    assert catalog.hms_text(key) == generic
    assert catalog.hms_text(format_hms_id(key), "H2D") == h2d_text


def test_model_specific_error_text_wins() -> None:
    catalog = full("en")
    key, own, generic = multi_model_entry(raw("en")["device_error"], "P2S")
    assert catalog.error_text(key, "P2S") == own
    assert catalog.error_text(key, "A1") == generic


def test_some_text_when_no_generic_one() -> None:
    catalog = HmsCatalog.from_tables(
        "en",
        {"device_hms": {"0300010000010001": {"": [], "Only P2S": ["P2S"]}}},
    )
    catalog.load(["0300010000010001"], [])
    # An empty text counts as missing, so the P2S text is the only one.
    assert catalog.hms_text("0300010000010001", "X1C") == "Only P2S"
    assert catalog.hms_text("0300010000010001") == "Only P2S"


def test_empty_texts_are_missing() -> None:
    catalog = HmsCatalog.from_tables(
        "en", {"device_hms": {"0300010000010001": {" ": []}}}
    )
    catalog.load(["0300010000010001"], [])
    assert catalog.hms_text("0300010000010001") is None


def test_language_falls_back_to_english() -> None:
    missing = sorted(set(raw("en")["device_hms"]) - set(raw("de")["device_hms"]))
    assert missing, "the data no longer has an id missing in German"
    key = missing[0]
    german = full("de")
    assert german.hms_text(key) == full("en").hms_text(key)
    assert german.hms_text(key) is not None


def test_translated_text_is_used() -> None:
    key = "0300010000010001"
    german = full("de").hms_text(key)
    assert german == _only_text(raw("de")["device_hms"][key])
    assert german != full("en").hms_text(key)


def test_synthetic_fallback() -> None:
    catalog = HmsCatalog.from_tables(
        "de",
        {"device_hms": {"AAAA000000010001": {"": []}}, "device_error": {}},
        {"device_hms": {"AAAA000000010001": {"English": []}}},
    )
    catalog.load(["AAAA000000010001"], ["00000001"])
    assert catalog.hms_text("AAAA000000010001") == "English"
    assert catalog.error_text("00000001") is None


def test_unknown_ids_are_none() -> None:
    catalog = HmsCatalog("fr")
    catalog.load(["FFFF000000010001"], ["FFFF0001"])
    assert catalog.loaded == 2
    assert catalog.hms_text("FFFF000000010001") is None
    assert catalog.hms_text("FFFF000000010001", "H2D") is None
    assert catalog.error_text("FFFF0001") is None
    assert catalog.wiki_url("FFFF000000010001") is None


def _wiki_entry_for(model: str) -> tuple[str, dict[str, list[str]]]:
    for key, paths in raw_wiki().items():
        if any(model in models for models in paths.values()) and any(
            not models for models in paths.values()
        ):
            return key, paths
    raise AssertionError(f"no {model}-specific wiki entry")


def test_wiki_url_model_choice() -> None:
    catalog = full("en")
    key, paths = _wiki_entry_for("H2D")
    h2d_path = next(p for p, models in paths.items() if "H2D" in models)
    generic = next(p for p, models in paths.items() if not models)
    assert catalog.wiki_url(key, "H2D") == WIKI_BASE_URL + h2d_path
    assert catalog.wiki_url(key, "X1C") == WIKI_BASE_URL + generic
    assert catalog.wiki_url(key) == WIKI_BASE_URL + generic
    url = catalog.wiki_url(format_hms_id(key).lower(), "H2D")
    assert url is not None
    assert url.startswith("https://wiki.bambulab.com/")
    assert "//" not in url.removeprefix("https://")


def test_wiki_url_without_leading_slash() -> None:
    catalog = HmsCatalog.from_tables(
        "en", {}, None, {"0300010000010001": {"en/x1/page": []}}
    )
    catalog.load(["0300010000010001"], [])
    assert catalog.wiki_url("0300010000010001") == f"{WIKI_BASE_URL}/en/x1/page"


def test_wiki_keys_are_model_keys() -> None:
    keys = {m for paths in raw_wiki().values() for ms in paths.values() for m in ms}
    assert keys <= set(MODELS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("de", "de"),
        ("de-CH", "de"),
        ("fr", "fr"),
        ("es", "es"),
        ("es-419", "es"),
        ("it", "it"),
        ("nl", "nl"),
        ("pl", "pl"),
        ("ja", "ja"),
        ("pt-BR", "pt-br"),
        ("pt-br", "pt-br"),
        ("pt_BR", "pt-br"),
        ("pt", "pt"),
        ("pt-PT", "pt"),
        ("hu", "hu"),
        ("ko", "ko"),
        ("ko-KR", "ko"),
        ("ru", "ru"),
        ("sv", "sv"),
        ("sv-SE", "sv"),
        ("zh-Hans", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-Hant", "en"),
        ("zh-TW", "en"),
        ("zh-HK", "en"),
        ("xx-YY", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_language_aliases(language: str | None, expected: str) -> None:
    assert catalog_language(language) == expected
    assert load_catalog(language).language == expected


def test_catalogs_are_shared_per_language() -> None:
    assert load_catalog("pt-BR") is load_catalog("pt_br")
    assert load_catalog("pt") is not load_catalog("pt-BR")
    assert load_catalog("xx") is load_catalog("en")


def test_nothing_is_read_until_asked() -> None:
    """A catalog reads no file when made; ``load`` reads only what it needs."""
    reads: list[str] = []

    def read(name: str) -> Any:
        reads.append(name)
        return hms._read_gz_json(name)

    catalog = HmsCatalog("sv", read)
    assert catalog.loaded == 0
    assert catalog.hms_text("0300010000010003") is None  # not loaded: no read
    assert reads == []

    catalog.load(["0300010000010003"], ["03008015"])
    assert reads == ["hms_sv.json.gz", "hms_en.json.gz", hms.WIKI_FILE]
    assert catalog.loaded == 2
    assert catalog.hms_text("0300010000010003") == _only_text(
        raw("sv")["device_hms"]["0300010000010003"]
    )
    assert catalog.wiki_url("0300010000010003") is not None
    assert not catalog.missing(["0300_0100_0001_0003"], ["0300_8015"])

    # Known codes are not read again; English needs no fallback file.
    catalog.load(["0300010000010003"], ["03008015"])
    assert len(reads) == 3
    english = HmsCatalog("en", read)
    english.load([], ["03008015"])
    assert reads[3:] == ["hms_en.json.gz"]


def _english_only(language: str, section: str) -> str:
    """A key with an English text and none in ``language``."""
    own = raw(language)[section]
    for key, choices in raw("en")[section].items():
        if any(text.strip() for text in choices) and not any(
            text.strip() for text in own.get(key, {})
        ):
            return key
    raise AssertionError(f"every {section} text is translated into {language}")


# Chinese (Bambu's own language) has every text; the others lack a few.
@pytest.mark.parametrize(
    "language", [lang for lang in LANGUAGES if lang not in ("en", "zh-Hans")]
)
def test_each_message_falls_back_to_english(language: str) -> None:
    """A text the language lacks is English; the others stay translated.

    Every language has all print-error texts today; ``test_synthetic_fallback``
    covers those.
    """
    catalog = HmsCatalog(language)
    hms_key = _english_only(language, "device_hms")
    translated = "0300010000010001"
    catalog.load([hms_key, translated], [])
    assert catalog.hms_text(hms_key) == full("en").hms_text(hms_key)
    assert catalog.hms_text(hms_key) is not None
    assert catalog.hms_text(translated) == _only_text(
        raw(language)["device_hms"][translated]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_loads(language: str) -> None:
    data = raw(language)
    assert data["device_hms"]
    assert data["device_error"]
    catalog = full(language)
    assert catalog.language == language
    key = "0300010000010001"
    assert catalog.hms_text(key) == _only_text(data["device_hms"][key])
    assert catalog.error_text("03008015") is not None


def test_every_shipped_file_is_a_language() -> None:
    shipped = {
        p.name.removeprefix("hms_").removesuffix(".json.gz")
        for p in hms.DATA_DIR.glob("hms_*.json.gz")
    }
    assert shipped == set(LANGUAGES)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            {
                "print": {
                    "hms": [{"attr": 0x03000100, "code": 0x00010003}],
                    "print_error": 0x03004000,
                }
            },
            ({"0300010000010003"}, {"03004000"}),
        ),
        # As PrinterState reads them: numeric strings count, junk does not.
        (
            {"print": {"hms": [{"attr": "50331904", "code": "65539"}, "x", {}]}},
            ({"0300010000010003"}, set()),
        ),
        ({"print": {"hms": [], "print_error": 0}}, (set(), set())),
        ({"print": {"hms": {"attr": 1}, "print_error": -1}}, (set(), set())),
        ({"print": "x"}, (set(), set())),
        ({"info": {"command": "get_version"}}, (set(), set())),
    ],
)
def test_report_codes(
    message: dict[str, Any], expected: tuple[set[str], set[str]]
) -> None:
    assert report_codes(message) == expected


@pytest.mark.parametrize(
    ("code", "cancel"),
    [(None, True), ("0300400C", True), ("0500400E", True), ("03008015", False)],
)
def test_cancel_codes(code: str | None, cancel: bool) -> None:
    """A stop by the user fails a job with no print error or a cancel code."""
    assert is_cancel_code(code) is cancel
