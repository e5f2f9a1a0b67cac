"""Signing another box's request with a local CA kept in its own folder (a control node's).

One CA folder serves any number of boxes: each box makes its key and request
(``certs csr``), the control node signs the request here, and the box imports what comes
back (``certs import``). Only the intermediate key signs; the root key is never read, so it
stays where it is (offline, or in the CA folder's ``ca/offline/``). The certificate gets the
same checks and limits as one the local CA issues for its own store: a request signed by its
own key, a key at least as strong as ``services.min_key_size`` (never under 2048-bit RSA),
names for a server certificate, the role's purposes, and a lifetime no longer than 398 days
or the CA's own.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from typing import Any, NamedTuple

from pbxwizard.certs import authority, keys, pemfiles, policy
from pbxwizard.certs.layout import Layout
from pbxwizard.errors import ConfigError, InvalidValue, Problem


class Signed(NamedTuple):
    certificate: Any
    chain: tuple[Any, ...]  # the intermediate, then the root
    days: int  # how long the certificate is valid, after the limits

    def pem(self) -> bytes:
        """The certificate followed by its chain: what ``certs import`` takes in one file."""
        return authority.pem([self.certificate, *self.chain])


def locate_ca(folder: Path) -> Layout:
    """The store whose local CA is in ``folder``: an output folder, its ``certs/`` or ``certs/ca``."""
    folder = Path(folder).expanduser()
    for layout in (Layout.for_output(folder), Layout(folder), Layout(folder.parent)):
        if layout.intermediate_cert.is_file() and layout.intermediate_key.is_file():
            return layout
    raise ConfigError([Problem("--ca", f"no local CA in {folder}: it needs ca/intermediate-ca.pem and "
                               "ca/intermediate-ca-key.pem (make one there with pbxwizard certs init "
                               "--set certificates.mode=local_ca)", str(folder))])


def sign_request(ca_folder: Path, csr_pem: bytes, *, role: str = "identity", days: int | None = None,
                 min_key_size: int = policy.MIN_RSA_BITS, passphrase: bytes | None = None,
                 now: dt.datetime | None = None, source: str = "the request") -> Signed:
    """A certificate for ``csr_pem`` from the CA in ``ca_folder``; ConfigError listing every
    reason when the request or the CA falls short. ``days`` defaults to 365."""
    now = now or dt.datetime.now(dt.timezone.utc)
    layout = locate_ca(ca_folder)
    ca_cert, ca_key, root = load_ca(layout, passphrase, now)
    try:
        csr = _request(csr_pem, source)
    except InvalidValue as exc:
        raise ConfigError([Problem("csr", str(exc), source)]) from None
    problems = _check(csr, role, min_key_size, source)
    if days is not None and not 1 <= days <= policy.MAX_SERVER_DAYS:
        problems.append(Problem("--days", f"{days} is outside 1 to {policy.MAX_SERVER_DAYS} days "
                                "(the most a client accepts)"))
    if problems:
        raise ConfigError(problems)
    names = _names(csr)
    cert = authority.issue(role, csr.public_key(), ca_cert, ca_key, names, days or 365, now,
                           _common_name(csr) or names.common_name)
    valid = round((cert.not_valid_after_utc - now).total_seconds() / 86400)  # the dates carry no microseconds
    return Signed(cert, (ca_cert, *root), valid)


def load_ca(layout: Layout, passphrase: bytes | None, now: dt.datetime,
            field: str = "--ca") -> tuple[Any, Any, list[Any]]:
    """The intermediate certificate and key that sign, and the root above them; ConfigError
    (naming ``field``) when the key is unreadable, not the certificate's, or the CA expired."""
    name = str(layout.intermediate_key)
    try:
        ca_cert = pemfiles.read_certs(layout.intermediate_cert)[0]
        ca_key = keys.load_private(pemfiles.read_bytes(layout.intermediate_key), passphrase, name)
        root = pemfiles.read_certs(layout.root_cert) if layout.root_cert.is_file() else []
    except InvalidValue as exc:
        raise ConfigError([Problem(field, str(exc), name)]) from None
    problems = []
    if keys.public_der(ca_key.public_key()) != keys.public_der(ca_cert.public_key()):
        problems.append(Problem(field, "the intermediate key does not belong to intermediate-ca.pem", name))
    if not pemfiles.is_ca(ca_cert):
        problems.append(Problem(field, "intermediate-ca.pem is not a CA certificate", name))
    if ca_cert.not_valid_after_utc <= now:
        problems.append(Problem(field, f"the intermediate CA expired on {ca_cert.not_valid_after_utc:%Y-%m-%d}; "
                                "make a new one with the root key", name))
    if problems:
        raise ConfigError(problems)
    return ca_cert, ca_key, root


def _request(pem: bytes, source: str) -> Any:
    from pbxwizard.certs.request import load_csr

    return load_csr(pem, source)


def _check(csr: Any, role: str, min_key_size: int, source: str) -> list[Problem]:
    problems = []
    if role not in authority.ROLE_PURPOSES:
        problems.append(Problem("--role", f"{role!r} is not one of {', '.join(authority.ROLE_PURPOSES)}"))
        return problems
    if not csr.is_signature_valid:
        problems.append(Problem("csr", "the request's signature does not match its key: it was changed", source))
    hash_name = getattr(csr.signature_hash_algorithm, "name", "none")
    if hash_name in policy.WEAK_HASHES:
        problems.append(Problem("csr", f"the request is signed with {hash_name.upper()}, which is too weak", source))
    words, algorithm, size = keys.describe(csr.public_key())
    need = policy.required_strength(min_key_size)
    if policy.strength(algorithm, size) < need:
        problems.append(Problem("csr", f"the key is {words}, weaker than the {need}-bit minimum "
                                "(services.min_key_size)", source))
    try:
        names = _names(csr)
    except InvalidValue as exc:
        problems.append(Problem("csr", str(exc), source))
    else:
        if role == "identity" and not names:
            problems.append(Problem("csr", "the request names no host (no DNS name or IP address in its "
                                    "subject alternative names); a server certificate must", source))
    return problems


def _names(csr: Any) -> authority.Names:
    """The DNS names and addresses the request asks for; other kinds of name are refused."""
    from cryptography import x509

    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return authority.Names()
    other = [type(n).__name__ for n in san if not isinstance(n, (x509.DNSName, x509.IPAddress))]
    if other:
        raise InvalidValue(f"the request asks for names the local CA does not issue: {', '.join(other)}")
    from pbxwizard.settings.netlists import check_dns_name

    dns = tuple(check_dns_name(n) for n in san.get_values_for_type(x509.DNSName))
    ips = tuple(str(ipaddress.ip_address(a)) for a in san.get_values_for_type(x509.IPAddress))
    return authority.Names(dns, ips)


def _common_name(csr: Any) -> str:
    from cryptography.x509.oid import NameOID

    cns = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else ""
