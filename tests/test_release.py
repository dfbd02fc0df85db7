"""Releases the HACS way: changelog, version, workflows, install steps."""

from __future__ import annotations

from functools import cache
import json
from pathlib import Path
import re
import shutil
import subprocess
import sys
from typing import Any

from awesomeversion import AwesomeVersion
from homeassistant.util.yaml import load_yaml

from tests.test_ha_compat import harness_home_assistant

ROOT = Path(__file__).parents[1]
CHANGELOG = ROOT / "CHANGELOG.md"
WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE_NOTES = ROOT / "scripts" / "release_notes.py"
RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")
# Keep a Changelog's kinds of change.
CHANGE_KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _manifest_version() -> str:
    manifest = ROOT / "custom_components" / "bambu_cloud" / "manifest.json"
    version: str = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    return version


def _hacs() -> dict[str, Any]:
    hacs: dict[str, Any] = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    return hacs


@cache
def _workflow(name: str) -> dict[str, Any]:
    data = load_yaml(WORKFLOWS / name)
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


# --- CHANGELOG.md ---------------------------------------------------------------


def _releases() -> list[tuple[str, str]]:
    """(version, date) of every release heading, top to bottom."""
    return [
        (match.group(1), match.group(2))
        for line in CHANGELOG.read_text(encoding="utf-8").splitlines()
        if (match := RELEASE_HEADING.match(line))
    ]


def test_changelog_keeps_a_changelog() -> None:
    """Unreleased first, then releases newest first, each kind of change known."""
    lines = CHANGELOG.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Changelog"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"
    for heading in headings[1:]:
        assert RELEASE_HEADING.match(heading), heading
    for line in lines:
        if line.startswith("### "):
            assert line.removeprefix("### ") in CHANGE_KINDS, line
    releases = _releases()
    assert releases
    versions = [AwesomeVersion(version) for version, _ in releases]
    assert versions == sorted(versions, reverse=True)
    dates = [date for _, date in releases]
    assert dates == sorted(dates, reverse=True)
    # Each release, and Unreleased, links to its changes.
    for version, _ in releases:
        assert re.search(
            rf"^\[{re.escape(version)}\]: https://", "\n".join(lines), re.MULTILINE
        )
    assert any(line.startswith("[Unreleased]: https://") for line in lines)


def test_manifest_version_is_the_latest_release() -> None:
    """The version bumped in manifest.json has its changelog section."""
    assert _releases()[0][0] == _manifest_version()


def test_release_notes_of_the_manifest_version() -> None:
    """The release workflow's notes: the version's section, nothing else."""
    version = _manifest_version()
    result = subprocess.run(
        [sys.executable, str(RELEASE_NOTES), f"v{version}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### ")
    assert "## [" not in result.stdout  # no other release's section
    assert f"[{version}]:" not in result.stdout  # nor the link references


def test_release_of_another_version_is_refused() -> None:
    """A tag that is not the manifest's version publishes nothing."""
    result = subprocess.run(
        [sys.executable, str(RELEASE_NOTES), "v0.0.1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert _manifest_version() in result.stderr


# --- .github/workflows -------------------------------------------------------------


def test_validate_workflow_runs_hassfest_and_hacs() -> None:
    workflow = _workflow("validate.yml")
    uses = [step.get("uses", "") for step in _steps(workflow)]
    assert any(use.startswith("home-assistant/actions/hassfest@") for use in uses)
    hacs = [s for s in _steps(workflow) if s.get("uses", "").startswith("hacs/action@")]
    assert len(hacs) == 1
    assert hacs[0]["with"]["category"] == "integration"
    # On pushes and pull requests, and on a schedule as both tools change.
    assert {"push", "pull_request", "schedule"} <= set(workflow[True])


def test_release_workflow_zips_the_integration_on_a_tag() -> None:
    """A version tag publishes the zip HACS installs, named as hacs.json says."""
    workflow = _workflow("release.yml")
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    run = "\n".join(step.get("run", "") for step in _steps(workflow))
    filename = _hacs()["filename"]
    assert "cd custom_components/bambu_cloud" in run
    assert f'zip -r -X "$GITHUB_WORKSPACE/{filename}" .' in run
    assert f'gh release create "$TAG" {filename}' in run
    assert "scripts/release_notes.py" in run
    assert _hacs()["zip_release"] is True


def test_workflows_grant_no_more_than_they_need() -> None:
    """Nothing by default; only the release job may write (its release)."""
    for path in WORKFLOWS.glob("*.yml"):
        workflow = _workflow(path.name)
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            permissions = job["permissions"]
            allowed = {"contents": "write"} if path.name == "release.yml" else {}
            assert set(permissions.items()) <= {("contents", "read")} | set(
                allowed.items()
            ), (path.name, name)


def test_workflows_pass_zizmor() -> None:
    """The workflow linter (zizmor, offline) finds nothing."""
    zizmor = shutil.which("zizmor")
    assert zizmor is not None, "zizmor is missing: run scripts/setup"
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- README ----------------------------------------------------------------------


def test_readme_installs_the_hacs_2_way() -> None:
    """Custom repositories from the three-dot menu, and a My Home Assistant link."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Installation (HACS)", 1)[1].split("\n## ", 1)[0]
    assert "**⋮** (three-dot) menu" in section
    assert "**Custom repositories**" in section
    documentation = json.loads(
        (ROOT / "custom_components" / "bambu_cloud" / "manifest.json").read_text()
    )["documentation"]
    owner, repository = documentation.removeprefix("https://github.com/").split("/")
    assert (
        "https://my.home-assistant.io/redirect/hacs_repository/"
        f"?owner={owner}&repository={repository}&category=integration"
    ) in section


def test_readme_and_hacs_state_the_proven_range() -> None:
    """Both releases the suite runs on are named; hacs.json's minimum is met."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    newest = re.search(
        r"^homeassistant==([\w.]+)$",
        (ROOT / "requirements_newest.txt").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert newest
    for release in (harness_home_assistant(), newest.group(1)):
        assert f"**{release}**" in readme
        assert AwesomeVersion(_hacs()["homeassistant"]) <= AwesomeVersion(release)
