#!/usr/bin/env python3
"""Print the CHANGELOG.md section of a release tag (the release workflow's notes).

    python3 scripts/release_notes.py v0.2.0

Fails unless the tag is "v" + the version in manifest.json and CHANGELOG.md
has a non-empty section for it: a release is never published with another
version than the one Home Assistant and HACS will show.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "custom_components" / "bambu_cloud" / "manifest.json"
CHANGELOG = ROOT / "CHANGELOG.md"


def section(changelog: str, version: str) -> str:
    """The text under "## [version] - date", up to the next release heading."""
    match = re.search(
        rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}\n(.*?)(?=^## \[|^\[|\Z)",
        changelog,
        re.MULTILINE | re.DOTALL,
    )
    return match.group(1).strip() if match else ""


def main(tag: str) -> int:
    """Print the notes of ``tag``; 1 with a reason when it cannot be released."""
    version = json.loads(MANIFEST.read_text(encoding="utf-8"))["version"]
    if tag != f"v{version}":
        sys.stderr.write(f"tag {tag} is not v{version}, the manifest's version\n")
        return 1
    notes = section(CHANGELOG.read_text(encoding="utf-8"), version)
    if not notes:
        sys.stderr.write(f"CHANGELOG.md has no section for {version}\n")
        return 1
    sys.stdout.write(notes + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: release_notes.py vX.Y.Z\n")
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
