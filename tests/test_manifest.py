"""The release checklist: manifest, hacs.json, brand images, quality scale.

The rules are Home Assistant's (hassfest and the loader, for custom
integrations), HACS's (hacs.json), the brands repository's image rules and
the Integration Quality Scale, as of Home Assistant 2026.10.
"""

from __future__ import annotations

from functools import cache
from http import HTTPStatus
import importlib.metadata
import json
from pathlib import Path
import re
from typing import Any, get_args

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import const as ha_const, loader
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bambu_cloud.const import DOMAIN

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / DOMAIN
BRAND = INTEGRATION / "brand"
HA_COMPONENTS = Path(loader.__file__).parent / "components"


@cache
def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(
        (INTEGRATION / "manifest.json").read_text(encoding="utf-8")
    )
    return manifest


@cache
def _hacs() -> dict[str, Any]:
    hacs: dict[str, Any] = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    return hacs


@cache
def _quality_scale() -> dict[str, Any]:
    data = load_yaml(INTEGRATION / "quality_scale.yaml")
    assert isinstance(data, dict)
    assert set(data) == {"rules"}
    rules: dict[str, Any] = data["rules"]
    return rules


# --- manifest.json ------------------------------------------------------------


def test_manifest_key_order() -> None:
    """hassfest: domain and name first, then the other keys alphabetically."""
    keys = list(_manifest())
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_known_keys_only() -> None:
    """Every key is one Home Assistant's manifest knows."""
    known = set(loader.Manifest.__annotations__)
    # Only Home Assistant itself sets these.
    known -= {"disabled", "is_built_in", "overwrites_built_in"}
    assert set(_manifest()) <= known


def test_manifest_required_keys() -> None:
    manifest = _manifest()
    for key in (
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "requirements",
        "version",
    ):
        assert key in manifest, key
    assert manifest["domain"] == DOMAIN == INTEGRATION.name
    assert isinstance(manifest["name"], str)
    assert manifest["name"].strip()


def test_manifest_codeowners() -> None:
    """At least one GitHub user or team owns the integration."""
    owners = _manifest()["codeowners"]
    assert isinstance(owners, list)
    assert owners, "codeowners is empty: add the maintainer's GitHub handle"
    for owner in owners:
        assert re.fullmatch(r"@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:/[\w.-]+)?", owner)


@pytest.mark.parametrize("key", ["documentation", "issue_tracker"])
def test_manifest_urls(key: str) -> None:
    assert re.fullmatch(r"https://[^\s]+", _manifest()[key])


def test_manifest_version() -> None:
    """A version the loader accepts for custom integrations, and SemVer."""
    version = _manifest()["version"]
    parsed = AwesomeVersion(
        version,
        ensure_strategy=[
            AwesomeVersionStrategy.CALVER,
            AwesomeVersionStrategy.SEMVER,
            AwesomeVersionStrategy.SIMPLEVER,
            AwesomeVersionStrategy.BUILDVER,
            AwesomeVersionStrategy.PEP440,
        ],
    )
    assert parsed.strategy is AwesomeVersionStrategy.SEMVER


def test_manifest_classes() -> None:
    manifest = _manifest()
    integration_type = loader.Manifest.__annotations__["integration_type"]
    assert manifest["integration_type"] in get_args(integration_type)
    assert manifest["iot_class"] in {
        "assumed_state",
        "calculated",
        "cloud_polling",
        "cloud_push",
        "local_polling",
        "local_push",
    }
    assert manifest.get("quality_scale", "platinum") in {
        "bronze",
        "silver",
        "gold",
        "platinum",
    }


def test_manifest_config_flow() -> None:
    assert _manifest()["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file()


def test_manifest_requirements_pinned_and_installed() -> None:
    """Each requirement is pinned to the version the tests run with."""
    requirements = _manifest()["requirements"]
    assert isinstance(requirements, list)
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+-]+)", requirement)
        assert match, f"{requirement} is not pinned with =="
        name, version = match.groups()
        assert importlib.metadata.version(name) == version


def test_manifest_dependencies_exist() -> None:
    manifest = _manifest()
    dependencies = manifest.get("dependencies", [])
    after = manifest.get("after_dependencies", [])
    assert not set(dependencies) & set(after)
    for domain in (*dependencies, *after):
        assert (HA_COMPONENTS / domain / "manifest.json").is_file(), domain
    assert manifest.get("loggers", []) == sorted(set(manifest.get("loggers", [])))


async def test_loader_accepts_the_integration(hass: HomeAssistant) -> None:
    """Home Assistant loads it as a custom integration with its version."""
    integration = await loader.async_get_integration(hass, DOMAIN)
    assert not integration.is_built_in
    assert integration.version == AwesomeVersion(_manifest()["version"])
    assert integration.has_branding


# --- hacs.json ----------------------------------------------------------------

