"""A stateful fake of the Bambu cloud REST API, served on a loopback socket.

It keeps what the real cloud keeps (accounts, issued and expired codes, 2FA
keys, tokens with their lifetime and refresh tokens, each account's printers
and print history), renews a sign-in with its refresh token (unless told to
refuse), and can be told to
fail like the real one: 401, 429 with Retry-After, 500, an answer slower than
the client's timeout, invalid JSON, or any canned answer. It also plays the
S3 bucket behind the pre-signed upload URLs and the CDN serving task covers,
and records every request for the tests to inspect.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
import itertools
import json
import logging
import secrets
import ssl
import time
from typing import Any, Self
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

_LOGGER = logging.getLogger(__name__)
HOST = "127.0.0.1"

LOGIN = "/v1/user-service/user/login"
REFRESH = "/v1/user-service/user/refreshtoken"
SEND_EMAIL = "/v1/user-service/user/sendemail/code"
SEND_SMS = "/v1/user-service/user/sendsmscode"
TFA = "/api/sign-in/tfa"
PREFERENCE = "/v1/design-user-service/my/preference"
BIND = "/v1/iot-service/api/user/bind"
TASKS = "/v1/user-service/my/tasks"
VERSION = "/v1/iot-service/api/user/device/version"
MESSAGES = "/v1/user-service/my/messages"
NOTIFICATIONS = "/v1/iot-service/api/user/notification"
UPLOAD = "/v1/iot-service/api/user/upload"
COVERS = "/covers"

# A signature with characters that must stay percent-encoded, as real S3
# signatures do; the bucket refuses the PUT if the client re-quotes them.
S3_QUERY = "AWSAccessKeyId=AKFAKE&Expires=1999999999&Signature=ab%2Bcd%2Fef%3D"


class Kind(StrEnum):
    """How an account logs in."""

    DIRECT = "direct"  # the password alone gives a token
    CODE = "code"  # loginType verifyCode: email/SMS code
    TFA = "tfa"  # loginType tfa: authenticator app


class Fault(StrEnum):
    """A failure the fake injects on one path."""

    UNAUTHORIZED = "401"
    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    SLOW = "slow"  # waits until the test releases it
    INVALID_JSON = "invalid_json"


@dataclass
class Canned:
    """A fixed answer for one path."""

    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Account:
    """One cloud account."""

    password: str
    kind: Kind
    uid: int
    devices: list[dict[str, Any]] | None = None  # None: FakeCloud.devices
    tasks: list[dict[str, Any]] | None = None  # None: FakeCloud.tasks


@dataclass
class Seen:
    """One request as the fake received it."""

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body, decoded."""
        return json.loads(self.body)


@dataclass
class Stored:
    """One object PUT into the fake S3 bucket."""

    body: bytes
    headers: list[tuple[str, str]]  # every header line, duplicates kept
    raw_path: str

    def values(self, name: str) -> list[str]:
        """Every value of one header, case-insensitively."""
        return [v for k, v in self.headers if k.lower() == name.lower()]


