"""From a preset name, an answers file and ``KEY=VALUE`` overrides to a checked Config.

This is the one path both faces take: ``pbxwizard apply`` calls it with what the command
line gave, the wizard with what the screens collected, and both then call ``write``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from pbxwizard.settings import catalog, tomlfile
from pbxwizard.settings.config import Config, build, parse_assignments
from pbxwizard.errors import ConfigError, Problem
from pbxwizard.run.extras import Extras, check_extensions, from_meta
from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME
from pbxwizard.settings.presets import PresetSet


@dataclass
class Resolved:
    config: Config
    base: dict[str, Any]  # the preset's values, for diffs and "changed" marks
    warnings: list[Problem] = field(default_factory=list)
    extras: Extras = field(default_factory=Extras)  # certificate store and pairing codes to make


def resolve(presets: PresetSet, *, preset: str | None = None, answers: Path | None = None,
            assignments: Iterable[str] = (), certificates: bool = False, pair: Iterable[str] = ()) -> Resolved:
    """Every problem in the inputs is collected before raising, so one run shows them all."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    from_file: dict[str, Any] = {}
    file_preset = None
    extras = Extras()
    if answers is not None:
        try:
            loaded = tomlfile.load(Path(answers))
            from_file, file_preset, warnings = loaded.values, loaded.preset, loaded.warnings
            extras = from_meta(loaded.meta, str(answers))
            if loaded.accounts or loaded.history:
                warnings.append(Problem("accounts", "password hashes in an answers file are not used; "
                                        "set passwords with --passwords FILE", str(answers)))
        except ConfigError as exc:
            problems += exc.problems
    overrides, bad = parse_assignments(assignments)
    problems += bad
    pair = [e for e in pair if e not in extras.pair]
    problems += check_extensions(pair, "--pair")
    extras = Extras(extras.certificates or certificates, extras.pair + tuple(pair))
    name = preset or file_preset
    base: dict[str, Any] = {}
    if not name:
        problems.append(Problem("preset", "no preset given: use --preset NAME or set preset in the answers file's [pbxwizard] table"))
    else:
        try:
            base = presets.values(name)
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    try:
        config = build(name, base, from_file, overrides)
    except ConfigError as exc:
        where = {k: "--set" for k in overrides}
        raise ConfigError([Problem(p.key, p.message, where.get(p.key, str(answers or "")), p.line) for p in exc.problems]) from None
    return Resolved(config, base, warnings, extras)


def write(resolved: Resolved, output: Path, *, passwords: Mapping[str, str] | None = None,
          source: str = "", lines: Mapping[str, int] | None = None) -> tuple[Path, list[str]]:
    """Write ``security.toml`` into ``output``; returns its path and notes for the user.

    Hashes already stored in that file are carried over; ``passwords`` (account -> new
    password) are checked against the config's policy and hashed in. A refused password
    raises ConfigError before anything is written. ``resolved.config`` becomes what was saved.
    """
    from pbxwizard.passwords import accounts

    path = Path(output) / CONFIG_NAME
    config = accounts.carry_over(resolved.config, path)
    if passwords:
        config = accounts.set_passwords(config, passwords, source=source, lines=lines)
    resolved.config = config
    notes = tomlfile.save(path, config, resolved.base)
    return path, notes


def render_answers(config: Config, base: dict[str, Any], extras: Extras = Extras()) -> str:
    """An answers file that reproduces a run: the preset, the keys changed from it and what
    else to make. Passwords and passphrases are never in it; they are given at replay."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("Replay with: pbxwizard apply --answers THIS_FILE --output DIR"))
    doc.add(tomlkit.comment("(add --passwords FILE for the account passwords, and --passphrase-env NAME"))
    doc.add(tomlkit.comment(" when certificate keys are encrypted; neither is stored here)"))
    meta = tomlkit.table()
    meta.add("preset", config.preset)
    for key, value in extras.to_meta().items():
        meta.add(key, value)
    doc.add("pbxwizard", meta)
    changed = set(config.changed_from(base))
    for section in catalog.SECTIONS:
        keys = [s for s in catalog.in_section(section.name) if s.key in changed]
        if not keys:
            continue
        table = tomlkit.table()
        for setting in keys:
            table.add(setting.name, setting.kind.to_toml(config[setting.key]))
        doc.add(section.name, table)
    return tomlkit.dumps(doc)


def write_answers(config: Config, base: dict[str, Any], output: Path, extras: Extras = Extras()) -> Path:
    from pbxwizard.atomic import write_private

    path = Path(output) / ANSWERS_NAME
    write_private(path, render_answers(config, base, extras).encode("utf-8"))
    return path
