"""A manager identity as a PKCS#12 bundle (``.p12``), the form the management PCs import.

The bundle holds the identity's private key, its certificate and the CA certificates above
it (the chain file's intermediates and the trusted roots that anchor them), encrypted with
a passphrase of its own: AES-256-CBC under PBES2 with a PBKDF2-SHA256 key, and a SHA-256
MAC (cryptography's modern PKCS#12 profile, which OpenSSL 3 and current Windows read). The
file sits beside the identity's certificate, mode 0600; nothing here stores or repeats a
passphrase.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbxwizard.certs import keys, pemfiles
from pbxwizard.certs.layout import Layout
from pbxwizard.errors import ConfigError, InvalidValue, Problem

KDF_ROUNDS = 600_000  # PBKDF2-SHA256 iterations (OWASP's figure for PBKDF2-HMAC-SHA256)


def p12_bytes(key: Any, cert: Any, cas: list[Any], friendly_name: str, passphrase: bytes,
              rounds: int = KDF_ROUNDS) -> bytes:
    """``key`` and ``cert`` with the ``cas`` above it, encrypted with ``passphrase``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12

    encryption = (PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(rounds)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256())
                  .build(passphrase))
    return pkcs12.serialize_key_and_certificates(friendly_name.encode("utf-8"), key, cert, cas or None, encryption)


def export_p12(output: Path, name: str, passphrase: bytes, *, key_passphrase: bytes | None = None,
               rounds: int = KDF_ROUNDS) -> Path:
    """Write ``certs/manager/NAME.p12`` for manager identity ``name``; returns its path.

    ConfigError when the store has no certificate or key for ``name`` (naming the identities it
    has), or when the key is encrypted and ``key_passphrase`` does not open it.
    """
    from pbxwizard import folderlock
    from pbxwizard.atomic import write_private

    layout = Layout.for_output(Path(output))
    files = layout.manager_identity(name)
    if not (files.cert.is_file() and files.key.is_file()):
        have = ", ".join(layout.manager_names()) or "none"
        raise ConfigError([Problem("--p12", f"the store has no certificate and key for manager identity {name!r} "
                                   f"(the store has files for: {have}); make them with pbxwizard certs init, or import the "
                                   f"signed one with certs import --role manager --name {name}", str(layout.root))])
    try:
        cert = pemfiles.read_certs(files.cert)[0]
        chain = pemfiles.read_certs(files.chain)[1:] if files.chain.is_file() else []
        key = keys.load_private(files.key.read_bytes(), key_passphrase, str(files.key.relative_to(layout.root)))
    except InvalidValue as exc:
        raise ConfigError([Problem("--p12", str(exc), str(layout.root))]) from None
    if keys.public_der(key.public_key()) != keys.public_der(cert.public_key()):
        raise ConfigError([Problem("--p12", f"{files.key.name} is not the key of {files.cert.name}; "
                                   "re-create the store or import the certificate made for this key")])
    data = p12_bytes(key, cert, pemfiles.unique(chain + _anchors(layout, chain or [cert])), name, passphrase, rounds)
    target = layout.p12(name)
    with folderlock.hold(Path(output), "writing a PKCS#12 bundle"):
        write_private(target, data, backup=False)
    return target


def _anchors(layout: Layout, above: list[Any]) -> list[Any]:
    """The trusted roots that issued the top of the chain, so the PC learns the CA it must trust."""
    if not layout.trusted_cas.is_file():
        return []
    try:
        roots = pemfiles.read_certs(layout.trusted_cas)
    except InvalidValue:
        return []
    top = above[-1]
    return [r for r in roots if r.subject == top.issuer and pemfiles.is_ca(r)]
