"""Home Assistant's deprecation reports about this integration, caught in tests.

Home Assistant tells an integration that it uses an API about to go away by
logging a warning, never by raising (for custom integrations). Such a warning
is easy to miss in a green run, so every test that runs Home Assistant fails
on one (see ``tests/conftest.py``).

Two helpers log them:
- ``homeassistant.helpers.frame.report_usage``: "Detected that custom
  integration 'bambu_cloud' ... This will stop working in Home Assistant ...".
- ``homeassistant.helpers.deprecation``: "The deprecated function X was used
  from bambu_cloud. It will be removed in HA Core ...".
"""

from __future__ import annotations

import logging
import re
from typing import override

from custom_components.bambu_cloud.const import DOMAIN

DEPRECATION = re.compile(
    r"deprecat|will stop working in Home Assistant|will be removed in", re.IGNORECASE
)
# The integration as Home Assistant names it when it reports a deprecated use.
ABOUT_US = re.compile(
    rf"integration '{DOMAIN}'|\bfrom {DOMAIN}\b|custom_components[./]{DOMAIN}\b"
)


def is_deprecation_of_ours(record: logging.LogRecord) -> bool:
    """Whether a log record is Home Assistant reporting a deprecated use by us."""
    if record.levelno < logging.WARNING:
        return False
    message = record.getMessage()
    return bool(DEPRECATION.search(message) and ABOUT_US.search(message))


class DeprecationCollector(logging.Handler):
    """Keeps the deprecation reports about this integration logged meanwhile."""

    def __init__(self) -> None:
        """Collect at WARNING and above."""
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    @override
    def emit(self, record: logging.LogRecord) -> None:
        if is_deprecation_of_ours(record):
            self.reports.append(f"{record.name}: {record.getMessage()}")
