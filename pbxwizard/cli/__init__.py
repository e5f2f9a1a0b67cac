"""The ``pbxwizard`` command line.

Each group of commands lives in its own module with a ``register(subparsers)`` function;
this file only builds the parser, dispatches, and turns the project's errors into clear
messages and exit code 2. Textual is imported only when the wizard itself is launched.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import Sequence

from pbxwizard import __version__
from pbxwizard.cli.common import EXIT_INVALID, EXIT_OK, add_output_option, output_dir, report_problems
from pbxwizard.errors import ConfigError

COMMAND_MODULES = ("pbxwizard.cli.config", "pbxwizard.cli.certs", "pbxwizard.cli.passwords", "pbxwizard.cli.pairing",
                   "pbxwizard.cli.export")
COMMANDS = {  # which module registers each command: only that one is imported to run it
    "presets": "pbxwizard.cli.config", "explain": "pbxwizard.cli.config", "apply": "pbxwizard.cli.config",
    "check": "pbxwizard.cli.config", "diff": "pbxwizard.cli.config", "certs": "pbxwizard.cli.certs",
    "password-check": "pbxwizard.cli.passwords", "pair": "pbxwizard.cli.pairing",
    "verify-token": "pbxwizard.cli.pairing", "revoke": "pbxwizard.cli.pairing", "export": "pbxwizard.cli.export",
}


def _command(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (the first argument that is not an option or --output's value)."""
    args = iter(argv)
    for arg in args:
        if arg in ("--output", "-o"):
            next(args, None)
        elif arg == "--":
            return next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a known command, with only that command's module.

    Without one (no command, --help, a mistyped command) every module registers, so help
    and usage errors list every command.
    """
    parser = argparse.ArgumentParser(
        prog="pbxwizard",
        description="Harden an IP PBX during its first setup. With no command, starts the full-screen wizard.",
    )
    parser.add_argument("--version", action="version", version=f"pbxwizard {__version__}")
    add_output_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = _command(argv) if argv is not None else None
    for name in (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES:
        import_module(name).register(sub)
    return parser


def launch_wizard(args: argparse.Namespace) -> int:
    try:
        from pbxwizard.app import run
    except ImportError as exc:
        print(f"pbxwizard: the full-screen wizard is not available here ({exc}); "
              "use the commands instead: pbxwizard --help", file=sys.stderr)
        return EXIT_INVALID
    return run(output_dir(args))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        return launch_wizard(args)
    try:
        return args.handler(args)
    except ConfigError as exc:
        report_problems(exc, writes=not getattr(args, "read_only", False))
        return EXIT_INVALID
    except BrokenPipeError:  # output piped into head or a closed pager
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("pbxwizard: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""  # never "pbxwizard: : ..."
        print(f"pbxwizard: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
