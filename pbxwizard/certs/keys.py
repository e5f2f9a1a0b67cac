"""Private keys: generated for a key type, written as PKCS#8 PEM, encrypted when asked.

Passphrases are bytes passed in by the caller; nothing here stores, logs or repeats one.
"""

from __future__ import annotations

from typing import Any

from pbxwizard.certs import policy
from pbxwizard.errors import InvalidValue

ENCRYPTED_MARK = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def check_passphrase(text: str, what: str = "the key passphrase") -> bytes:
    """The passphrase as bytes, or InvalidValue saying what is wrong (never what it is)."""
    if len(text) < policy.MIN_PASSPHRASE or not text.strip():
        raise InvalidValue(f"{what} needs at least {policy.MIN_PASSPHRASE} characters")
    if text != text.strip("\r\n"):
        raise InvalidValue(f"{what} may not start or end with a line break")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 (surrogate escapes); the message never shows them
        raise InvalidValue(f"{what} is not UTF-8 text; set it in a UTF-8 locale") from None


def generate(key_type: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    spec = policy.BY_VALUE[key_type]
    if spec.algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=spec.size)
    curve = {256: ec.SECP256R1(), 384: ec.SECP384R1()}[spec.size]
    return ec.generate_private_key(curve)


def private_pem(key: Any, passphrase: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import serialization

    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def is_encrypted(pem: bytes) -> bool:
    return ENCRYPTED_MARK in pem


def load_private(pem: bytes, passphrase: bytes | None, name: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    if is_encrypted(pem) and not passphrase:
        raise InvalidValue(f"{name} is encrypted; give its passphrase")
    try:
        return serialization.load_pem_private_key(pem, password=passphrase if is_encrypted(pem) else None)
    except (ValueError, TypeError):
        if is_encrypted(pem):
            raise InvalidValue(f"{name}: the passphrase does not open this key") from None
        raise InvalidValue(f"{name} is not a PEM private key") from None


def public_der(public_key: Any) -> bytes:
    """The key's SubjectPublicKeyInfo, which is what makes two keys the same key."""
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def describe(public_key: Any) -> tuple[str, str, int]:
    """(words, algorithm, size) for a public key: ("RSA 3072", "rsa", 3072)."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if isinstance(public_key, rsa.RSAPublicKey):
        return f"RSA {public_key.key_size}", "rsa", public_key.key_size
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        size = public_key.curve.key_size
        curve = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}.get(public_key.curve.name,
                                                                                  public_key.curve.name)
        return f"ECDSA {curve}", "ec", size
    return type(public_key).__name__.replace("PublicKey", "").strip("_") or "unknown", "other", 0


def signing_hash(private_key: Any) -> Any:
    """The hash a key signs with: SHA-384 for the stronger key types, SHA-256 otherwise."""
    from cryptography.hazmat.primitives import hashes

    _, algorithm, size = describe(private_key.public_key())
    match = next((k for k in policy.KEY_TYPES if k.algorithm == algorithm and k.size == size), None)
    return hashes.SHA384() if match and match.hash_name == "sha384" else hashes.SHA256()
