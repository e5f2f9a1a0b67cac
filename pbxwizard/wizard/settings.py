"""The preset step and the settings steps: the chosen preset and what was typed for each setting.

Every field keeps its text as typed; the catalog's kind parses it, ``check_rules`` finds
contradictions between settings and ``config.build`` makes the Config ``apply`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TYPE_CHECKING

from pbxwizard.errors import ConfigError, InvalidValue, Problem
from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config, build, check_rules
from pbxwizard.wizard.shared import Shared
from pbxwizard.wizard.views import Change, PresetSummary, shown

if TYPE_CHECKING:
    from pbxwizard.settings.presets import PresetSet


@dataclass
class SettingsStep:
    shared: Shared = field(repr=False)
    preset: str | None = None
    base: dict[str, Any] = field(default_factory=dict)  # the chosen preset's values
    texts: dict[str, str] = field(default_factory=dict)  # what each field shows
    values: dict[str, Any] = field(default_factory=dict)  # parsed, only where the text is valid
    errors: dict[str, str] = field(default_factory=dict)  # key -> why its text is not valid
    edited: set[str] = field(default_factory=set)  # keys the user set, kept across preset changes

    @property
    def presets(self) -> PresetSet:
        return self.shared.presets

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

    def choose_preset(self, name: str) -> None:
        """Switch preset; what the user typed stays, everything else follows the new preset."""
        base = self.presets.values(name)
        if name != self.preset:
            self.shared.dirty = True
        self.preset, self.base = name, dict(base)
        for setting in catalog.SETTINGS:
            if setting.key not in self.edited:
                self._store(setting, base[setting.key])

    def load(self, config: Config) -> None:
        """Take every value of a config read from disk; what differs from its preset counts as edited."""
        base = self.presets.values(config.preset) if config.preset in self.presets.presets else catalog.defaults()
        self.preset = config.preset or None
        self.base = dict(base)
        self.edited = set(config.changed_from(base))
        self.texts, self.values, self.errors = {}, {}, {}
        for setting in catalog.SETTINGS:
            self._store(setting, config[setting.key])

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
        self.shared.dirty = True
        try:
            self.values[key] = setting.kind.from_text(text)
        except InvalidValue as exc:
            self.values.pop(key, None)
            self.errors[key] = str(exc)
            return self.errors[key]
        self.errors.pop(key, None)
        return None

    # --- list editors -------------------------------------------------------------------

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

    # --- what the values mean -----------------------------------------------------------

    def current(self) -> dict[str, Any]:
        """The values as they stand, the preset's where a typed text is not valid (yet)."""
        return {**self.base, **self.values}

    def problems(self) -> dict[str, str]:
        """Every reason the current values cannot be written, by key."""
        out = dict(self.errors)
        for key, message in check_rules(self.values):
            out.setdefault(key, message)
        return out

    def notices(self) -> dict[str, str]:
        """What other parts of the setup the current values call for, by key (never blocking)."""
        values, out = self.current(), {}
        for rule in catalog.CHECK_RULES:
            for key in rule.applies_to(values):
                out.setdefault(key, rule.notice)
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
