"""TLS contexts: a printer's own servers (MQTT, FTPS, camera) and the cloud broker."""

from __future__ import annotations

import functools
from pathlib import Path
import ssl
from typing import Final

# Read once at import: building a context later must not touch the disk.
BAMBU_CA_PEM: Final[str] = "\n".join(
    path.read_text(encoding="ascii")
    for path in sorted((Path(__file__).parent / "certs").glob("*.cert"))
)


def local_ssl_context(
    ca_pem: str | None = None, *, insecure: bool = False
) -> ssl.SSLContext:
    """Build the TLS context for a printer's own broker.

    The chain is verified against ``ca_pem`` (default: the bundled Bambu CAs);
    the host name is not checked because the certificate names the serial,
    not the address. ``insecure=True`` turns verification off entirely.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    if insecure:
        context.verify_mode = ssl.CERT_NONE
        return context
    context.verify_mode = ssl.CERT_REQUIRED
    # Trust a bundled intermediate (per model family) even without its root.
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.load_verify_locations(cadata=ca_pem or BAMBU_CA_PEM)
    return context


def cloud_ssl_context(ca_pem: str | None = None) -> ssl.SSLContext:
    """Build the TLS context for the cloud broker (host name checked).

    Without ``ca_pem`` this loads the system CAs from disk: call it in an
    executor, or let the link do so.
    """
    if ca_pem is None:
        return ssl.create_default_context()
    return ssl.create_default_context(cadata=ca_pem)


@functools.cache
def system_context() -> ssl.SSLContext:
    """The cloud broker's context with the system CAs, loaded from disk once.

    The first call reads the disk: run it in an executor.
    """
    return cloud_ssl_context()
