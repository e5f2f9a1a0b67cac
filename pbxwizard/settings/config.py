"""The ``Config`` value and the checks that turn raw TOML data into one.

Data flows one way: catalog defaults and a preset give the base values, overrides from an
answers file, ``--set`` or the screens are checked here, and only a valid ``Config`` reaches
the audit and the writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from pbxwizard.settings import catalog
from pbxwizard.passwords.accounts import HISTORY_TABLE, TABLE as ACCOUNTS_TABLE, parse_tables
from pbxwizard.errors import ConfigError, InvalidValue, Problem

META = "pbxwizard"  # the table that records where a config came from


@dataclass(frozen=True)
class Config:
    """A complete, valid set of catalog values and the preset they started from."""

    preset: str
    values: Mapping[str, Any]
    # Stored password hashes (see pbxwizard.accounts), never part of the catalog or an answers file.
    accounts: Mapping[str, str] = field(default_factory=dict)
    account_history: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "accounts", MappingProxyType(dict(self.accounts)))
        object.__setattr__(self, "account_history", MappingProxyType(dict(self.account_history)))

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def changed_from(self, base: Mapping[str, Any]) -> list[str]:
        """Catalog keys whose value differs from ``base``, in catalog order."""
        return [s.key for s in catalog.SETTINGS if self.values[s.key] != base.get(s.key)]

    def replace(self, preset: str | None = None, **values: Any) -> "Config":
        merged = dict(self.values)
        merged.update(values)
        return Config(preset or self.preset, merged, self.accounts, self.account_history)

    def with_accounts(self, accounts: Mapping[str, str],
                      history: Mapping[str, tuple[str, ...]] | None = None) -> "Config":
        return Config(self.preset, self.values, accounts,
                      self.account_history if history is None else history)


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Parsed:
    """Values from a TOML mapping, sorted into what was accepted and what was not."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    history: dict[str, tuple[str, ...]] = field(default_factory=dict)


def parse_document(data: Mapping[str, Any], *, file: str = "", text: str = "") -> Parsed:
    """Check every value of a TOML document (sections of catalog keys plus the meta table).

    ``text`` is the document's source, used only to point at line numbers.
    """
    out = Parsed()
    lines = LineFinder(text)

    def problem(key: str, message: str, *, warn: bool = False) -> None:
        target = out.warnings if warn else out.problems
        target.append(Problem(key, message, file, lines.find(key)))

    out.accounts, out.history = parse_tables(data, problem)
    for section, body in data.items():
        if section in (ACCOUNTS_TABLE, HISTORY_TABLE):
            continue
        if section == META:
            if isinstance(body, Mapping):
                out.meta = dict(body)
            else:
                problem(META, "must be a table with the preset name")
            continue
        if not isinstance(body, Mapping):
            problem(section, f"unknown top-level key {section!r}; it is kept but not used", warn=True)
            continue
        if not any(s.name == section for s in catalog.SECTIONS):
            problem(section, f"unknown section [{section}]; it is kept but not used", warn=True)
            continue
        for name, raw in body.items():
            key = f"{section}.{name}"
            setting = catalog.BY_KEY.get(key)
            if setting is None:
                hint = catalog.suggest(key)
                extra = f" (did you mean {', '.join(hint)}?)" if hint else ""
                problem(key, f"unknown key; it is kept but not used{extra}", warn=True)
                continue
            try:
                out.values[key] = setting.kind.from_toml(raw)
            except InvalidValue as exc:
                problem(key, str(exc))
    preset = out.meta.get("preset")
    if preset is not None and not isinstance(preset, str):
        problem(f"{META}.preset", f"expected a preset name, got {preset!r}")
    return out


def check_rules(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Contradictions between settings, as (key, message) pairs."""
    broken = []
    for rule in catalog.RULES:
        if all(k in values for k in rule.keys) and not rule.holds(*(values[k] for k in rule.keys)):
            shown = ", ".join(f"{k} = {values[k]!r}" for k in rule.keys)
            broken.append((rule.keys[0], f"{rule.message} ({shown})"))
    return broken


def build(preset: str, base: Mapping[str, Any], *layers: Mapping[str, Any],
          accounts: Mapping[str, str] | None = None,
          history: Mapping[str, tuple[str, ...]] | None = None) -> Config:
    """A Config from base values and override layers, or ConfigError listing every problem."""
    merged = dict(base)
    for layer in layers:
        merged.update(layer)
    missing = [s.key for s in catalog.SETTINGS if s.key not in merged]
    problems = [Problem(k, "no value (the preset does not set it)") for k in missing]
    problems += [Problem(k, m) for k, m in check_rules(merged)]
    if problems:
        raise ConfigError(problems)
    return Config(preset, {s.key: merged[s.key] for s in catalog.SETTINGS}, accounts or {}, history or {})


SET_FILE = "--set-file {key}=FILE (FILE holds the value; - reads standard input)"


def parse_assignments(pairs: Iterable[str], *, source: str = "--set",
                      secrets_ok: bool = False) -> tuple[dict[str, Any], list[Problem]]:
    """``KEY=VALUE`` strings from ``--set``, parsed the way a person types them.

    A value that carries a credential (an API list's ``user:password``) is refused unless
    ``secrets_ok`` (it came from a file or standard input): on the command line the process
    list and the shell history would keep it.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for pair in pairs:
        key, eq, text = pair.partition("=")
        key = key.strip()
        if not eq:
            problems.append(Problem(key or pair, f"{pair!r} is not KEY=VALUE", source))
            continue
        setting = catalog.BY_KEY.get(key)
        if setting is None:
            hint = catalog.suggest(key)
            extra = f"; did you mean {', '.join(hint)}?" if hint else ""
            problems.append(Problem(key, f"unknown setting{extra}", source))
            continue
        try:
            value = setting.kind.from_text(text)
        except InvalidValue as exc:
            problems.append(Problem(key, str(exc), source))
            continue
        if setting.kind.holds_secret(value) and not secrets_ok:
            problems.append(Problem(key, f"holds a credential ({setting.kind.display(value)}), which the process "
                                         "list and the shell history would keep; give the value with "
                                         + SET_FILE.format(key=key), source))
            continue
        values[key] = value
    return values, problems


class LineFinder:
    """Finds the line of ``section.key`` in TOML source, for messages like ``file:12: key``.

    tomllib gives no positions, so this scans headers and ``key =`` lines; good enough for
    the flat layout pbxwizard writes and for hand-edited files of the same shape.
    """

    def __init__(self, text: str):
        self._index: dict[str, int] | None = None
        self._text = text

    def _build(self) -> dict[str, int]:
        index: dict[str, int] = {}
        table = ""
        for number, raw in enumerate(self._text.splitlines(), 1):
            line = raw.strip()
            if line.startswith("["):
                table = line.strip("[]").split("]")[0].strip().replace('"', "").replace(" ", "")
                index.setdefault(table, number)
                continue
            name, eq, _ = line.partition("=")
            if eq and not line.startswith("#"):
                name = name.strip().strip('"').replace(" ", "")
                index.setdefault(f"{table}.{name}" if table else name, number)
        return index

    def find(self, key: str) -> int | None:
        if not self._text:
            return None
        if self._index is None:
            self._index = self._build()
        return self._index.get(key) or self._index.get(key.partition(".")[0])
