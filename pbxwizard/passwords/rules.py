"""The password policy: the PBX's own rules plus the checks current guidance asks for.

``check(password, policy, user=..., previous=...)`` is the one call both faces use; it
returns a ``Verdict`` listing every rule the password breaks, in words that never repeat
any part of the password.

Reading of the PBX's strength score: the System Security page gives points per character
class (digits 10, letters 26, symbols 28) and the thresholds (medium 120, high 200) but not
how the points combine. pbxwizard adds the points of every character (a per-character sum).
That score is a weak measure: it grows with length and character classes but knows nothing
about how people pick passwords ("password" scores 208, high, and is the second most common
password there is). So every policy also refuses the shipped list of common passwords, as
NIST SP 800-63B-4 asks, and the README and the verdict say so.

Passwords are normalised with NFKC before anything is counted (see ``hashing.normalize``);
length is counted in Unicode code points; nothing is ever silently cut short.
"""


import unicodedata
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from pbxwizard.passwords import blocklist
from pbxwizard.passwords.hashing import normalized

POINTS = {"digit": 10, "letter": 26, "symbol": 28}
THRESHOLDS = {"medium": 120, "high": 200}
COMPLEXITY_CLASSES = {"low": 0, "medium": 2, "high": 3}
CLASS_NAMES = ("lowercase letters", "uppercase letters", "digits", "other characters")
MAX_LENGTH = 1024  # refused above this, never cut: the hash does not need a cap, a sane UI does
RUN = 3  # medium and high refuse this many identical characters in a row
COMPOSITION_NOTE = ("this is the vendor's composition rule, which NIST SP 800-63B-4 advises against; "
                    "passwords.min_complexity = low lifts it")

SCORE_READING = (
    "Score = points per character added up (digit 10, letter 26, symbol 28); the PBX page gives "
    "the points but not how they combine, so pbxwizard reads it as a per-character sum."
)
SCORE_WEAKNESS = (
    "The score is a weak measure: it counts characters, not how guessable they are. "
    '"password" scores 208 and is among the first guesses of any attacker, so a password on the '
    "common-password list is rated low whatever it scores; length and that list protect far better."
)


class Charset(NamedTuple):
    """The characters an account's system accepts, as a test and in words."""

    allows: Callable[[str], bool]  # one character
    words: str  # "printable ASCII", for the messages


class Policy(NamedTuple):
    """The password and PIN rules of one config (catalog section ``passwords``)."""

    strength: str = "accept_all"  # accept_all, medium or high
    min_complexity: str = "low"  # low, medium or high
    min_length: int = 0
    previous_limit: int = 0
    pin_size: int = 4
    # An account's own rules (``accounts.policy_for``); the defaults are the catalog's alone.
    account_min: int = 0  # the account's own range, account_min to max_length
    max_length: int = MAX_LENGTH
    charset: Charset | None = None  # the characters the account's system accepts; None: any
    account: str = ""  # the account's title, for the messages that name its range

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "Policy":
        """From catalog values: a ``Config`` or a preset's ``PresetSet.values(name)``."""
        return cls(
            strength=values["passwords.strength"],
            min_complexity=values["passwords.min_complexity"],
            min_length=values["passwords.min_length"],
            previous_limit=values["passwords.previous_limit"],
            pin_size=values["passwords.tenant_pin_size"],
        )

    @classmethod
    def from_config(cls, config: Any) -> "Policy":
        return cls.from_values(config.values)

    def describe(self) -> str:
        score = "any score" if self.strength == "accept_all" else f"score {THRESHOLDS[self.strength]}+"
        reuse = f", last {self.previous_limit} passwords barred" if self.previous_limit else ""
        length = (f"{max(self.min_length, self.account_min)} to {self.max_length} characters"
                  if self.max_length < MAX_LENGTH else f"at least {self.min_length} characters")
        chars = f" of {self.charset.words}" if self.charset else ""
        return (f"strength {self.strength} ({score}), complexity {self.min_complexity}, "
                f"{length}{chars}{reuse}, common passwords refused")


class Verdict(NamedTuple):
    accepted: bool
    failures: tuple[str, ...]  # every broken rule, in words
    score: int
    strength: str  # low, medium or high: the label the score earns; low for a common password
    length: int  # in Unicode code points, after NFKC
    common: bool = False  # on the common-password list: rated low, whatever the score

    def text(self) -> str:
        """The verdict as a person reads it, with the score's reading and its weakness."""
        if self.accepted:
            lines = ["accepted: the password meets the policy"]
        else:
            n = len(self.failures)
            lines = [f"refused: the password breaks {n} rule{'s' if n != 1 else ''}:"]
            lines += [f"  - {f}" for f in self.failures]
        lines.append(f"length: {_chars(self.length)} (Unicode code points)")
        lines.append(f"score: {self.score} ({self.rating})")
        lines.append(f"  {SCORE_READING}")
        lines.append(f"  {SCORE_WEAKNESS}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "failures": list(self.failures), "score": self.score,
                "strength": self.strength, "length": self.length, "common": self.common}

    @property
    def rating(self) -> str:
        """The strength label in words, saying why a common password is low."""
        return f"{self.strength}: a common password" if self.common else self.strength


def _chars(n: int) -> str:
    return f"{n} character{'s' if n != 1 else ''}"


