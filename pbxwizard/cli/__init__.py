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

COMMAND_MODULES = ("pbxwizard.cli.config", "pbxwizard.cli.certs", "pbxwizard.cli.passwords", "pbxwizard.cli.pairing")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pbxwizard",
        description="Harden an IP PBX during its first setup. With no command, starts the full-screen wizard.",
    )
    parser.add_argument("--version", action="version", version=f"pbxwizard {__version__}")
    add_output_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return launch_wizard(args)
    try:
        return args.handler(args)
    except ConfigError as exc:
        report_problems(exc)
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
