"""Commands about settings and config files: presets, explain, apply, check, diff."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pbxwizard.settings import catalog
from pbxwizard.cli.common import (
    EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, add_output_option, add_passphrase_options, load_presets, output_dir,
    read_passphrase, read_secret_text, report_problems, warn,
)
from pbxwizard.errors import ConfigError, Problem


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="list the presets, built-in and your own")
    p.set_defaults(handler=cmd_presets, read_only=True)

    p = sub.add_parser("explain", help="what a setting does, what it allows and each preset's value")
    p.add_argument("key", nargs="?",
                   help="a setting key such as tls.min_version (or just min_version), or a section such as tls; "
                        "without one, every section and its settings")
    p.set_defaults(handler=cmd_explain, read_only=True)

    p = sub.add_parser("apply", help="write security.toml from a preset and overrides, asking nothing",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=APPLY_EPILOG)
    p.add_argument("--preset", "-p", metavar="NAME", help="preset to start from (overrides the answers file's)")
    p.add_argument("--set", "-s", dest="assignments", action="append", default=[], metavar="KEY=VALUE",
                   help="override one setting; repeat as needed (a value holding a credential is refused: "
                        "use --set-file)")
    p.add_argument("--set-file", dest="set_files", action="append", default=[], metavar="KEY=FILE",
                   help="override one setting with the value held in FILE (- reads standard input), "
                        "the way to give a value that holds a credential, such as an API list's user:password")
    p.add_argument("--answers", "-a", metavar="FILE", help="TOML answers file of security.toml's shape")
    p.add_argument("--passwords", metavar="FILE",
                   help="new passwords as account=password lines (- reads standard input); only their "
                        "argon2id hashes are stored; a password the policy refuses stops the run")
    p.add_argument("--certs", action="store_true",
                   help="also make the certificate store as the certificates settings say (an existing one is kept)")
    p.add_argument("--pair", action="append", default=[], metavar="EXT",
                   help="also make a pairing code for this extension; repeat as needed")
    p.add_argument("--check", action="store_true",
                   help="plan only: print what would be written, with a unified diff of security.toml; write nothing")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (changed, files with their action, diff, findings, notes)")
    add_passphrase_options(p)
    add_output_option(p)
    p.set_defaults(handler=cmd_apply)

    p = sub.add_parser("check", help="validate and audit a config; exit 0 clean, 1 high findings, 2 invalid")
    p.add_argument("file", help="the security.toml to check")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_check, read_only=True)

    p = sub.add_parser("diff", help="what a config changes relative to a preset")
    p.add_argument("file", help="the security.toml to compare")
    p.add_argument("--preset", "-p", metavar="NAME", help="preset to compare with (default: the file's own)")
    p.set_defaults(handler=cmd_diff, read_only=True)


def cmd_presets(args: argparse.Namespace) -> int:
    store = load_presets()
    width = max(len(n) for n in store.names())
    for name in store.names():
        p = store.presets[name]
        origin = "" if p.origin == "built-in" else f"  [{p.origin}]"
        print(f"{name:<{width}}  {p.description}{origin}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from pbxwizard.settings import docs

    if args.key is None:
        print(docs.index_text())
        return EXIT_OK
    key = args.key.strip()
    section = next((s for s in catalog.SECTIONS if s.name == key.rstrip(".")), None)
    if section is not None:
        print(docs.section_text(section))
        print("\n`pbxwizard explain KEY` explains one of them.")
        return EXIT_OK
    setting = catalog.BY_KEY.get(key)
    if setting is None:
        by_name = [s for s in catalog.SETTINGS if s.name == key]
        setting = by_name[0] if len(by_name) == 1 else None
    if setting is None:
        import difflib

        hint = difflib.get_close_matches(key, [s.name for s in catalog.SECTIONS], n=1, cutoff=0.6) + catalog.suggest(key)
        extra = f"; did you mean: {', '.join(hint)}" if hint else ""
        raise ConfigError([Problem(key, f"unknown setting{extra}; `pbxwizard explain` lists every section and key")])
    print(docs.explain_text(setting, load_presets()))
    return EXIT_OK


APPLY_EPILOG = """\
The same inputs on a folder that already holds their result write nothing ("unchanged").

