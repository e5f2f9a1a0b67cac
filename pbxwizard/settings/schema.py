"""The shapes the settings catalog is written in, shared by the modules that hold its entries."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from pbxwizard.settings.kinds import Choice, Kind

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITIES = (HIGH, MEDIUM, LOW, INFO)
ASSUMED = "not stated in the source documents; the wizard assumes this value"


class Check(NamedTuple):
    """An audit rule on one setting's value: when ``weak(value)`` holds, report it."""

    severity: str
    weak: Callable[[Any], bool]
    why: str
    safer: Any
    guidance: bool = False  # True where current guidance, not the vendor, is the source


class Setting(NamedTuple):
    section: str
    name: str
    title: str
    kind: Kind
    default: Any
    explain: str
    risk: str = ""
    default_note: str = ""  # empty: the default is the documented factory value
    source: str = ""
    checks: tuple[Check, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    def weakens(self, old: Any, new: Any) -> bool:
        """True when going from ``old`` to ``new`` makes the system less safe."""
        a, b = self.kind.rank(old), self.kind.rank(new)
        return a is not None and b is not None and b < a


class Section(NamedTuple):
    name: str
    title: str
    blurb: str


class Rule(NamedTuple):
    """A constraint across settings; breaking it makes a config invalid."""

    keys: tuple[str, ...]
    holds: Callable[..., bool]
    message: str


def below(limit: Any, order: tuple[Choice, ...]) -> Callable[[Any], bool]:
    """A ``weak`` test for ordered choices: true for every choice before ``limit``."""
    values = [c.value for c in order]
    return lambda v: values.index(v) < values.index(limit)
