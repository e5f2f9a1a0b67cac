"""What the wizard's screens show: paths as a person reads them, values, and one record per step.

Plain records and functions, so a screen only lays out what a step object returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, TYPE_CHECKING

from pbxwizard.errors import Problem
from pbxwizard.wizard.homepaths import tilde, tilde_problem, tilde_text  # noqa: F401  (the screens say views.tilde)

if TYPE_CHECKING:  # the catalog is imported where it is used
    from pbxwizard.settings.config import Config


class Change(NamedTuple):
    key: str
    old: Any
    new: Any
    weaker: bool


class PresetSummary(NamedTuple):
    """What a preset is and does, so presets can be compared side by side."""

    name: str
    description: str
    origin: str
    findings: dict[str, int]  # audit findings per severity
    changes: list[tuple[str, str]]  # (setting title, shown value) where it leaves the factory defaults


def shown(key: str, value: Any) -> str:
    """A value as a person reads it: choice labels, on/off, units, secrets masked."""
    from pbxwizard.settings import catalog
    from pbxwizard.settings.kinds import BoolKind, ChoiceKind

    kind = catalog.get(key).kind
    if isinstance(kind, ChoiceKind):
        return kind.label(value)
    if isinstance(kind, BoolKind):
        return "on" if value else "off"
    text, unit = kind.display(value), getattr(kind, "unit", "")
    return f"{text} {unit}" if unit and text != "(empty)" else text


def finding_text(finding) -> tuple[str, str, str]:
    """(what, its value, the safer value) of an audit finding, also for findings outside the catalog."""
    from pbxwizard.settings import catalog

    setting = catalog.BY_KEY.get(finding.key)
    if setting is None:  # e.g. accounts still on their factory passwords
        return finding.key.replace("_", " ").capitalize(), finding.value_text(), finding.safer_text()
    return setting.title, shown(finding.key, finding.value), shown(finding.key, finding.safer)


class PasswordStatus(NamedTuple):
    """One account on the accounts step, as its two fields stand now (never the password itself)."""

    name: str
    title: str
    role: str
    typed: bool  # something is in either field
    verdict: Any  # passwords.Verdict of the first field, None while it is empty
    confirmed: bool  # the second field repeats the first
    stored: bool  # security.toml in the output folder already holds a hash for it (kept if left empty)
    second_typed: bool = False

    @property
    def accepted(self) -> bool:
        return bool(self.verdict and self.verdict.accepted and self.confirmed)

    @property
    def problems(self) -> list[str]:
        out = list(self.verdict.failures) if self.verdict else []
        if self.verdict and self.verdict.accepted and not self.confirmed:
            out.append("type it again in the second field" if not self.second_typed else "the two entries differ")
        return out

    @property
    def meter(self) -> float:
        """How full the strength meter is: the PBX score against 1.5 times the high threshold, capped;
        a common password stays in the low band, whatever it scores."""
        from pbxwizard.passwords.rules import THRESHOLDS

        if not self.verdict:
            return 0.0
        full = THRESHOLDS["high"] * 1.5
        points = min(self.verdict.score, THRESHOLDS["medium"] - 1) if self.verdict.common else self.verdict.score
        return min(points / full, 1.0)

    def headline(self, required: bool) -> str:
        """The line beside the account's title: where it stands, in a few words."""
        if self.accepted:
            return "ok: accepted and confirmed"
        if not self.typed:
            if self.stored:
                return "a password is stored; leave empty to keep it"
            return "not set yet" if required else "optional"
        if not self.verdict:  # only the second field holds something: there is nothing to rate yet
            return FIRST_FIELD_EMPTY
        if self.verdict.accepted:
            return "confirm it"
        count = len(self.problems)
        return f"{count} rule{'s' if count != 1 else ''} not met"

    def waiting(self, required: bool) -> str | None:
        """Why this account holds up the step, or None."""
        if self.accepted:
            return None
        if not self.typed:
            return f"{self.title}: give it a new password" if required and not self.stored else None
        if not self.verdict:
            return f"{self.title}: {FIRST_FIELD_EMPTY}"
        return f"{self.title}: {self.problems[0]}"


FIRST_FIELD_EMPTY = "type the password in the first field too"


class CertificatePlan(NamedTuple):
    """What the write step will do about certificates, for the certificates step and the review."""

    make: bool  # the store is wanted (Extras.certificates)
    folder: Path  # the store's folder
    existing: bool  # a store is already there: it is kept, not replaced
    mode: str  # the label of certificates.mode
    key_type: str
    names: tuple[str, ...]  # DNS names and addresses the certificate will carry
    steps: tuple[str, ...]  # what generation will report, in order
    problems: tuple[Problem, ...]  # settings that would stop generation
    needs_passphrase: bool  # keys are to be encrypted and no store exists yet


class PairingPlan(NamedTuple):
    """Whether pairing codes can be made with the current settings, and for how long they last."""

    domain: str
    server: str
    missing: tuple[str, ...]  # keys of the settings still empty (pairing.domain, pairing.server)
    no_expiry: bool  # barcode_duration is off: codes would be bound to each user's password hash
    lifetime: str  # how long a code lasts, in words
    extensions: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing and not self.no_expiry



def shell_path(path: Path | str) -> str:
    """A path as it is typed into a shell: ~ for the home folder, quoted where it needs to be."""
    import shlex

    text = tilde(path)
    if text.startswith("~/"):
        return "~/" + shlex.quote(text[2:])
    return "~" if text == "~" else shlex.quote(text)


# What each placeholder in a command the wizard shows stands for (the wizard keeps none of them).
PLACEHOLDERS = {
    "--passwords FILE": "FILE after --passwords: the new passwords as account=password lines",
    "--set-file": "FILE after --set-file: a file holding that setting's secret value",
    "--passphrase-env NAME": "NAME: an environment variable holding the key passphrase",
}


def command_lines(command: str, options: list[str], *, width: int) -> list[str]:
    """``command`` with ``options`` to copy from the screen: one line when it fits ``width``,
    else one option a line joined by backslashes, so no line wraps and a copy runs whole."""
    line = " ".join([command, *options])
    if len(line) <= width or not options:
        return [line]
    return [f"{command} \\", *(f"  {option} \\" for option in options[:-1]), f"  {options[-1]}"]


def placeholder_notes(lines: list[str]) -> list[str]:
    """What the placeholders that ``lines`` use stand for, one note each."""
    text = "\n".join(lines)
    return [note for placeholder, note in PLACEHOLDERS.items() if placeholder in text]
