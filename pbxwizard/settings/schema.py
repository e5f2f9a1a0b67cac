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


class Facts(NamedTuple):
    """What the audit knows beyond the settings: the output folder's store. None: not known."""

    manager_certificate: bool | None = None
    has_store: bool = False


class CrossCheck(NamedTuple):
    """An audit rule across settings and the facts of the output folder.

    ``applies(values)`` says the settings call for something; ``weak(values, facts)`` that it
    is missing. The wizard shows ``notice`` on the screen of each key in ``applies_to(values)``.
    """

    severity: str
    name: str  # the finding's key; not a setting
    applies_to: Callable[[Any], tuple[str, ...]]
    weak: Callable[[Any, Facts], bool]
    why: str
    safer: str
    notice: str


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
