"""What the wizard has collected so far, kept free of Textual so it can be tested alone.

The screens only read and change one ``WizardState``. Every decision is a call into the
core: the catalog's kinds parse what was typed, ``config.build`` and ``check_rules`` find
contradictions, ``audit`` grades the result and ``answers`` writes it, the same calls
``pbxwizard apply`` makes, so the wizard's files are the ones ``apply`` would write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, TYPE_CHECKING

from pbxwizard import catalog
from pbxwizard.config import Config, build, check_rules
from pbxwizard.errors import ConfigError, InvalidValue, Problem
from pbxwizard.extras import Extras
from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME

if TYPE_CHECKING:
    from pbxwizard.presets import PresetSet


def tilde(path: Path | str) -> str:
    """A path as a person reads it: the home folder shortened to ~ (shells expand it back)."""
    text, home = str(path), str(Path.home())
    if home not in ("", "/") and (text == home or text.startswith(home + "/")):
        return "~" + text[len(home):]
    return text


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


class PlannedFile(NamedTuple):
    path: Path
    what: str
    exists: bool


class PresetSummary(NamedTuple):
    """What a preset is and does, so presets can be compared side by side."""

    name: str
    description: str
    origin: str
    findings: dict[str, int]  # audit findings per severity
    changes: list[tuple[str, str]]  # (setting title, shown value) where it leaves the factory defaults


def shown(key: str, value: Any) -> str:
    """A value as a person reads it: choice labels, on/off, units, secrets masked."""
    from pbxwizard.kinds import BoolKind, ChoiceKind

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


class WriteTask(NamedTuple):
    """One file (or set of files) the write step produces; ``run`` returns notes for the user."""

    label: str
    path: Path
    run: Callable[[], list[str]]


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
    dirty: bool = False  # something was chosen or typed since the last write
    written: list[Path] = field(default_factory=list)
    write_notes: list[str] = field(default_factory=list)
    _loaded_folder: Path | None = None

    @property
    def presets(self) -> PresetSet:
        if self.loaded_presets is None:
            from pbxwizard import presets as preset_store

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
        from pbxwizard import configfile

        try:
            config, warnings = configfile.load_config(path, self.presets.values)
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
        from pbxwizard import audit

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
        from pbxwizard import audit

        store = self.presets
        return audit.audit(self.config(), {n: store.values(n) for n in store.names()})

    def problems_before_writing(self) -> list[Problem]:
        """What would stop the write once the values are valid (e.g. pairing without a domain)."""
        from pbxwizard import extras

        return extras.problems_before_writing(self.config(), self.extras, self.output, self.passphrase)

    def write_tasks(self) -> list[WriteTask]:
        """What the write step does, in the order ``pbxwizard apply`` does it.

        security.toml first (with the new passwords hashed in), then the certificate store
        and pairing codes the extras ask for, then the answers file that replays the run.
        """
        from pbxwizard import answers, extras

        config, base, out, wanted = self.config(), dict(self.base), self.output, self.extras
        resolved = answers.Resolved(config, base, extras=wanted)
        tasks = [WriteTask("settings", out / CONFIG_NAME,
                           lambda: answers.write(resolved, out, passwords=self.passwords)[1])]
        if wanted.certificates or wanted.pair:
            tasks.append(WriteTask("certificates and pairing codes", out, lambda: extras.make(
                resolved.config, wanted, out, passphrase=self.passphrase).lines))
        tasks.append(WriteTask("answers file", out / ANSWERS_NAME,
                               lambda: (answers.write_answers(config, base, out, wanted), [])[1]))
        return tasks

    def planned_files(self) -> list[PlannedFile]:
        out = []
        for task in self.write_tasks():
            exists = task.path.is_file()
            what = f"{task.label}; the current one is kept as {task.path.name}.bak" if exists else task.label
            out.append(PlannedFile(task.path, what, exists))
        return out

    def answers_text(self) -> str:
        from pbxwizard.answers import render_answers

        return render_answers(self.config(), self.base, self.extras)

    def mark_written(self, paths: list[Path], notes: list[str] = ()) -> None:
        self.written = list(paths)
        self.write_notes = list(notes)
        self.passwords.clear()  # hashed into security.toml now; keep no clear text longer than needed
        self.passphrase = None
        self.dirty = False


def new_state(output: Path, presets: PresetSet | None = None) -> WizardState:
    return WizardState(Path(output).expanduser().absolute(), presets)
