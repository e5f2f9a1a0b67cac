"""Commands about passwords: ``password-check``; and how every command reads a secret.

A password never comes from the command line, where the process list and the shell
history would keep it: it is read from standard input or a hidden prompt, or from a file.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path

from pbxwizard.cli import EXIT_FINDINGS, EXIT_OK, output_dir
from pbxwizard.errors import ConfigError, Problem

MAX_SECRET_BYTES = 1024 * 1024
NO_ARGV = ("passwords are never taken from the command line (the process list and the shell history "
           "would keep them); pipe the password in or type it at the prompt")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "password-check",
        help="check a password against a policy; reads it from stdin or a hidden prompt",
        description="Check one password against a policy and print the verdict. The password is read "
                    "from standard input (one line) or typed at a hidden prompt, never from the command line. "
                    "Exit 0 accepted, 1 refused, 2 bad input.",
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("--policy", metavar="FILE", help="take the policy from this security.toml")
    source.add_argument("--preset", "-p", metavar="NAME", help="take the policy from this preset")
    p.add_argument("--user", "-u", metavar="NAME", default="",
                   help="the account or extension name (refused inside the password; with --policy, "
                        "its stored earlier passwords are refused too)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("stray", nargs="*", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_password_check)


def read_secret_text(spec: str, holds: str = "passwords in clear") -> tuple[str, str]:
    """Text of a secrets file, or of standard input for ``-``; returns (text, name for messages).

    ``holds`` says what the file holds, for the warning when others may read it.
    """
    name = "(stdin)" if spec == "-" else spec
    try:
        if spec == "-":
            raw = sys.stdin.buffer.read(MAX_SECRET_BYTES + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            path = Path(spec)
            with path.open("rb") as handle:
                raw = handle.read(MAX_SECRET_BYTES + 1)
                mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            if mode & 0o077:
                print(f"pbxwizard: warning: {spec} holds {holds} and others may read it "
                      f"(mode {mode:04o}); chmod 600 it, or delete it when done", file=sys.stderr)
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read: {exc.strerror}", name)]) from None
    if len(raw) > MAX_SECRET_BYTES:
        raise ConfigError([Problem("(file)", "too large for a passwords file", name)])
    try:
        return raw.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem("(file)", f"not UTF-8 text (byte {exc.start})", name)]) from None


def read_password(prompt: str = "Password: ") -> str:
    """One password: the single line on standard input, or a hidden prompt on a terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    text, name = read_secret_text("-")
    if not text:
        raise ConfigError([Problem("password", "nothing on standard input; pipe one line in, or run on a terminal to be asked", name)])
    line, newline, rest = text.partition("\n")
    if rest:
        raise ConfigError([Problem("password", "more than one line on standard input; give one password per run", name)])
    return line[:-1] if newline and line.endswith("\r") else line


def _policy(args: argparse.Namespace):
    """The policy to check against, its name for the output, and the stored hashes of --user."""
    from pbxwizard.settings import tomlfile
    from pbxwizard.passwords import rules
    from pbxwizard.cli.config import _load_presets
    from pbxwizard.paths import CONFIG_NAME

    store = _load_presets()
    if args.preset:
        return rules.Policy.from_values(store.values(args.preset)), f"preset {args.preset}", []
    path = Path(args.policy) if args.policy else output_dir(args) / CONFIG_NAME
    if args.policy or path.is_file():
        config, _ = tomlfile.load_config(path, store.values)
        previous = []
        if args.user in config.accounts:
            previous = [config.accounts[args.user], *config.account_history.get(args.user, ())]
        return rules.Policy.from_config(config), str(path), previous
    return rules.Policy.from_values(store.values("medium")), "preset medium (no security.toml found)", []


def cmd_password_check(args: argparse.Namespace) -> int:
    from pbxwizard.passwords import rules

    if args.stray:
        raise ConfigError([Problem("password", NO_ARGV)])
    policy, origin, previous = _policy(args)
    password = read_password()
    verdict = rules.check(password, policy, user=args.user, previous=previous)
    if args.json:
        print(json.dumps({**verdict.as_dict(), "policy": origin, "reading": rules.SCORE_READING,
                          "weakness": rules.SCORE_WEAKNESS}, indent=2))
    else:
        print(f"policy: {origin}: {policy.describe()}")
        print(verdict.text())
    return EXIT_OK if verdict.accepted else EXIT_FINDINGS

