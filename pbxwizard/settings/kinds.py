"""Value kinds of the catalog: how a setting's value is parsed, checked, shown and ranked.

Kinds are declared as dataclasses without the generated equality, repr and frozen
setters: those cost start-up time (the wizard must open fast on a slow box) and nothing
compares or mutates a kind.

A value in memory is exactly what goes into TOML (int, bool, str) except lists, which are
tuples in memory so a ``Config`` stays hashable and immutable.

``rank`` orders values from weaker to safer (None where there is no such order); the
screens use it to show a risk note when a change weakens the system, the audit to compare.
"""


from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from pbxwizard.settings import durations, netlists
from pbxwizard.errors import InvalidValue

_TRUE = {"true", "yes", "on", "1", "enabled"}
_FALSE = {"false", "no", "off", "0", "disabled"}


class Kind:
    type_name = "value"

    def from_text(self, text: str) -> Any:
        """Parse what a person typed (``--set``, a form field)."""
        return self.from_toml(text)

    def from_toml(self, value: Any) -> Any:
        """Check a value read from TOML and return it normalised."""
        raise NotImplementedError

    def to_toml(self, value: Any) -> Any:
        return value

    def to_json(self, value: Any) -> Any:
        """The value for a JSON report: typed as in TOML (numbers, booleans, lists), secrets masked."""
        return self.to_toml(value)

    def to_text(self, value: Any) -> str:
        """The text that ``from_text`` turns back into ``value``."""
        return str(value)

    def display(self, value: Any) -> str:
        """What to show a person or a log: like ``to_text`` but with secrets masked."""
        return self.to_text(value) or "(empty)"

    def describe(self) -> str:
        return self.type_name

    def holds_secret(self, value: Any) -> bool:
        """Whether ``value`` carries a credential: it never goes on a command line or into an answers file."""
        return False

    def rank(self, value: Any) -> Any:
        return None


