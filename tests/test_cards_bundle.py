"""The committed card bundle is the one its sources build.

``frontend/build.mjs`` stamps the bundle with a sha256 over its inputs (the
sources, the lock file, the build script and the TypeScript settings). This
test hashes the same inputs in Python (no Node inside the test environment):
an edited source or lock file without a rebuilt, committed bundle fails.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
import re

ROOT = Path(__file__).parents[1]
SOURCES = ROOT / "frontend"
BUNDLE = (
    ROOT / "custom_components" / "bambu_cloud" / "frontend" / "bambu-cloud-cards.js"
)
# Keep in step with INPUTS and INPUT_DIRS in frontend/build.mjs.
INPUTS = ("build.mjs", "package-lock.json", "tsconfig.json")
INPUT_DIRS = ("src",)
STAMP = re.compile(r"^// bambu-cloud-cards source-hash: ([0-9a-f]{64})$")


def source_hash(root: Path = SOURCES) -> str:
    """sha256 over each input's relative path and bytes, in path order."""
    paths = [*INPUTS]
    for directory in INPUT_DIRS:
        paths.extend(
            path.relative_to(root).as_posix()
            for path in (root / directory).rglob("*")
            if path.is_file()
        )
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.encode() + b"\0")
        digest.update((root / path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def test_the_bundle_is_built_from_the_committed_sources() -> None:
    """Rebuild with ``cd frontend && npm run build`` when this fails."""
    first_line = BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    match = STAMP.match(first_line)
    assert match, f"{BUNDLE.name} has no source stamp: rebuild it"
    assert match[1] == source_hash(), (
        "the card bundle is older than its sources: cd frontend && npm run build"
    )


def test_the_hash_changes_with_any_source(tmp_path: Path) -> None:
    """A change to a source, the lock file or a new file changes the hash."""
    copy = tmp_path / "frontend"
    for name in INPUTS:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((SOURCES / name).read_bytes())
    for path in (SOURCES / "src").rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(SOURCES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    original = source_hash(copy)
    assert original == source_hash()

    index = copy / "src" / "index.ts"
    index.write_bytes(index.read_bytes() + b"\n")
    edited = source_hash(copy)
    assert edited != original

    (copy / "src" / "new.ts").write_text("export {};\n")
    assert source_hash(copy) not in (original, edited)

    lock = copy / "package-lock.json"
    lock.write_bytes(
        lock.read_bytes().replace(b'"lockfileVersion"', b'"lockfileVersion" ')
    )
    assert source_hash(copy) not in (original, edited)