HACS_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "content_in_root": bool,
    "zip_release": bool,
    "filename": str,
    "hide_default_branch": bool,
    "country": (str, list),
    "homeassistant": str,
    "hacs": str,
    "persistent_directory": str,
}
# Keys HACS 2 no longer reads: it always shows the README.
HACS_IGNORED_KEYS = {"render_readme"}


def test_hacs_keys() -> None:
    hacs = _hacs()
    assert isinstance(hacs.get("name"), str)
    assert hacs["name"].strip()
    for key, value in hacs.items():
        assert key not in HACS_IGNORED_KEYS, f"HACS 2 ignores {key}"
        assert key in HACS_KEYS, f"HACS does not know {key}"
        assert isinstance(value, HACS_KEYS[key]), key
    if hacs.get("zip_release"):
        # The release workflow attaches this zip (tests/test_release.py).
        assert hacs["filename"].endswith(".zip")
    countries = hacs.get("country", [])
    for country in [countries] if isinstance(countries, str) else countries:
        assert re.fullmatch(r"[A-Z]{2}", country)


def test_hacs_layout() -> None:
    """One integration under custom_components/, with the README HACS shows."""
    hacs = _hacs()
    assert not hacs.get("content_in_root", False)
    integrations = [p for p in (ROOT / "custom_components").iterdir() if p.is_dir()]
    assert [p.name for p in integrations if p.name != "__pycache__"] == [DOMAIN]
    assert (ROOT / "README.md").is_file()
    assert not (ROOT / "info.md").exists()  # HACS 2 shows the README only


def test_hacs_homeassistant_version() -> None:
    """A valid minimum, met by the Home Assistant the tests run on.

    Not older than 2026.3 either, which first shows the brand/ images.
    """
    minimum = AwesomeVersion(_hacs()["homeassistant"])
    assert minimum.valid
    assert AwesomeVersion("2026.3.0") <= minimum <= AwesomeVersion(ha_const.__version__)


# --- brand images -------------------------------------------------------------

BRAND_FILES = {
    "icon.png",
    "icon@2x.png",
    "logo.png",
    "logo@2x.png",
    "dark_icon.png",
    "dark_icon@2x.png",
    "dark_logo.png",
    "dark_logo@2x.png",
}


def _image(name: str) -> Image.Image:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        image.load()
        return image


def test_brand_files() -> None:
    """The images Home Assistant looks for, and nothing else."""
    names = {p.name for p in BRAND.iterdir()}
    assert {"icon.png", "logo.png", "icon@2x.png", "logo@2x.png"} <= names
    assert names <= BRAND_FILES


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_brand_icons(prefix: str) -> None:
    """Square, 256 and 512 pixels, transparent around, trimmed."""
    if not (BRAND / f"{prefix}icon.png").exists():
        pytest.skip("no dark variant")
    for name, size in ((f"{prefix}icon.png", 256), (f"{prefix}icon@2x.png", 512)):
        image = _image(name)
        assert image.size == (size, size), name
        _assert_transparent_and_trimmed(image, name)


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_brand_logos(prefix: str) -> None:
    """Landscape; shortest side 128-256 (512 for @2x); @2x twice the size."""
    if not (BRAND / f"{prefix}logo.png").exists():
        pytest.skip("no dark variant")
    logo, logo2x = _image(f"{prefix}logo.png"), _image(f"{prefix}logo@2x.png")
    assert logo.width >= logo.height
    assert 128 <= min(logo.size) <= 256
    assert 256 <= min(logo2x.size) <= 512
    assert abs(logo2x.width - 2 * logo.width) <= 2
    assert abs(logo2x.height - 2 * logo.height) <= 2
    for name, image in (("logo", logo), ("logo@2x", logo2x)):
        _assert_transparent_and_trimmed(image, name)


def _assert_transparent_and_trimmed(image: Image.Image, name: str) -> None:
    assert image.mode == "RGBA", name
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0, name  # a transparent background
    box = alpha.getbbox()
    assert box is not None, name
    left, top, right, bottom = box
    # Trimmed: the artwork spans nearly the whole image.
    assert right - left >= 0.85 * image.width, name
    assert bottom - top >= 0.85 * image.height, name


