"""Certificate signing requests for a third-party CA.

The request carries the names and the purposes the store needs, so a CA that copies
requested extensions issues the right certificate; ``importing`` checks what comes back
either way, because many CAs set their own.
"""

from __future__ import annotations

from typing import Any

from pbxwizard.certs import authority, keys


def make_csr(role: str, key: Any, names: authority.Names, common_name: str | None = None) -> Any:
    from cryptography import x509

    builder = (x509.CertificateSigningRequestBuilder()
               .subject_name(authority.name(common_name or names.common_name))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(authority.leaf_usage(key.public_key()), critical=True)
               .add_extension(authority.purposes(role), critical=False))
    if names:
        builder = builder.add_extension(names.san(), critical=False)
    return builder.sign(key, keys.signing_hash(key))


def csr_pem(csr: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return csr.public_bytes(serialization.Encoding.PEM)


def load_csr(pem: bytes, name: str) -> Any:
    from cryptography import x509

    from pbxwizard.errors import InvalidValue

    try:
        return x509.load_pem_x509_csr(pem)
    except ValueError:
        raise InvalidValue(f"{name} is not a PEM certificate signing request") from None
