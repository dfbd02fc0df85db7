"""The cloud's HTTP core: one request, read in full, every failure a typed error.

Only paths are logged (queries of pre-signed URLs carry signatures); a
throttled or failing cloud becomes RateLimited or CloudUnavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
import math
from typing import Any, Final

import aiohttp
from yarl import URL

from .errors import CloudUnavailable, RateLimited, UnexpectedResponse
from .hosts import CHINA, GLOBAL
from .nesting import too_deep
from .values import as_int

_LOGGER = logging.getLogger(__name__)

GLOBAL_API: Final = GLOBAL.api_url
CHINA_API: Final = CHINA.api_url

DEFAULT_TIMEOUT: Final = 15.0
# The longest a Retry-After is honoured; longer asks are capped (and logged).
MAX_RETRY_AFTER: Final = 3600.0  # seconds
# A whole 3MF goes to S3 in one PUT: far longer than a JSON call.
DEFAULT_UPLOAD_TIMEOUT: Final = 300.0

_NOT_JSON: Final = object()


@dataclass(frozen=True, slots=True)
class Reply:
    """What the cloud answered, read in full before the connection is freed."""

    status: int
    data: Any = field(repr=False)  # the decoded JSON body, or _NOT_JSON
    retry_after: str | None
    cookies: dict[str, str] = field(repr=False)

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
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
        return expect_object(self.json())

    def lenient_object(self) -> dict[str, Any]:
        """Return the body as a JSON object, or empty: to read error answers."""
        return self.data if isinstance(self.data, dict) else {}

    @property
    def code(self) -> int | None:
        """The ``code`` field of a JSON object body, when it is a number."""
        return as_int(self.lenient_object().get("code"))


class CloudHttp:
    """Requests to one cloud API over the caller's ``aiohttp`` session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str = GLOBAL_API,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        upload_timeout: float = DEFAULT_UPLOAD_TIMEOUT,
    ) -> None:
        """Use the caller's session; ``timeout`` bounds a JSON call, ``upload_timeout`` an upload."""
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._upload_timeout = aiohttp.ClientTimeout(total=upload_timeout)

    @property
    def base_url(self) -> str:
        """The API base URL, without a trailing slash."""
        return self._base_url

    def _api(self, path: str) -> str:
        return self._base_url + path

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
        raise_for_throttle_or_outage(reply)
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
    ) -> Reply:
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
                reply = Reply(
                    status=response.status,
                    data=decode(body),
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


def raise_for_throttle_or_outage(reply: Reply) -> None:
    """Raise RateLimited for 429 (with its delay), CloudUnavailable for 5xx."""
    if reply.status == 429:
        raise RateLimited(
            "the cloud asks to slow down", retry_after=retry_delay(reply.retry_after)
        )
    if reply.status >= 500:
        raise CloudUnavailable(f"the cloud answered HTTP {reply.status}")


def decode(body: bytes) -> Any:
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


def expect_success(reply: Reply) -> dict[str, Any]:
    """The JSON object of a 2xx answer; UnexpectedResponse otherwise."""
    if not reply.ok:
        raise UnexpectedResponse(f"the cloud answered HTTP {reply.status}")
    return reply.json_object()


def expect_object(data: Any) -> dict[str, Any]:
    """``data`` when it is a JSON object; UnexpectedResponse otherwise."""
    if not isinstance(data, dict):
        raise UnexpectedResponse(f"expected a JSON object, got {type(data).__name__}")
    return data


def retry_delay(value: str | None) -> float | None:
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


def is_error(data: Mapping[str, Any]) -> bool:
    """Whether a JSON answer reports a failure (the cloud mixes styles)."""
    code = as_int(data.get("code"))
    return (
        data.get("success") is False
        or bool(data.get("error"))
        or (code is not None and code != 0)
    )
