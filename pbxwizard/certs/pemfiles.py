"""Reading certificates from PEM files, with messages that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbxwizard.errors import InvalidValue

MAX_BYTES = 1024 * 1024  # a chain of a few certificates is a few KiB


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """The file's bytes; ``name`` is how messages call it (the path by default)."""
    from pbxwizard import trust
    from pbxwizard.errors import ConfigError

    path = Path(path)
    name = name or str(path)
    try:  # the cap is on the read itself: /dev/zero has size 0 and no end
        return trust.read_capped(path, MAX_BYTES, "a certificate file")
    except ConfigError as exc:
        raise InvalidValue(f"{name}: {exc.problems[0].message}") from None


def parse_certs(data: bytes, name: str) -> list[Any]:
    """Every certificate in PEM text; InvalidValue when there is none or one is broken."""
    from cryptography import x509

    if b"-----BEGIN CERTIFICATE-----" not in data:
        hint = " (it looks like DER; convert it with openssl x509 -inform der)" if data[:1] == b"\x30" else ""
        raise InvalidValue(f"{name} holds no PEM certificate{hint}")
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise InvalidValue(f"{name}: a certificate in it cannot be read ({exc})") from None


def read_certs(path: Path, name: str | None = None) -> list[Any]:
    return parse_certs(read_bytes(path, name), name or str(path))


def common_name(cert_or_name: Any) -> str:
    """A short name for messages: the CN, else the whole distinguished name."""
    from cryptography.x509.oid import NameOID

    subject = getattr(cert_or_name, "subject", cert_or_name)
    cns = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else subject.rfc4514_string() or "(no name)"


def fingerprint(cert: Any) -> bytes:
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256())


def is_ca(cert: Any) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def is_self_issued(cert: Any) -> bool:
    return cert.subject == cert.issuer


def unique(certs: list[Any]) -> list[Any]:
    """``certs`` without repeats (by fingerprint), in their order."""
    seen: set[bytes] = set()
    out = []
    for c in certs:
        fp = fingerprint(c)
        if fp not in seen:
            seen.add(fp)
            out.append(c)
    return out
