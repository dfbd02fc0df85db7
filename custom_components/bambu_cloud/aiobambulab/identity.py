"""Which printer is at the other end of a LAN connection.

The bundled CAs prove a certificate is Bambu's, but every Bambu printer has
one: after a DHCP change the address may lead to another printer, which
would then receive this printer's access code. A printer's certificate names
its serial as subject CN, so every LAN connection (MQTT, FTPS, the port-6000
camera) checks the CN right after the TLS handshake, before anything is sent.

A context that does not verify (the user turned verification off) hides the
certificate's fields from Python: nothing can be checked then.
"""

from __future__ import annotations

import ssl
from typing import Any, Final

_WRONG_PRINTER: Final = 62  # X509_V_ERR_HOSTNAME_MISMATCH: "not the host asked for"


class WrongPrinter(ssl.SSLCertVerificationError):
    """The certificate is a valid Bambu one, of another printer.

    An ``SSLCertVerificationError``, so every caller treats it as the
    untrusted certificate it is (refused, repair issue, retry with backoff).
    """

    def __init__(self, expected: str, actual: str | None) -> None:
        """Name both serials."""
        shown = actual or "no serial"
        super().__init__(
            ssl.SSL_ERROR_SSL, f"the certificate is of printer {shown}, not {expected}"
        )
        self.expected = expected
        self.actual = actual
        self.verify_code = _WRONG_PRINTER
        self.verify_message = f"certificate of {shown}, expected {expected}"
        self.reason = "CERTIFICATE_OF_ANOTHER_PRINTER"


def certificate_serial(certificate: object) -> str | None:
    """The subject CN (a printer's serial) of ``getpeercert()``'s dict."""
    if not isinstance(certificate, dict):
        return None
    for rdn in certificate.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None


def check_printer(
    connection: ssl.SSLSocket | ssl.SSLObject | None, serial: str
) -> None:
    """Raise WrongPrinter unless the peer's certificate names ``serial``.

    ``connection`` is the TLS side of a finished handshake (asyncio's
    ``get_extra_info("ssl_object")``, or a socket). Nothing to check when its
    context does not verify.
    """
    if connection is None:
        raise WrongPrinter(serial, None)
    if connection.context.verify_mode == ssl.CERT_NONE:
        return
    actual = certificate_serial(connection.getpeercert())
    if actual != serial:
        raise WrongPrinter(serial, actual)


def printer_context(context: ssl.SSLContext, serial: str) -> ssl.SSLContext:
    """A copy of ``context`` whose sockets accept only ``serial``'s certificate.

    For clients that do the handshake themselves (paho, under aiomqtt): the
    check runs inside ``do_handshake``, so the client sends nothing (no
    password) to another printer. A context that does not verify is returned
    as it is.
    """
    if context.verify_mode == ssl.CERT_NONE:
        return context
    pinned = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    pinned.check_hostname = context.check_hostname
    pinned.verify_mode = context.verify_mode
    pinned.verify_flags = context.verify_flags
    pinned.minimum_version = context.minimum_version
    # The same trust, from memory: no file is read.
    if authorities := context.get_ca_certs(binary_form=True):
        pinned.load_verify_locations(cadata=b"".join(authorities))
    pinned.sslsocket_class = _checked_socket(serial)
    return pinned


def _checked_socket(serial: str) -> type[ssl.SSLSocket]:
    class _PrinterSocket(ssl.SSLSocket):
        """A TLS socket that ends the handshake with the serial check."""

        def do_handshake(self, *args: Any, **kwargs: Any) -> None:
            super().do_handshake(*args, **kwargs)
            try:
                check_printer(self, serial)
            except WrongPrinter:
                self.close()
                raise

    return _PrinterSocket