class FakeCloud:
    """The fake cloud and its state."""

    def __init__(self) -> None:
        """Create an empty cloud; add accounts, then start it."""
        self.app = web.Application(middlewares=[self._record_and_fault])
        self.app.router.add_post(LOGIN, self._login)
        self.app.router.add_post(REFRESH, self._refresh)
        self.app.router.add_post(SEND_EMAIL, self._send_email)
        self.app.router.add_post(SEND_SMS, self._send_sms)
        self.app.router.add_post(TFA, self._tfa)
        self.app.router.add_get(PREFERENCE, self._preference)
        self.app.router.add_get(BIND, self._bind)
        self.app.router.add_get(TASKS, self._tasks)
        self.app.router.add_get(VERSION, self._version)
        self.app.router.add_get(MESSAGES, self._messages)
        self.app.router.add_get(NOTIFICATIONS, self._notifications)
        self.app.router.add_get(UPLOAD, self._upload)
        self.app.router.add_put("/s3/{kind}/{name}", self._s3_put)
        self.app.router.add_get("/s3/filename/{name}", self._s3_get)
        self.app.router.add_get(COVERS + "/{name}", self._cover)

        self.base_url = ""  # set once the server listens
        self.accounts: dict[str, Account] = {}
        self.codes: dict[str, str] = {}  # account -> the code last sent
        self.expired: dict[str, str] = {}  # account -> a code that expired
        self.sent: list[tuple[str, str]] = []  # ("email"|"phone", account)
        self.tfa_keys: dict[str, str] = {}  # tfaKey -> account
        self.tfa_code = "246810"
        self.tfa_blocked = False
        self.tfa_token_in_body = False
        self.tokens: dict[str, str] = {}  # token -> account
        # Seconds an access token lives (the real cloud's: about 90 days);
        # ``clock`` says what time it is, so a test can let tokens expire.
        self.token_lifetime = 7776000
        self.clock: Callable[[], float] = time.time
        self.expiry: dict[str, float] = {}  # token -> when it expires
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> account
        self.refuse_refresh = False
        # Told of each renewal (account, new token), before the answer leaves.
        self.on_refresh: Callable[[str, str], Awaitable[None]] | None = None
        self.wrong_password = Canned(400, {"code": 5, "error": "Incorrect password"})
        self.faults: dict[str, Fault | Canned] = {}
        self._fault_after: dict[str, int] = {}
        self.retry_after: str | None = "7"
        self.release = asyncio.Event()
        self.seen: list[Seen] = []
        self.preference: Any = None  # None: the caller's own uid
        self.devices: Any = []
        self.tasks: list[dict[str, Any]] = []
        # The most tasks one page holds whatever the client asks (None: no cap).
        self.max_task_limit: int | None = None
        self.firmware: Any = {}  # the answer for any device_id not below
        self.firmware_by_device: dict[str, Any] = {}
        self.covers: dict[str, bytes] = {}  # name -> PNG served under COVERS
        self.messages: Any = {"hits": []}
        self.notifications: Any = {"code": 0, "data": {"notifications": []}}
        self.upload_enabled = True
        self.bucket: dict[str, Stored] = {}
        # Every file uploaded, by name: the account's cloud storage.
        self.files: dict[str, bytes] = {}
        self._serial = itertools.count(1)
        self._runner: web.AppRunner | None = None
        # account -> the token every login returns; the simulator registers it
        # as the account's MQTT password, which Mosquitto holds one of.
        self.fixed_tokens: dict[str, str] = {}
        self.before_bind: Callable[[], None] | None = None  # refresh devices

    # --- serving ---------------------------------------------------------------

    async def start(
        self, port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        """Listen on 127.0.0.1 (a free port unless given); HTTPS with a context."""
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, HOST, port, ssl_context=ssl_context)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0][1]
        scheme = "https" if ssl_context else "http"
        self.base_url = f"{scheme}://{HOST}:{bound}"

    async def stop(self) -> None:
        """Stop listening; releases a deliberately slow answer first."""
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Stop serving."""
        await self.stop()

    # --- test controls -------------------------------------------------------

    def add_account(
        self,
        account: str,
        password: str,
        kind: Kind,
        uid: int,
        *,
        devices: list[dict[str, Any]] | None = None,
        tasks: list[dict[str, Any]] | None = None,
    ) -> Account:
        """Create an account, optionally with its own printers and history."""
        created = Account(password, kind, uid, devices, tasks)
        self.accounts[account] = created
        return created

    def last_code(self, account: str) -> str | None:
        """The login code last sent to ``account`` and not used yet."""
        return self.codes.get(account)

    def clear_fault(self, path: str | None = None) -> None:
        """Stop failing ``path`` (every path when None)."""
        if path is None:
            self.faults.clear()
        else:
            self.faults.pop(path, None)

    def issue_token(self, account: str) -> str:
        """Make a token like the cloud's (a JWT whose username is u_<uid>)."""
        if (fixed := self.fixed_tokens.get(account)) is not None:
            self.tokens[fixed] = account
            return fixed
        return self.make_token(account)

    def make_token(self, account: str) -> str:
        """A new token for ``account``, valid from now on."""
        claims = {
            "username": f"u_{self.accounts[account].uid}",
            "n": next(self._serial),
        }
        token = ".".join(
            (
                _b64({"alg": "RS256", "typ": "JWT"}),
                _b64(claims),
                secrets.token_urlsafe(16),
            )
        )
        self.tokens[token] = account
        return token

    def expire_tokens(self, account: str) -> None:
        """Let every access token of ``account`` expire now (refresh tokens stay)."""
        now = self.clock()
        for token, owner in self.tokens.items():
            if owner == account:
                self.expiry[token] = now

    def revoke_refresh_tokens(self, account: str) -> None:
        """Refuse every refresh token of ``account`` (a password change, say)."""
        for refresh in [
            r for r, owner in self.refresh_tokens.items() if owner == account
        ]:
            del self.refresh_tokens[refresh]

    def expire_code(self, account: str) -> str:
        """Let the code last sent to ``account`` expire; return it."""
        code = self.codes.pop(account)
        self.expired[account] = code
        return code

    def fail(self, path: str, fault: Fault | Canned, *, after: int = 0) -> None:
        """Answer every request to ``path`` with ``fault`` until cleared.

        ``after``: answer that many requests normally first (a failure
        halfway through paging).
        """
        self.faults[path] = fault
        self._fault_after[path] = after

    def requests_to(self, path: str) -> list[Seen]:
        """The requests received on ``path``, oldest first."""
        return [s for s in self.seen if s.path == path]

    # --- plumbing ------------------------------------------------------------

    @web.middleware
    async def _record_and_fault(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        self.seen.append(
            Seen(
                method=request.method,
                path=request.path,
                raw_path=request.raw_path,
                query=dict(request.query),
                headers=dict(request.headers),
                body=await request.read(),
            )
        )
        fault = self.faults.get(request.path)
        if fault is not None and self._fault_after.get(request.path, 0) > 0:
            self._fault_after[request.path] -= 1
            fault = None
        if isinstance(fault, Canned):
            body = fault.body
            return web.Response(
                status=fault.status,
                body=body if isinstance(body, bytes) else json.dumps(body).encode(),
                headers={"Content-Type": "application/json", **fault.headers},
            )
        if fault is Fault.UNAUTHORIZED:
            return web.json_response({"code": 401, "error": "Unauthorized"}, status=401)
        if fault is Fault.RATE_LIMITED:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return web.json_response(
                {"error": "Too Many Requests"}, status=429, headers=headers
            )
        if fault is Fault.SERVER_ERROR:
            return web.Response(status=500, text="internal error")
        if fault is Fault.SLOW:
            await self.release.wait()
            return web.json_response({})
        if fault is Fault.INVALID_JSON:
            return web.Response(
                status=200, text="{not json", content_type="application/json"
            )
        return await handler(request)

    def _account_of(self, request: web.Request) -> str | None:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        token = auth.removeprefix("Bearer ")
        if self.expiry.get(token, float("inf")) <= self.clock():
            return None  # expired: 401, like any unknown token
        return self.tokens.get(token)

    def _issue(self, account: str, token: str | None = None) -> web.Response:
        token = token or self.issue_token(account)
        self.expiry[token] = self.clock() + self.token_lifetime
        refresh = secrets.token_urlsafe(24)
        self.refresh_tokens[refresh] = account
        return web.json_response(
            {
                "accessToken": token,
                "refreshToken": refresh,
                "expiresIn": self.token_lifetime,
                "refreshExpiresIn": self.token_lifetime,
                "loginType": "",
                "tfaKey": "",
            }
        )

    async def _refresh(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        refresh = body.get("refreshToken") if isinstance(body, dict) else None
        if not isinstance(refresh, str):
            refresh = ""
        account = self.refresh_tokens.get(refresh)
        if account is None or self.refuse_refresh:
            return web.json_response(
                {"code": 1002, "error": "Refresh token invalid"}, status=401
            )
        del self.refresh_tokens[refresh]  # each refresh token renews once
        token = self.make_token(account)
        if account in self.fixed_tokens:
            self.fixed_tokens[account] = token  # later logins give it too
        if self.on_refresh is not None:
            await self.on_refresh(account, token)
        return self._issue(account, token)

    # --- login ---------------------------------------------------------------

    async def _login(self, request: web.Request) -> web.Response:
        body = await request.json()
        account = body.get("account", "")
        known = self.accounts.get(account)
        if "password" in body:
            if known is None or known.password != body["password"]:
                wrong = self.wrong_password
                return web.json_response(wrong.body, status=wrong.status)
            if known.kind is Kind.DIRECT:
                return self._issue(account)
            if known.kind is Kind.CODE:
                return web.json_response(
                    {"accessToken": "", "loginType": "verifyCode", "tfaKey": ""}
                )
            key = secrets.token_hex(8)
            self.tfa_keys[key] = account
            return web.json_response(
                {"accessToken": "", "loginType": "tfa", "tfaKey": key}
            )
        if "code" in body:
            code = body["code"]
            if self.expired.get(account) == code:
                return web.json_response(
                    {"code": 1, "error": "Code has expired"}, status=400
                )
            if known is None or self.codes.get(account) != code:
                return web.json_response(
                    {"code": 2, "error": "Incorrect code"}, status=400
                )
            del self.codes[account]
            return self._issue(account)
        return web.json_response({"code": 3, "error": "Bad request"}, status=400)

    def _send_code(self, kind: str, account: Any, code_type: Any) -> web.Response:
        if code_type != "codeLogin" or account not in self.accounts:
            return web.json_response({"code": 4, "error": "Cannot send"}, status=400)
        code = f"{secrets.randbelow(10**6):06d}"
        self.codes[account] = code
        self.sent.append((kind, account))
        # Where a real user would read their mailbox or phone.
        _LOGGER.warning("Login code for %s (by %s): %s", account, kind, code)
        return web.json_response({"success": True, "message": "sent"})

    async def _send_email(self, request: web.Request) -> web.Response:
        body = await request.json()
        return self._send_code("email", body.get("email"), body.get("type"))

    async def _send_sms(self, request: web.Request) -> web.Response:
        body = await request.json()
        return self._send_code("phone", body.get("phone"), body.get("type"))

    async def _tfa(self, request: web.Request) -> web.Response:
        if self.tfa_blocked:
            return web.Response(status=403, text="<html>Cloudflare</html>")
        body = await request.json()
        account = self.tfa_keys.get(body.get("tfaKey", ""))
        if account is None or body.get("tfaCode") != self.tfa_code:
            return web.json_response({"code": 2, "error": "Invalid code"}, status=400)
        del self.tfa_keys[body["tfaKey"]]
        token = self.issue_token(account)
        if self.tfa_token_in_body:
            return web.json_response({"token": token})
        response = web.json_response({"success": True})
        response.set_cookie("token", token, httponly=True, secure=False)
        return response

    # --- authenticated ---------------------------------------------------------

    def _unauthorized(self, request: web.Request) -> web.Response | None:
        if self._account_of(request) is None:
            return web.json_response({"code": 401, "error": "Unauthorized"}, status=401)
        return None

    def _owner(self, request: web.Request) -> Account | None:
        account = self._account_of(request)
        return None if account is None else self.accounts.get(account)

    async def _preference(self, request: web.Request) -> web.Response:
        if refused := self._unauthorized(request):
            return refused
        if self.preference is not None:
            return web.json_response(self.preference)
        owner = self._owner(request)
        uid = owner.uid if owner else 0
        return web.json_response({"uid": uid, "name": f"user_{uid}"})

    async def _bind(self, request: web.Request) -> web.Response:
        if refused := self._unauthorized(request):
            return refused
        if self.before_bind is not None:
            self.before_bind()
        owner = self._owner(request)
        devices = (
            self.devices if owner is None or owner.devices is None else owner.devices
        )
        return web.json_response(
            {"message": "success", "code": None, "error": None, "devices": devices}
        )

    async def _tasks(self, request: web.Request) -> web.Response:
        if refused := self._unauthorized(request):
            return refused
        owner = self._owner(request)
        tasks = self.tasks if owner is None or owner.tasks is None else owner.tasks
        try:
            limit = int(request.query.get("limit", "20"))
            after = int(request.query["after"]) if "after" in request.query else None
        except ValueError:
            return web.json_response({"code": 3, "error": "Bad request"}, status=400)
        if limit < 1:
            return web.json_response({"code": 3, "error": "Bad request"}, status=400)
        if self.max_task_limit is not None:
            limit = min(limit, self.max_task_limit)
        # Newest first; ``after`` is a task id cursor: older tasks than it.
        matching = _newest_first(
            t
            for t in tasks
            if "deviceId" not in request.query
            or t.get("deviceId") == request.query["deviceId"]
        )
        if after is not None:
            matching = [t for t in matching if int(t["id"]) < after]
        return web.json_response({"total": len(matching), "hits": matching[:limit]})

    async def _version(self, request: web.Request) -> web.Response:
        if refused := self._unauthorized(request):
            return refused
        device = request.query.get("device_id", "")
        return web.json_response(self.firmware_by_device.get(device, self.firmware))

    async def _cover(self, request: web.Request) -> web.Response:
        png = self.covers.get(request.match_info["name"])
        if png is None:
            return web.Response(status=404, text="NoSuchKey")
        return web.Response(body=png, content_type="image/png")

    async def _messages(self, request: web.Request) -> web.Response:
        return self._unauthorized(request) or web.json_response(self.messages)

    async def _notifications(self, request: web.Request) -> web.Response:
        return self._unauthorized(request) or web.json_response(self.notifications)

    async def _upload(self, request: web.Request) -> web.Response:
        if refused := self._unauthorized(request):
            return refused
        if not self.upload_enabled:
            return web.json_response(
                {"code": 8, "error": "No cloud storage for this account"}, status=400
            )
        name = request.query["filename"]
        size = request.query["size"]
        return web.json_response(
            {
                "message": "success",
                "code": None,
                "error": None,
                "urls": [
                    {
                        "type": "filename",
                        "file": name,
                        "url": f"{self.base_url}/s3/filename/{name}?{S3_QUERY}",
                    },
                    {
                        "type": "size",
                        "file": size,
                        "url": f"{self.base_url}/s3/size/{size}?{S3_QUERY}",
                    },
                ],
            }
        )

    async def _s3_get(self, request: web.Request) -> web.Response:
        # What the printers download a cloud print from.
        body = self.files.get(request.match_info["name"])
        if body is None:
            return web.Response(status=404, text="NoSuchKey")
        return web.Response(body=body, content_type="application/octet-stream")

    async def _s3_put(self, request: web.Request) -> web.Response:
        # Like S3: a second auth mechanism or a re-quoted signature is refused.
        if "Authorization" in request.headers:
            return web.Response(status=400, text="InvalidArgument")
        if not request.raw_path.endswith(S3_QUERY):
            return web.Response(status=403, text="SignatureDoesNotMatch")
        kind = request.match_info["kind"]
        body = await request.read()
        if kind == "filename":
            self.files[request.match_info["name"]] = body
        self.bucket[kind] = Stored(
            body=body,
            headers=list(request.headers.items()),
            raw_path=request.raw_path,
        )
        return web.Response(status=200)


def stored_name(url: str) -> str | None:
    """The name of a file in the fake storage, from its URL (None: not one)."""
    path = urlsplit(url).path
    prefix = "/s3/filename/"
    return path.removeprefix(prefix) if path.startswith(prefix) else None


def _newest_first(tasks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks by id, newest first, as the cloud lists them; odd ids keep order."""
    listed = list(tasks)
    try:
        return sorted(listed, key=lambda t: int(t["id"]), reverse=True)
    except KeyError, TypeError, ValueError:
        return listed


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
