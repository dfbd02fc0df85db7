"""The cloud sign-in: the access token, the refresh token and their lifetime.

The login answer carries ``accessToken``, ``refreshToken`` and ``expiresIn``
(seconds; about three months on the real cloud). ``Tokens`` keeps them and
says when to renew: a while before the access token expires, so the user
never has to sign in again while the refresh token works. Nothing here
does I/O; ``BambuCloud`` sends the renewal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import math
from typing import Any, Final

REFRESH_PATH: Final = "/v1/user-service/user/refreshtoken"

# Renew when a fifth of the lifetime is left, but at most a week ahead.
_AHEAD_FRACTION: Final = 0.2
MAX_AHEAD: Final = 7 * 24 * 3600.0  # seconds
# A lifetime beyond this is not believed (a broken answer): ten years.
MAX_LIFETIME: Final = 10 * 365 * 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Tokens:
    """What a login or a renewal gave; secrets stay out of ``repr``."""

    access: str = field(repr=False)
    refresh: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # Unix seconds; None when the cloud did not say
    lifetime: float | None = None  # seconds the access token was issued for

    @classmethod
    def from_answer(
        cls,
        data: Mapping[str, Any],
        now: float,
        *,
        access: str | None = None,
        previous: Tokens | None = None,
    ) -> Tokens | None:
        """Read a login or renewal answer; None without an access token.

        ``access`` overrides the body's token (the 2FA endpoint sets it in a
        cookie). A renewal that names no new refresh token keeps ``previous``'s.
        """
        token = access or _text(data.get("accessToken")) or _text(data.get("token"))
        if token is None:
            return None
        refresh = _text(data.get("refreshToken"))
        if refresh is None and previous is not None:
            refresh = previous.refresh
        lifetime = _seconds(data.get("expiresIn"))
        return cls(
            access=token,
            refresh=refresh,
            expires_at=None if lifetime is None else now + lifetime,
            lifetime=lifetime,
        )

    def renew_at(self) -> float | None:
        """When to renew ahead of expiry; None if unknown or not renewable."""
        if self.refresh is None or self.expires_at is None:
            return None
        ahead = min((self.lifetime or 0.0) * _AHEAD_FRACTION, MAX_AHEAD)
        return self.expires_at - ahead


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _seconds(value: Any) -> float | None:
    """A lifetime in seconds, when it is a plausible positive number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    return min(seconds, MAX_LIFETIME)
