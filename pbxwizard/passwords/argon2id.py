"""Argon2id password hashes in the PHC string form, through cryptography's ``Argon2id``::

    $argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<key, base64>

The default is OWASP's first choice for password storage (Password Storage Cheat Sheet):
19 MiB of memory, 2 passes, 1 lane. One hash costs tens of milliseconds and about 20 MiB,
where scrypt at OWASP's minimum (128 MiB) took a third of a second and 155 MB, which a small
PBX box with 512 MB cannot spare; each guess against a stolen config still costs the
attacker 19 MiB of memory, which is what makes GPUs slow at it.

Parsing caps every parameter so a hand-edited hash cannot make verification eat the
machine's memory or time.
"""


from typing import NamedTuple

PREFIX = "$argon2id$"
VERSION = 19  # Argon2 1.3, the only version cryptography makes
SALT_BYTES = 16
KEY_BYTES = 32
LIMITS = {"m": (8, 262_144), "t": (1, 16), "p": (1, 8)}  # memory in KiB: at most 256 MiB


class Params(NamedTuple):
    memory_kib: int = 19_456
    iterations: int = 2
    lanes: int = 1

    def text(self) -> str:
        return f"m={self.memory_kib},t={self.iterations},p={self.lanes}"


def kdf(salt: bytes, params: Params, length: int = KEY_BYTES):
    """cryptography's Argon2id for one derivation or one (constant-time) verification."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(salt=salt, length=length, iterations=params.iterations, lanes=params.lanes,
                    memory_cost=params.memory_kib)
