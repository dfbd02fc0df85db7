"""Client for the Bambu Lab cloud REST API.

Login (password, email/SMS code, authenticator app), the account's printers,
print history, firmware versions, messages and cloud uploads. The caller owns
the ``aiohttp.ClientSession``. Every failure leaves as one of the errors in
``errors``; secrets never reach a log line or an exception message.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
import json
import logging
import math
import time
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from yarl import URL

from .auth import REFRESH_PATH, Tokens
from .errors import (
    CloudError,
    CloudUnavailable,
    InvalidCredentials,
    RateLimited,
    TokenExpired,
    TwoFactorUnavailable,
    UnexpectedResponse,
    UploadNotAvailable,
    VerificationCodeExpired,
    VerificationCodeInvalid,
)
from .hosts import CHINA, GLOBAL, REGIONS, Region
from .nesting import too_deep
from .values import as_float, as_int

if TYPE_CHECKING:
    from collections.abc import Mapping

_LOGGER = logging.getLogger(__name__)


GLOBAL_API: Final = GLOBAL.api_url
CHINA_API: Final = CHINA.api_url

DEFAULT_TIMEOUT: Final = 15.0
# The longest a Retry-After is honoured; longer asks are capped (and logged).
MAX_RETRY_AFTER: Final = 3600.0  # seconds
# A whole 3MF goes to S3 in one PUT: far longer than a JSON call.
DEFAULT_UPLOAD_TIMEOUT: Final = 300.0

LOGIN_PATH: Final = "/v1/user-service/user/login"
SEND_EMAIL_CODE_PATH: Final = "/v1/user-service/user/sendemail/code"
SEND_SMS_CODE_PATH: Final = "/v1/user-service/user/sendsmscode"
PREFERENCE_PATH: Final = "/v1/design-user-service/my/preference"
DEVICES_PATH: Final = "/v1/iot-service/api/user/bind"
TASKS_PATH: Final = "/v1/user-service/my/tasks"
FIRMWARE_PATH: Final = "/v1/iot-service/api/user/device/version"
MESSAGES_PATH: Final = "/v1/user-service/my/messages"
NOTIFICATIONS_PATH: Final = "/v1/iot-service/api/user/notification"
UPLOAD_PATH: Final = "/v1/iot-service/api/user/upload"
TFA_PATH: Final = "/api/sign-in/tfa"

# After a failed renewal ahead of expiry, the next try waits this long.
RENEW_RETRY: Final = 3600.0  # seconds

# Body codes the cloud uses for an invalid or expired token.
_TOKEN_CODES: Final = frozenset({1001, 1002})
# Body code of a refused email/SMS code login (HTTP 400) when the code
# expired; 2 (wrong code) and anything else mean a wrong code.
_CODE_EXPIRED: Final = 1


def region_for_url(base_url: str) -> Region | None:
    """Return the known region served at ``base_url``; None for a simulator."""
    wanted = base_url.rstrip("/")
    return next((r for r in REGIONS.values() if r.api_url == wanted), None)


class LoginStep(StrEnum):
    """What a login still needs after the password."""

    CODE = "code"  # an email or SMS code (request_code, then login_with_code)
    TFA = "tfa"  # an authenticator app code (login_with_tfa)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of a password login: a token, or the step still needed."""

    token: str | None = field(default=None, repr=False)
    needs: LoginStep | None = None
    tfa_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class CloudDevice:
    """A printer bound to the account."""

    serial: str  # dev_id
    name: str | None
    online: bool
    print_status: str | None
    model_name: str | None  # dev_model_name, e.g. "BL-P001" or "C11"
    product_name: str | None  # dev_product_name, e.g. "X1 Carbon"
    access_code: str | None = field(repr=False)
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CloudDevice | None:
        """Read one ``devices[]`` entry; None when it has no serial."""
        serial = _text(raw.get("dev_id"))
        if serial is None:
            return None
        return cls(
            serial=serial,
            name=_text(raw.get("name")),
            online=_flag(raw.get("online")),
            print_status=_text(raw.get("print_status")),
            model_name=_text(raw.get("dev_model_name")),
            product_name=_text(raw.get("dev_product_name")),
            access_code=_text(raw.get("dev_access_code")),
            raw=dict(raw),
        )


