"""The integration reads the printer through the library's typed views.

``PrinterState.report`` is the raw merged report, kept for diagnostics; a
module that reads it spells the printer's keys itself, which the library's
views and their declared dependencies (``aiobambulab/depends.py``) exist to
avoid. Only the diagnostics may read it.
"""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "bambu_cloud"
MAY_READ_REPORT = {"diagnostics.py"}


def _reads_report(source: str) -> list[int]:
    """The lines where the code reads an attribute named ``report``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "report"
    ]


def test_only_diagnostics_read_the_raw_report() -> None:
    """No module of the integration but the diagnostics reads ``.report``."""
    found = {
        path.name: lines
        for path in sorted(INTEGRATION.glob("*.py"))
        if path.name not in MAY_READ_REPORT
        and (lines := _reads_report(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_sees_a_read() -> None:
    """The check finds a read of the report however it is spelled."""
    assert _reads_report("x = coordinator.data.report.get('xcam')") == [1]
    assert _reads_report("report = state.report_time") == []
    assert _reads_report((INTEGRATION / "diagnostics.py").read_text("utf-8"))