exit codes:
  0  done: written, unchanged, or (--check) planned
  2  invalid input or a refused password: nothing was written (with --json, the object
     has "failed": true and the problems)"""


def cmd_apply(args: argparse.Namespace) -> int:
    """``apply``; with ``--json`` a refusal is one JSON object too, besides the usual message."""
    try:
        return _apply(args)
    except ConfigError as exc:
        if not args.json:
            raise
        from pbxwizard.run.report import failed_json

        print(json.dumps(failed_json(exc.problems, check=args.check, warnings=exc.warnings), indent=2))
        report_problems(exc)
        return EXIT_INVALID


def _apply(args: argparse.Namespace) -> int:
    """Resolve the inputs, plan the run, read the secrets it needs, and carry it out."""
    from pbxwizard.run.execute import Secrets, execute
    from pbxwizard.run.plan import KEEP, make_plan
    from pbxwizard.run.request import resolve

    output = output_dir(args)
    presets = load_presets()
    resolved = resolve(presets, preset=args.preset, answers=Path(args.answers) if args.answers else None,
                       assignments=args.assignments, certificates=args.certs, pair=args.pair,
                       files=_set_files(args))
    warn(resolved.warnings)
    passphrase = None
    if resolved.extras.certificates:
        from pbxwizard.certs.generate import store_exists

        needed = resolved.config["certificates.encrypt_keys"] and not store_exists(output)
        passphrase = read_passphrase(args, needed=needed, confirm=True) if needed else None
    passwords, source, lines = {}, "", {}
    if args.passwords:
        from pbxwizard.passwords.accounts import read_password_lines

        text, source = read_secret_text(args.passwords)
        found = read_password_lines(text, source)
        passwords = {name: pw for name, (pw, _) in found.items()}
        lines = {name: line for name, (_, line) in found.items()}
    plan = make_plan(resolved, output, new_passwords=passwords, passphrase=passphrase)
    if plan.problems:
        raise ConfigError(list(plan.problems))
    if args.check or args.json:
        from pbxwizard.run import report  # only these print findings
    if args.check:
        audit = report.findings(plan, presets)
        print(json.dumps(report.as_json(plan, audit, check=True), indent=2) if args.json
              else report.check_text(plan, audit))
        return EXIT_OK
    new = {name: passwords[name] for name in plan.new_passwords}
    outcome = execute(plan, Secrets(new, passphrase, source=source, lines=lines),  # another run wrote since
                      replan=lambda: make_plan(resolved, output, new_passwords=passwords, passphrase=passphrase))
    plan = outcome.plan  # planning: the same run again, under the lock
    if args.json:
        notes = outcome.notes + outcome.lines
        print(json.dumps(report.as_json(plan, report.findings(plan, presets), check=False, notes=notes), indent=2))
        return EXIT_OK
    for note in outcome.notes:
        print(f"pbxwizard: note: {note}", file=sys.stderr)
    changed = plan.changed_keys()
    what = f"preset {plan.config.preset}, {len(changed)} setting{'s' if len(changed) != 1 else ''} changed"
    if not plan.changed:
        print(f"unchanged: {plan.output} already holds this run's result ({what}); nothing was written")
    else:
        print(f"{'wrote' if plan.files[0].action != KEEP else 'kept'} {plan.steps[0].path} ({what})")
    if new:
        print(f"stored argon2id hashes of {len(new)} new password{'s' if len(new) != 1 else ''}: {', '.join(new)}")
    if plan.kept_passwords:
        print(f"kept the stored hashes of {', '.join(plan.kept_passwords)} (the passwords given match them)")
    for line in outcome.lines:
        print(line)
    _note_missing_accounts(outcome.config)
    return EXIT_OK


def _set_files(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """The ``--set-file KEY=FILE`` values as (key, text, where); standard input serves one reader only."""
    readers = [f"--set-file {spec}" for spec in args.set_files if spec.partition("=")[2] == "-"]
    readers += ["--passwords -"] * (args.passwords == "-") + ["--passphrase-stdin"] * bool(args.passphrase_stdin)
    if len(readers) > 1:
        raise ConfigError([Problem("(stdin)", f"standard input can feed only one of {', '.join(readers)}; "
                                   "give the others as files")])
    found = []
    for spec in args.set_files:
        key, eq, path = spec.partition("=")
        if not eq or not path:
            raise ConfigError([Problem(key or spec, f"{spec!r} is not KEY=FILE", "--set-file")])
        text, name = read_secret_text(path, holds="a setting's value, perhaps a credential")
        found.append((key.strip(), text.removesuffix("\n").removesuffix("\r"), f"--set-file {name}"))
    return found


def _note_missing_accounts(config) -> None:
    from pbxwizard.passwords import accounts

    missing = accounts.missing(config)
    if missing and config["services.require_new_passwords"]:
        print(f"pbxwizard: note: no new password yet for {', '.join(missing)}; `pbxwizard check` reports this "
              "as high until you set them (apply --passwords FILE)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from pbxwizard.settings import audit, tomlfile

    store = load_presets()
    try:
        config, warnings = tomlfile.load_config(Path(args.file), store.values)
    except ConfigError as exc:  # every problem, and the warnings (unknown keys) found beside them
        if args.json:
            print(json.dumps({"valid": False, "problems": [p._asdict() for p in exc.problems],
                              "warnings": [w._asdict() for w in exc.warnings]}, indent=2))
        else:
            count = len(exc.problems)
            print(f"{args.file}: invalid, {count} problem{'s' if count != 1 else ''}:", file=sys.stderr)
            for p in exc.problems:
                print(f"  {p}", file=sys.stderr)
            warn(exc.warnings)
        return EXIT_INVALID
    facts = audit.folder_facts(Path(args.file).parent)
    report = audit.audit(config, {n: store.values(n) for n in store.names()}, facts)
    if args.json:
        print(json.dumps({
            "valid": True,
            "warnings": [w._asdict() for w in warnings],
            "findings": [f.as_dict() for f in report.findings],
            "counts": {s: report.count(s) for s in catalog.SEVERITIES},
            "posture": report.posture._asdict() if report.posture else None,
        }, indent=2))
    else:
        warn(warnings)
        for f in report.findings:
            tag = " (current guidance)" if f.guidance else ""
            print(f"{f.severity.upper():<6} {f.key} = {f.value_text()}")
            print(f"       {f.why}{tag}")
            print(f"       safer: {f.safer_text()}")
        counts = ", ".join(f"{report.count(s)} {s}" for s in catalog.SEVERITIES)
        print(f"{args.file}: valid; findings: {counts}")
        if report.posture:
            d = report.posture.differences
            detail = ", ".join(f"{n} {d[n]}" for n in d)
            print(f"posture: closest to the {report.posture.closest} preset (keys that differ: {detail})")
    return EXIT_FINDINGS if report.has_high else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from pbxwizard.settings import tomlfile

    store = load_presets()
    config, warnings = tomlfile.load_config(Path(args.file), store.values)
    warn(warnings)
    name = args.preset or config.preset
    if not name:
        raise ConfigError([Problem("preset", "the file names no preset; pass --preset NAME", args.file)])
    base = store.values(name)
    changed = config.changed_from(base)
    if not changed:
        print(f"{args.file}: same as the {name} preset")
        return EXIT_OK
    print(f"{args.file} against the {name} preset: {len(changed)} change{'s' if len(changed) != 1 else ''}")
    for key in changed:
        setting = catalog.get(key)
        old, new = setting.kind.display(base[key]), setting.kind.display(config[key])
        mark = "  (weaker)" if setting.weakens(base[key], config[key]) else ""
        print(f"  {key}: {old} -> {new}{mark}")
    return EXIT_OK
