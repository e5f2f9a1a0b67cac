"""Commands for the certificate store: init, csr, renew, import, sign, check.

Thin on purpose: each handler turns arguments into a Config and a passphrase, then calls
the same ``pbxwizard.certs`` functions the TUI calls. Passphrases come from an
environment variable named on the command line, from standard input, or from a prompt;
never from argv itself, where other users could read them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from pbxwizard.cli.common import (
    EXIT_FINDINGS, EXIT_OK, add_output_option, add_passphrase_options, output_dir, read_passphrase,
    read_secret, usage,
)
from pbxwizard.certs import policy
from pbxwizard.certs.layout import MANAGER, Layout
from pbxwizard.errors import ConfigError, InvalidValue, Problem


def register(sub: argparse._SubParsersAction) -> None:
    certs = sub.add_parser("certs", help="make, import and check the PBX's certificate store",
                           description="Make, import and check the certificate store under OUTPUT/certs.")
    certs.set_defaults(handler=lambda args: usage(certs))
    group = certs.add_subparsers(dest="certs_command", metavar="COMMAND")

    p = group.add_parser("init", help="make the store as certificates.mode says (a local CA by default)")
    _config_options(p)
    add_passphrase_options(p)
    p.add_argument("--replace", action="store_true", help="replace an existing store (kept as certs.previous)")
    p.add_argument("--p12", action="store_true",
                   help="also write a .p12 beside each manager identity's certificate (local CA only), "
                        "as certs export --p12 NAME does; one bundle passphrase for all")
    add_p12_passphrase_options(p)
    p.set_defaults(handler=cmd_init, mode=None)

    p = group.add_parser("csr", help="make keys and certificate signing requests for a third-party CA")
    _config_options(p)
    add_passphrase_options(p)
    p.add_argument("--replace", action="store_true", help="replace an existing store (kept as certs.previous)")
    p.set_defaults(handler=cmd_init, mode="csr")

    p = group.add_parser("renew", help="new keys and certificates from the store's own local CA (the CA stays)",
                         description="Renew the PBX's and the management client's certificates with the local CA "
                                     "the store already holds: new keys, the validity of "
                                     "certificates.validity_days, the same trusted CA bundle, so phones and "
                                     "management PCs need nothing new. Only the intermediate key signs. The old "
                                     "store is kept as certs.previous. Exit 0 renewed, 2 refused or bad input.")
    _config_options(p)
    add_passphrase_options(p)
    p.set_defaults(handler=cmd_renew)

    p = group.add_parser("import", help="bring a certificate signed by your CA into the store, after checks")
    p.add_argument("certificate", help="PEM file with the signed certificate (its chain may follow it)")
    p.add_argument("--chain", action="append", default=[], metavar="FILE",
                   help="PEM file with intermediate and root CA certificates; repeat as needed")
    p.add_argument("--role", choices=("identity", "manager"), default="identity",
                   help="whose certificate it is: the PBX's (identity, default) or the management client's")
    p.add_argument("--name", default=MANAGER, metavar="NAME",
                   help=f"with --role manager: which manager identity it is for (default {MANAGER})")
    _config_options(p)
    add_passphrase_options(p)
    p.set_defaults(handler=cmd_import)

    p = group.add_parser("sign", help="sign a box's request with the local CA in another folder (a control node's)",
                         description="Sign CSR (a request made by `certs csr` on a box) with the local CA in DIR, "
                                     "with the same checks and limits as the local CA's own certificates. Only the "
                                     "intermediate key signs; the root key is not read. The output is the "
                                     "certificate followed by the intermediate and root: give it to `certs import` "
                                     "on the box. Exit 0 signed, 2 refused or bad input.")
    p.add_argument("csr", metavar="CSR", help="the box's request (PEM), e.g. its certs/csr/pbx.csr")
    p.add_argument("--ca", required=True, metavar="DIR",
                   help="the CA's folder: an output folder holding certs/ca, or the store or ca folder itself")
    p.add_argument("--days", type=int, metavar="N",
                   help=f"validity in days, 1 to {policy.MAX_SERVER_DAYS} (default 365; never past the CA's own)")
    p.add_argument("--role", choices=("identity", "manager"), default="identity",
                   help="a server certificate for the PBX (identity, default) or the management client's")
    p.add_argument("--output", "-o", metavar="FILE", help="write the certificate and chain here (default: stdout)")
    add_passphrase_options(p)
    p.set_defaults(handler=cmd_sign)

    p = group.add_parser("export", help="bundle a manager identity's key and certificates as a .p12 for the management PC",
                         description="Write certs/manager/NAME.p12 (mode 0600): manager identity NAME's private key, "
                                     "its certificate and the CA certificates above it, encrypted with a passphrase of "
                                     "its own (AES-256, PBKDF2-SHA256), the form the management PCs import. The "
                                     "bundle's passphrase comes from --p12-passphrase-env, --p12-passphrase-stdin or a "
                                     "prompt, never from the command line; an encrypted store key needs its own "
                                     "passphrase too (--passphrase-env or --passphrase-stdin). Exit 0 written, 2 refused.")
    p.add_argument("--p12", required=True, metavar="NAME", help="the manager identity to bundle "
                   "(one of certificates.manager_identities, e.g. manager)")
    add_output_option(p)
    add_passphrase_options(p)
    add_p12_passphrase_options(p)
    p.set_defaults(handler=cmd_export)

    p = group.add_parser("check", help="check a store; exit 0 sound, 1 failed checks, 2 no store or bad input")
    p.add_argument("folder", nargs="?", metavar="DIR", help="the output folder holding certs/ (default: --output)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _config_options(p)
    add_passphrase_options(p)
    p.set_defaults(handler=cmd_check, read_only=True)


def _config_options(p: argparse.ArgumentParser) -> None:
    add_output_option(p)
    p.add_argument("--preset", "-p", metavar="NAME",
                   help="take settings from this preset instead of OUTPUT/security.toml")
    p.add_argument("--set", "-s", dest="assignments", action="append", default=[], metavar="KEY=VALUE",
                   help="override one setting, e.g. certificates.dns_names='pbx.example.com'; repeat as needed")


# --- inputs -------------------------------------------------------------------------------

def load_config(folder: Path, preset: str | None, assignments: list[str], *, required: bool = True) -> Any:
    """The Config for a store: ``--preset`` if given, else ``folder/security.toml``; then ``--set``."""
    from pbxwizard.settings import tomlfile, presets
    from pbxwizard.settings.config import build, parse_assignments
    from pbxwizard.paths import CONFIG_NAME

    store = presets.load()
    path = folder / CONFIG_NAME
    if preset:
        base = store.values(preset)
    elif os.path.lexists(path):
        config, warnings = tomlfile.load_config(path, store.values, own=True)
        for w in warnings:
            print(f"pbxwizard: warning: {w}", file=sys.stderr)
        preset, base = config.preset, dict(config.values)
    elif required or assignments:
        raise ConfigError([Problem("preset", f"no {CONFIG_NAME} in {folder}: pass --preset NAME, "
                                   "or write one first with pbxwizard apply")])
    else:
        return None
    overrides, problems = parse_assignments(assignments)
    if problems:
        raise ConfigError(problems)
    return build(preset, base, overrides)


def _identity_name(text: str) -> str:
    try:
        return policy.check_identity_name(text)
    except InvalidValue as exc:
        raise ConfigError([Problem("--name", str(exc))]) from None


def _read(path: str) -> bytes:
    from pbxwizard.certs.pemfiles import read_bytes

    try:
        return read_bytes(Path(path))
    except InvalidValue as exc:
        raise ConfigError([Problem("file", str(exc))]) from None


# --- commands -----------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from pbxwizard.certs.generate import generate_store, validate

    output = output_dir(args)
    config = load_config(output, args.preset, args.assignments)
    mode = args.mode or config["certificates.mode"]
    problems = validate(config, mode)  # report bad settings before asking for a passphrase
    bundles = getattr(args, "p12", False)
    if bundles and mode != "local_ca":
        problems.append(Problem("--p12", "a .p12 needs a signed certificate: with a third-party CA, import it "
                                "first, then run pbxwizard certs export --p12 NAME"))
    if problems:
        raise ConfigError(problems)
    passphrase = read_passphrase(args, needed=config["certificates.encrypt_keys"], confirm=True)
    bundle_passphrase = read_p12_passphrase(args) if bundles else None

    def show(done: int, total: int, text: str) -> None:
        if done < total:
            print(f"[{done + 1}/{total}] {text}", file=sys.stderr)

    result = generate_store(config, output, passphrase=passphrase, mode=mode, replace=args.replace, progress=show)
    for note in result.notes:
        print(f"pbxwizard: note: {note}", file=sys.stderr)
    what = "a local CA and its certificates" if result.mode == "local_ca" else "keys and certificate requests"
    encrypted = ", keys encrypted" if passphrase else ""
    print(f"wrote {what} to {result.store} ({len(result.written)} files{encrypted})")
    for n, text in enumerate(result.next_steps, 1):
        print(f"  {n}. {text}")
    if bundle_passphrase:
        from pbxwizard.certs.bundle import export_p12
        from pbxwizard.certs.generate import manager_names

        for name in manager_names(config):
            print(f"wrote {export_p12(output, name, bundle_passphrase, key_passphrase=passphrase)} (mode 0600)")
    return EXIT_OK


def cmd_renew(args: argparse.Namespace) -> int:
    from pbxwizard.certs.renew import renew

    output = output_dir(args)
    config = load_config(output, args.preset, args.assignments)
    passphrase = read_passphrase(args, needed=config["certificates.encrypt_keys"], confirm=False)

    def show(done: int, total: int, text: str) -> None:
        if done < total:
            print(f"[{done + 1}/{total}] {text}", file=sys.stderr)

    store, written, notes = renew(config, output, passphrase=passphrase, progress=show)
    for note in notes:
        print(f"pbxwizard: note: {note}", file=sys.stderr)
    days = config["certificates.validity_days"]
    print(f"renewed {len(written)} files in {store} for {days} days; the trusted CA bundle is unchanged, "
          "so install only the new certificates and keys")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from pbxwizard.certs.checks import subject
    from pbxwizard.certs.importing import import_signed

    output = output_dir(args)
    config = load_config(output, args.preset, args.assignments, required=False)
    certificate = _read(args.certificate)
    chains = [_read(path) for path in args.chain]
    passphrase = read_passphrase(args, needed=False, confirm=False)
    name = _identity_name(args.name)
    result = import_signed(output, certificate, chains, role=args.role, config=config,
                           passphrase=passphrase, source=args.certificate, name=name)
    for note in result.notes:
        print(f"pbxwizard: note: {note}", file=sys.stderr)
    roots = f", {result.added_roots} CA root{'s' if result.added_roots != 1 else ''} added to trusted/" if result.added_roots else ""
    print(f"imported the {args.role} certificate into {result.store}{roots}")
    for item in result.report.about(subject(args.role, name), "trusted store"):
        if item.level != "ok":
            print(item.line())
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    from pbxwizard.certs.pemfiles import common_name
    from pbxwizard.certs.signing import locate_ca, sign_request
    from pbxwizard.paths import CONFIG_NAME

    layout = locate_ca(Path(args.ca))
    ca_config = layout.root.parent / CONFIG_NAME
    config = load_config(layout.root.parent, None, [], required=False) if ca_config.is_file() else None
    minimum = config["services.min_key_size"] if config is not None else policy.MIN_RSA_BITS
    request = _read(args.csr)
    passphrase = read_passphrase(args, needed=False, confirm=False)
    signed = sign_request(layout.root, request, role=args.role, days=args.days, min_key_size=minimum,
                          passphrase=passphrase, source=args.csr)
    if args.output:
        from pbxwizard.atomic import write_private

        write_private(Path(args.output), signed.pem(), backup=False)
    else:
        sys.stdout.write(signed.pem().decode("ascii"))
    where = f" to {args.output}" if args.output else ""
    print(f"signed the {args.role} certificate for {common_name(signed.certificate)}, valid {signed.days} days, "
          f"with {common_name(signed.chain[0])}{where}; import it on the box with: pbxwizard certs import FILE",
          file=sys.stderr)
    return EXIT_OK


def add_p12_passphrase_options(p: argparse.ArgumentParser) -> None:
    how = p.add_mutually_exclusive_group()
    how.add_argument("--p12-passphrase-env", metavar="NAME",
                     help="read the .p12 bundle's passphrase from the environment variable NAME")
    how.add_argument("--p12-passphrase-stdin", action="store_true",
                     help="read the .p12 bundle's passphrase from the first line of standard input "
                          "(after the key passphrase's line when --passphrase-stdin is given too)")


def read_p12_passphrase(args: argparse.Namespace) -> bytes:
    return read_secret(args.p12_passphrase_env, args.p12_passphrase_stdin, needed=True, confirm=True,
                       field="p12-passphrase", options="--p12-passphrase-env NAME or --p12-passphrase-stdin",
                       why="the .p12 bundle is encrypted with a passphrase of its own",
                       prompt="Passphrase for the .p12 bundle (typed again when the PC imports it): ",
                       what="the .p12 passphrase")


def cmd_export(args: argparse.Namespace) -> int:
    from pbxwizard.certs.bundle import export_p12
    from pbxwizard.certs.keys import is_encrypted

    output = output_dir(args)
    name = _identity_name(args.p12)
    key = Layout.for_output(output).manager_identity(name).key
    encrypted = key.is_file() and is_encrypted(key.read_bytes())
    key_passphrase = read_passphrase(args, needed=encrypted, confirm=False)
    passphrase = read_p12_passphrase(args)
    path = export_p12(output, name, passphrase, key_passphrase=key_passphrase)
    print(f"wrote {path} (mode 0600): manager identity {name}'s key, certificate and CA chain, encrypted with "
          "AES-256; import it on the management PC with the passphrase you gave")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from pbxwizard.certs.checks import FAIL, check_store, locate

    folder = Path(args.folder).expanduser() if args.folder else output_dir(args)
    layout = locate(folder)
    config = load_config(layout.root.parent, args.preset, args.assignments, required=False)
    passphrase = read_passphrase(args, needed=False, confirm=False)
    report = check_store(layout.root, config, passphrase=passphrase)
    if args.json:
        print(json.dumps({"store": str(report.store), "failed": report.failed,
                          "items": [item._asdict() for item in report.items]}, indent=2))
    else:
        if config is None:
            print("pbxwizard: note: no security.toml beside the store and no --preset; configured names "
                  "are not compared", file=sys.stderr)
        for item in report.items:
            print(item.line())
        print(report.summary())
    return EXIT_FINDINGS if any(i.level == FAIL for i in report.items) else EXIT_OK