class TaskOutcome(StrEnum):
    """How a cloud task ended, as far as the cloud says."""

    FINISHED = "finished"
    FAILED = "failed"  # failed or canceled
    RUNNING = "running"  # not ended yet
    UNKNOWN = "unknown"


# The cloud's task status codes (also seen as words).
_TASK_STATUS: Final[dict[int | str, TaskOutcome]] = {
    1: TaskOutcome.RUNNING,
    2: TaskOutcome.FINISHED,
    3: TaskOutcome.FAILED,
    "running": TaskOutcome.RUNNING,
    "printing": TaskOutcome.RUNNING,
    "finish": TaskOutcome.FINISHED,
    "finished": TaskOutcome.FINISHED,
    "success": TaskOutcome.FINISHED,
    "fail": TaskOutcome.FAILED,
    "failed": TaskOutcome.FAILED,
    "cancel": TaskOutcome.FAILED,
    "canceled": TaskOutcome.FAILED,
    "cancelled": TaskOutcome.FAILED,
}


def task_outcome(status: int | str | None) -> TaskOutcome:
    """What a task's ``status`` (a code, or a word) says of how it ended."""
    if isinstance(status, str):
        status = status.strip().lower()
        status = int(status) if status.isdigit() else status
    if status is None:
        return TaskOutcome.UNKNOWN
    return _TASK_STATUS.get(status, TaskOutcome.UNKNOWN)


@dataclass(frozen=True, slots=True)
class CloudTask:
    """One print of the account's history."""

    id: str | None
    title: str | None
    cover: str | None  # URL of the plate picture
    status: int | str | None  # as the cloud says it (usually an int)
    weight: float | None  # grams
    length: float | None  # millimetres of filament
    cost_time: int | None  # seconds
    start_time: datetime | None
    end_time: datetime | None
    device_id: str | None
    plate_index: int | None
    ams_mapping: list[dict[str, Any]]
    bed_type: str | None
    mode: str | None
    raw: dict[str, Any] = field(repr=False)

    @property
    def outcome(self) -> TaskOutcome:
        """How the task ended, from its status."""
        return task_outcome(self.status)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CloudTask:
        """Read one ``hits[]`` entry, tolerating missing or odd fields."""
        status = raw.get("status")
        mapping = raw.get("amsDetailMapping")
        return cls(
            id=_text(raw.get("id")),
            title=_text(raw.get("title")) or _text(raw.get("designTitle")),
            cover=_text(raw.get("cover")),
            status=status
            if isinstance(status, str | int) and not isinstance(status, bool)
            else None,
            weight=as_float(raw.get("weight")),
            length=as_float(raw.get("length")),
            cost_time=as_int(raw.get("costTime")),
            start_time=_timestamp(raw.get("startTime")),
            end_time=_timestamp(raw.get("endTime")),
            device_id=_text(raw.get("deviceId")),
            plate_index=as_int(raw.get("plateIndex")),
            ams_mapping=[m for m in mapping if isinstance(m, dict)]
            if isinstance(mapping, list)
            else [],
            bed_type=_text(raw.get("bedType")),
            mode=_text(raw.get("mode")),
            raw=dict(raw),
        )


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
        message_id = _text(raw.get("id"))
        if message_id is None:
            return None
        return cls(
            kind=kind,
            id=message_id,
            type=_text(raw.get("type")),
            text=_text(raw.get("message")) or _text(task.get("title")),
            time=_timestamp(raw.get("createTime") or raw.get("timestamp")),
            device_id=_text(task.get("deviceId")) or _text(raw.get("deviceId")),
        )


