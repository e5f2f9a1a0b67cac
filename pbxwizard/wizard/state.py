"""What the wizard has collected so far, kept free of Textual so it can be tested alone.

The screens only read and change one ``WizardState``. Every decision is a call into the
core: the catalog's kinds parse what was typed, ``config.build`` and ``check_rules`` find
contradictions, ``audit`` grades the result and ``answers`` writes it, the same calls
``pbxwizard apply`` makes, so the wizard's files are the ones ``apply`` would write.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, TYPE_CHECKING

from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config, build, check_rules
from pbxwizard.errors import ConfigError, InvalidValue, Problem
from pbxwizard.run.extras import Extras
from pbxwizard.paths import CONFIG_NAME

if TYPE_CHECKING:
    from pbxwizard.settings.presets import PresetSet


def tilde(path: Path | str) -> str:
    """A path as a person reads it: the home folder shortened to ~ (shells expand it back)."""
    text, home = str(path), str(Path.home())
    if home not in ("", "/") and (text == home or text.startswith(home + "/")):
        return "~" + text[len(home):]
    return text


def tilde_text(text: str) -> str:
    """Every path under the home folder in a sentence shortened to ~ (notes name paths inside them)."""
    home = str(Path.home())
    return text if home in ("", "/") else text.replace(home + "/", "~/")


def tilde_problem(problem: Problem) -> str:
    return str(Problem(problem.key, problem.message, tilde(problem.file) if problem.file else "", problem.line))


class FolderStatus(NamedTuple):
    """What choosing ``folder`` as the output would mean, for the welcome step."""

    folder: Path
    usable: bool  # False: nothing can be written there (a file, unreadable)
    message: str
    config: Config | None = None  # the existing security.toml, when it can be resumed
    problems: tuple[Problem, ...] = ()  # why an existing file cannot be resumed
    warnings: tuple[Problem, ...] = ()  # unknown keys in a file that is resumed


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
        """How full the strength meter is: the PBX score against twice the high threshold, capped."""
        from pbxwizard.passwords.rules import THRESHOLDS

        return min(self.verdict.score / (THRESHOLDS["high"] * 1.5), 1.0) if self.verdict else 0.0

    def waiting(self, required: bool) -> str | None:
        """Why this account holds up the step, or None."""
        if self.accepted:
            return None
        if not self.typed:
            return f"{self.title}: give it a new password" if required and not self.stored else None
        if not self.verdict:
            return f"{self.title}: type the password in the first field too"
        return f"{self.title}: {self.problems[0]}"


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


@dataclass
class WizardState:
    output: Path
    loaded_presets: PresetSet | None = None  # read on first use: the welcome screen needs none
    preset: str | None = None
    base: dict[str, Any] = field(default_factory=dict)  # the chosen preset's values
    texts: dict[str, str] = field(default_factory=dict)  # what each field shows
    values: dict[str, Any] = field(default_factory=dict)  # parsed, only where the text is valid
    errors: dict[str, str] = field(default_factory=dict)  # key -> why its text is not valid
    edited: set[str] = field(default_factory=set)  # keys the user set, kept across preset changes
    resumed_from: Path | None = None
    # Filled by the steps that make more than security.toml (accounts, certificates, pairing):
    extras: Extras = field(default_factory=Extras)  # certificate store and pairing codes to make
    passwords: dict[str, str] = field(default_factory=dict, repr=False)  # account -> new password, memory only
    passphrase: bytes | None = field(default=None, repr=False)  # for encrypted certificate keys, memory only
    password_texts: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)  # both fields, memory only
    passphrase_texts: tuple[str, str] = field(default=("", ""), repr=False)
    clock: Callable[[], float] = time.time  # one clock for code expiry and certificate dates (tests fix it)
    made: Any = None  # extras.Made of the last write: the pairing codes to show
    replay_options: list[str] = field(default_factory=list)  # what `apply` needs besides the answers file
    cert_report: Any = None  # certs.checks.Report of the store after the last write
    dirty: bool = False  # something was chosen or typed since the last write
    written: list[Path] = field(default_factory=list)
    write_notes: list[str] = field(default_factory=list)
    _loaded_folder: Path | None = None

    @property
    def presets(self) -> PresetSet:
        if self.loaded_presets is None:
            from pbxwizard.settings import presets as preset_store

            self.loaded_presets = preset_store.load()
        return self.loaded_presets

    # --- output folder and resuming -----------------------------------------------------

    def inspect_folder(self, folder: Path) -> FolderStatus:
        """Called on every key typed into the folder field, so it never raises for a bad path."""
        try:
            return self._inspect_folder(folder)
        except (OSError, ValueError) as exc:  # unreadable parents, a NUL byte pasted in, ...
            reason = getattr(exc, "strerror", None) or str(exc)
            return FolderStatus(Path(folder), False, f"{tilde(folder)} cannot be used: {reason}.")

    def _inspect_folder(self, folder: Path) -> FolderStatus:
        if "\x00" in str(folder):
            raise ValueError("a folder name cannot hold a NUL character")
        folder = Path(folder).expanduser().absolute()
        path = folder / CONFIG_NAME
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not existing.is_dir():
            return FolderStatus(folder, False, f"{tilde(existing)} is a file, not a folder; choose another place.")
        if not path.exists():
            where = "the folder exists" if folder.is_dir() else "the folder will be created (mode 0700)"
            return FolderStatus(folder, True, f"A new {CONFIG_NAME} will be written; {where}.")
        from pbxwizard.settings import tomlfile

        try:
            config, warnings = tomlfile.load_config(path, self.presets.values)
        except ConfigError as exc:
            return FolderStatus(
                folder, True,
                f"{tilde(path)} cannot be resumed; a fresh file will replace it and the old one is kept as {CONFIG_NAME}.bak.",
                problems=tuple(exc.problems),
            )
        changed = len(config.changed_from(self.presets.values(config.preset))) if config.preset in self.presets.presets else 0
        return FolderStatus(
            folder, True,
            f"{tilde(path)} will be resumed: preset {config.preset or '(none)'}, {changed} setting{'s' if changed != 1 else ''} changed from it.",
            config=config, warnings=tuple(warnings),
        )

    def choose_folder(self, folder: Path) -> FolderStatus:
        """Make ``folder`` the output; an existing config there is loaded once, when first chosen."""
        status = self.inspect_folder(folder)
        if not status.usable:
            return status
        self.output = status.folder
        if status.folder != self._loaded_folder:
            self._loaded_folder = status.folder
            if status.config is not None:
                self.resume(status.config, status.folder / CONFIG_NAME)
        return status

    def resume(self, config: Config, path: Path) -> None:
        base = self.presets.values(config.preset) if config.preset in self.presets.presets else catalog.defaults()
        self.preset = config.preset or None
        self.base = dict(base)
        self.edited = set(config.changed_from(base))
        self.texts, self.values, self.errors = {}, {}, {}
        for setting in catalog.SETTINGS:
            self._store(setting, config[setting.key])
        self.resumed_from = path

    def preset_summaries(self) -> list[PresetSummary]:
        from pbxwizard.settings import audit

        factory = catalog.defaults()
        out = []
        for name in self.presets.names():
            preset, values = self.presets.presets[name], self.presets.values(name)
            # settings only: findings about accounts (no passwords set yet) are the same for every preset
            found = [f for f in audit.findings(build(name, values)) if f.key in catalog.BY_KEY]
            out.append(PresetSummary(
                name, preset.description, preset.origin,
                {s: sum(1 for f in found if f.severity == s) for s in catalog.SEVERITIES},
                [(s.title, shown(s.key, values[s.key])) for s in catalog.SETTINGS if values[s.key] != factory[s.key]],
            ))
        return out

    # --- preset and values --------------------------------------------------------------

    def choose_preset(self, name: str) -> None:
        """Switch preset; what the user typed stays, everything else follows the new preset."""
        base = self.presets.values(name)
        if name != self.preset:
            self.dirty = True
        self.preset, self.base = name, dict(base)
        for setting in catalog.SETTINGS:
            if setting.key not in self.edited:
                self._store(setting, base[setting.key])

    def _store(self, setting: catalog.Setting, value: Any) -> None:
        self.texts[setting.key] = setting.kind.to_text(value)
        self.values[setting.key] = value
        self.errors.pop(setting.key, None)

    def set_text(self, key: str, text: str) -> str | None:
        """Take what was typed for ``key``; returns why it is not valid, or None."""
        setting = catalog.get(key)
        if self.texts.get(key) == text and key not in self.errors:
            return None
        self.texts[key] = text
        self.edited.add(key)
        self.dirty = True
        try:
            self.values[key] = setting.kind.from_text(text)
        except InvalidValue as exc:
            self.values.pop(key, None)
            self.errors[key] = str(exc)
            return self.errors[key]
        self.errors.pop(key, None)
        return None

    def parse_entries(self, key: str, text: str) -> tuple[tuple[str, ...], str | None]:
        """Entries typed into a list editor, checked by the list's own kind."""
        kind = catalog.get(key).kind
        try:
            return kind.from_text(text), None
        except InvalidValue as exc:
            return (), str(exc)

    def split_entries(self, key: str) -> list[str]:
        kind = catalog.get(key).kind
        try:
            return list(kind.split(self.texts.get(key, "")))
        except InvalidValue:
            return []

    def entry_shown(self, key: str, entry: str) -> str:
        """A list entry as shown on screen: secrets such as Basic-auth passwords masked."""
        mask = getattr(catalog.get(key).kind, "mask", None)
        return mask(entry) if mask else entry

    def join_entries(self, key: str, entries: list[str]) -> str:
        return catalog.get(key).kind.to_text(tuple(entries))

    def problems(self) -> dict[str, str]:
        """Every reason the current values cannot be written, by key."""
        out = dict(self.errors)
        for key, message in check_rules(self.values):
            out.setdefault(key, message)
        return out

    def section_problems(self, section: str) -> dict[str, str]:
        return {k: m for k, m in self.problems().items() if catalog.get(k).section == section}

    def differs(self, key: str) -> bool:
        if key in self.values:
            return self.values[key] != self.base.get(key)
        return True

    def weakens(self, key: str) -> bool:
        if key not in self.values or key not in self.base:
            return False
        return catalog.get(key).weakens(self.base[key], self.values[key])

    def base_text(self, key: str) -> str:
        return catalog.get(key).kind.to_text(self.base[key]) if key in self.base else ""

    # --- accounts -----------------------------------------------------------------------

    def password_policy(self):
        """The policy of the values as they stand; the preset's where a value is not valid yet."""
        from pbxwizard.passwords.rules import Policy

        return Policy.from_values({**self.base, **self.values} if self.base else catalog.defaults())

    def passwords_required(self) -> bool:
        return bool(self.values.get("services.require_new_passwords", True))

    def stored_accounts(self) -> frozenset[str]:
        """Accounts whose hash the security.toml in the output folder already holds (carried over on write)."""
        from pbxwizard.settings import tomlfile

        path = self.output / CONFIG_NAME
        try:
            return frozenset(tomlfile.load(path).accounts) if path.is_file() else frozenset()
        except (ConfigError, OSError):
            return frozenset()  # an unreadable file carries nothing over (tomlfile.carry_over)

    def password_status(self, name: str, stored: frozenset[str] | None = None) -> PasswordStatus:
        """The verdict on what the account's fields hold, checked as ``passwords.check`` does.

        Reuse of earlier passwords is not checked here: each comparison is a scrypt run, too
        slow for every key press. ``run.execute`` checks it before writing.
        """
        from pbxwizard.passwords import accounts, rules

        account = accounts.BY_NAME[name]
        first, second = self.password_texts.get(name, ("", ""))
        verdict = rules.check(first, self.password_policy(), user=name) if first else None
        stored = self.stored_accounts() if stored is None else stored
        return PasswordStatus(name, account.title, account.role, bool(first or second), verdict,
                              bool(first) and first == second, name in stored, bool(second))

    def set_password_texts(self, name: str, first: str, second: str) -> PasswordStatus:
        """Take what the two fields hold; the password counts only once accepted and confirmed."""
        if self.password_texts.get(name, ("", "")) != (first, second):
            self.dirty = True
        self.password_texts[name] = (first, second)
        status = self.password_status(name)
        if status.accepted:
            self.passwords[name] = first
        else:
            self.passwords.pop(name, None)
        return status

    def generate_password(self, name: str) -> str:
        """A random password that meets the policy, put in both fields; the caller shows it once."""
        from pbxwizard.passwords import generate

        password = generate.password(self.password_policy(), user=name)
        self.set_password_texts(name, password, password)
        return password

    def accounts_waiting(self) -> list[str]:
        """Why the accounts step cannot go on yet: one line per account that holds it up."""
        from pbxwizard.passwords import accounts

        stored, required = self.stored_accounts(), self.passwords_required()
        out = []
        for name in accounts.NAMES:
            why = self.password_status(name, stored).waiting(required)
            if why:
                out.append(why)
        return out

    def password_problems(self, config: Config) -> list[Problem]:
        """New passwords the current policy refuses (it may have changed since they were typed)."""
        from pbxwizard.passwords import accounts, rules

        policy = rules.Policy.from_config(config)
        out = []
        for name, password in self.passwords.items():
            verdict = rules.check(password, policy, user=name)
            if not verdict.accepted:
                out.append(Problem(f"{accounts.TABLE}.{name}", "the new password no longer meets the password "
                                   f"policy ({verdict.failures[0]}); change it in the Accounts step"))
        return out

    def audited_config(self) -> Config:
        """The config as the audit should see it: with the hashes kept from the output folder
        and the new passwords counted as set (they are hashed only when writing)."""
        config = self.config()
        present = {name: "(new password)" for name in (*self.stored_accounts(), *self.passwords)}
        return config.with_accounts(present, {})

    # --- certificates -------------------------------------------------------------------

    def set_make_certificates(self, on: bool) -> None:
        if on != self.extras.certificates:
            self.dirty = True
        self.extras = self.extras._replace(certificates=on)

    def certificate_plan(self) -> CertificatePlan:
        from pbxwizard.certs import generate
        from pbxwizard.certs.authority import Names
        from pbxwizard.certs.layout import Layout

        values = {**self.base, **self.values}
        mode = values["certificates.mode"]
        existing = generate.store_exists(self.output)
        try:
            config = self.config()
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
            self.extras.certificates, Layout.for_output(self.output).root, existing,
            shown("certificates.mode", mode), shown("certificates.key_type", values["certificates.key_type"]),
            names, steps, problems, bool(values["certificates.encrypt_keys"]) and not existing)

    def set_passphrase_texts(self, first: str, second: str) -> str | None:
        """Take the two passphrase fields; returns what is wrong with them, or None."""
        from pbxwizard.certs.keys import check_passphrase

        if (first, second) != self.passphrase_texts:
            self.dirty = True
        self.passphrase_texts = (first, second)
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

    def certificates_waiting(self) -> str | None:
        """Why the certificates step cannot go on yet, or None."""
        plan = self.certificate_plan()
        if not plan.make:
            return None
        if plan.problems:
            return f"To make the store: {plan.problems[0].message}"
        if plan.needs_passphrase and self.passphrase is None:
            return "Keys are to be encrypted: " + (self.set_passphrase_texts(*self.passphrase_texts) or "")
        return None

    def check_existing_store(self):
        """The checks of the store already in the output folder (it is kept when writing)."""
        try:
            config = self.config()
        except ConfigError:
            config = None  # names and levels then come from the checks' own defaults
        return self._check_store(config, self.passphrase)

    def _check_store(self, config: Config | None, passphrase: bytes | None):
        import datetime as dt

        from pbxwizard.certs.checks import check_store

        return check_store(self.output, config, passphrase=passphrase,
                           now=dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc))

    # --- pairing ------------------------------------------------------------------------

    def pairing_plan(self) -> PairingPlan:
        from pbxwizard.settings.durations import describe_seconds

        values = {**self.base, **self.values}
        duration = values["pairing.barcode_duration"]
        seconds = catalog.get("pairing.barcode_duration").kind.seconds(duration)
        missing = tuple(k for k in ("pairing.domain", "pairing.server") if not values.get(k))
        return PairingPlan(values["pairing.domain"], values["pairing.server"], missing, seconds is None,
                           describe_seconds(seconds) if seconds else "without expiry", self.extras.pair)

    def parse_extensions(self, text: str) -> tuple[tuple[str, ...], str | None]:
        """Extensions typed into the pairing list (spaces or commas between them), each checked."""
        from pbxwizard.pairing.tokens import check_extension

        found = tuple(part for part in text.replace(",", " ").split() if part)
        try:
            for ext in found:
                check_extension(ext)
        except InvalidValue as exc:
            return (), str(exc)
        twice = [e for e in found if e in self.extras.pair or found.count(e) > 1]
        if twice:
            return (), f"{twice[0]} is listed already"
        return found, None

    def set_pair(self, extensions: list[str]) -> None:
        if tuple(extensions) != self.extras.pair:
            self.dirty = True
        self.extras = self.extras._replace(pair=tuple(extensions))

    def pairing_waiting(self) -> str | None:
        plan = self.pairing_plan()
        if not plan.extensions:
            return None
        if plan.no_expiry:
            return ("Codes without expiry are made one by one with `pbxwizard pair EXT`; "
                    "remove the extensions here, or give the codes a lifetime in App pairing settings.")
        if plan.missing:
            titles = " and ".join(catalog.get(k).title for k in plan.missing)
            return f"Pairing codes need {titles}: set {'them' if len(plan.missing) > 1 else 'it'} in App pairing settings."
        return None

    def expiry_text(self, token) -> str:
        """A code's expiry as a countdown from the state's clock."""
        from pbxwizard.pairing.tokens import format_time

        if token.expires is None:
            return "no expiry: works until the user's password changes"
        left = int(token.expires - self.clock())
        if left <= 0:
            return f"expired at {format_time(token.expires)}"
        days, rest = divmod(left, 86400)
        hours, rest = divmod(rest, 3600)
        clock = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        return f"expires in {f'{days}d ' if days else ''}{clock} (at {format_time(token.expires)})"

    def save_sheet(self) -> Path:
        """The printable sheet of the codes the last write made."""
        from pbxwizard.pairing import tokens, codefiles

        store = tokens.Store(self.output, now=self.clock)
        return codefiles.write_sheet(store, [(token, "") for token, _ in self.made.codes],
                                         domain=self.pairing_plan().domain)

    # --- the result ---------------------------------------------------------------------

    def config(self) -> Config:
        """The checked Config, or ConfigError with every problem."""
        if not self.preset:
            raise ConfigError([Problem("preset", "no preset chosen")])
        if self.errors:
            raise ConfigError([Problem(k, m) for k, m in self.errors.items()])
        overrides = {k: self.values[k] for k in self.edited}
        return build(self.preset, self.base, overrides)

    def changes(self) -> list[Change]:
        config = self.config()
        return [Change(k, self.base[k], config[k], catalog.get(k).weakens(self.base[k], config[k]))
                for k in config.changed_from(self.base)]

    def report(self):
        from pbxwizard.settings import audit

        store = self.presets
        return audit.audit(self.audited_config(), {n: store.values(n) for n in store.names()})

    def plan(self):
        """The run the write step would carry out, from the same core call as ``pbxwizard apply``."""
        from pbxwizard.run.plan import make_plan
        from pbxwizard.run.request import Resolved

        return make_plan(Resolved(self.config(), dict(self.base), extras=self.extras), self.output,
                         new_passwords=tuple(self.passwords), passphrase=self.passphrase)

    def problems_before_writing(self) -> list[Problem]:
        """What would stop the write once the values are valid (e.g. pairing without a domain)."""
        return self.password_problems(self.config()) + list(self.plan().problems)

    def write(self, plan, *, progress=None, on_step=None):
        """Carry ``plan`` out with the secrets only the state holds; returns the run's Outcome.

        ``progress`` and ``on_step`` are called from the worker thread while it writes.
        """
        from pbxwizard.run.execute import Secrets, execute

        self.made = self.cert_report = None  # what an earlier write made is not this one's
        outcome = execute(plan, Secrets(self.passwords, self.passphrase), progress=progress, on_step=on_step,
                          now=self.clock)
        self.made = outcome.made
        if plan.extras.certificates:
            self.cert_report = self._check_store(outcome.config, self.passphrase)
        return outcome

    def answers_text(self) -> str:
        from pbxwizard.run.answers import render_answers

        return render_answers(self.config(), self.base, self.extras)

    def mark_written(self, outcome) -> None:
        """Remember what the write made, and forget the secrets it needed."""
        self.written = list(outcome.written)
        self.write_notes = outcome.notes + outcome.lines
        self.replay_options = (["--passwords FILE"] if self.passwords else []) + (
            ["--passphrase-env NAME"] if self.passphrase else [])
        self.passwords.clear()  # hashed into security.toml now; keep no clear text longer than needed
        self.password_texts.clear()
        self.passphrase, self.passphrase_texts = None, ("", "")
        self.dirty = False


def new_state(output: Path, presets: PresetSet | None = None) -> WizardState:
    return WizardState(Path(output).expanduser().absolute(), presets)