async def test_home_assistant_serves_the_brand_images(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Home Assistant's brands integration serves brand/ for this domain."""
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    for name in sorted(p.name for p in BRAND.iterdir()):
        response = await client.get(f"/api/brands/integration/{DOMAIN}/{name}")
        assert response.status == HTTPStatus.OK, name
        assert await response.read() == (BRAND / name).read_bytes(), name


# --- quality_scale.yaml -------------------------------------------------------

# The Integration Quality Scale's rules by tier (Home Assistant 2026.10).
TIERS: dict[str, frozenset[str]] = {
    "bronze": frozenset(
        {
            "action-setup",
            "appropriate-polling",
            "brands",
            "common-modules",
            "config-flow",
            "config-flow-test-coverage",
            "dependency-transparency",
            "docs-actions",
            "docs-conditions",
            "docs-high-level-description",
            "docs-installation-instructions",
            "docs-removal-instructions",
            "docs-triggers",
            "entity-event-setup",
            "entity-unique-id",
            "has-entity-name",
            "runtime-data",
            "test-before-configure",
            "test-before-setup",
            "unique-config-entry",
        }
    ),
    "silver": frozenset(
        {
            "action-exceptions",
            "config-entry-unloading",
            "docs-configuration-parameters",
            "docs-installation-parameters",
            "entity-unavailable",
            "integration-owner",
            "log-when-unavailable",
            "parallel-updates",
            "reauthentication-flow",
            "test-coverage",
        }
    ),
    "gold": frozenset(
        {
            "devices",
            "diagnostics",
            "discovery",
            "discovery-update-info",
            "docs-data-update",
            "docs-examples",
            "docs-known-limitations",
            "docs-supported-devices",
            "docs-supported-functions",
            "docs-troubleshooting",
            "docs-use-cases",
            "dynamic-devices",
            "entity-category",
            "entity-device-class",
            "entity-disabled-by-default",
            "entity-translations",
            "exception-translations",
            "icon-translations",
            "reconfiguration-flow",
            "repair-issues",
            "stale-devices",
        }
    ),
    "platinum": frozenset({"async-dependency", "inject-websession", "strict-typing"}),
}
ALL_RULES = frozenset().union(*TIERS.values())
STATUSES = {"done", "exempt", "todo"}


def _status(value: Any) -> tuple[str, str | None]:
    if isinstance(value, str):
        return value, None
    assert isinstance(value, dict)
    assert set(value) <= {"status", "comment"}
    comment = value.get("comment")
    assert comment is None or isinstance(comment, str)
    return value["status"], comment


def test_rule_list_is_home_assistants() -> None:
    """The rules above are the ones core integrations of this release list."""
    in_core: set[str] = set()
    for path in HA_COMPONENTS.glob("*/quality_scale.yaml"):
        data = load_yaml(path)
        assert isinstance(data, dict)
        in_core |= set(data["rules"])
    assert in_core == ALL_RULES
    assert len(ALL_RULES) == sum(len(rules) for rules in TIERS.values()) == 54


def test_quality_scale_covers_every_rule() -> None:
    rules = _quality_scale()
    assert set(rules) == ALL_RULES
    for rule, value in rules.items():
        status, comment = _status(value)
        assert status in STATUSES, rule
        if status == "exempt":
            assert comment, f"{rule} is exempt without a reason"
        if status == "todo":
            assert comment, f"{rule} is todo without saying what is missing"


def test_quality_scale_matches_the_manifest() -> None:
    """The tier the manifest claims has every rule up to it done or exempt."""
    claimed = _manifest().get("quality_scale")
    if claimed is None:
        pytest.skip("the manifest claims no tier")
    tiers = list(TIERS)
    required = frozenset().union(*(TIERS[t] for t in tiers[: tiers.index(claimed) + 1]))
    open_rules = sorted(
        rule for rule in required if _status(_quality_scale()[rule])[0] == "todo"
    )
    assert open_rules == [], f"{claimed} claimed with rules to do"


def test_done_rules_hold_in_the_code() -> None:
    """Spot checks of rules marked done that the files themselves show."""
    rules = {rule: _status(value)[0] for rule, value in _quality_scale().items()}
    platforms = [
        path
        for path in INTEGRATION.glob("*.py")
        if "async_setup_entry" in path.read_text(encoding="utf-8")
        and path.name != "__init__.py"
    ]
    assert platforms
    if rules["parallel-updates"] == "done":
        for path in platforms:
            assert "PARALLEL_UPDATES" in path.read_text(encoding="utf-8"), path.name
    if rules["diagnostics"] == "done":
        assert (INTEGRATION / "diagnostics.py").is_file()
    if rules["icon-translations"] == "done":
        assert (INTEGRATION / "icons.json").is_file()
    if rules["brands"] == "done":
        assert (BRAND / "icon.png").is_file()
    if rules["runtime-data"] == "done":
        init = (INTEGRATION / "__init__.py").read_text(encoding="utf-8")
        assert "entry.runtime_data = " in init
    if rules["strict-typing"] == "done":
        pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        assert "strict = true" in pyproject
    strings = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    if rules["reauthentication-flow"] == "done":
        assert "reauth_confirm" in strings["config"]["step"]
    if rules["reconfiguration-flow"] == "done":
        assert "reconfigure" in strings["config"]["step"]
    if rules["exception-translations"] == "done":
        assert strings["exceptions"]
    if rules["repair-issues"] == "done":
        assert strings["issues"]