@dataclass(frozen=True, slots=True)
class TaskPage:
    """One page of print history."""

    total: int
    tasks: list[CloudTask]


@dataclass(frozen=True, slots=True)
class FirmwareInfo:
    """A printer's firmware as the cloud sees it; None where it did not say."""

    current: str | None
    latest: str | None
    release_notes: str | None
    release_time: datetime | None
    update_available: bool | None
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], device_id: str) -> FirmwareInfo:
        """Read either known answer shape; UnexpectedResponse for neither."""
        devices = data.get("devices")
        if isinstance(devices, list):
            return cls._from_devices(data, devices, device_id)
        inner = data.get("data")
        if isinstance(inner, dict):
            current = _text(inner.get("current_version"))
            latest = _text(inner.get("latest_version"))
            flag = inner.get("update_available")
            return cls(
                current=current,
                latest=latest,
                release_notes=_text(inner.get("release_notes")),
                release_time=_timestamp(inner.get("release_time")),
                update_available=flag
                if isinstance(flag, bool)
                else _newer(latest, current),
                raw=dict(data),
            )
        raise UnexpectedResponse("firmware answer has neither devices nor data")

    @classmethod
    def _from_devices(
        cls, data: Mapping[str, Any], devices: list[Any], device_id: str
    ) -> FirmwareInfo:
        entries = [d for d in devices if isinstance(d, dict)]
        # The answer is per device; take ours, or the only one it has.
        entry = next(
            (d for d in entries if d.get("dev_id") == device_id),
            entries[0] if entries else {},
        )
        offered = entry.get("firmware")
        releases = [
            f
            for f in (offered if isinstance(offered, list) else [])
            if isinstance(f, dict) and _text(f.get("version"))
        ]
        newest = max(
            releases, key=lambda f: _version_key(str(f["version"])), default={}
        )
        current = _text(entry.get("version")) or _text(entry.get("current_version"))
        latest = _text(newest.get("version"))
        return cls(
            current=current,
            latest=latest,
            release_notes=_text(newest.get("description")),
            release_time=_timestamp(newest.get("release_time")),
            update_available=_newer(latest, current),
            raw=dict(data),
        )


_NOT_JSON: Final = object()


@dataclass(frozen=True, slots=True)
class _Reply:
    """What the cloud answered, read in full before the connection is freed."""

    status: int
    data: Any = field(repr=False)  # the decoded JSON body, or _NOT_JSON
    retry_after: str | None
    cookies: dict[str, str] = field(repr=False)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """Return the decoded JSON body; UnexpectedResponse if it is not JSON."""
        if self.data is _NOT_JSON:
            raise UnexpectedResponse(
                f"the cloud answered HTTP {self.status} with invalid JSON"
            )
        return self.data

    def json_object(self) -> dict[str, Any]:
        """Return the body as a JSON object; UnexpectedResponse otherwise."""
        return _expect_object(self.json())

    def lenient_object(self) -> dict[str, Any]:
        """Return the body as a JSON object, or empty: to read error answers."""
        return self.data if isinstance(self.data, dict) else {}

    @property
    def code(self) -> int | None:
        """The ``code`` field of a JSON object body, when it is a number."""
        return as_int(self.lenient_object().get("code"))


