"""From a preset name, an answers file and ``KEY=VALUE`` overrides to a checked Config.

This is the first step both faces take: ``pbxwizard apply`` calls ``resolve`` with what the
command line gave; the wizard builds the same ``Resolved`` from what its steps collected.
Both hand it to ``run.plan.make_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pbxwizard.errors import ConfigError, Problem
from pbxwizard.run.extras import Extras, check_extensions, from_meta, left_out_keys
from pbxwizard.settings import tomlfile
from pbxwizard.settings.config import SET_FILE, Config, build, parse_assignments
from pbxwizard.settings.presets import PresetSet


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Resolved:
    config: Config
    base: dict[str, Any]  # the preset's values, for diffs and "changed" marks
    warnings: list[Problem] = field(default_factory=list)
    extras: Extras = field(default_factory=Extras)  # certificate store and pairing codes to make


def resolve(presets: PresetSet, *, preset: str | None = None, answers: Path | None = None,
            assignments: Iterable[str] = (), certificates: bool = False, pair: Iterable[str] = (),
            files: Iterable[tuple[str, str, str]] = ()) -> Resolved:
    """Every problem in the inputs is collected before raising, so one run shows them all.

    ``files`` are ``--set-file`` values as (key, text, where it was read): the one way a
    value carrying a credential comes in, since ``--set`` refuses it.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    from_file: dict[str, Any] = {}
    file_preset = None
    extras = Extras()
    left_out: list[str] = []
    if answers is not None:
        try:
            loaded = tomlfile.load(Path(answers))
            from_file, file_preset, warnings = loaded.values, loaded.preset, loaded.warnings
            extras = from_meta(loaded.meta, str(answers))
            left_out = left_out_keys(loaded.meta, str(answers))
            if loaded.accounts or loaded.history:
                warnings.append(Problem("accounts", "password hashes in an answers file are not used; "
                                        "set passwords with --passwords FILE", str(answers)))
        except ConfigError as exc:
            problems += exc.problems
            warnings += exc.warnings
    overrides, bad = parse_assignments(assignments)
    problems += bad
    for key, text, source in files:
        found, bad = parse_assignments([f"{key}={text}"], source=source, secrets_ok=True)
        overrides.update(found)
        problems += bad
    problems += [Problem(key, "the answers file leaves this value out because it holds a credential; give it "
                         "with " + SET_FILE.format(key=key), str(answers)) for key in left_out if key not in overrides]
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
        raise ConfigError(problems, warnings)
    try:
        config = build(name, base, from_file, overrides)
    except ConfigError as exc:
        where = {k: "--set" for k in overrides}
        raise ConfigError([Problem(p.key, p.message, where.get(p.key, str(answers or "")), p.line)
                           for p in exc.problems], warnings) from None
    return Resolved(config, base, warnings, extras)
