"""The accounts step: a new password for each factory account, judged as ``passwords.check`` judges it.

Passwords live here in memory only; ``run.execute`` hashes them when the files are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pbxwizard.errors import ConfigError, Problem
from pbxwizard.paths import CONFIG_NAME
from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config
from pbxwizard.wizard.settings import SettingsStep
from pbxwizard.wizard.shared import Shared
from pbxwizard.wizard.views import PasswordStatus


@dataclass
class AccountsStep:
    shared: Shared = field(repr=False)
    settings: SettingsStep = field(repr=False)  # the policy comes from its values
    passwords: dict[str, str] = field(default_factory=dict, repr=False)  # account -> new password, memory only
    texts: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)  # both fields, memory only

    def policy(self, name: str | None = None):
        """The policy of the values as they stand (the preset's where a value is not valid yet),
        with the account's own range and characters when ``name`` is given."""
        from pbxwizard.passwords.accounts import policy_for
        from pbxwizard.passwords.rules import Policy

        values = self.settings.current() if self.settings.base else catalog.defaults()
        return policy_for(name, values) if name else Policy.from_values(values)

    def required(self) -> bool:
        return bool(self.settings.values.get("services.require_new_passwords", True))

    def stored(self) -> frozenset[str]:
        """Accounts whose hash the security.toml in the output folder already holds (carried over on write)."""
        from pbxwizard.settings import tomlfile

        path = self.shared.output / CONFIG_NAME
        try:
            return frozenset(tomlfile.load(path).accounts) if path.is_file() else frozenset()
        except (ConfigError, OSError):
            return frozenset()  # an unreadable file carries nothing over (tomlfile.carry_over)

    def status(self, name: str, stored: frozenset[str] | None = None) -> PasswordStatus:
        """The verdict on what the account's fields hold, checked as ``passwords.check`` does.

        Reuse of earlier passwords is not checked here: each comparison is a hash run, too
        slow for every key press. ``run.execute`` checks it before writing.
        """
        from pbxwizard.passwords import accounts, rules

        account = accounts.BY_NAME[name]
        first, second = self.texts.get(name, ("", ""))
        verdict = rules.check(first, self.policy(name), user=name) if first else None
        stored = self.stored() if stored is None else stored
        return PasswordStatus(name, account.title, account.role, bool(first or second), verdict,
                              bool(first) and first == second, name in stored, bool(second))

    def set_texts(self, name: str, first: str, second: str) -> PasswordStatus:
        """Take what the two fields hold; the password counts only once accepted and confirmed."""
        if self.texts.get(name, ("", "")) != (first, second):
            self.shared.dirty = True
        self.texts[name] = (first, second)
        status = self.status(name)
        if status.accepted:
            self.passwords[name] = first
        else:
            self.passwords.pop(name, None)
        return status

    def generate(self, name: str) -> str:
        """A random password that meets the policy, put in both fields; the caller shows it once."""
        from pbxwizard.passwords import generate

        password = generate.password(self.policy(name), user=name)
        self.set_texts(name, password, password)
        return password

    def waiting(self) -> list[str]:
        """Why the accounts step cannot go on yet: one line per account that holds it up."""
        from pbxwizard.passwords import accounts

        stored, required = self.stored(), self.required()
        out = []
        for name in accounts.NAMES:
            why = self.status(name, stored).waiting(required)
            if why:
                out.append(why)
        return out

    def problems(self, config: Config) -> list[Problem]:
        """New passwords the current policy refuses (it may have changed since they were typed)."""
        from pbxwizard.passwords import accounts, rules

        out = []
        for name, password in self.passwords.items():
            verdict = rules.check(password, accounts.policy_for(name, config), user=name)
            if not verdict.accepted:
                out.append(Problem(f"{accounts.TABLE}.{name}", "the new password no longer meets the password "
                                   f"policy ({verdict.failures[0]}); change it in the Accounts step"))
        return out
