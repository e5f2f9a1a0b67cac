"""A run worked out before anything is written: every file it would write, replace or keep.

``make_plan`` is the one place that decides what a run does; ``execute`` carries a plan out.
``pbxwizard apply`` calls both at once, the wizard's review shows a plan and its write step
executes one, so every face writes the same files for the same inputs. A plan never holds a
secret: passwords and the key passphrase are handed to ``execute`` separately.

A run is idempotent: a file whose content would not change is kept (not written, no new
``.bak``), a password that verifies against its stored hash keeps that hash, and an
existing certificate store and pairing codes that are still valid stay, so the same inputs
twice write nothing the second time (``Plan.changed`` is False).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple

from pbxwizard.errors import ConfigError, Problem
from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME
from pbxwizard.run.extras import Extras, problems_before_writing
from pbxwizard.run.request import Resolved
from pbxwizard.settings import catalog, tomlfile
from pbxwizard.settings.config import Config

CREATE, UPDATE, REPLACE, KEEP = "create", "update", "replace", "keep"
NEW_HASH = "(new hash, made when writing)"  # stands for a hash in the planned text and its diff


class FileChange(NamedTuple):
    path: Path
    role: str  # settings, answers, certificate store, pairing key, pairing code
    action: str  # create, update, replace or keep (left as it is, not written)
    what: str  # one line for people: the review shows it under the path
    diff: str | None = None  # unified diff of a text file (settings, answers)
    folder: bool = False  # the entry stands for a whole folder made in one piece (the store)
    listed: bool = True  # False: told together with the entry before it (an .svg with its .png)

    @property
    def exists(self) -> bool:
        return self.action != CREATE

    @property
    def backup(self) -> Path | None:
        """The ``.bak`` the atomic writer leaves when it updates a text file."""
        if self.role in ("settings", "answers", "revocation list", "pairing sheet") and self.action in (UPDATE, REPLACE):
            return self.path.with_name(self.path.name + ".bak")
        return None


class Step(NamedTuple):
    """A part of the run that is reported as one line while writing."""

    label: str
    path: Path
    files: tuple[FileChange, ...]


@dataclass(frozen=True, eq=False, repr=False)  # none is compared or printed (see Resolved)
class Plan:
    """Everything a run will write, decided before anything is written, so it can be shown,
    checked and then carried out unchanged."""

    output: Path
    config: Config  # the settings, with the hashes already stored in the folder carried over
    base: Mapping[str, Any]  # the preset's values
    extras: Extras
    new_passwords: tuple[str, ...]  # accounts that get a new password (names only)
    steps: tuple[Step, ...]
    settings_text: str  # security.toml as it will be; new hashes stand as NEW_HASH
    answers_text: str
    problems: tuple[Problem, ...] = ()  # a plan with problems is not executed
    warnings: tuple[Problem, ...] = ()
    kept_passwords: tuple[str, ...] = ()  # accounts whose given password verified against the stored hash
    loose_folder: bool = False  # the output folder is readable by others: executing tightens it to 0700
    basis: tuple[tuple[str, str], ...] = ()  # the folder's files as the plan read them (run.basis)

    @property
    def changed(self) -> bool:
        """Whether executing the plan changes anything in the folder."""
        return self.loose_folder or any(f.action != KEEP for f in self.files)

    @property
    def keep_codes(self) -> tuple[str, ...]:
        """Extensions whose existing pairing code stays."""
        return tuple(f.path.stem for f in self.files if f.role == "pairing code" and f.listed and f.action == KEEP)

    @property
    def files(self) -> tuple[FileChange, ...]:
        return tuple(f for step in self.steps for f in step.files)

    @property
    def listed(self) -> tuple[FileChange, ...]:
        """The entries a person is shown, one a line (the review's list of files)."""
        return tuple(f for f in self.files if f.listed)

    def changed_keys(self) -> list[str]:
        return self.config.changed_from(self.base)


def make_plan(resolved: Resolved, output: Path, *, new_passwords: Iterable[str] | Mapping[str, str] = (),
              passphrase: bytes | None = None, now: float | None = None) -> Plan:
    """Everything the run would do in ``output``, found by reading only.

    ``new_passwords`` names the accounts that get a new password; given as a mapping of
    account to password, a password that verifies against the account's stored hash keeps
    that hash (``Plan.kept_passwords``) and is left out of ``Plan.new_passwords``. The
    passwords are not kept in the plan. ``passphrase`` is only looked at (is there one?);
    ``now`` (Unix seconds) is the clock pairing codes are judged by. Reuse of earlier
    passwords is checked by ``execute`` before it writes anything: each comparison is a slow hash.
    """
    import time

    from pbxwizard.run import answers

    output = Path(output)
    config = tomlfile.carry_over(resolved.config, output / CONFIG_NAME)
    kept, kept_problems = _kept_passwords(config, new_passwords) if isinstance(new_passwords, Mapping) else ((), [])
    names = tuple(n for n in new_passwords if n not in kept)
    shown_config = config.with_accounts({**config.accounts, **{n: NEW_HASH for n in names}},
                                        config.account_history) if names else config
    settings = tomlfile.plan_save(output / CONFIG_NAME, shown_config, resolved.base)
    answers_text = answers.render_answers(config, resolved.base, resolved.extras)
    steps = [Step("settings", output / CONFIG_NAME, (_text_change(output / CONFIG_NAME, "settings", settings.text,
                                                                  settings.old, settings.replaces_invalid),))]
    extra_files = _extra_files(config, resolved.extras, output, time.time() if now is None else now)
    if extra_files:
        label = " and ".join(w for w, on in (("certificate store", resolved.extras.certificates),
                                             ("pairing codes", resolved.extras.pair)) if on)
        steps.append(Step(label, output, tuple(extra_files)))
    answers_path = output / ANSWERS_NAME
    steps.append(Step("answers file", answers_path, (_text_change(answers_path, "answers", answers_text,
                                                                  _read_text(answers_path), False),)))
    from pbxwizard import trust
    from pbxwizard.pairing.tokens import KEY_NAME, REVOKED_NAME

    from pbxwizard.run.basis import read_basis

    problems = trust.output_problems(output, (CONFIG_NAME, ANSWERS_NAME, KEY_NAME, REVOKED_NAME))
    problems += kept_problems + problems_before_writing(config, resolved.extras, output, passphrase)
    read = [str(f.path.relative_to(output)) for step in steps for f in step.files]
    basis = read_basis(output, read + [REVOKED_NAME] * bool(resolved.extras.pair))  # what the plan rests on
    return Plan(output, config, dict(resolved.base), resolved.extras, names, tuple(steps), settings.text,
                answers_text, tuple(problems), tuple(resolved.warnings), kept, _loose(output), basis)


def _kept_passwords(config: Config, given: Mapping[str, str]) -> tuple[tuple[str, ...], list[Problem]]:
    """Accounts whose given password verifies against the stored hash, and the policy's
    refusals of those passwords (a password kept must still meet the current policy)."""
    from pbxwizard.passwords import hashing, rules
    from pbxwizard.passwords.accounts import TABLE, policy_for

    kept, problems = [], []
    for name, password in given.items():
        stored = config.accounts.get(name)
        if not stored or hashing.needs_rehash(stored) or not hashing.verify_password(password, stored):
            continue  # a new password, or an older hash (scrypt) that execute hashes again
        kept.append(name)
        verdict = rules.check(password, policy_for(name, config), user=name, previous=[])
        if not verdict.accepted:
            problems.append(Problem(f"{TABLE}.{name}", "password refused: " + "; ".join(verdict.failures)))
    return tuple(kept), problems


def _loose(output: Path) -> bool:
    import stat

    try:
        return output.is_dir() and bool(stat.S_IMODE(output.stat().st_mode) & 0o077)
    except OSError:
        return False


def _read_text(path: Path) -> str | None:
    from pbxwizard import trust

    try:
        return (trust.read_own(path, tomlfile.MAX_BYTES) or b"").decode("utf-8") if path.exists() else None
    except (ConfigError, UnicodeDecodeError):
        return None


def _text_change(path: Path, role: str, text: str, old: str | None, invalid: bool) -> FileChange:
    exists = path.exists()
    label = "settings" if role == "settings" else "answers file"
    if exists and not invalid and old == text:
        return FileChange(path, role, KEEP, f"{label}: unchanged, not written", "")
    action = REPLACE if invalid else UPDATE if exists else CREATE
    what = f"{label}; the current one is kept as {path.name}.bak" if exists else label
    diff = "".join(difflib.unified_diff((old or "").splitlines(keepends=True), text.splitlines(keepends=True),
                                        f"{path.name} (now)", f"{path.name} (planned)"))
    return FileChange(path, role, action, what, diff)


def _extra_files(config: Config, extras: Extras, output: Path, now: float) -> list[FileChange]:
    """The certificate store (one entry: it is made whole) and each pairing code's files;
    a code still valid for the configured domain, server and lifetime is kept."""
    out: list[FileChange] = []
    if extras.certificates:
        from pbxwizard.certs import generate
        from pbxwizard.certs.layout import Layout

        folder = Layout.for_output(output).root
        if generate.store_exists(output):
            out.append(FileChange(folder, "certificate store", KEEP,
                                  "certificate store: kept as it is (it already exists)", folder=True))
        else:
            mode = config["certificates.mode"]
            count = len(generate.steps(config, mode))
            what = (f"certificate store: {_label('certificates.mode', mode)}, "
                    f"{_label('certificates.key_type', config['certificates.key_type'])}, {count} steps")
            out.append(FileChange(folder, "certificate store", CREATE, what, folder=True))
    if extras.pair:
        from pbxwizard.pairing import codefiles
        from pbxwizard.pairing.tokens import KEY_NAME, Store, format_time
        from pbxwizard.settings.durations import describe_seconds

        key = output / KEY_NAME
        out.append(FileChange(key, "pairing key", KEEP if key.exists() else CREATE,
                              "the secret key that signs the pairing codes (kept as it is once made)"))
        seconds = catalog.get("pairing.barcode_duration").kind.seconds(config["pairing.barcode_duration"])
        lifetime = describe_seconds(seconds) if seconds else "without expiry"
        store = Store(output, now=lambda: now)
        replaced, revoked = [], []
        for ext in extras.pair:
            png, svg = codefiles.code_paths(output, ext)
            kept = seconds and codefiles.existing_code(store, ext, domain=config["pairing.domain"],
                                                       server=config["pairing.server"], ttl=seconds)
            if kept:
                out.append(FileChange(png, "pairing code", KEEP, f"pairing code for {ext}: kept, valid until "
                                      f"{format_time(kept.expires)}"))
                out.append(FileChange(svg, "pairing code", KEEP, f"pairing code for {ext}, as SVG", listed=False))
                continue
            old = codefiles.code_on_disk(store, ext)
            then = f"; the code there now (id {old.id}) is revoked when writing" if old else ""
            replaced.append(ext)
            revoked += [f"{ext} (id {old.id})"] if old else []
            out.append(FileChange(png, "pairing code", REPLACE if png.exists() else CREATE,
                                  f"pairing code for {ext} (and {svg.name}), valid {lifetime} from writing{then}"))
            out.append(FileChange(svg, "pairing code", REPLACE if svg.exists() else CREATE,
                                  f"pairing code for {ext}, as SVG", listed=False))
        out += _revoked_and_sheet(store, replaced, revoked)
    return out


def _revoked_and_sheet(store: Any, replaced: list[str], revoked: list[str]) -> list[FileChange]:
    """The revocation list when codes still valid are replaced, and the printable sheet when
    it lists a replaced code (it is made again, so it shows the images beside it)."""
    from pbxwizard.pairing import codefiles

    out = []
    if revoked:
        path = store.revoked_path
        out.append(FileChange(path, "revocation list", UPDATE if path.exists() else CREATE,
                              f"revocation list: adds the replaced codes of {', '.join(revoked)}"))
    if set(replaced) & {ext for ext, _ in codefiles.sheet_listing(store)}:
        sheet = codefiles.folder(store.folder) / codefiles.SHEET_NAME
        out.append(FileChange(sheet, "pairing sheet", REPLACE, "printable sheet: made again for the new codes"))
    return out


def _label(key: str, value: Any) -> str:
    kind = catalog.get(key).kind
    return kind.label(value) if hasattr(kind, "label") else kind.display(value)
