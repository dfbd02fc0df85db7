"""Signing in to the Bambu cloud and keeping the sign-in fresh.

Password, email or SMS code, authenticator app; the access token is renewed
with the refresh token ahead of expiry, and once when the cloud refuses it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
import logging
import time
from typing import Any, Final

import aiohttp

from .auth import REFRESH_PATH, Tokens
from .cloud_http import (
    DEFAULT_TIMEOUT,
    DEFAULT_UPLOAD_TIMEOUT,
    GLOBAL_API,
    CloudHttp,
    Reply,
    expect_success,
    is_error,
    raise_for_throttle_or_outage,
)
from .cloud_values import text
from .errors import (
    CloudError,
    CloudUnavailable,
    InvalidCredentials,
    RateLimited,
    TokenExpired,
    TwoFactorUnavailable,
    UnexpectedResponse,
    VerificationCodeExpired,
    VerificationCodeInvalid,
)
from .hosts import REGIONS, Region
from .values import as_int

_LOGGER = logging.getLogger(__name__)

LOGIN_PATH: Final = "/v1/user-service/user/login"
SEND_EMAIL_CODE_PATH: Final = "/v1/user-service/user/sendemail/code"
SEND_SMS_CODE_PATH: Final = "/v1/user-service/user/sendsmscode"
TFA_PATH: Final = "/api/sign-in/tfa"

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


class CloudSignIn(CloudHttp):
    """The cloud client's sign-in: logging in, the tokens, authenticated GETs."""

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
        super().__init__(
            session, base_url, timeout=timeout, upload_timeout=upload_timeout
        )
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

    def _signed_in(self, reply: Reply, data: Mapping[str, Any]) -> str | None:
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
        raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            raise InvalidCredentials("the cloud refused the account or password")
        data = expect_success(reply)
        if token := self._signed_in(reply, data):
            return LoginResult(token=token)
        login_type = data.get("loginType")
        if login_type == "verifyCode":
            return LoginResult(needs=LoginStep.CODE)
        if login_type == "tfa":
            tfa_key = text(data.get("tfaKey"))
            if tfa_key is None:
                raise UnexpectedResponse("2FA login without a tfaKey")
            return LoginResult(needs=LoginStep.TFA, tfa_key=tfa_key)
        if is_error(data):
            raise InvalidCredentials("the cloud refused the account or password")
        raise UnexpectedResponse("login answer without a token or a next step")

    async def request_code(self, account: str) -> None:
        """Have the cloud send a login code by email or, for a phone, SMS."""
        if "@" in account:
            path, body = SEND_EMAIL_CODE_PATH, {"email": account, "type": "codeLogin"}
        else:
            path, body = SEND_SMS_CODE_PATH, {"phone": account, "type": "codeLogin"}
        reply = await self._send("POST", self._api(path), json_body=body)
        raise_for_throttle_or_outage(reply)
        if not reply.ok or is_error(reply.lenient_object()):
            raise UnexpectedResponse(
                f"the cloud did not send a code (HTTP {reply.status})"
            )

    async def login_with_code(self, account: str, code: str) -> str:
        """Finish a login with the emailed or texted code; return the token."""
        reply = await self._send(
            "POST", self._api(LOGIN_PATH), json_body={"account": account, "code": code}
        )
        raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            if reply.code == _CODE_EXPIRED:
                raise VerificationCodeExpired("the login code expired")
            raise VerificationCodeInvalid("the login code is wrong")
        data = expect_success(reply)
        if token := self._signed_in(reply, data):
            return token
        if as_int(data.get("code")) == _CODE_EXPIRED:
            raise VerificationCodeExpired("the login code expired")
        if is_error(data):
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
        raise_for_throttle_or_outage(reply)
        if reply.status in (400, 401):
            raise VerificationCodeInvalid("the authenticator code is wrong")
        if not reply.ok:
            raise TwoFactorUnavailable(f"the 2FA endpoint answered {reply.status}")
        data = reply.lenient_object()
        if token := self._signed_in(reply, data):
            return token
        if is_error(data):
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
        raise_for_throttle_or_outage(reply)
        data = reply.lenient_object()
        tokens = (
            Tokens.from_answer(data, self._clock(), previous=current)
            if reply.ok and not is_error(data)
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

    # --- authenticated requests ----------------------------------------------

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
    ) -> tuple[Reply, str]:
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
        raise_for_throttle_or_outage(reply)
        return reply, token


def _now() -> float:
    # Looked up at each call, so a test's frozen clock applies.
    return time.time()


def _token_refused(reply: Reply) -> bool:
    return reply.status == 401 or reply.code in _TOKEN_CODES
