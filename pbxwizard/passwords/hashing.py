"""Password hashes: the only form in which pbxwizard keeps a password.

A hash string carries everything needed to check a password later, so parameters (and the
algorithm) can change for new hashes without breaking old ones. New hashes are argon2id
(see ``argon2id``, OWASP's first choice)::

    $argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<key, base64>

Hashes written by earlier versions are scrypt and still verify::

    $scrypt$ln=17,r=8,p=1$<salt, base64>$<key, base64>

``ln`` is log2 of scrypt's cost N (N=2**17, r=8, p=1 is OWASP's minimum for scrypt: 128
MiB). ``needs_rehash`` tells such a hash apart, so a password set again is stored as
argon2id. Parsing caps every parameter so a hand-edited hash cannot make verification eat
all memory.
"""


from typing import NamedTuple, Sequence

import base64
import binascii
import secrets

from pbxwizard.errors import InvalidValue
from pbxwizard.passwords import argon2id

PREFIX = "$scrypt$"
SALT_BYTES = 16
KEY_BYTES = 32
_LIMITS = {"ln": (10, 18), "r": (1, 8), "p": (1, 2)}  # no more than this tool writes: at most 256 MiB, checked before hashing


class Params(NamedTuple):
    """Scrypt's parameters (new hashes use ``argon2id.Params``)."""

    log_n: int = 17
    r: int = 8
    p: int = 1

    def text(self) -> str:
        return f"ln={self.log_n},r={self.r},p={self.p}"


DEFAULT: Params | argon2id.Params = argon2id.Params()  # for new hashes


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


def _kdf(salt: bytes, params: Params | argon2id.Params, length: int = KEY_BYTES):
    if isinstance(params, argon2id.Params):
        return argon2id.kdf(salt, params, length)
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=length, n=2 ** params.log_n, r=params.r, p=params.p)


def hash_password(password: str, params: Params | argon2id.Params | None = None) -> str:
    """A new hash string with a fresh random salt: argon2id unless scrypt ``Params`` are given."""
    from cryptography.exceptions import UnsupportedAlgorithm

    params = params or DEFAULT
    salt = secrets.token_bytes(SALT_BYTES)
    try:
        key = _kdf(salt, params).derive(normalize(password))
    except UnsupportedAlgorithm:  # cryptography built on an OpenSSL without Argon2 (before 3.2, LibreSSL)
        return hash_password(password, Params())
    head = f"{argon2id.PREFIX}v={argon2id.VERSION}$" if isinstance(params, argon2id.Params) else PREFIX
    return f"{head}{params.text()}${_b64(salt)}${_b64(key)}"


def _numbers(text: str, limits: dict[str, tuple[int, int]], form: str) -> dict[str, int]:
    """The ``name=N,...`` parameters of a hash string, each once and within its limits."""
    fields: dict[str, int] = {}
    for item in text.split(","):
        name, eq, number = item.partition("=")
        if not eq or name not in limits or name in fields or not number.isdigit() or not number.isascii():
            raise InvalidValue(f"password hash: parameters must be {form}")
        lo, hi = limits[name]
        if not lo <= int(number) <= hi:
            raise InvalidValue(f"password hash: {name} must be from {lo} to {hi}")
        fields[name] = int(number)
    if set(fields) != set(limits):
        raise InvalidValue(f"password hash: parameters must be {form}")
    return fields


def _salt_and_key(salt_text: str, key_text: str) -> tuple[bytes, bytes]:
    try:
        salt, key = _unb64(salt_text), _unb64(key_text)
    except InvalidValue:
        raise InvalidValue("password hash: salt and key must be base64") from None
    if len(salt) < SALT_BYTES or len(salt) > 64:
        raise InvalidValue(f"password hash: the salt must be {SALT_BYTES} to 64 bytes")
    if len(key) < 16 or len(key) > 64:
        raise InvalidValue("password hash: the key must be 16 to 64 bytes")
    return salt, key


def _parse_argon2id(stored: str) -> tuple[argon2id.Params, bytes, bytes]:
    parts = stored[len(argon2id.PREFIX):].split("$")
    if len(parts) != 4:
        raise InvalidValue(f"not a password hash: expected {argon2id.PREFIX}v=19$m=..,t=..,p=..$SALT$KEY")
    if parts[0] != f"v={argon2id.VERSION}":
        raise InvalidValue(f"password hash: the version must be v={argon2id.VERSION}")
    fields = _numbers(parts[1], argon2id.LIMITS, "m=N,t=N,p=N")
    if list(fields) != list(argon2id.LIMITS):  # the PHC form fixes the order
        raise InvalidValue("password hash: parameters must be m=N,t=N,p=N")
    m, t, p = fields["m"], fields["t"], fields["p"]
    if m < 8 * p:
        raise InvalidValue("password hash: m must be at least 8 KiB a lane")
    return (argon2id.Params(m, t, p), *_salt_and_key(parts[2], parts[3]))


def parse_hash(stored: str) -> tuple[Params, bytes, bytes]:
    """Parameters, salt and key of a hash string; InvalidValue (never echoing it) if malformed."""
    if isinstance(stored, str) and stored.startswith(argon2id.PREFIX):
        return _parse_argon2id(stored)
    if not isinstance(stored, str) or not stored.startswith(PREFIX):
        raise InvalidValue(f"not a password hash: it must start with {argon2id.PREFIX} or {PREFIX}")
    parts = stored[len(PREFIX):].split("$")
    if len(parts) != 3:
        raise InvalidValue(f"not a password hash: expected {PREFIX}ln=..,r=..,p=..$SALT$KEY")
    fields = _numbers(parts[0], _LIMITS, "ln=N,r=N,p=N")
    return (Params(fields["ln"], fields["r"], fields["p"]), *_salt_and_key(parts[1], parts[2]))


def is_hash(stored: object) -> bool:
    try:
        parse_hash(stored)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash is older or cheaper than what new hashes get (scrypt, weaker argon2id).

    A password that still verifies against such a hash is hashed again when it is set.
    """
    try:
        params = parse_hash(stored)[0]
    except InvalidValue:
        return True
    if not isinstance(params, argon2id.Params) or not isinstance(DEFAULT, argon2id.Params):
        return params != DEFAULT
    return params.memory_kib < DEFAULT.memory_kib or params.iterations < DEFAULT.iterations


def matches_any(password: str, stored: Sequence[str]) -> bool:
    """Whether ``password`` matches any of the hashes, checked one after another.

    Not in threads: cryptography 46's Argon2id holds the GIL while it derives, so two threads
    took longer than one (12 hashes: 415 ms against 330 ms on the 2-core machine) for twice
    the memory.
    """
    return any(verify_password(password, h) for h in stored)


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches; the comparison is constant-time (the KDF's verify)."""
    from cryptography.exceptions import InvalidKey

    params, salt, key = parse_hash(stored)
    try:
        _kdf(salt, params, len(key)).verify(normalize(password), key)
    except InvalidKey:
        return False
    return True
