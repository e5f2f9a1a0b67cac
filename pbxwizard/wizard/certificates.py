"""The certificates step: whether the write makes the store, what that will do, and the key passphrase.

The passphrase lives here in memory only; nothing is generated before the write step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pbxwizard.errors import ConfigError, InvalidValue
from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config
from pbxwizard.wizard.settings import SettingsStep
from pbxwizard.wizard.shared import Shared
from pbxwizard.wizard.views import CertificatePlan, shown


@dataclass
class CertificatesStep:
    shared: Shared = field(repr=False)
    settings: SettingsStep = field(repr=False)  # the store is made from its values
    passphrase: bytes | None = field(default=None, repr=False)  # for encrypted certificate keys, memory only
    texts: tuple[str, str] = field(default=("", ""), repr=False)  # both passphrase fields

    @property
    def wanted(self) -> bool:
        return self.shared.extras.certificates

    def set_make(self, on: bool) -> None:
        if on != self.shared.extras.certificates:
            self.shared.dirty = True
        self.shared.extras = self.shared.extras._replace(certificates=on)

    def plan(self) -> CertificatePlan:
        from pbxwizard.certs import generate
        from pbxwizard.certs.authority import Names
        from pbxwizard.certs.layout import Layout

        values, output = self.settings.current(), self.shared.output
        mode = values["certificates.mode"]
        existing = generate.store_exists(output)
        try:
            config = self.settings.config()
        except ConfigError as exc:
            problems = tuple(p for p in exc.problems if catalog.BY_KEY.get(p.key, None) is None
                             or catalog.get(p.key).section in ("certificates", "services"))
            steps: tuple[str, ...] = ()
            names: tuple[str, ...] = ()
        else:
            problems = tuple(generate.validate(config, mode))
            steps = tuple(generate.steps(config, mode))
            found = Names.from_config(config)
            names = tuple(found.dns) + tuple(found.ips)
        return CertificatePlan(
            self.shared.extras.certificates, Layout.for_output(output).root, existing,
            shown("certificates.mode", mode), shown("certificates.key_type", values["certificates.key_type"]),
            names, steps, problems, bool(values["certificates.encrypt_keys"]) and not existing)

    def set_texts(self, first: str, second: str) -> str | None:
        """Take the two passphrase fields; returns what is wrong with them, or None."""
        from pbxwizard.certs.keys import check_passphrase

        if (first, second) != self.texts:
            self.shared.dirty = True
        self.texts = (first, second)
        self.passphrase = None
        if not first:
            return "type the passphrase that will protect the keys"
        try:
            phrase = check_passphrase(first)
        except InvalidValue as exc:
            return str(exc)
        if second != first:
            return "type it again in the second field" if not second else "the two entries differ"
        self.passphrase = phrase
        return None

    def waiting(self) -> str | None:
        """Why the certificates step cannot go on yet, or None."""
        plan = self.plan()
        if not plan.make:
            return None
        if plan.problems:
            return f"To make the store: {plan.problems[0].message}"
        if plan.needs_passphrase and self.passphrase is None:
            return "Keys are to be encrypted: " + (self.set_texts(*self.texts) or "")
        return None

    def check_existing(self):
        """The checks of the store already in the output folder (it is kept when writing)."""
        try:
            config = self.settings.config()
        except ConfigError:
            config = None  # names and levels then come from the checks' own defaults
        return self.check_store(config, self.passphrase)

    def check_store(self, config: Config | None, passphrase: bytes | None):
        import datetime as dt

        from pbxwizard.certs.checks import check_store

        return check_store(self.shared.output, config, passphrase=passphrase,
                           now=dt.datetime.fromtimestamp(self.shared.clock(), dt.timezone.utc))
