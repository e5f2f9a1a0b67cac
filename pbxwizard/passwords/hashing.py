"""Scrypt password hashes: the only form in which pbxwizard keeps a password.

A hash string carries everything needed to check a password later, so parameters can be
raised for new hashes without breaking old ones::

    $scrypt$ln=17,r=8,p=1$<salt, base64>$<key, base64>

``ln`` is log2 of scrypt's cost N. The default (N=2**17, r=8, p=1: 128 MiB, about half a
second here) is OWASP's recommended minimum for scrypt; it is slow on purpose, since each
guess against a stolen config costs the attacker the same. Parsing caps every parameter so
a hand-edited hash cannot make verification eat all memory.
"""

from __future__ import annotations

from typing import NamedTuple

import base64
import binascii
import secrets

from pbxwizard.errors import InvalidValue

PREFIX = "$scrypt$"
SALT_BYTES = 16
KEY_BYTES = 32
_LIMITS = {"ln": (10, 18), "r": (1, 8), "p": (1, 2)}  # no more than this tool writes: at most 256 MiB, checked before hashing


class Params(NamedTuple):
    log_n: int = 17
    r: int = 8
    p: int = 1

    def text(self) -> str:
        return f"ln={self.log_n},r={self.r},p={self.p}"


DEFAULT = Params()


def normalized(password: str) -> str:
    """NFKC: the same password typed on two keyboards is the same text, for the rules and the hash.

    NIST SP 800-63B-4 asks for NFKC or NFKD normalisation when Unicode is accepted. The
    whole password is used; nothing is ever cut off.
    """
    import unicodedata

    return unicodedata.normalize("NFKC", password)


def normalize(password: str) -> bytes:
    """The bytes that are hashed: NFKC, then UTF-8."""
    return normalized(password).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" for c in text):
        raise InvalidValue("not base64")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise InvalidValue("not base64") from None


def _kdf(salt: bytes, params: Params, length: int = KEY_BYTES):
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=length, n=2 ** params.log_n, r=params.r, p=params.p)


def hash_password(password: str, params: Params | None = None) -> str:
    """A new hash string with a fresh random salt."""
    params = params or DEFAULT
    salt = secrets.token_bytes(SALT_BYTES)
    key = _kdf(salt, params).derive(normalize(password))
    return f"{PREFIX}{params.text()}${_b64(salt)}${_b64(key)}"


def parse_hash(stored: str) -> tuple[Params, bytes, bytes]:
    """Parameters, salt and key of a hash string; InvalidValue (never echoing it) if malformed."""
    if not isinstance(stored, str) or not stored.startswith(PREFIX):
        raise InvalidValue(f"not a password hash: it must start with {PREFIX}")
    parts = stored[len(PREFIX):].split("$")
    if len(parts) != 3:
        raise InvalidValue(f"not a password hash: expected {PREFIX}ln=..,r=..,p=..$SALT$KEY")
    fields: dict[str, int] = {}
    for item in parts[0].split(","):
        name, eq, number = item.partition("=")
        if not eq or name not in _LIMITS or name in fields or not number.isdigit() or not number.isascii():
            raise InvalidValue("password hash: parameters must be ln=N,r=N,p=N")
        lo, hi = _LIMITS[name]
        if not lo <= int(number) <= hi:
            raise InvalidValue(f"password hash: {name} must be from {lo} to {hi}")
        fields[name] = int(number)
    if set(fields) != set(_LIMITS):
        raise InvalidValue("password hash: parameters must be ln=N,r=N,p=N")
    try:
        salt, key = _unb64(parts[1]), _unb64(parts[2])
    except InvalidValue:
        raise InvalidValue("password hash: salt and key must be base64") from None
    if len(salt) < SALT_BYTES or len(salt) > 64:
        raise InvalidValue(f"password hash: the salt must be {SALT_BYTES} to 64 bytes")
    if len(key) < 16 or len(key) > 64:
        raise InvalidValue("password hash: the key must be 16 to 64 bytes")
    return Params(fields["ln"], fields["r"], fields["p"]), salt, key


def is_hash(stored: object) -> bool:
    try:
        parse_hash(stored)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches; the comparison is constant-time (Scrypt.verify)."""
    from cryptography.exceptions import InvalidKey

    params, salt, key = parse_hash(stored)
    try:
        _kdf(salt, params, len(key)).verify(normalize(password), key)
    except InvalidKey:
        return False
    return True
