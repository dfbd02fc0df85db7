"""The RTSPS camera of X1, H2, P2S and X2D printers: where to play it.

The printer serves its camera over RTSPS on port 322 once LAN live view is
on in its settings, with the LAN user ``bblp`` and the access code. It
advertises the URL (without credentials) in ``ipcam.rtsp_url``, or
``disable`` while live view is off.
"""

from __future__ import annotations

import contextlib
from typing import Final
from urllib.parse import quote, urlsplit

from .mqtt import LOCAL_USERNAME

RTSP_PORT: Final = 322
RTSP_PATH: Final = "/streaming/live/1"
# What ``ipcam.rtsp_url`` holds while LAN live view is off.
RTSP_DISABLED: Final = "disable"


def rtsp_url(host: str, access_code: str, advertised: str | None = None) -> str:
    """The printer's RTSPS URL with credentials, at ``host``.

    The port and path come from what the printer ``advertised``, when it
    does; the host is always the one given (the address the user trusts).
    """
    port, path = RTSP_PORT, RTSP_PATH
    if advertised:
        parts = urlsplit(advertised)
        with contextlib.suppress(ValueError):
            port = parts.port or port
        path = parts.path or path
    shown_host = f"[{host}]" if ":" in host else host
    code = quote(access_code, safe="")
    return f"rtsps://{LOCAL_USERNAME}:{code}@{shown_host}:{port}{path}"
