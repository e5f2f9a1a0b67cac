"""Presets: the built-in minimum / medium / maximum files and the user's own.

Built-ins ship inside the package (``pbxwizard.preset_files``, mapped from the top-level
``presets/`` folder), so they are found from a wheel and from an editable install alike.
User presets live in ``<user config dir>/presets/*.toml``; a broken one is reported and
skipped so one bad file never stops the wizard.
"""

from __future__ import annotations

import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pbxwizard.settings import catalog
from pbxwizard.settings.config import parse_document
from pbxwizard.errors import ConfigError, Problem

BUILTIN = ("minimum", "medium", "maximum")


@dataclass(frozen=True, eq=False, repr=False)  # none is compared or printed (see Resolved)
class Preset:
    """One preset file as read: only the values it sets itself, so ``extends`` can layer it on its parent."""

    name: str
    description: str
    origin: str  # "built-in" or the user file's path
    extends: str | None = None
    own: dict[str, Any] = field(default_factory=dict)  # values this file sets itself


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class PresetSet:
    """The built-in and user presets found, and what was wrong with any that were skipped."""

    presets: MutableMapping[str, Preset]
    problems: list[Problem]

    def names(self) -> list[str]:
        return list(self.presets)

    def values(self, name: str) -> dict[str, Any]:
        """Every catalog value of a preset: defaults, then its ``extends`` chain, then itself."""
        if name not in self.presets:
            known = ", ".join(self.presets)
            raise ConfigError([Problem("preset", f"unknown preset {name!r}; known presets: {known}")])
        chain: list[Preset] = []
        current: str | None = name
        while current is not None:
            if current not in self.presets:
                raise ConfigError([Problem("preset", f"preset {chain[-1].name!r} extends unknown preset {current!r}")])
            if any(p.name == current for p in chain):
                raise ConfigError([Problem("preset", f"preset {name!r} extends itself through {current!r}")])
            chain.append(self.presets[current])
            current = self.presets[current].extends
        merged = catalog.defaults()
        for preset in reversed(chain):
            merged.update(preset.own)
        return merged

    def get(self, name: str) -> Preset:
        self.values(name)  # raises a clear error for unknown or cyclic names
        return self.presets[name]


def parse_preset(text: str, name: str, origin: str) -> Preset:
    """One preset file; raises ConfigError listing its problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem("(toml)", str(exc), origin)]) from None
    head = data.pop("preset", {})
    problems: list[Problem] = []
    if not isinstance(head, dict):
        problems.append(Problem("preset", "must be a table with description and extends", origin))
        head = {}
    description = head.get("description", "")
    extends = head.get("extends")
    if not isinstance(description, str):
        problems.append(Problem("preset.description", "must be text", origin))
        description = ""
    if extends is not None and not isinstance(extends, str):
        problems.append(Problem("preset.extends", "must be a preset name", origin))
        extends = None
    parsed = parse_document(data, file=origin, text=text)
    problems += parsed.problems + parsed.warnings  # a preset has no use for unknown keys
    if parsed.accounts or parsed.history:
        problems.append(Problem("accounts", "a preset holds settings only, never password hashes", origin))
    if problems:
        raise ConfigError(problems)
    return Preset(str(head.get("name", name)), description.strip(), origin, extends, parsed.values)


class _Found(MutableMapping):
    """Presets by name, in the order found. A built-in is parsed when first asked for: a run
    uses one preset, and parsing all three took a headless apply a millisecond or more."""

    def __init__(self, builtin_texts: dict[str, str]):
        self._items: dict[str, Preset | str] = dict(builtin_texts)  # a str is a built-in not yet parsed

    def __getitem__(self, name: str) -> Preset:
        item = self._items[name]
        if isinstance(item, str):
            item = self._items[name] = parse_preset(item, name, "built-in")  # a broken built-in is a bug: let it raise
        return item

    def __setitem__(self, name: str, preset: Preset) -> None:
        self._items[name] = preset

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items


def builtin_folder() -> Any:
    """The installed ``pbxwizard.preset_files`` package, or ``presets/`` beside a source checkout.

    Run from a checkout, ``import pbxwizard`` finds the source folder before any installed
    mapping, and there the presets sit one level up.
    """
    from importlib import resources

    try:
        return resources.files("pbxwizard.preset_files")
    except (ModuleNotFoundError, TypeError):
        return Path(__file__).resolve().parent.parent / "presets"


def builtin_texts() -> dict[str, str]:
    folder = builtin_folder()
    return {name: (folder / f"{name}.toml").read_text(encoding="utf-8") for name in BUILTIN}


def user_preset_dir() -> Path:
    from pbxwizard.paths import config_dir

    return config_dir() / "presets"


def load(user_dir: Path | None = None, *, include_user: bool = True) -> PresetSet:
    """Built-in presets, then user presets; a user preset may not replace a built-in one."""
    presets = _Found(builtin_texts())
    problems: list[Problem] = []
    folder = user_preset_dir() if user_dir is None else user_dir
    try:
        files = sorted(folder.glob("*.toml")) if include_user and folder.is_dir() else []
    except OSError as exc:
        problems.append(Problem("presets", f"cannot list {folder}: {exc.strerror}"))
        files = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            preset = parse_preset(text, path.stem, str(path))
        except ConfigError as exc:
            problems += exc.problems
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem("preset", f"cannot read: {exc}", str(path)))
            continue
        if preset.name in presets:
            problems.append(Problem("preset", f"{preset.name!r} is already a preset; rename the file", str(path)))
            continue
        presets[preset.name] = preset
    result = PresetSet(presets, problems)
    for name in list(presets):
        if name in BUILTIN:  # no user preset takes a built-in's name (checked above)
            continue
        try:
            result.values(name)
        except ConfigError as exc:
            problems += [Problem(p.key, p.message, presets[name].origin) for p in exc.problems]
            del presets[name]
    return result
