"""The shapes the settings catalog is written in, shared by the modules that hold its entries."""


from typing import Any, Callable, NamedTuple

from pbxwizard.settings.kinds import Choice, Kind

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITIES = (HIGH, MEDIUM, LOW, INFO)
# The documents the settings come from, named as an administrator knows them (never by file number).
NOT_DOCUMENTED = "not stated on the PBX's System Security page or in the vendor's security scenarios"
ASSUMED = f"{NOT_DOCUMENTED}; the wizard assumes this value"
OWN_SETTING = f"pbxwizard's own setting, {NOT_DOCUMENTED}"

# Which system reads a setting. The file mixes the PBX's web settings page (000) and the
# vendor's management model (001); an installer of either needs to see which half is theirs.
SYSTEMS = {
    "web_pbx": "the web PBX page (the PBX's System Security settings)",
    "vendor": "the vendor's management model (service users, service levels, the management tool)",
    "both": "both the web PBX page and the vendor's management model",
    "sip": "the SIP server (the PBX's own, or Kamailio through pbxwizard export kamailio)",
}
SYSTEM_SHORT = {"web_pbx": "web PBX page", "vendor": "vendor model", "both": "both", "sip": "SIP server"}
SOURCES = {"000": "the PBX's System Security page", "001": "the vendor's minimum / medium / maximum scenarios"}


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
    system: str = ""  # a key of SYSTEMS; empty: the system of the source document

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def honoured_by(self) -> str:
        """Which system reads this setting (a key of ``SYSTEMS``)."""
        return self.system or {"000": "web_pbx", "001": "vendor"}.get(self.source[:3], "both")

    def source_text(self) -> str:
        """The source with the documents named in words, not numbered."""
        prefix, sep, rest = self.source.partition(": ")
        return f"{SOURCES[prefix]}: {rest}" if sep and prefix in SOURCES else self.source

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


class Rule(NamedTuple):
    """A constraint across settings; breaking it makes a config invalid."""

    keys: tuple[str, ...]
    holds: Callable[..., bool]
    message: str


def below(limit: Any, order: tuple[Choice, ...]) -> Callable[[Any], bool]:
    """A ``weak`` test for ordered choices: true for every choice before ``limit``."""
    values = [c.value for c in order]
    return lambda v: values.index(v) < values.index(limit)
