"""Certificates for the TAK server's TLS port: a CA, the server's certificate and client
certificates (mutual x509, as TAK servers require), and the server's TLS context."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class CertFiles:
    """PEM files of one certificate and its private key."""

    cert: Path
    key: Path


def _name(common_name: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write(
    folder: Path, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> CertFiles:
    folder.mkdir(parents=True, exist_ok=True)
    files = CertFiles(cert=folder / f"{stem}.pem", key=folder / f"{stem}.key")
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    files.key.chmod(0o600)
    return files


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, days: int
) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
    )


def create_ca(folder: Path, name: str = "Watchfloor TAK CA", days: int = 3650) -> CertFiles:
    """A self-signed certificate authority for the TAK server and its clients."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, "Watchfloor")
    cert = (
        _builder(subject, subject, key, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return _write(folder, "ca", cert, key)


def _load_ca(ca: CertFiles) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    key = serialization.load_pem_private_key(ca.key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("the CA key must be an elliptic-curve key made by create_ca")
    return cert, key


def _issue(
    ca: CertFiles,
    folder: Path,
    stem: str,
    common_name: str,
    usage: x509.ObjectIdentifier,
    hosts: tuple[str, ...],
    days: int,
) -> CertFiles:
    ca_cert, ca_key = _load_ca(ca)
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _builder(_name(common_name, "Watchfloor"), ca_cert.subject, key, days)
    builder = builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    )
    builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if hosts:
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return _write(folder, stem, builder.sign(ca_key, hashes.SHA256()), key)


def create_server_cert(
    ca: CertFiles,
    folder: Path,
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost"),
    days: int = 825,
) -> CertFiles:
    """The TAK server's certificate, signed by `ca`, valid for `hosts`."""
    return _issue(ca, folder, "server", hosts[0], ExtendedKeyUsageOID.SERVER_AUTH, hosts, days)


def create_client_cert(ca: CertFiles, folder: Path, common_name: str, days: int = 365) -> CertFiles:
    """A client (device) certificate signed by `ca`; its common name identifies the device."""
    stem = "client-" + "".join(c if c.isalnum() or c in "-_." else "_" for c in common_name)
    return _issue(ca, folder, stem, common_name, ExtendedKeyUsageOID.CLIENT_AUTH, (), days)


def server_tls_context(cert: Path, key: Path, ca: Path) -> ssl.SSLContext:
    """TLS for the CoT port: client certificates REQUIRED, chained to `ca`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def client_tls_context(ca: Path, client: CertFiles | None) -> ssl.SSLContext:
    """TLS for a client of the CoT port (tests, tools): trusts `ca`, presents `client`."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca))
    if client is not None:
        context.load_cert_chain(str(client.cert), str(client.key))
    return context


def subject_text(peercert: object) -> str | None:
    """'CN=..,O=..' of a peer certificate as `ssl` reports it (`getpeercert()`)."""
    if not isinstance(peercert, dict):
        return None
    parts = []
    for rdn in peercert.get("subject", ()):
        for name, value in rdn:
            short = {"commonName": "CN", "organizationName": "O"}.get(name, name)
            parts.append(f"{short}={value}")
    return ",".join(parts) or None
