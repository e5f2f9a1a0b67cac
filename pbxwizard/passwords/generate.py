"""Random passwords and PINs that meet a policy, drawn with ``secrets`` (never ``random``).

Each candidate goes through the same ``passwords.check`` as a typed one and is drawn again
until it passes, so a generated secret can never break the policy it was made for.
"""

from __future__ import annotations

import secrets
import string

from pbxwizard.passwords import rules
from pbxwizard.passwords.rules import Policy

# Symbols that survive shells, TOML strings, CSV and phone keyboards without quoting.
SYMBOLS = "!#%+-.:=?@_~"
ALPHABET = string.ascii_letters + string.digits + SYMBOLS
DEFAULT_LENGTH = 16  # 95+ bits from this alphabet; NIST asks 15+ for a single factor
_TRIES = 1000


class GenerationFailed(RuntimeError):
    """No candidate passed the policy (only possible with a contradictory policy)."""


def password(policy: Policy, *, user: str = "", length: int | None = None) -> str:
    """A password for ``policy``, drawn from the characters its account accepts and within its range."""
    size = min(max(length or DEFAULT_LENGTH, policy.min_length, policy.account_min, 1), policy.max_length)
    alphabet = "".join(ch for ch in ALPHABET if policy.charset.allows(ch)) if policy.charset else ALPHABET
    for _ in range(_TRIES):
        candidate = "".join(secrets.choice(alphabet) for _ in range(size))
        if rules.check(candidate, policy, user=user).accepted:
            return candidate
    raise GenerationFailed(f"no random password of {size} characters met the policy; try a longer length")


def pin(policy: Policy, *, length: int | None = None) -> str:
    size = max(length or policy.pin_size, policy.pin_size)
    for _ in range(_TRIES):
        candidate = "".join(secrets.choice(string.digits) for _ in range(size))
        if rules.check_pin(candidate, policy).accepted:
            return candidate
    raise GenerationFailed(f"no random PIN of {size} digits met the policy")