def char_class(ch: str) -> str:
    """``digit``, ``letter`` or ``symbol`` for the score (anything not a digit or letter is a symbol)."""
    if ch.isdecimal():
        return "digit"
    if ch.isalpha():
        return "letter"
    return "symbol"


def score(password: str) -> int:
    """The PBX's strength score as a per-character sum (see the module docstring)."""
    return sum(POINTS[char_class(ch)] for ch in normalized(password))


def strength_label(points: int, common: bool = False) -> str:
    """The band the score falls in; a common password is low whatever it scores."""
    if common:
        return "low"
    if points >= THRESHOLDS["high"]:
        return "high"
    if points >= THRESHOLDS["medium"]:
        return "medium"
    return "low"


def complexity_classes(password: str) -> set[str]:
    """Which of the four classes (lowercase, uppercase, digit, other) the password uses.

    A letter without case (most scripts other than Latin, Greek, Cyrillic) counts as other.
    """
    found = set()
    for ch in password:
        if ch.islower():
            found.add(CLASS_NAMES[0])
        elif ch.isupper():
            found.add(CLASS_NAMES[1])
        elif ch.isdecimal():
            found.add(CLASS_NAMES[2])
        else:
            found.add(CLASS_NAMES[3])
    return found


def has_run(password: str, run: int = RUN) -> bool:
    count = 1
    for a, b in zip(password, password[1:]):
        count = count + 1 if a == b else 1
        if count >= run:
            return True
    return False


def check(password: str, policy: Policy, *, user: str = "", previous: Iterable[str] = ()) -> Verdict:
    """Every rule ``password`` breaks under ``policy``.

    ``user`` is the account or extension name (low complexity and up refuse passwords that
    contain it). ``previous`` are stored hashes, newest first; the first
    ``policy.previous_limit`` of them are compared (each costs one hash run).
    """
    pw = normalized(password)
    failures: list[str] = []
    length = len(pw)
    points = score(pw)
    if not pw:
        failures.append("the password is empty")
    if length > MAX_LENGTH:
        failures.append(f"it has {length} characters, more than the {MAX_LENGTH} accepted "
                        "(pbxwizard never cuts a password short, so choose a shorter one)")
    if any(unicodedata.category(ch) == "Cc" for ch in pw):
        failures.append("it contains a control character (such as a tab or a line break)")
    # the stricter bound speaks: the account's own range, or the policy's minimum above it
    if policy.account and (length > policy.max_length or policy.min_length < policy.account_min > length):
        failures.append(f"it has {_chars(length)}; the {policy.account} allows {policy.account_min} to "
                        f"{policy.max_length} characters")
    elif length < policy.min_length:
        failures.append(f"it has {_chars(length)} (Unicode code points); the policy asks for at least {policy.min_length}")
    if policy.charset:
        refused = sorted({ch for ch in pw if not policy.charset.allows(ch)})
        if refused:  # which kinds, never the characters themselves: they are part of the password
            failures.append(f"it has {_chars(sum(1 for ch in pw if ch in refused))} the {policy.account or 'account'} "
                            f"does not accept; it takes {policy.charset.words}")
    if policy.strength in THRESHOLDS and points < THRESHOLDS[policy.strength]:
        failures.append(f"it scores {points}; the {policy.strength} strength policy asks for "
                        f"{THRESHOLDS[policy.strength]} or more")
    name = normalized(user).strip().casefold()
    if name and name in pw.casefold():
        failures.append("it contains the user name")
    wanted = COMPLEXITY_CLASSES[policy.min_complexity]
    if wanted:
        used = len(complexity_classes(pw))
        if used < wanted:
            failures.append(f"it uses {used} of the 4 character classes ({', '.join(CLASS_NAMES)}); "
                            f"{policy.min_complexity} complexity asks for at least {wanted} ({COMPOSITION_NOTE})")
        if has_run(pw):
            failures.append(f"it has the same character {RUN} or more times in a row; "
                            f"{policy.min_complexity} complexity forbids that")
    common = bool(pw) and blocklist.is_common(pw)
    if common:
        failures.append(f"it is on the list of {blocklist.size():,} common passwords that attackers try first")
    if policy.previous_limit and pw:
        from pbxwizard.passwords.hashing import matches_any

        if matches_any(pw, list(previous)[: policy.previous_limit]):
            failures.append(f"it is one of this account's last {policy.previous_limit} passwords")
    return Verdict(not failures, tuple(failures), points, strength_label(points, common), length, common)


def check_pin(pin: str, policy: Policy) -> Verdict:
    """A PIN: digits only, at least ``pin_size`` of them, no easy pattern, not a common password."""
    failures: list[str] = []
    common = bool(pin) and blocklist.is_common(pin)
    if not pin or not (pin.isascii() and pin.isdigit()):
        failures.append("a PIN must be digits 0-9 only")
    elif len(pin) < policy.pin_size:
        failures.append(f"it has {len(pin)} digits; the policy asks for at least {policy.pin_size}")
    if pin and pin.isascii() and pin.isdigit():
        if len(set(pin)) == 1:
            failures.append("it repeats one digit")
        elif _is_sequence(pin):
            failures.append("it counts up or down (like 1234 or 9876)")
        elif common:
            failures.append("it is on the list of common passwords")
    points = score(pin)
    return Verdict(not failures, tuple(failures), points, strength_label(points, common), len(pin), common)


def _is_sequence(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    return steps in ({1}, {9})