@dataclass(eq=False, repr=False)
class IntKind(Kind):
    """A whole number within bounds, in a unit; says which way is safer so the audit can rank values."""

    minimum: int
    maximum: int
    unit: str = ""
    safer: str = ""  # "higher", "lower" or "" when neither is safer in general
    zero_means: str = ""  # what 0 stands for, when it is special ("never", "off")

    type_name = "integer"

    def from_text(self, text: str) -> int:
        s = str(text).strip().replace("_", "")
        try:
            number = int(s)
        except ValueError:
            raise InvalidValue(f"{text!r} is not a whole number; {self.describe()}") from None
        return self.from_toml(number)  # out of range says so, not "not a whole number"

    def from_toml(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(f"expected a whole number, got {_type_of(value)} {_short(value)}")
        if not self.minimum <= value <= self.maximum:
            raise InvalidValue(f"{value} is out of range; {self.describe()}")
        return value

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        text = f"a whole number from {self.minimum} to {self.maximum}{unit}"
        if self.zero_means:
            text += f" (0 means {self.zero_means})"
        return text

    def rank(self, value: int) -> Any:
        if self.safer == "higher":
            return value
        if self.safer == "lower":
            # 0 as "never" is the weakest of all when lower is safer.
            return float("-inf") if (value == 0 and self.zero_means) else -value
        if self.safer == "nonzero":
            return 0 if value == 0 else 1
        return None


@dataclass(eq=False, repr=False)
class BoolKind(Kind):
    """An on/off switch; ``safe`` names the position the audit expects from a hardened box."""

    safe: bool | None = None  # the safer position of the switch, if one is

    type_name = "boolean"

    def from_text(self, text: str) -> bool:
        s = str(text).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise InvalidValue(f"{text!r} is not a switch value; use true or false (on/off, yes/no)")

    def from_toml(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise InvalidValue(f"expected true or false, got {_type_of(value)} {_short(value)}")
        return value

    def to_text(self, value: bool) -> str:
        return "true" if value else "false"

    def describe(self) -> str:
        return "true or false"

    def rank(self, value: bool) -> Any:
        if self.safe is None:
            return None
        return 1 if value == self.safe else 0


class Choice(NamedTuple):
    value: str
    label: str


@dataclass(eq=False, repr=False)
class ChoiceKind(Kind):
    """One of a fixed set of words; when ``ordered``, later choices are safer, so presets can be compared."""

    choices: tuple[Choice, ...]
    ordered: bool = True  # choices run from weakest to safest

    type_name = "choice"

    def from_toml(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(f"expected one of {self._names()}, got {_type_of(value)} {_short(value)}")
        v = value.strip()
        for c in self.choices:
            if v == c.value or v.lower() == c.label.lower():
                return c.value
        raise InvalidValue(f"{_short(value)} is not allowed; choose one of {self._names()}")

    def _names(self) -> str:
        return ", ".join(c.value for c in self.choices)

    def label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    def describe(self) -> str:
        return "one of " + ", ".join(f"{c.value} ({c.label})" if c.label != c.value else c.value for c in self.choices)

    def rank(self, value: str) -> Any:
        if not self.ordered:
            return None
        return [c.value for c in self.choices].index(value)


@dataclass(eq=False, repr=False)
class DurationKind(Kind):
    """A span of time written with units ("12h", "90d"), normalised on reading, or off where allowed."""

    minimum: int  # seconds
    maximum: int
    allow_off: bool = True
    off_means: str = "no expiry"

    type_name = "duration"

    def from_toml(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(f"expected a duration string such as \"12h\", got {_type_of(value)} {_short(value)}")
        if value.strip().lower() in ("off", "never", "none") and self.allow_off:
            return durations.OFF
        seconds = durations.parse_duration(value)
        if not self.minimum <= seconds <= self.maximum:
            raise InvalidValue(f"{value!r} is out of range; {self.describe()}")
        return durations.format_duration(seconds)

    def seconds(self, value: str) -> int | None:
        return None if value == durations.OFF else durations.parse_duration(value)

    def describe(self) -> str:
        lo, hi = durations.format_duration(self.minimum), durations.format_duration(self.maximum)
        text = f"a duration from {lo} to {hi} (units w, d, h, m, s)"
        if self.allow_off:
            text += f", or off for {self.off_means}"
        return text

    def rank(self, value: str) -> Any:
        s = self.seconds(value)
        return float("-inf") if s is None else -s


@dataclass(eq=False, repr=False)
class PathOrOffKind(Kind):
    """An absolute path the PBX reads, or "off"; relative paths would depend on where the PBX starts."""

    type_name = "path"

    def from_toml(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(f"expected an absolute path or \"off\", got {_type_of(value)} {_short(value)}")
        v = value.strip()
        if v.lower() in ("off", ""):
            return "off"
        if not v.startswith("/") or "\x00" in v or any(not c.isprintable() for c in v):
            raise InvalidValue(f"{_short(value)} is not an absolute path; give one such as /var/log/pbx/keys.log, or off")
        return v

    def describe(self) -> str:
        return "an absolute file path, or off"

    def rank(self, value: str) -> Any:
        return 1 if value == "off" else 0


@dataclass(eq=False, repr=False)
class HostKind(Kind):
    """A DNS name, or with ``address`` an IP address or DNS name with an optional port; empty = not set."""

    address: bool = False

    type_name = "host"

    def from_toml(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(f"expected {self.describe()}, got {_type_of(value)} {_short(value)}")
        v = value.strip()
        if not v:
            return ""
        if self.address:
            return netlists.format_host_port(*netlists.parse_host_port(v))
        return netlists.check_dns_name(v, ip_hint="the domain is a name; put addresses in pairing.server")

    def describe(self) -> str:
        if self.address:
            return "an IP address or DNS name with an optional :port, or empty until known"
        return "a DNS domain name such as pbx.example.com, or empty until known"


@dataclass(eq=False, repr=False)
class ListKind(Kind):
    """A list of entries, each checked by ``entry``; long lists (access lists) are bounded so a hand-edited
    file cannot exhaust memory."""

    entry: Callable[[str], str]
    entry_help: str
    quoted: bool = False  # entries may be double-quoted to hold spaces
    max_entries: int = 100_000
    safer_when_empty: bool | None = None  # True: every entry widens access
    mask: Callable[[str], str] | None = None  # hides the secret part of an entry for display

    type_name = "list"

    def split(self, text: str) -> list[str]:
        return netlists.split_quoted(text) if self.quoted else netlists.split_plain(text)

    def from_text(self, text: str) -> tuple[str, ...]:
        return self._check(self.split(str(text)))

    def from_toml(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return self.from_text(value)
        if not isinstance(value, (list, tuple)):
            raise InvalidValue(f"expected a list of strings, got {_type_of(value)} {_short(value)}")
        for item in value:
            if not isinstance(item, str):
                raise InvalidValue(f"every entry must be a string, got {_type_of(item)} {_short(item)}")
        return self._check(list(value))

    def _check(self, entries: list[str]) -> tuple[str, ...]:
        if len(entries) > self.max_entries:
            raise InvalidValue(f"{len(entries)} entries is more than the {self.max_entries} allowed")
        errors = []
        out = []
        for e in entries:
            try:
                out.append(self.entry(e))
            except InvalidValue as exc:
                errors.append(str(exc))
        if errors:
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            raise InvalidValue("; ".join(errors[:3]) + more)
        return tuple(out)

    def to_toml(self, value: tuple[str, ...]) -> list[str]:
        return list(value)

    def masked(self, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.mask(e) for e in value) if self.mask else value

    def to_json(self, value: tuple[str, ...]) -> list[str]:
        return list(self.masked(value))

    def display(self, value: tuple[str, ...]) -> str:
        return self.to_text(self.masked(value)) or "(empty)"

    def holds_secret(self, value: tuple[str, ...]) -> bool:
        return self.mask is not None and any(self.mask(e) != e for e in value)

    def to_text(self, value: tuple[str, ...]) -> str:
        return netlists.join_quoted(value) if self.quoted else " ".join(value)

    def describe(self) -> str:
        sep = "space-separated; double-quote an entry that holds spaces" if self.quoted else "space-separated"
        return f"a list of {self.entry_help} ({sep}); an array of strings in TOML"

    def rank(self, value: tuple[str, ...]) -> Any:
        if self.safer_when_empty is None:
            return None
        return -len(value) if self.safer_when_empty else len(value)


def _type_of(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "the text",
            list: "a list", tuple: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = [
    "Kind", "IntKind", "BoolKind", "Choice", "ChoiceKind", "DurationKind", "PathOrOffKind",
    "HostKind", "ListKind",
]
