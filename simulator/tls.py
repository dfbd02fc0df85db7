"""Certificates for the simulator: a CA and leaves signed by it.

A printer's leaf has the serial as subject CN, like real Bambu printers, and
an IP SAN (127.0.0.1) so the same leaf also passes host name checks. Keys are
EC P-256: fast to generate, accepted by OpenSSL and Mosquitto. Any number of
CAs can be made; one the client does not trust serves "wrong CA" tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import ipaddress
from pathlib import Path
import re
from typing import Self

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = timedelta(days=3650)
_BACKDATE = timedelta(days=1)  # tolerate a clock a little behind


@dataclass(frozen=True, slots=True)
class PemFiles:
    """A certificate and its key, written as PEM files."""

    cert_path: Path
    key_path: Path
    cert_pem: str
    key_pem: str


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """A leaf certificate signed by a CA, with its private key."""

    common_name: str
    cert_pem: str
    key_pem: str
    ca_pem: str

    def write(self, directory: Path, stem: str | None = None) -> PemFiles:
        """Write ``<stem>.crt`` and ``<stem>.key`` (stem: the CN, made safe)."""
        return _write(
            directory, stem or _safe(self.common_name), self.cert_pem, self.key_pem
        )


class CertificateAuthority:
    """A self-signed CA that issues server certificates."""

    def __init__(
        self, name: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
    ) -> None:
        """Wrap an existing key and certificate; see ``generate``."""
        self.name = name
        self._key = key
        self.certificate = cert

    @classmethod
    def generate(cls, name: str = "Bambu Simulator CA") -> Self:
        """Make a new CA with a fresh key."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bambu Simulator"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        now = datetime.now(UTC)
        public = key.public_key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(public), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return cls(name, key, cert)

    @property
    def cert_pem(self) -> str:
        """The CA certificate (what clients trust)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def key_pem(self) -> str:
        """The CA private key, unencrypted."""
        return _key_pem(self._key)

    def issue(
        self,
        common_name: str,
        *,
        ip_addresses: Sequence[str] = ("127.0.0.1",),
        dns_names: Iterable[str] = (),
    ) -> IssuedCertificate:
        """Sign a server certificate with subject CN ``common_name``."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        alt_names: list[x509.GeneralName] = [
            x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses
        ]
        alt_names += [x509.DNSName(name) for name in dns_names]
        builder = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
            )
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + _VALIDITY)
            .add_extension(
                x509.BasicConstraints(ca=False, path_length=None), critical=True
            )
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=True,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    self._key.public_key()
                ),
                critical=False,
            )
        )
        if alt_names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(alt_names), critical=False
            )
        cert = builder.sign(self._key, hashes.SHA256())
        return IssuedCertificate(
            common_name=common_name,
            cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
            key_pem=_key_pem(key),
            ca_pem=self.cert_pem,
        )

    def write(self, directory: Path, stem: str = "ca") -> PemFiles:
        """Write the CA certificate and key as ``<stem>.crt`` / ``<stem>.key``."""
        return _write(directory, stem, self.cert_pem, self.key_pem)


@dataclass(frozen=True, slots=True)
class SimulatorPki:
    """Everything a test or the demo needs for TLS, written to one directory.

    ``ca`` is trusted by clients; ``printers`` maps each serial to its leaf;
    ``broker`` is a leaf for the cloud broker (CN 127.0.0.1); ``rogue_ca``
    and ``rogue_printers`` are the same from a CA nobody trusts.
    """

    directory: Path
    ca: PemFiles
    broker: PemFiles
    printers: dict[str, PemFiles]
    rogue_ca: PemFiles
    rogue_printers: dict[str, PemFiles]


def generate_pki(directory: Path, serials: Iterable[str]) -> SimulatorPki:
    """Make a CA, a broker leaf, one leaf per serial, and an untrusted twin."""
    directory.mkdir(parents=True, exist_ok=True)
    serials = list(serials)
    ca = CertificateAuthority.generate("Bambu Simulator CA")
    rogue = CertificateAuthority.generate("Untrusted Simulator CA")
    rogue_dir = directory / "rogue"
    return SimulatorPki(
        directory=directory,
        ca=ca.write(directory),
        broker=ca.issue("127.0.0.1").write(directory, "broker"),
        printers={serial: ca.issue(serial).write(directory) for serial in serials},
        rogue_ca=rogue.write(rogue_dir),
        rogue_printers={
            serial: rogue.issue(serial).write(rogue_dir) for serial in serials
        },
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _write(directory: Path, stem: str, cert_pem: str, key_pem: str) -> PemFiles:
    directory.mkdir(parents=True, exist_ok=True)
    cert_path = directory / f"{stem}.crt"
    key_path = directory / f"{stem}.key"
    cert_path.write_text(cert_pem, encoding="ascii")
    key_path.write_text(key_pem, encoding="ascii")
    key_path.chmod(0o600)
    return PemFiles(cert_path, key_path, cert_pem, key_pem)
