"""Every translation has the keys and placeholders of the English source."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

COMPONENT = Path(__file__).parents[1] / "custom_components" / "bambu_cloud"
STRINGS = COMPONENT / "strings.json"
TRANSLATIONS = COMPONENT / "translations"
ENGLISH = TRANSLATIONS / "en.json"
LANGUAGES = (
    "ca",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "fr",
    "hu",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "pt-BR",
    "ru",
    "sk",
    "sv",
    "th",
    "tr",
    "uk",
    "zh-Hans",
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
README = Path(__file__).parents[1] / "README.md"
# How the README names each language.
LANGUAGE_NAMES = {
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "pt-BR": "Portuguese\n(Brazil)",
    "ru": "Russian",
    "sk": "Slovak",
    "sv": "Swedish",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh-Hans": "Chinese (Simplified)",
}

type KeyPath = tuple[str, ...]


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse an object that names a key twice: json keeps the last silently."""
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys: {duplicates}")
    return dict(pairs)


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(
        path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys
    )
    assert isinstance(data, dict)
    return data


def _flatten(node: Any, path: KeyPath = ()) -> dict[KeyPath, Any]:
    """Map the key path of every leaf (anything but an object) to its value."""
    if not isinstance(node, dict):
        return {path: node}
    leaves: dict[KeyPath, Any] = {}
    for key, value in node.items():
        leaves.update(_flatten(value, (*path, key)))
    return leaves


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


ENGLISH_LEAVES = _flatten(_load(ENGLISH))


def test_strings_json_is_the_english_translation() -> None:
    """strings.json is the source; translations/en.json is its copy."""
    assert _load(STRINGS) == _load(ENGLISH)


def test_english_values_are_strings() -> None:
    """The source itself only holds non-empty strings."""
    for path, value in ENGLISH_LEAVES.items():
        assert isinstance(value, str), path
        assert value.strip(), path


def test_every_language_is_present() -> None:
    """Each shipped language has its file, and no other file is there."""
    files = {path.stem for path in TRANSLATIONS.glob("*.json")}
    assert files == {"en", *LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_matches_english(language: str) -> None:
    """Same key paths as en.json, non-empty strings, same placeholders."""
    leaves = _flatten(_load(TRANSLATIONS / f"{language}.json"))

    assert sorted(leaves.keys() - ENGLISH_LEAVES.keys()) == [], "extra keys"
    assert sorted(ENGLISH_LEAVES.keys() - leaves.keys()) == [], "missing keys"
    for path, value in leaves.items():
        key = ".".join(path)
        assert isinstance(value, str), key
        assert value.strip(), key
        assert _placeholders(value) == _placeholders(ENGLISH_LEAVES[path]), key


def test_readme_lists_every_language() -> None:
    """The README's Languages section names each shipped language, and counts them."""
    readme = README.read_text(encoding="utf-8")
    section = " ".join(readme.split("## Languages", 1)[1].split("\n## ", 1)[0].split())
    assert set(LANGUAGE_NAMES) == {"en", *LANGUAGES}
    for name in LANGUAGE_NAMES.values():
        assert " ".join(name.split()) in section, name
    assert f"in {len(LANGUAGE_NAMES)} languages" in section


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_keeps_the_markup(language: str) -> None:
    """Bold text and paragraph breaks of the English source survive."""
    leaves = _flatten(_load(TRANSLATIONS / f"{language}.json"))
    for path, english in ENGLISH_LEAVES.items():
        key = ".".join(path)
        assert leaves[path].count("**") == english.count("**"), key
        assert leaves[path].count("\n") == english.count("\n"), key
