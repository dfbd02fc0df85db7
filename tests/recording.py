"""A printer report that records which of its top-level keys are read.

Entities declare the report keys they depend on; reading a state through a
recording report shows which keys a value really comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from typing import Any

from custom_components.bambu_cloud.aiobambulab.state import PrinterState

EVERY_KEY = "*"  # the whole report was walked


class RecordingReport(dict[str, Any]):
    """A report (a real dict) that notes each top-level key looked at."""

    def __init__(self, data: dict[str, Any], touched: set[str]) -> None:
        super().__init__(data)
        self.touched = touched

    def __getitem__(self, key: str) -> Any:
        self.touched.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.touched.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.touched.add(str(key))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.touched.add(EVERY_KEY)
        return super().__iter__()

    def keys(self) -> Any:
        self.touched.add(EVERY_KEY)
        return super().keys()

    def values(self) -> Any:
        self.touched.add(EVERY_KEY)
        return super().values()

    def items(self) -> Any:
        self.touched.add(EVERY_KEY)
        return super().items()


@contextlib.contextmanager
def recording(state: PrinterState) -> Iterator[set[str]]:
    """Record, for the block, which report keys are read from ``state``."""
    touched: set[str] = set()
    original = state._report
    state._report = RecordingReport(original, touched)
    try:
        yield touched
    finally:
        state._report = original
