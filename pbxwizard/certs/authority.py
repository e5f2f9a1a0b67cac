"""The local CA: a root that signs one intermediate, which issues the end-entity certificates.

Two levels so the root key can go offline after setup: the intermediate does the daily
issuing, and replacing it never means handing every client a new root. It also keeps the
PBX's trusted store to one certificate, well inside the vendor's limit of six.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Iterable, NamedTuple

from pbxwizard.certs import keys, policy

CLOCK_SKEW = dt.timedelta(minutes=5)  # back-date a little so a slow client clock accepts it

# What each end-entity role is for: extended key usage names (cryptography's OID names).
ROLE_PURPOSES = {
    "identity": ("serverAuth", "clientAuth"),  # the PBX serves TLS and also dials out to peers over TLS
    "manager": ("clientAuth",),
}
ROLE_REQUIRED = {"identity": "serverAuth", "manager": "clientAuth"}
ROLE_TITLES = {"identity": "PBX identity", "manager": "management client"}


class Names(NamedTuple):
    """The host names and addresses a server certificate must cover."""

    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Any) -> "Names":
        return cls(tuple(config["certificates.dns_names"]), tuple(config["certificates.ip_addresses"]))

    @property
    def common_name(self) -> str:
        return (self.dns or self.ips or ("pbx",))[0]

    def __bool__(self) -> bool:
        return bool(self.dns or self.ips)

    def san(self) -> Any:
        import ipaddress

        from cryptography import x509

        entries = [x509.DNSName(n) for n in self.dns]
        entries += [x509.IPAddress(ipaddress.ip_address(a)) for a in self.ips]
        return x509.SubjectAlternativeName(entries)


def store_tag() -> str:
    """A short random tag so each generated CA has a name of its own.

    Two stores made for the same PBX then never share a CA name with different keys,
    which would make chain building pick the wrong issuer.
    """
    return secrets.token_hex(3)


def name(common_name: str, organisation: str = "") -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    return x509.Name(parts)


def purpose_oid(purpose: str) -> Any:
    from cryptography.x509.oid import ExtendedKeyUsageOID

    return {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH, "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH}[purpose]


def purposes(role: str) -> Any:
    from cryptography import x509

    return x509.ExtendedKeyUsage([purpose_oid(p) for p in ROLE_PURPOSES[role]])


def leaf_usage(public_key: Any) -> Any:
    """digitalSignature always; keyEncipherment for RSA, which older TLS key exchange needs."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    rsa_key = isinstance(public_key, rsa.RSAPublicKey)
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=rsa_key,
                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                         crl_sign=False, encipher_only=False, decipher_only=False)


def _ca_usage() -> Any:
    from cryptography import x509

    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                         crl_sign=True, encipher_only=False, decipher_only=False)


def _builder(subject: Any, issuer: Any, public_key: Any, now: dt.datetime, days: int) -> Any:
    from cryptography import x509

    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _issued_by(builder: Any, issuer_cert: Any) -> Any:
    from cryptography import x509

    ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)


def make_root(key: Any, common_name: str, now: dt.datetime, days: int = policy.ROOT_DAYS) -> Any:
    from cryptography import x509

    subject = name(common_name)
    return (_builder(subject, subject, key.public_key(), now, days)
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .sign(key, keys.signing_hash(key)))


def make_intermediate(key: Any, root_cert: Any, root_key: Any, common_name: str, now: dt.datetime,
                      days: int = policy.INTERMEDIATE_DAYS) -> Any:
    from cryptography import x509

    days = min(days, _days_left(root_cert, now))
    return (_issued_by(_builder(name(common_name), root_cert.subject, key.public_key(), now, days), root_cert)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .sign(root_key, keys.signing_hash(root_key)))


def issue(role: str, public_key: Any, ca_cert: Any, ca_key: Any, names: Names, days: int,
          now: dt.datetime, common_name: str | None = None) -> Any:
    """An end-entity certificate for ``role``; never longer-lived than policy or its CA allow."""
    from cryptography import x509

    days = min(days, policy.MAX_SERVER_DAYS, _days_left(ca_cert, now))
    builder = (_issued_by(_builder(name(common_name or names.common_name), ca_cert.subject, public_key, now, days), ca_cert)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(leaf_usage(public_key), critical=True)
               .add_extension(purposes(role), critical=False))
    if names:
        builder = builder.add_extension(names.san(), critical=False)
    return builder.sign(ca_key, keys.signing_hash(ca_key))


def _days_left(cert: Any, now: dt.datetime) -> int:
    return max(1, (cert.not_valid_after_utc - now).days)


def pem(certs: Iterable[Any]) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)
