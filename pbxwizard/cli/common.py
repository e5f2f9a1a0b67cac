"""What every command shares: exit codes, the output folder, presets, and reading secrets.

Command modules import this module and the core, never each other. A secret (a password
or the key passphrase) never comes from the command line, where the process list and the
shell history would keep it: it is read from standard input, a hidden prompt, a file or an
environment variable named on the command line.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from pbxwizard.errors import ConfigError, InvalidValue, Problem

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


def output_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "output", None):
        return Path(args.output).expanduser()
    from pbxwizard.paths import config_dir

    return config_dir()


def add_output_option(parser: argparse.ArgumentParser, *, top: bool = False,
                      what: str = "folder to write into") -> None:
    """``--output DIR``, on the main parser (``top``) and on each command that uses a folder.

    A command's own option has no default, so ``pbxwizard --output DIR COMMAND`` keeps the
    DIR given before the command (argparse would otherwise overwrite it with the command's None).
    """
    parser.add_argument("--output", "-o", metavar="DIR", default=None if top else argparse.SUPPRESS,
                        help=f"{what} (default: your pbxwizard config folder)")


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group called without its command: its help on stderr, exit 2."""
    parser.print_help(sys.stderr)
    return EXIT_INVALID


def report_problems(error: ConfigError, stream=None, *, writes: bool = True) -> None:
    """Every problem, then the warnings found beside them; ``writes``: the command would have
    written something, so say that nothing was (a read-only command only says what is wrong)."""
    stream = stream or sys.stderr
    count = len(error.problems)
    tail = "; nothing was written" if writes else ""
    print(f"pbxwizard: {count} problem{'s' if count != 1 else ''}{tail}:", file=stream)
    for problem in error.problems:
        print(f"  {problem}", file=stream)
    warn(error.warnings, stream)


MAX_SECRET_BYTES = 1024 * 1024
NO_ARGV = ("passwords are never taken from the command line (the process list and the shell history "
           "would keep them); pipe the password in or type it at the prompt")


def add_passphrase_options(p: argparse.ArgumentParser) -> None:
    how = p.add_mutually_exclusive_group()
    how.add_argument("--passphrase-env", metavar="NAME",
                     help="read the key passphrase from the environment variable NAME")
    how.add_argument("--passphrase-stdin", action="store_true",
                     help="read the key passphrase from the first line of standard input")


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
        raise ConfigError([Problem("(file)", f"more than {MAX_SECRET_BYTES // 1024} KiB: too large for {holds}", name)])
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


def read_passphrase(args: argparse.Namespace, *, needed: bool, confirm: bool) -> bytes | None:
    return read_secret(args.passphrase_env, args.passphrase_stdin, needed=needed, confirm=confirm,
                       field="passphrase", options="--passphrase-env NAME or --passphrase-stdin",
                       why="keys are to be encrypted (certificates.encrypt_keys)",
                       prompt="Passphrase for the private keys (not stored anywhere): ", what="the key passphrase")


def read_secret(env: str | None, from_stdin: bool, *, needed: bool, confirm: bool, field: str, options: str,
                why: str, prompt: str, what: str) -> bytes | None:
    """A passphrase from the environment variable ``env``, the first line of standard input, or a
    hidden prompt (asked twice when ``confirm``); None when not ``needed`` and not given.
    Problems are reported under ``field`` and name the secret as ``what``; ``options`` and ``why``
    word the message when there is no terminal to ask at."""
    from pbxwizard.certs.keys import check_passphrase

    try:
        if env:
            value = os.environ.get(env)
            if value is None:
                raise InvalidValue(f"the environment variable {env} is not set")
            return check_passphrase(value, what)
        if from_stdin:
            try:
                line = sys.stdin.readline()
            except UnicodeDecodeError:  # its message would show the bytes
                raise InvalidValue(f"{what} is not UTF-8 text; set it in a UTF-8 locale") from None
            return check_passphrase(line.rstrip("\r\n"), what)
        if not needed:
            return None
        if not sys.stdin.isatty():
            raise InvalidValue(f"{why}: give the passphrase with {options}")
        import getpass

        first = getpass.getpass(prompt)
        value = check_passphrase(first, what)
        if confirm and getpass.getpass("The same passphrase again: ") != first:
            raise InvalidValue("the two passphrases differ")
        return value
    except InvalidValue as exc:
        raise ConfigError([Problem(field, str(exc))]) from None


def load_presets():
    from pbxwizard.settings import presets

    store = presets.load()
    for problem in store.problems:
        print(f"pbxwizard: warning: skipped a preset: {problem}", file=sys.stderr)
    return store


def warn(warnings: list[Problem], stream=None) -> None:
    for w in warnings:
        print(f"pbxwizard: warning: {w}", file=stream or sys.stderr)
