"""The MQTT topics of Bambu printers: ``device/<serial>/report`` and ``.../request``."""

from __future__ import annotations


def checked_serial(serial: str) -> str:
    """Return ``serial``; ValueError when it would break a topic (or match many)."""
    if not serial or any(char in serial for char in "/+#"):
        raise ValueError(f"invalid printer serial {serial!r}")
    return serial


def report_topic(serial: str) -> str:
    """Where the printer publishes its reports."""
    return f"device/{serial}/report"


def request_topic(serial: str) -> str:
    """Where the printer takes commands."""
    return f"device/{serial}/request"


def report_serial(topic: str) -> str | None:
    """The serial of a report topic; None for any other topic."""
    parts = topic.split("/")
    if len(parts) == 3 and parts[0] == "device" and parts[2] == "report":
        return parts[1]
    return None
