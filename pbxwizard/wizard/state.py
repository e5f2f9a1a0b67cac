"""What the wizard has collected so far, kept free of Textual so it can be tested alone.

The screens only read and change one ``WizardState``, made of one small object per step
(``folder``, ``settings``, ``accounts``, ``certificates``, ``pairing``) that share a
``Shared``. Every decision is a call into the core: the catalog's kinds parse what was
typed, ``config.build`` and ``check_rules`` find contradictions, ``audit`` grades the
result and ``run.plan`` and ``run.execute`` write it, the same calls ``pbxwizard apply`` makes, so the
wizard's files are the ones ``apply`` would write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TYPE_CHECKING

from pbxwizard.errors import Problem
from pbxwizard.wizard.folder import FolderStep
from pbxwizard.wizard.shared import Shared

if TYPE_CHECKING:
    from pbxwizard.settings.config import Config
    from pbxwizard.settings.presets import PresetSet
    from pbxwizard.wizard.accounts import AccountsStep
    from pbxwizard.wizard.certificates import CertificatesStep
    from pbxwizard.wizard.pairing import PairingStep
    from pbxwizard.wizard.settings import SettingsStep


@dataclass
class WizardState:
    """The steps, composed so each is read and tested alone; the whole run (audit, write) stays here."""

    shared: Shared
    folder: FolderStep = field(init=False)
    made: Any = None  # extras.Made of the last write: the pairing codes to show
    replay_options: list[str] = field(default_factory=list)  # what `apply` needs besides the answers file
    cert_report: Any = None  # certs.checks.Report of the store after the last write
    written: list[Path] = field(default_factory=list)
    writes: int = 0  # writes done in this run: a second one is reviewed against the first
    write_notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = FolderStep(self.shared, lambda: self.settings)

    # The other steps are made when first used: their modules import the settings catalog,
    # which the welcome screen does without, so the wizard starts sooner.

    @cached_property
    def settings(self) -> SettingsStep:
        from pbxwizard.wizard.settings import SettingsStep

        return SettingsStep(self.shared)

    @cached_property
    def accounts(self) -> AccountsStep:
        from pbxwizard.wizard.accounts import AccountsStep

        return AccountsStep(self.shared, self.settings)

    @cached_property
    def certificates(self) -> CertificatesStep:
        from pbxwizard.wizard.certificates import CertificatesStep

        return CertificatesStep(self.shared, self.settings)

    @cached_property
    def pairing(self) -> PairingStep:
        from pbxwizard.wizard.pairing import PairingStep

        return PairingStep(self.shared, self.settings)

    # --- the result ---------------------------------------------------------------------

    def audited_config(self) -> Config:
        """The config as the audit should see it: with the hashes kept from the output folder
        and the new passwords counted as set (they are hashed only when writing)."""
        config = self.settings.config()
        present = {name: "(new password)" for name in (*self.accounts.stored(), *self.accounts.passwords)}
        return config.with_accounts(present, {})

    def report(self):
        from pbxwizard.settings import audit

        store = self.shared.presets
        config = self.audited_config()
        facts = audit.planned_facts(self.shared.output, config, self.certificates.wanted)
        return audit.audit(config, {n: store.values(n) for n in store.names()}, facts)

    def plan(self):
        """The run the write step would carry out, from the same core call as ``pbxwizard apply``."""
        from pbxwizard.run.plan import make_plan
        from pbxwizard.run.request import Resolved

        settings, shared = self.settings, self.shared
        return make_plan(Resolved(settings.config(), dict(settings.base), extras=shared.extras), shared.output,
                         new_passwords=tuple(self.accounts.passwords), passphrase=self.certificates.passphrase,
                         now=shared.clock())  # the clock the write issues codes by: a code it made stays

    def problems_before_writing(self) -> list[Problem]:
        """What would stop the write once the values are valid (e.g. pairing without a domain)."""
        return self.accounts.problems(self.settings.config()) + list(self.plan().problems)

    def write(self, plan, *, progress=None, on_step=None):
        """Carry ``plan`` out with the secrets only the state holds; returns the run's Outcome.

        ``progress`` and ``on_step`` are called from the worker thread while it writes.
        """
        from pbxwizard.run.execute import Secrets, execute

        passphrase = self.certificates.passphrase
        self.made = self.cert_report = None  # what an earlier write made is not this one's
        outcome = execute(plan, Secrets(self.accounts.passwords, passphrase), progress=progress, on_step=on_step,
                          now=self.shared.clock)
        self.made = outcome.made
        if plan.extras.certificates:
            self.cert_report = self.certificates.check_store(outcome.config, passphrase)
        return outcome

    def earlier_write(self) -> list[str]:
        """What the last write of this run did, for the review before writing again (the plan
        then says which of its codes stay and which are revoked and made again)."""
        if not self.writes:
            return []
        from pbxwizard.wizard.views import tilde, tilde_text

        count = len(self.written)
        return [f"{count} file{'s' if count != 1 else ''} written to {tilde(self.shared.output)}",
                *(tilde_text(note) for note in self.write_notes)]

    def answers_text(self) -> str:
        from pbxwizard.run.answers import render_answers

        return render_answers(self.settings.config(), self.settings.base, self.shared.extras)

    def mark_written(self, outcome) -> None:
        """Remember what the write made, and forget the secrets it needed."""
        self.writes += 1
        self.written = list(outcome.written)
        self.write_notes = outcome.notes + outcome.lines
        from pbxwizard.settings import catalog

        config = self.settings.config()
        left_out = [f"--set-file {k}=FILE" for k in config.changed_from(self.settings.base)
                    if catalog.get(k).kind.holds_secret(config[k])]  # the answers file leaves these out
        self.replay_options = (["--passwords FILE"] if self.accounts.passwords else []) + (
            ["--passphrase-env NAME"] if self.certificates.passphrase else []) + left_out
        self.accounts.passwords.clear()  # hashed into security.toml now; keep no clear text longer than needed
        self.accounts.texts.clear()
        self.certificates.passphrase, self.certificates.texts = None, ("", "")
        self.shared.dirty = False


def new_state(output: Path, presets: PresetSet | None = None) -> WizardState:
    return WizardState(Shared(Path(output).expanduser().absolute(), presets))
