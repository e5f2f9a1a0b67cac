"""Commands about passwords: ``password-check``.

The password is read from standard input or a hidden prompt (``common.read_password``),
never from the command line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pbxwizard.cli.common import EXIT_FINDINGS, EXIT_OK, NO_ARGV, load_presets, output_dir, read_password
from pbxwizard.errors import ConfigError, Problem

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
                        "its stored earlier passwords are refused too); for one of the PBX's accounts "
                        "(security_admin, system, ...) its own length range and characters apply")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("stray", nargs="*", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_password_check, read_only=True)


def _policy(args: argparse.Namespace):
    """The policy to check against, its name for the output, and the stored hashes of --user.

    For one of the PBX's accounts the policy is that account's (``accounts.policy_for``)."""
    from pbxwizard.settings import tomlfile
    from pbxwizard.passwords import accounts, rules
    from pbxwizard.paths import CONFIG_NAME

    def policy(values):
        return accounts.policy_for(args.user, values) if args.user in accounts.BY_NAME else rules.Policy.from_values(values)

    store = load_presets()
    if args.preset:
        return policy(store.values(args.preset)), f"preset {args.preset}", []
    path = Path(args.policy) if args.policy else output_dir(args) / CONFIG_NAME
    if args.policy or path.is_file():
        config, _ = tomlfile.load_config(path, store.values, own=not args.policy)
        previous = []
        if args.user in config.accounts:
            previous = [config.accounts[args.user], *config.account_history.get(args.user, ())]
        return policy(config), str(path), previous
    return policy(store.values("medium")), "preset medium (no security.toml found)", []


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

