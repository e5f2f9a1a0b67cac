"""Test helpers for the certificate tests: a stand-in third-party CA and a bounded TLS server.

The CA is written directly with cryptography, not with pbxwizard's own authority module,
so the import tests check pbxwizard against certificates it did not make itself.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pbxwizard.settings import presets
from pbxwizard.settings.config import build

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone.utc)  # the injected clock of the core tests
TODAY = dt.datetime.now(dt.timezone.utc)  # for what reads the real clock: the CLI and openssl
HOST = "pbx.example.test"
SERVER_TIMEOUT = 20  # seconds; a bound on a hung test, never a wait


def config(preset: str = "medium", **overrides):
    """A Config from a built-in preset with quick P-256 keys and the test host's names."""
    values = {"certificates.dns_names": (HOST,), "certificates.ip_addresses": ("127.0.0.1",),
              "certificates.key_type": "ecdsa_p256"}
    values.update({k.replace("__", "."): v for k, v in overrides.items()})
    return build(preset, presets.load(include_user=False).values(preset), values)


def pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class ThirdPartyCA:
    """A root and an intermediate, like a commercial or corporate CA."""

    label: str = "Example Trust"
    weak_intermediate: bool = False  # an RSA 1024 issuing CA, as old corporate CAs have
    root_key: object = None
    root: object = None
    key: object = None
    cert: object = None

    def __post_init__(self):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = self._ca(self.root_key, f"{self.label} Root", None, None, path_length=1)
        self.key = rsa_key(1024) if self.weak_intermediate else ec.generate_private_key(ec.SECP256R1())
        self.cert = self._ca(self.key, f"{self.label} Issuing CA", self.root, self.root_key, path_length=0)

    def _ca(self, key, cn, issuer, issuer_key, path_length):
        builder = (x509.CertificateBuilder().subject_name(_name(cn))
                   .issuer_name(issuer.subject if issuer else _name(cn))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - dt.timedelta(days=400)).not_valid_after(NOW + dt.timedelta(days=3000))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
                   .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True))
        return builder.sign(issuer_key or key, hashes.SHA256())

    def sign(self, csr_or_key, *, days: int = 90, start: dt.datetime = NOW - dt.timedelta(days=1),
             eku=(ExtendedKeyUsageOID.SERVER_AUTH,), copy_san: bool = True, names=None):
        """A leaf for a CSR (or a bare private key, for 'a certificate for another key')."""
        public = csr_or_key.public_key()
        subject = csr_or_key.subject if isinstance(csr_or_key, x509.CertificateSigningRequest) else _name(HOST)
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.cert.subject)
                   .public_key(public).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False))
        if names is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        elif copy_san and isinstance(csr_or_key, x509.CertificateSigningRequest):
            for ext in csr_or_key.extensions:
                if isinstance(ext.value, x509.SubjectAlternativeName):
                    builder = builder.add_extension(ext.value, critical=False)
        return builder.sign(self.key, hashes.SHA256())


def load_csr(path: Path) -> x509.CertificateSigningRequest:
    return x509.load_pem_x509_csr(Path(path).read_bytes())


def rsa_key(bits: int):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@dataclass
class TLSServer:
    """Accepts ``connections`` handshakes on 127.0.0.1 only, records each outcome, then stops.

    Each accepted client gets one line and a clean TLS close, so a client that was let in
    can prove it by the line. Accepting stops after the count or the timeout, whichever
    comes first, so a test can never leave it running.
    """

    context: ssl.SSLContext
    connections: int = 1
    results: list = field(default_factory=list)

    GREETING = b"pbxwizard-handshake-ok\n"

    def __post_init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(SERVER_TIMEOUT)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(SERVER_TIMEOUT)
        self.sock.close()

    def _serve(self):
        for _ in range(self.connections):
            try:
                conn, _ = self.sock.accept()
            except OSError:
                break
            conn.settimeout(SERVER_TIMEOUT)
            try:
                tls = self.context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                self.results.append(("refused", str(exc), None))
                conn.close()
                continue
            self.results.append(("accepted", tls.version(), tls.getpeercert()))
            try:
                tls.sendall(self.GREETING)
                tls.unwrap()
            except (ssl.SSLError, OSError):
                pass  # the client may hang up first; the handshake already succeeded
            tls.close()