class BambuCloud:
    """An asyncio client of the Bambu cloud REST API."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str = GLOBAL_API,
        *,
        token: str | None = None,
        tokens: Tokens | None = None,
        tfa_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        upload_timeout: float = DEFAULT_UPLOAD_TIMEOUT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Use the caller's session; known tokens skip the login.

        ``tokens`` (with a refresh token and lifetime) lets the client renew
        the sign-in on its own; a bare ``token`` cannot be renewed.
        """
        self._session = session
        self._base_url = base_url.rstrip("/")
        region = region_for_url(self._base_url)
        if tfa_url is None:
            # A fake cloud serves the 2FA endpoint on its own address.
            tfa_url = region.tfa_url if region else self._base_url + TFA_PATH
        self._tfa_url = tfa_url
        if tokens is None and token:
            tokens = Tokens(access=token)
        self._tokens = tokens
        self._clock = clock or _now
        self._renew_lock = asyncio.Lock()
        self._renew_not_before = 0.0  # after a failed renewal ahead of expiry
        self._refused_refresh: str | None = None  # asked in vain: not again
        self._on_tokens: Callable[[Tokens], None] | None = None
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._upload_timeout = aiohttp.ClientTimeout(total=upload_timeout)

    @property
    def base_url(self) -> str:
        """The API base URL, without a trailing slash."""
        return self._base_url

    @property
    def tfa_url(self) -> str:
        """Where authenticator codes are posted."""
        return self._tfa_url

    @property
    def token(self) -> str | None:
        """The access token, once logged in (or as given)."""
        return None if self._tokens is None else self._tokens.access

    @property
    def tokens(self) -> Tokens | None:
        """The access token with its refresh token and lifetime, when known."""
        return self._tokens

    def on_tokens(self, callback: Callable[[Tokens], None] | None) -> None:
        """Call ``callback`` with the new tokens after each renewal (to store them)."""
        self._on_tokens = callback

    def _signed_in(self, reply: _Reply, data: Mapping[str, Any]) -> str | None:
        """Keep the tokens of a login answer; return the access token."""
        tokens = Tokens.from_answer(
            data,
            self._clock(),
            access=reply.cookies.get("token"),
        )
        if tokens is not None and tokens.refresh is None:
            # The web sign-in sets the refresh token as a cookie.
            refresh = reply.cookies.get("refreshToken")
            tokens = Tokens(tokens.access, refresh, tokens.expires_at, tokens.lifetime)
        if tokens is None:
            return None
        self._tokens = tokens
        self._renew_not_before = 0.0
        self._refused_refresh = None
        return tokens.access

    # --- login -------------------------------------------------------------

    async def login(self, account: str, password: str) -> LoginResult:
        """Log in with a password; the result says if a code is still needed."""
        reply = await self._send(
            "POST",
            self._api(LOGIN_PATH),
            json_body={"account": account, "password": password},
        )
        _raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            raise InvalidCredentials("the cloud refused the account or password")
        data = _expect_success(reply)
        if token := self._signed_in(reply, data):
            return LoginResult(token=token)
        login_type = data.get("loginType")
        if login_type == "verifyCode":
            return LoginResult(needs=LoginStep.CODE)
        if login_type == "tfa":
            tfa_key = _text(data.get("tfaKey"))
            if tfa_key is None:
                raise UnexpectedResponse("2FA login without a tfaKey")
            return LoginResult(needs=LoginStep.TFA, tfa_key=tfa_key)
        if _is_error(data):
            raise InvalidCredentials("the cloud refused the account or password")
        raise UnexpectedResponse("login answer without a token or a next step")

    async def request_code(self, account: str) -> None:
        """Have the cloud send a login code by email or, for a phone, SMS."""
        if "@" in account:
            path, body = SEND_EMAIL_CODE_PATH, {"email": account, "type": "codeLogin"}
        else:
            path, body = SEND_SMS_CODE_PATH, {"phone": account, "type": "codeLogin"}
        reply = await self._send("POST", self._api(path), json_body=body)
        _raise_for_throttle_or_outage(reply)
        if not reply.ok or _is_error(reply.lenient_object()):
            raise UnexpectedResponse(
                f"the cloud did not send a code (HTTP {reply.status})"
            )

    async def login_with_code(self, account: str, code: str) -> str:
        """Finish a login with the emailed or texted code; return the token."""
        reply = await self._send(
            "POST", self._api(LOGIN_PATH), json_body={"account": account, "code": code}
        )
        _raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            if reply.code == _CODE_EXPIRED:
                raise VerificationCodeExpired("the login code expired")
            raise VerificationCodeInvalid("the login code is wrong")
        data = _expect_success(reply)
        if token := self._signed_in(reply, data):
            return token
        if as_int(data.get("code")) == _CODE_EXPIRED:
            raise VerificationCodeExpired("the login code expired")
        if _is_error(data):
            raise VerificationCodeInvalid("the login code is wrong")
        raise UnexpectedResponse("code login answer without a token")

    async def login_with_tfa(self, tfa_key: str, code: str) -> str:
        """Finish a login with an authenticator app code; return the token.

        Raises TwoFactorUnavailable when the endpoint refuses us (often a
        CSRF or Cloudflare 403): the caller then falls back to an email code.
        """
        reply = await self._send(
            "POST", self._tfa_url, json_body={"tfaKey": tfa_key, "tfaCode": code}
        )
        _raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            raise VerificationCodeInvalid("the authenticator code is wrong")
        if not reply.ok:
            raise TwoFactorUnavailable(f"the 2FA endpoint answered {reply.status}")
        data = reply.lenient_object()
        if token := self._signed_in(reply, data):
            return token
        if _is_error(data):
            raise VerificationCodeInvalid("the authenticator code is wrong")
        raise TwoFactorUnavailable("the 2FA endpoint answered without a token")

    async def refresh(self) -> Tokens:
        """Renew the sign-in with the refresh token; return the new tokens.

        TokenExpired when there is no refresh token or the cloud refuses it
        (the user must sign in again); RateLimited or CloudUnavailable when
        it could not answer (try again later, the old token may still work).
        """
        async with self._renew_lock:
            return await self._renew()

    async def _renew(self) -> Tokens:
        current = self._tokens
        if current is None or current.refresh is None:
            raise TokenExpired("no refresh token to renew the sign-in with")
        if current.refresh == self._refused_refresh:
            raise TokenExpired("the cloud refused this refresh token already")
        reply = await self._send(
            "POST",
            self._api(REFRESH_PATH),
            json_body={"refreshToken": current.refresh},
        )
        _raise_for_throttle_or_outage(reply)
        data = reply.lenient_object()
        tokens = (
            Tokens.from_answer(data, self._clock(), previous=current)
            if reply.ok and not _is_error(data)
            else None
        )
        if tokens is None:
            _LOGGER.debug("The cloud refused to renew the sign-in (%s)", reply.status)
            self._refused_refresh = current.refresh
            raise TokenExpired("the cloud refused to renew the sign-in")
        self._tokens = tokens
        self._renew_not_before = 0.0
        _LOGGER.debug("Renewed the sign-in")
        if self._on_tokens is not None:
            try:
                self._on_tokens(tokens)
            except Exception:
                _LOGGER.exception("Storing the renewed sign-in failed")
        return tokens

    async def _renew_if_due(self) -> None:
        """Renew ahead of expiry; a failure keeps the current token for now."""
        tokens = self._tokens
        renew_at = None if tokens is None else tokens.renew_at()
        now = self._clock()
        if renew_at is None or now < max(renew_at, self._renew_not_before):
            return
        async with self._renew_lock:
            if self._tokens is not tokens:
                return  # renewed while we waited
            try:
                await self._renew()
            except CloudError as err:
                self._renew_not_before = now + RENEW_RETRY
                _LOGGER.info(
                    "Could not renew the Bambu sign-in ahead of expiry (%s); "
                    "trying again later",
                    err.key,
                )

    async def refresh_refused(self, refused: str) -> Tokens:
        """A server refused the token ``refused``: renew it, unless done since.

        Returns the current tokens. TokenExpired when renewing fails for
        good; RateLimited or CloudUnavailable when it may work later.
        """
        async with self._renew_lock:
            current = self._tokens
            if current is not None and current.access != refused:
                return current  # another request renewed it meanwhile
            try:
                return await self._renew()
            except (RateLimited, CloudUnavailable):
                raise  # the cloud may renew it later: no new sign-in yet
            except CloudError as err:
                raise TokenExpired("the cloud no longer accepts the token") from err

    # --- account data ------------------------------------------------------

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
        data = _expect_object(await self._get(DEVICES_PATH))
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
        data = _expect_object(await self._get(TASKS_PATH, params))
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
        data = _expect_object(await self._get(FIRMWARE_PATH, params))
        return FirmwareInfo.from_json(data, device_id)

    async def get_messages(self) -> list[dict[str, Any]]:
        """List the account's messages (print results, comments...)."""
        return _message_list(await self._get(MESSAGES_PATH))

    async def get_notifications(self) -> list[dict[str, Any]]:
        """List the account's device notifications."""
        return _message_list(await self._get(NOTIFICATIONS_PATH))

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

    async def upload(self, filename: str, data: bytes) -> None:
        """Put a file into the account's cloud storage.

        UploadNotAvailable when the account has no cloud storage.
        """
        size = str(len(data))
        answer = _expect_object(
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

    # --- plumbing ----------------------------------------------------------

    def _api(self, path: str) -> str:
        return self._base_url + path

    async def _get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        refused: type[CloudError] = UnexpectedResponse,
    ) -> Any:
        """Send an authenticated GET; raise ``refused`` for other 4xx answers.

        The sign-in is renewed ahead of expiry, and once when the cloud
        refuses the token; TokenExpired only when renewing fails.
        """
        await self._renew_if_due()
        reply, used = await self._authorized_get(path, params)
        if _token_refused(reply):
            await self.refresh_refused(used)
            reply, _ = await self._authorized_get(path, params)
            if _token_refused(reply):
                raise TokenExpired("the cloud no longer accepts the token")
        if not reply.ok:
            raise refused(f"{path} answered HTTP {reply.status}")
        return reply.json()

    async def _authorized_get(
        self, path: str, params: Mapping[str, str] | None
    ) -> tuple[_Reply, str]:
        """Send a GET with the current token; return the reply and the token."""
        token = self.token
        if not token:
            raise TokenExpired("not logged in")
        reply = await self._send(
            "GET",
            self._api(path),
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )
        _raise_for_throttle_or_outage(reply)
        return reply, token

    async def _put(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        """PUT to a pre-signed storage URL, without our Authorization."""
        # encoded=True keeps the signature's percent-escapes byte for byte.
        reply = await self._send(
            "PUT",
            URL(url, encoded=True),
            data=body,
            headers=headers,
            request_timeout=self._upload_timeout,
        )
        _raise_for_throttle_or_outage(reply)
        if not reply.ok:
            raise UnexpectedResponse(f"the storage refused the upload ({reply.status})")

    async def _send(
        self,
        method: str,
        url: str | URL,
        *,
        json_body: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        request_timeout: aiohttp.ClientTimeout | None = None,
    ) -> _Reply:
        """Send one request; transport failures become CloudUnavailable."""
        # Only the path is logged: queries of pre-signed URLs carry signatures.
        path = URL(url).path if isinstance(url, str) else url.path
        try:
            async with self._session.request(
                method,
                url,
                json=json_body,
                params=params,
                data=data,
                headers=headers,
                timeout=request_timeout or self._timeout,
            ) as response:
                body = await response.read()
                reply = _Reply(
                    status=response.status,
                    data=_decode(body),
                    retry_after=response.headers.get("Retry-After"),
                    cookies={k: m.value for k, m in response.cookies.items()},
                )
        except TimeoutError as err:
            _LOGGER.debug("%s %s timed out", method, path)
            raise CloudUnavailable(f"{path} timed out") from err
        except aiohttp.ClientError as err:
            _LOGGER.debug("%s %s failed: %s", method, path, type(err).__name__)
            raise CloudUnavailable(f"{path} failed: {type(err).__name__}") from err
        _LOGGER.debug("%s %s answered HTTP %s", method, path, reply.status)
        return reply


# --- helpers ---------------------------------------------------------------


def _raise_for_throttle_or_outage(reply: _Reply) -> None:
    if reply.status == 429:
        raise RateLimited(
            "the cloud asks to slow down", retry_after=_retry_after(reply.retry_after)
        )
    if reply.status >= 500:
        raise CloudUnavailable(f"the cloud answered HTTP {reply.status}")


def _now() -> float:
    # Looked up at each call, so a test's frozen clock applies.
    return time.time()


def _token_refused(reply: _Reply) -> bool:
    return reply.status == 401 or reply.code in _TOKEN_CODES


def _decode(body: bytes) -> Any:
    """The JSON of a body; _NOT_JSON for anything else, or nested too deep.

    A deeply nested answer would raise RecursionError here or in the code
    reading it: it is refused like invalid JSON (UnexpectedResponse).
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # also bad UTF-8
        return _NOT_JSON
    if too_deep(data):
        _LOGGER.debug("Dropped a cloud answer nested too deep")
        return _NOT_JSON
    return data


def _expect_success(reply: _Reply) -> dict[str, Any]:
    if not reply.ok:
        raise UnexpectedResponse(f"the cloud answered HTTP {reply.status}")
    return reply.json_object()


def _expect_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UnexpectedResponse(f"expected a JSON object, got {type(data).__name__}")
    return data


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date).

    Every delay the cloud asks for passes here, so this is where it is
    bounded: ``inf``, a huge number or a far-future date would otherwise stop
    polling for good (or overflow a date computation).
    """
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if math.isnan(seconds):
        return None
    if seconds > MAX_RETRY_AFTER:
        _LOGGER.warning(
            "The cloud asked to wait %s; waiting %d seconds instead",
            value[:40],
            MAX_RETRY_AFTER,
        )
        return MAX_RETRY_AFTER
    return max(0.0, seconds)


def _is_error(data: Mapping[str, Any]) -> bool:
    """Whether a JSON answer reports a failure (the cloud mixes styles)."""
    code = as_int(data.get("code"))
    return (
        data.get("success") is False
        or bool(data.get("error"))
        or (code is not None and code != 0)
    )


def _uid_in(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    return _text(data.get("uid"))


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
    username = _text(claims.get("username")) if isinstance(claims, dict) else None
    if username is None or not username.startswith("u_") or len(username) == 2:
        return None
    return username[2:]


def _message_list(data: Any) -> list[dict[str, Any]]:
    """Find the message dicts in any of the answer shapes seen."""
    if isinstance(data, dict):
        for key in ("hits", "messages", "notifications", "list"):
            if isinstance(data.get(key), list):
                return _message_list(data[key])
        inner = data.get("data")
        return _message_list(inner) if isinstance(inner, dict | list) else []
    if isinstance(data, list):
        return [m for m in data if isinstance(m, dict)]
    raise UnexpectedResponse(f"expected messages, got {type(data).__name__}")


def _text(value: Any) -> str | None:
    """Return a non-empty string (numbers become text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        # Access codes come back with a trailing newline.
        return value.strip() or None
    return None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "online", "yes")
    return bool(value) if isinstance(value, bool | int) else False


def _timestamp(value: Any) -> datetime | None:
    """Return an aware time from ISO text (``...Z``) or Unix seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value <= 0:
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.year <= 1:  # Go's zero time: "not set"
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _version_key(version: str) -> tuple[int, ...]:
    """Order firmware versions like ``01.08.00.00`` numerically."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def _newer(latest: str | None, current: str | None) -> bool | None:
    if latest is None or current is None:
        return None
    return _version_key(latest) > _version_key(current)
