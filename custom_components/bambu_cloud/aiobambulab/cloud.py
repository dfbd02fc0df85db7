"""Client for the Bambu Lab cloud REST API.

Login (password, email/SMS code, authenticator app; ``cloud_signin``), the
account's printers, print history, firmware versions, messages and cloud
uploads. The caller owns the ``aiohttp.ClientSession``. Every failure leaves
as one of the errors in ``errors``; secrets never reach a log line or an
exception message.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Final

from .cloud_devices import CloudDevice, FirmwareInfo
from .cloud_http import expect_object
from .cloud_messages import AccountMessage, MessageKind, message_list
from .cloud_signin import CloudSignIn
from .cloud_tasks import CloudTask, TaskPage
from .cloud_values import text
from .errors import UnexpectedResponse, UploadNotAvailable
from .values import as_int

PREFERENCE_PATH: Final = "/v1/design-user-service/my/preference"
DEVICES_PATH: Final = "/v1/iot-service/api/user/bind"
TASKS_PATH: Final = "/v1/user-service/my/tasks"
FIRMWARE_PATH: Final = "/v1/iot-service/api/user/device/version"
MESSAGES_PATH: Final = "/v1/user-service/my/messages"
NOTIFICATIONS_PATH: Final = "/v1/iot-service/api/user/notification"
UPLOAD_PATH: Final = "/v1/iot-service/api/user/upload"


class BambuCloud(CloudSignIn):
    """An asyncio client of the Bambu cloud REST API."""

    async def get_uid(self) -> str:
        """Return the account's user id (the cloud MQTT user is ``u_<uid>``)."""
        try:
            data = await self._get(PREFERENCE_PATH)
        except UnexpectedResponse:
            data = None
        uid = _uid_in(data) or _uid_from_jwt(self.token)
        if uid is None:
            raise UnexpectedResponse("neither the cloud nor the token names a uid")
        return uid

    async def get_devices(self, *, null_is_empty: bool = True) -> list[CloudDevice]:
        """List the printers bound to the account.

        ``"devices": null`` means no printer bound, unless ``null_is_empty``
        is False (the caller knows printers): then it is an odd answer.
        """
        data = expect_object(await self._get(DEVICES_PATH))
        if "devices" not in data:
            raise UnexpectedResponse("device list answer without devices")
        entries = data["devices"]
        if entries is None:
            if not null_is_empty:
                raise UnexpectedResponse("device list answer with devices null")
            return []
        if not isinstance(entries, list):
            raise UnexpectedResponse("device list is not a list")
        devices = (CloudDevice.from_json(e) for e in entries if isinstance(e, dict))
        return [d for d in devices if d is not None]

    async def get_tasks(
        self,
        device_id: str | None = None,
        after: int | str | None = None,
        limit: int = 20,
    ) -> TaskPage:
        """Return one page of print history; ``after`` is a task id cursor."""
        params = {"limit": str(limit)}
        if device_id is not None:
            params["deviceId"] = device_id
        if after is not None:
            params["after"] = str(after)
        data = expect_object(await self._get(TASKS_PATH, params))
        hits = data.get("hits")
        # Also seen: {"tasks": [...], "hits": {"total": {"value": n}}}.
        items = hits if isinstance(hits, list) else data.get("tasks")
        if not isinstance(items, list):
            if not data.keys() & {"hits", "tasks", "total"}:
                raise UnexpectedResponse("task answer without hits")
            items = []
        tasks = [CloudTask.from_json(t) for t in items if isinstance(t, dict)]
        total = as_int(data.get("total"))
        if total is None and isinstance(hits, dict):
            counted = hits.get("total")
            total = as_int(counted.get("value") if isinstance(counted, dict) else None)
        return TaskPage(total=len(tasks) if total is None else total, tasks=tasks)

    async def get_firmware(self, device_id: str) -> FirmwareInfo:
        """Return the current and latest firmware of a printer."""
        # The API is seen with both names for the parameter; the other is ignored.
        params = {"device_id": device_id, "dev_id": device_id}
        data = expect_object(await self._get(FIRMWARE_PATH, params))
        return FirmwareInfo.from_json(data, device_id)

    async def get_messages(self) -> list[dict[str, Any]]:
        """List the account's messages (print results, comments...)."""
        return message_list(await self._get(MESSAGES_PATH))

    async def get_notifications(self) -> list[dict[str, Any]]:
        """List the account's device notifications."""
        return message_list(await self._get(NOTIFICATIONS_PATH))

    async def get_account_messages(self) -> list[AccountMessage]:
        """The account's messages and notifications, typed; odd entries dropped."""
        raw_messages = await self.get_messages()
        raw_notifications = await self.get_notifications()
        return [
            message
            for kind, entries in (
                (MessageKind.MESSAGE, raw_messages),
                (MessageKind.NOTIFICATION, raw_notifications),
            )
            for raw in entries
            if (message := AccountMessage.from_json(kind, raw)) is not None
        ]

    async def upload(self, filename: str, data: bytes) -> str:
        """Put a file into the account's cloud storage; return its URL.

        The URL (the upload's, without its signature) is what a cloud print
        names for the printer to download. UploadNotAvailable when the
        account has no cloud storage.
        """
        size = str(len(data))
        answer = expect_object(
            await self._get(
                UPLOAD_PATH,
                {"filename": filename, "size": size},
                refused=UploadNotAvailable,
            )
        )
        urls = answer.get("urls")
        targets = {
            u["type"]: u["url"]
            for u in (urls if isinstance(urls, list) else [])
            if isinstance(u, dict)
            and isinstance(u.get("type"), str)
            and isinstance(u.get("url"), str)
        }
        if "filename" not in targets or "size" not in targets:
            raise UploadNotAvailable("the cloud offered no upload URLs")
        # Pre-signed S3 URLs: any header beyond these breaks the signature.
        await self._put(
            targets["filename"], data, {"Content-Type": "application/octet-stream"}
        )
        await self._put(targets["size"], size.encode(), {"Content-Type": "text/plain"})
        stored: str = targets["filename"]
        return stored.split("?", 1)[0]

    # --- plumbing ----------------------------------------------------------


def _uid_in(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    return text(data.get("uid"))


def _uid_from_jwt(token: str | None) -> str | None:
    """Read the uid in a JWT's ``username`` claim (``u_<uid>``), unverified.

    Only a fallback to name the MQTT user: nothing here is trusted for access.
    """
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, RecursionError):  # bad base64, UTF-8 or JSON
        return None
    username = text(claims.get("username")) if isinstance(claims, dict) else None
    if username is None or not username.startswith("u_") or len(username) == 2:
        return None
    return username[2:]
