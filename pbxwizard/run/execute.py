"""Carrying a plan out: the one place where a run writes its files.

The order is the plan's: ``security.toml`` first (new passwords hashed in), then the
certificate store and pairing codes, then the answers file that replays the run. Every
write is atomic, so a failure at any point leaves each file whole, old or new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from pbxwizard.errors import ConfigError
from pbxwizard.run.plan import KEEP, REPLACE, Plan
from pbxwizard.settings.config import Config

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what happens next) of slow work
StepEvent = Callable[[int, str], None]  # (index of the plan's step, "start" or "done")


class Secrets:
    """What a run needs but a plan never holds; kept out of reprs and logs."""

    def __init__(self, passwords: Mapping[str, str] | None = None, passphrase: bytes | None = None, *,
                 source: str = "", lines: Mapping[str, int] | None = None):
        self.passwords = dict(passwords or {})
        self.passphrase = passphrase
        self.source = source  # where the passwords came from, for messages
        self.lines = dict(lines or {})

    def __repr__(self) -> str:
        return f"Secrets({len(self.passwords)} passwords, passphrase {'given' if self.passphrase else 'none'})"


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Outcome:
    config: Config  # as saved, with the new hashes
    written: list[Path] = field(default_factory=list)  # every file written, in order
    notes: list[str] = field(default_factory=list)  # for the user: folders tightened, files replaced
    lines: list[str] = field(default_factory=list)  # what the store and codes step did, in words
    made: object = None  # extras.Made: the pairing codes to show
    plan: Plan | None = None  # the plan carried out: the one given, or the one made again (``replan``)


def execute(plan: Plan, secrets: Secrets | None = None, *, progress: Progress | None = None,
            on_step: StepEvent | None = None, now: Callable[[], float] | None = None,
            replan: Callable[[], Plan] | None = None) -> Outcome:
    """Write what ``plan`` says; ConfigError, before anything is written, when it cannot.

    ``now`` (Unix seconds) is the one clock for certificate dates and code expiry. The
    output folder's lock is held throughout, so runs into one folder take turns. When the
    files the plan read changed before the lock was had, ``replan`` (the same inputs planned
    again) is carried out instead if given (``apply``); otherwise the run is refused.
    """
    from pbxwizard import folderlock
    from pbxwizard.passwords import accounts

    secrets = secrets or Secrets()
    if plan.problems:
        raise ConfigError(list(plan.problems))
    if set(secrets.passwords) != set(plan.new_passwords):
        raise ValueError("the passwords given are not the ones the plan was made for")
    config = plan.config
    if secrets.passwords:  # checked in full (earlier passwords too) before the first write
        config = accounts.set_passwords(config, secrets.passwords, source=secrets.source, lines=secrets.lines)
    from pbxwizard import trust

    notes = trust.own_folder(plan.output)  # made or tightened here, after the checks, and said so
    with folderlock.hold(plan.output, "writing a run's files (apply or the wizard)"):
        again = _check_basis(plan, replan)
        if again is not plan:
            notes.append(f"another run changed {plan.output} while this one planned; planned again under its lock")
            plan, config = again, again.config
            if secrets.passwords:
                config = accounts.set_passwords(config, secrets.passwords, source=secrets.source, lines=secrets.lines)
        outcome = _execute(plan, secrets, config, progress=progress, on_step=on_step, now=now)
    outcome.notes[:0] = notes
    outcome.plan = plan
    return outcome


def _check_basis(plan: Plan, replan: Callable[[], Plan] | None) -> Plan:
    """Under the lock: the plan to carry out. The given one while the files it read are as it
    read them; else the one ``replan`` makes, if it needs the same passwords; else refused."""
    from pbxwizard.errors import Problem
    from pbxwizard.run import basis

    moved = basis.changed(plan.output, plan.basis)
    if not moved:
        return plan
    if replan is not None:
        again = replan()
        if again.problems:
            raise ConfigError(list(again.problems))
        if set(again.new_passwords) == set(plan.new_passwords):
            return again
    raise ConfigError([Problem("(folder)", f"the folder changed since the plan was made ({', '.join(moved)}); "
                               "run again", str(plan.output))])


def _execute(plan: Plan, secrets: Secrets, config: Config, *, progress: Progress | None,
             on_step: StepEvent | None, now: Callable[[], float] | None) -> Outcome:
    from pbxwizard.atomic import write_private
    from pbxwizard.run import extras
    from pbxwizard.settings import tomlfile

    outcome = Outcome(config)
    for index, step in enumerate(plan.steps):
        if on_step:
            on_step(index, "start")
        role = step.files[0].role
        if role in ("settings", "answers") and step.files[0].action == KEEP:
            pass  # unchanged: not written, no new .bak
        elif role == "settings":
            planned = None if secrets.passwords else tomlfile.Planned(
                plan.settings_text, None, step.files[0].action == REPLACE)  # no new hash: the text is final
            outcome.notes += tomlfile.save(step.path, config, plan.base, planned)
            outcome.written.append(step.path)
        elif role == "answers":
            write_private(step.path, plan.answers_text.encode("utf-8"))
            outcome.written.append(step.path)
        else:
            made = extras.make(config, plan.extras, plan.output, passphrase=secrets.passphrase,
                               progress=progress, now=now, keep=plan.keep_codes)
            outcome.made, outcome.lines = made, made.lines
            outcome.written += made.paths
        if on_step:
            on_step(index, "done")
    return outcome
