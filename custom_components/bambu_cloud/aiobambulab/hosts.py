"""Bambu's cloud hosts per region, and where the cloud's links may lead.

The cloud hands out URLs (a task's cover picture) that the integration then
fetches from inside the user's network. Fetching whatever such a URL names
would let a forged or tampered answer reach any address (a router, the Home
Assistant host itself). Only https on Bambu's domains and buckets is
fetched, or the API host the entry is configured with (the simulator).
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Final
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Region:
    """The servers of one Bambu cloud region."""

    key: str
    api_url: str
    mqtt_host: str
    tfa_url: str


GLOBAL: Final = Region(
    key="global",
    api_url="https://api.bambulab.com",
    mqtt_host="us.mqtt.bambulab.com",
    tfa_url="https://bambulab.com/api/sign-in/tfa",
)
CHINA: Final = Region(
    key="china",
    api_url="https://api.bambulab.cn",
    mqtt_host="cn.mqtt.bambulab.com",
    tfa_url="https://bambulab.cn/api/sign-in/tfa",
)
REGIONS: Final[dict[str, Region]] = {GLOBAL.key: GLOBAL, CHINA.key: CHINA}

# Bambu's sites and CDNs (public-cdn.bblmw.com), with their subdomains.
BAMBU_DOMAINS: Final = ("bambulab.com", "bambulab.cn", "bblmw.com", "bblmw.cn")
# Bambu's S3 buckets ("or-cloud-model-prod"), virtual-hosted style.
_BAMBU_BUCKET: Final = re.compile(r"or-cloud-[a-z0-9-]+\.s3[a-z0-9.-]*\.amazonaws\.com")


def is_bambu_url(url: str, api_url: str | None = None) -> bool:
    """Whether ``url`` may be fetched: https on Bambu's hosts, or ``api_url``'s.

    ``api_url`` is the entry's API base URL: its scheme, host and port are
    trusted as they are (the simulator serves covers over plain http).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".")
    if not host or parts.username is not None or parts.password is not None:
        return False
    if api_url and _same_origin(parts.scheme, host, port, api_url):
        return True
    if parts.scheme != "https" or port not in (None, 443):
        return False
    return _BAMBU_BUCKET.fullmatch(host) is not None or any(
        host == domain or host.endswith(f".{domain}") for domain in BAMBU_DOMAINS
    )


def _same_origin(scheme: str, host: str, port: int | None, api_url: str) -> bool:
    try:
        api = urlsplit(api_url)
        api_port = api.port
    except ValueError:
        return False
    defaults = {"http": 80, "https": 443}
    return (
        scheme == api.scheme
        and host == (api.hostname or "").rstrip(".")
        and (port or defaults.get(scheme)) == (api_port or defaults.get(api.scheme))
    )
