"""The library as a package of its own: metadata, wheel, and the wheel running.

lib/aiobambulab holds the packaging; its ``aiobambulab`` entry is a symlink to
the library's folder inside the integration (``LIBRARY``, the one place to
change if the folder moves).
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile

import pytest

import custom_components.bambu_cloud.aiobambulab as library
from simulator.cloud import Kind
from simulator.world import Simulator

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO / "custom_components" / "bambu_cloud" / "aiobambulab"
PACKAGE = REPO / "lib" / "aiobambulab"
NAME = "aiobambulab"


def _pyproject() -> dict[str, object]:
    return tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in LIBRARY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(str(node.module).split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names}


def test_the_package_folder_is_the_librarys() -> None:
    assert (PACKAGE / NAME).resolve() == LIBRARY.resolve()


def test_declared_dependencies_are_what_the_library_imports() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    declared = {re.split(r"[<>=!~ ;\[]", spec)[0] for spec in project["dependencies"]}
    assert declared == _third_party_imports()


def test_version_and_public_names() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", library.__version__)
    missing = [name for name in library.__all__ if not hasattr(library, name)]
    assert not missing
    assert len(set(library.__all__)) == len(library.__all__)


def test_readme_examples_parse_and_use_public_names() -> None:
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) >= 3
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and node.module == NAME:
                assert {a.name for a in node.names} <= set(library.__all__)


# --- the wheel ---------------------------------------------------------------


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` of lib/aiobambulab: an sdist and a wheel.

    Without isolation: the build backend is in the test environment, so no
    network is needed.
    """
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel installed (and its dependencies
    reachable from this environment's site-packages, as there is no network).
    """
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root], check=True)
    python = root / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", python, "install"),
            *("--quiet", "--no-deps", "--no-index", "--disable-pip-version-check"),
            wheel,
        ],
        check=True,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    return root


def test_build_makes_an_sdist_and_a_wheel_with_the_data(dist: Path) -> None:
    version = library.__version__
    assert (dist / f"{NAME}-{version}.tar.gz").is_file()
    with zipfile.ZipFile(dist / f"{NAME}-{version}-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"{NAME}-{version}.dist-info/METADATA").decode()
    sources = {f"{NAME}/{p.relative_to(LIBRARY)}" for p in LIBRARY.rglob("*.py")}
    assert sources <= names
    data = {
        f"{NAME}/{p.relative_to(LIBRARY)}"
        for pattern in ("certs/*.cert", "data/*")
        for p in LIBRARY.glob(pattern)
    }
    assert len(data) > 10
    assert data <= names
    assert f"{NAME}/py.typed" in names
    assert not any("__pycache__" in name for name in names)
    requires = set(re.findall(r"^Requires-Dist: ([a-z]+)", metadata, re.MULTILINE))
    assert requires == _third_party_imports()


def test_the_installed_wheel_imports_alone(venv: Path, tmp_path: Path) -> None:
    code = (
        "import sys, aiobambulab\n"
        "from aiobambulab import commands, hms, job_views, tls\n"
        "assert aiobambulab.__file__.startswith(sys.prefix), aiobambulab.__file__\n"
        "assert tls.BAMBU_CA_PEM.count('BEGIN CERTIFICATE') >= 2\n"
        "assert job_views.STAGE_KEYS\n"  # package data
        "assert commands.pause()['print']['command'] == 'pause'\n"  # subpackage
        "print(aiobambulab.__version__)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('homeassistant', 'custom_components'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [venv / "bin" / "python", "-c", code],
        cwd=tmp_path,  # not the repository: only the installed package
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == library.__version__


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account("maker@example.com", "pass", kind=Kind.DIRECT)
    await simulator.add_printer("maker@example.com", "p1p-ams", name="Garage")
    async with simulator:
        yield simulator


async def test_the_installed_command_line_checks_a_printer(
    venv: Path, world: Simulator, tmp_path: Path
) -> None:
    (serial,) = world.printers
    printer = world.printer(serial)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(world.ca_pem)
    process = await asyncio.create_subprocess_exec(
        *(venv / "bin" / NAME, "check", "--host", "127.0.0.1"),
        *("--port", str(printer.lan_port), "--serial", serial),
        *("--ca-file", str(ca_file)),
        env={"BAMBU_ACCESS_CODE": printer.access_code, "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert out.decode().splitlines()[1:] == [
        "certificate: chain verified against the trusted CA",
        f"certificate: names the serial {serial}",
        "login: accepted; the printer is a P1P",
    ]
