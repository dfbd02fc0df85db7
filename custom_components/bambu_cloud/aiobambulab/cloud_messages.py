"""The account's messages and device notifications, as shown to a person."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .cloud_values import text, timestamp
from .errors import UnexpectedResponse


class MessageKind(StrEnum):
    """Where an account message comes from."""

    MESSAGE = "message"  # my/messages: print results, comments, likes
    NOTIFICATION = "notification"  # the device notifications


@dataclass(frozen=True, slots=True)
class AccountMessage:
    """One message or notification of the account, as shown to a person."""

    kind: MessageKind
    id: str
    type: str | None  # the cloud's category, as it says it
    text: str | None  # the notification text, or the task title of a message
    time: datetime | None
    device_id: str | None  # the printer it is about, if any

    @classmethod
    def from_json(
        cls, kind: MessageKind, raw: Mapping[str, Any]
    ) -> AccountMessage | None:
        """Read one entry of either list; None without an id."""
        task = raw.get("taskMessage")
        task = task if isinstance(task, dict) else {}
        message_id = text(raw.get("id"))
        if message_id is None:
            return None
        return cls(
            kind=kind,
            id=message_id,
            type=text(raw.get("type")),
            text=text(raw.get("message")) or text(task.get("title")),
            time=timestamp(raw.get("createTime") or raw.get("timestamp")),
            device_id=text(task.get("deviceId")) or text(raw.get("deviceId")),
        )


def message_list(data: Any) -> list[dict[str, Any]]:
    """Find the message dicts in any of the answer shapes seen."""
    if isinstance(data, dict):
        for key in ("hits", "messages", "notifications", "list"):
            if isinstance(data.get(key), list):
                return message_list(data[key])
        inner = data.get("data")
        return message_list(inner) if isinstance(inner, dict | list) else []
    if isinstance(data, list):
        return [m for m in data if isinstance(m, dict)]
    raise UnexpectedResponse(f"expected messages, got {type(data).__name__}")
